"""Where a finding is, and the :class:`~tpcheck.findings.Issue` made there.

Validation works on frames of the read contract (:mod:`tpcheck.frame`). A :class:`Table` wraps one
such frame (the «Перечень» rows, or the «Требования п. 4.2» rows) with a fresh positional index,
so that checks can be vectorised and their results addressed by position. A :class:`FrameLocator`
turns a position and a column key into an issue with the file, sheet, Excel row, the header as it
is in the clerk's file, the A1 cell and the original value (``<key>_raw``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..classifiers import Column
from ..findings import FileInfo, Issue, issue
from ..frame import PROVENANCE, RAW_SUFFIX, ReadContext, cell_address, raw

__all__ = ["FrameLocator", "Table", "is_missing"]

_UNSET: Any = object()


def is_missing(value: Any) -> bool:
    """True for what counts as an empty cell: None, NaN, ``""`` and an empty list."""
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    if isinstance(value, str | list | tuple):
        return len(value) == 0
    return False


class Table:
    """The rows of one sheet kind, positionally indexed: ``frame`` (a RangeIndex copy of the
    columns needed), the spec ``columns`` of that sheet, and the provenance as arrays."""

    def __init__(self, frame: pd.DataFrame | None, columns: Sequence[Column]):
        self.columns = tuple(columns)
        wanted = [*PROVENANCE]
        for column in self.columns:
            wanted += [column.key, raw(column.key)]
        if frame is None:
            frame = pd.DataFrame(columns=wanted)
        missing = [name for name in wanted if name not in frame.columns]
        view = frame[[name for name in wanted if name in frame.columns]].reset_index(drop=True)
        view.attrs = {}  # pandas deep-copies attrs on every operation; the view needs none
        for name in missing:
            if name.endswith(RAW_SUFFIX) and name.removesuffix(RAW_SUFFIX) in view.columns:
                # no original kept: the value itself is what the clerk sees (lists joined)
                values = view[name.removesuffix(RAW_SUFFIX)]
                fill: Any = [
                    "; ".join(map(str, v)) if isinstance(v, list) else v for v in values.tolist()
                ]
            elif _is_multi(name, self.columns):
                fill = [[] for _ in range(len(view))]
            else:
                fill = None
            view[name] = pd.Series(fill, dtype=object, index=view.index)
        self.frame = view
        self.file: np.ndarray = view["source_file"].to_numpy(dtype=object)
        self.sheet: np.ndarray = view["source_sheet"].to_numpy(dtype=object)
        self.row: np.ndarray = view["source_row"].to_numpy()
        self._raw: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.frame)

    def raw(self, key: str, position: int) -> Any:
        """The original text of column *key* at *position* (None when empty)."""
        values = self._raw.get(key)
        if values is None:
            values = self._raw[key] = self.frame[raw(key)].to_numpy(dtype=object)
        value = values[position]
        return None if is_missing(value) else value


def _is_multi(name: str, columns: Sequence[Column]) -> bool:
    return any(column.key == name and column.multi for column in columns)


class FrameLocator:
    """Makes issues at cells of the files described by a :class:`~tpcheck.frame.ReadContext`,
    with messages in *lang*."""

    def __init__(self, context: ReadContext, lang: str = "ru"):
        self.lang = lang
        self.classifiers = context.classifiers
        self._infos = {info.path: info for info in context.files}
        self._columns = {
            "data": self.classifiers.columns,
            "requirements": self.classifiers.requirement_columns,
        }
        self._spec = {
            column.key: column
            for column in (*self.classifiers.columns, *self.classifiers.requirement_columns)
        }
        self._requirement_keys = {column.key for column in self.classifiers.requirement_columns}
        self._addresses: dict[tuple[Any, str | None, str], tuple[str, str | None]] = {}

    def info(self, path: Any) -> FileInfo | None:
        return self._infos.get(path)

    def has_column(self, path: Any, key: str) -> bool:
        """False when the layout of the file at *path* is known and has no column *key* (the
        reader has then reported the missing column once for the whole file)."""
        info = self._infos.get(path)
        if info is None:
            return True
        mapping = info.requirement_columns if key in self._requirement_keys else info.columns
        if not mapping:
            return True
        return key in mapping

    def header(self, path: Any, key: str) -> str:
        """The header of column *key* as written in the file at *path*, else as in the spec."""
        info = self._infos.get(path)
        if info is not None:
            mapping = info.requirement_columns if key in self._requirement_keys else info.columns
            if key in mapping:
                return mapping[key][1]
        return self._spec[key].template_header

    def address(
        self, path: Any, key: str, row: int, sheet: str | None = None
    ) -> tuple[str, str | None]:
        """``(header, A1 cell)`` of column *key* at Excel *row* of the file at *path* (on
        *sheet*, when the file's rows come from several sheets)."""
        info = self._infos.get(path)
        if sheet is not None and (info is None or sheet not in info.sheet_columns):
            sheet = None  # one layout for the whole file
        known = self._addresses.get((path, sheet, key))
        if known is None:
            kind = "requirements" if key in self._requirement_keys else "data"
            header, cell = cell_address(info, key, 1, self._columns[kind], sheet)
            letters = cell[:-1] if cell else None  # the column's letters: the cell of row 1
            known = (header or self.header(path, key), letters)
            self._addresses[(path, sheet, key)] = known
        header, letters = known
        return header, f"{letters}{int(row)}" if letters else None

    def cell(
        self, code: str, table: Table, position: int, key: str, value: Any = _UNSET, **params: Any
    ) -> Issue:
        """The issue *code* at column *key* of the row at *position* of *table*; *value*
        defaults to the cell's original text."""
        path = table.file[position]
        row = int(table.row[position])
        sheet = table.sheet[position]
        header, cell = self.address(path, key, row, sheet)
        if value is _UNSET:
            value = table.raw(key, position)
        return issue(
            code,
            lang=self.lang,
            file=path,
            sheet=sheet,
            row=row,
            column=header,
            cell=cell,
            value=value,
            field=key,
            **params,
        )

    def general(self, code: str, **params: Any) -> Issue:
        """An issue that belongs to no cell (completeness of the whole submission)."""
        return issue(code, lang=self.lang, **params)
