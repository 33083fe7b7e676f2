"""The change report of ``tpcheck diff`` as xlsx and as one HTML page.

xlsx: sheet «Изменения» — the date of the change and the deadline of п. 5.5 on top, then one row
per changed field (one row for a touchpoint added or removed) with its п. 5.3 grounds, autofilter
and frozen header; sheet «Основания п. 5.3» — the count per ground; with registries, sheet
«Реестр процессов» — the services included in and excluded from the registry. HTML: the same, one
table row per touchpoint with its changed fields listed, and the two lists of the registry.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter

from ..output.atomic import atomic_path
from ..output.formats import Formats
from ..output.formula import FORMULA_STARTS
from ..output.htmlpage import escape, page
from ..output.printing import print_layout, set_print
from ..output.rows import form_row_height
from .labels import KIND_LABELS, REGISTRY_LABELS

if TYPE_CHECKING:
    from .model import Change, Diff

__all__ = ["changes_table_html", "write_html", "write_xlsx"]

SHEET = "Изменения"
GROUNDS_SHEET = "Основания п. 5.3"
REGISTRY_SHEET = "Реестр процессов"
REGISTRY_COLUMNS = (
    ("Изменение", 22),
    ("Направление деятельности", 40),
    ("Услуга, функция, сервис", 50),
    ("Ответственное подразделение", 36),
)
COLUMNS = (
    ("№", 6),
    ("Изменение", 12),
    ("Основание (п. 5.3)", 36),
    ("Направление деятельности", 30),
    ("Услуга, функция, сервис", 34),
    ("Точка взаимодействия", 30),
    ("Графа", 22),
    ("Было", 36),
    ("Стало", 36),
    ("Старая версия: файл, строка", 28),
    ("Новая версия: файл, строка", 28),
)
#: Added after COLUMNS when the changes are dated one by one (``Diff.reported``, the register).
DATED_COLUMNS = (("Дата сообщения (п. 5.4)", 14), ("Разместить не позднее (п. 5.5)", 16))
HEADER_ROW = 4


def columns(diff: Diff) -> tuple[tuple[str, int], ...]:
    return COLUMNS if diff.reported is None else (*COLUMNS, *DATED_COLUMNS)


def _dates(diff: Diff, index: int) -> list[str]:
    """The date the change was reported and its deadline (none when it is not on the site)."""
    if diff.reported is None:
        return []
    deadline = diff.change_deadline(index)
    return [
        f"{diff.reported[index]:%d.%m.%Y}",
        "—" if deadline is None else f"{deadline.date:%d.%m.%Y}",
    ]


def _source(source: tuple[str, int] | None) -> str:
    return "" if source is None else f"{source[0]}, строка {source[1]}"


def _grounds(diff: Diff, change: Change) -> str:
    return "\n".join(diff.ground_label(code) for code in change.grounds)


def title(diff: Diff) -> str:
    return f"Изменения Перечня: {diff.changed_on:%d.%m.%Y}"


def _rows(diff: Diff) -> list[list[str]]:

    out = []
    for number, change in enumerate(diff.changes, start=1):
        dates = _dates(diff, number - 1)
        common = [
            str(number),
            KIND_LABELS[change.kind],
            _grounds(diff, change),
            change.direction or "",
            change.activity or "",
            change.touchpoint or "",
        ]
        sources = [_source(change.old_source), _source(change.new_source)]
        if not change.fields:
            out.append([*common, "", "", "", *sources, *dates])
        for field in change.fields:
            out.append([*common, field.header, field.old or "", field.new or "", *sources, *dates])
    return out


def write_xlsx(diff: Diff, path: Path) -> Path:
    """Write changes.xlsx atomically."""
    with atomic_path(path) as temporary:
        book = xlsxwriter.Workbook(
            str(temporary),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        book.set_properties(
            {
                "title": title(diff),
                "author": "tpcheck",
                "company": diff.classifiers.meta.get("organization", ""),
                "created": dt.datetime.combine(diff.changed_on, dt.time(), tzinfo=dt.UTC),
            }
        )
        fmt = Formats(book)
        bold, plain, header, cell = fmt.title_line, fmt.line, fmt.table_header, fmt.boxed
        quoted = fmt.boxed_quoted  # formula-like text
        sheet = book.add_worksheet(SHEET)
        sheet.write_string(0, 0, title(diff), bold)
        sheet.write_string(1, 0, diff.deadline_text(), plain)
        sheet.write_string(2, 0, diff.summary_text().splitlines()[0], plain)
        layout = columns(diff)
        paper, widths = print_layout([width for _, width in layout])
        for col, (name, _) in enumerate(layout):
            sheet.write_string(HEADER_ROW, col, name, header)
            sheet.set_column(col, col, widths[col])
        rows = _rows(diff)
        for index, values in enumerate(rows, start=HEADER_ROW + 1):
            for col, value in enumerate(values):
                sheet.write_string(
                    index, col, value, quoted if value.startswith(FORMULA_STARTS) else cell
                )
            sheet.set_row(index, form_row_height(*zip(values, widths, strict=True)))
        sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + max(len(rows), 1), len(layout) - 1)
        sheet.freeze_panes(HEADER_ROW + 1, 0)
        set_print(sheet, widths, HEADER_ROW, paper=paper)
        sheet.set_footer("&CСтраница &P из &N")
        grounds = book.add_worksheet(GROUNDS_SHEET)
        grounds.set_column(0, 0, 70)
        grounds.set_column(1, 1, 14)
        set_print(grounds, (70, 14), 0)
        grounds.write_string(0, 0, "Основание", header)
        grounds.write_string(0, 1, "Изменений", header)
        for index, ground in enumerate(diff.grounds, start=1):
            grounds.write_string(index, 0, diff.ground_label(ground["code"]), cell)
            grounds.write_number(index, 1, diff.summary["by_ground"][ground["code"]], cell)
        if diff.registry_changes is not None:
            _write_registry_sheet(book, diff, header, cell, quoted)
        sheet.activate()
        book.close()
    return path


def _write_registry_sheet(book: xlsxwriter.Workbook, diff: Diff, header, cell, quoted) -> None:

    sheet = book.add_worksheet(REGISTRY_SHEET)
    for col, (name, width) in enumerate(REGISTRY_COLUMNS):
        sheet.write_string(0, col, name, header)
        sheet.set_column(col, col, width)
    for row, change in enumerate(diff.registry_changes or (), start=1):
        values = (
            REGISTRY_LABELS[change.kind],
            change.direction or "",
            change.activity,
            change.subdivision or "",
        )
        for col, value in enumerate(values):
            style = quoted if value.startswith(FORMULA_STARTS) else cell
            sheet.write_string(row, col, value, style)
    sheet.freeze_panes(1, 0)
    set_print(sheet, [width for _, width in REGISTRY_COLUMNS], 0)


def registry_html(diff: Diff) -> str:
    """«Включены в реестр» / «Исключены из реестра» as two short lists (empty without
    registries)."""

    if diff.registry_changes is None:
        return ""
    parts = ['<section aria-labelledby="registry-h">\n<h2 id="registry-h">Реестр процессов</h2>\n']
    for kind, label in REGISTRY_LABELS.items():
        items = [c for c in diff.registry_changes if c.kind == kind]
        parts.append(f"<h3>{escape(label)}: {len(items)}</h3>\n")
        if items:
            lines = "".join(
                f"<li>{escape(c.activity)}"
                + (f' <span class="meta">— {escape(c.direction)}</span>' if c.direction else "")
                + (f' <span class="meta">({escape(c.subdivision)})</span>' if c.subdivision else "")
                + "</li>"
                for c in items
            )
            parts.append(f'<ul class="registry-{kind}">{lines}</ul>\n')
    parts.append("</section>\n")
    return "".join(parts)


def changes_table_html(diff: Diff) -> str:
    """The table of changes (also the notebook rendering of a :class:`Diff`)."""

    if not diff.changes:
        return "<p>Изменений нет.</p>\n"
    heads = ("№", "Точка взаимодействия", "Изменение", "Основание (п. 5.3)", "Что изменилось")
    head = "".join(f'<th role="columnheader" scope="col">{escape(h)}</th>' for h in heads)
    body = []
    for number, change in enumerate(diff.changes, start=1):
        fields = "".join(
            f'<li><span class="label">{escape(f.header)}:</span> '
            f'<del class="old">{escape(f.old or "—")}</del> → <ins>{escape(f.new or "—")}</ins>'
            "</li>"
            for f in change.fields
        )
        grounds = "".join(f"<li>{escape(diff.ground_label(c))}</li>" for c in change.grounds)
        dated = _dates(diff, number - 1)
        if dated:
            grounds += (
                f'<li class="meta">сообщено {dated[0]}; разместить не позднее: {dated[1]}</li>'
            )
        where = escape(_source(change.new_source or change.old_source))
        body.append(
            '<tr role="row">'
            f'<td role="cell" data-label="№">{number}</td>'
            f'<th role="rowheader" scope="row"><span class="name">{escape(change.touchpoint)}'
            f'</span><ul class="plain"><li>{escape(change.activity)}</li>'
            f'<li>{escape(change.direction)}</li><li class="meta">{where}</li></ul></th>'
            f'<td role="cell" data-label="Изменение">{escape(KIND_LABELS[change.kind])}</td>'
            f'<td role="cell" data-label="Основание"><ul class="plain">{grounds}</ul></td>'
            f'<td role="cell" data-label="Что изменилось"><ul class="plain">{fields}</ul></td>'
            "</tr>\n"
        )
    return (
        '<table role="table">\n'
        f"<caption>Изменения Перечня: {len(diff.changes)}</caption>\n"
        f'<thead role="rowgroup"><tr role="row">{head}</tr></thead>\n'
        f'<tbody role="rowgroup">\n{"".join(body)}</tbody>\n</table>\n'
    )


def write_html(diff: Diff, path: Path) -> Path:
    """Write changes.html atomically."""
    summary = "".join(
        f"<li>{escape(line.strip())}</li>"
        for line in diff.summary_text().splitlines()
        if line != diff.deadline_text() and line not in diff.registry_lines()
    )
    body = (
        '<main id="content">\n'
        f"<h1>{escape(title(diff))}</h1>\n"
        f"<p><strong>{escape(diff.deadline_text())}</strong></p>\n"
        f"<ul>{summary}</ul>\n"
        f"{registry_html(diff)}"
        f"{changes_table_html(diff)}"
        "</main>\n"
    )
    with atomic_path(path) as temporary:
        temporary.write_text(page(title(diff), body), encoding="utf-8")
    return path
