"""Benchmark of the outputs of ``tpcheck merge``: 200 workbooks × 300 rows, 2 % bad cells.

    python benchmarks/bench_merge.py [--files 200] [--rows 300] [--workers N]

Measures, in one process:
  floor  — a bare python-calamine read of the files + one xlsxwriter write of the rows read;
  write  — tpcheck's writing phase: every output (consolidated workbook, error report as xlsx /
           csv / html / json, a return copy per file) for a frame and a report built from the
           same files (the frame normalised as the reader does, the report from the planted cells);
  merge  — the whole ``tpcheck.merge(...)`` + ``result.write(...)`` in a fresh process, when
           tpcheck.read and tpcheck.validate are available in this checkout.
The inputs are valid submissions (every touchpoint of a key type has a row on «Требования
п. 4.2») except the planted cells: 2 % of all cells of «Перечень» hold a value not in the list or
are empty where a value is required. Goal: merge ≤ 2 × floor. The inputs are generated once into
benchmarks/data/ (gitignored). CPU seconds (this process and its children) are printed too: the
machine may be shared, and wall time then says less.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import xlsxwriter
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tpcheck  # noqa: E402
from tpcheck.cells import a1  # noqa: E402
from tpcheck.classifiers import default_classifiers  # noqa: E402
from tpcheck.findings import FileInfo, Report, issue, quote_list  # noqa: E402
from tpcheck.frame import CONTEXT_KEY, ReadContext  # noqa: E402
from tpcheck.reading.normalize import normalize  # noqa: E402
from tpcheck.write import write_outputs  # noqa: E402

BAD_SHARE = 0.02
FIRST_ROW = 3  # header in row 1, the template's example in row 2
CHECKED = (
    "direction",
    "activity",
    "activity_kind",
    "client",
    "touchpoint",
    "touchpoint_type",
    "channel",
    "needs",
    "procedure",
    "basis_kind",
    "operator",
    "subdivision",
    "demand_tracked",
)
UNLISTED = ["онлайн-оффлайн", "прочее", "смешанный", "уточняется", "н/д", "см. примечание"]
LOCATIONS = {
    "url": "https://dchs.kuzbass.ru/deyatelnost",
    "phone": "8 (3842) 58-00-00",
    "email": "info@dchs.kuzbass.ru",
}


def cpu() -> float:
    """CPU seconds of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _rows(rng: random.Random, file_no: int, count: int) -> tuple[list[dict], list[dict]]:
    """Valid rows of one subdivision, and one «Требования п. 4.2» row per key touchpoint."""
    c = default_classifiers()
    types = list(c["touchpoint_type"])
    channels = {e.code: e.label for e in c["channel"]}
    clients = {e.code: e.label for e in c["client"]}
    first_requirement = {}
    for entry in c["requirement"]:
        first_requirement.setdefault(entry.get("group"), entry)
    needs = [e.label for e in c["need"] if not e.get("other")]
    rows, requirements = [], []
    for n in range(count):
        kind = rng.choice(types)
        direction = rng.choice(list(c["direction"]))
        channel = channels.get(kind.get("channel")) or rng.choice(list(channels.values()))
        client = clients[rng.choice(direction.get("clients") or list(clients))]
        other = kind.get("other") or kind.code == "other"
        what = rng.choice(["прием", "выдача", "консультирование", "контроль"])
        rows.append(
            {
                "number": str(n + 1),
                "direction": direction.label,
                "activity": f"Процесс {file_no}-{n // 5}: {what} по вопросам ГО и ЧС",
                "activity_kind": rng.choice(c["activity_kind"].labels),
                "client": client,
                "touchpoint": f"{kind.label.split(',')[0].capitalize()} № {n % 17 + 1}",
                "touchpoint_type": kind.label,
                "channel": channel,
                "location": LOCATIONS.get(kind.get("location"), "г. Кемерово, пр. Советский, 60"),
                "needs": "; ".join(rng.sample(needs, rng.randint(1, 3))),
                "procedure": f"Прием с 9:00 до 18:00; ответ в течение {rng.randint(1, 30)} дней",
                "basis_kind": rng.choice(c["basis_kind"].labels[:3]),
                "basis": f"Приказ Департамента от 01.0{rng.randint(1, 9)}.2024 № {n + 1}",
                "operator": rng.choice(c["operator"].labels),
                "subdivision": f"Подразделение № {file_no}",
                "demand_tracked": rng.choice(["да", "нет"]),
                "note": "Точка работает по графику приема" if other else "",
            }
        )
        groups = kind.get("requirements") or []
        if groups:
            entry = first_requirement[groups[0]]
            value = "да" if entry.get("kind") == "yes_no" else str(int(entry.get("limit")))
            requirements.append(
                {"row_ref": str(n + 1), "requirement": entry.label, "value": value, "comment": ""}
            )
    return rows, requirements


def generate(folder: Path, files: int, rows: int) -> list[tuple[str, int, str]]:
    """Write the inputs (once) and return the planted bad cells: (file, Excel row, key)."""
    marker = folder / f".done-{files}x{rows}-v2"
    rng = random.Random(134)
    c = default_classifiers()
    columns = c.columns
    planted: list[tuple[str, int, str]] = []
    plans = []
    for file_no in range(files):
        data, requirements = _rows(rng, file_no, rows)
        name = str(folder / f"podrazdelenie_{file_no:03d}.xlsx")
        bad = rng.sample(range(rows * len(CHECKED)), round(BAD_SHARE * rows * len(columns)))
        for cell in bad:
            row, key = divmod(cell, len(CHECKED))
            key = CHECKED[key]
            column = c.column(key)
            data[row][key] = rng.choice(UNLISTED) if column.classifier else ""
            planted.append((name, row + FIRST_ROW, key))
        plans.append((name, data, requirements))
    if marker.exists():
        return planted
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, data, requirements in plans:
        book = xlsxwriter.Workbook(name)
        for sheet_name, spec, table in (
            (c.sheets.data, columns, data),
            (c.sheets.requirements, c.requirement_columns, requirements),
        ):
            sheet = book.add_worksheet(sheet_name)
            for col, column in enumerate(spec):
                sheet.write_string(0, col, column.template_header)
                sheet.write_string(1, col, column.example)
                for offset, row in enumerate(table, start=FIRST_ROW - 1):
                    if row[column.key]:
                        sheet.write_string(offset, col, row[column.key])
        book.close()
    marker.touch()
    return planted


def floor(paths: list[Path], out: Path) -> tuple[float, float, list[list[list]]]:
    """A bare python-calamine read of the files, and one xlsxwriter write of the rows read."""
    sheets = default_classifiers().sheets
    start = time.perf_counter()
    tables = []
    for path in paths:
        book = CalamineWorkbook.from_path(str(path))
        tables.append(book.get_sheet_by_name(sheets.data).to_python())
        book.get_sheet_by_name(sheets.requirements).to_python()
    read = time.perf_counter() - start
    start = time.perf_counter()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    book = xlsxwriter.Workbook(str(out), options)
    sheet = book.add_worksheet(sheets.data)
    for col, value in enumerate(tables[0][0]):
        sheet.write_string(0, col, str(value))
    row = 1
    for table in tables:
        for values in table[2:]:
            for col, value in enumerate(values):
                if value != "":
                    sheet.write_string(row, col, str(value))
            row += 1
    book.close()
    return read, time.perf_counter() - start, tables


def frame_and_report(paths: list[Path], tables, planted) -> tuple[pd.DataFrame, Report]:
    """The frame tpcheck.read would give for the data sheets, and a report of the planted
    cells (what the writers get; the requirement rows are left out here)."""
    c = default_classifiers()
    columns = c.columns
    index = {column.key: i for i, column in enumerate(columns)}
    layout = {column.key: (i, column.template_header) for i, column in enumerate(columns)}
    cells, infos = [], []
    for path, table in zip(paths, tables, strict=True):
        for offset, values in enumerate(table[2:]):
            row = {"source_file": str(path), "source_sheet": c.sheets.data}
            row["source_row"] = offset + FIRST_ROW
            row.update({column.key: (values[i] or None) for i, column in enumerate(columns)})
            cells.append(row)
        infos.append(
            FileInfo(
                path=str(path),
                rows=len(table) - 2,
                format="xlsx",
                sheet=c.sheets.data,
                header_row=1,
                columns=layout,
            )
        )
    frame = normalize(cells, columns, c)
    frame.attrs[CONTEXT_KEY] = ReadContext(c, infos, [], None)
    positions = {
        key: i for i, key in enumerate(zip(frame["source_file"], frame["source_row"], strict=True))
    }
    found = []
    for file, row, key in planted:
        column = columns[index[key]]
        where = {
            "file": file,
            "sheet": c.sheets.data,
            "row": row,
            "column": column.template_header,
            "cell": a1(row, index[key]),
            "field": key,
        }
        if column.classifier:
            value = frame.at[positions[file, row], key + "_raw"]
            lst = c[column.classifier]
            candidates = quote_list(lst.labels[:2])
            found.append(
                issue(
                    "value-not-in-list", value=value, list=lst.title, candidates=candidates, **where
                )
            )
        else:
            found.append(issue("required-missing", **where))
    return frame, Report(found, infos, rows=len(frame))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--workers", type=int, default=None, help="processes to write with")
    parser.add_argument("--whole", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.whole:
        whole(args.whole, args.out)
        return
    data = ROOT / "benchmarks" / "data" / f"merge_{args.files}x{args.rows}"
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, "
        f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.2f}"
    )
    start = time.perf_counter()
    planted = generate(data, args.files, args.rows)
    paths = sorted(data.glob("*.xlsx"))
    print(
        f"inputs: {len(paths)} files × {args.rows} rows, {len(planted)} bad cells "
        f"({time.perf_counter() - start:.1f} s to prepare)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        before = cpu()
        read_s, write_s, tables = floor(paths, tmp / "floor.xlsx")
        floor_s = read_s + write_s
        floor_cpu = cpu() - before
        print(
            f"floor: calamine read {read_s:.2f} s + xlsxwriter write {write_s:.2f} s "
            f"= {floor_s:.2f} s (cpu {floor_cpu:.2f} s)"
        )
        frame, report = frame_and_report(paths, tables, planted)
        for workers in [args.workers] if args.workers else [None, 1]:
            out = tmp / f"out-{workers}"
            before, start = cpu(), time.perf_counter()
            written = write_outputs(frame, report, out, inputs=[data], workers=workers)
            took, used = time.perf_counter() - start, cpu() - before
            label = "auto" if workers is None else workers
            print(
                f"write phase (workers={label}): {took:.2f} s (cpu {used:.2f} s) for "
                f"{len(written)} files, {len(report)} issues — {took / floor_s:.2f} × floor"
            )
        if callable(getattr(tpcheck, "read", None)) and callable(
            getattr(tpcheck, "validate", None)
        ):
            # in a fresh process, as a user runs it (this one holds the floor's and the write
            # phase's data by now)
            command = [sys.executable, __file__, "--whole", str(data), "--out", str(tmp / "merge")]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            took = figures["read_validate"] + figures["write"]
            print(
                f"whole merge (fresh process): read+validate {figures['read_validate']:.2f} s + "
                f"write {figures['write']:.2f} s = {took:.2f} s (cpu {figures['cpu']:.2f} s) — "
                f"{took / floor_s:.2f} × floor (goal ≤ 2)"
            )
            print(f"  issues: {figures['issues']} {figures['by_code']}")
        else:
            print("whole merge: skipped (tpcheck.read / tpcheck.validate are not in this checkout)")


def whole(data: Path, out: Path) -> None:
    """``tpcheck.merge([data]).write(out)``, timed; prints one JSON line."""
    before, start = cpu(), time.perf_counter()
    result = tpcheck.merge([data])
    middle = time.perf_counter()
    result.write(out)
    end = time.perf_counter()
    print(
        json.dumps(
            {
                "read_validate": middle - start,
                "write": end - middle,
                "cpu": cpu() - before,
                "issues": len(result.report),
                "by_code": result.report.summary["by_code"],
            }
        )
    )


if __name__ == "__main__":
    main()
