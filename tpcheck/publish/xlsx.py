"""The publication workbook: the Перечень in the appendix form, ready to attach to an order.

Sheet «Перечень»: the attachment line, the title of the appendix, the version date, the header
row (№ · Точки взаимодействия · Порядок взаимодействия с клиентом) repeated on every printed page,
a full-width row per part (client) and per direction, one row per touchpoint; A4 landscape,
fitted to the page width, page numbers in the footer, the print area set. The workbook has this
one sheet: it is what is attached to the act and posted; what was left out is in the internal
report beside it (:mod:`tpcheck.publish.internal`). Every value is written as a text cell, never
as a formula.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter

from ..output.atomic import atomic_path
from ..output.formats import FORM_FONT, HEADER, Formats, fill
from ..output.formula import FORMULA_STARTS
from ..output.rows import form_row_height
from .display import needs_display, touchpoint_details

if TYPE_CHECKING:
    from .model import Publication

__all__ = ["HEADERS", "write_xlsx"]

#: The header row of the appendix form.
HEADERS = ("№", "Точки взаимодействия", "Порядок взаимодействия с клиентом")
NEEDS_HEADING = "Удовлетворяемые потребности клиента:"
WIDTHS = (6, 60, 72)
FIRST_TABLE_ROW = 5  # zero-based: the header row is Excel row 6


class _Formats(Formats):
    """The output kit's formats in the form's font (Times New Roman; :attr:`boxed` and
    :attr:`boxed_quoted` for the cells of the table) and the form's own: the attachment line,
    the title, the version line, the rows of a part and of a direction, the number column, the
    parts of rich text."""

    def __init__(self, book: xlsxwriter.Workbook):
        super().__init__(book, FORM_FONT)
        self.attachment = self.add(align="right")
        self.form_title = self.add(bold=True, font_size=14, align="center")
        self.version = self.add(italic=True, align="center", text_wrap=False)
        self.header = self.add(HEADER, fill("header_plain"), align="center", valign="vcenter")
        self.section = self.add(HEADER, fill("section_fill"), font_size=12, align="center")
        self.direction = self.add(HEADER, fill("direction_fill"))
        self.number = self.add(border=1, align="center")
        # the parts of a rich-text cell (only their font counts)
        self.bold = self.add(bold=True, text_wrap=False)
        self.italic = self.add(italic=True, text_wrap=False)


def _rich(
    sheet, row: int, col: int, parts: list[tuple[object, str]], cell_format, quoted=None
) -> None:
    """Write *parts* (format, text) as one rich-text cell (a plain one when only one part); in
    the *quoted* cell format when the text starts like a formula."""
    parts = [(f, t) for f, t in parts if t]
    if quoted is not None and parts and parts[0][1].startswith(FORMULA_STARTS):
        cell_format = quoted
    if len(parts) == 1:
        sheet.write_string(row, col, parts[0][1], cell_format)
        return
    flat: list[object] = []
    for fmt, text in parts:
        flat += [fmt, text]
    sheet.write_rich_string(row, col, *flat, cell_format)


def _write_form(book: xlsxwriter.Workbook, publication: Publication, fmt: _Formats) -> None:
    sheet = book.add_worksheet(publication.classifiers.sheets.data)
    for index, width in enumerate(WIDTHS):
        sheet.set_column(index, index, width)
    sheet.merge_range(0, 1, 0, 2, publication.status, fmt.attachment)
    sheet.set_row(0, 32)
    sheet.merge_range(2, 0, 2, 2, publication.title, fmt.form_title)
    sheet.set_row(2, 40)
    sheet.merge_range(3, 0, 3, 2, f"по состоянию на {publication.as_of:%d.%m.%Y}", fmt.version)
    row = FIRST_TABLE_ROW
    for col, header in enumerate(HEADERS):
        sheet.write_string(row, col, header, fmt.header)
    sheet.set_row(row, 20)
    for section, groups in publication.groups():
        row += 1
        sheet.merge_range(row, 0, row, 2, section.title, fmt.section)
        sheet.set_row(row, 20)
        for heading, records in groups:
            row += 1
            sheet.merge_range(row, 0, row, 2, heading, fmt.direction)
            sheet.set_row(row, form_row_height((heading, sum(WIDTHS))))
            for record in records:
                row += 1
                _write_record(sheet, row, record, publication, fmt)
    sheet.repeat_rows(FIRST_TABLE_ROW)
    sheet.print_area(0, 0, row, len(HEADERS) - 1)
    sheet.freeze_panes(FIRST_TABLE_ROW + 1, 0)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    sheet.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&CСтраница &P из &N")


def _write_record(sheet, row: int, record: dict, publication: Publication, fmt: _Formats) -> None:
    classifiers = publication.classifiers
    sheet.write_string(row, 0, str(record["number"]), fmt.number)
    details = "".join(
        f"\n{label}: {value}" for label, value in touchpoint_details(record, classifiers)
    )
    name = record["touchpoint"] or ""
    _rich(sheet, row, 1, [(fmt.bold, name), (fmt.line, details)], fmt.boxed, fmt.boxed_quoted)
    needs = needs_display(record, classifiers)
    listed = "".join(
        f"\n— {need}{'.' if i == len(needs) - 1 else ';'}" for i, need in enumerate(needs)
    )
    procedure = (record["procedure"] or "") + ("\n" if record["procedure"] and needs else "")
    heading = NEEDS_HEADING if needs else ""
    _rich(
        sheet,
        row,
        2,
        [(fmt.line, procedure), (fmt.italic, heading), (fmt.line, listed)],
        fmt.boxed,
        fmt.boxed_quoted,
    )
    height = form_row_height((name + details, WIDTHS[1]), (procedure + heading + listed, WIDTHS[2]))
    sheet.set_row(row, height)


def write_xlsx(publication: Publication, path: Path) -> Path:
    """Write the publication workbook to *path* atomically."""
    meta = publication.classifiers.meta
    with atomic_path(path) as temporary:
        book = xlsxwriter.Workbook(
            str(temporary),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        book.set_properties(
            {
                "title": publication.title,
                "subject": f"{meta.get('regulation', '')} ({meta.get('order', '')})",
                "author": "tpcheck",
                "company": meta.get("organization", ""),
                "keywords": "tpcheck, перечень точек взаимодействия, публикация",
                "created": dt.datetime.combine(publication.as_of, dt.time(), tzinfo=dt.UTC),
            }
        )
        fmt = _Formats(book)
        _write_form(book, publication, fmt)
        book.worksheets()[0].activate()
        book.close()
    return path
