"""The shared output kit: one formula guard and one "write all files or none" helper."""

from __future__ import annotations

import os

import openpyxl
import pytest
import xlsxwriter

from tpcheck.errors import OutputError
from tpcheck.output.atomic import atomic_paths, output_paths, refuse_inputs
from tpcheck.output.formula import FORMULA_STARTS, formula_safe, is_risky
from tpcheck.output.rows import MAX_LINES, fit_height, row_lines
from tpcheck.write.reports import csv_safe


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_writer_quotes_the_same_starts(start):
    text = start + "1"
    assert is_risky(text)
    assert formula_safe(text) == csv_safe(text) == "'" + text


def test_refuse_inputs_finds_a_hard_link_to_an_input(tmp_path):
    source = tmp_path / "in.xlsx"
    source.write_bytes(b"x")
    link = tmp_path / "out" / "svod.xlsx"
    link.parent.mkdir()
    os.link(source, link)
    with pytest.raises(OutputError, match="один из входных файлов"):
        refuse_inputs([link], [source])
    refuse_inputs([tmp_path / "out" / "other.xlsx"], [source])


def test_output_paths_refuse_an_input_inside_the_folder(tmp_path):
    source = tmp_path / "svod.xlsx"
    source.write_bytes(b"x")
    with pytest.raises(OutputError):
        output_paths(tmp_path, {"xlsx": "svod.xlsx"}, [source])


def test_atomic_paths_write_all_or_none(tmp_path):
    paths = {"a": tmp_path / "a.txt", 1: tmp_path / "b.txt"}
    with pytest.raises(RuntimeError), atomic_paths(paths) as temporary:
        temporary["a"].write_text("a")
        raise RuntimeError
    assert sorted(os.listdir(tmp_path)) == []
    with atomic_paths(paths) as temporary:
        for path in temporary.values():
            path.write_text("ok")
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "b.txt"]


def test_one_page_skeleton_for_the_site_pages_and_oshibki_html():
    from tpcheck.findings import Report
    from tpcheck.output.htmlpage import STYLE, page
    from tpcheck.write.html import render_html

    site = page("T", "<main></main>\n")
    assert f"<style>\n{STYLE}\n</style>" in site and "<script>" not in site
    scripted = page("T", "<main></main>\n", style="b{}", script="x()")
    assert scripted.endswith("<main></main>\n<script>x()</script>\n</body>\n</html>\n")
    errors = render_html(Report(), "en")
    head = errors[: errors.index("<title>")]
    assert head == site[: site.index("<title>")].replace('lang="ru"', 'lang="en"')
    assert "<script>" in errors and STYLE not in errors


def test_one_row_height_estimate_for_every_sheet(tmp_path):
    """The reports, the publication form and the change report count lines as the template and
    the print setup do (:func:`lines_needed`: whole words), only the points of a line differ."""
    from tpcheck.output.rows import FORM_LINE_HEIGHT, LINE_HEIGHT, form_row_height, lines_needed

    words = "слово " * 10  # 21 characters a line at width 20: three words, words kept whole
    assert lines_needed(words, 20) == 4
    assert form_row_height((words, 20), ("a", 5)) == FORM_LINE_HEIGHT * 4 + 4
    book = xlsxwriter.Workbook(tmp_path / "rows.xlsx")
    sheet = book.add_worksheet()
    fit_height(sheet, 0, [words, 7], [20, 10])
    fit_height(sheet, 1, ["а\nб\nв"], [20])  # short, but three paragraphs
    fit_height(sheet, 2, ["коротко"], [20])
    book.close()
    heights = openpyxl.load_workbook(tmp_path / "rows.xlsx").active.row_dimensions
    assert [heights[row].height for row in (1, 2, 3)] == [4 * LINE_HEIGHT, 3 * LINE_HEIGHT, None]


def test_row_lines_caps_at_the_limit_and_skips_numbers():
    assert row_lines([["x" * 1000, None, 5, "a"]], [10]) == [MAX_LINES, 1, 1, 1]
    assert row_lines([["x" * 45], ["a\nb"]], [10, 10], limit=3) == [3]
