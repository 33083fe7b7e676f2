"""The publication as one accessible HTML page for the Department's site (п. 5.2).

One ``<table>`` per part of the Перечень (client), with a ``<caption>``, column headers
(``<th scope="col">``), one ``<tbody>`` per direction of activity headed by a full-width
``<th scope="rowgroup">`` and a row header (``<th scope="row">``) naming the touchpoint.
What was left out is not on this page (it names the subdivisions' files): it is in the internal
report beside it (publication_report.xlsx, publication.json). The heading says which act of the
Department approved the Перечень (п. 5.1) or that it is a draft («проект»).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..output.atomic import atomic_path
from ..output.htmlpage import STYLE, escape, page
from ..output.links import contact_links
from .display import needs_display, touchpoint_details
from .screen import MASK
from .xlsx import HEADERS, NEEDS_HEADING

if TYPE_CHECKING:
    from .model import Publication

__all__ = ["publication_html", "write_html"]

#: Printed, a heading stays with what follows it: no section heading, caption or direction row
#: is left alone at the bottom of a page (keep-with-next). A browser may still break between a
#: table's caption and its rows, so each part of the Перечень after the first starts a page.
KEEP_WITH_NEXT = """
h1,h2,caption,thead,tr.group,tr.group th{break-after:avoid;page-break-after:avoid}
@media print{tr.group{break-inside:avoid}
section+section{break-before:page;page-break-before:always}}
""".strip()

_CLASSES = (' class="num"', ' class="wide"', "")


def _location(value: str) -> str:
    """The location with its links — web addresses, ``mailto:`` e-mail and ``tel:`` phone links
    for the work contacts — except a value the screen masked (no link near «[скрыто]»)."""
    return escape(value) if MASK in value else contact_links(value)


def _record_row(record: dict, publication: Publication) -> str:
    details = "".join(
        f'<li><span class="label">{escape(label)}:</span> '
        f"{_location(value) if label == 'Адрес, ссылка, телефон' else escape(value)}</li>"
        for label, value in touchpoint_details(record, publication.classifiers)
    )
    needs = needs_display(record, publication.classifiers)
    needs_list = "".join(f"<li>{escape(need)}</li>" for need in needs)
    procedure = f"<p>{escape(record['procedure'])}</p>" if record["procedure"] else ""
    needs_html = (
        f'<p class="label">{escape(NEEDS_HEADING)}</p><ul>{needs_list}</ul>' if needs else ""
    )
    return (
        '<tr role="row">'
        f'<td role="cell" class="num" data-label="{escape(HEADERS[0])}">{record["number"]}</td>'
        f'<th role="rowheader" scope="row"><span class="name">{escape(record["touchpoint"])}'
        f'</span><ul class="plain">{details}</ul></th>'
        f'<td role="cell" data-label="{escape(HEADERS[2])}">{procedure}{needs_html}</td>'
        "</tr>\n"
    )


def publication_html(publication: Publication) -> str:
    """The page as text."""
    meta = publication.classifiers.meta
    layout = publication.groups()
    toc = []
    tables = []
    for index, (section, groups) in enumerate(layout, start=1):
        anchor = f"part-{section.code}"
        links = "".join(
            f'<li><a href="#{anchor}-{record_list[0]["direction_code"]}">{escape(heading)}</a></li>'
            for heading, record_list in groups
        )
        toc.append(f'<li><a href="#{anchor}">{escape(section.title)}</a><ul>{links}</ul></li>')
        head = "".join(
            f'<th role="columnheader" scope="col"{_CLASSES[i]}>{escape(h)}</th>'
            for i, h in enumerate(HEADERS)
        )
        bodies = []
        for heading, record_list in groups:
            group_id = f"{anchor}-{record_list[0]['direction_code']}"
            rows = "".join(_record_row(record, publication) for record in record_list)
            bodies.append(
                f'<tbody role="rowgroup">\n<tr role="row" class="group"><th role="rowheader" '
                'scope="rowgroup" '
                f'colspan="3" id="{group_id}">{escape(heading)}</th></tr>\n{rows}</tbody>\n'
            )
        count = sum(len(r) for _, r in groups)
        tables.append(
            f'<section aria-labelledby="{anchor}">\n'
            f'<h2 id="{anchor}">{escape(section.title)}</h2>\n'
            '<table role="table">\n'
            f"<caption>Таблица {index}. {escape(section.title)}: "
            f"{escape(_count(count))}</caption>\n"
            f'<thead role="rowgroup"><tr role="row">{head}</tr></thead>\n'
            f"{''.join(bodies)}</table>\n</section>\n"
        )
    if not tables:
        tables.append("<p>Точек взаимодействия для публикации нет.</p>\n")
    body = (
        '<main id="content">\n'
        f"<h1>{escape(publication.title)}</h1>\n"
        f'<p class="status">{escape(publication.status)}.</p>\n'
        f'<p class="meta">По состоянию на {publication.as_of:%d.%m.%Y}. '
        f"По форме приложения к {escape(_dative(meta.get('regulation', '')))} "
        f"({escape(meta.get('order', ''))}); размещается по п. 5.2.</p>\n"
        + (
            f'<nav aria-label="Содержание">\n<ul>{"".join(toc)}</ul>\n</nav>\n'
            if len(layout) and toc
            else ""
        )
        + "".join(tables)
        + "</main>\n"
    )
    return page(
        publication.title,
        body,
        description=f"{publication.title} по состоянию на {publication.as_of:%d.%m.%Y}",
        style=f"{STYLE}\n{KEEP_WITH_NEXT}",
    )


def _dative(regulation: str) -> str:
    """«Порядок ведения …» → «Порядку ведения …» (the dative after «приложения к»)."""
    if regulation.startswith("Порядок"):
        return "Порядку" + regulation[len("Порядок") :]
    return regulation


def _count(n: int) -> str:
    """«1 точка», «2 точки», «5 точек» взаимодействия."""
    if n % 10 == 1 and n % 100 != 11:
        word = "точка"
    elif n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        word = "точки"
    else:
        word = "точек"
    return f"{n} {word} взаимодействия"


def write_html(publication: Publication, path: Path) -> Path:
    """Write the page to *path* atomically."""
    with atomic_path(path) as temporary:
        temporary.write_text(publication_html(publication), encoding="utf-8")
    return path
