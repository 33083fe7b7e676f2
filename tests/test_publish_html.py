"""The publication page: the golden file, its structure and the accessibility rules checked by hand
(see docs/publish.md; axe-core was run on the golden page at 320 and 1280 px)."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from tpcheck.output.config import output_spec
from tpcheck.output.htmlpage import STYLE
from tpcheck.publish.html import publication_html
from tpcheck.publish.model import Publication

from . import publish_data as data
from .conftest import ROOT, run_chromium
from .xlsx_parts import REGENERATE

GOLDEN = ROOT / "tests" / "golden" / "publish" / "perechen.html"


@pytest.fixture(scope="module")
def page() -> str:
    frame = data.frame()
    publication = Publication.from_frame(frame, data.report(frame), as_of=dt.date(2026, 1, 15))
    return publication_html(publication)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, list[str]] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)

    def handle_endtag(self, tag):
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag)]

    def handle_data(self, text):
        for tag in self._open:
            self.text.setdefault(tag, []).append(text)


@pytest.fixture(scope="module")
def parsed(page) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


def _all(parsed: _Tags, tag: str) -> list[dict[str, str | None]]:
    return [attrs for name, attrs in parsed.tags if name == tag]


def test_the_page_matches_the_golden_file(page):
    if REGENERATE:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(page, encoding="utf-8")
    assert page == GOLDEN.read_text(encoding="utf-8")


def test_language_title_landmarks_and_one_h1(parsed):
    assert _all(parsed, "html") == [{"lang": "ru"}]
    assert len(_all(parsed, "main")) == 1
    assert len(_all(parsed, "h1")) == 1
    assert "".join(parsed.text["title"]).startswith("Перечень точек взаимодействия")
    assert [a.get("aria-label") for a in _all(parsed, "nav")] == ["Содержание"]


def test_tables_have_captions_and_scoped_headers(parsed):
    tables = len(_all(parsed, "table"))
    assert tables == 2
    assert len(_all(parsed, "caption")) == tables
    scopes = [a.get("scope") for a in _all(parsed, "th")]
    assert scopes.count("col") == 3 * tables
    assert scopes.count("rowgroup") == 6  # one group row per direction in each part
    assert scopes.count("row") == 10  # one row header per published touchpoint
    assert None not in scopes
    group_rows = [a for a in _all(parsed, "th") if a.get("scope") == "rowgroup"]
    assert {a.get("colspan") for a in group_rows} == {"3"}
    assert len(_all(parsed, "tbody")) == 6


def test_no_script_and_no_external_assets(page, parsed):
    assert not {"script", "link", "img", "iframe", "object", "embed"} & {t for t, _ in parsed.tags}
    assert not re.search(r"@import|url\(", page)
    assert [a.get("href") for a in _all(parsed, "a") if a.get("href", "").startswith("http")] == [
        "https://dchs.kuzbass.ru",
        "https://vk.com/dchs_kuzbass",
        "https://dchs.kuzbass.ru",
    ]
    # the intranet address of the staff portal is withheld by the personal-data screen
    assert "portal.dchs.local" not in page


def test_zoom_is_not_blocked_and_the_layout_reflows(parsed):
    viewport = [a for a in _all(parsed, "meta") if a.get("name") == "viewport"]
    assert [v["content"] for v in viewport] == ["width=device-width, initial-scale=1"]
    assert "@media (max-width:40rem)" in STYLE
    assert "overflow-wrap:anywhere" in STYLE
    assert "a:focus-visible{outline:3px solid" in STYLE


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    high, low = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _full(colour: str) -> str:
    """``#rrggbb`` of a CSS colour written ``#rgb`` or ``#rrggbb``."""
    return colour if len(colour) == 7 else "#" + "".join(c * 2 for c in colour[1:])


@pytest.mark.parametrize(
    ("foreground", "background"),
    [
        ("text", "background"),  # body text
        ("secondary", "background"),  # .meta
        ("link", "background"),  # links
        ("text", "group_fill"),  # group rows
        ("text", "header_fill"),  # header row
    ],
)
def test_colours_of_the_style_have_aa_contrast(foreground, background):
    """The pairs of ``[page_colors]`` (outputs.toml) the style draws text in."""
    colors = output_spec().page_colors
    assert colors[foreground] in STYLE and colors[background] in STYLE
    assert contrast(_full(colors[foreground]), _full(colors[background])) >= 4.5


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 1280])
def test_chromium_renders_the_page(width, page, tmp_path):
    """The page renders without script in headless Chromium at a phone's and a desktop's width
    (the screenshots were looked at by hand; see docs/publish.md)."""
    source = tmp_path / "perechen.html"
    source.write_text(page, encoding="utf-8")
    shot = tmp_path / "shot.png"
    run_chromium(
        tmp_path, f"--screenshot={shot}", f"--window-size={width},900", source.as_uri(), timeout=60
    )
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(header[16:20], "big") == width
