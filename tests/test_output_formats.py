"""The output kit's cell formats and colours: one module of formats (tpcheck/output/formats.py)
that every workbook writer uses, and every colour written in data/outputs.toml only."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import re

import openpyxl
import pytest
import xlsxwriter

from tpcheck.output import formats
from tpcheck.output.config import output_spec
from tpcheck.output.formats import FORM_FONT, Formats, Styles, mark

from . import publish_data as data
from .conftest import ROOT

PACKAGE = ROOT / "tpcheck"
FORMATS_MODULE = PACKAGE / "output" / "formats.py"
CONFIG_MODULE = PACKAGE / "output" / "config.py"
#: A colour: six hex digits, or three with a letter among them (#fff; an issue number such as
#: «calamine #693» is not a colour).
COLOUR = re.compile(r"#(?:[0-9A-Fa-f]{6}|(?=[0-9]*[A-Fa-f])[0-9A-Fa-f]{3})\b")


def _sources():
    return sorted(PACKAGE.rglob("*.py"))


def test_no_colour_is_written_outside_outputs_toml():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {match.group(0)}"
        for path in _sources()
        if path != CONFIG_MODULE
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for match in COLOUR.finditer(line)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("line", "colour"),
    [
        ('HEADER_FILL = "#D9D9D9"', "#D9D9D9"),
        ("color:#1a1a1a;background:#fff}", "#1a1a1a"),
        ("background:#fff}", "#fff"),
        ("tafia/calamine #693)", None),
    ],
)
def test_the_colour_pattern(line, colour):
    match = COLOUR.search(line)
    assert (match.group(0) if match else None) == colour


def test_only_the_formats_module_makes_cell_formats():
    """No writer calls ``add_format`` or names a font itself: the formats are the kit's."""
    found = []
    for path in _sources():
        if path == FORMATS_MODULE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "add_format":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: add_format")
            if isinstance(node, ast.Constant) and node.value in ("font_name", "bg_color"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert found == []


def _hex(color) -> str:
    """``#RRGGBB`` of an xlsxwriter colour."""
    return "#" + color._rgb_hex_value()


def test_the_shared_formats():
    book = xlsxwriter.Workbook(":memory:", {"in_memory": True})
    kit = Formats(book, FORM_FONT)
    colors = output_spec().colors
    assert (kit.boxed.font_name, kit.boxed.top, kit.boxed.text_wrap) == (FORM_FONT, 1, True)
    assert kit.boxed_quoted.quote_prefix and not kit.boxed.quote_prefix
    assert kit.table_header.bold and _hex(kit.table_header.bg_color) == colors["header_plain"]
    assert kit.text.num_format == "@" and kit.example.num_format == "@"
    assert _hex(kit.example.font_color) == colors["example_font"] and kit.example.italic
    assert not kit.line.text_wrap and kit.title_line.font_size == 13
    assert kit.boxed is kit.boxed  # made once per workbook
    flat = Formats(book, wrap=False)
    assert (flat.plain.font_name, flat.plain.text_wrap) == ("Calibri", False)


def test_the_report_styles_take_the_finding_colours():
    book = xlsxwriter.Workbook(":memory:", {"in_memory": True})
    styles = Styles(book)
    colors = output_spec().colors
    for name in ("error", "warning", "notice"):
        cell = styles.cell(name, risky=True)
        marked = (_hex(cell.bg_color), _hex(cell.font_color))
        assert marked == (colors[f"{name}_fill"], colors[f"{name}_font"])
        assert cell.quote_prefix
    assert _hex(styles.link("error").font_color) == colors["link_font"]
    assert _hex(styles.cell("na").bg_color) == colors["not_applicable_fill"]
    assert mark(None) == {}


@pytest.fixture
def repainted(monkeypatch):
    """outputs.toml with other colours: what the writers draw must follow."""
    spec = output_spec()
    colors = {key: "#123456" for key in spec.colors}
    colors["example_font"] = "#654321"
    monkeypatch.setattr(formats, "output_spec", lambda: dataclasses.replace(spec, colors=colors))
    return colors


def _rgb(colour) -> str:
    return colour.rgb[-6:].upper()


def test_the_publication_form_draws_the_colours_of_outputs_toml(repainted, tmp_path):
    from tpcheck.publish.model import Publication

    frame = data.frame()
    publication = Publication.from_frame(frame, data.report(frame), as_of=dt.date(2026, 1, 15))
    paths = publication.write(tmp_path)
    sheet = openpyxl.load_workbook(paths["xlsx"]).worksheets[0]
    fills = {_rgb(sheet.cell(row, 1).fill.fgColor) for row in (6, 7, 8)}  # header, part, direction
    assert fills == {"123456"}


def test_the_template_draws_the_colours_of_outputs_toml(repainted, tmp_path):
    from tpcheck.templates.perechen import make_template

    sheet = openpyxl.load_workbook(make_template(tmp_path / "t.xlsx")).worksheets[0]
    assert _rgb(sheet["A1"].fill.fgColor) == "123456"
    assert _rgb(sheet["A2"].font.color) == "654321"
