"""Reading: subdivision workbooks in, one frame of every data row out (see :mod:`tpcheck.frame`).

:func:`read` finds the files (:mod:`.discover`), looks at each package before any parser does
(:mod:`.package`), parses it in a worker process with bounded CPU time and memory
(:mod:`.pool`, :mod:`.worker`), turns the sheet into data rows (:mod:`.sheet`) and normalises
the values (:mod:`.normalize`). Every problem is an :class:`~tpcheck.findings.Issue` in
``frame.tpcheck.issues``; a file that cannot be read is one file-level issue and the run goes on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from ..classifiers import Classifiers, Column, default_classifiers, load_classifiers
from ..findings import LANGS, FileInfo, Issue, issue
from ..frame import CONTEXT_KEY, ReadContext
from ..gcpause import paused_gc
from ..i18n import text, texts
from .cache import MergeCache, file_sha256
from .columns import assemble
from .discover import Candidate, discover
from .limits import DEFAULT_LIMITS, Limits
from .own import sort_own
from .sheet import SheetRows
from .worker import FileResult, Job, _changed, _n, _stat, failure, read_one

__all__ = ["DEFAULT_LIMITS", "Limits", "read"]

Progress = Callable[[int, int, str], None]
_MAX_WORKERS = 16  # by default; more processes than this rarely pay for their start

_SKIP_REASONS = {
    "lock": {
        "ru": "файл блокировки Excel или LibreOffice (появляется, пока книга открыта)",
        "en": "Excel or LibreOffice lock file (exists while the workbook is open)",
    },
    "other": {"ru": "не таблица (расширение {ext})", "en": "not a spreadsheet ({ext})"},
    "duplicate": {"ru": "тот же файл, что «{other}»", "en": "the same file as «{other}»"},
    "roster": {
        "ru": "список подразделений (--roster), а не сведения",
        "en": "the roster (--roster), not a submission",
    },
    "registry": {
        "ru": "реестр процессов (--registry), а не сведения",
        "en": "the registry of processes (--registry), not a submission",
    },
}


def _skip_reason(kind: str, lang: str, **params: str) -> str:
    return _SKIP_REASONS[kind][lang].format(**params)


def _load(classifiers: Classifiers | str | os.PathLike[str] | None) -> Classifiers:
    if classifiers is None:
        return default_classifiers()
    if isinstance(classifiers, Classifiers):
        return classifiers
    return load_classifiers(classifiers)


def _frame(parts: list[tuple[FileResult, SheetRows]], columns: tuple[Column, ...]) -> pd.DataFrame:
    """The frame of the rows in *parts* (in order; normalised by the workers), extras last."""
    extras: dict[str, None] = {}
    for _, rows in parts:
        extras.update(dict.fromkeys(rows.extra_columns))
    files = [(r.info.path, rows.sheet, rows.source_rows, rows.encoded) for r, rows in parts]
    return assemble(files, columns, list(extras))


def _gather(
    infos: list[FileInfo | None],
    early: dict[int, list[Issue]],
    results: dict[int, FileResult],
    jobs: list[Job],
    lang: str,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[list[Issue], list[tuple[FileResult, SheetRows]], list[tuple[FileResult, SheetRows]]]:
    """The files' results in the order given (filling *infos*): the issues, and the data and
    requirements rows to join. A file changed since it was read, or the same content met
    before, is reported as such and its rows are not taken; so is a file whose data would
    carry the run beyond :attr:`Limits.max_run_cells` (the files before it are kept)."""
    issues: list[Issue] = []
    parts: list[tuple[FileResult, SheetRows]] = []
    requirement_parts: list[tuple[FileResult, SheetRows]] = []
    first_by_hash: dict[str, str] = {}
    real_of = {job.index: job.real for job in jobs}
    run_cells = 0
    for index in range(len(infos)):
        if index in early:
            issues.extend(early[index])
        result = results.get(index)
        if result is None:
            continue
        info = result.info
        if result.stat is not None and info.status != "skipped":
            try:
                changed = _stat(real_of[index]) != result.stat
            except OSError:
                changed = True
            if changed:
                result = _changed(Job(index, info.path, real_of[index]), info, lang, result.stat)
                info = result.info
        if info.sha256 and info.status != "skipped":
            first = first_by_hash.get(info.sha256)
            if first is not None:
                infos[index] = FileInfo(
                    path=info.path,
                    status="skipped",
                    format=info.format,
                    size=info.size,
                    sha256=info.sha256,
                    reason=_skip_reason("duplicate", lang, other=first),
                )
                issues.append(issue("file-duplicate", lang=lang, file=info.path, other=first))
                continue
            first_by_hash[info.sha256] = info.path
        if result.data is not None:
            own = _block(result)
            if run_cells + own > limits.max_run_cells:
                result = _beyond_run(result, real_of[index], run_cells + own, limits, lang)
                info = result.info
            else:
                run_cells += own
        infos[index] = info
        issues.extend(result.issues)
        if result.data is not None:
            parts.append((result, result.data))
            parts.extend((result, more) for more in result.more)
        if result.requirements is not None:
            requirement_parts.append((result, result.requirements))
    return issues, parts, requirement_parts


def _block(result: FileResult) -> int:
    """Rows × columns of the data of *result* (every data sheet)."""
    sheets = [result.data, *result.more] if result.data is not None else []
    return sum(len(rows) * (len(rows.columns) + len(rows.extra_columns)) for rows in sheets)


def _beyond_run(result: FileResult, real: str, cells: int, limits: Limits, lang: str) -> FileResult:
    """*result* refused: its rows would carry the run beyond its bound."""
    info = result.info
    sheet = max([result.data, *result.more], key=len).sheet  # type: ignore[list-item]
    refused = failure(
        Job(0, info.path, real),
        "file-too-large",
        lang,
        reason=text(
            "reading.run_cells",
            lang,
            cells=_n(cells),
            limit=_n(limits.max_run_cells),
            own=_n(_block(result)),
            sheet=sheet,
        ),
    )
    refused.info.size, refused.info.sha256 = info.size, info.sha256
    refused.info.format = info.format
    refused.stat = result.stat
    return refused


def read(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    classifiers: Classifiers | str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    lang: str = "ru",
    limits: Limits | None = None,
    exclude: Mapping[str | os.PathLike[str], str] | None = None,
    cache: MergeCache | None = None,
) -> pd.DataFrame:
    """Read the workbooks at *paths* (files and folders, recursively) into one frame.

    One row per data row of every readable input, with its provenance (``source_file``,
    ``source_sheet``, ``source_row``), the normalised value of every column of the spec and its
    original (``<key>_raw``), and the unknown extra columns under their headers. The files met,
    the reader's findings and the «Требования п. 4.2» rows are in ``frame.tpcheck``
    (:class:`~tpcheck.frame.ReadContext`).

    *classifiers*: loaded classifiers, the path of an override file, or None (built-in).
    *progress*: called as ``progress(done, total, path)`` after each file.
    *workers*: processes that parse (None: one per CPU, at most one per file; a single file
    too is read in a worker, under the same time and memory bounds; 0: no worker processes —
    then a parser crash, a loop or a memory hog is not contained).
    *lang*: language of the messages (``ru``, ``en``). *limits*: the bounds of
    :class:`~tpcheck.reading.limits.Limits`. *exclude*: files met among *paths* that are not
    submissions — the roster or the registry kept in the same folder — as path → ``"roster"`` or
    ``"registry"``: they are listed as skipped with that reason, not read. *cache*: a
    :class:`~tpcheck.reading.cache.MergeCache` — a file whose content it holds is taken from
    it instead of being read; the files read afresh are kept in it.

    A path that does not exist raises :class:`~tpcheck.errors.InputError`; problems in the files
    never raise.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    loaded = _load(classifiers)
    limits = limits or DEFAULT_LIMITS
    candidates = discover(paths)
    total = len(candidates)
    done = 0
    infos: list[FileInfo | None] = [None] * total
    results: dict[int, FileResult] = {}
    early: dict[int, list[Issue]] = {}
    jobs: list[Job] = []
    first_by_real: dict[str, Candidate] = {}
    excluded = {os.path.realpath(path): kind for path, kind in (exclude or {}).items()}
    own = sort_own(candidates, lang)

    def tick(path: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, path)

    for index, candidate in enumerate(candidates):
        if candidate.unreadable is not None:  # a folder: its files are unknown
            reason = candidate.unreadable
            if f"cli.os.{reason}" in texts():
                reason = text(f"cli.os.{reason}", lang)
            infos[index] = FileInfo(
                path=candidate.path, status="unreadable", format="folder", reason=reason
            )
            early[index] = [
                issue("folder-unreadable", lang=lang, file=candidate.path, reason=reason)
            ]
            tick(candidate.path)
            continue
        if candidate.skip is not None:
            ext = Path(candidate.path).suffix.lower() or "—"
            infos[index] = FileInfo(
                path=candidate.path,
                status="skipped",
                reason=_skip_reason(candidate.skip, lang, ext=ext),
            )
            tick(candidate.path)
            continue
        if index in own.skips:
            reason, notice = own.skips[index]
            infos[index] = FileInfo(path=candidate.path, status="skipped", reason=reason)
            early[index] = [notice]
            tick(candidate.path)
            continue
        real = os.path.realpath(candidate.real)
        if real in excluded:
            infos[index] = FileInfo(
                path=candidate.path, status="skipped", reason=_skip_reason(excluded[real], lang)
            )
            tick(candidate.path)
            continue
        first = first_by_real.get(real)
        if first is not None:
            infos[index] = FileInfo(
                path=candidate.path,
                status="skipped",
                reason=_skip_reason("duplicate", lang, other=first.path),
            )
            early[index] = [
                issue("file-duplicate", lang=lang, file=candidate.path, other=first.path)
            ]
            tick(candidate.path)
            continue
        first_by_real[real] = candidate
        jobs.append(Job(index, candidate.path, candidate.real, candidate.explicit))

    def collect(job: Job, result: FileResult) -> None:
        results[job.index] = result
        if cache is not None:
            cache.remember(job.path, result)
        tick(job.path)

    to_read = jobs
    if cache is not None:
        to_read = []
        for job in jobs:
            found = _cached(cache, job, limits)
            if found is None:
                to_read.append(job)
            else:
                results[job.index] = found
                tick(job.path)
    notices = cache.notices if cache is not None else []
    if workers == 0 or not to_read:
        for job in to_read:
            collect(job, read_one(job, loaded, limits, lang))
        with paused_gc():
            return _build(loaded, infos, early, results, jobs, lang, limits, own.kinds, notices)
    from .pool import run_in_workers

    count = workers if workers is not None else min(os.cpu_count() or 1, _MAX_WORKERS)
    with paused_gc():
        run_in_workers(to_read, count, loaded, limits, lang, collect)
        return _build(loaded, infos, early, results, jobs, lang, limits, own.kinds, notices)


def _cached(cache: MergeCache, job: Job, limits: Limits) -> FileResult | None:
    """The cached result of *job*'s file when the cache holds its content, else None."""
    hashed = file_sha256(job.real, limits.max_file_size)
    if hashed is None:
        return None
    sha256, status = hashed
    return cache.lookup(job.path, sha256, status)


def _build(
    loaded: Classifiers,
    infos: list[FileInfo | None],
    early: dict[int, list[Issue]],
    results: dict[int, FileResult],
    jobs: list[Job],
    lang: str,
    limits: Limits,
    kinds: dict[str, str],
    notices: Sequence[Issue] = (),
) -> pd.DataFrame:
    """The frame of the files' *results* with its :class:`ReadContext`. The results are let go
    of here (*results* is emptied), while the caller has the collector paused. *notices*: the
    cache's, after the files' own findings."""
    issues, parts, requirement_parts = _gather(infos, early, results, jobs, lang, limits)
    issues += list(notices)
    frame = _frame(parts, loaded.columns)
    frame.attrs[CONTEXT_KEY] = ReadContext(
        classifiers=loaded,
        files=[info for info in infos if info is not None],
        issues=issues,
        requirements=_frame(requirement_parts, loaded.requirement_columns),
        kinds=kinds,
    )
    del parts, requirement_parts
    results.clear()
    return frame
