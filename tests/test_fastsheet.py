"""tpcheck's faster XlsxWriter workbook (tpcheck/write/fastbook.py, fastsheet.py) writes exactly the
parts XlsxWriter writes: the same sheets built through the stock classes and through the fast
ones, compared part by part (XlsxWriter's own way, tests/xlsx_parts.py)."""

from __future__ import annotations

import zipfile
import zlib
from itertools import repeat

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tpcheck.write.fastbook import DEFLATE_LEVEL, Workbook
from tpcheck.write.fastsheet import SUPPORTED, FastSheet
from tpcheck.write.xlsx import RISKY_START, WORKBOOK_OPTIONS

from .xlsx_parts import parts

pytestmark = pytest.mark.skipif(not SUPPORTED, reason="this XlsxWriter lacks the internals")

TEXTS = [
    "plain",
    "Кириллица и ё",
    "=1+1",
    "-минус",
    " leading space",
    "trailing space ",
    "line\nbreak",
    "tab\tinside",
    "a & b < c > d \" e ' f",
    "<r>looks rich</r>",
    "_x0041_ escaped",
    "control \x01 char",
    "\ufffe noncharacter",
    "😀 astral",
    "x" * 20_000,  # longer than half of Excel's limit: XlsxWriter's own path
    "plain",  # repeated: one shared string
]

FLOATS = [1 / 3, 1e300, -0.0, 2.5, 10**20, True]  # True and a big int: XlsxWriter's own path


def _book(path, fast: bool):
    cls = Workbook if fast else xlsxwriter.Workbook
    return cls(str(path), dict(WORKBOOK_OPTIONS))


def _fill(book, sheet, fast: bool) -> None:
    """Every kind of cell and row tpcheck's sheets have, plus kinds they never write (formulas,
    booleans, rich strings), which the fast serialiser must leave to XlsxWriter."""
    plain = book.add_format({"text_wrap": True})
    quoted = book.add_format({"quote_prefix": True})
    number = book.add_format({"num_format": "0"})
    red = book.add_format({"bg_color": "#FFC7CE"})
    column = book.add_format({"num_format": "@"})
    row_format = book.add_format({"italic": True})
    sheet.set_column(3, 3, 20, column)
    sheet.set_row(4, 30)
    sheet.set_row(6, None, row_format)
    sheet.set_row(40, 45)  # a row with a height and no cells
    sheet.set_row(2, 17.35)  # a fractional height: its "ht" in points
    sheet.set_row(3, 15)  # the default height: no "ht"
    sheet.set_row(7, 25, None, {"hidden": True})  # hidden: XlsxWriter's own row writer
    sheet.set_row(8, 20, None, {"level": 1})  # an outline level likewise
    rows = list(range(1, len(TEXTS) + 1))
    if fast:
        sheet.write_texts(rows, repeat(0), TEXTS, plain, quoted, RISKY_START)
        sheet.write_column(3, rows, [None, *TEXTS[1:]], None, quoted, RISKY_START)
        sheet.write_numbers(rows, repeat(1), [*range(len(TEXTS) - 1), None], number)
        sheet.write_numbers(rows[: len(FLOATS)], repeat(8), FLOATS, number)
    else:
        for row, value in zip(rows, FLOATS, strict=False):
            sheet.write_number(row, 8, value, number)
        for row, text in zip(rows, TEXTS, strict=True):
            sheet.write_string(row, 0, text, quoted if text[0] in RISKY_START else plain)
            if row > 1:
                sheet.write_string(row, 3, text, quoted if text[0] in RISKY_START else None)
        for row, value in zip(rows, range(len(TEXTS) - 1), strict=False):
            sheet.write_number(row, 1, value, number)
    sheet.write_number(2, 2, 3.25)
    sheet.write_number(3, 2, 1e20)
    sheet.write_blank(5, 2, None, red)
    sheet.write_blank(6, 2, None)  # a blank without a format is not written at all
    sheet.write_string(7, 2, "written after its row's later columns", red)
    sheet.write_formula(8, 2, "=A1&B1", None, "x")
    sheet.write_boolean(9, 2, True)
    sheet.write_rich_string(10, 2, "a ", book.add_format({"bold": True}), "bold", " b")
    sheet.write_url(11, 2, "internal:'Лист'!A1", None, "Лист!A1")
    sheet.write_comment(12, 2, "a note on a written cell")
    sheet.write_comment(30, 5, "a note on an empty row", {"author": "tpcheck", "x_scale": 2})
    notes = [
        ("Ошибка (code, п. 3.5): «значение» & <тег>\n→ что сделать", {"author": "tpcheck"}),
        ("  leading and trailing  ", {"visible": True, "color": "#FFC7CE"}),
        ("control \x02 and _x0041_", {"font_name": "Arial", "font_size": 10.5}),
        ("another author", {"author": "someone", "y_scale": 3.5, "x_offset": 7}),
    ]
    for offset, (text, options) in enumerate(notes):
        sheet.write_comment(14 + offset, 6 + offset, text, options)
    sheet.merge_range(33, 0, 34, 2, "merged", red)
    sheet.write_string(100, 7, "far away")
    sheet.data_validation(1, 0, 20, 0, {"validate": "list", "source": ["да", "нет"]})
    sheet.autofilter(0, 0, 20, 7)
    sheet.freeze_panes(1, 0)


def _write(path, fast: bool) -> None:
    book = _book(path, fast)
    sheet = book.add_worksheet("Лист")
    book.add_worksheet("Пустой").write_comment(3, 3, "a note on another sheet")
    _fill(book, sheet, fast)
    book.close()


def test_fast_workbook_writes_the_same_parts(tmp_path):
    _write(tmp_path / "stock.xlsx", fast=False)
    _write(tmp_path / "fast.xlsx", fast=True)
    stock, fast = parts(tmp_path / "stock.xlsx"), parts(tmp_path / "fast.xlsx")
    assert sorted(fast) == sorted(stock)
    for name in stock:
        assert fast[name] == stock[name], name


def test_fast_sheet_is_the_worksheet_class_and_parts_are_deflated_at_its_level(tmp_path):
    book = Workbook(str(tmp_path / "book.xlsx"), dict(WORKBOOK_OPTIONS))
    sheet = book.add_worksheet()
    assert isinstance(sheet, FastSheet)
    assert sheet.write_texts([1, 2, 3], repeat(0), ["a", None, "=b"], None, None, RISKY_START) == 2
    assert sheet.write_numbers([1, 2], repeat(1), [7, None]) == 1
    sheet.write_texts(range(4, 3000), repeat(0), (f"строка {n % 97}" for n in range(2996)))
    book.close()
    with zipfile.ZipFile(tmp_path / "book.xlsx") as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        data = archive.read(info)
    assert info.compress_type == zipfile.ZIP_DEFLATED
    sizes = {}
    for level in (DEFLATE_LEVEL, 6):
        deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
        sizes[level] = len(deflate.compress(data) + deflate.flush())
    assert sizes[DEFLATE_LEVEL] != sizes[6]
    assert info.compress_size == sizes[DEFLATE_LEVEL]


def _strings_book(path, texts: list[str], fast: bool) -> None:
    book = _book(path, fast)
    sheet = book.add_worksheet()
    for row, text in enumerate(texts):
        sheet.write_string(row, 0, text)
    book.close()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=20))
def test_shared_strings_are_written_as_xlsxwriter_writes_them(tmp_path, texts):
    _strings_book(tmp_path / "stock.xlsx", texts, fast=False)
    _strings_book(tmp_path / "fast.xlsx", texts, fast=True)
    assert parts(tmp_path / "fast.xlsx") == parts(tmp_path / "stock.xlsx")


def test_constant_memory_books_are_left_to_xlsxwriter(tmp_path):
    for fast in (False, True):
        options = {**WORKBOOK_OPTIONS, "constant_memory": True, "in_memory": False}
        cls = Workbook if fast else xlsxwriter.Workbook
        book = cls(str(tmp_path / f"{fast}.xlsx"), options)
        sheet = book.add_worksheet()
        for row in range(1, 40):
            texts = [f"r{row}c{col}" if (row + col) % 3 else None for col in range(5)]
            if fast:
                sheet.write_texts(repeat(row), range(5), texts, None, None, RISKY_START)
                sheet.write_numbers(repeat(row), [5], [row])
            else:
                for col, text in enumerate(texts):
                    if text is not None:
                        sheet.write_string(row, col, text)
                sheet.write_number(row, 5, row)
        book.close()
    assert parts(tmp_path / "True.xlsx") == parts(tmp_path / "False.xlsx")


def _early_book(path, fast: bool, early: list[int | None]) -> None:
    """A first sheet written in blocks of rows, each serialised early when *early* says so, with
    notes, row heights and column formats; a second sheet with formats of its own."""
    book = _book(path, fast)
    sheet = book.add_worksheet("Первый")
    other = book.add_worksheet("Второй")
    red, bold, column = (
        book.add_format(p) for p in ({"bg_color": "#FFC7CE"}, {"bold": 1}, {"num_format": "@"})
    )
    sheet.set_column(2, 2, 12, column)
    sheet.set_row(0, 40)
    for block, below in enumerate(early):
        for row in range(block * 32, block * 32 + 32):
            sheet.write_string(row, 0, f"r{row}", red if row % 7 == 0 else None)
            if row % 5 == 0:
                sheet.write_number(row, 3, row * 1.5, bold)
            if row % 11 == 0:
                sheet.write_comment(row, 1, f"note {row}")
        if fast and below is not None:
            assert sheet.write_rows_now(below)
    if fast:
        sheet.write_rows_now()
    other.write_string(0, 0, "x", book.add_format({"italic": True}))
    book.close()


@pytest.mark.parametrize("early", [[None], [32, 64, None], [32, 64, 96]])
def test_rows_written_early_give_the_same_parts(tmp_path, early):
    _early_book(tmp_path / "stock.xlsx", False, early)
    _early_book(tmp_path / "fast.xlsx", True, early)
    assert parts(tmp_path / "fast.xlsx") == parts(tmp_path / "stock.xlsx")


def test_rows_written_early_are_guarded(tmp_path):
    book = _book(tmp_path / "book.xlsx", True)
    sheet = book.add_worksheet()
    second = book.add_worksheet()
    sheet.write_string(3, 0, "a")
    with pytest.raises(ValueError, match="multiple of 16"):
        sheet.write_rows_now(10)
    assert not second.write_rows_now()  # only the first sheet
    assert sheet.write_rows_now(16)
    sheet.write_string(5, 0, "too late")
    with pytest.raises(RuntimeError, match="added above the rows written early"):
        book.close()


def test_rows_of_a_sheet_with_another_default_height(tmp_path):
    for fast in (False, True):
        book = _book(tmp_path / f"{fast}.xlsx", fast)
        sheet = book.add_worksheet()
        sheet.set_default_row(24)
        sheet.set_row(3, 40)
        for row in range(6):
            if fast:
                sheet.write_texts([row], [0], [f"r{row}"])
            else:
                sheet.write_string(row, 0, f"r{row}")
        book.close()
    assert parts(tmp_path / "True.xlsx") == parts(tmp_path / "False.xlsx")
