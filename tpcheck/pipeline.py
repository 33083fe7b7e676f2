"""The input step of every command: read → restore provenance → validate (:func:`run`), and
the checks ``publish`` and ``diff`` add on top (:func:`load_inputs`).

The inputs are the subdivisions' files and folders, or a consolidated workbook written by
``tpcheck merge`` (its «Перечень» sheet has the template's columns and then the provenance
columns «Файл», «Лист», «Строка»). Both are read by :func:`tpcheck.read` and checked by
:func:`tpcheck.validate`; for the rows of a consolidated workbook the original provenance is put
back before the check, so that findings name the subdivision's file and row and the cross-file
checks see the files the rows came from.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from .classifiers import Classifiers, default_classifiers, load_classifiers
from .errors import InputError
from .findings import Issue, Report
from .frame import CONTEXT_KEY, ReadContext, context_of
from .output.config import output_spec
from .output.kind import CONSOLIDATED
from .reading import read
from .reading.cache import MergeCache
from .text import match_key
from .validation import checked_report, validate

__all__ = [
    "load_inputs",
    "resolve_classifiers",
    "restore_provenance",
    "row_issues",
    "run",
]


def resolve_classifiers(classifiers: Classifiers | str | Path | None) -> Classifiers:
    """The classifiers given as an object or a path, or the built-in ones."""
    if classifiers is None:
        return default_classifiers()
    if isinstance(classifiers, Classifiers):
        return classifiers
    return load_classifiers(classifiers)


def _paths(inputs: str | Path | Iterable[str | Path]) -> list[Path]:
    items = [inputs] if isinstance(inputs, str | Path) else list(inputs)
    if not items:
        raise InputError(key="errors.no_inputs")
    paths = [Path(item) for item in items]
    for path in paths:
        if not path.exists():
            raise InputError(key="errors.no_such_input", values={"path": path})
    return paths


def restore_provenance(frame: pd.DataFrame) -> pd.DataFrame:
    """For the rows of a consolidated workbook that tpcheck wrote (recognised by its document
    property ``tpcheck-kind``, never by its column names: issue 15), put the original provenance
    of its columns «Файл», «Лист», «Строка» back into ``source_file``/``source_sheet``/
    ``source_row``; the workbook's own goes to ``consolidated_file``/``consolidated_row``. The
    rows of any other file — a clerk's filtered copy of the consolidated workbook included — keep
    their own provenance (those columns are extra columns there). Other frames are returned as
    they are."""
    context = context_of(frame)
    books = {path for path, kind in context.kinds.items() if kind == CONSOLIDATED}
    by_key = {match_key(name): name for name in frame.columns if isinstance(name, str)}
    headers = output_spec().provenance_headers  # as ``tpcheck merge`` writes them
    found = {key: by_key.get(match_key(header)) for key, header in headers.items()}
    if not books or not frame.shape[0] or any(name is None for name in found.values()):
        return frame
    ours = frame["source_file"].isin(books)
    rows = pd.to_numeric(frame[found["source_row"]], errors="coerce")
    files = frame[found["source_file"]].map(lambda v: None if pd.isna(v) else str(v).strip())
    known = ours & rows.notna() & files.map(bool)
    if not known.any():
        return frame
    restored = frame.copy()
    restored["consolidated_file"] = frame["source_file"]
    restored["consolidated_row"] = frame["source_row"]
    restored.loc[known, "source_file"] = files[known]
    sheets = frame[found["source_sheet"]].map(lambda v: None if pd.isna(v) else str(v).strip())
    restored.loc[known, "source_sheet"] = sheets[known]
    restored.loc[known, "source_row"] = rows[known].astype("int64")
    restored["source_row"] = restored["source_row"].astype("int64")
    # The consolidated workbook's own «Требования п. 4.2» sheet is a matrix, not the clerks' long
    # list: its rows are not requirement rows of the original files.
    requirements = context.requirements
    if requirements is not None and "source_file" in requirements.columns:
        requirements = requirements[~requirements["source_file"].isin(books)]
        requirements = requirements if len(requirements) else None
    restored.attrs[CONTEXT_KEY] = ReadContext(
        classifiers=context.classifiers,
        files=context.files,
        issues=context.issues,
        requirements=requirements,
        kinds=context.kinds,
    )
    return restored


def load_inputs(
    inputs: str | Path | Iterable[str | Path],
    *,
    classifiers: Classifiers | str | Path | None = None,
    lang: str = "ru",
    progress: bool | None = None,
) -> tuple[pd.DataFrame, Report]:
    """Read and check *inputs*: ``(frame, report)``. Raises :class:`InputError` when a path does
    not exist or nothing could be read."""
    paths = _paths(inputs)
    classifiers = resolve_classifiers(classifiers)
    frame = read(paths, classifiers=classifiers, progress=progress, lang=lang)
    files = context_of(frame).files
    if files and not any(info.status == "ok" for info in files):
        names = "; ".join(  # each with why it was not read (the terminal says it too)
            f"«{info.path}» — {info.reason}" if info.reason else f"«{info.path}»" for info in files
        )
        raise InputError(key="errors.none_read", values={"names": names})
    if not files and frame.empty:
        names = ", ".join(f"«{p}»" for p in paths)
        raise InputError(key="errors.no_tables", values={"names": names})
    frame = restore_provenance(frame)
    report = validate(frame, lang=lang)
    return frame, report


def run(
    inputs: Iterable[str | Path],
    *,
    classifiers: Classifiers | str | Path | None = None,
    lang: str = "ru",
    roster: Any = None,
    registry: Any = None,
    progress: Callable[[int, int, str], None] | bool | None = None,
    cache: MergeCache | None = None,
) -> tuple[pd.DataFrame, Report]:
    """Read *inputs*, put back the provenance of a consolidated workbook's rows and validate with
    *roster* and *registry*: ``(frame, report)``. A roster or registry given as a path that lies
    among the inputs is not read as a submission. With a *cache*
    (:class:`~tpcheck.reading.cache.MergeCache`), the files it holds are neither read nor
    checked file by file again, and the files read afresh are stored in it."""
    lists = {"roster": roster, "registry": registry}
    exclude = {value: kind for kind, value in lists.items() if isinstance(value, str | os.PathLike)}
    read_frame = read(
        list(inputs),
        classifiers=classifiers,
        progress=progress,
        exclude=exclude,
        cache=cache,
        lang=lang,
    )
    frame = restore_provenance(read_frame)
    if cache is None:
        return frame, validate(frame, lang=lang, roster=roster, registry=registry)
    # The rows of a consolidated workbook carry other files' names: their findings cannot be
    # kept by the file read, so such a run neither takes nor keeps per-file checks.
    usable = frame is read_frame
    known = cache.checked() if usable else None
    report, fresh = checked_report(frame, lang=lang, roster=roster, registry=registry, known=known)
    if usable and None not in fresh:
        cache.store(fresh)  # type: ignore[arg-type]
    return frame, report


def row_issues(frame: pd.DataFrame, report: Report) -> list[Issue]:
    """Every finding of *report* and of the reader (deduplicated, in order)."""
    seen: dict[Issue, None] = {}
    for item in (*report.records, *context_of(frame).issues):
        seen.setdefault(item, None)
    return list(seen)
