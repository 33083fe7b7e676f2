"""The consolidated frame: the contract between reading, validation and the writers.

:func:`tpcheck.read` returns a pandas DataFrame with one row per data row of every readable input:

* provenance — ``source_file`` (the path as reported), ``source_sheet``, ``source_row`` (the Excel
  row number the clerk sees, int);
* one column per key of the column spec (``number``, ``direction``, … ``note``) holding the
  normalised value: classifier columns hold the canonical label when the value matched, otherwise
  the cleaned text as written (so the schema flags it); ``needs`` holds a list of such values;
  text columns hold :func:`tpcheck.text.clean` text; an empty cell is missing (None/NaN; ``needs``
  is ``[]``);
* ``<key>_raw`` for every key — the cell exactly as the clerk sees it (numbers and dates as
  displayed), for the reports and the return copies; for a direction taken from a group row
  above, the group row's text;
* the unknown extra columns of the inputs, named by their headers, values as displayed.

What is not per row travels in ``frame.attrs["tpcheck"]``, a :class:`ReadContext` (files met,
file- and cell-level findings of the reader, the rows of the «Требования п. 4.2» sheets, the
classifiers used), reached through the ``frame.tpcheck`` accessor.

The requirements frame (``frame.tpcheck.requirements``) has the same provenance columns, the keys
of the requirement columns (``row_ref``, ``requirement``, ``value``, ``comment``) normalised the
same way, and their ``_raw`` twins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .cells import a1
from .classifiers import Classifiers, Column, default_classifiers
from .findings import FileInfo, Issue

__all__ = [
    "CONTEXT_KEY",
    "PROVENANCE",
    "RAW_SUFFIX",
    "ReadContext",
    "cell_address",
    "context_of",
    "empty_frame",
    "raw",
]

PROVENANCE = ("source_file", "source_sheet", "source_row")
RAW_SUFFIX = "_raw"
CONTEXT_KEY = "tpcheck"


def raw(key: str) -> str:
    """Name of the column holding the original of *key*: ``raw("needs")`` → ``"needs_raw"``."""
    return key + RAW_SUFFIX


@dataclass
class ReadContext:
    """What :func:`tpcheck.read` learned besides the rows. Shared, not copied, by the frames
    derived from the one read (pandas deep-copies ``attrs`` on most operations)."""

    classifiers: Classifiers = field(default_factory=default_classifiers)
    files: list[FileInfo] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    requirements: pd.DataFrame | None = None
    #: shown path → kind of every workbook tpcheck wrote among the inputs (``tpcheck-kind``)
    kinds: dict[str, str] = field(default_factory=dict)

    def __deepcopy__(self, memo: dict[int, Any]) -> ReadContext:
        return self

    def file(self, path: str) -> FileInfo | None:
        for info in self.files:
            if info.path == path:
                return info
        return None


def context_of(frame: pd.DataFrame) -> ReadContext:
    """The :class:`ReadContext` of *frame*; an empty one (built-in classifiers, no files) for a
    frame made by hand."""
    context = frame.attrs.get(CONTEXT_KEY)
    if isinstance(context, ReadContext):
        return context
    return ReadContext()


def empty_frame(columns: Iterable[Column] | None = None) -> pd.DataFrame:
    """A frame with the contract's columns and no rows."""
    columns = tuple(columns or default_classifiers().columns)
    names = list(PROVENANCE)
    for column in columns:
        names += [column.key, raw(column.key)]
    frame = pd.DataFrame({name: pd.Series([], dtype=object) for name in names})
    frame["source_row"] = frame["source_row"].astype("int64")
    return frame


def cell_address(
    info: FileInfo | None,
    key: str,
    row: int,
    columns: Iterable[Column],
    sheet: str | None = None,
) -> tuple[str | None, str | None]:
    """``(header, A1 cell)`` of column *key* at Excel *row* of the file described by *info*
    (on its data *sheet*, when the rows come from several); falls back to the template's
    layout when the file's layout is unknown."""
    if info is not None:
        data = info.sheet_columns.get(sheet, info.columns) if sheet else info.columns
        mapping = data if key in data else info.requirement_columns
        if key in mapping:
            index, header = mapping[key]
            return header, a1(row, index)
        if data or info.requirement_columns:
            return None, None
    for index, column in enumerate(columns):
        if column.key == key:
            return column.template_header, a1(row, index)
    return None, None


@pd.api.extensions.register_dataframe_accessor("tpcheck")
class TpcheckAccessor:
    """``frame.tpcheck.files``, ``.issues``, ``.requirements``, ``.classifiers``."""

    def __init__(self, frame: pd.DataFrame):
        self._frame = frame

    @property
    def context(self) -> ReadContext:
        return context_of(self._frame)

    @property
    def files(self) -> list[FileInfo]:
        return self.context.files

    @property
    def issues(self) -> list[Issue]:
        return self.context.issues

    @property
    def requirements(self) -> pd.DataFrame | None:
        return self.context.requirements

    @property
    def classifiers(self) -> Classifiers:
        return self.context.classifiers
