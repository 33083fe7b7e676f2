"""``merge`` and ``check``: read, validate, and write the outputs — the library side of
``tpcheck merge`` and ``tpcheck check``.

>>> result = tpcheck.merge(["входящие/"], roster="подразделения.xlsx")   # doctest: +SKIP
>>> result.report.summary["errors"], len(result.frame)                   # doctest: +SKIP
>>> result.write("сводка")                                               # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from . import pipeline
from .classifiers import Classifiers
from .findings import Report
from .output.config import output_spec
from .reading.cache import MergeCache
from .reading.limits import DEFAULT_LIMITS
from .write import write_outputs

__all__ = ["CACHE_DIR", "Result", "check", "merge"]

#: The cache folder ``tpcheck merge`` keeps inside its output folder unless told otherwise
#: (``--cache DIR``, ``--no-cache``).
CACHE_DIR = ".tpcheck-cache"

Progress = Callable[[int, int, str], None]
PathsLike = str | Path | Iterable[str | Path]


class Result:
    """What ``merge`` or ``check`` found: ``frame`` (every row of every readable file, see
    :mod:`tpcheck.frame`), ``report`` (a :class:`~tpcheck.findings.Report`) and :meth:`write`."""

    def __init__(
        self,
        frame: pd.DataFrame,
        report: Report,
        *,
        kind: str = "merge",
        lang: str = "ru",
        inputs: Sequence[str | Path] = (),
        cache: MergeCache | None = None,
    ):
        self.frame = frame
        self.report = report
        self.kind = kind
        self.lang = lang
        self.inputs = [str(p) for p in inputs]
        #: the merge cache the run used (``merge(cache=…)``): :meth:`write` takes and keeps the
        #: return copies there too
        self.cache = cache

    def __repr__(self) -> str:
        s = self.report.summary
        return (
            f"<Result {self.kind}: files={s['files']} rows={len(self.frame)} "
            f"errors={s['errors']} warnings={s['warnings']}>"
        )

    @property
    def valid(self) -> bool:
        """True when no finding is an error."""
        return self.report.valid

    @property
    def readable(self) -> int:
        """How many input files were read."""
        return self.report.summary["files_ok"]

    def write(
        self, folder: str | Path, *, workers: int | None = None, fixed_copies: bool = False
    ) -> list[Path]:
        """Write the outputs into *folder* (created if needed) and return their paths: for
        ``merge`` the consolidated workbook, the error report (xlsx, csv, html), report.json and
        a return copy per input file in ``vozvrat/``; for ``check`` the same without the
        consolidated workbook, return copies in *folder*. All or nothing; inputs are never
        overwritten (:class:`~tpcheck.errors.OutputError`). *fixed_copies*: also the
        «исправленная копия» of each file with notices, beside its return copy
        (:mod:`tpcheck.write.fixed`), written with the others, all or none."""
        written = write_outputs(
            self.frame,
            self.report,
            folder,
            kind=self.kind,
            lang=self.lang,
            inputs=self.inputs,
            workers=workers,
            fixed_copies=fixed_copies,
            cache=self.cache,
        )
        if self.cache is not None:
            self.cache.prune()  # the entries of files removed or changed since
        return written

    def _repr_html_(self) -> str:
        """The notebook table in the result's ``lang``: the terminal's table of files, then the
        findings (:mod:`tpcheck.notebook`)."""
        from .notebook import findings_html

        return findings_html(
            self.report,
            self.lang,
            title=f"tpcheck {self.kind}",
            files=self.report.files,
            status=output_spec().labels(self.lang).status,
        )


def _paths(paths: PathsLike) -> list[str | Path]:
    if isinstance(paths, str | Path):
        return [paths]
    return list(paths)


def _missing(report: Report) -> list[str]:
    return [i.value or i.message for i in report.records if i.code == "roster-no-submission"]


def _pipeline(
    frame: pd.DataFrame,
    report: Report,
    *,
    kind: str = "merge",
    lang: str | None = None,
    inputs: Sequence[str | Path] = (),
    roster: Any = None,
    cache: MergeCache | None = None,
) -> Result:
    """The seam between the stages and the writers: a :class:`Result` of a frame and a report
    made elsewhere (by the reader and the validator, or by hand in tests)."""
    if roster is not None and "missing_subdivisions" not in report.summary:
        report.extra["missing_subdivisions"] = _missing(report)
    return Result(frame, report, kind=kind, lang=lang or report.lang, inputs=inputs, cache=cache)


def _run(
    kind: str,
    paths: PathsLike,
    classifiers: Classifiers | str | Path | None,
    lang: str,
    roster: Any,
    registry: Any,
    progress: Progress | None,
    cache: str | Path | None = None,
) -> Result:
    inputs = _paths(paths)
    store = None
    if cache is not None:
        classifiers = pipeline.resolve_classifiers(classifiers)
        store = MergeCache(cache, digest=classifiers.digest, lang=lang, limits=DEFAULT_LIMITS)
    frame, report = pipeline.run(
        inputs,
        classifiers=classifiers,
        lang=lang,
        roster=roster,
        registry=registry,
        progress=progress,
        cache=store,
    )
    return _pipeline(frame, report, kind=kind, lang=lang, inputs=inputs, roster=roster, cache=store)


def merge(
    paths: PathsLike,
    *,
    classifiers: Classifiers | str | Path | None = None,
    lang: str = "ru",
    roster: Any = None,
    registry: Any = None,
    progress: Progress | None = None,
    cache: str | Path | None = None,
) -> Result:
    """Read every workbook in *paths* (files or folders), validate the rows and return a
    :class:`Result`; ``result.write(folder)`` writes the consolidated workbook, the error report
    and the return copies. *roster* (the subdivisions expected to submit) and *registry* (the
    registry of processes) are passed to :func:`tpcheck.validate`; *progress* is called as
    ``progress(done, total, path)`` while reading.

    *cache*: a folder where each input file's reading, per-file checks and return copy are kept
    (keyed by the file's sha256 and the versions of tpcheck and the classifiers), so that a
    re-merge after a few files changed reads, checks and writes again only those; the
    cross-file checks, the consolidated workbook and the reports are made again in full, and
    every output is the same as without the cache (:mod:`tpcheck.reading.cache`)."""
    return _run("merge", paths, classifiers, lang, roster, registry, progress, cache)


def check(
    paths: PathsLike,
    *,
    classifiers: Classifiers | str | Path | None = None,
    lang: str = "ru",
    roster: Any = None,
    registry: Any = None,
    progress: Progress | None = None,
) -> Result:
    """The same findings as :func:`merge`, for a clerk checking their own files;
    ``result.write(folder)`` writes a return copy per file, report.json and the error report."""
    return _run("check", paths, classifiers, lang, roster, registry, progress)
