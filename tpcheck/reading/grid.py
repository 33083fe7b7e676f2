"""The cells of a sheet as the reader sees them — the grid of a sheet, the text a cell shows
(:func:`display`), blank cells — and the matching of header texts to the column spec
(:class:`HeaderMatch`, :class:`Header`). Shared by the row reader (:mod:`.sheet`) and the form
layouts (:mod:`.layout`)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..classifiers import Column
from ..text import INVISIBLE, clean, match_key, strip_clause_suffix

_BLANKS = (
    " \t\r\n\u00a0\u2007\u202f\u3000\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a"
    + "".join(INVISIBLE)
)
_CLOSE_CUTOFF = 0.88
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_DIGIT = re.compile(r"\d")


@dataclass
class Grid:
    """A sheet as read: ``rows`` are ``(Excel row number, values)`` with ``values[0]`` in the
    column ``col_offset`` (zero-based); values are as the parser gives them ("" for an empty
    cell); rows absent from the list are empty. The other fields come from the package scan
    (Excel row numbers, zero-based columns)."""

    name: str
    rows: list[tuple[int, Sequence[Any]]]
    col_offset: int = 0
    width: int = 0
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)


# ------------------------------------------------------------------------------ cell values


def _number(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(value, ".15g").replace(".", ",")


def _clock(value: dt.time | dt.datetime) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def display(value: Any) -> str | None:
    """A cell as the clerk sees it in Russian Excel: text unchanged, ``1.0`` → ``1``,
    ``1.5`` → ``1,5``, a date → ``05.03.2024``, TRUE → ``ИСТИНА``; blank → None."""
    if value.__class__ is str:
        return value if value.strip(_BLANKS) else None
    if value is None:
        return None
    if isinstance(value, bool):
        return "ИСТИНА" if value else "ЛОЖЬ"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d.%m.%Y")
        return f"{value:%d.%m.%Y} {_clock(value)}"
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.time):
        return _clock(value)
    if isinstance(value, dt.timedelta):
        seconds = int(value.total_seconds())
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    text = str(value)
    return text if text.strip(_BLANKS) else None


# ------------------------------------------------------------------------------ headers


_HEADER_KEYS: dict[str, str] = {}


def header_key(text: str) -> str:
    """What a header is compared on: line breaks, case, ё/е, spaces, a trailing «*» and a
    clause suffix do not count."""
    key = _HEADER_KEYS.get(text)
    if key is None:
        key = match_key(strip_clause_suffix(clean(str(text)).replace("\n", " ")))
        if len(_HEADER_KEYS) < 20_000:
            _HEADER_KEYS[text] = key
    return key


class HeaderMatch:
    """Maps header texts to the keys of *columns*."""

    def __init__(self, columns: Sequence[Column]):
        self.columns = tuple(columns)
        self.exact: dict[str, str] = {}
        for column in self.columns:
            for text in (column.header, column.template_header, *column.synonyms):
                self.exact.setdefault(header_key(text), column.key)
        for column in self.columns:
            self.exact.setdefault(column.key, column.key)
        self._close: dict[str, str | None] = {}
        self._matchers = [
            (difflib.SequenceMatcher(None, "", candidate, autojunk=False), key)
            for candidate, key in self.exact.items()
        ]
        self._longest = max(len(candidate) for candidate in self.exact)
        self.required = frozenset(column.key for column in self.columns if column.required)

    def key(self, text: str, close: bool = True) -> str | None:
        """The column key *text* names, or None; *close* allows close matches."""
        wanted = header_key(text)
        if not wanted:
            return None
        found = self.exact.get(wanted)
        if found is not None or not close:
            return found
        if wanted in self._close:
            return self._close[wanted]
        bare = match_key(_PARENTHESES.sub("", clean(str(text)).replace("\n", " "))).rstrip(" *")
        found = self.exact.get(bare) if bare else None
        if found is None:
            found = self._closest(wanted)
        if len(self._close) < 10_000:
            self._close[wanted] = found
        return found

    def _closest(self, wanted: str) -> str | None:
        if len(wanted) > self._longest * 2:
            return None
        scored = []
        for matcher, key in self._matchers:
            candidate = matcher.b
            if abs(len(candidate) - len(wanted)) > max(len(wanted), len(candidate)) // 3:
                continue
            matcher.set_seq1(wanted)
            if matcher.real_quick_ratio() < _CLOSE_CUTOFF - 0.04:
                continue
            if matcher.quick_ratio() < _CLOSE_CUTOFF - 0.04:
                continue
            scored.append((matcher.ratio(), key))
        scored.sort(reverse=True)
        if not scored or scored[0][0] < _CLOSE_CUTOFF:
            return None
        best_ratio, best = scored[0]
        for ratio, other in scored[1:]:
            if other != best and best_ratio - ratio < 0.04:
                return None
        return best


#: Header matchers by the identities of their columns (a Column hashes all its fields, every
#: time: too slow for a cache consulted for every sheet). The columns are kept with their
#: matcher, so that their identities are not taken by others.
_MATCHERS: dict[tuple[int, ...], tuple[tuple[Column, ...], HeaderMatch]] = {}


def _matcher(columns: tuple[Column, ...]) -> HeaderMatch:
    key = tuple(map(id, columns))
    found = _MATCHERS.get(key)
    if found is None:
        found = _MATCHERS[key] = (columns, HeaderMatch(columns))
    return found[1]


@dataclass
class Header:
    row: int
    columns: dict[str, tuple[int, str]]
    unknown: list[tuple[int, str]]
    duplicates: list[tuple[int, str, str]]  # (col, header, key)
    texts: list[str]


def _map_header(
    row: int, values: Sequence[Any], offset: int, match: HeaderMatch, close: bool
) -> Header:
    header = Header(row, {}, [], [], [])
    for index, value in enumerate(values):
        text = display(value)
        if text is None:
            continue
        shown = clean(text)
        col = index + offset
        header.texts.append(shown)
        key = match.key(shown, close)
        if key is None:
            header.unknown.append((col, shown))
        elif key in header.columns:
            header.duplicates.append((col, shown, key))
        else:
            header.columns[key] = (col, shown)
    return header


def _blank(value: Any) -> bool:
    """True for an empty cell: "" or None, or text of spaces and invisible characters only."""
    if value.__class__ is str:
        return not value.strip(_BLANKS)
    return value is None
