"""Benchmarks of tpcheck against the floor and the hand-written stack (issue 7).

    python benchmarks/run.py [--quick] [--data DIR] [--out DIR] [--no-write]

Generates scaled inputs (10 × 300, 200 × 300 and 1,000 × 100 workbooks × rows, about 2 % bad
cells) into benchmarks/data/ and measures, each pipeline in a fresh process (so that its peak
memory — RSS, C allocations included — is its own):

* floor — a bare python-calamine read of the data sheets plus one xlsxwriter write of the same
  consolidated rows;
* hand — what a user would write by hand: pandas.read_excel(engine="openpyxl"), the pandera schema
  (tpcheck's own when tpcheck.validation.schema has one, else an equivalent schema from the same
  classifiers), openpyxl writing the consolidated rows (DataFrame.to_excel);
* tpcheck — its phases: tpcheck.read, tpcheck.validate, Result.write (every output, return copies
  included);
* merge — the whole job, ``tpcheck.merge(paths).write(dir)``.

Prints one table (seconds, ratios to the floor and to the hand stack, rows per second, peak RSS)
and the goals of issues 3–7; a full run also writes BENCHMARKS.md. Stages of tpcheck that do not
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
GiB = 1024**3
PIPELINES = ("floor", "hand", "tpcheck", "merge")
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
        place = MUNICIPALITIES[(file_no + index) % len(MUNICIPALITIES)]
        cells[KEYS.index("activity")] += f" ({place} округ, участок {file_no}-{index + 1})"
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
    settings = {"files": files, "rows": rows, "bad_share": BAD_SHARE, "seed": SEED}
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
        book = xlsxwriter.Workbook(out / "floor.xlsx")
        sheet = book.add_worksheet(DATA)
        sheet.write_row(0, 0, ["source_file", "source_sheet", "source_row", *HEADERS])
        for index, row in enumerate(rows, start=1):
            sheet.write_row(index, 0, row)
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


WORKERS = {"floor": work_floor, "hand": work_hand, "tpcheck": work_tpcheck, "merge": work_merge}


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
    import tpcheck

    return {name: hasattr(tpcheck, name) for name in ("read", "validate", "merge")}


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


def goals(results: dict[tuple[int, int], dict[str, dict[str, Any]]]) -> list[str]:
    """The goals of issues 3–7, each with its measured figure."""
    lines = []
    merged = {s: r["merge"] for s, r in results.items() if "phases" in r.get("merge", {})}
    merged = {s: r for s, r in merged.items() if r.get("phases")}
    if not merged:
        return ["- tpcheck.merge is not there yet (issue 5): the tpcheck goals are not measured."]
    for scenario, result in merged.items():
        total = result["phases"]["total"]
        floor = _total(results[scenario].get("floor", {}))
        hand = _total(results[scenario].get("hand", {}))
        label = f"{scenario[0]} × {scenario[1]}"
        if floor:
            mark = "✓" if total <= 2 * floor else "✗"
            cpu, floor_cpu = _total(result, "cpu"), _total(results[scenario]["floor"], "cpu")

            load = result.get("load")
            detail = f"{total:.1f} s against {floor:.1f} s"
            if cpu and floor_cpu:
                detail += f"; CPU {cpu:.1f} s against {floor_cpu:.1f} s"
            if load is not None:
                detail += f"; load average {load:.1f} before the run"
            lines.append(
                f"- {mark} {label}: whole merge {total / floor:.2f}× the floor (≤ 2×; {detail})"
            )
        if hand:
            mark = "✓" if total < hand else "✗"
            lines.append(f"- {mark} {label}: whole merge {total / hand:.2f}× the hand stack (< 1×)")
        peak = result.get("peak_rss")
        if peak and scenario[0] * scenario[1] >= 100_000:
            mark = "✓" if peak < GiB else "✗"
            lines.append(f"- {mark} {label}: peak memory {peak / 2**20:.0f} MB (< 1 GB)")
    tp = {
        s: r
        for s, r in results.items()
        if r.get("tpcheck", {}).get("phases") and r.get("floor", {}).get("phases")
    }
    for scenario, result in tp.items():
        phases, floor = result["tpcheck"]["phases"], result["floor"]["phases"]
        label = f"{scenario[0]} × {scenario[1]}"
        rows = scenario[0] * scenario[1]
        for phase, limit, judged_from, reference, why in PHASE_GOALS:
            if phase not in phases:
                continue
            ratio = phases[phase] / floor["read"]
            if rows >= judged_from:
                mark = "✓" if ratio <= limit else "✗"
                lines.append(f"- {mark} {label}: {phase} {ratio:.2f}× {reference} (≤ {limit:g}×)")
            else:
                lines.append(f"- · {label}: {phase} {ratio:.2f}× {reference} ({why})")
    big = sorted(merged, key=lambda s: s[0] * s[1])
    if len(big) >= 2:
        small, large = big[-2], big[-1]
        per_row = [merged[s]["phases"]["total"] / (s[0] * s[1]) for s in (small, large)]
        ratio = per_row[1] / per_row[0]
        mark = "✓" if ratio <= 1.5 else "✗"
        lines.append(
            f"- {mark} linear growth: seconds per row at {large[0]} × {large[1]} are "
            f"{ratio:.2f}× those at {small[0]} × {small[1]} (≤ 1.5×)"
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
        "included), shown on its last line. *× floor*: read "
        "against the floor's read, validate against the floor's read too (issue 4), write "
        "against the floor's write, total against the floor's total. *× hand*: against the same "
        "phase of the hand-written stack. The *total* of the tpcheck phases is their sum; "
        "*merge* is timed as one call (its read+validate and write measured inside it). *seconds* "
        "are wall-clock; *CPU s* are the CPU seconds of the process and its workers (tpcheck "
        "reads and writes on every core, so CPU exceeds wall time). *load* is the 1-minute load "
        "average just before the pipeline ran; it includes the previous pipeline of this run and "
        "whatever else ran on the machine. Timings of a single run on a shared machine vary by "
        "10–30 %; `--repeat N` keeps the fastest of N runs.",
        "",
        "- **floor** — bare python-calamine read of the data sheets + one xlsxwriter write of "
        "the consolidated rows;",
        '- **hand** — pandas.read_excel(engine="openpyxl") + the pandera schema + openpyxl '
        "writing the consolidated rows;",
        "- **tpcheck** — `tpcheck.read`, `tpcheck.validate`, `Result.write` (all outputs, return "
        "copies included);",
        "- **merge** — `tpcheck.merge(paths).write(dir)`, the whole job.",
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
    missing = [name for name, there in available.items() if not there]
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
        for pipeline in (name for name in PIPELINES if name in chosen):
            if pipeline == "merge" and not available["merge"]:
                results[(files, rows)][pipeline] = {"skipped": "tpcheck.merge is missing"}
                continue
            if pipeline == "tpcheck" and not available["read"]:
                results[(files, rows)][pipeline] = {"skipped": "tpcheck.read is missing"}
                continue
            out = args.out / f"{files}x{rows}"
            runs = []
            for _ in range(max(args.repeat, 1)):
                shutil.rmtree(out / pipeline, ignore_errors=True)  # tpcheck's output folders
                runs.append(run_worker(pipeline, folder, out))
            result = min(runs, key=lambda run: _total(run) or float("inf"))
            peaks = [run["peak_rss"] for run in runs if run.get("peak_rss")]
            if peaks:
                result["peak_rss"] = max(peaks)
            results[(files, rows)][pipeline] = result
            details = [
                f"{result[key]:,} {key.replace('_', ' ')}"
                for key in ("issues", "failures")
                if isinstance(result.get(key), int)
            ] + [result[key] for key in ("schema", "note", "error") if result.get(key)]
            extra = f"  ({'; '.join(details)})" if details else ""
            print(f"  {pipeline:8} {_fmt_seconds(_total(result))} s{extra}", flush=True)
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
