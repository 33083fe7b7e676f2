"""Writers of the outputs of ``merge`` and ``check`` (see docs/outputs.md).

:func:`write_outputs` writes every output of a run into a folder, all or nothing: each file is
written to a temporary file beside its place (:func:`~tpcheck.output.atomic.atomic_path`) and the
files are moved into place only when every one of them has been written; an output that would
overwrite an input is refused before anything is written. Return copies and ``oshibki.xlsx`` are
written by worker processes while this one writes the consolidated workbook, when there are enough
of them to pay for it (:mod:`.parallel`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..errors import OutputError
from ..findings import ISSUE_FIELDS, Report
from ..frame import context_of, raw
from ..gcpause import paused_gc
from ..output.atomic import (
    atomic_paths,
    ensure_not_input,
    locked_output,
    prepare_dir,
    refuse_inputs,
)
from ..output.config import output_spec
from ..reading.cache import MergeCache
from . import returns
from .consolidated import consolidated_layout, write_consolidated
from .fixed import fixed_name, fixed_plans, stale_fixed_copies, write_fixed_copy
from .html import render_html, write_errors_html
from .parallel import Task, cores, sharing
from .placement import DATA, REQUIREMENT, Location, extra_columns, locate_all
from .reports import report_json, write_errors_csv, write_errors_xlsx, write_report_json
from .returns import ReturnJob, return_name, stale_copies, write_return_copy

__all__ = [
    "consolidated_layout",
    "render_html",
    "report_json",
    "return_name",
    "write_outputs",
    "write_return_copy",
]

KINDS = ("merge", "check")
#: Below this much work (about the cells of the return copies) a second process costs more than
#: it saves (forking takes some 10 ms; ten files of 300 rows are written 0.15 s sooner on two).
PARALLEL_THRESHOLD = 20_000


def _positions(frame: pd.DataFrame | None) -> dict[str, list[int]]:
    if frame is None or not len(frame):
        return {}
    return {
        str(file): [int(i) for i in index]
        for file, index in frame.groupby("source_file", sort=False).indices.items()
    }


def build_return_jobs(
    frame: pd.DataFrame,
    report: Report,
    placed: Sequence[tuple],
    lang: str,
) -> list[ReturnJob]:
    """One :class:`ReturnJob` per file of *report* that is not skipped, in the report's order."""
    context = context_of(frame)
    classifiers = context.classifiers
    requirements = context.requirements
    extras = extra_columns(frame, classifiers)
    keys = [c.key for c in classifiers.columns]
    req_keys = [c.key for c in classifiers.requirement_columns]

    def arrays(source: pd.DataFrame | None, names: Sequence[str]) -> dict[str, object]:
        out = {}
        for key in names:
            name = raw(key) if source is not None and raw(key) in source.columns else key
            if source is not None and name in source.columns:
                out[key] = source[name].to_numpy(dtype=object)
        return out

    data = arrays(frame, keys)
    data.update({name: frame[name].to_numpy(dtype=object) for name in extras})
    req = arrays(requirements, req_keys)
    data_positions = _positions(frame)
    req_positions = _positions(requirements)
    rows = frame["source_row"].to_numpy() if len(frame) else None
    req_rows = requirements["source_row"].to_numpy() if requirements is not None else None
    by_file: dict[str, list] = {}
    for item, where in placed:
        if item.file is not None:
            by_file.setdefault(item.file, []).append((item, where))

    jobs = []
    for info in report.files:
        if info.status == "skipped" or info.format == "folder":  # no copy of a folder to return
            continue
        positions = data_positions.get(info.path, [])
        req_pos = req_positions.get(info.path, [])
        local = {p: i for i, p in enumerate(positions)}
        req_local = {p: i for i, p in enumerate(req_pos)}
        values = {key: array[positions].tolist() for key, array in data.items()}
        file_extras = [e for e in extras if any(v is not None and v == v for v in values[e])]
        for name in extras:
            if name not in file_extras:
                del values[name]
        file_placed = []
        for item, where in by_file.get(info.path, []):
            if where.kind == DATA:
                where = Location(DATA, local[where.index], where.key)
            elif where.kind == REQUIREMENT:
                where = Location(REQUIREMENT, req_local[where.index], where.key)
            file_placed.append((item, where))
        jobs.append(
            ReturnJob(
                path=info.path,
                info=info,
                lang=lang,
                classifiers=classifiers,
                rows=[int(r) for r in rows[positions]] if positions else [],
                values=values,
                extras=file_extras,
                requirement_rows=[int(r) for r in req_rows[req_pos]] if req_pos else [],
                requirement_values={k: a[req_pos].tolist() for k, a in req.items()},
                placed=file_placed,
            )
        )
    return jobs


def _among(path: Path, sources: set[str]) -> bool:
    """True when *path* is one of the files *sources* (by identity) or lies in one of them."""
    for source in sources:
        with contextlib.suppress(OSError):
            if os.path.samefile(path, source) or Path(path).resolve().is_relative_to(
                Path(source).resolve()
            ):
                return True
    return False


def job_digest(job: ReturnJob) -> str:
    """What a return copy is made of besides its file's content (which the cache's key holds):
    the language, the file as read, its extra columns and its findings where they are placed."""
    placed = [
        [[getattr(item, name) for name in ISSUE_FIELDS], [where.kind, where.index, where.key]]
        for item, where in job.placed
    ]
    data = [job.lang, job.info.to_dict(), job.extras, job.classifiers.digest, placed]
    text = json.dumps(data, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _from_cache(cache: MergeCache, job: ReturnJob, digest: str, target: Path) -> bool:
    """Put the cached return copy of *job* at *target*; False when the cache has none."""
    data = cache.return_copy(job.path, job.info.sha256, digest)
    if data is None:
        return False
    target.write_bytes(data)
    return True


def _workers(workers: int | None, jobs: Sequence[ReturnJob], report: Report) -> int:
    """Processes to write with, the calling one included (1: everything in this process): the
    return copies and the error list count (what the calling process writes besides them — the
    consolidated workbook — about as much again)."""
    if workers is not None:
        return max(1, int(workers))
    weight = sum(job.weight for job in jobs) + len(report.records) * 4
    if weight < PARALLEL_THRESHOLD:
        return 1
    return max(1, min(cores(), len(jobs) + 2))


def _tasks(
    jobs: Sequence[ReturnJob],
    targets: Sequence[Path],
    report: Report,
    errors_xlsx: Path,
    lang: str,
    reports: Sequence[tuple[int, Task]] = (),
) -> list[Task]:
    """What other processes may write: ``oshibki.xlsx``, the return copies and *reports*
    (weighed tasks), heaviest first (the error list weighs about as much as a return copy with
    that many issues)."""
    weighted: list[tuple[int, Task]] = [
        (len(report.records) * 4 + 50, (write_errors_xlsx, (errors_xlsx, report, lang)))
    ]
    weighted += [
        (job.weight, (returns.write_return_copy, (job, str(target))))
        for job, target in zip(jobs, targets, strict=True)
    ]
    weighted += reports
    weighted.sort(key=lambda item: -item[0])
    return [task for _, task in weighted]


def write_outputs(
    frame: pd.DataFrame,
    report: Report,
    folder: str | Path,
    *,
    kind: str = "merge",
    lang: str = "ru",
    inputs: Sequence[str | Path] = (),
    workers: int | None = None,
    fixed_copies: bool = False,
    cache: MergeCache | None = None,
) -> list[Path]:
    """Write the outputs of a ``merge`` or ``check`` run into *folder*; return their paths.

    ``merge``: the consolidated workbook, the error report (xlsx, csv, html), report.json and the
    return copies in the subfolder ``vozvrat``; ``check``: the same without the consolidated
    workbook, the return copies in *folder* itself. *inputs* are never overwritten. *workers*:
    processes to write with, this one included (None: one per core when there is enough to
    write; 1: everything in this process). *fixed_copies*: also the «исправленная копия» of
    each file with notices to apply, beside its return copy (:mod:`tpcheck.write.fixed`); fixed
    copies of an earlier run that this one does not write are removed like stale return copies.
    *cache*: a :class:`~tpcheck.reading.cache.MergeCache` — a return copy it holds for the same
    file and the same findings is taken from it, the others are kept in it.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    with paused_gc():
        return _write_outputs(
            frame, report, folder, kind, lang, inputs, workers, fixed_copies, cache
        )


def _write_outputs(
    frame: pd.DataFrame,
    report: Report,
    folder: str | Path,
    kind: str,
    lang: str,
    inputs: Sequence[str | Path],
    workers: int | None,
    fixed_copies: bool,
    cache: MergeCache | None,
) -> list[Path]:
    names = output_spec().files
    ensure_not_input(folder, inputs)
    folder = prepare_dir(folder)
    with locked_output(folder, folder / names["returns_dir"]):
        return _write_locked(
            frame, report, folder, kind, lang, inputs, workers, fixed_copies, cache
        )


def _write_locked(
    frame: pd.DataFrame,
    report: Report,
    folder: Path,
    kind: str,
    lang: str,
    inputs: Sequence[str | Path],
    workers: int | None,
    fixed_copies: bool,
    cache: MergeCache | None = None,
) -> list[Path]:
    names = output_spec().files
    fixed = ["errors_xlsx", "errors_csv", "errors_html", "report_json"]
    if kind == "merge":
        fixed.insert(0, "consolidated")
    targets = {key: folder / names[key] for key in fixed}
    returns_dir = folder / names["returns_dir"] if kind == "merge" else folder
    used = {names[key].casefold() for key in fixed} if kind == "check" else set()
    placed = locate_all(frame, report.records, report.files)
    jobs = build_return_jobs(frame, report, placed, lang)
    return_targets = [returns_dir / return_name(job.path, used) for job in jobs]
    plans = fixed_plans(report) if fixed_copies else []
    fixed_used: set[str] = set()
    fixed_targets = [returns_dir / fixed_name(info.path, fixed_used) for info, _ in plans]
    refuse_inputs(
        [*targets.values(), *return_targets, *fixed_targets],
        [*inputs, *(i.path for i in report.files)],
    )
    created = False
    if (return_targets or fixed_targets) and not returns_dir.exists():
        try:
            returns_dir.mkdir()
        except OSError as exc:
            raise OutputError(f"Не удалось создать папку «{returns_dir}»: {exc.strerror}") from None
        created = True
    stale = (
        [
            *stale_copies(returns_dir, return_targets),
            *stale_fixed_copies(returns_dir, fixed_targets),
        ]
        if returns_dir.is_dir()
        else []
    )
    if stale:  # a return copy given as an input (a clerk's fixed copy) is an input: kept
        sources = {*map(str, inputs), *(info.path for info in report.files)}
        stale = [path for path in stale if not _among(path, sources)]
    if stale:  # said in report.json and on the terminal
        report.extra["removed_return_copies"] = [str(path.relative_to(folder)) for path in stale]
    else:
        report.extra.pop("removed_return_copies", None)
    return_names = {
        job.path: str(target.relative_to(folder))
        for job, target in zip(jobs, return_targets, strict=True)
    }
    try:
        every: dict[str | int | tuple[str, int], Path] = {
            **targets,
            **dict(enumerate(return_targets)),
            **{("fixed", index): target for index, target in enumerate(fixed_targets)},
        }
        # all or none; report.json last, the stale copies gone before it
        with atomic_paths(every, last="report_json", remove=stale) as temp:
            return_temps = [temp[index] for index in range(len(return_targets))]
            digests = [job_digest(job) for job in jobs] if cache is not None else []
            todo = list(range(len(jobs)))
            if cache is not None:
                todo = [i for i in todo if not _from_cache(cache, jobs[i], digests[i], temp[i])]
            count = _workers(workers, [jobs[i] for i in todo], report)
            classifiers = context_of(frame).classifiers
            size = len(report.records) + 50
            small: list[tuple[int, Task]] = [
                (size, (write_errors_csv, (temp["errors_csv"], report, lang))),
                (size, (write_errors_html, (temp["errors_html"], report, lang, classifiers))),
                (size, (write_report_json, (temp["report_json"], report))),
            ]
            tasks = _tasks(
                [jobs[i] for i in todo],
                [return_temps[i] for i in todo],
                report,
                temp["errors_xlsx"],
                lang,
                # with other processes, they take the small reports too
                small if count > 1 else (),
            )
            # the other processes take the return copies and oshibki.xlsx while this one writes
            # the consolidated workbook (the largest single file) and the small reports
            with sharing(tasks, count - 1) as finish:
                if kind == "merge":
                    write_consolidated(
                        temp["consolidated"], frame, report, placed, lang=lang, names=return_names
                    )
                if count == 1:
                    for _, (function, args) in small:
                        function(*args)
                for index, (info, notices) in enumerate(plans):
                    write_fixed_copy(info.path, info, notices, temp[("fixed", index)])
                finish()
            if cache is not None:
                cache.flush()  # the reading and checks of the files read afresh
                for index in todo:
                    job = jobs[index]
                    data = return_temps[index].read_bytes()
                    cache.keep_return_copy(job.path, job.info.sha256, digests[index], data)
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                returns_dir.rmdir()
        if stale and any(path.exists() for path in stale):  # not removed after all
            report.extra.pop("removed_return_copies", None)
        raise
    return [*targets.values(), *return_targets, *fixed_targets]
