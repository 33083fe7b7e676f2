"""The pages a person reads on a phone — oshibki.html, changes.html and the publication page —
rendered by headless Chromium 360 px wide: no horizontal scroll (the document is no wider than
the window), long words and addresses included (skipped without Chromium unless
TPCHECK_REQUIRE_TOOLS=1)."""

from __future__ import annotations

import copy
import datetime as dt
import html
import re
from pathlib import Path

import pytest

from tpcheck.diff.model import Diff
from tpcheck.findings import Report
from tpcheck.merge import _pipeline
from tpcheck.publish.model import Publication

from . import publish_data as data
from .conftest import run_chromium
from .frames import frame_from_files, valid_row
from .outputs_sample import sample_frame, sample_report

pytestmark = pytest.mark.browser

WIDTH = 360
#: Headless Chromium keeps its window at least 500 px wide, so the page is shown in a frame
#: WIDTH px wide (a frame is the page's viewport: its media queries see WIDTH); once loaded, the
#: host writes the page's document width, the frame's width and the widest element into its DOM.
HOST = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="page" style="border:0;width:{width}px;height:800px" srcdoc="{page}"></iframe>
<script>window.addEventListener('load',function(){{var f=document.getElementById('page');
var d=f.contentDocument,w=0,n='';d.querySelectorAll('body *').forEach(function(e){{
var r=e.getBoundingClientRect().right;if(r>w){{w=Math.ceil(r);n=e.tagName+'.'+e.className}}}});
document.body.setAttribute('data-probe',d.documentElement.scrollWidth+'/'+
f.contentWindow.innerWidth+'/'+w+'/'+n)}});</script></body></html>"""
#: Words a narrow page must break: a long address and a long word without a space.
LONG_URL = "https://www.dchs42.ru/deyatelnost/grazhdanskaya-oborona/obuchenie-naseleniya/pamyatki"
LONG_WORD = "Межведомственноеинформационноевзаимодействиесорганамиместногосамоуправления"


def _changes(folder: Path) -> Path:
    rows = data.rows()
    new = copy.deepcopy(rows)
    new[data.INFO][0]["location"] = LONG_URL
    new[data.INFO][1]["touchpoint"] = LONG_WORD
    del new[data.STAFF][1]
    day = dt.date(2026, 1, 15)
    versions = [
        Publication.from_frame(frame_from_files(r), Report(), as_of=day) for r in (rows, new)
    ]
    return Diff.between(*versions, changed_on=day).write(folder)["html"]


def _publication(folder: Path) -> Path:
    frame = frame_from_files(
        {"a.xlsx": [valid_row(location=LONG_URL), valid_row(touchpoint=LONG_WORD)]}
    )
    return Publication.from_frame(frame, Report()).write(folder)["html"]


def _errors(folder: Path) -> Path:
    frame = sample_frame()
    _pipeline(frame, sample_report(frame)).write(folder, workers=1)
    return folder / "oshibki.html"


@pytest.mark.parametrize(
    "make", [_errors, _changes, _publication], ids=["oshibki", "changes", "perechen"]
)
def test_no_horizontal_scroll_at_360_px(make, tmp_path):
    page = make(tmp_path / "out")
    probe = tmp_path / "probe.html"
    text = page.read_text(encoding="utf-8")
    assert make is _errors or (LONG_WORD in text and LONG_URL in text)  # the hard cases are there
    source = html.escape(text, quote=True)
    probe.write_text(HOST.format(width=WIDTH, page=source), encoding="utf-8")
    dom = run_chromium(
        tmp_path, "--hide-scrollbars", "--window-size=800,900", "--dump-dom", probe.as_uri()
    ).stdout
    found = re.search(r'data-probe="(\d+)/(\d+)/(\d+)/([^"]*)"', dom)
    assert found, "the probe did not run"
    scroll, inner, widest, element = found.groups()
    assert int(inner) == WIDTH
    assert int(scroll) <= int(inner), f"the page is {scroll} px wide; widest: {element} {widest}"


def _measure(page: str, folder: Path) -> tuple[int, int]:
    probe = folder / "probe.html"
    probe.write_text(HOST.format(width=WIDTH, page=html.escape(page, quote=True)), encoding="utf-8")
    dom = run_chromium(
        folder, "--hide-scrollbars", "--window-size=800,900", "--dump-dom", probe.as_uri()
    ).stdout
    scroll, inner = re.search(r'data-probe="(\d+)/(\d+)/', dom).groups()
    return int(scroll), int(inner)


def test_the_probe_sees_a_page_too_wide(tmp_path):
    """The check can fail: a table of twelve columns does not fit 360 px."""
    wide = "<!DOCTYPE html><html><body><table><tr>" + "<td>графа</td>" * 12 + "</tr></table>"
    scroll, inner = _measure(wide + "</body></html>", tmp_path)
    assert inner == WIDTH and scroll > inner
