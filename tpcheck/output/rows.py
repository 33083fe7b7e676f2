"""Row heights for every workbook tpcheck writes. Neither Excel nor LibreOffice (nor МойОфис) grows
a row for wrapped text written by a program, nor fits rich-text or merged cells, so each writer
sets the height from an estimate of the wrapped lines: one estimate, :func:`lines_needed`, for
every sheet; the writers differ only in the points a line takes in their font.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from xlsxwriter.worksheet import Worksheet

__all__ = [
    "FORM_LINE_HEIGHT",
    "FORM_PADDING",
    "LINE_HEIGHT",
    "MAX_LINES",
    "fit_height",
    "form_row_height",
    "header_height",
    "lines_needed",
    "per_line",
    "row_lines",
    "wrapped_height",
]

#: Points per line of 11 pt Calibri: the reports, the template, the register, the change report.
LINE_HEIGHT = 15.0
#: Points per line of 11 pt Times New Roman in the publication form and its internal report, and
#: the padding of such a row.
FORM_LINE_HEIGHT = 14.0
FORM_PADDING = 4.0
#: A row grows to at most this many lines (a longer text scrolls inside its cell).
MAX_LINES = 15


def per_line(width: float) -> int:
    """How many characters a line of a wrapped cell *width* characters wide holds, on the safe
    side: a character of Cyrillic text is about as wide as a digit."""
    return max(int(width * 1.1) - 1, 1)


def lines_needed(text: str | None, width: float) -> int:
    """How many lines *text* takes in a wrapped cell *width* characters wide (an estimate: words
    are not split, a word longer than the line breaks where it must)."""
    if not text:
        return 1
    size_of_line = per_line(width)
    lines = 0
    for paragraph in text.split("\n"):
        count, used = 1, 0
        for word in paragraph.split(" "):
            size = len(word)
            if used and used + 1 + size > size_of_line:
                count += 1
                used = 0
            used += size + (1 if used else 0)
            while used > size_of_line:
                count += 1
                used -= size_of_line
        lines += count
    return lines


def wrapped_height(cells: Iterable[tuple[str | None, float]], limit: int = MAX_LINES) -> float:
    """The height (points) of a row whose wrapped *cells* — (text, width) pairs — all show whole,
    at most *limit* lines."""
    lines = max((lines_needed(text, width) for text, width in cells), default=1)
    return LINE_HEIGHT * min(max(lines, 1), limit)


def row_lines(
    columns: Sequence[Sequence[Any]], widths: Sequence[float], limit: int = MAX_LINES
) -> list[int]:
    """The lines each row of a table needs, the table given as *columns* of values (texts,
    numbers, None) *widths* characters wide: the tallest wrapped text of the row, at most
    *limit*. Texts of one paragraph that fit one line are skipped without being measured."""
    lines = [1] * max((len(values) for values in columns), default=0)
    for values, width in zip(columns, widths, strict=False):
        fits = per_line(width)
        known: dict[str, int] = {}  # a column repeats its labels: each text measured once
        for position, value in enumerate(values):
            if type(value) is str and (len(value) > fits or "\n" in value):
                needed = known.get(value)
                if needed is None:
                    needed = known[value] = min(lines_needed(value, width), limit)
                if needed > lines[position]:
                    lines[position] = needed
    return lines


def fit_height(
    sheet: Worksheet,
    row: int,
    values: Sequence[Any],
    widths: Sequence[float],
    limit: int = MAX_LINES,
) -> None:
    """Give *row* the height its wrapped text *values* (in columns *widths* wide) need, when
    more than one line; at most *limit* lines."""
    lines = row_lines([[value] for value in values], widths, limit)
    if lines and lines[0] > 1:
        sheet.set_row(row, LINE_HEIGHT * lines[0])


def header_height(headers: Iterable[str], widths: Sequence[float]) -> float:
    """The height (points) of a header row of bold, wrapped, bordered *headers*: bold letters are
    wider, so each column holds a tenth fewer; two lines at least."""
    cells = [(text, width * 0.9) for text, width in zip(headers, widths, strict=False)]
    return max(wrapped_height(cells), 2 * LINE_HEIGHT) + 4


def form_row_height(*cells: tuple[str, float]) -> float:
    """The height of a row of the publication form, its internal report or the change report
    holding *cells* (text, column width); these rows hold rich text and merged cells."""
    lines = max(lines_needed(text, width) for text, width in cells)
    return FORM_LINE_HEIGHT * lines + FORM_PADDING
