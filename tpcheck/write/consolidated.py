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

from ..cells import a1, column_letter
from ..classifiers import Classifiers
from ..findings import Issue, Report
from ..frame import context_of
from ..output.config import Labels, output_spec
from ..output.printing import print_layout
from ..output.rows import LINE_HEIGHT, header_height, row_lines
from .issues_table import issue_headers, issue_widths, write_issue_rows
from .matrix import write_matrix
from .placement import DATA, DATA_HEADER, REQUIREMENT, ROW_KEY, Location, extra_columns
from .summary import write_classifiers, write_summary
from .xlsx import (
    RISKY_START,
    Styles,
    comment_for,
    finish_sheet,
    new_workbook,
    safe_texts,
    worst,
    write_text,
)

__all__ = ["OutColumn", "consolidated_layout", "internal_link", "write_consolidated"]

#: Version of the consolidated layout, in the workbook's custom property ``tpcheck_layout``.
LAYOUT_VERSION = "consolidated-1"
#: Excel keeps at most this many hyperlinks on one sheet; later issues get the address as text.
MAX_LINKS = 65_530
#: «Перечень» is written and serialised this many rows at a time (a multiple of 16, see
#: :meth:`.fastsheet.FastSheet.write_rows_now`), so that only these rows' cells are held at once.
CHUNK_ROWS = 8192


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


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def internal_link(sheet: str, row: int, col: int) -> tuple[str, str]:
    """(URL, shown text) of a link to the zero-based cell (*row*, *col*) of *sheet*."""
    address = a1(row + 1, col)
    return f"internal:{quote_sheet(sheet)}!{address}", f"{sheet}!{address}"


def _column_values(frame: pd.DataFrame, column: OutColumn) -> list[Any]:
    if column.key not in frame.columns:
        return [None] * len(frame)
    values = frame[column.key].tolist()
    if column.key == "source_row":
        return [int(v) for v in values]
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
) -> None:
    """The cells of column *col* of «Перечень» for the frame positions first … stop − 1 (numbers
    or texts): the plain ones in bulk, those with findings filled and noted."""
    rows = range(first + 1, stop + 1)
    marked = [p for p in cell_marks if first <= p < stop]
    if numbers:
        unmarked = [None if p in cell_marks else values[p] for p in range(first, stop)]
        sheet.write_numbers(rows, repeat(col), unmarked, styles.number())
    else:
        texts = values[first:stop]
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
        if isinstance(value, int):
            sheet.write_number(position + 1, col, value, styles.number(mark))
        else:
            write_text(sheet, position + 1, col, value, styles, mark)
        sheet.write_comment(position + 1, col, *comment_for(issues_here, labels))


def _write_data_sheet(
    book: Any,
    styles: Styles,
    labels: Labels,
    frame: pd.DataFrame,
    classifiers: Classifiers,
    placed: Sequence[tuple[Issue, Location]],
) -> tuple[Worksheet, dict[str, int]]:
    spec = output_spec().consolidated
    sheet = book.add_worksheet(classifiers.sheets.data)
    layout = consolidated_layout(classifiers, extra_columns(frame, classifiers))
    col_of = {column.key: index for index, column in enumerate(layout)}
    count = len(frame)
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
    for col, column in enumerate(layout):
        sheet.set_column(col, col, widths[col])
        if column.kind == "status":
            columns.append([status_text.get(row_status.get(p)) for p in range(count)])
        else:
            columns.append(_column_values(frame, column))
    lines = row_lines(columns, widths)  # the narrowed columns wrap: rows as tall as they need
    sheet.set_row(0, header_height([column.header for column in layout], widths))
    # written and serialised CHUNK_ROWS rows at a time: only a chunk's cells are held at once
    for top in range(0, count + 1, CHUNK_ROWS):
        first, stop = max(top - 1, 0), min(top + CHUNK_ROWS - 1, count)  # frame positions
        for col, column in enumerate(layout):
            if top == 0:
                issues = header_marks.get(col)
                required = column.required if column.kind == "spec" else None
                fmt = styles.header_for(worst(issues) if issues else None, required)
                sheet.write_string(0, col, column.header, fmt)
                if issues:
                    sheet.write_comment(0, col, *comment_for(issues, labels))
            _write_cells(
                sheet,
                styles,
                labels,
                columns[col],
                col,
                first,
                stop,
                marks.get(col, {}),
                numbers=column.key == "source_row",
            )
        for position in range(first, stop):
            if lines[position] > 1:
                sheet.set_row(position + 1, LINE_HEIGHT * lines[position])
        sheet.write_rows_now(top + CHUNK_ROWS if stop < count else None)
    finish_sheet(sheet, 0, widths=widths)
    sheet.autofilter(0, 0, max(count, 1), len(layout) - 1)
    prefix = spec["defined_name_prefix"]
    for col, column in enumerate(layout):
        if column.kind != "extra":
            letter = column_letter(col)
            book.define_name(f"{prefix}{column.key}", f"={quote_sheet(sheet.name)}!${letter}$1")
    return sheet, col_of


def _write_issues_sheet(
    sheet: Worksheet,
    styles: Styles,
    labels: Labels,
    placed: Sequence[tuple[Issue, Location]],
    data_sheet: str,
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
    links = 0
    for row, (_, where) in enumerate(placed, start=1):
        target = None
        if where.kind == DATA:
            key = where.key if where.key is not None else ROW_KEY
            target = (data_sheet, where.index + 1, col_of.get(key, col_of[ROW_KEY]))
        elif where.kind == DATA_HEADER and where.key in col_of:
            target = (data_sheet, 0, col_of[where.key])
        elif where.kind == REQUIREMENT and where.index in matrix_cells:
            target = matrix_cells[where.index]
        if target is not None:
            url, text = internal_link(*target)
            if links < MAX_LINKS:
                sheet.write_url(row, 0, url, styles.link(), text)
                links += 1
            else:
                sheet.write_string(row, 0, text, styles.cell())
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
    book.set_custom_property("tpcheck_layout", LAYOUT_VERSION)
    book.set_custom_property("tpcheck_classifiers_sha256", classifiers.digest)
    styles = Styles(book)
    flat = Styles(book, wrap=False)  # one line per row on the requirements matrix
    data_sheet, col_of = _write_data_sheet(book, styles, labels, frame, classifiers, placed)
    errors = book.add_worksheet(labels["sheet_errors"])
    summary = book.add_worksheet(labels["sheet_summary"])
    matrix = book.add_worksheet(classifiers.sheets.requirements)
    classifiers_sheet = book.add_worksheet(labels["sheet_classifiers"])
    matrix_cells = write_matrix(matrix, flat, labels, frame, placed)
    _write_issues_sheet(errors, styles, labels, placed, data_sheet.name, col_of, matrix_cells)
    write_summary(summary, styles, labels, frame, report, names or {})
    write_classifiers(classifiers_sheet, styles, labels, classifiers)
    data_sheet.activate()
    book.close()
