"""How a sheet prints: landscape, one page wide with the header rows repeated, on A4 when the
columns fit there at a readable size and on A3 otherwise; column widths narrowed (the text wraps)
so that the fit-to-width scale never shrinks the 11 pt body text below :data:`MIN_FONT` points
(the rows then grow to the wrapped text: :mod:`tpcheck.output.rows`).

The arithmetic is Excel's: a column *w* characters wide (Calibri 11, a 7-pixel digit) is
``7·w + 5`` pixels, ¾ point each; the printable width is the paper's width less the default
margins (0.7 in each side); the fit-to-width scale is a whole percent, rounded down.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from xlsxwriter.worksheet import Worksheet

__all__ = [
    "A3",
    "A4",
    "BODY_FONT",
    "MIN_FONT",
    "TARGET_FONT",
    "Paper",
    "paper_for",
    "print_layout",
    "print_scale",
    "readable_widths",
    "set_print",
    "sheet_width",
]

BODY_FONT = 11.0  # points: the body text of every workbook tpcheck writes
MIN_FONT = 8.0  # points: the smallest body text a printed sheet may show
#: Points the arithmetic aims at: LibreOffice (with Carlito, Calibri's metric twin) lays the same
#: columns out about 5 % wider than Excel's arithmetic says and so prints them smaller; sized for
#: this, a sheet prints at :data:`MIN_FONT` or more in both.
TARGET_FONT = MIN_FONT * 1.07
_MARGINS = 2 * 0.7 * 72  # points: xlsxwriter's (and Excel's) default left and right margins
_MM = 72 / 25.4
_MIN_WIDTH = 8.0  # characters: no column is narrowed below this


@dataclass(frozen=True)
class Paper:
    """A paper size: its xlsxwriter/Excel code and its landscape width and height in points."""

    name: str
    code: int
    width: float
    height: float

    @property
    def printable(self) -> float:
        """The width (points) the columns get in landscape."""
        return self.width - _MARGINS


A4 = Paper("A4", 9, 297 * _MM, 210 * _MM)
A3 = Paper("A3", 8, 420 * _MM, 297 * _MM)


def sheet_width(widths: Iterable[float]) -> float:
    """The width (points) of columns *widths* characters wide."""
    return sum((7 * w + 5) * 0.75 for w in widths)


def print_scale(widths: Sequence[float], paper: Paper) -> float:
    """The fit-to-one-page-wide scale of columns *widths* on *paper* (landscape): 1 when they fit,
    else the whole percent Excel chooses."""
    total = sheet_width(widths)
    if total <= paper.printable:
        return 1.0
    return math.floor(100 * paper.printable / total) / 100


def _readable(widths: Sequence[float], paper: Paper) -> bool:
    return print_scale(widths, paper) * BODY_FONT >= TARGET_FONT


def paper_for(widths: Sequence[float]) -> Paper:
    """A4 when *widths* print on it at a readable size, else A3."""
    return A4 if _readable(widths, A4) else A3


def readable_widths(widths: Sequence[float], paper: Paper = A3) -> list[float]:
    """*widths*, the widest narrowed to one common width (never below 8 characters) so that the
    sheet prints one page wide on *paper* with the body text at :data:`MIN_FONT` points or more.
    Columns already narrow keep their width; the text of the narrowed ones wraps."""
    widths = [float(w) for w in widths]
    if _readable(widths, paper):
        return widths
    low, high = _MIN_WIDTH, max(widths)
    for _ in range(40):  # bisect the common cap
        middle = (low + high) / 2
        if _readable([min(w, middle) for w in widths], paper):
            low = middle
        else:
            high = middle
    cap = math.floor(low)
    return [min(w, float(cap)) for w in widths]


def print_layout(widths: Sequence[float]) -> tuple[Paper, list[float]]:
    """The paper and the column widths a sheet of columns *widths* prints with: A4 and the widths
    as they are when readable there, else A3, narrowed by :func:`readable_widths` if need be."""
    paper = paper_for(widths)
    return paper, readable_widths(widths, paper)


def set_print(
    sheet: Worksheet,
    widths: Sequence[float],
    header_row: int | None = None,
    *,
    paper: Paper | None = None,
) -> Paper:
    """Landscape, one page wide and as many long as needed, *header_row* repeated on every page;
    A4 when *widths* are readable there, else A3 (or *paper*). Returns the paper chosen."""
    paper = paper or paper_for(widths)
    sheet.set_landscape()
    sheet.set_paper(paper.code)
    sheet.fit_to_pages(1, 0)
    if header_row is not None:
        sheet.repeat_rows(header_row)
    return paper
