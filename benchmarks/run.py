"""Benchmarks of tpcheck against the floor and the hand-written stack (issue 7).

    python benchmarks/run.py [--quick] [--data DIR] [--out DIR] [--no-write]

Generates scaled inputs (10 × 300, 200 × 300 and 1,000 × 100 workbooks × rows, about 2 % bad
cells) into benchmarks/data/ and measures, each pipeline in a fresh process (so that its peak
memory — RSS, C allocations included — is its own):

* floor — a bare python-calamine read of the data sheets plus one xlsxwriter write of the same
  consolidated rows, set as a careful writer of untrusted text sets it (no formula or URL test,
  ``write_string`` per cell);
* hand — what a user would write by hand: pandas.read_excel(engine="openpyxl"), the pandera schema
  (tpcheck's own when tpcheck.validation.schema has one, else an equivalent schema from the same
  classifiers), openpyxl writing the consolidated rows (DataFrame.to_excel);
* tpcheck — its phases: tpcheck.read, tpcheck.validate, Result.write (every output, return copies
  included);
* merge — the whole job, ``tpcheck.merge(paths).write(dir)``;
* remerge — (200 files and more) the merge again with a cache after 3 of the files changed.

Prints one table (seconds and CPU seconds, ratios to the floor and to the hand stack, rows per
second, peak RSS, load) and the goals of issues 3–7 and 19, each in wall time and in CPU; a full
run also writes BENCHMARKS.md. Stages of tpcheck that do not
exist yet are skipped with a note.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import runpy
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tpcheck.classifiers import default_classifiers  # noqa: E402

C = default_classifiers()
KEYS = [column.key for column in C.columns]
HEADERS = [column.template_header for column in C.columns]
REQUIREMENT_HEADERS = [column.template_header for column in C.requirement_columns]
DATA, REQS = C.sheets.data, C.sheets.requirements

FULL = [(10, 300), (200, 300), (1000, 100)]
QUICK = [(3, 20)]
BAD_SHARE = 0.02
SEED = 134
#: The version of how the rows are made; inputs made by another are made again. 2: a service's
#: touchpoints share its name (before, every row was a service of its own, one touchpoint each —
#: so every row drew a п. 3.8 warning once those were checked).
LAYOUT = 2
GiB = 1024**3
PIPELINES = ("floor", "hand", "tpcheck", "merge", "remerge")
#: Scenarios where the re-merge runs (it needs enough files for CHANGED_FILES of them to be few).
REMERGE_FROM_FILES = 100
MUNICIPALITIES = (
    "Кемеровский", "Новокузнецкий", "Прокопьевский", "Беловский", "Ленинск-Кузнецкий",
    "Междуреченский", "Юргинский", "Анжеро-Судженский", "Киселевский", "Мариинский",
    "Таштагольский", "Топкинский", "Яшкинский", "Промышленновский", "Гурьевский", "Тисульский",
)  # fmt: skip


# ------------------------------------------------------------------------------ inputs


def _pool() -> list[tuple[list[str], list[tuple[str, str, str]]]]:
    """Valid rows to draw from: the samples' touchpoints without their planted mistakes, as
    (cells in template order, requirement rows (requirement label, value, comment))."""
    samples = runpy.run_path(str(ROOT / "samples" / "make_samples.py"), run_name="pool")
    planted = samples["Planted"]
    pool = []
    for submission in samples["SUBMISSIONS"]:
        for point in submission.touchpoints:
            values = [*point.cells.values(), *(v for _, v, _ in point.requirements or [])]
            if point.flag or any(isinstance(v, planted) for v in values):
                continue
            cells = dict(point.cells, subdivision=submission.sender)
            requirements = [
                (C["requirement"].by_code(code).label, str(value), comment)
                for code, value, comment in samples["_requirement_rows"](point)
            ]
            pool.append(([str(cells.get(key) or "") for key in KEYS], requirements))
    return pool


def _spoil(cells: list[str], rng: random.Random) -> None:
    """Make one cell bad the way clerks do: a typo in a list value, a required cell left
    empty, the вид of a site or a letter turned round."""
    kind = rng.choice(("typo", "empty", "channel"))
    if kind == "typo":
        index = rng.choice([i for i, c in enumerate(C.columns) if c.classifier and cells[i]])
        text = cells[index]
        at = rng.randrange(len(text))
        cells[index] = text[:at] + "ъ" + text[at + 1 :]
    elif kind == "empty":
        index = rng.choice([i for i, c in enumerate(C.columns) if c.required])
        cells[index] = ""
    else:
        index = KEYS.index("channel")
        digital, offline = C["channel"].labels
        cells[index] = offline if cells[index] != offline else digital


def _write_workbook(job: tuple[Path, int, int, int]) -> int:
    """One subdivision's workbook of *rows* rows; returns the bad cells planted."""
    import xlsxwriter

    path, file_no, rows, seed = job
    rng = random.Random(seed * 100_003 + file_no)
    pool = POOL
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet(DATA)
    requirements = book.add_worksheet(REQS)
    sheet.write_row(0, 0, HEADERS)
    requirements.write_row(0, 0, REQUIREMENT_HEADERS)
    bad = 0
    requirement_row = 1
    cells_per_row = len(KEYS)
    for index in range(rows):
        cells, reqs = pool[(file_no + index) % len(pool)]
        cells = list(cells)
        cells[KEYS.index("number")] = str(index + 1)
        # a service keeps its touchpoints together, as in the samples (the pool lists them
        # service by service): its name is the same for one pass through the pool of a file
        cycle = (file_no + index) // len(pool)
        place = MUNICIPALITIES[(file_no + cycle) % len(MUNICIPALITIES)]
        cells[KEYS.index("activity")] += f" ({place} округ, участок {file_no}-{cycle + 1})"
        for _ in range(cells_per_row):
            if rng.random() < BAD_SHARE:
                _spoil(cells, rng)
                bad += 1
        sheet.write_row(index + 1, 0, cells)
        for requirement in reqs:
            requirements.write_row(requirement_row, 0, [str(index + 1), *requirement])
            requirement_row += 1
    book.close()
    return bad


POOL: list = []


def _init_pool(pool: list) -> None:
    global POOL
    POOL = pool


def generate(folder: Path, files: int, rows: int) -> tuple[list[Path], int]:
    """The inputs of one scenario in *folder* (reused when already made with these settings)."""
    stamp = folder / "manifest.json"
    settings = {
        "files": files,
        "rows": rows,
        "bad_share": BAD_SHARE,
        "seed": SEED,
        "layout": LAYOUT,
    }
    paths = [folder / f"podrazdelenie_{n:04d}.xlsx" for n in range(1, files + 1)]
    if stamp.exists():
        manifest = json.loads(stamp.read_text(encoding="utf-8"))
        if manifest.get("settings") == settings and all(p.exists() for p in paths):
            return paths, manifest["bad_cells"]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    pool = _pool()
    jobs = [(path, n, rows, SEED) for n, path in enumerate(paths, start=1)]
    if files >= 20:
        with ProcessPoolExecutor(initializer=_init_pool, initargs=(pool,)) as executor:
            bad = sum(executor.map(_write_workbook, jobs, chunksize=16))
    else:
        _init_pool(pool)
        bad = sum(map(_write_workbook, jobs))
    stamp.write_text(json.dumps({"settings": settings, "bad_cells": bad}), encoding="utf-8")
    return paths, bad


# ------------------------------------------------------------------------------ workers


#: CPU seconds of each phase timed in this (worker) process, its finished children included.
CPU_SECONDS: dict[str, float] = {}


def _cpu() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(phases: dict[str, float], name: str, function, *args, **kwargs):
    start, cpu = time.perf_counter(), _cpu()
    result = function(*args, **kwargs)
    phases[name] = time.perf_counter() - start
    CPU_SECONDS[name] = _cpu() - cpu
    return result


def work_floor(paths: list[Path], out: Path) -> dict[str, Any]:
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    def read() -> list[list]:
        rows = []
        for path in paths:
            book = CalamineWorkbook.from_path(str(path))
            data = book.get_sheet_by_name(DATA).to_python()
            book.get_sheet_by_name(REQS).to_python()
            rows += [[path.name, DATA, number, *row] for number, row in enumerate(data[1:], 2)]
        return rows

    def write(rows: list[list]) -> None:
        # as a careful writer of untrusted text sets xlsxwriter (and as tpcheck's writers do):
        # no string is tested for a formula, a URL or a number; each cell is a plain string
        options = {"strings_to_formulas": False, "strings_to_urls": False}
        book = xlsxwriter.Workbook(out / "floor.xlsx", options)
        sheet = book.add_worksheet(DATA)
        write_string, write_number = sheet.write_string, sheet.write_number
        for col, header in enumerate(["source_file", "source_sheet", "source_row", *HEADERS]):
            write_string(0, col, header)
        for index, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if type(value) is str:
                    if value:
                        write_string(index, col, value)
                elif value is not None:
                    write_number(index, col, value)
        book.close()

    phases: dict[str, float] = {}
    rows = _timed(phases, "read", read)
    _timed(phases, "write", write, rows)
    return {"phases": phases, "rows": len(rows)}


def _hand_schema():
    """tpcheck's own pandera schema when tpcheck.validation.schema has one, else the rules built
    by hand from the classifiers (required, lists, the needs list, lengths)."""
    import pandera.pandas as pa

    try:
        from tpcheck.validation import schema as module
    except ImportError:
        module = None
    for name in ("build_schema", "frame_schema", "make_schema", "schema"):
        builder = getattr(module, name, None)
        if callable(builder):
            try:
                made = builder(C)
            except Exception:
                continue
            if isinstance(made, pa.DataFrameSchema):
                return made, f"tpcheck.validation.schema.{name}"
    columns = {}
    for column in C.columns:
        if column.classifier and column.multi:
            labels = set(C[column.classifier].labels)
            checks = [
                pa.Check(
                    lambda items, labels=labels: all(item in labels for item in items),
                    element_wise=True,
                )
            ]
        else:
            checks = [pa.Check.str_length(max_value=column.max_length)]
            if column.classifier:
                checks.append(pa.Check.isin(C[column.classifier].labels))
        columns[column.key] = pa.Column(
            object, checks, nullable=not column.required, required=False
        )
    return pa.DataFrameSchema(columns, strict=False), "hand schema from the classifiers"


def work_hand(paths: list[Path], out: Path) -> dict[str, Any]:
    import pandas as pd
    import pandera.errors

    header_to_key = dict(zip(HEADERS, KEYS, strict=True))

    def read():
        frames = []
        for path in paths:
            frame = pd.read_excel(path, sheet_name=DATA, engine="openpyxl", dtype=str)
            frame = frame.rename(columns=header_to_key)
            frame.insert(0, "source_file", path.name)
            frames.append(frame)
        frame = pd.concat(frames, ignore_index=True)
        frame["needs"] = frame["needs"].map(
            lambda text: [] if pd.isna(text) else [p.strip() for p in str(text).split(";")]
        )
        return frame

    schema, schema_name = _hand_schema()

    def validate(frame) -> int:
        try:
            schema.validate(frame, lazy=True)
        except pandera.errors.SchemaErrors as errors:
            return len(errors.failure_cases)
        return 0

    def write(frame) -> None:
        frame = frame.assign(needs=frame["needs"].map("; ".join))
        frame.to_excel(out / "hand.xlsx", sheet_name=DATA, engine="openpyxl", index=False)

    phases: dict[str, float] = {}
    frame = _timed(phases, "read", read)
    failures = _timed(phases, "validate", validate, frame)
    _timed(phases, "write", write, frame)
    return {"phases": phases, "rows": len(frame), "failures": failures, "schema": schema_name}


def work_tpcheck(paths: list[Path], out: Path) -> dict[str, Any]:
    import tpcheck

    phases: dict[str, float] = {}
    result: dict[str, Any] = {"phases": phases}
    read = getattr(tpcheck, "read", None)
    if read is None:
        result["note"] = "tpcheck.read is missing"
        return result
    frame = _timed(phases, "read", read, paths)
    result["rows"] = len(frame)
    validate = getattr(tpcheck, "validate", None)
    if validate is not None:
        report = _timed(phases, "validate", validate, frame)
        result["issues"] = len(report.records)
    result_type = getattr(tpcheck, "Result", None)
    if validate is not None and result_type is not None:
        # the frame and report just made, written as merge would write them
        merged = result_type(frame, report, kind="merge", lang=report.lang, inputs=paths)
        _timed(phases, "write", merged.write, out / "tpcheck")
    return result


def work_merge(paths: list[Path], out: Path) -> dict[str, Any]:
    import tpcheck

    phases: dict[str, float] = {}
    start, cpu = time.perf_counter(), _cpu()
    result = _timed(phases, "read+validate", tpcheck.merge, paths)
    _timed(phases, "write", result.write, out / "merge")
    phases["total"] = time.perf_counter() - start
    CPU_SECONDS["total"] = _cpu() - cpu
    return {"phases": phases, "rows": len(result.frame), "issues": len(result.report.records)}


#: Files of the generated inputs changed between the full merge and the re-merge.
CHANGED_FILES = 3


def work_remerge(paths: list[Path], out: Path) -> dict[str, Any]:
    """A full merge with a cache (``merge --cache``), then CHANGED_FILES of the inputs
    rewritten (other rows, as a corrected return copy would bring) and the merge run again with
    the same cache: the re-merge reads and checks those files only."""
    import tpcheck

    inputs = out / "remerge" / "inputs"
    shutil.rmtree(out / "remerge", ignore_errors=True)
    inputs.mkdir(parents=True)
    copies = []
    for path in paths:
        copy = inputs / path.name
        shutil.copyfile(path, copy)
        copies.append(copy)
    cache, target = out / "remerge" / "cache", out / "remerge" / "out"
    phases: dict[str, float] = {}
    # the first run fills the cache: a full merge and the cache's writing (shown, not judged)
    start, cpu = time.perf_counter(), _cpu()
    tpcheck.merge(copies, cache=cache).write(target)
    phases["first, cache filled"] = time.perf_counter() - start
    CPU_SECONDS["first, cache filled"] = _cpu() - cpu
    _init_pool(_pool())
    rows = _rows_of(paths[0])
    step = max(len(copies) // CHANGED_FILES, 1)
    for number in range(CHANGED_FILES):
        index = min(number * step, len(copies) - 1)
        _write_workbook((copies[index], index + 1, rows, SEED + 1))
    start, cpu = time.perf_counter(), _cpu()
    result = _timed(phases, "re-read+validate", tpcheck.merge, copies, cache=cache)
    _timed(phases, "re-write", result.write, target)
    phases["total"] = time.perf_counter() - start
    CPU_SECONDS["total"] = _cpu() - cpu
    return {"phases": phases, "rows": len(result.frame), "issues": len(result.report.records)}


def _rows_of(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    return len(CalamineWorkbook.from_path(str(path)).get_sheet_by_name(DATA).to_python()) - 1


#: The goals of single phases against the floor's read: (phase, at most ×, judged from this many
#: rows on — where the issue sets the goal —, what the ratio is to, why a smaller scale is not)
PHASE_GOALS = (
    (
        "read",
        1.5,
        60_000,  # issue 3: 200 × 300
        "the bare calamine read",
        "the goal is set for 200 × 300; on a tenth of a second, starting the read workers "
        "weighs more",
    ),
    (
        "validate",
        1,
        100_000,  # issue 4
        "the bare read",
        "the goal is set for 100,000 rows; on fewer, the fixed cost of the schemas and rules "
        "weighs more",
    ),
)


WORKERS = {
    "floor": work_floor,
    "hand": work_hand,
    "tpcheck": work_tpcheck,
    "merge": work_merge,
    "remerge": work_remerge,
}


def run_worker(pipeline: str, folder: Path, out: Path) -> dict[str, Any]:
    """Run *pipeline* on the inputs in *folder* in a fresh process; add its peak RSS."""
    out.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, __file__, "--worker", pipeline, "--data", str(folder)]
    command += ["--out", str(out)]
    load = os.getloadavg()[0]  # the 1-minute load average before the run (others' work included)
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, text=True, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)  # the rusage of this child alone
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        output, errors = stdout.read(), stderr.read()
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    if process.returncode != 0:
        last = (errors.strip().splitlines() or ["?"])[-1]
        return {"phases": {}, "error": last}
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_rss"] = usage.ru_maxrss * scale
    result["load"] = load
    return result


def _available() -> dict[str, bool]:
    import inspect

    import tpcheck

    found = {name: hasattr(tpcheck, name) for name in ("read", "validate", "merge")}
    found["cache"] = found["merge"] and "cache" in inspect.signature(tpcheck.merge).parameters
    return found


# ------------------------------------------------------------------------------ report


def _fmt_seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _fmt_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def _total(result: dict[str, Any], key: str = "phases") -> float | None:
    """The total of a run: its ``total`` phase when timed as one, else the sum of its phases
    (*key*: ``phases`` for wall-clock seconds, ``cpu`` for CPU seconds)."""
    phases = result.get(key) or {}
    if "total" in phases:
        return phases["total"]
    return sum(phases.values()) if phases else None


def table(results: dict[tuple[int, int], dict[str, dict[str, Any]]]) -> list[str]:
    """The markdown table: one line per scenario, pipeline and phase."""
    lines = [
        "| workbooks × rows | pipeline | phase | seconds | × floor | × hand | rows/s "
        "| peak RSS, MB | CPU s | CPU × floor | load |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (files, rows), by_pipeline in results.items():
        floor, hand = by_pipeline.get("floor", {}), by_pipeline.get("hand", {})
        floor_phases = {**floor.get("phases", {}), "total": _total(floor)}
        floor_cpu = {**floor.get("cpu", {}), "total": _total(floor, "cpu")}
        hand_phases = {**hand.get("phases", {}), "total": _total(hand)}
        for pipeline in PIPELINES:
            result = by_pipeline.get(pipeline)
            if result is None:
                continue
            scenario = f"{files} × {rows}"
            if result.get("error") or result.get("skipped"):
                why = result.get("error") or result.get("skipped")
                lines.append(f"| {scenario} | {pipeline} | skipped: {why} | | | | | | | | |")
                continue
            phases = dict(result["phases"])
            cpu = dict(result.get("cpu") or {})
            if "total" not in phases and len(phases) > 1:
                phases["total"] = _total(result)
                cpu["total"] = _total(result, "cpu")
            peak = result.get("peak_rss")
            load = result.get("load")
            for phase, seconds in phases.items():
                # validating is compared with the bare read (issue 4), the others phase by phase
                compared = "read" if phase == "validate" else phase
                base, base_cpu = floor_phases.get(compared), floor_cpu.get(compared)
                versus_hand = hand_phases.get(phase)
                rate = files * rows / seconds if seconds else None
                last = phase == list(phases)[-1]
                shown_peak = f"{peak / 2**20:.0f}" if peak and last else ""
                used = cpu.get(phase)
                lines.append(
                    f"| {scenario} | {pipeline} | {phase} | {_fmt_seconds(seconds)} | "
                    f"{_fmt_ratio(seconds / base if base else None)} | "
                    f"{_fmt_ratio(seconds / versus_hand if versus_hand else None)} | "
                    f"{'' if rate is None else f'{rate:,.0f}'} | {shown_peak} | "
                    f"{_fmt_seconds(used)} | "
                    f"{_fmt_ratio(used / base_cpu if used is not None and base_cpu else None)} | "
                    f"{f'{load:.1f}' if load is not None and last else ''} |"
                )
    return lines


#: The whole merge against the honest floor (issue 19): at most this many times its wall time
#: and this many times its CPU seconds; seconds per row at the largest scenario at most
#: LINEAR × those at the one before; a re-merge after CHANGED_FILES changed files at most
#: REMERGE × the full merge's wall time.
WALL_LIMIT, CPU_LIMIT, LINEAR, REMERGE = 1.3, 2.5, 1.3, 0.5
MERGE_GOAL_FROM = 60_000  # rows: the scenarios issue 19 sets the whole merge's goal for


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def _both(wall: float, wall_base: float, cpu: float | None, cpu_base: float | None) -> str:
    """``1.23× in wall time (8.5 s against 6.9 s), 2.10× in CPU (…)``."""
    text = f"{wall / wall_base:.2f}× in wall time ({wall:.1f} s against {wall_base:.1f} s)"
    if cpu and cpu_base:
        text += f", {cpu / cpu_base:.2f}× in CPU ({cpu:.1f} s against {cpu_base:.1f} s)"
    return text


def goals(results: dict[tuple[int, int], dict[str, dict[str, Any]]]) -> list[str]:
    """The goals of issues 3–7 and 19, each with its measured figures, wall time and CPU."""
    lines = []
    merged = {s: r["merge"] for s, r in results.items() if "phases" in r.get("merge", {})}
    merged = {s: r for s, r in merged.items() if r.get("phases")}
    if not merged:
        return ["- tpcheck.merge is not there yet (issue 5): the tpcheck goals are not measured."]
    for scenario, result in merged.items():
        total, cpu = result["phases"]["total"], _total(result, "cpu")
        floor_run, hand_run = results[scenario].get("floor", {}), results[scenario].get("hand", {})
        floor, floor_cpu = _total(floor_run), _total(floor_run, "cpu")
        hand, hand_cpu = _total(hand_run), _total(hand_run, "cpu")
        label = f"{scenario[0]} × {scenario[1]}"
        load = result.get("load")
        where = f"; load average {load:.1f} before the run" if load is not None else ""
        if floor:
            ok = total <= WALL_LIMIT * floor and (
                not cpu or not floor_cpu or cpu <= CPU_LIMIT * floor_cpu
            )
            judged = scenario[0] * scenario[1] >= MERGE_GOAL_FROM
            why = "" if judged else "; the goal is set for 200 × 300 and 1,000 × 100: on a "
            why += "" if judged else "fraction of a second, starting processes weighs more"
            lines.append(
                f"- {_mark(ok) if judged else '·'} {label}: whole merge "
                f"{_both(total, floor, cpu, floor_cpu)} the floor (≤ {WALL_LIMIT:g}× wall, "
                f"≤ {CPU_LIMIT:g}× CPU{where}{why})"
            )
        if hand:
            ok = total < hand and (not cpu or not hand_cpu or cpu < hand_cpu)
            lines.append(
                f"- {_mark(ok)} {label}: whole merge {_both(total, hand, cpu, hand_cpu)} the hand "
                "stack (< 1×)"
            )
        peak = result.get("peak_rss")
        if peak and scenario[0] * scenario[1] >= 100_000:
            lines.append(
                f"- {_mark(peak < GiB)} {label}: peak memory {peak / 2**20:.0f} MB (< 1 GB)"
            )
    tp = {
        s: r
        for s, r in results.items()
        if r.get("tpcheck", {}).get("phases") and r.get("floor", {}).get("phases")
    }
    for scenario, result in tp.items():
        phases, floor = result["tpcheck"]["phases"], result["floor"]["phases"]
        cpus, floor_cpus = result["tpcheck"].get("cpu") or {}, result["floor"].get("cpu") or {}
        label = f"{scenario[0]} × {scenario[1]}"
        rows = scenario[0] * scenario[1]
        for phase, limit, judged_from, reference, why in PHASE_GOALS:
            if phase not in phases:
                continue
            ratio = phases[phase] / floor["read"]
            both = _both(phases[phase], floor["read"], cpus.get(phase), floor_cpus.get("read"))
            if rows >= judged_from:
                lines.append(
                    f"- {_mark(ratio <= limit)} {label}: {phase} {both} {reference} "
                    f"(≤ {limit:g}× wall)"
                )
            else:
                lines.append(f"- · {label}: {phase} {both} {reference} ({why})")
    big = sorted(merged, key=lambda s: s[0] * s[1])
    if len(big) >= 2:
        small, large = big[-2], big[-1]
        per_row = [merged[s]["phases"]["total"] / (s[0] * s[1]) for s in (small, large)]
        per_cpu = [(_total(merged[s], "cpu") or 0) / (s[0] * s[1]) for s in (small, large)]
        ratio = per_row[1] / per_row[0]
        cpu_ratio = per_cpu[1] / per_cpu[0] if per_cpu[0] else None
        cpu_text = f", {cpu_ratio:.2f}× in CPU" if cpu_ratio else ""
        lines.append(
            f"- {_mark(ratio <= LINEAR)} linear growth: seconds per row at {large[0]} × "
            f"{large[1]} are {ratio:.2f}× those at {small[0]} × {small[1]} in wall time"
            f"{cpu_text} (≤ {LINEAR:g}× wall)"
        )
    for scenario, by_pipeline in results.items():
        again, full = by_pipeline.get("remerge", {}), by_pipeline.get("merge", {})
        if not again.get("phases") or not full.get("phases"):
            continue
        wall, full_wall = again["phases"]["total"], full["phases"]["total"]
        cpu, full_cpu = _total(again, "cpu"), _total(full, "cpu")
        lines.append(
            f"- {_mark(wall <= REMERGE * full_wall)} {scenario[0]} × {scenario[1]}: re-merge "
            f"after {CHANGED_FILES} files changed {_both(wall, full_wall, cpu, full_cpu)} the "
            f"full merge (≤ {REMERGE:g}× wall)"
        )
    return lines


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    libraries = []
    for name in ("tpcheck", "pandas", "pandera", "openpyxl", "xlsxwriter", "python-calamine"):
        try:
            libraries.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            if name == "tpcheck":
                import tpcheck

                libraries.append(f"tpcheck {tpcheck.__version__} (checkout)")
    return [
        f"- CPU: {cpu}, {os.cpu_count()} logical cores (nproc); RAM {memory or 'unknown'}",
        f"- {platform.system()} {platform.release()}, Python {platform.python_version()}",
        f"- {', '.join(libraries)}",
    ]


def write_markdown(path: Path, command: str, lines: list[str], goal_lines: list[str]) -> None:
    text = [
        "# Benchmarks",
        "",
        "Written by `benchmarks/run.py` (do not edit by hand). Latest run:",
        "",
        "```bash",
        command,
        "```",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')}, on:",
        "",
        *machine(),
        "",
        "Each pipeline runs in a fresh process on the same generated inputs (about 2 % bad "
        "cells), as in a user's install: without the test extras (pandera would import "
        "hypothesis when it first validates, 0.1 s); *peak RSS* is the largest maximum "
        "resident set of that process and the worker processes it started (C allocations "
        "included), shown on its last line. *× floor*: read against the floor's read, validate "
        "against the floor's read too (issue 4), write against the floor's write, total against "
        "the floor's total. *× hand*: against the same phase of the hand-written stack. The "
        "*total* of the tpcheck phases is their sum; *merge* is timed as one call (its "
        "read+validate and write measured inside it). *seconds* are wall-clock; *CPU s* are the "
        "CPU seconds of the process and its workers (getrusage of itself and its children; "
        "tpcheck reads and writes on every core, so CPU exceeds wall time). CPU seconds are "
        "judged beside wall time (issue 19): the machine is shared, and when its other core is "
        "busy the wall time of a two-core pipeline says more about the load than about the "
        "code. *load* is the 1-minute load average just before the pipeline ran (2 logical "
        "cores: a load above 2 means other work waited for a core); it includes the previous "
        "pipeline of this run and whatever else ran on the machine. `--repeat N` runs the "
        "pipelines in turn N times (floor, hand, …, floor, hand, …) and keeps each one's "
        "fastest run.",
        "",
        "- **floor** — bare python-calamine read of the data sheets + one xlsxwriter write of "
        "the consolidated rows, as a careful writer of untrusted text writes them "
        "(`strings_to_formulas=False`, `strings_to_urls=False`, `write_string` per cell);",
        '- **hand** — pandas.read_excel(engine="openpyxl") + the pandera schema + openpyxl '
        "writing the consolidated rows;",
        "- **tpcheck** — `tpcheck.read`, `tpcheck.validate`, `Result.write` (all outputs, return "
        "copies included);",
        "- **merge** — `tpcheck.merge(paths).write(dir)`, the whole job;",
        f"- **remerge** — the merge again with `cache=` after {CHANGED_FILES} of the files changed "
        "(*first, cache filled*: the merge that filled the cache, shown apart; *total*: the "
        "re-merge alone).",
        "",
        *lines,
        "",
        "## Goals",
        "",
        *goal_lines,
        "",
    ]
    path.write_text("\n".join(text), encoding="utf-8")


# ------------------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one tiny scenario (a smoke test)")
    parser.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--no-write", action="store_true", help="do not write BENCHMARKS.md")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each pipeline; the fastest is kept"
    )
    parser.add_argument(
        "--scenario",
        action="append",
        metavar="FILESxROWS",
        help="run only this scenario (e.g. 200x300; repeatable); BENCHMARKS.md is left alone",
    )
    parser.add_argument(
        "--pipelines",
        default=",".join(PIPELINES),
        help="comma-separated pipelines to run (default: all); BENCHMARKS.md needs all",
    )
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        # As in a user's install (README: no test extras): without hypothesis, which pandera
        # would otherwise import (0.1 s) when it first validates, in the tpcheck and hand stacks.
        sys.modules.setdefault("hypothesis", None)  # type: ignore[arg-type]
        paths = sorted(args.data.glob("*.xlsx"))
        result = WORKERS[args.worker](paths, args.out)
        result["cpu"] = CPU_SECONDS
        print(json.dumps(result))
        return 0

    scenarios = QUICK if args.quick else FULL
    if args.scenario:
        scenarios = [tuple(int(n) for n in text.lower().split("x")) for text in args.scenario]
    chosen = [name for name in args.pipelines.split(",") if name]
    partial = bool(args.scenario) or set(chosen) != set(PIPELINES)
    available = _available()
    missing = [name for name, there in available.items() if not there and name != "cache"]
    if missing:
        names = ", ".join(f"tpcheck.{name}" for name in missing)
        print(f"note: {names} not there yet — those phases are skipped.\n")
    results: dict[tuple[int, int], dict[str, dict[str, Any]]] = {}
    for files, rows in scenarios:
        folder = args.data / f"{files}x{rows}"
        started = time.perf_counter()
        _, bad = generate(folder, files, rows)
        print(
            f"{files} × {rows}: {files * rows:,} rows, {bad:,} bad cells "
            f"(inputs ready in {time.perf_counter() - started:.1f} s)",
            flush=True,
        )
        results[(files, rows)] = {}
        pipelines = []
        for pipeline in (name for name in PIPELINES if name in chosen):
            if pipeline in ("merge", "remerge") and not available["merge"]:
                results[(files, rows)][pipeline] = {"skipped": "tpcheck.merge is missing"}
            elif pipeline == "tpcheck" and not available["read"]:
                results[(files, rows)][pipeline] = {"skipped": "tpcheck.read is missing"}
            elif pipeline == "remerge" and (files < REMERGE_FROM_FILES or not available["cache"]):
                continue  # a re-merge of 3 files out of 10 says little; no cache, nothing to run
            else:
                pipelines.append(pipeline)
        out = args.out / f"{files}x{rows}"
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in pipelines}
        # the repeats alternate (floor, hand, …, floor, hand, …): a burst of load elsewhere on
        # the machine falls on every pipeline alike rather than on all runs of one
        for _ in range(max(args.repeat, 1)):
            for pipeline in pipelines:
                shutil.rmtree(out / pipeline, ignore_errors=True)  # tpcheck's output folders
                runs[pipeline].append(run_worker(pipeline, folder, out))
        for pipeline in pipelines:
            result = min(runs[pipeline], key=lambda run: _total(run) or float("inf"))
            peaks = [run["peak_rss"] for run in runs[pipeline] if run.get("peak_rss")]
            if peaks:
                result["peak_rss"] = max(peaks)
            results[(files, rows)][pipeline] = result
            details = [
                f"{result[key]:,} {key.replace('_', ' ')}"
                for key in ("issues", "failures")
                if isinstance(result.get(key), int)
            ] + [result[key] for key in ("schema", "note", "error") if result.get(key)]
            extra = f"  ({'; '.join(details)})" if details else ""
            cpu = _total(result, "cpu")
            cpu_text = f", CPU {_fmt_seconds(cpu)} s" if cpu is not None else ""
            print(f"  {pipeline:8} {_fmt_seconds(_total(result))} s{cpu_text}{extra}", flush=True)
    lines = table(results)
    goal_lines = goals(results)
    print()
    print("\n".join(lines))
    print()
    print("\n".join(goal_lines))
    if not args.quick and not args.no_write and not partial:
        command = "python benchmarks/run.py" + (f" --repeat {args.repeat}" * (args.repeat > 1))
        write_markdown(ROOT / "BENCHMARKS.md", command, lines, goal_lines)
        print("\nwritten: BENCHMARKS.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
