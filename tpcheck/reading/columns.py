"""The columns of the frame, normalised in the workers and carried compactly to the caller.

A worker sends, per column, the distinct values of its file once (the originals and, for spec
columns, their normalised values) and an array of codes, one per row: a column of 300 cells
with a dozen distinct labels crosses the process boundary as a dozen strings and 1.2 KB of
codes. The caller joins the files' columns with numpy (``take`` on object arrays), so building
the frame of 60,000 rows costs milliseconds, not a Python loop per cell.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd

from ..classifiers import Classifiers, Column
from ..frame import PROVENANCE, empty_frame, raw
from ..text import all_clean, clean
from .normalize import _map_distinct, _normalizer
from .sheet import _BLANKS, display

__all__ = ["EncodedColumn", "assemble", "encode_columns"]


@dataclass
class EncodedColumn:
    """One column of one file: ``values[codes[i]]`` is the value of row *i*; ``normalised``
    (spec columns) holds the normalised twin of each entry of ``values``."""

    codes: array
    values: list[Any]
    normalised: list[Any] | None = None


_PLAIN = {str, type(None)}  # types whose equal values always look the same


def _encode(cells: Sequence[Any]) -> tuple[array, list[Any], bool]:
    """Codes and distinct values of *cells*, and whether all of these are text; values of
    different types never share a code (``True == 1 == 1.0`` in a dict, but they show
    differently)."""
    distinct = list(dict.fromkeys(cells))
    types = set(map(type, distinct))
    if types <= _PLAIN:
        index = dict(zip(distinct, range(len(distinct)), strict=True))
        return array("I", map(index.__getitem__, cells)), distinct, types == {str}
    keyed: dict[Any, int] = {}
    values: list[Any] = []
    codes = array("I")
    for cell in cells:
        key = (cell.__class__, cell)
        code = keyed.get(key)
        if code is None:
            code = keyed[key] = len(values)
            values.append(cell)
        codes.append(code)
    return codes, values, False


def _shown(cells: list[Any], texts: bool) -> list[str | None]:
    """The distinct *cells* of a column as the clerk sees them (:func:`.sheet.display`). When
    they are all text (*texts*), only the blank ones change (to None), found by C loops."""
    if not texts:
        return [display(cell) for cell in cells]
    stripped = list(map(str.strip, cells, repeat(_BLANKS)))
    if all(stripped):
        return cells
    return [cell if text else None for cell, text in zip(cells, stripped, strict=True)]


def _free_text(cells: list[Any], texts: bool) -> tuple[list[Any], list[Any]]:
    """``(shown, normalised)`` of the distinct *cells* of a free-text column: the text shown
    (None when blank) and :func:`~tpcheck.text.clean`, None when nothing is left.

    The common case — all text, and every text takes clean's fast path (told at once by
    :func:`~tpcheck.text.all_clean`) — costs two C loops: no text can then be blank (blanks are
    spaces at the edges or characters that are not printable) but the empty cell, and none
    changes when cleaned, so both lists are the cells themselves (pickled once)."""
    if texts and all_clean(filter(None, cells)):
        if "" in cells:
            cells = list(cells)
            cells[cells.index("")] = None
        return cells, cells
    shown = _shown(cells, texts)
    return shown, [None if text is None else (clean(text) or None) for text in shown]


#: Normalised values by (classifiers, classifier, multi-value), kept for the life of the
#: process: a worker reads many files written with the same vocabulary.
_CACHES: dict[tuple[str, str, bool], dict[Any, Any]] = {}


def encode_columns(
    texts: dict[str, Sequence[Any]],
    count: int,
    columns: Sequence[Column],
    extras: Sequence[str],
    classifiers: Classifiers,
) -> dict[str, EncodedColumn]:
    """Encode and normalise the cells of one file's rows (*texts*: key or extra header → the
    cells as the parser gave them, shown as the clerk sees them by :func:`.sheet.display`; a key
    that is absent counts as empty). The work is per distinct value of a column, in C loops
    where it can be."""
    encoded: dict[str, EncodedColumn] = {}
    for column in columns:
        codes, cells, all_text = _encode(texts.get(column.key) or [""] * count)
        if column.classifier is None:
            # Free text: nothing to match, and mostly distinct values not worth caching.
            shown, normalised = _free_text(cells, all_text)
        else:
            shown = _shown(cells, all_text)
            key = (classifiers.digest, column.classifier, column.multi)
            cache = _CACHES.setdefault(key, {})
            normalised = _map_distinct(shown, _normalizer(column, classifiers), cache)
        encoded[column.key] = EncodedColumn(codes, shown, normalised)
    for name in extras:
        codes, cells, all_text = _encode(texts[name])
        encoded[name] = EncodedColumn(codes, _shown(cells, all_text))
    return encoded


def _objects(values: list[Any]) -> np.ndarray:
    """A 1-d object array of *values* (lists stay list objects, never a second dimension)."""
    return np.fromiter(values, dtype=object, count=len(values))


def _join(parts: list[tuple[int, EncodedColumn | None]], normalised: bool, out: np.ndarray) -> None:
    """The column over all files into *out*: each file's table taken at its codes."""
    tables: list[Any] = [None]  # code 0: a file without this column
    raw_codes = array("I")
    offsets = []
    for count, column in parts:
        if column is None:
            raw_codes.extend(array("I", bytes(4 * count)))
            offsets.append(0)
            continue
        table = column.normalised if normalised else column.values
        offsets.append(len(tables))
        tables.extend(table)  # type: ignore[arg-type]
        raw_codes.extend(column.codes)
    codes = np.frombuffer(raw_codes, dtype=np.uint32).astype(np.int64)
    codes += np.repeat(np.asarray(offsets, dtype=np.int64), [count for count, _ in parts])
    # mode="clip" (the codes are all in range) lets take() write straight into *out*.
    np.take(_objects(tables), codes, out=out, mode="clip")


def assemble(
    files: list[tuple[str, str, list[int], dict[str, EncodedColumn]]],
    columns: Sequence[Column],
    extras: Sequence[str],
) -> pd.DataFrame:
    """The frame of :mod:`tpcheck.frame` from the files' encoded columns: *files* holds, in
    order, ``(source_file, source_sheet, source_rows, columns)``.

    The object columns are written straight into the one two-dimensional array pandas keeps
    them in, so that building the frame copies nothing."""
    files = [f for f in files if f[2]]
    if not files:
        frame = empty_frame(columns)
        for name in extras:
            frame[name] = pd.Series([], dtype=object)
        return frame
    counts = [len(rows) for _, _, rows, _ in files]
    names = [PROVENANCE[0], PROVENANCE[1]]
    for column in columns:
        names += [column.key, raw(column.key)]
    names += extras
    block = np.empty((len(names), sum(counts)), dtype=object)
    slots = iter(block)  # the rows of the block, one per column, in the order of *names*
    next(slots)[:] = np.repeat(_objects([path for path, _, _, _ in files]), counts)
    next(slots)[:] = np.repeat(_objects([sheet for _, sheet, _, _ in files]), counts)
    for column in columns:
        parts = [
            (n, encoded.get(column.key))
            for n, (_, _, _, encoded) in zip(counts, files, strict=True)
        ]
        values = next(slots)
        _join(parts, True, values)
        if column.multi:
            # Each row its own list (take() repeats one object for equal values).
            lists = values.tolist()
            if None in lists:
                lists = [[] if v is None else v for v in lists]
            values[:] = np.fromiter(map(list, lists), dtype=object, count=len(lists))
        _join(parts, False, next(slots))
    for name in extras:
        parts = [
            (n, encoded.get(name)) for n, (_, _, _, encoded) in zip(counts, files, strict=True)
        ]
        _join(parts, False, next(slots))
    # Object columns as the contract says (pandas would infer its «str» dtype, NaN for None).
    frame = pd.DataFrame(block.T, columns=names, dtype=object, copy=False)
    source_rows = np.concatenate([np.asarray(rows, dtype=np.int64) for _, _, rows, _ in files])
    frame.insert(2, PROVENANCE[2], source_rows)
    return frame
