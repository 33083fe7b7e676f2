"""Where each issue belongs: the frame row (or «Требования п. 4.2» row) and column it is about.

Every writer places the same :class:`Location` on its own sheet: the consolidated «Перечень» at the
row's position in the frame, a return copy at the clerk's own row, the п. 4.2 matrix at the
touchpoint × requirement cell. A cell-level issue names its column by ``field`` (the column key,
or the name of an extra column: the reader and the validator set it on every finding about a
column, so nothing is guessed from a header's text); an issue about a whole row (scope ``row`` in
issues.toml, or one without a field) goes to the row's touchpoint cell; a file-level issue has
no cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from ..classifiers import Classifiers
from ..findings import FileInfo, Issue, issue_types
from ..frame import PROVENANCE, RAW_SUFFIX, context_of

__all__ = ["ROW_KEY", "Location", "Placer", "extra_columns", "locate_all"]

#: The column that carries the findings about a whole row.
ROW_KEY = "touchpoint"
#: The column of a «Требования п. 4.2» row that carries the findings about the whole row.
REQUIREMENT_ROW_KEY = "requirement"

DATA = "data"
DATA_HEADER = "data_header"
REQUIREMENT = "requirement"
REQUIREMENT_HEADER = "requirement_header"
FILE = "file"


@dataclass(frozen=True, slots=True)
class Location:
    """``kind`` — ``data`` (a row of the frame), ``data_header`` (a header cell of the data sheet),
    ``requirement`` (a row of the requirements frame), ``requirement_header`` or ``file``;
    ``index`` — the position of the row in its frame; ``key`` — the column (a spec key or an
    extra column's name), None for the whole row."""

    kind: str
    index: int | None = None
    key: str | None = None

    @property
    def on_cell(self) -> bool:
        return self.kind != FILE


def extra_columns(frame: pd.DataFrame, classifiers: Classifiers) -> list[str]:
    """The unknown extra columns of the inputs carried in *frame*, in its order."""
    known = set(PROVENANCE)
    for column in (*classifiers.columns,):
        known.update((column.key, column.key + RAW_SUFFIX))
    return [str(name) for name in frame.columns if name not in known]


def _positions(frame: pd.DataFrame | None) -> tuple[dict, dict]:
    exact: dict[tuple[str, str, int], int] = {}
    loose: dict[tuple[str, int], int] = {}
    if frame is None or frame.empty or "source_file" not in frame.columns:
        return exact, loose
    files = frame["source_file"].tolist()
    sheets = frame["source_sheet"].tolist()
    rows = frame["source_row"].tolist()
    for position, (file, sheet, row) in enumerate(zip(files, sheets, rows, strict=True)):
        exact.setdefault((file, sheet, int(row)), position)
        loose.setdefault((file, int(row)), position)
    return exact, loose


class Placer:
    """Places issues back on a written sheet: finds the :class:`Location` of each in a frame of the
    read contract."""

    def __init__(self, frame: pd.DataFrame, files: Sequence[FileInfo] = ()):
        context = context_of(frame)
        self.classifiers = context.classifiers
        self.files = {info.path: info for info in (*context.files, *files)}
        self._data, self._data_loose = _positions(frame)
        self._requirements, _ = _positions(context.requirements)
        self._extras = set(extra_columns(frame, self.classifiers))
        self._scopes = {code: kind.scope for code, kind in issue_types().items()}
        self._spec = {
            False: {c.key: c for c in self.classifiers.columns},
            True: {c.key: c for c in self.classifiers.requirement_columns},
        }

    def locate(self, item: Issue) -> Location:
        scope = self._scopes.get(item.code, "cell")
        if item.file is None or item.row is None or scope == "file":
            return Location(FILE)
        info = self.files.get(item.file)
        row = int(item.row)
        if info is not None and item.sheet is not None and item.sheet == info.requirements_sheet:
            index = self._requirements.get((item.file, item.sheet, row))
            if index is not None:
                key = self._key(item, True) if scope == "cell" else None
                return Location(REQUIREMENT, index, key)
            if row == info.requirement_header_row:
                key = self._key(item, True)
                if key is not None:
                    return Location(REQUIREMENT_HEADER, None, key)
            return Location(FILE)
        if item.sheet is None:
            index = self._data_loose.get((item.file, row))
        else:
            index = self._data.get((item.file, item.sheet, row))
        if index is not None:
            return Location(DATA, index, self._key(item, False) if scope == "cell" else None)
        if info is not None and row == info.header_row:
            key = self._key(item, False)
            if key is not None:
                return Location(DATA_HEADER, None, key)
        return Location(FILE)

    def _key(self, item: Issue, requirement: bool) -> str | None:
        """The column of *item*: its ``field`` — a key of the spec, or the name of an extra
        column of the data sheet — never guessed from its header text or its cell."""
        if item.field in self._spec[requirement]:
            return item.field
        if not requirement and item.field in self._extras:
            return item.field
        return None


def locate_all(
    frame: pd.DataFrame, issues: Iterable[Issue], files: Sequence[FileInfo] = ()
) -> list[tuple[Issue, Location]]:
    """Each issue with its location in *frame* (*files*: the report's, besides the frame's own)."""
    placer = Placer(frame, files)
    return [(item, placer.locate(item)) for item in issues]
