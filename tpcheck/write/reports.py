"""The error report: ``oshibki.xlsx``, ``oshibki.csv`` (UTF-8 with BOM, «;», CRLF — what Russian
Excel opens by double-click) and ``report.json`` (exactly :meth:`Report.to_dict`)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from ..findings import Report
from ..output.config import output_spec
from ..output.formula import formula_safe
from .issues_table import (
    CSV_COLUMNS,
    issue_headers,
    issue_values,
    issue_widths,
    write_issue_rows,
)
from .xlsx import Styles, finish_sheet, new_workbook, write_table

__all__ = ["csv_safe", "report_json", "write_errors_csv", "write_errors_xlsx", "write_report_json"]


def csv_safe(value: Any) -> str:
    """A CSV field that a spreadsheet will not run: text starting with ``=``, ``+``, ``-``, ``@``,
    tab or carriage return gets a leading apostrophe (the OWASP rule); numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return formula_safe(str(value))


def write_errors_csv(path: str | Path, report: Report, lang: str = "ru") -> None:
    labels = output_spec().labels(lang)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(issue_headers(labels, columns=CSV_COLUMNS))
        for item in report.records:
            writer.writerow([csv_safe(v) for v in issue_values(item, labels, columns=CSV_COLUMNS)])


def write_errors_xlsx(path: str | Path, report: Report, lang: str = "ru") -> None:
    labels = output_spec().labels(lang)
    book = new_workbook(path, {"title": labels["html_title"]})
    styles = Styles(book)
    sheet = book.add_worksheet(labels["sheet_errors"])
    headers = issue_headers(labels)
    for col, (header, width) in enumerate(zip(headers, issue_widths(), strict=True)):
        sheet.write_string(0, col, header, styles.header)
        sheet.set_column(col, col, width)
    count = write_issue_rows(sheet, styles, labels, report.records, top=0)
    sheet.set_row(0, 32)
    finish_sheet(sheet, 0)
    sheet.autofilter(0, 0, max(count, 1), len(headers) - 1)
    files = book.add_worksheet(labels["sheet_files"])
    counts = report.file_counts()
    write_table(
        files,
        0,
        [labels[k] for k in ("col_file", "col_status", "col_rows", "col_errors", "col_warnings")],
        (
            [
                info.path,
                labels.status(info.status),
                int(info.rows),
                counts.get(info.path, {}).get("errors", 0),
                counts.get(info.path, {}).get("warnings", 0),
            ]
            for info in report.files
        ),
        styles,
        widths=[50, 14, 10, 10, 16],
    )
    book.close()


def _default(value: Any) -> Any:
    """numpy scalars become Python numbers; anything else odd (a Path) its text."""
    item = getattr(value, "item", None)
    return item() if callable(item) else str(value)


def report_json(report: Report) -> str:
    """The text of report.json: :meth:`Report.to_dict` as UTF-8 JSON, indented by 2."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=_default) + "\n"


def write_report_json(path: str | Path, report: Report) -> None:
    Path(path).write_text(report_json(report), encoding="utf-8")
