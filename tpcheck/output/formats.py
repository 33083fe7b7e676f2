"""Cell formats of every workbook tpcheck writes, in one place.

Each writer makes a :class:`Formats` (or the reports' :class:`Styles`) for its workbook and takes
the shared formats from it — the body font, the wrapped cell, the bordered cell and its
quote-prefixed twin for text that looks like a formula, the grey header of a plain table, the
«text» number format ``@`` of cells a person fills, the titles, the example row — adding only
what is its own (:meth:`Formats.add`). Colours come from ``[colors]`` of ``data/outputs.toml``
(:func:`fill`, :func:`mark`). xlsxwriter writes only the formats a cell uses, and one entry for
equal ones, so a format made here and not used changes no file.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

from .config import output_spec

__all__ = [
    "FONT_SIZE",
    "FORM_FONT",
    "HEADER",
    "MARKS",
    "REPORT_FONT",
    "TEXT_MARK",
    "Formats",
    "Styles",
    "base",
    "fill",
    "mark",
]

#: The font of the reports, the template, the change report and the register's status.
REPORT_FONT = "Calibri"
#: The font of the publication form (an appendix to an order) and of its internal report.
FORM_FONT = "Times New Roman"
FONT_SIZE = 11
#: Excel's «Текстовый» number format: what a person types into the cell stays text ("007").
TEXT_MARK = "@"
#: What makes a header cell: bold, with a border.
HEADER = {"bold": True, "border": 1}
#: The marks of a finding on a cell; ``"na"``: a requirement that does not apply to the type.
MARKS = ("error", "warning", "notice", "na")


def base(font: str = REPORT_FONT, *, wrap: bool = True) -> dict[str, Any]:
    """The body text: *font* at 11 points, aligned to the top, wrapped unless *wrap* is False."""
    props: dict[str, Any] = {"font_name": font, "font_size": FONT_SIZE, "valign": "top"}
    if wrap:
        props["text_wrap"] = True
    return props


def fill(key: str) -> dict[str, str]:
    """The background of ``[colors]`` *key* of outputs.toml."""
    return {"bg_color": output_spec().colors[key]}


def mark(name: str | None) -> dict[str, str]:
    """The fill and font of a cell marked *name* (one of :data:`MARKS`; None: no mark)."""
    if name is None:
        return {}
    colors = output_spec().colors
    if name == "na":
        return {"bg_color": colors["not_applicable_fill"]}
    return {"bg_color": colors[f"{name}_fill"], "font_color": colors[f"{name}_font"]}


class Formats:
    """The shared formats of one workbook whose body text is *font* (wrapped unless *wrap* is
    False). Each is made when first used."""

    def __init__(
        self, book: xlsxwriter.Workbook, font: str = REPORT_FONT, *, wrap: bool = True
    ) -> None:
        self.book = book
        self.font = font
        self.base = base(font, wrap=wrap)

    def add(self, *parts: dict[str, Any], **props: Any) -> Format:
        """A format of the body text with *parts* and *props* added (later ones win)."""
        merged = dict(self.base)
        for part in parts:
            merged.update(part)
        merged.update(props)
        return self.book.add_format(merged)

    @cached_property
    def plain(self) -> Format:
        """The body text."""
        return self.add()

    @cached_property
    def line(self) -> Format:
        """A line of text above a table: never wrapped."""
        return self.add(text_wrap=False)

    @cached_property
    def title_line(self) -> Format:
        """The title line above a table: bold, 13 points, never wrapped."""
        return self.add(bold=True, font_size=13, text_wrap=False)

    @cached_property
    def title(self) -> Format:
        """The title of a report or instruction sheet (the default font, bold, 14 points)."""
        return self.book.add_format({"bold": True, "font_size": 14})

    @cached_property
    def subtitle(self) -> Format:
        """A heading inside a sheet (the default font, bold, 12 points)."""
        return self.book.add_format({"bold": True, "font_size": 12})

    @cached_property
    def boxed(self) -> Format:
        """A cell of a bordered table."""
        return self.add(border=1)

    @cached_property
    def boxed_quoted(self) -> Format:
        """:attr:`boxed` with Excel's quote prefix: text that a spreadsheet would take for a
        formula stays text even when the user edits the cell."""
        return self.add(border=1, quote_prefix=True)

    @cached_property
    def table_header(self) -> Format:
        """The header cell of a plain table: bold, bordered, on the grey of ``header_plain``."""
        return self.add(HEADER, fill("header_plain"))

    @cached_property
    def text(self) -> Format:
        """A cell a person fills, as text (:data:`TEXT_MARK`)."""
        return self.add(num_format=TEXT_MARK)

    @cached_property
    def example(self) -> Format:
        """The example row of a template: italic, in the grey of ``example_font``, as text."""
        color = output_spec().colors["example_font"]
        return self.add(italic=True, font_color=color, num_format=TEXT_MARK)


class Styles(Formats):
    """The formats of the reports of merge and check (the body font Calibri). ``styles.cell(mark,
    risky)`` gives the format of a data cell: *mark* None or one of :data:`MARKS`; *risky* adds
    Excel's quote prefix so that the text stays text even when the user edits the cell."""

    def __init__(self, book: xlsxwriter.Workbook, wrap: bool = True):
        super().__init__(book, REPORT_FONT, wrap=wrap)
        colors = output_spec().colors
        link = {"font_color": colors["link_font"], "underline": 1}
        self._cells: dict[tuple[str | None, bool], Format] = {}
        self._numbers: dict[str | None, Format] = {}
        self._links: dict[str | None, Format] = {}
        for name in (None, *MARKS):
            for risky in (False, True):
                extra = {"quote_prefix": True} if risky else {}
                self._cells[name, risky] = self.add(mark(name), extra)
            self._numbers[name] = self.add(mark(name), num_format="0")
            self._links[name] = self.add(mark(name), link)
        header = {**HEADER, "valign": "vcenter", "text_wrap": True}
        self.header_required = self.add(header, fill("header_required"))
        self.header_optional = self.add(header, fill("header_optional"))
        self.header = self.add(header, fill("header_report"))
        self.header_error = self.add(header, fill("error_fill"))
        self.header_warning = self.add(header, fill("warning_fill"))
        font = {"font_name": REPORT_FONT, "font_size": FONT_SIZE}
        self.bold = book.add_format({**font, "bold": True})
        self.note = book.add_format(font)
        self.percent = self.add(num_format="0%")
        self._percents = {
            name: self.add(mark(name), num_format="0%") if name else self.percent
            for name in (None, *MARKS)
        }
        self.plain = self._cells[None, False]
        #: the fill of a conditional format (not of a cell)
        self.not_applicable = book.add_format(fill("not_applicable_fill"))

    def cell(self, mark: str | None = None, risky: bool = False) -> Format:
        return self._cells[mark, risky]

    def number(self, mark: str | None = None) -> Format:
        return self._numbers[mark]

    def percent_for(self, mark: str | None = None) -> Format:
        return self._percents[mark]

    def link(self, mark: str | None = None) -> Format:
        return self._links[mark]

    def header_for(self, mark: str | None, required: bool | None = None) -> Format:
        if mark == "error":
            return self.header_error
        if mark == "warning":
            return self.header_warning
        if required is None:
            return self.header
        return self.header_required if required else self.header_optional
