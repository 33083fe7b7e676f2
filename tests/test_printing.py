"""Print setup (tpcheck.output.printing): the arithmetic, and the sheets a person prints read
back from the files — landscape, one page wide, the paper chosen, and the fit-to-width scale
keeping the 11 pt body text at 8 pt or more."""

from __future__ import annotations

import openpyxl
import pytest

from tpcheck.output.printing import (
    A3,
    A4,
    BODY_FONT,
    MIN_FONT,
    TARGET_FONT,
    paper_for,
    print_layout,
    print_scale,
    readable_widths,
    sheet_width,
)
from tpcheck.output.rows import LINE_HEIGHT, lines_needed, wrapped_height
from tpcheck.templates.perechen import make_template
from tpcheck.templates.registry import make_registry_template

from .conftest import ROOT
from .xlsx_parts import printed_widths

PAPER_CODES = {9: A4, 8: A3}


def printed_font(sheet) -> float:
    """The size at which *sheet*'s 11 pt body text prints: landscape, fitted one page wide on its
    paper (Excel's whole-percent scale)."""
    setup = sheet.page_setup
    assert setup.orientation == "landscape", sheet.title
    assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
    assert (setup.fitToWidth in (None, 1), setup.fitToHeight) == (True, 0), sheet.title
    paper = PAPER_CODES[int(setup.paperSize)]
    return BODY_FONT * print_scale(printed_widths(sheet), paper)


# ------------------------------------------------------------------------------ arithmetic


@pytest.mark.parametrize(
    ("widths", "paper", "scale"),
    [
        ([10] * 5, A4, 1.0),  # 277.5 pt: fits
        ([100, 100], A4, 0.7),  # 1057.5 pt on 741.1 pt: 70 %
        ([100, 100], A3, 1.0),  # 1089.7 pt printable
        ([553 / 22] * 22, A3, 0.36),  # the consolidated «Перечень» as it was: 4 pt
    ],
)
def test_print_scale_is_excels_whole_percent(widths, paper, scale):
    assert print_scale(widths, paper) == scale


def test_the_paper_is_a4_while_readable_there_then_a3():
    assert paper_for([28] * 6) is A4  # 168 characters: 81 %, 8.9 pt
    assert paper_for([30] * 6) is A3  # 180 characters: 76 % on A4, 8.4 pt (< TARGET_FONT)
    assert paper_for([30] * 7) is A3  # 210 characters: 67 % on A4, 7.4 pt


@pytest.mark.parametrize("widths", [[7, 34, 40, 14, 16, 34, 30, 70, 40, 50, 44], [30] * 20])
def test_readable_widths_narrow_only_the_widest_columns(widths):
    narrowed = readable_widths(widths, A3)
    assert BODY_FONT * print_scale(narrowed, A3) >= TARGET_FONT
    cap = max(narrowed)
    assert all(n == w for n, w in zip(narrowed, widths, strict=True) if w <= cap)
    assert all(n == cap for n, w in zip(narrowed, widths, strict=True) if w > cap)
    # one character wider and the scale would be below the target: the cap is as wide as it can be
    wider = [min(w, cap + 1) for w in widths]
    assert BODY_FONT * print_scale(wider, A3) < TARGET_FONT
    assert sheet_width(narrowed) < sheet_width(widths)


def test_print_layout_keeps_a_narrow_sheet_as_it_is():
    assert print_layout([14, 30, 60]) == (A4, [14.0, 30.0, 60.0])


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        (None, 10, 1),
        ("", 10, 1),
        ("коротко", 20, 1),
        ("слово " * 10, 20, 4),  # 21 characters a line: three words, words kept whole
        ("а\nб\nв", 20, 3),
        ("x" * 45, 10, 5),  # one long word breaks every 10 characters
    ],
)
def test_lines_needed(text, width, lines):
    assert lines_needed(text, width) == lines


def test_wrapped_height_is_the_tallest_cell_up_to_the_limit():
    assert wrapped_height([("a", 10), ("слово " * 10, 20)]) == 4 * LINE_HEIGHT
    assert wrapped_height([("x" * 1000, 10)], limit=4) == 4 * LINE_HEIGHT


# ------------------------------------------------------------------------------ the files


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    folder = tmp_path_factory.mktemp("print")
    return [make_template(folder / "t.xlsx"), make_registry_template(folder / "r.xlsx")]


def test_every_visible_template_sheet_prints_readable(templates):
    for path in templates:
        for sheet in openpyxl.load_workbook(path).worksheets:
            if sheet.sheet_state == "visible":
                assert printed_font(sheet) >= MIN_FONT, (path.name, sheet.title)


def test_the_template_perechen_goes_on_a3_with_its_rows_tall_enough(templates):
    sheet = openpyxl.load_workbook(templates[0])["Перечень"]
    assert sheet.page_setup.paperSize == 8
    assert sheet.print_title_rows == "$1:$1"
    widths = printed_widths(sheet)
    for row in (1, 2):
        cells = [(sheet.cell(row, c + 1).value, w) for c, w in enumerate(widths)]
        needed = max(lines_needed(t and str(t), w) for t, w in cells)
        assert sheet.row_dimensions[row].height >= needed * LINE_HEIGHT, row
        assert needed > 1  # the narrowed columns do wrap: the height matters


#: Sheets that cannot print one page wide at 8 pt: the requirements matrix has a column per
#: touchpoint of the whole list (read on screen; docs/outputs.md).
TOO_WIDE_TO_PRINT = {"Требования п. 4.2": "matrix"}


@pytest.mark.parametrize(
    "golden",
    sorted((ROOT / "tests" / "golden").glob("*/*.xlsx")),
    ids=lambda path: path.name,
)
def test_every_written_workbook_prints_readable(golden):
    """The goldens equal what the writers make now (their own tests), so this checks the
    writers: every visible sheet landscape, one page wide, body text at 8 pt or more."""
    for sheet in openpyxl.load_workbook(golden).worksheets:
        if sheet.sheet_state != "visible":
            continue
        font = printed_font(sheet)
        if golden.name.startswith("perechen_svodny") and sheet.title in TOO_WIDE_TO_PRINT:
            continue
        assert font >= MIN_FONT, (golden.name, sheet.title)
