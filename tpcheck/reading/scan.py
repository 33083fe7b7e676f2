"""Stream the XML of a worksheet, in bounded chunks, for what python-calamine does not say.

The rectangle of the sheet's cells (calamine allocates all of it: a sheet with cells in A1 and
XFD1048576 makes it ask for 512 GB and abort), hidden rows, Excel error values, formulas
without a cached value and merged ranges. Regular expressions over the raw XML, no parser: the
part's prolog was checked for a DTD before (:mod:`.package`).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape

from ..cells import MAX_COLUMNS, MAX_ROWS, a1, column_index

__all__ = ["SheetScan", "scan_xlsx_sheet"]

CHUNK = 4 * 1024 * 1024


@dataclass
class SheetScan:
    """What the XML of one worksheet holds, found without parsing it into cells.

    Rows are Excel row numbers (1-based), columns zero-based. ``first_row``…``last_row`` and
    ``first_col``…``last_col`` bound the cells of the sheet — those with a value and those with
    only a style, to be on the safe side (None for an empty sheet).
    """

    dimension: str | None = None
    first_row: int | None = None
    last_row: int | None = None
    first_col: int | None = None
    last_col: int | None = None
    cells: int = 0
    hidden_rows: set[int] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    approximate: bool = False

    @property
    def area(self) -> int:
        """Cells of the rectangle a dense reader allocates."""
        if self.first_row is None or self.first_col is None:
            return 0
        rows = self.last_row - self.first_row + 1  # type: ignore[operator]
        cols = self.last_col - self.first_col + 1  # type: ignore[operator]
        return rows * cols

    def extent(self) -> str:
        """``A1:XFD1048576`` — the rectangle of filled cells, for messages."""
        if self.first_row is None:
            return ""
        return f"{a1(self.first_row, self.first_col)}:{a1(self.last_row, self.last_col)}"  # type: ignore[arg-type]

    def include(self, rows: tuple[int, int], cols: tuple[int, int], cells: int = 1) -> None:
        """Widen the bounds to rows ``rows[0]…rows[1]`` and columns ``cols[0]…cols[1]``."""
        self.cells += cells
        if self.first_row is None:
            self.first_row, self.last_row = rows
            self.first_col, self.last_col = cols
            return
        self.first_row = min(self.first_row, rows[0])
        self.last_row = max(self.last_row, rows[1])  # type: ignore[type-var]
        self.first_col = min(self.first_col, cols[0])  # type: ignore[type-var]
        self.last_col = max(self.last_col, cols[1])  # type: ignore[type-var]


_P = rb"(?:\w+:)?"
#: The start of an ``r`` attribute's value as XML allows it: white space around «=», either quote.
_R = rb"\sr\s*=\s*[\"']"
_Q = rb"[\"']"
_CELL_ADDRESS = re.compile(_R + rb"([A-Z]{1,3})([0-9]{1,7})" + _Q)
_CELL_ADDRESS_FAST = re.compile(rb' r="([A-Z]{1,3})([0-9]{1,7})"')  # literal prefix: 3× faster
# An address after a tab or a line break (not a space): one search per byte, each led by that
# rare byte, is several times quicker than one search led by the class [\t\r\n].
_ODD_SPACE_RS = tuple(re.compile(space + rb'r="[A-Z]') for space in (rb"\t", rb"\r", rb"\n"))
#: Bytes that only an attribute written otherwise than ` r="…"` (or text) holds: ``r='A1'`` or
#: white space beside «=». Each is found with memchr; any of them sends the chunk down the slow,
#: exact path.
_ODD_ATTRIBUTES = (b"r='", b" =", b"= ", b"\t=", b"=\t", b"\n=", b"=\n", b"\r=", b"=\r")
_ANY_CELL = re.compile(rb"<" + _P + rb"c[\s>/]")
_CELL_WITHOUT_R = re.compile(rb"<" + _P + rb"c(?=[\s>/])(?![^>]*" + _R + rb")")
_HIDDEN_ROW = re.compile(
    rb"<" + _P + rb"row\b([^>]*\shidden\s*=\s*[\"'](?:1|true)" + _Q + rb"[^>]*)>"
)
_ROW_R = re.compile(_R + rb"([0-9]{1,7})" + _Q)
_CELL_R = _CELL_ADDRESS
_ERROR_CELL = re.compile(rb"<" + _P + rb'c\b([^>]*\st="e"[^>]*)>(.*?)</' + _P + rb"c>", re.DOTALL)
_FORMULA_CELL = re.compile(
    rb"<"
    + _P
    + rb"c\b([^>]*[^/])>((?:(?!</"
    + _P
    + rb"c>).)*?<"
    + _P
    + rb"f\b.*?)</"
    + _P
    + rb"c>",
    re.DOTALL,
)
_VALUE = re.compile(rb"<" + _P + rb"v>([^<]*)</" + _P + rb"v>")
_FORMULA = re.compile(rb"<" + _P + rb"f\b[^>]*?(?:/>|>([^<]*)</" + _P + rb"f>)")
_MERGE = re.compile(
    rb"<"
    + _P
    + rb"mergeCell\s+ref\s*=\s*[\"']([A-Z]{1,3}[0-9]{1,7})(?::([A-Z]{1,3}[0-9]{1,7}))?"
    + _Q
)
_DIMENSION = re.compile(rb"<" + _P + rb"dimension\s+ref\s*=\s*[\"']([^\"']*)" + _Q)
_ROW_END = re.compile(rb"</" + _P + rb"row>")
# Quick tests of a chunk for what the searches above look for; each starts with a literal byte,
# which re finds with memchr — several times quicker than ``b"<f" in data`` on sheet XML.
_MAY_HIDE_ROWS = re.compile(rb"hidden")
_MAY_HOLD_ERRORS = re.compile(rb't="e"')
_MAY_HOLD_FORMULAS = re.compile(rb"f[\s>/]")  # after the tag name «f» / «x:f» (XML grammar)
_MAY_MERGE = re.compile(rb"mergeCell")


def _chunks(stream, size: int = CHUNK) -> Iterator[bytes]:
    """The XML of *stream* in pieces cut after a ``</row>`` (or a ``>``) so that no cell is
    split between two pieces (a part smaller than *size* comes whole)."""
    rest = b""
    block = stream.read(size)
    while block:
        following = stream.read(size)
        data = rest + block
        if not following:
            yield data
            return
        cut = -1
        for match in _ROW_END.finditer(data, max(0, len(data) - 65536)):
            cut = match.end()
        if cut < 0:
            cut = data.rfind(b">") + 1
        if cut <= 0:
            rest = data
        else:
            yield data[:cut]
            rest = data[cut:]
        block = following
    if rest:
        yield rest


def _address(text: bytes) -> tuple[int, int] | None:
    match = re.fullmatch(rb"([A-Z]{1,3})([0-9]{1,7})", text)
    if not match:
        return None
    row, col = int(match.group(2)), column_index(match.group(1).decode())
    if not (1 <= row <= MAX_ROWS and 0 <= col < MAX_COLUMNS):
        return None
    return row, col


def _cell_position(attrs: bytes) -> tuple[int, int] | None:
    match = _CELL_R.search(attrs)
    return _address(match.group(1) + match.group(2)) if match else None


_FAR_ADDRESS = re.compile(rb' r="(?:[A-Z]{3}|[A-Z]{1,2}[0-9]{5})')
#: Rows × columns within which the addresses need not be collected: every address has at most
#: two letters (column ZZ) and four digits (row 9999).
_NEAR_AREA = 9999 * 702


def _scan_extent(data: bytes, scan: SheetScan, columns: dict[bytes, int], limit: int) -> None:
    """Widen *scan* to the cells of *data* (exactly, or roughly when all are near A1)."""
    odd = any(pattern.search(data) for pattern in _ODD_SPACE_RS) or any(
        odd in data for odd in _ODD_ATTRIBUTES
    )
    near = limit >= _NEAR_AREA and not odd and not _FAR_ADDRESS.search(data)
    found = [] if near else (_CELL_ADDRESS if odd else _CELL_ADDRESS_FAST).findall(data)
    if near:
        # Cheap bound, enough to know calamine's rectangle stays below the limit.
        count = data.count(b' r="')
        if count:
            scan.include((1, 9999), (0, 701), count)
            scan.approximate = True
    elif found:
        letters = {text for text, _ in found}
        for text in letters:
            if text not in columns:
                columns[text] = column_index(text.decode())
        cols = [columns[text] for text in letters]
        rows = [int(number) for number in {number for _, number in found}]
        scan.include((min(rows), max(rows)), (min(cols), max(cols)), len(found))
    tags = data.count(b"<c ") + data.count(b"<c>")
    addressed = len(found) if not near else data.count(b'<c r="')
    prefixed = b":c " in data or b":c>" in data
    if (tags > addressed or prefixed) and _CELL_WITHOUT_R.search(data):
        # Cells without an address are placed by position: count them row by row.
        row_number = scan.last_row or 0
        for row_xml in re.split(rb"<" + _P + rb"row\b", data)[1:]:
            head = row_xml[: row_xml.find(b">") + 1]
            match = _ROW_R.search(head)
            row_number = int(match.group(1)) if match else row_number + 1
            count = len(_ANY_CELL.findall(row_xml))
            if count and 1 <= row_number <= MAX_ROWS:
                scan.include((row_number, row_number), (0, min(count, MAX_COLUMNS) - 1), 0)


def _scan_chunk(data: bytes, scan: SheetScan, columns: dict[bytes, int], limit: int | None) -> None:
    if limit is not None:
        _scan_extent(data, scan, columns, limit)
    else:
        scan.approximate = True
    if scan.dimension is None:
        match = _DIMENSION.search(data, 0, 4096)
        if match:
            scan.dimension = match.group(1).decode("ascii", "replace")
    if _MAY_HIDE_ROWS.search(data):
        for match in _HIDDEN_ROW.finditer(data):
            row = _ROW_R.search(match.group(1))
            if row:
                scan.hidden_rows.add(int(row.group(1)))
    if _MAY_HOLD_ERRORS.search(data):
        for match in _ERROR_CELL.finditer(data):
            position = _cell_position(match.group(1))
            value = _VALUE.search(match.group(2))
            if position and value:
                scan.errors[position] = unescape(value.group(1).decode("utf-8", "replace"))
    if _MAY_HOLD_FORMULAS.search(data):
        for match in _FORMULA_CELL.finditer(data):
            body = match.group(2)
            value = _VALUE.search(body)
            if value and value.group(1):
                continue
            position = _cell_position(match.group(1))
            formula = _FORMULA.search(body)
            if position:
                text = formula.group(1) if formula and formula.group(1) else b""
                scan.formulas[position] = "=" + unescape(text.decode("utf-8", "replace"))
    if _MAY_MERGE.search(data):
        for match in _MERGE.finditer(data):
            start = _address(match.group(1))
            end = _address(match.group(2)) if match.group(2) else start
            if start and end:
                scan.merges.append(
                    (
                        min(start[0], end[0]),
                        min(start[1], end[1]),
                        max(start[0], end[0]),
                        max(start[1], end[1]),
                    )
                )


def scan_xlsx_sheet(archive: zipfile.ZipFile, part: str, limit: int | None) -> SheetScan:
    """Stream the worksheet *part* and tell what it holds (see :class:`SheetScan`). When every
    cell address is near A1 and that corner is smaller than *limit* cells, the bounds are not
    collected (``approximate``: the rectangle is known to be small); with *limit* None they are
    not looked for at all (a worker process, where a parser that runs out of memory only
    ends the worker). Raises :class:`zipfile.BadZipFile` (bad CRC, truncated data) and KeyError
    (no such part)."""
    scan = SheetScan()
    columns: dict[bytes, int] = {}
    with archive.open(part) as stream:
        for chunk in _chunks(stream):
            _scan_chunk(chunk, scan, columns, limit)
    # The same range written many times (600 identical mergeCell elements in 142 bytes
    # compressed) is one range: each copy would be filled in again, cell by cell.
    scan.merges = list(dict.fromkeys(scan.merges))
    return scan
