"""The shared output kit: one formula guard and one "write all files or none" helper."""

from __future__ import annotations

import os

import pytest

from tpcheck.errors import OutputError
from tpcheck.output.atomic import atomic_paths, output_paths, refuse_inputs
from tpcheck.output.formula import FORMULA_STARTS, formula_safe, is_risky
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


@pytest.mark.parametrize(
    ("text", "per_line", "lines"),
    [("", 10, 1), ("abc", 10, 1), ("a" * 10, 10, 1), ("a" * 11, 10, 2), ("a\n\nb", 10, 3)],
)
def test_wrapped_lines(text, per_line, lines):
    from tpcheck.output.rows import wrapped_lines

    assert wrapped_lines(text, per_line) == lines


def test_the_three_row_height_estimates():
    from tpcheck.output.rows import form_row_height, lines_needed, template_row_height

    text = "x" * 100
    assert lines_needed(text, 20) == 5  # 22 characters a line
    assert form_row_height((text, 20)) == 14 * 5 + 4  # 20 characters a line
    assert template_row_height([(text, 20)]) == 15.0 * 5  # 23 characters a line
    assert lines_needed(None, 20) == 1
