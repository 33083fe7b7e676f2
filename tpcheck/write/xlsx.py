"""What every workbook of merge and check shares: xlsxwriter options that never turn text into a
formula, a URL or a number; safe cell text; cell comments built from issues; plain tables. The
cell formats (:class:`Styles`) are the output kit's (:mod:`tpcheck.output.formats`)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..findings import RANK, Issue
from ..output.config import Labels
from ..output.formats import Styles
from ..output.formula import RISKY_START, is_risky
from ..output.printing import A4, set_print
from ..output.rows import fit_height
from .fastbook import Workbook

__all__ = [
    "MAX_CELL",
    "RISKY_START",
    "WORKBOOK_OPTIONS",
    "Styles",
    "cell_text",
    "comment_for",
    "finish_sheet",
    "is_risky",
    "new_workbook",
    "safe_texts",
    "string_writer",
    "worst",
    "write_table",
    "write_text",
]

#: Never interpret text: "=1+1" stays the text "=1+1", "http://…" stays text, "007" stays "007".
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,  # assemble the parts in memory: no temporary file per part
}
MAX_CELL = 32_767  # Excel's limit of characters in a cell
_SURROGATES = re.compile("[\ud800-\udfff]")
_COMMENT_CHARS_PER_LINE = 52


def new_workbook(path: Any, properties: dict[str, Any] | None = None) -> Workbook:
    """An xlsxwriter workbook with :data:`WORKBOOK_OPTIONS` and tpcheck as its author."""
    book = Workbook(str(path), dict(WORKBOOK_OPTIONS))
    book.set_properties({"author": "tpcheck", **(properties or {})})
    return book


def string_writer(sheet: Worksheet):
    """The fastest way to put an already safe text into a cell: xlsxwriter's ``write_string``
    without its A1-notation wrapper (the same checks and storage), for the hot loops."""
    method = getattr(sheet, "_write_string", None)
    return method if callable(method) else sheet.write_string


def cell_text(value: Any) -> str | None:
    """The text of a value as a cell shows it; None for missing values. Lists are joined by «; »."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, list | tuple):
        text = "; ".join(str(v) for v in value if v is not None)
    else:
        text = str(value)
    if not text:
        return None
    if _SURROGATES.search(text):
        text = _SURROGATES.sub("\ufffd", text)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def safe_texts(values: Sequence[Any]) -> list[str | None]:
    """:func:`cell_text` of a whole column; the common case (strings and missing values) checked
    in a few passes at C speed."""
    texts = [v if type(v) is str else None if v is None or v != v else False for v in values]
    if False not in texts:
        present = [t for t in texts if t]
        if not present:
            return [None] * len(texts)
        if max(map(len, present)) <= MAX_CELL and _encodable("\x00".join(present)):
            return [t or None for t in texts] if "" in texts else texts
    return [cell_text(v) for v in values]


def _encodable(text: str) -> bool:
    """False when *text* holds a lone surrogate (which cannot be written as UTF-8); encoding is
    three times faster than searching for one."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def worst(issues: Iterable[Issue]) -> str:
    """The worst severity of *issues*: ``error``, else ``warning``, else ``notice``."""
    return min((i.severity for i in issues), key=RANK.__getitem__, default="warning")


def comment_for(issues: Sequence[Issue], labels: Labels) -> tuple[str, dict[str, Any]]:
    """The text of the cell comment for all *issues* of one cell, and its size options."""
    parts = []
    for item in issues:
        head = f"{labels.severity(item.severity).capitalize()} ({item.code}, {item.clause})"
        text = f"{head}: {item.message}"
        if item.suggestion:
            text += f"\n→ {item.suggestion}"
        parts.append(text)
    text = "\n\n".join(parts)
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    lines = sum(max(1, math.ceil(len(line) / _COMMENT_CHARS_PER_LINE)) for line in text.split("\n"))
    options = {
        "author": "tpcheck",
        "x_scale": 2.6,
        "y_scale": round(max(1.0, (lines * 15 + 12) / 74), 2),
    }
    return text, options


def finish_sheet(
    sheet: Worksheet, header_row: int, first_col: int = 0, widths: Sequence[float] = ()
) -> None:
    """Freeze the rows down to *header_row* (and the columns before *first_col*); print it
    landscape, one page wide, with the header repeated on every page: on A4, or on A3 when the
    columns *widths* would print below 8 pt on A4 (:mod:`tpcheck.output.printing`)."""
    sheet.freeze_panes(header_row + 1, first_col)
    set_print(sheet, widths, header_row, paper=None if widths else A4)


def write_text(
    sheet: Worksheet, row: int, col: int, text: str | None, styles: Styles, mark: str | None = None
) -> None:
    """Write *text* (already safe) as a string cell, or a blank carrying the mark's fill."""
    if text is None:
        if mark is not None:
            sheet.write_blank(row, col, None, styles.cell(mark))
        return
    sheet.write_string(row, col, text, styles.cell(mark, text[0] in RISKY_START))


def write_table(
    sheet: Worksheet,
    top: int,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    styles: Styles,
    *,
    widths: Sequence[float] | None = None,
    marks: Sequence[str | None] | None = None,
    mark_col: int = 0,
) -> int:
    """A plain list: *headers* in row *top*, then *rows* (text, int/float, or None), with a frozen
    header and an autofilter. ``marks[i]`` fills column *mark_col* of row i. Returns the number of
    rows written."""
    for col, header in enumerate(headers):
        sheet.write_string(top, col, header, styles.header)
    count = 0
    for count, values in enumerate(rows, start=1):
        mark = marks[count - 1] if marks is not None else None
        row = top + count
        for col, value in enumerate(values):
            cell_mark = mark if col == mark_col else None
            if isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(row, col, value, styles.number(cell_mark))
            else:
                write_text(sheet, row, col, cell_text(value), styles, cell_mark)
        if widths:
            fit_height(sheet, row, values, widths)
    if widths:
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
    finish_sheet(sheet, top)
    sheet.autofilter(top, 0, top + max(count, 1), len(headers) - 1)
    return count
