"""One standalone HTML page: the skeleton shared by every page tpcheck writes (the publication, the
change report and ``oshibki.html``) and the accessible style of the pages for the site.

What every page holds to (WCAG 2.1 AA, checked by tests/test_publish_html.py and, by hand, with
axe-core — see docs/publish.md): ``lang`` on ``<html>``, a ``<title>``, a viewport meta, one
``<main>`` with one ``<h1>``, tables with ``<caption>`` and scoped ``<th>``, text contrast of at
least 4.5:1, a visible focus outline, no script, no external assets, and at 320 CSS px the tables
turn into one block per row (1.4.10 Reflow: no horizontal scrolling). The table elements keep
their roles explicitly, since some browsers drop them when a table is displayed as blocks.
"""

from __future__ import annotations

import html
import re
from string import Template

from .config import output_spec

__all__ = ["STYLE", "escape", "linkify", "page"]

_STYLE = Template("""
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
color:$text;background:$background}
main{max-width:78rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0}
h2{font-size:1.25rem;line-height:1.3;margin:2rem 0 .5rem}
p{margin:.25rem 0 .5rem}
a{color:$link}
a:focus-visible{outline:3px solid $text;outline-offset:2px}
.meta{color:$secondary}
nav ul{padding-left:1.25rem}
table{width:100%;border-collapse:collapse;margin:.5rem 0 1.5rem;table-layout:fixed}
caption{text-align:left;font-weight:600;padding:.25rem 0 .5rem}
th,td{border:1px solid $border;padding:.5rem;vertical-align:top;text-align:left;
overflow-wrap:anywhere;word-break:normal}
thead th{background:$header_fill}
th[scope="rowgroup"]{background:$group_fill;font-size:1.05rem}
th[scope="row"]{font-weight:normal}
.num{width:3.5rem;text-align:center}
th.wide{width:45%}
.name{display:block;font-weight:700}
.label{font-style:italic}
ul{margin:.25rem 0 .25rem;padding-left:1.25rem}
td ul.plain,th ul.plain{list-style:none;padding-left:0}
.old{text-decoration:line-through}
@media (max-width:40rem){
main{padding:.75rem}
table,thead,tbody,tr,th,td,caption{display:block;width:auto}
thead tr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);
clip-path:inset(50%);white-space:nowrap}
tr{border:1px solid $border;margin:0 0 .5rem}
th,td{border:0}
.num,th.wide{width:auto;text-align:left}
[data-label]::before{content:attr(data-label) ": ";font-weight:700}
}
@media print{
main{max-width:none;padding:0}
nav{display:none}
thead{display:table-header-group}
tr{break-inside:avoid}
}
""")
#: The accessible style of the pages, in the colours of ``[page_colors]`` of outputs.toml (their
#: contrast is noted there and checked by tests/test_publish_html.py).
STYLE = _STYLE.substitute(output_spec().page_colors).strip()

_URL = re.compile(r"https?://[^\s<>\"'«»]+")


def escape(value: object) -> str:
    """HTML-escaped text; None is empty."""
    return "" if value is None else html.escape(str(value), quote=True)


def linkify(text: str | None) -> str:
    """Escaped *text* with its http(s) addresses as links (nothing else becomes a link)."""
    if not text:
        return ""
    out, last = [], 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:)")
        end = match.start() + len(url)
        out.append(escape(text[last : match.start()]))
        out.append(f'<a href="{escape(url)}">{escape(url)}</a>')
        last = end
    out.append(escape(text[last:]))
    return "".join(out)


def page(
    title: str,
    body: str,
    *,
    lang: str = "ru",
    description: str | None = None,
    style: str = STYLE,
    script: str | None = None,
) -> str:
    """A complete HTML document around *body* (which holds the ``<main>``), styled by *style*
    (the accessible page style by default); *script*, when given, is inlined at the end of the
    body (the pages for the site carry none)."""
    meta = f'<meta name="description" content="{escape(description)}">\n' if description else ""
    tail = f"<script>{script}</script>\n" if script is not None else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{meta}"
        f"<title>{escape(title)}</title>\n"
        f"<style>\n{style}\n</style>\n"
        "</head>\n"
        "<body>\n"
        f"{body}"
        f"{tail}"
        "</body>\n"
        "</html>\n"
    )
