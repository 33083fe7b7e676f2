"""Normalisation: the cell texts a clerk wrote → the values of the consolidated frame.

Every column of the column spec becomes two: ``<key>`` with the normalised value and
``<key>_raw`` with the original text (see :mod:`tpcheck.frame`). Classifier columns get the
canonical label when the text names an entry (by code, label or synonym), else the cleaned text;
the multi-value ``needs`` column becomes a list. Work is done once per distinct value, so a column
of 100,000 cells with a few hundred distinct values costs a few hundred matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from ..classifiers import ClassifierList, Classifiers, Column
from ..frame import raw
from ..text import clean

_CACHE_LIMIT = 200_000

__all__ = [
    "normalize",
    "normalize_column",
    "normalize_multi",
    "normalize_single",
    "normalize_text",
]


def normalize_text(value: Any) -> str | None:
    """A free-text cell: :func:`~tpcheck.text.clean` text, or None when nothing is left."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    original = value if value.__class__ is str else str(value)
    text = clean(original)
    if text == original:
        return original  # the same object: stored (and pickled) once with its original
    return text or None


def normalize_single(value: Any, classifier: ClassifierList) -> str | None:
    """A single-value classifier cell: the canonical label, or the cleaned text when it names no
    entry (the schema then reports it with suggestions)."""
    text = normalize_text(value)
    if text is None:
        return None
    entry = classifier.match(text)
    return entry.label if entry is not None else text


def normalize_multi(value: Any, classifier: ClassifierList) -> list[str]:
    """A multi-value cell: canonical labels in the classifier's order, each once, then the pieces
    that name no entry, as written."""
    text = normalize_text(value)
    if text is None:
        return []
    order = {label: index for index, label in enumerate(classifier.labels)}
    known: set[str] = set()
    unknown: list[str] = []
    for piece, entry in classifier.split(text):
        if entry is not None:
            known.add(entry.label)
        elif piece not in unknown:
            unknown.append(piece)
    return sorted(known, key=order.__getitem__) + unknown


def _normalizer(column: Column, classifiers: Classifiers):
    if column.classifier is None:
        return normalize_text
    classifier = classifiers[column.classifier]
    if column.multi:
        return lambda value: normalize_multi(value, classifier)
    return lambda value: normalize_single(value, classifier)


def _map_distinct(
    values: Iterable[Any], function, cache: dict[Any, Any] | None = None
) -> list[Any]:
    """Apply *function* once per distinct value of *values* (None and NaN count as None);
    *cache* (value → result) may be kept between calls on the same column."""
    cache = {} if cache is None else cache
    result = []
    append = result.append
    for value in values:
        try:
            mapped = cache[value]
        except KeyError:
            key = None if value is None or (value.__class__ is float and value != value) else value
            mapped = function(key)
            if len(cache) < _CACHE_LIMIT:
                cache[value] = mapped
        except TypeError:  # an unhashable cell value: no caching
            mapped = function(value)
        append(list(mapped) if mapped.__class__ is list else mapped)
    return result


def _original(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value)


def normalize_column(
    values: Sequence[Any],
    column: Column,
    classifiers: Classifiers,
    cache: dict[Any, Any] | None = None,
) -> tuple[list[Any], list[str | None]]:
    """``(normalised values, originals)`` of one column's cells (see :func:`normalize`).
    *cache* (a dict kept by the caller for this column and these classifiers) saves matching
    the same value again in the next call."""
    originals = [v if v.__class__ is str else _original(v) for v in values]
    return _map_distinct(originals, _normalizer(column, classifiers), cache), originals


def normalize(
    cells: pd.DataFrame | Sequence[Mapping[str, Any]] | Iterable[Mapping[str, Any]],
    columns: Sequence[Column],
    classifiers: Classifiers,
) -> pd.DataFrame:
    """Turn *cells* (one row per data row; a column per spec key holding the text as the clerk
    sees it, None for empty; any other columns — provenance, extras — carried as they are) into
    the frame of :mod:`tpcheck.frame`: ``<key>`` normalised and ``<key>_raw`` original, for every
    column of *columns* (a missing column counts as empty)."""
    source = cells if isinstance(cells, pd.DataFrame) else pd.DataFrame(list(cells))
    keys = {column.key for column in columns}
    out: dict[str, Any] = {}
    for name in source.columns:
        if name not in keys:
            out[name] = source[name].tolist()
    length = len(source)
    for column in columns:
        values = source[column.key].tolist() if column.key in source.columns else [None] * length
        out[column.key], out[raw(column.key)] = normalize_column(values, column, classifiers)
    frame = pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in out.items()})
    if "source_row" in frame.columns:
        frame["source_row"] = frame["source_row"].astype("int64")
    return frame
