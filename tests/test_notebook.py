"""The notebook view of a Report and a Result: one styled table, the terminal's words, counts by
severity on top, the first 50 findings and a note of the rest (parsed, not grepped)."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest

from tpcheck.findings import Report
from tpcheck.i18n import text
from tpcheck.merge import _pipeline
from tpcheck.notebook import FINDING_KEYS, SHOWN

from .outputs_sample import sample_frame, sample_issues, sample_report


class _Page(HTMLParser):
    """Tables as lists of header texts and rows of cell texts; the paragraphs in order."""

    def __init__(self, page: str):
        super().__init__()
        self.tables: list[dict] = []
        self.order: list[str] = []  # "p:<text>" and "table" in document order
        self.style = ""
        self._cell: list[str] | None = None
        self._where: str | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"head": [], "rows": [], "caption": ""})
            self.order.append("table")
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th", "caption", "p", "style"):
            self._where, self._cell = tag, [attrs.get("class") or ""]

    def handle_endtag(self, tag):
        if tag != self._where or self._cell is None:
            return
        content = "".join(self._cell[1:])
        if tag == "th":
            self.tables[-1]["head"].append(content)
        elif tag == "td":
            self.tables[-1]["rows"][-1].append((self._cell[0], content))
        elif tag == "caption":
            self.tables[-1]["caption"] = content
        elif tag == "p":
            self.order.append(f"p:{content}")
        elif tag == "style":
            self.style = content
        self._where = self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _result(lang: str = "ru"):
    frame = sample_frame()
    return _pipeline(frame, sample_report(frame, lang), kind="check", lang=lang, inputs=["vhod"])


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_result_shows_counts_then_the_terminals_file_table_then_the_findings(lang):
    result = _result(lang)
    page = _Page(result._repr_html_())
    s = result.report.summary
    counts = [p for p in page.order if p.startswith("p:") and str(s["errors"]) in p]
    assert page.order.index(counts[-1]) < page.order.index("table")
    assert text("notebook.count_error", lang, count=s["errors"]) in counts[-1]
    assert text("notebook.count_warning", lang, count=s["warnings"]) in counts[-1]
    files, findings = page.tables
    assert files["head"] == [text(f"terminal.{k}", lang) for k in (
        "file", "status", "rows", "errors", "warnings")]  # fmt: skip
    assert [row[0][1] for row in files["rows"] if row] == [f.path for f in result.report.files]
    numbers = [cls for row in files["rows"] if row for cls, _ in row[2:]]
    assert set(numbers) == {"n"}  # numbers right-aligned, texts left
    assert findings["head"] == [text(f"notebook.{k}", lang) for k in FINDING_KEYS]
    shown = [row for row in findings["rows"] if row]
    assert len(shown) == len(result.report.records)
    first = result.report.records[0]
    assert shown[0][0][1] == text(f"notebook.{first.severity}", lang)
    assert shown[0][6][1] == first.message
    other = "[А-Яа-яЁё]" if lang == "en" else "[A-Za-z]"
    assert not [h for t in page.tables for h in t["head"] if re.search(other, h)]
    assert "text-align:left" in page.style


def test_a_long_report_shows_the_first_50_findings_and_counts_the_rest():
    issues = sample_issues()
    many = [dataclasses.replace(issues[i % len(issues)], row=i + 3) for i in range(73)]
    report = Report(many, rows=80)
    page = _Page(report._repr_html_())
    assert len(page.tables) == 1  # a report alone has no table of files
    assert len([row for row in page.tables[0]["rows"] if row]) == SHOWN
    assert page.order[-1] == "p:" + text("notebook.more", "ru", count=73 - SHOWN)
    assert "и еще 23" in page.order[-1]


def test_an_empty_report_has_the_verdict_and_no_findings_table():
    page = _Page(Report()._repr_html_())
    assert page.tables == [] and any(text("notebook.valid", "ru") in p for p in page.order)
