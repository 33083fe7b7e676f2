"""oshibki.html in a real browser (headless Chromium): the issue table is there, the inline script
runs, nothing overflows a phone's width, screenshots can be taken (skipped without Chromium)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tpcheck.merge import _pipeline

from .conftest import run_chromium
from .outputs_sample import FILE_A, sample_frame, sample_report

pytestmark = pytest.mark.browser

PROBE = (
    "<script>document.body.setAttribute('data-probe', document.documentElement.scrollWidth + "
    "'/' + window.innerWidth + '/' + document.querySelectorAll('table.issues tbody tr').length)"
    "</script></body>"
)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    frame = sample_frame()
    _pipeline(frame, sample_report(frame)).write(folder, workers=1)
    return folder / "oshibki.html"


@pytest.mark.parametrize("width", [390, 1280])
def test_browser_shows_the_issue_table_without_overflow(page, tmp_path, width):
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE), encoding="utf-8")
    dom = run_chromium(
        tmp_path, "--hide-scrollbars", f"--window-size={width},900", "--dump-dom", probe.as_uri()
    ).stdout
    scroll, inner, rows = map(int, re.search(r'data-probe="(\d+)/(\d+)/(\d+)"', dom).groups())
    assert rows == len(sample_report(sample_frame()))
    assert scroll <= inner, "the page is wider than the window"
    assert re.search(r'<div class="controls" id="controls">', dom)  # the script ran
    assert FILE_A in dom and "«онлайн-оффлайн» нет в списке" in dom


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 900)])
def test_screenshots(page, tmp_path, width, height):
    shot = tmp_path / f"oshibki_{width}.png"
    run_chromium(
        tmp_path,
        "--hide-scrollbars",
        f"--screenshot={shot}",
        f"--window-size={width},{height}",
        page.as_uri(),
    )
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000
