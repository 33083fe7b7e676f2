"""Notices of the values the reader rewrote: a code, a synonym or a Latin look-alike spelling read
as a classifier's canonical label.

The reader puts the canonical label in ``<key>`` and keeps the cell as written in ``<key>_raw``
(:mod:`tpcheck.reading.normalize`). Where the two differ by more than case, ё/е, spaces and a
trailing full stop, the clerk is told, with the original (``value``) and the value used
(``used``) — one notice per cell: ``value-code``, ``value-synonym`` or ``value-lookalike``.
The kind is worked out once per distinct original text of a column.
"""

from __future__ import annotations

import re
from typing import Any

from ..classifiers import ClassifierList, Entry
from ..findings import Issue
from ..text import match_key
from .locator import FrameLocator, Table, is_missing

__all__ = ["rewrite_issues", "rewrite_kind"]

_LATIN = re.compile("[A-Za-z]")
_TRAILING = re.compile(r"[\s.,;:!?]+$")
#: From the mildest: a piece with several kinds of rewrite names the strongest.
_KINDS = ("value-lookalike", "value-synonym", "value-code")


def _plain(text: str) -> str:
    """*text* without what never counts as a rewrite: case, ё/е, spaces, trailing punctuation."""
    return _TRAILING.sub("", " ".join(text.casefold().replace("ё", "е").split()))


def _piece_kind(piece: str, entry: Entry) -> str | None:
    """How *piece* was turned into *entry*'s label, or None when it is the label as written."""
    if _plain(piece) == _plain(entry.label):
        return None
    key = match_key(piece)
    if key == match_key(entry.label):
        return "value-lookalike" if _LATIN.search(piece) else None
    synonyms = {match_key(text) for text in entry.synonyms}
    if key in synonyms:
        return (
            "value-lookalike"
            if _LATIN.search(piece)
            and _plain(piece) not in {_plain(text) for text in entry.synonyms}
            else "value-synonym"
        )
    return "value-code"


def rewrite_kind(text: str, classifier: ClassifierList, multi: bool) -> str | None:
    """The notice code for a cell *text* of a column of *classifier* (None: nothing rewritten
    beyond case and spaces, or nothing recognised)."""
    if multi:
        pieces = classifier.split(text)
    else:
        entry = classifier.match(text)
        pieces = [(text.strip(), entry)]
    kinds = {_piece_kind(piece, entry) for piece, entry in pieces if entry is not None}
    kinds.discard(None)
    if not kinds:
        return None
    return max(kinds, key=_KINDS.index)


def _used(value: Any) -> str:
    return "; ".join(map(str, value)) if isinstance(value, list) else str(value)


def _table_issues(table: Table, locator: FrameLocator) -> list[Issue]:
    found: list[Issue] = []
    classifiers = locator.classifiers
    for column in table.columns:
        if column.classifier is None or not len(table):
            continue
        classifier = classifiers[column.classifier]
        originals = table.frame[f"{column.key}_raw"].to_numpy(dtype=object)
        values = table.frame[column.key].to_numpy(dtype=object)
        kinds: dict[str, str | None] = {}
        for position, original in enumerate(originals):
            if original.__class__ is not str or not original:
                continue
            kind = kinds.get(original, "")
            if kind == "":
                kind = kinds[original] = rewrite_kind(original, classifier, column.multi)
            if kind is None or is_missing(values[position]):
                continue
            found.append(
                locator.cell(kind, table, position, column.key, used=_used(values[position]))
            )
    return found


def rewrite_issues(data: Table, requirements: Table, locator: FrameLocator) -> list[Issue]:
    """The notices of every rewritten classifier cell of the «Перечень» and «Требования п. 4.2»
    rows."""
    return _table_issues(data, locator) + _table_issues(requirements, locator)
