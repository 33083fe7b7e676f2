"""The list of issues as every report shows it (the «Ошибки» sheets, oshibki.csv, the return
copies' «Замечания»): the columns, their labels and widths, and the values of one issue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..findings import SEVERITIES, Issue
from ..output.config import Labels
from ..output.rows import LINE_HEIGHT, row_lines
from .xlsx import RISKY_START, Styles, safe_texts

__all__ = [
    "CSV_COLUMNS",
    "TABLE_COLUMNS",
    "issue_headers",
    "issue_values",
    "issue_widths",
    "place",
    "write_issue_rows",
]

#: The columns of oshibki.csv: (attribute of Issue, label key, width), every field a human reads.
CSV_COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("severity", "col_severity", 15),
    ("file", "col_file", 30),
    ("sheet", "col_sheet", 14),
    ("row", "col_row", 8),
    ("cell", "col_cell", 9),
    ("column", "col_column", 26),
    ("value", "col_value", 30),
    ("message", "col_message", 50),
    ("suggestion", "col_suggestion", 40),
    ("clause", "col_clause", 14),
    ("code", "col_code", 24),
)
#: The columns of the issue lists in the workbooks: those of :data:`CSV_COLUMNS`, with sheet,
#: row and cell shown as one «where» (:func:`place`) in the sheet's stead.
TABLE_COLUMNS: tuple[tuple[str, str, float], ...] = tuple(
    ("place", "col_place", 16) if name == "sheet" else (name, label, width)
    for name, label, width in CSV_COLUMNS
    if name not in ("row", "cell")
)


def place(item: Issue, labels: Labels) -> str | None:
    """Where an issue is, as one text: ``Перечень!H5``, ``Перечень, строка 6`` or the sheet."""
    if item.cell:
        return f"{item.sheet}!{item.cell}" if item.sheet else item.cell
    if item.row is not None:
        return labels.format("place_row", sheet=item.sheet or "", row=item.row).lstrip(", ")
    return item.sheet


def _columns(skip: Sequence[str], columns=TABLE_COLUMNS) -> list[tuple[str, str, float]]:
    return [column for column in columns if column[0] not in skip]


def issue_headers(labels: Labels, skip: Sequence[str] = (), columns=TABLE_COLUMNS) -> list[str]:
    return [labels[label] for _, label, _ in _columns(skip, columns)]


def issue_widths(skip: Sequence[str] = (), columns=TABLE_COLUMNS) -> list[float]:
    return [width for _, _, width in _columns(skip, columns)]


def issue_values(
    item: Issue, labels: Labels, skip: Sequence[str] = (), columns=TABLE_COLUMNS
) -> list[Any]:
    """The cells of one issue: severity as a word, the Excel row as a number, the rest as text."""
    values: list[Any] = []
    for name, _, _ in _columns(skip, columns):
        if name == "place":
            values.append(place(item, labels))
            continue
        value = getattr(item, name)
        if name == "severity":
            value = labels.severity(value)
        values.append(value)
    return values


#: Columns whose long texts wrap (and make the row taller).
_WRAPPED = ("file", "column", "value", "message", "suggestion")


def write_issue_rows(
    sheet: Worksheet,
    styles: Styles,
    labels: Labels,
    items: Iterable[Issue],
    *,
    top: int,
    first_col: int = 0,
    skip: Sequence[str] = (),
) -> int:
    """Write one row per issue below row *top*, from column *first_col*: the severity filled with
    its colour, the Excel row as a number, the rest as text; rows as tall as their wrapped text.
    Returns the number of rows written. (Column by column: see :class:`.fastsheet.FastSheet`.)"""
    items = list(items)
    rows = range(top + 1, top + 1 + len(items))
    plain, quoted = styles.cell(), styles.cell(None, True)
    wrapped: list[list[str | None]] = []  # the texts of the wrapped columns, and their widths
    wrapped_widths: list[float] = []
    for col, (name, _, width) in enumerate(_columns(skip), start=first_col):
        if name == "severity":
            by_severity: dict[str, list[int]] = {}
            for row, item in zip(rows, items, strict=True):
                by_severity.setdefault(item.severity, []).append(row)
            for severity, severity_rows in by_severity.items():
                known = severity in SEVERITIES
                fmt = styles.cell(severity) if known else plain
                text = labels.severity(severity) if known else severity
                sheet.write_texts(severity_rows, repeat(col), repeat(text), fmt, fmt)
            continue
        if name == "place":
            values: list[Any] = [place(item, labels) for item in items]
        else:
            values = [getattr(item, name) for item in items]
        if name == "row":
            sheet.write_numbers(rows, repeat(col), values, styles.number())
            continue
        texts = safe_texts(values)
        sheet.write_column(col, rows, texts, plain, quoted, RISKY_START)
        if name in _WRAPPED:
            wrapped.append(texts)
            wrapped_widths.append(width)
    for row, count in zip(rows, row_lines(wrapped, wrapped_widths), strict=False):
        if count > 1:
            sheet.set_row(row, LINE_HEIGHT * count)
    return len(items)
