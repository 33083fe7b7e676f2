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


# ------------------------------------------------------------------------ perechen.xlsx


@pytest.mark.parametrize(
    ("heights", "keep", "expected"),
    [
        ([10, 10, 10, 10], {2}, []),  # everything on one page
        ([40, 40, 10, 40], {2}, [2]),  # the heading fits, its row does not: both go over
        ([40, 40, 10, 10, 40], {2, 3}, [2]),  # two headings in a row go over together
        ([40, 45, 10, 40], {2}, [2]),
        ([40, 40, 30, 40], {2}, []),  # the heading does not fit: the natural break is before it
        ([10, 10, 10, 90, 10], {1}, []),  # heading with its row fits
        ([20, 50, 20, 10, 40], {3}, [3]),  # after a natural break the count restarts at the header
    ],
)
def test_keep_with_next_breaks_before_a_heading_at_the_foot(heights, keep, expected):
    from tpcheck.output.printing import keep_with_next

    assert keep_with_next(heights, keep, page=100, repeated=20) == expected


def _stranding(tmp_path):
    """A publication whose first direction is just long enough that the next direction's
    heading falls at the foot of page 1: the first count of filler rows that makes a break."""
    import openpyxl

    from tpcheck.findings import Report

    from .frames import frame_from_files, valid_row

    for count in range(2, 40):
        rows = [valid_row(touchpoint=f"Точка {n}") for n in range(count)]
        rows += [valid_row(direction="7", activity="Обучение населения", touchpoint="Почта")]
        publication = Publication.from_frame(frame_from_files({"a.xlsx": rows}), Report())
        path = publication.write(tmp_path / str(count))["xlsx"]
        sheet = openpyxl.load_workbook(path).worksheets[0]
        breaks = [b.id for b in sheet.row_breaks.brk]
        if breaks:
            return publication, path, sheet, breaks
    raise AssertionError("no publication of up to 40 rows got a page break before a heading")


def test_perechen_xlsx_breaks_the_page_before_a_heading_at_its_foot(tmp_path):
    publication, _, sheet, breaks = _stranding(tmp_path)
    headings = _headings(publication)
    # a break before Excel row n + 1 (xlsx counts the row above the break)
    assert [sheet.cell(n + 1, 1).value in headings for n in breaks] == [True] * len(breaks)


def _page_of(pages: list[list[str]], text: str) -> int:
    found = [n for n, lines in enumerate(pages) if any(text in line for line in lines)]
    assert found, f"{text!r} is on no page"
    return found[0]


@pytest.mark.soffice
def test_perechen_xlsx_printed_by_libreoffice_keeps_each_heading_with_its_first_row(tmp_path):
    """LibreOffice draws merged cells first, so the text of a page is not in the order of its
    rows: each heading is checked to be on the page of the first row it heads."""
    pypdf = pytest.importorskip("pypdf")
    from .conftest import soffice_convert

    publication, path, _, _ = _stranding(tmp_path)
    pages = [
        [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        for page in pypdf.PdfReader(soffice_convert(path, "pdf", tmp_path / "pdf")).pages
    ]
    assert len(pages) >= 2
    for section, groups in publication.groups():
        first_heading = groups[0][0]
        assert _page_of(pages, section.title) == _page_of(pages, first_heading)
        for heading, records in groups:
            first = records[0]["touchpoint"]  # the number is a cell of its own
            assert _page_of(pages, heading) == _page_of(pages, first), f"{heading} left alone"
