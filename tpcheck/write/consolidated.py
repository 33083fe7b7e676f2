"""The consolidated workbook (``perechen_svodny.xlsx``).

Sheets: «Перечень» (every row of every readable file: the template's columns with canonical
labels, then Файл / Лист / Строка / Проверка, then the unknown extra columns; cells with findings
filled and commented), «Ошибки» (every issue, with a link to its cell), «Сводка»
(:mod:`.summary`), «Требования п. 4.2» (:mod:`.matrix`) and «Классификаторы».
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from ..cells import MAX_ROWS, column_letter
from ..classifiers import Classifiers
from ..findings import Issue, Report
from ..frame import context_of
from ..output.config import Labels, output_spec
from ..output.kind import CONSOLIDATED, mark
from ..output.numbers import as_numbers
from ..output.printing import print_layout
from ..output.rows import LINE_HEIGHT, header_height, row_lines
from .issues_table import issue_headers, issue_widths, pages, write_issue_rows
from .matrix import write_matrix
from .placement import DATA, DATA_HEADER, REQUIREMENT, ROW_KEY, Location, extra_columns
from .summary import write_classifiers, write_summary
from .xlsx import (
    RISKY_START,
    Links,
    Styles,
    comment_for,
    finish_sheet,
    internal_link,
    new_workbook,
    quote_sheet,
    safe_texts,
    worst,
    write_text,
)

__all__ = ["OutColumn", "consolidated_layout", "internal_link", "write_consolidated"]

#: Version of the consolidated layout, in the workbook's custom property ``tpcheck_layout``.
LAYOUT_VERSION = "consolidated-1"
#: «Перечень» is written and serialised this many rows at a time (a multiple of 16, see
#: :meth:`.fastsheet.FastSheet.write_rows_now`), so that only these rows' cells are held at once.
CHUNK_ROWS = 8192
#: Rows of «Перечень» below its header on one sheet: Excel's 1,048,576 rows less the header row.
#: The rows beyond continue on «Перечень (2)», «Перечень (3)»…
MAX_DATA_ROWS = MAX_ROWS - 1


@dataclass(frozen=True)
class OutColumn:
    """One column of the consolidated «Перечень»: ``kind`` is ``spec`` (a template column),
    ``provenance`` (``source_file``, ``source_sheet``, ``source_row``), ``status`` or ``extra``."""

    key: str
    header: str
    kind: str
    width: float = 20
    required: bool = False


def consolidated_layout(classifiers: Classifiers, extras: Sequence[str] = ()) -> list[OutColumn]:
    """The columns of the consolidated «Перечень», in order (see docs/outputs.md)."""
    spec = output_spec().consolidated
    layout = [
        OutColumn(c.key, c.template_header, "spec", c.width, c.required)
        for c in classifiers.columns
    ]
    layout += [
        OutColumn("source_file", spec["source_file"], "provenance", 30),
        OutColumn("source_sheet", spec["source_sheet"], "provenance", 14),
        OutColumn("source_row", spec["source_row"], "provenance", 9),
        OutColumn("status", spec["status"], "status", 16),
    ]
    used = {column.header for column in layout}
    for name in extras:
        header, number = name, 2
        while header in used:
            header, number = f"{name} ({number})", number + 1
        used.add(header)
        layout.append(OutColumn(name, header, "extra", 20))
    return layout


def _column_values(frame: pd.DataFrame, column: OutColumn) -> list[Any]:
    if column.key not in frame.columns:
        return [None] * len(frame)
    values = frame[column.key].tolist()
    if column.key == "source_row":
        return [int(v) for v in values]
    if column.key == "number":  # «№» as numbers where the clerk wrote a whole number
        return as_numbers(safe_texts(values))
    return safe_texts(values)


def _write_cells(
    sheet: Any,
    styles: Styles,
    labels: Labels,
    values: list[Any],
    col: int,
    first: int,
    stop: int,
    cell_marks: dict[int, list[Issue]],
    numbers: bool,
    base: int = 0,
) -> None:
    """The cells of column *col* of «Перечень» for the frame positions first … stop − 1 (numbers
    or texts), the position *base* on the sheet's first data row: the plain ones in bulk, those
    with findings filled and noted."""
    rows = range(first - base + 1, stop - base + 1)
    marked = [p for p in cell_marks if first <= p < stop]
    if numbers:
        unmarked = [None if p in cell_marks else values[p] for p in range(first, stop)]
        sheet.write_numbers(rows, repeat(col), unmarked, styles.number())
    else:
        texts = values[first:stop]
        if any(type(v) is int for v in texts):  # a text column with numbers in it («№»)
            whole = [
                v if type(v) is int and first + i not in cell_marks else None
                for i, v in enumerate(texts)
            ]
            sheet.write_numbers(rows, repeat(col), whole, styles.number())
            texts = [None if type(v) is int else v for v in texts]
        if marked:
            texts = list(texts)
            for position in marked:
                texts[position - first] = None
        # wrapped: the narrowed columns print readable (tpcheck.output.printing)
        sheet.write_column(col, rows, texts, styles.cell(), styles.cell(None, True), RISKY_START)
    for position in marked:
        issues_here = cell_marks[position]
        mark = worst(issues_here)
        value = values[position]
        row = position - base + 1
        if isinstance(value, int):
            sheet.write_number(row, col, value, styles.number(mark))
        else:
            write_text(sheet, row, col, value, styles, mark)
        sheet.write_comment(row, col, *comment_for(issues_here, labels))


def _write_header(
    sheet: Any,
    styles: Styles,
    labels: Labels,
    col: int,
    column: OutColumn,
    issues: list[Issue] | None,
) -> None:
    required = column.required if column.kind == "spec" else None
    fmt = styles.header_for(worst(issues) if issues else None, required, column.header)
    sheet.write_string(0, col, column.header, fmt)
    if issues:
        sheet.write_comment(0, col, *comment_for(issues, labels))


@dataclass(frozen=True)
class DataSheets:
    """Where the frame's rows are in the consolidated workbook: a sheet holds at most
    :data:`MAX_DATA_ROWS` rows below its header; the rows beyond go on «Перечень (2)», «Перечень
    (3)»… ``names[k]`` holds the positions ``k * per_sheet`` … on."""

    names: tuple[str, ...]
    per_sheet: int

    def cell(self, position: int) -> tuple[str, int]:
        """The sheet and zero-based row of the frame row at *position*."""
        part = position // self.per_sheet
        return self.names[part], position - part * self.per_sheet + 1


def data_sheet_names(name: str, count: int) -> tuple[str, ...]:
    """The names of the sheets *count* rows take: *name*, then «*name* (2)»…"""
    parts = max(1, -(-count // MAX_DATA_ROWS))
    return (name, *(f"{name} ({number})" for number in range(2, parts + 1)))


def _write_data_sheets(
    book: Any,
    styles: Styles,
    labels: Labels,
    frame: pd.DataFrame,
    classifiers: Classifiers,
    placed: Sequence[tuple[Issue, Location]],
) -> tuple[list[Worksheet], DataSheets, dict[str, int]]:
    spec = output_spec().consolidated
    layout = consolidated_layout(classifiers, extra_columns(frame, classifiers))
    col_of = {column.key: index for index, column in enumerate(layout)}
    count = len(frame)
    where_rows = DataSheets(data_sheet_names(classifiers.sheets.data, count), MAX_DATA_ROWS)
    marks: dict[int, dict[int, list[Issue]]] = {}
    header_marks: dict[int, list[Issue]] = {}
    row_status: dict[int, str] = {}
    for item, where in placed:
        if where.kind == DATA:
            col = col_of.get(where.key if where.key is not None else ROW_KEY, col_of[ROW_KEY])
            marks.setdefault(col, {}).setdefault(where.index, []).append(item)
            # «Проверка» names the worst error or warning of the row; a notice is no problem.
            if item.severity != "notice" and row_status.get(where.index) != "error":
                row_status[where.index] = item.severity
        elif where.kind == DATA_HEADER and where.key in col_of:
            header_marks.setdefault(col_of[where.key], []).append(item)

    status_text = {"error": spec["status_error"], "warning": spec["status_warning"]}
    columns: list[list[Any]] = []
    _, widths = print_layout([column.width for column in layout])
    for column in layout:
        if column.kind == "status":
            columns.append([status_text.get(row_status.get(p)) for p in range(count)])
        else:
            columns.append(_column_values(frame, column))
    lines = row_lines(columns, widths)  # the narrowed columns wrap: rows as tall as they need
    sheets = []
    for part, name in enumerate(where_rows.names):
        base = part * MAX_DATA_ROWS
        end = min(base + MAX_DATA_ROWS, count)
        sheet = book.add_worksheet(name)
        sheets.append(sheet)
        for col in range(len(layout)):
            sheet.set_column(col, col, widths[col])
        sheet.set_row(0, header_height([column.header for column in layout], widths))
        # written and serialised CHUNK_ROWS rows at a time: only a chunk's cells are held at once
        for top in range(0, end - base + 1, CHUNK_ROWS):
            first = base + max(top - 1, 0)  # frame positions
            stop = min(base + top + CHUNK_ROWS - 1, end)
            for col, column in enumerate(layout):
                if top == 0:  # the header before the cells: the golden's shared strings
                    _write_header(sheet, styles, labels, col, column, header_marks.get(col))
                numbers = column.key == "source_row"
                cell_marks = marks.get(col, {})
                _write_cells(
                    sheet, styles, labels, columns[col], col, first, stop, cell_marks, numbers, base
                )
            for position in range(first, stop):
                if lines[position] > 1:
                    sheet.set_row(position - base + 1, LINE_HEIGHT * lines[position])
            sheet.write_rows_now(top + CHUNK_ROWS if stop < end else None)
        finish_sheet(sheet, 0, widths=widths)
        sheet.autofilter(0, 0, max(end - base, 1), len(layout) - 1)
    prefix = spec["defined_name_prefix"]
    for col, column in enumerate(layout):
        if column.kind != "extra":
            letter = column_letter(col)
            name = quote_sheet(sheets[0].name)
            book.define_name(f"{prefix}{column.key}", f"={name}!${letter}$1")
    return sheets, where_rows, col_of


def _write_issues_sheet(
    sheet: Worksheet,
    styles: Styles,
    labels: Labels,
    placed: Sequence[tuple[Issue, Location]],
    data: DataSheets,
    col_of: dict[str, int],
    matrix_cells: dict[int, tuple[str, int, int]],
) -> None:
    # «Где» is a cell of the subdivision's file, the link a cell of this workbook: say which
    headers = [labels["col_link_consolidated"], *issue_headers(labels)]
    headers[headers.index(labels["col_place"])] = labels["col_place_source"]
    widths = [18, *issue_widths()]
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, styles.header)
        sheet.set_column(col, col, widths[col])
    links = Links(sheet, styles)
    for row, (_, where) in enumerate(placed, start=1):
        target = None
        if where.kind == DATA:
            key = where.key if where.key is not None else ROW_KEY
            target = (*data.cell(where.index), col_of.get(key, col_of[ROW_KEY]))
        elif where.kind == DATA_HEADER and where.key in col_of:
            target = (data.names[0], 0, col_of[where.key])
        elif where.kind == REQUIREMENT and where.index in matrix_cells:
            target = matrix_cells[where.index]
        if target is not None:
            links.write(row, 0, target)
    write_issue_rows(sheet, styles, labels, (item for item, _ in placed), top=0, first_col=1)
    sheet.set_row(0, header_height(headers, widths))
    finish_sheet(sheet, 0, widths=widths)
    sheet.autofilter(0, 0, max(len(placed), 1), len(headers) - 1)


def write_consolidated(
    path: str | Path,
    frame: pd.DataFrame,
    report: Report,
    placed: Sequence[tuple[Issue, Location]],
    *,
    lang: str = "ru",
    names: dict[str, str] | None = None,
) -> None:
    """Write the consolidated workbook of *frame* and *report* to *path* (not atomically: the
    caller gives a temporary path, see :func:`~tpcheck.output.atomic.atomic_path`). *names*: the
    return
    copy of each input file, named in the summary."""
    classifiers = context_of(frame).classifiers
    labels = output_spec().labels(lang)
    meta = classifiers.meta
    book = new_workbook(
        path,
        {
            "title": f"{meta['list_title']} — сводный",
            "subject": f"{meta['regulation']} ({meta['order']})",
            "company": meta["organization"],
            "comments": f"Сформирован tpcheck; классификаторы sha256 {classifiers.digest}",
        },
    )
    mark(book, CONSOLIDATED)
    book.set_custom_property("tpcheck_layout", LAYOUT_VERSION)
    book.set_custom_property("tpcheck_classifiers_sha256", classifiers.digest)
    styles = Styles(book)
    flat = Styles(book, wrap=False)  # one line per row on the requirements matrix
    data_sheets, data, col_of = _write_data_sheets(book, styles, labels, frame, classifiers, placed)
    errors = [
        (book.add_worksheet(name), first, stop)
        for name, first, stop in pages(labels["sheet_errors"], len(placed))
    ]
    summary = book.add_worksheet(labels["sheet_summary"])
    matrix = book.add_worksheet(classifiers.sheets.requirements)
    classifiers_sheet = book.add_worksheet(labels["sheet_classifiers"])
    matrix_cells = write_matrix(matrix, flat, labels, frame, placed)
    for sheet, first, stop in errors:  # «Ошибки», and «Ошибки (2)»… beyond a sheet's rows
        part = placed[first:stop]
        _write_issues_sheet(sheet, styles, labels, part, data, col_of, matrix_cells)
    write_summary(summary, styles, labels, frame, report, names or {})
    write_classifiers(classifiers_sheet, styles, labels, classifiers)
    data_sheets[0].activate()
    book.close()
