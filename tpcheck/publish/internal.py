"""The internal report of a publication: what was held back from the Перечень and why.

It is written beside the publication (``publication_report.xlsx``) for the authorized person and
is never part of the workbook or the page meant for the site (п. 5.2 posts the approved Перечень,
not the working notes of its compilation). Sheet «Не вошли в Перечень»: file, sheet, row,
touchpoint, activity, the codes and messages of the findings that held each row back. Sheet
«Уточнено при публикации»: the notices of what the publication settled itself (the вид from the
type, rows of one touchpoint merged; :mod:`tpcheck.publish.settle`). Sheet «Скрыто при
публикации»: what the personal-data screen withheld (:mod:`tpcheck.publish.screen`). Every value
is written as a text cell, never as a formula.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter

from ..output.atomic import atomic_path
from ..output.formats import FORM_FONT, HEADER, Formats, fill
from ..output.formula import FORMULA_STARTS
from ..output.printing import readable_widths, set_print
from ..output.rows import form_row_height as row_height

if TYPE_CHECKING:
    from .model import Publication

__all__ = ["EXCLUDED_HEADERS", "EXCLUDED_SHEET", "NOTICES_SHEET", "write_internal_xlsx"]

EXCLUDED_SHEET = "Не вошли в Перечень"
EXCLUDED_HEADERS = (
    ("Файл", 40),
    ("Лист", 14),
    ("Строка", 8),
    ("Точка взаимодействия", 30),
    ("Услуга, функция, сервис", 34),
    ("Коды замечаний", 24),
    ("Замечания (ошибки)", 80),
)


def _header(fmt: Formats):
    """The header cell of the report's tables: the kit's table header, centred."""
    return fmt.add(HEADER, fill("header_plain"), align="center")


def _write_excluded(book: xlsxwriter.Workbook, publication: Publication, fmt: Formats) -> None:
    header, text_format, quoted = _header(fmt), fmt.boxed, fmt.boxed_quoted
    sheet = book.add_worksheet(EXCLUDED_SHEET)
    # the widest columns narrowed (their text wraps) so that the sheet prints readable
    widths = readable_widths([width for _, width in EXCLUDED_HEADERS])
    for col, ((title, _), width) in enumerate(zip(EXCLUDED_HEADERS, widths, strict=True)):
        sheet.write_string(0, col, title, header)
        sheet.set_column(col, col, width)
    for index, record in enumerate(publication.to_dict()["excluded"], start=1):
        values = [
            record["file"],
            record["sheet"],
            None if record["row"] is None else str(record["row"]),
            record["touchpoint"],
            record["activity"],
            ", ".join(record["codes"]),
            "\n".join(record["messages"]),
        ]
        for col, value in enumerate(values):
            text = value or ""
            sheet.write_string(
                index, col, text, quoted if text.startswith(FORMULA_STARTS) else text_format
            )
        sheet.set_row(
            index,
            row_height(*((v or "", w) for v, w in zip(values, widths, strict=True))),
        )
    last = max(len(publication.excluded), 1)
    sheet.autofilter(0, 0, last, len(EXCLUDED_HEADERS) - 1)
    sheet.freeze_panes(1, 0)
    set_print(sheet, widths, 0)


NOTICES_SHEET = "Уточнено при публикации"
SCREENED_SHEET = "Скрыто при публикации"
NOTICE_HEADERS = (
    ("Файл", 40),
    ("Лист", 14),
    ("Строка", 8),
    ("Графа", 24),
    ("Код", 24),
    ("Что уточнено", 90),
)


def _write_notices(
    book: xlsxwriter.Workbook,
    publication: Publication,
    fmt: Formats,
    title: str = NOTICES_SHEET,
    items: list | None = None,
) -> None:
    header, text_format, quoted = _header(fmt), fmt.boxed, fmt.boxed_quoted
    items = publication.notices if items is None else items
    sheet = book.add_worksheet(title)
    widths = readable_widths([width for _, width in NOTICE_HEADERS])
    for col, ((name, _), width) in enumerate(zip(NOTICE_HEADERS, widths, strict=True)):
        sheet.write_string(0, col, name, header)
        sheet.set_column(col, col, width)
    for index, notice in enumerate(items, start=1):
        values = [
            notice.file,
            notice.sheet,
            None if notice.row is None else str(notice.row),
            notice.column,
            notice.code,
            notice.message,
        ]
        for col, value in enumerate(values):
            text = str(value or "")
            sheet.write_string(
                index, col, text, quoted if text.startswith(FORMULA_STARTS) else text_format
            )
        sheet.set_row(
            index,
            row_height(*((str(v or ""), w) for v, w in zip(values, widths, strict=True))),
        )
    sheet.autofilter(0, 0, max(len(items), 1), len(NOTICE_HEADERS) - 1)
    sheet.freeze_panes(1, 0)
    set_print(sheet, widths, 0)


def write_internal_xlsx(publication: Publication, path: Path) -> Path:
    """Write the internal report of *publication* to *path* atomically."""
    meta = publication.classifiers.meta
    with atomic_path(path) as temporary:
        book = xlsxwriter.Workbook(
            str(temporary),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        book.set_properties(
            {
                "title": f"{publication.title}: внутренний отчет о публикации",
                "subject": f"{meta.get('regulation', '')} ({meta.get('order', '')})",
                "author": "tpcheck",
                "company": meta.get("organization", ""),
                "keywords": "tpcheck, перечень точек взаимодействия, внутренний отчет",
                "created": dt.datetime.combine(publication.as_of, dt.time(), tzinfo=dt.UTC),
            }
        )
        fmt = Formats(book, FORM_FONT)
        _write_excluded(book, publication, fmt)
        _write_notices(book, publication, fmt)
        _write_notices(book, publication, fmt, SCREENED_SHEET, publication.screened)
        book.close()
    return path
