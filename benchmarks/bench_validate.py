"""Benchmark: validating 100,000 rows against a bare python-calamine read of those rows.

    python benchmarks/bench_validate.py [--files 200] [--rows 500] [--bad 0.02] [--repeat 3]

1. Generates realistic submissions — FILES workbooks × ROWS rows of «Перечень» typed the way clerks
   type (labels, codes, synonyms), plus «Требования п. 4.2» rows for most key touchpoints — with
   about BAD of the «Перечень» cells spoiled (values not in the lists, empty required cells, вид
   contradicting the type, unknown needs, phone lines without a number, repeated touchpoints …);
   writes them with xlsxwriter as the template lays them out (header row 1, example row 2).
2. Reference: a bare python-calamine read of both sheets of every workbook.
3. Builds the frame of the read contract from the cells calamine gave (normalised exactly as
   the reader does, via tests/frames.py) — not timed: that is the reader's work.
4. Times ``tpcheck.validate(frame)`` — interleaved with the reads, best of REPEAT each — and
   prints the ratio to the reference.

Goal (issue 4): validate ≤ the bare calamine read of those rows.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from collections import Counter
from importlib.metadata import version
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tpcheck  # noqa: E402
from tests.frames import frame_from_files  # noqa: E402
from tpcheck.classifiers import default_classifiers  # noqa: E402

C = default_classifiers()
SPEC = C.columns
REQ_SPEC = C.requirement_columns

_PLACES = {
    "url": ["https://dchs.kuzbass.ru/{slug}", "www.kuzbass-mchs.ru/{slug}", "https://t.me/{slug}"],
    "phone": ["+7 (384) 258-{a:02d}-{b:02d}", "8-800-100-{a:02d}-{b:02d}", "{a:02d}-{b:02d}-11"],
    "email": ["{slug}@dchs.kuzbass.ru", "priem.{slug}@mail.ru"],
    None: ["г. Кемерово, пр. Советский, {a}, каб. {b}", "по месту нахождения учреждения", ""],
}
_TOUCHPOINT_NAMES = {
    "site": "Официальный сайт Департамента",
    "portal": "Портал государственных услуг",
    "app": "Мобильное приложение «Кузбасс-112»",
    "social": "Telegram-канал Департамента",
    "bot": "Чат-бот в VK",
    "voice": "Голосовой помощник единой дежурной службы",
    "phone": "Телефон приемной",
    "email": "Электронная почта отдела",
    "letter": "Письменное обращение",
    "reception": "Личный прием граждан",
    "one_window": "МФЦ «Мои документы»",
    "long_stay": "Учебный центр",
    "api": "СМЭВ",
    "other": "Информационный стенд",
}


def _spelling(rng: random.Random, entry) -> str:
    """How a clerk types a classifier value: mostly the label, sometimes a code or synonym."""
    roll = rng.random()
    if roll < 0.7 or not entry.synonyms:
        text = entry.label
    elif roll < 0.85 and entry.code.isdigit():
        text = entry.code
    else:
        text = rng.choice(entry.synonyms)
    return text.capitalize() if rng.random() < 0.2 else text


def _good_row(rng: random.Random, subdivision: str, activity: str, direction, type_entry, k: int):
    channels = C["channel"]
    channel = type_entry.get("channel")
    channel_entry = rng.choice(list(channels)) if channel == "any" else channels.by_code(channel)
    clients = [C["client"].by_code(c) for c in direction.get("clients", ())] or list(C["client"])
    needs = rng.sample([e for e in C["need"] if not e.get("other")], rng.randint(1, 4))
    place = rng.choice(_PLACES[type_entry.get("location")])
    slug = f"s{k}"
    basis = rng.choice(list(C["basis_kind"]))
    return {
        "number": str(k),
        "direction": _spelling(rng, direction),
        "activity": activity,
        "activity_kind": _spelling(rng, rng.choice(list(C["activity_kind"]))),
        "client": _spelling(rng, rng.choice(clients)),
        "touchpoint": f"{_TOUCHPOINT_NAMES[type_entry.code]} ({subdivision})",
        "touchpoint_type": _spelling(rng, type_entry),
        "channel": _spelling(rng, channel_entry),
        "location": place.format(slug=slug, a=k % 100, b=(k * 7) % 100) or None,
        "needs": "; ".join(
            e.code if rng.random() < 0.4 else e.label for e in sorted(needs, key=lambda e: e.code)
        ),
        "procedure": "Прием обращений в рабочие дни с 9:00 до 18:00; ответ в течение 30 дней",
        "basis_kind": _spelling(rng, basis),
        "basis": "Федеральный закон № 59-ФЗ" if basis.get("needs_requisites") else None,
        "operator": _spelling(rng, rng.choice(list(C["operator"]))),
        "subdivision": subdivision,
        "demand_tracked": rng.choice(["да", "нет", None]),
        "note": "Стенд в холле здания" if type_entry.get("other") else None,
    }


def _spoil(rng: random.Random, row: dict, cells: int) -> int:
    """Spoil about *cells* cells of *row* the ways clerks do; return how many were spoiled."""
    spoiled = 0
    for _ in range(cells):
        how = rng.randrange(9)
        if how == 0:
            row["direction"] = "предоставление государственых услуг и сервисов"
        elif how == 1:
            row[rng.choice(["activity", "procedure", "subdivision"])] = None
        elif how == 2:
            row["needs"] = (row["needs"] or "") + "; выдача справок"
        elif how == 3:
            row["channel"] = "оффлайн" if "цифров" in str(row["channel"]) else "цифровая"
        elif how == 4:
            row["location"] = "уточняется"
        elif how == 5:
            row["basis_kind"], row["basis"] = "нормативный правовой акт", None
        elif how == 6:
            row["client"] = "население"
        elif how == 7:
            row["activity_kind"] = "процесс"
        else:
            row["needs"] = (row["needs"] or "") + "; другие"
            row["note"] = None
        spoiled += 1
    return spoiled


def make_submissions(files: int, rows: int, bad: float, seed: int = 134):
    """file name → «Перечень» rows, file name → «Требования п. 4.2» rows, the numbers of spoiled
    «Перечень» cells and requirement values."""
    rng = random.Random(seed)
    types = list(C["touchpoint_type"])
    directions = list(C["direction"])
    requirements_by_group: dict[str, list] = {}
    for entry in C["requirement"]:
        requirements_by_group.setdefault(entry.get("group"), []).append(entry)
    data, requirements, spoiled, spoiled_requirements = {}, {}, 0, 0
    per_row_bad = bad * len(SPEC)
    for f in range(files):
        subdivision = f"Отдел № {f + 1} управления гражданской защиты"
        path = f"submissions/{f:03d}_otdel.xlsx"
        file_rows, file_requirements = [], []
        k = 0
        while k < rows:
            direction = rng.choice(directions)
            activity = f"Процесс {f}-{k}: прием и рассмотрение заявлений о выдаче разрешений"
            shared = k == 0  # every subdivision also lists the Department's site for one process
            if shared:
                direction, activity = directions[4], "Информирование населения о деятельности"
            for type_entry in rng.sample(types, min(rng.randint(3, 8), rows - k)):
                k += 1
                row = _good_row(rng, subdivision, activity, direction, type_entry, k)
                if shared and type_entry.code == "site":
                    row["touchpoint"] = _TOUCHPOINT_NAMES["site"]
                groups = type_entry.get("requirements", ())
                if groups and rng.random() < 0.8:
                    pool = [e for g in groups for e in requirements_by_group[g]]
                    for entry in rng.sample(pool, min(len(pool), rng.randint(1, 3))):
                        limit = int(entry.get("limit") or 0)
                        if entry.get("kind") == "number":
                            value = f"{rng.randint(0, limit)} {entry.get('unit')}"
                        else:
                            value = rng.choice(["да", "Да", "+"])
                        if rng.random() < bad:  # not met, beyond the limit, not a value
                            value = rng.choice(["нет", str(limit + 1), "частично"])
                            spoiled_requirements += 1
                        file_requirements.append(
                            {"row_ref": str(k), "requirement": entry.label, "value": value}
                        )
                n = int(per_row_bad) + (rng.random() < per_row_bad - int(per_row_bad))
                spoiled += _spoil(rng, row, n)
                file_rows.append(row)
        if file_rows and rng.random() < 0.5:  # the last row repeats the first touchpoint
            last = file_rows.pop()
            file_rows.append(dict(file_rows[0], number=last["number"]))
            file_requirements = [r for r in file_requirements if r["row_ref"] != last["number"]]
        data[path] = file_rows
        requirements[path] = file_requirements
    return data, requirements, spoiled, spoiled_requirements


def write_workbooks(folder: Path, data: dict, requirements: dict) -> list[Path]:
    paths = []
    for name, rows in data.items():
        path = folder / Path(name).name
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        for sheet_name, spec, sheet_rows in (
            (C.sheets.data, SPEC, rows),
            (C.sheets.requirements, REQ_SPEC, requirements[name]),
        ):
            sheet = book.add_worksheet(sheet_name)
            for c, column in enumerate(spec):
                sheet.write_string(0, c, column.template_header)
                sheet.write_string(1, c, column.example or C.sheets.example_marker)
            for r, row in enumerate(sheet_rows, start=2):
                for c, column in enumerate(spec):
                    value = row.get(column.key)
                    if value is not None:
                        sheet.write_string(r, c, value)
        book.close()
        paths.append(path)
    return paths


def calamine_read(paths: list[Path]) -> list[tuple[list, list]]:
    out = []
    for path in paths:
        book = CalamineWorkbook.from_path(str(path))
        out.append(
            (
                book.get_sheet_by_name(C.sheets.data).to_python(),
                book.get_sheet_by_name(C.sheets.requirements).to_python(),
            )
        )
    return out


def frame_from_cells(paths: list[Path], sheets: list[tuple[list, list]]):
    """The frame of the read contract from calamine's cells (header row 1, example row 2)."""
    files, requirements = {}, {}
    for path, (data, reqs) in zip(paths, sheets, strict=True):
        files[path.name] = [
            {c.key: (v if v != "" else None) for c, v in zip(SPEC, row, strict=False)}
            for row in data[2:]
        ]
        requirements[path.name] = [
            {c.key: (v if v != "" else None) for c, v in zip(REQ_SPEC, row, strict=False)}
            for row in reqs[2:]
        ]
    return frame_from_files(files, requirements)


def best(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    packages = ", ".join(
        f"{p} {version(p)}" for p in ("pandas", "pandera", "numpy", "python-calamine")
    )
    return f"nproc {os.cpu_count()}, {cpu}, Python {platform.python_version()}, {packages}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--bad", type=float, default=0.02)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(machine())
    data, requirements, spoiled, spoiled_requirements = make_submissions(
        args.files, args.rows, args.bad
    )
    rows = sum(len(r) for r in data.values())
    req_rows = sum(len(r) for r in requirements.values())
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        paths = write_workbooks(Path(tmp), data, requirements)
        print(
            f"wrote {len(paths)} workbooks: {rows} «Перечень» rows × {len(SPEC)} columns "
            f"({spoiled} spoiled cells, {spoiled / (rows * len(SPEC)):.1%}), "
            f"{req_rows} «Требования п. 4.2» rows ({spoiled_requirements} spoiled values) "
            f"in {time.perf_counter() - start:.1f} s"
        )
        sheets = calamine_read(paths)
        start = time.perf_counter()
        frame = frame_from_cells(paths, sheets)
        print(f"frame built (normalised as the reader does) in {time.perf_counter() - start:.1f} s")
        # Interleaved, so that both see the same load of the machine; best of REPEAT each.
        read_times, validate_times = [], []
        for _ in range(args.repeat):
            read_times.append(best(lambda: calamine_read(paths), 1)[0])
            elapsed, report = best(lambda: tpcheck.validate(frame), 1)
            validate_times.append(elapsed)
    read_time, validate_time = min(read_times), min(validate_times)
    counts = Counter(i.code for i in report.records)
    print(f"issues: {len(report)} ({report.summary['errors']} errors)")
    for code, count in counts.most_common():
        print(f"  {code:28} {count}")
    print(f"bare python-calamine read: {read_time:.2f} s")
    print(f"tpcheck.validate:          {validate_time:.2f} s")
    print(f"ratio validate / read:     {validate_time / read_time:.2f} (goal ≤ 1)")
    print(
        "all runs (read / validate): "
        + ", ".join(f"{r:.2f}/{v:.2f}" for r, v in zip(read_times, validate_times, strict=True))
    )


if __name__ == "__main__":
    main()
