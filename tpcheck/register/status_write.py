"""status.xlsx and status.html of ``tpcheck status``: two tables, overdue rows in red (and marked
in words, not by colour alone)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xlsxwriter

from ..output.atomic import atomic_path
from ..output.config import output_spec
from ..output.formats import Formats, mark
from ..output.formula import FORMULA_STARTS
from ..output.htmlpage import escape, page
from ..output.printing import print_layout, set_print
from ..output.rows import wrapped_height

if TYPE_CHECKING:
    from .status import Status

__all__ = ["tables_html", "write_html", "write_xlsx"]

_WIDTHS = {
    "subdivision": 36, "last_report": 14, "file": 26, "reported_by": 20, "change": 14,
    "touchpoint": 32, "activity": 32, "fields": 24, "ground": 40, "reported_on": 14,
    "deadline": 16, "overdue": 11, "version": 8, "act": 44, "approved_on": 14, "rows": 12,
    "forced": 36, "published_on": 16, "in_time": 24,
}  # fmt: skip


def _tables(status: Status) -> list[tuple[str, tuple[str, ...], list[dict[str, Any]]]]:
    from .columns import SUBDIVISION_COLUMNS, VERSION_COLUMNS

    labels = status.labels
    return [
        (labels["register_sheet_subdivisions"], SUBDIVISION_COLUMNS, status.subdivisions),
        (labels["register_sheet_versions"], VERSION_COLUMNS, status.versions),
    ]


def write_xlsx(status: Status, path: Path) -> Path:
    """Write status.xlsx atomically: a sheet per table, the title and summary on top."""
    with atomic_path(path) as temporary:
        book = xlsxwriter.Workbook(
            str(temporary),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        book.set_properties(
            {
                "title": status.title,
                "author": "tpcheck",
                "created": dt.datetime.combine(status.today, dt.time(), tzinfo=dt.UTC),
            }
        )
        fmt = Formats(book)
        bold, plain, header, cell = fmt.title_line, fmt.line, fmt.table_header, fmt.boxed
        late = fmt.add(mark("error"), border=1)
        summary = status.summary_text().splitlines()[1]
        for name, columns, rows in _tables(status):
            sheet = book.add_worksheet(name)
            sheet.write_string(0, 0, status.title, bold)
            sheet.write_string(1, 0, summary, plain)
            paper, widths = print_layout([_WIDTHS[key] for key in columns])
            for col, label in enumerate(status.headers(columns)):
                sheet.write_string(3, col, label, header)
                sheet.set_column(col, col, widths[col])
            for index, row in enumerate(rows, start=4):
                style = late if row["late"] else cell
                for col, key in enumerate(columns):
                    value = row[key]
                    if isinstance(value, int):
                        sheet.write_number(index, col, value, style)
                    else:
                        text = str(value or "")
                        text = "'" + text if text.startswith(FORMULA_STARTS) else text
                        sheet.write_string(index, col, text, style)
                texts = [str(row[key] or "") for key in columns]
                sheet.set_row(index, wrapped_height(zip(texts, widths, strict=True)))
            sheet.autofilter(3, 0, 3 + max(len(rows), 1), len(columns) - 1)
            sheet.freeze_panes(4, 0)
            set_print(sheet, widths, 3, paper=paper)
        book.close()
    return path


def tables_html(status: Status) -> str:
    """The two tables (also the notebook rendering of a :class:`~.status.Status`)."""
    colors = output_spec().colors
    late = f"background:{colors['error_fill']};color:{colors['error_font']}"
    parts = []
    for name, columns, rows in _tables(status):
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in status.headers(columns))
        body = []
        for row in rows:
            overdue = f' class="overdue" style="{late}"' if row["late"] else ""
            cells = "".join(f"<td>{escape(str(row[k] or ''))}</td>" for k in columns)
            body.append(f"<tr{overdue}>{cells}</tr>\n")
        parts.append(
            f"<table>\n<caption>{escape(name)}</caption>\n<thead><tr>{head}</tr></thead>\n"
            f"<tbody>\n{''.join(body)}</tbody>\n</table>\n"
        )
    return "".join(parts)


def write_html(status: Status, path: Path) -> Path:
    """Write status.html atomically."""
    summary = status.summary_text().splitlines()[1]
    body = (
        '<main id="content">\n'
        f"<h1>{escape(status.title)}</h1>\n<p>{escape(summary)}</p>\n"
        f"{tables_html(status)}</main>\n"
    )
    with atomic_path(path) as temporary:
        temporary.write_text(page(status.title, body, lang=status.lang), encoding="utf-8")
    return path
