"""The layouts of official forms around the table: headers over several rows, a row numbering
the columns, and the form's lines above and below the data (totals, signatures, approval).

* :func:`combine_header` — a header spread over two or three rows (a group cell such as
  «Точка взаимодействия» merged over the sub-headers «наименование / тип / вид / адрес», the
  other headers merged down over all the rows) becomes one header; each column is matched on
  «sub-header group» («тип точки взаимодействия»), «group sub-header», the sub-header alone,
  then the group alone. The header row reported is the last row of the header.
* :func:`numbering` — the row right under the header that only numbers the columns
  (1, 2, 3 … as numbers or text).
* :func:`furniture_kind` — a line of the form: «Итого …», «Всего …», a signature line of
  underscores, «Исполнитель», «УТВЕРЖДАЮ», «СОГЛАСОВАНО», a date line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..text import clean
from .grid import Grid, Header, HeaderMatch, _blank, display

__all__ = ["combine_header", "furniture_kind", "numbering"]

_MAX_HEADER_ROWS = 3

_FURNITURE = (
    ("total", re.compile(r"^\s*(итого|всего)\b", re.IGNORECASE)),
    ("signature", re.compile(r"_{3,}")),
    ("executor", re.compile(r"^\s*(исполнитель|исп\.|ответственный исполнитель)\b", re.I)),
    ("approval", re.compile(r"^\s*(утверждаю|согласовано|утверждено|согласовано:)\b", re.I)),
    (
        "date",
        re.compile(
            r"^\s*(дата\s*[:.]?\s*)?(«\s*\d{0,2}\s*»\s*\S+\s+\d{2,4}|\d{1,2}\.\d{1,2}\.\d{2,4})"
            r"\s*(г\.?|года)?\s*$",
            re.I,
        ),
    ),
)

#: What each kind of form line is called in a notice.
FURNITURE_NAMES = {
    "ru": {
        "total": "строка итогов",
        "signature": "строка подписи",
        "executor": "сведения об исполнителе",
        "approval": "гриф утверждения или согласования",
        "date": "строка даты",
    },
    "en": {
        "total": "a totals line",
        "signature": "a signature line",
        "executor": "the executor's details",
        "approval": "an approval stamp",
        "date": "a date line",
    },
}

_DATE_LABEL = re.compile(r"^\s*дата\s*[:.]?\s*$", re.I)


def furniture_kind(texts: Sequence[str]) -> str | None:
    """The kind of form line the one or two filled cells *texts* of a row make, or None."""
    if not texts or len(texts) > 2:
        return None
    for kind, pattern in _FURNITURE:
        if kind == "date":
            # a date beside other text is data (a comment dated «01.01.2026»): a date line is the
            # date alone, or the date beside the word «Дата»
            if all(pattern.search(text) or _DATE_LABEL.match(text) for text in texts) and any(
                pattern.search(text) for text in texts
            ):
                return kind
        elif any(pattern.search(text) for text in texts):
            return kind
    return None


def numbering(values: Sequence[Any]) -> str | None:
    """``"1, 2, …, N"`` when the filled cells of *values* number the columns 1, 2, … N from
    left to right (at least three of them), else None."""
    expected = 1
    for value in values:
        if _blank(value):
            continue
        if value.__class__ is str:
            text = value.strip().rstrip(".")
            if not text.isdecimal():
                return None
            number = int(text)
        elif isinstance(value, bool):
            return None
        elif isinstance(value, int | float) and float(value).is_integer():
            number = int(value)
        else:
            return None
        if number != expected:
            return None
        expected += 1
    if expected <= 3:
        return None
    return f"1, 2, …, {expected - 1}"


def _spans(grid: Grid, rows: set[int]) -> list[tuple[int, int, int, int]]:
    """The merged ranges that start in *rows* and span more than one cell."""
    return [m for m in grid.merges if m[0] in rows and (m[2] > m[0] or m[3] > m[1])]


def _texts(
    grid: Grid, window: Sequence[int], by_row: dict[int, Sequence[Any]]
) -> list[list[str | None]]:
    """Per row of *window*, the text of each column (merged cells spread over the columns they
    cover, and down over the rows of the window they cover)."""
    width = max((len(by_row.get(n, ())) for n in window), default=0)
    offset = grid.col_offset
    for *_, c1 in _spans(grid, set(window)):
        width = max(width, c1 - offset + 1)
    texts: list[list[str | None]] = []
    for number in window:
        values = by_row.get(number, ())
        row = [display(values[i]) if i < len(values) else None for i in range(width)]
        texts.append([clean(t) if t is not None else None for t in row])
    for r0, c0, r1, c1 in _spans(grid, set(window)):
        source = texts[window.index(r0)][c0 - offset] if 0 <= c0 - offset < width else None
        if source is None:
            continue
        for index, number in enumerate(window):
            if r0 <= number <= r1:
                for col in range(max(c0, offset), min(c1, offset + width - 1) + 1):
                    if texts[index][col - offset] is None:
                        texts[index][col - offset] = source
    return texts


def _genitive(phrase: str) -> str:
    """*phrase* with its first word in the genitive, for the feminine nouns of headers
    («точка взаимодействия» → «точки взаимодействия»), so that «вид» under it reads «вид
    точки взаимодействия»."""
    first, _, rest = phrase.partition(" ")
    lower = first.lower()
    if lower.endswith("а"):
        ending = "и" if lower[-2:-1] in "кгхжшчщ" else "ы"
        first = first[:-1] + ending
    elif lower.endswith("я"):
        first = first[:-1] + "и"
    return f"{first} {rest}".strip()


def _combined(texts: list[list[str | None]], match: HeaderMatch, close: bool) -> Header:
    """One header from the rows *texts* of a window (see the module docstring)."""
    first = texts[0]
    header = Header(0, {}, [], [], [])
    for index in range(len(first)):
        parts: list[str] = []
        for row in texts:
            text = row[index]
            if text is not None and text not in parts:
                parts.append(text)
        if not parts:
            continue
        if len(parts) == 1:
            options = [parts[0]]
            shown = parts[0]
        else:
            group, sub = parts[0], parts[-1]
            options = [f"{sub} {_genitive(group)}", f"{group} {sub}", sub, group]
            shown = " — ".join(parts)
        keys = [k for k in (match.key(o, False) for o in options) if k]
        if not keys and close:
            keys = [k for k in (match.key(o, True) for o in options) if k]
        # the first reading that names a column not yet taken («вид» under «Точка
        # взаимодействия» is the touchpoint's вид, not the activity's)
        key = next((k for k in keys if k not in header.columns), keys[0] if keys else None)
        header.texts.append(shown)
        col = index
        if key is None:
            header.unknown.append((col, shown))
        elif key in header.columns:
            header.duplicates.append((col, shown, key))
        else:
            header.columns[key] = (col, shown)
    return header


def _shift(header: Header, offset: int, row: int) -> Header:
    header.row = row
    header.columns = {k: (c + offset, t) for k, (c, t) in header.columns.items()}
    header.unknown = [(c + offset, t) for c, t in header.unknown]
    header.duplicates = [(c + offset, t, k) for c, t, k in header.duplicates]
    return header


def combine_header(grid: Grid, best: Header, match: HeaderMatch) -> Header:
    """*best* (the best single header row), or the header of the two or three rows around it
    when together they name more columns. Tried only when merged cells start in the header
    row or a required column is missing, so a plain one-row header costs nothing more."""
    if match.required <= best.columns.keys() and not _spans(grid, {best.row}):
        return best
    numbers = {n for n, _ in grid.rows}
    windows = []
    for size in range(2, _MAX_HEADER_ROWS + 1):
        for start in range(best.row - size + 1, best.row + 1):
            window = list(range(start, start + size))
            if all(n in numbers for n in window):
                windows.append(window)
    if not windows:
        return best
    by_row = {n: v for n, v in grid.rows if best.row - 3 <= n <= best.row + 3}
    chosen = best
    for window in windows:
        for close in (False, True):
            header = _combined(_texts(grid, window, by_row), match, close)
            if len(header.columns) > len(chosen.columns):
                chosen = _shift(header, grid.col_offset, window[-1])
                break
    return chosen
