"""Keep-with-next on the publication: printed, no section heading, table caption or direction
heading is left alone at the bottom of a page (issue 18)."""

from __future__ import annotations

import datetime as dt

import pytest

from tpcheck.publish.html import KEEP_WITH_NEXT, publication_html
from tpcheck.publish.model import Publication

from . import publish_data as data
from .conftest import run_chromium


@pytest.fixture(scope="module")
def publication() -> Publication:
    frame = data.frame()
    return Publication.from_frame(frame, data.report(frame), as_of=dt.date(2026, 1, 15))


def test_the_page_style_keeps_headings_with_what_follows(publication):
    page = publication_html(publication)
    assert KEEP_WITH_NEXT in page
    rule = KEEP_WITH_NEXT.splitlines()[0]
    selectors, declarations = rule.rstrip("}").split("{")
    assert {"h2", "caption", "tr.group"} <= set(selectors.split(","))
    assert "break-after:avoid" in declarations and "page-break-after:avoid" in declarations
    groups = sum(len(g) for _, g in publication.groups())
    assert page.count('<tr role="row" class="group">') == groups


def _headings(publication: Publication) -> set[str]:
    titles = {section.title for section, _ in publication.groups()}
    return titles | {heading for _, groups in publication.groups() for heading, _ in groups}


@pytest.mark.browser
def test_printed_by_chromium_no_page_ends_with_a_heading(publication, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    source = tmp_path / "perechen.html"
    source.write_text(publication_html(publication), encoding="utf-8")
    pdf = tmp_path / "perechen.pdf"
    run_chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", source.as_uri())
    pages = pypdf.PdfReader(pdf).pages
    assert len(pages) > 2  # long enough for a heading to fall at a page's foot
    headings = _headings(publication)
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        tail = " ".join(lines[-2:])
        stranded = [h for h in headings if tail.endswith(h) or h.endswith(lines[-1])]
        assert not stranded, f"page {number} ends with the heading {stranded}"
        assert not lines[-1].startswith("Таблица "), f"page {number} ends with a caption"
