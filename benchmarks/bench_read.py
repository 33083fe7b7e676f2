"""Benchmark of the reader: ``tpcheck.read`` against a bare python-calamine read of the same files.

    python benchmarks/bench_read.py [--files 200] [--rows 300] [--repeat 3]

Generates FILES workbooks of ROWS data rows in the template's layout (xlsxwriter) into
benchmarks/data/ (gitignored; reused when already there), then times, in this one process:

* bare: for each file ``CalamineWorkbook.from_path(f)``, then
  ``get_sheet_by_name(name).to_python()`` for «Перечень» and, when the workbook has it,
  «Требования п. 4.2» — the sheets tpcheck.read must read too (as the floor of
  benchmarks/run.py does);
* tpcheck.read(folder): package checks, worker processes, header mapping, rows, normalisation.

Each is run REPEAT times, in turn; the best time of each is compared. The goal (issue 3) is a
ratio of at most 1.5.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from importlib.metadata import version
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import python_calamine  # noqa: E402

import tpcheck  # noqa: E402
from tpcheck.classifiers import default_classifiers  # noqa: E402

DATA = ROOT / "benchmarks" / "data"


def _value(column, rnd: random.Random, row: int, classifiers) -> str:
    if column.key == "number":
        return str(row + 1)
    if column.classifier == "need":
        labels = classifiers["need"].labels
        picked = rnd.sample(labels, rnd.randint(1, 3))
        return (
            "; ".join(picked)
            if rnd.random() < 0.8
            else ", ".join(str(labels.index(label) + 1) for label in picked)
        )
    if column.classifier:
        entries = classifiers[column.classifier].entries
        entry = rnd.choice(entries)
        return entry.label if rnd.random() < 0.9 else entry.label.upper()
    words = {
        "activity": "Рассмотрение обращений граждан по вопросам",
        "touchpoint": "Горячая линия Департамента",
        "location": "г. Кемерово, пр. Советский, 60, каб.",
        "procedure": "Прием по вторникам с 10:00 до 12:00; ответ в течение 30 дней, строка",
        "basis": "Федеральный закон от 02.05.2006 № 59-ФЗ, пункт",
        "subdivision": "Отдел",
        "note": "",
    }
    base = words.get(column.key, column.key)
    return f"{base} {rnd.randint(1, 500)}" if base else ""


def generate(count: int, rows: int) -> list[Path]:
    classifiers = default_classifiers()
    columns = classifiers.columns
    DATA.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = DATA / f"perechen_{index:03d}_{rows}.xlsx"
        paths.append(path)
        if path.exists():
            continue
        rnd = random.Random(index)
        book = xlsxwriter.Workbook(path)
        sheet = book.add_worksheet(classifiers.sheets.data)
        for col, column in enumerate(columns):
            sheet.write_string(0, col, column.template_header)
            sheet.write_string(1, col, column.example)
        subdivision = f"Отдел № {index}"
        for row in range(rows):
            for col, column in enumerate(columns):
                value = _value(column, rnd, row, classifiers)
                if column.key == "subdivision":
                    value = subdivision
                if value:
                    sheet.write_string(row + 2, col, value)
        requirements = book.add_worksheet(classifiers.sheets.requirements)
        for col, column in enumerate(classifiers.requirement_columns):
            requirements.write_string(0, col, column.template_header)
        labels = classifiers["requirement"].labels
        for row in range(10):
            requirements.write_row(row + 1, 0, [str(row + 1), rnd.choice(labels), "да", ""])
        book.add_worksheet(classifiers.sheets.instructions).write_string(0, 0, "Как заполнить")
        lists = book.add_worksheet(classifiers.sheets.lists)
        lists.write_column(0, 0, classifiers["direction"].labels)
        lists.hide()
        book.close()
    return paths


def bare(paths: list[Path], sheets: tuple[str, ...]) -> int:
    """Rows of the *sheets* (those each workbook has) of every file, read by python-calamine."""
    rows = 0
    for path in paths:
        book = python_calamine.CalamineWorkbook.from_path(path)
        names = book.sheet_names
        for sheet in sheets:
            if sheet in names:
                rows += len(book.get_sheet_by_name(sheet).to_python())
    return rows


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the reader's workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def best(functions: list, repeat: int) -> list[tuple[float, float, object]]:
    """Best wall-clock time, best CPU time and the result of REPEAT runs of each of
    *functions*, run in turn (one round runs each once), so that a change in the load of the
    machine during the benchmark weighs on all of them alike."""
    walls: list[list[float]] = [[] for _ in functions]
    cpus: list[list[float]] = [[] for _ in functions]
    results: list[object] = [None] * len(functions)
    for _ in range(repeat):
        for index, function in enumerate(functions):
            start, cpu = time.perf_counter(), _cpu()
            results[index] = function()
            walls[index].append(time.perf_counter() - start)
            cpus[index].append(_cpu() - cpu)
    return [(min(w), min(c), r) for w, c, r in zip(walls, cpus, results, strict=True)]


def _load() -> float:
    """The load average of the last minute (NaN where the platform has none)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    paths = generate(args.files, args.rows)
    names = default_classifiers().sheets
    sheets = (names.data, names.requirements)
    tpcheck.read(paths[:2])  # warm up imports and caches in this process
    load_before = _load()
    (bare_time, bare_cpu, bare_rows), (read_time, read_cpu, frame) = best(
        [lambda: bare(paths, sheets), lambda: tpcheck.read(paths)], args.repeat
    )
    print(
        f"machine: {os.cpu_count()} CPU, {cpu_model()}, "
        f"load {load_before:.1f} before, {_load():.1f} after; "
        f"Python {platform.python_version()}, python-calamine {version('python-calamine')}, "
        f"pandas {version('pandas')}"
    )
    print(f"files: {len(paths)} × {args.rows} rows (best of {args.repeat})")
    print(
        f"bare python-calamine read: {bare_time:.3f} s wall, {bare_cpu:.3f} s CPU "
        f"({bare_rows} sheet rows)"
    )
    print(
        f"tpcheck.read:              {read_time:.3f} s wall, {read_cpu:.3f} s CPU "
        f"({len(frame)} data rows)"
    )
    print(f"ratio: {read_time / bare_time:.2f} wall (goal ≤ 1.5), {read_cpu / bare_cpu:.2f} CPU")


if __name__ == "__main__":
    main()
