"""The visual check on paper: the template, a return copy, the consolidated workbook and the
publication printed to PDF by LibreOffice — every page landscape, the first on the paper the
print setup asks for, and (where LibreOffice has Calibri's metrics) the body text at 8 pt or
more."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tpcheck.output.printing import A3, A4, MIN_FONT
from tpcheck.templates.perechen import make_template

from .conftest import ROOT, soffice_convert

pypdf = pytest.importorskip("pypdf")

pytestmark = pytest.mark.soffice

GOLDEN = ROOT / "tests" / "golden"
#: (workbook, paper of its first sheet)
PRINTED = [
    ("template", A3),  # «Перечень»: 17 columns
    ("outputs/vozvrat_otdel.xlsx", A3),  # «Замечания»
    ("outputs/perechen_svodny.xlsx", A3),  # «Перечень»
    ("publish/perechen.xlsx", A4),  # the form of the regulation's annex: 3 columns
]


def _source(name: str, folder: Path) -> Path:
    if name == "template":
        return make_template(folder / "perechen_template.xlsx")
    return Path(shutil.copy(GOLDEN / name, folder / Path(name).name))


def _pdf(name: str, tmp_path: Path):
    return pypdf.PdfReader(soffice_convert(_source(name, tmp_path), "pdf", tmp_path / "pdf"))


def body_font(page) -> float:
    """The size (points) of most of the text on *page*, as drawn (font size × text matrix)."""
    sizes: Counter[float] = Counter()

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes[round(abs(size * tm[3] * cm[3]), 1)] += len(text.strip())

    page.extract_text(visitor_text=visit)
    return sizes.most_common(1)[0][0]


def _has_calibri_metrics() -> bool:
    """LibreOffice sizes columns by the width of the default font's digits: without Calibri or
    its metric twin Carlito it substitutes a wider font and prints everything smaller."""
    try:
        fonts = subprocess.run(["fc-list"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return False
    return "carlito" in fonts.lower() or "calibri" in fonts.lower()


@pytest.mark.parametrize(("name", "paper"), PRINTED, ids=[name for name, _ in PRINTED])
def test_printed_landscape_on_the_paper_of_the_print_setup(name, paper, tmp_path):
    reader = _pdf(name, tmp_path)
    first = reader.pages[0]
    size = (float(first.mediabox.width), float(first.mediabox.height))
    assert size == pytest.approx((paper.width, paper.height), abs=2)
    for page in reader.pages:
        assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape


@pytest.mark.parametrize(("name", "paper"), PRINTED, ids=[name for name, _ in PRINTED])
def test_printed_body_text_is_at_least_8_pt(name, paper, tmp_path):
    if not _has_calibri_metrics():
        pytest.skip("LibreOffice lacks Calibri/Carlito here: its column widths are not Excel's")
    first = _pdf(name, tmp_path).pages[0]
    assert body_font(first) >= MIN_FONT - 0.1
