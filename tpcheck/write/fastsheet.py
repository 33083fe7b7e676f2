"""A faster xlsxwriter worksheet for the big sheets tpcheck writes: the same XML, less Python.

XlsxWriter spends about 4.5 µs of CPU on each cell: storing it (a bounds check, the dimensions,
the shared-string lookup and a named tuple per cell) and serialising it (an attribute list, an
escaping check per attribute and a formatted write per cell). tpcheck writes a few million cells
per merge, so :class:`FastSheet` — installed by :func:`tpcheck.write.xlsx.new_workbook` as the
workbook's worksheet class — does both in bulk:

* :meth:`FastSheet.write_texts` stores a whole column (or row) of safe texts at once;
  :meth:`FastSheet.write_rows_now` serialises a finished first sheet before the workbook closes;
* ``_write_rows`` (called by xlsxwriter when the workbook is closed) serialises each row with one
  joined string per row for the common cells (shared string, number, blank) and leaves every other
  kind of cell to xlsxwriter's own ``_write_cell``; it lets go of each row's cells once written
  (nothing reads them after), so a big sheet's cells and its XML are not both held in full.

The bytes of the sheet part are exactly what XlsxWriter writes (``tests/test_fastsheet.py`` holds
the two side by side). Both rely on XlsxWriter's internal cell table (``Worksheet.table`` of
``namedtuple`` cells, the shared-string table, ``row_info``, ``col_info``, ``comments``); they are
checked when this module is imported, and if any is missing the stock methods are used.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import IO, Any

from xlsxwriter import worksheet as _ws
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

__all__ = ["SUPPORTED", "FastSheet"]

_String = getattr(_ws, "CellStringTuple", None)
_Number = getattr(_ws, "CellNumberTuple", None)
_Blank = getattr(_ws, "CellBlankTuple", None)
_REQUIRED = ("table", "comments", "row_info", "col_info", "str_table", "constant_memory")
#: True when this XlsxWriter has the internals the fast paths use (else they step aside).
SUPPORTED = (
    None not in (_String, _Number, _Blank)
    and hasattr(_ws, "ColumnInfo")  # row_info and col_info hold objects, not lists
    and hasattr(_ws, "RowInfo")
    and all(hasattr(Worksheet, name) for name in ("_write_row", "_write_cell", "_write_string"))
    and _String._fields == ("string", "format")
    and _Number._fields == ("number", "format")
    and _Blank._fields == ("format",)
)
#: Characters copied at a time from the early rows' temporary file into the sheet's part.
_COPY_CHUNK = 1 << 20
_new = tuple.__new__  # a named tuple made without its Python-level __new__
_LETTERS: list[str] = []
#: Formulas as XlsxWriter prepares them (about a hundred regular expressions each): every return
#: copy repeats the same drop-down lists.
_PREPARED: dict[tuple[str, bool, bool], str] = {}


def _letters(count: int) -> list[str]:
    """The column letters A, B, … of the first *count* columns."""
    while len(_LETTERS) < count:
        _LETTERS.append(xl_col_to_name(len(_LETTERS)))
    return _LETTERS


class FastSheet(Worksheet):
    """An xlsxwriter ``Worksheet`` with a bulk text writer and a faster serialiser of its rows;
    everything else is XlsxWriter's."""

    def _fast(self) -> bool:
        return SUPPORTED and not self.constant_memory and all(hasattr(self, n) for n in _REQUIRED)

    def write_texts(
        self,
        rows: Iterable[int],
        cols: Iterable[int],
        texts: Iterable[str | None],
        cell_format: Format | None = None,
        risky_format: Format | None = None,
        risky: frozenset[str] | set[str] = frozenset(),
    ) -> int:
        """Write each text of *texts* at the cell (row, col) of *rows* × *cols* (zipped: give one of
        them as ``itertools.repeat``), skipping None; a text whose first character is in *risky*
        gets *risky_format*, the others *cell_format*. The texts must be non-empty. Returns the
        number of cells written. The same as ``write_string`` cell by cell."""
        if not self._fast():
            count = 0
            for row, col, text in zip(rows, cols, texts, strict=False):
                if text is not None:
                    fmt = risky_format if text[0] in risky else cell_format
                    self._write_string(row, col, text, fmt)
                    count += 1
            return count
        shared = self.str_table
        strings = shared.string_table
        table = self.table
        half = self.xls_strmax // 2
        row_max, col_max = self.xls_rowmax, self.xls_colmax
        low_row = low_col = row_max
        high_row = high_col = -1
        fast = counted = slow = 0  # counted: fast cells already in the shared table's count
        for row, col, text in zip(rows, cols, texts, strict=False):
            if text is None:
                continue
            fmt = risky_format if text[0] in risky else cell_format
            if len(text) > half or not (0 <= row < row_max and 0 <= col < col_max):
                # the rare cases, as XlsxWriter does them (with its counters up to date)
                shared.count += fast - counted
                shared.unique_count = len(strings)
                counted = fast
                slow += self._write_string(row, col, text, fmt) != -1
                continue
            index = strings.get(text)
            if index is None:
                index = strings[text] = len(strings)
            table[row][col] = _new(_String, (index, fmt))
            if row < low_row:
                low_row = row
            if row > high_row:
                high_row = row
            if col < low_col:
                low_col = col
            if col > high_col:
                high_col = col
            fast += 1
        shared.count += fast - counted
        shared.unique_count = len(strings)
        if fast:
            self._extend_dimensions(low_row, high_row, low_col, high_col)
        return fast + slow

    def write_column(
        self,
        col: int,
        rows: Sequence[int],
        texts: Sequence[str | None],
        cell_format: Format | None = None,
        risky_format: Format | None = None,
        risky: frozenset[str] | set[str] = frozenset(),
    ) -> int:
        """:meth:`write_texts` down one column: *texts* at *rows*, in fewer steps per cell (the
        bounds and the dimensions are checked once for the whole column)."""
        present = [row for row, text in zip(rows, texts, strict=True) if text is not None]
        if not present:
            return 0
        low, high = min(present), max(present)
        if not (self._fast() and 0 <= col < self.xls_colmax and 0 <= low <= high < self.xls_rowmax):
            return self.write_texts(rows, repeat(col), texts, cell_format, risky_format, risky)
        shared = self.str_table
        strings = shared.string_table
        table = self.table
        half = self.xls_strmax // 2
        slow = 0
        for row, text in zip(rows, texts, strict=True):
            if text is None:
                continue
            fmt = risky_format if text[0] in risky else cell_format
            if len(text) > half:  # as XlsxWriter does it, with its table's count up to date
                shared.unique_count = len(strings)
                self._write_string(row, col, text, fmt)
                slow += 1
                continue
            index = strings.get(text)
            if index is None:
                index = strings[text] = len(strings)
            table[row][col] = _new(_String, (index, fmt))
        shared.count += len(present) - slow
        shared.unique_count = len(strings)
        self._extend_dimensions(low, high, col, col)
        return len(present)

    def write_numbers(
        self,
        rows: Iterable[int],
        cols: Iterable[int],
        numbers: Iterable[float | None],
        cell_format: Format | None = None,
    ) -> int:
        """Write each number of *numbers* at (row, col) of *rows* × *cols* (zipped), skipping
        None; the same as ``write_number`` cell by cell. Returns the number of cells written."""
        if not self._fast():
            count = 0
            for row, col, number in zip(rows, cols, numbers, strict=False):
                if number is not None:
                    self._write_number(row, col, number, cell_format)
                    count += 1
            return count
        table = self.table
        row_max, col_max = self.xls_rowmax, self.xls_colmax
        low_row = low_col = row_max
        high_row = high_col = -1
        fast = slow = 0
        for row, col, number in zip(rows, cols, numbers, strict=False):
            if number is None:
                continue
            kind = type(number)
            if (
                not (kind is int or (kind is float and number - number == 0))  # finite
                or not (0 <= row < row_max and 0 <= col < col_max)
            ):
                slow += self._write_number(row, col, number, cell_format) != -1
                continue
            table[row][col] = _new(_Number, (number, cell_format))
            if row < low_row:
                low_row = row
            if row > high_row:
                high_row = row
            if col < low_col:
                low_col = col
            if col > high_col:
                high_col = col
            fast += 1
        if fast:
            self._extend_dimensions(low_row, high_row, low_col, high_col)
        return fast + slow

    def _extend_dimensions(self, low_row: int, high_row: int, low_col: int, high_col: int) -> None:
        for name, value, pick in (
            ("dim_rowmin", low_row, min),
            ("dim_rowmax", high_row, max),
            ("dim_colmin", low_col, min),
            ("dim_colmax", high_col, max),
        ):
            current = getattr(self, name)
            setattr(self, name, value if current is None else pick(current, value))

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        key = (formula, bool(expand_future_functions), bool(self.use_future_functions))
        prepared = _PREPARED.get(key)
        if prepared is None:
            if len(_PREPARED) > 4096:
                _PREPARED.clear()
            prepared = _PREPARED[key] = super()._prepare_formula(formula, expand_future_functions)
        return prepared

    # ------------------------------------------------------------------ serialising

    _done_below = 0  # the rows above this one are serialised already (write_rows_now)
    _early: IO[str] | None = None  # their XML, in a temporary file until the workbook closes
    _early_notes = 0  # the notes on those rows then

    def _notes_above(self, row: int) -> int:
        return sum(len(notes) for at, notes in self.comments.items() if at < row)

    def write_rows_now(self, below: int | None = None) -> bool:
        """Serialise the rows above row *below* (all rows written so far when None) now rather
        than when the workbook is closed, and let go of their cells: the XML of a big sheet
        (plain ASCII) takes a third of the memory of its cells. Rows are serialised in blocks of
        16 (a block's ``spans`` cover its cells), so *below* must be a multiple of 16, and no cell
        or note may be added above it afterwards. Only for the workbook's first sheet, whose
        formats then get their indexes in the order XlsxWriter would give them (its columns'
        formats first, then its cells' in row order). Returns whether it was done."""
        if not self._fast() or self.index != 0 or self.dim_rowmin is None:
            return False
        if below is None:
            below = (self.dim_rowmax // 16 + 1) * 16
        elif below % 16:
            raise ValueError(f"write_rows_now(below={below}): not a multiple of 16")
        if below <= self._done_below:
            return True
        if self._early is None:
            # on disk, not in memory: 80 MB of XML for the 100,000 rows of a consolidated sheet
            self._early = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115 (closed in _write_rows)
            for col in sorted(self.col_info):
                if self.col_info[col].column_format is not None:
                    self.col_info[col].column_format._get_xf_index()
        real, self.fh = self.fh, self._early
        try:
            self._serialise(self._done_below, below)
        finally:
            self.fh = real
        self._done_below = below
        self._early_notes = self._notes_above(below)
        return True

    def _write_rows(self) -> None:
        if self._early is not None:
            if any(cells for row, cells in self.table.items() if row < self._done_below) or (
                self._notes_above(self._done_below) != self._early_notes
            ):
                raise RuntimeError("cells or notes were added above the rows written early")
            early, self._early = self._early, None
            drain = getattr(self.fh, "drain", None)
            with early:
                early.seek(0)
                while chunk := early.read(_COPY_CHUNK):
                    self.fh.write(chunk)
                    if drain is not None:  # into the zip now (fastbook._PartWriter)
                        drain()
            self._serialise(self._done_below, None)
            return
        if not self._fast():
            super()._write_rows()
            return
        self._serialise(0, None)

    def _spans(self, rows: set[int]) -> dict[int, str]:
        """XlsxWriter's ``spans`` of the 16-row blocks of *rows*: the first and last column used
        in the block (cells or notes)."""
        col_low, col_high = self.dim_colmin, self.dim_colmax
        blocks: dict[int, list[int]] = {}
        for source in (self.table, self.comments):
            for row in rows:
                cols = source.get(row)
                if not cols:
                    continue
                first, last = min(cols), max(cols)
                if first < col_low or last > col_high:
                    inside = [c for c in cols if col_low <= c <= col_high]
                    if not inside:
                        continue
                    first, last = min(inside), max(inside)
                block = blocks.get(row // 16)
                if block is None:
                    blocks[row // 16] = [first, last]
                else:
                    block[0] = min(block[0], first)
                    block[1] = max(block[1], last)
        return {index: f"{a + 1}:{b + 1}" for index, (a, b) in blocks.items()}

    def _serialise(self, first: int, below: int | None) -> None:
        """Write the rows first … below − 1 (to the last row when *below* is None) and let go of
        their cells (nothing reads them afterwards)."""
        low, high = self.dim_rowmin, self.dim_rowmax
        if below is not None:
            high = min(high, below - 1)
        low = max(low, first)
        table, comments, row_info = self.table, self.comments, self.row_info
        rows = {r for r in (*table, *comments, *row_info) if low <= r <= high}
        spans = self._spans(rows)
        self.row_spans = spans
        letters = _letters(self.dim_colmax + 1)
        col_formats = {
            col: info.column_format
            for col, info in self.col_info.items()
            if info.column_format is not None
        }
        styles: dict[Any, str] = {None: ""}  # a format → its ' s="…"' attribute
        plain_rows = (
            self.excel_version == 2007 and self.default_row_height == self.original_row_height
        )
        default_height = self.default_row_height
        write = self.fh.write
        drain = getattr(self.fh, "drain", None)  # a part streamed into the zip: every 512 rows
        String, Number, Blank = _String, _Number, _Blank
        for count, row in enumerate(sorted(rows), start=1):
            if drain is not None and not count & 511:
                drain()
            # each row's cells are let go once written: the sheet's XML grows as its cells go
            cells = table.pop(row, None)
            info = row_info.get(row)
            span = spans.get(row // 16)
            if not cells:
                if row in comments or info is not None:
                    self._write_empty_row(row, span, info)
                continue
            number = str(row + 1)
            if plain_rows and (
                info is None or not (info.row_format or info.hidden or info.level or info.collapsed)
            ):
                # what _write_row writes for a row of no format, outline or hiding: its height
                # (wrapped text) the only attribute beyond its number and spans
                start = f'<row r="{number}" spans="{span}"' if span else f'<row r="{number}"'
                height = None if info is None else info.height
                if height is None or height == default_height:
                    parts = [start + ">"]
                else:
                    parts = [start + f' ht="{height * 0.75:.16g}" customHeight="1">']
            else:
                self._write_row(row, span, info)
                parts = []
            row_format = info.row_format if info is not None else None
            for col in sorted(cells):
                cell = cells[col]
                fmt = cell.format or row_format or col_formats.get(col)
                s = styles.get(fmt)
                if s is None:
                    s = styles[fmt] = f' s="{fmt._get_xf_index()}"'
                kind = cell.__class__
                if kind is String:
                    parts.append(f'<c r="{letters[col]}{number}"{s} t="s"><v>{cell[0]}</v></c>')
                elif kind is Number:
                    parts.append(f'<c r="{letters[col]}{number}"{s}><v>{cell[0]:.16G}</v></c>')
                elif kind is Blank:
                    parts.append(f'<c r="{letters[col]}{number}"{s}/>')
                else:
                    write("".join(parts))
                    parts = []
                    self._write_cell(row, col, cell)
            parts.append("</row>")
            write("".join(parts))
