"""Benchmark of the outputs of ``tpcheck merge``: 200 workbooks × 300 rows, 2 % bad cells.

    python benchmarks/bench_merge.py [--files 200] [--rows 300] [--workers N]

Measures, in one process:
  floor  — a bare python-calamine read of the files + one xlsxwriter write of the rows read;
  write  — tpcheck's writing phase: every output (consolidated workbook, error report as xlsx /
           csv / html / json, a return copy per file) for a frame and a report built from the
           same files (the frame by tpcheck.normalize, the report from the planted bad cells);
  merge  — the whole ``tpcheck.merge(...)`` + ``result.write(...)``, when tpcheck.read and
           tpcheck.validate are available in this checkout.
Goal: merge ≤ 2 × floor. The inputs are generated once into benchmarks/data/ (gitignored).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
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
from tpcheck.classifiers import default_classifiers  # noqa: E402
from tpcheck.findings import FileInfo, Report, issue, quote_list  # noqa: E402
from tpcheck.frame import CONTEXT_KEY, ReadContext  # noqa: E402
from tpcheck.normalize import normalize  # noqa: E402
from tpcheck.write import write_outputs  # noqa: E402

BAD_SHARE = 0.02
FIRST_ROW = 3  # header in row 1, the template's example in row 2
CHECKED = (
    "direction activity activity_kind client touchpoint touchpoint_type channel needs "
    "procedure basis_kind operator subdivision demand_tracked"
).split()
UNLISTED = ["онлайн-оффлайн", "прочее", "смешанный", "уточняется", "н/д", "см. примечание"]


def _rows(rng: random.Random, file_no: int, count: int) -> list[dict[str, str]]:
    c = default_classifiers()
    types = list(c["touchpoint_type"])
    channels = {e.code: e.label for e in c["channel"]}
    needs = c["need"].labels
    rows = []
    for n in range(count):
        kind = rng.choice(types)
        channel = kind.get("channel")
        channel = channels.get(channel) or rng.choice(list(channels.values()))
        rows.append(
            {
                "number": str(n + 1),
                "direction": rng.choice(c["direction"].labels),
                "activity": f"Процесс {file_no}-{n // 5}: {rng.choice(['прием', 'выдача', 'консультирование', 'контроль'])} по вопросам ГО и ЧС",
                "activity_kind": rng.choice(c["activity_kind"].labels),
                "client": rng.choice(c["client"].labels),
                "touchpoint": f"{kind.label.split(',')[0].capitalize()} № {n % 17 + 1}",
                "touchpoint_type": kind.label,
                "channel": channel,
                "location": rng.choice(
                    [
                        "https://dchs.kuzbass.ru",
                        "8 (3842) 58-00-00",
                        "г. Кемерово, пр. Советский, 60",
                        "info@dchs.kuzbass.ru",
                    ]
                ),
                "needs": "; ".join(rng.sample(needs[:9], rng.randint(1, 3))),
                "procedure": f"Прием в рабочие дни с 9:00 до 18:00; ответ в течение {rng.randint(1, 30)} дней",
                "basis_kind": rng.choice(c["basis_kind"].labels[:3]),
                "basis": f"Приказ Департамента от 01.0{rng.randint(1, 9)}.2024 № {rng.randint(1, 300)}",
                "operator": rng.choice(c["operator"].labels),
                "subdivision": f"Подразделение № {file_no}",
                "demand_tracked": rng.choice(["да", "нет"]),
                "note": "" if rng.random() < 0.8 else "Примечание к строке",
            }
        )
    return rows


def generate(folder: Path, files: int, rows: int) -> list[tuple[str, int, str]]:
    """Write the inputs (once) and return the planted bad cells: (file, excel row, key)."""
    marker = folder / f".done-{files}x{rows}"
    rng = random.Random(134)
    columns = default_classifiers().columns
    keys = [c.key for c in columns]
    planted: list[tuple[str, int, str]] = []
    plans = []
    for file_no in range(files):
        data = _rows(rng, file_no, rows)
        bad = rng.sample(range(rows * len(CHECKED)), round(BAD_SHARE * rows * len(keys)))
        for cell in bad:
            row, key = divmod(cell, len(CHECKED))
            key = CHECKED[key]
            column = next(c for c in columns if c.key == key)
            data[row][key] = rng.choice(UNLISTED) if column.classifier else ""
            planted.append(
                (str(folder / f"podrazdelenie_{file_no:03d}.xlsx"), row + FIRST_ROW, key)
            )
        plans.append(data)
    if marker.exists():
        return planted
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for file_no, data in enumerate(plans):
        book = xlsxwriter.Workbook(str(folder / f"podrazdelenie_{file_no:03d}.xlsx"))
        sheet = book.add_worksheet("Перечень")
        for col, column in enumerate(columns):
            sheet.write_string(0, col, column.template_header)
            sheet.write_string(1, col, column.example)
            for offset, row in enumerate(data, start=FIRST_ROW - 1):
                if row[column.key]:
                    sheet.write_string(offset, col, row[column.key])
        book.close()
    marker.touch()
    return planted


def floor(paths: list[Path], out: Path) -> tuple[float, float, list[list[list]]]:
    """A bare python-calamine read, and one xlsxwriter write of the rows read."""
    start = time.perf_counter()
    tables = [
        CalamineWorkbook.from_path(str(p)).get_sheet_by_name("Перечень").to_python() for p in paths
    ]
    read = time.perf_counter() - start
    start = time.perf_counter()
    book = xlsxwriter.Workbook(
        str(out),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    sheet = book.add_worksheet("Перечень")
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
    """The frame tpcheck.read would give for these files, and a report of the planted cells."""
    c = default_classifiers()
    columns = c.columns
    index = {col.key: i for i, col in enumerate(columns)}
    cells, infos = [], []
    for path, table in zip(paths, tables, strict=True):
        for offset, values in enumerate(table[2:]):
            row = {
                "source_file": str(path),
                "source_sheet": "Перечень",
                "source_row": offset + FIRST_ROW,
            }
            row.update({col.key: (values[i] or None) for i, col in enumerate(columns)})
            cells.append(row)
        layout = {col.key: (i, col.template_header) for i, col in enumerate(columns)}
        infos.append(
            FileInfo(
                path=str(path),
                rows=len(table) - 2,
                format="xlsx",
                sheet="Перечень",
                header_row=1,
                columns=layout,
            )
        )
    frame = normalize(cells, columns, c)
    frame.attrs[CONTEXT_KEY] = ReadContext(c, infos, [], None)
    found = []
    raw = {
        (f, r): i
        for i, (f, r) in enumerate(zip(frame["source_file"], frame["source_row"], strict=True))
    }
    for file, row, key in planted:
        column = columns[index[key]]
        where = dict(
            file=file,
            sheet="Перечень",
            row=row,
            column=column.template_header,
            cell=tpcheck.cells.a1(row, index[key]),
            field=key,
        )
        if column.classifier:
            value = frame.at[raw[file, row], key + "_raw"]
            lst = c[column.classifier]
            found.append(
                issue(
                    "value-not-in-list",
                    value=value,
                    list=lst.title,
                    candidates=quote_list(lst.labels[:2]),
                    **where,
                )
            )
        else:
            found.append(issue("required-missing", **where))
    return frame, Report(found, infos, rows=len(frame))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--workers", type=int, default=None, help="processes for the return copies")
    args = parser.parse_args()
    data = ROOT / "benchmarks" / "data" / f"merge_{args.files}x{args.rows}"
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}"
    )
    start = time.perf_counter()
    planted = generate(data, args.files, args.rows)
    paths = sorted(data.glob("*.xlsx"))
    print(
        f"inputs: {len(paths)} files × {args.rows} rows, {len(planted)} bad cells ({time.perf_counter() - start:.1f} s to prepare)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        read_s, write_s, tables = floor(paths, tmp / "floor.xlsx")
        floor_s = read_s + write_s
        print(
            f"floor: calamine read {read_s:.2f} s + xlsxwriter write {write_s:.2f} s = {floor_s:.2f} s"
        )
        frame, report = frame_and_report(paths, tables, planted)
        for workers in [args.workers] if args.workers else [None, 1]:
            out = tmp / f"out-{workers}"
            start = time.perf_counter()
            written = write_outputs(frame, report, out, inputs=[data], workers=workers)
            took = time.perf_counter() - start
            label = "auto" if workers is None else workers
            print(
                f"write phase (workers={label}): {took:.2f} s for {len(written)} files, {len(report)} issues — {took / floor_s:.2f} × floor, {took / write_s:.2f} × floor write"
            )
        if callable(getattr(tpcheck, "read", None)) and callable(
            getattr(tpcheck, "validate", None)
        ):
            start = time.perf_counter()
            result = tpcheck.merge([data])
            middle = time.perf_counter()
            result.write(tmp / "merge")
            took = time.perf_counter() - start
            print(
                f"whole merge: read+validate {middle - start:.2f} s + write {time.perf_counter() - middle:.2f} s = {took:.2f} s — {took / floor_s:.2f} × floor (goal ≤ 2)"
            )
            print(f"  issues: {len(result.report)} ({result.report.summary['by_code']})")
        else:
            print("whole merge: skipped (tpcheck.read / tpcheck.validate are not in this checkout)")


if __name__ == "__main__":
    main()
