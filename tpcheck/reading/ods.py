"""What python-calamine does not say about an OpenDocument spreadsheet: hidden tables and rows,
merged cells, error values, formulas without a value, and the rectangle of filled cells (row
and column repeats counted, so that a repeated cell cannot make calamine allocate millions of
cells unnoticed). One streaming pass over ``content.xml``, after its prolog was checked for a DTD.
"""

from __future__ import annotations

import zipfile
from xml.etree.ElementTree import iterparse

from .scan import SheetScan

__all__ = ["scan_ods"]

_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_STYLE_NS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_CALCEXT_NS = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"

TABLE = f"{{{_TABLE_NS}}}table"
ROW = f"{{{_TABLE_NS}}}table-row"
CELL = f"{{{_TABLE_NS}}}table-cell"
COVERED = f"{{{_TABLE_NS}}}covered-table-cell"
STYLE = f"{{{_STYLE_NS}}}style"
TABLE_PROPERTIES = f"{{{_STYLE_NS}}}table-properties"


def _t(name: str) -> str:
    return f"{{{_TABLE_NS}}}{name}"


def _int(value: str | None, default: int = 1) -> int:
    try:
        return max(1, int(value)) if value is not None else default
    except ValueError:
        return default


def scan_ods(archive: zipfile.ZipFile) -> tuple[dict[str, SheetScan], set[str]]:
    """``({table name: SheetScan}, {names of hidden tables})`` of the ODS *archive*."""
    scans: dict[str, SheetScan] = {}
    hidden_tables: set[str] = set()
    hidden_styles: set[str] = set()
    scan: SheetScan | None = None
    hidden_ranges: list[tuple[int, int]] = []
    row = 0  # last row number used
    row_repeat = 1
    col = 0
    with archive.open("content.xml") as stream:
        for event, elem in iterparse(stream, events=("start", "end")):
            tag = elem.tag
            if event == "start":
                if tag == TABLE:
                    name = elem.get(_t("name"), f"Лист{len(scans) + 1}")
                    scan = scans[name] = SheetScan()
                    hidden_ranges = []
                    row = 0
                    if elem.get(_t("style-name")) in hidden_styles:
                        hidden_tables.add(name)
                elif tag == ROW and scan is not None:
                    row_repeat = _int(elem.get(_t("number-rows-repeated")))
                    col = 0
                    if elem.get(_t("visibility")) in ("collapse", "filter"):
                        hidden_ranges.append((row + 1, row + row_repeat))
                continue
            if tag in (CELL, COVERED) and scan is not None:
                col_repeat = _int(elem.get(_t("number-columns-repeated")))
                first_row = row + 1
                filled = elem.get(f"{{{_OFFICE_NS}}}value-type") is not None or len(elem) > 0
                if filled and tag == CELL:
                    scan.include(
                        (first_row, first_row + row_repeat - 1),
                        (col, col + col_repeat - 1),
                        min(row_repeat * col_repeat, 1 << 40),
                    )
                    formula = elem.get(_t("formula"))
                    if elem.get(f"{{{_CALCEXT_NS}}}value-type") == "error":
                        scan.errors[(first_row, col)] = "".join(elem.itertext()).strip()
                    elif formula and elem.get(f"{{{_OFFICE_NS}}}value-type") is None:
                        scan.formulas[(first_row, col)] = "=" + formula.split(":", 1)[-1].lstrip(
                            "="
                        )
                spans = (
                    _int(elem.get(_t("number-rows-spanned"))),
                    _int(elem.get(_t("number-columns-spanned"))),
                )
                if tag == CELL and spans != (1, 1):
                    scan.merges.append(
                        (first_row, col, first_row + spans[0] - 1, col + spans[1] - 1)
                    )
                col += col_repeat
                elem.clear()
            elif tag == ROW and scan is not None:
                row += row_repeat
                elem.clear()
            elif tag == TABLE and scan is not None:
                last = scan.last_row or 0
                for start, end in hidden_ranges:
                    scan.hidden_rows.update(range(start, min(end, last) + 1))
                scan = None
                elem.clear()
            elif tag == STYLE and elem.get(f"{{{_STYLE_NS}}}family") == "table":
                properties = elem.find(TABLE_PROPERTIES)
                if properties is not None and properties.get(_t("display")) == "false":
                    hidden_styles.add(elem.get(f"{{{_STYLE_NS}}}name", ""))
    return scans, hidden_tables
