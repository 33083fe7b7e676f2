"""Row heights for every workbook tpcheck writes. Neither Excel nor LibreOffice grows a row for
wrapped text written by a program (nor fits rich-text or merged cells), so each writer sets the
height from an estimate of the wrapped lines. One counting rule (:func:`wrapped_lines`); the
writers differ only in how many characters they allow a line of a column and in the points per
line, each chosen for its own font and layout (and kept so that the written files stay as they
are)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from xlsxwriter.worksheet import Worksheet

__all__ = [
    "LINE_POINTS",
    "fit_height",
    "form_row_height",
    "lines_needed",
    "template_row_height",
    "wrapped_lines",
]

#: Points per line of 11-point Calibri in the reports and the template.
LINE_POINTS = 15
#: Points per line of the publication form and the change report (and 4 points of padding).
FORM_LINE_POINTS = 14
FORM_PADDING = 4


def wrapped_lines(text: str, per_line: float) -> int:
    """How many lines *text* takes wrapped at *per_line* characters: each of its own lines at
    least one."""
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def lines_needed(text: str | None, width: float) -> int:
    """Lines of *text* in a report cell *width* characters wide (an estimate)."""
    if not text:
        return 1
    return wrapped_lines(text, max(1.0, width * 1.1))


def fit_height(
    sheet: Worksheet, row: int, values: Sequence[Any], widths: Sequence[float], limit: int = 12
) -> None:
    """Give report *row* the height its wrapped text cells need (LibreOffice does not fit row
    heights of files it converts; Excel keeps an explicit height). At most *limit* lines."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if isinstance(value, str) and len(value) > width:
            lines = max(lines, lines_needed(value, width))
    if lines > 1:
        sheet.set_row(row, LINE_POINTS * min(lines, limit))


def form_row_height(*cells: tuple[str, float]) -> float:
    """The height of a row of the publication form or the change report holding *cells* (text,
    column width): an estimate on the safe side, as these rows hold rich text and merged cells."""
    lines = max(wrapped_lines(text, max(int(width * 1.1) - 2, 8)) for text, width in cells)
    return FORM_LINE_POINTS * lines + FORM_PADDING


def template_row_height(cells: Iterable[tuple[str, float]]) -> float:
    """Row height (points) of the template's instruction that shows wrapped *cells* — (text,
    column width) pairs — whole."""
    lines = 1
    for text, width in cells:
        lines = max(lines, wrapped_lines(text, max(int(width * 1.15), 1)))
    return float(LINE_POINTS * lines)
