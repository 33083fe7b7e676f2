"""``oshibki.html``: the findings as one standalone page — no external assets, grouped by file,
readable on a phone (each finding becomes a card under 700 px), sortable and filterable by a small
inline script, fully readable without it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from string import Template

from ..cells import parse_a1
from ..classifiers import Classifiers, default_classifiers
from ..findings import RANK, Issue, Report
from ..output.config import Labels, output_spec
from ..output.htmlpage import escape as _e
from ..output.htmlpage import page
from .registry_table import RegistryTables, registry_of, registry_tables

__all__ = ["render_html", "write_errors_html"]

_CSS = Template("""
:root{--err:$error_font;--err-bg:$error_fill;--warn:$warning_font;--warn-bg:$warning_fill;--note:$notice_font;--note-bg:$notice_fill;--ink:$ink;
--muted:$muted;--line:$line;--head:$header_report;--bg:$panel}
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
color:var(--ink);background:$background}
.wrap{max-width:1280px;margin:0 auto;padding:16px}
h1{font-size:1.45rem;margin:.2em 0 .3em}
h2{font-size:1.1rem;margin:0;overflow-wrap:anywhere}
.meta{color:var(--muted);margin:.2em 0 1em}
.totals{display:flex;flex-wrap:wrap;gap:8px;list-style:none;padding:0;margin:0 0 1em}
.totals li{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:6px 12px}
.totals b{font-size:1.15rem;margin-right:.25em}
.totals .err{background:var(--err-bg);border-color:$error_border;color:var(--err)}
.totals .note{background:var(--note-bg);color:var(--note)}
.totals .warn{background:var(--warn-bg);border-color:$warning_border;color:var(--warn)}
.verdict{font-weight:600;margin:0 0 1em}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:var(--head);font-weight:600}
td{overflow-wrap:anywhere}
.num{text-align:right;white-space:nowrap}
.files{margin:0 0 1.5em;width:auto;min-width:min(100%,720px)}
.files td:first-child{overflow-wrap:anywhere}
table.issues{table-layout:fixed}
col.c-sev{width:11.5em}col.c-cell{width:7.5em}col.c-col{width:15%}col.c-val{width:14%}
col.c-clause{width:9em}
.place b{display:block}
.place small{color:var(--muted)}
.files caption,.issues caption{text-align:left;font-weight:600;padding:4px 0}
section.file{margin:0 0 1.5em;border:1px solid var(--line);border-radius:10px;overflow:hidden}
section.file>header{display:flex;flex-wrap:wrap;gap:8px;align-items:center;justify-content:space-between;
background:var(--bg);padding:10px 12px;border-bottom:1px solid var(--line)}
section.file table{border:0}
section.file th{border-top:0}
.badge{display:inline-block;border-radius:999px;padding:1px 10px;font-size:.85rem;font-weight:600;
white-space:nowrap}
.badge.err,.sev.error{background:var(--err-bg);color:var(--err)}
.badge.warn,.sev.warning{background:var(--warn-bg);color:var(--warn)}
.badge.note,.sev.notice{background:var(--note-bg);color:var(--note)}
.sev{display:inline-block;border-radius:6px;padding:0 6px;font-size:.85rem;font-weight:600;
white-space:nowrap}
tr.error td:first-child{box-shadow:inset 4px 0 0 var(--err)}
tr.warning td:first-child{box-shadow:inset 4px 0 0 $warning_bar}
.msg{white-space:pre-line}
.sugg{display:block;color:var(--muted);margin-top:4px;white-space:pre-line}
.val{white-space:pre-line;font-family:ui-monospace,SFMono-Regular,Consolas,monospace;font-size:.9em}
.code{color:var(--muted);font-size:.85em}
.controls{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:0 0 1em;
padding:10px 12px;background:var(--bg);border:1px solid var(--line);border-radius:10px;
position:sticky;top:0;z-index:1}
.controls input[type=search]{font:inherit;padding:6px 10px;border:1px solid var(--line);
border-radius:6px;min-width:0;flex:1 1 220px}
th[data-sortable]{cursor:pointer}
th[aria-sort=ascending]::after{content:" ▲"}
th[aria-sort=descending]::after{content:" ▼"}
footer{color:var(--muted);font-size:.85rem;margin:2em 0 1em}
a{color:$link}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:700px){
.wrap{padding:10px}
h1{font-size:1.25rem}
table.issues thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.issues,table.issues tbody,table.issues tr,table.issues td{display:block;width:100%}
table.issues tr{border-bottom:1px solid var(--line);padding:8px 10px}
table.issues td{border:0;padding:2px 0}
table.issues td:empty{display:none}
table.issues td[data-label]::before{content:attr(data-label);display:block;font-size:.75rem;
color:var(--muted);text-transform:uppercase;letter-spacing:.02em}
table.issues td.sevcell::before,table.issues td.msgcell::before{display:none}
tr.error td:first-child,tr.warning td:first-child{box-shadow:none}
tr.error{box-shadow:inset 4px 0 0 var(--err)}
tr.warning{box-shadow:inset 4px 0 0 $warning_bar}
table.files thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.files,table.files tbody{display:block;width:100%;min-width:0}
table.files tr{display:flex;flex-wrap:wrap;gap:2px 14px;padding:8px 10px;
border:1px solid var(--line);border-top:0}
table.files tr:first-child{border-top:1px solid var(--line);border-radius:10px 10px 0 0}
table.files tr:last-child{border-radius:0 0 10px 10px}
table.files td{border:0;padding:0;text-align:left}
table.files td:first-child{flex-basis:100%;font-weight:600}
table.files td[data-label]::before{content:attr(data-label) ": ";color:var(--muted);
font-weight:400}
.place b{display:inline;margin-right:.4em}
}
""")

# Only on a page with a registry table (a page without one stays as it was).
_REGISTRY_CSS = """
section.registry{margin:0 0 1.5em}
section.registry h2{margin:0 0 .3em}
section.registry p{color:var(--muted);margin:.2em 0 .6em}
table.reg{margin:0 0 1em;width:auto;min-width:min(100%,720px)}
table.reg caption{text-align:left;font-weight:600;padding:4px 0}
table.reg th[scope=row]{background:transparent;font-weight:400;overflow-wrap:anywhere}
table.reg tr.missing th,table.reg tr.missing td{background:var(--err-bg);color:var(--err)}
table.reg tr.missing th{box-shadow:inset 4px 0 0 var(--err);font-weight:600}
table.reg td.bad{background:var(--err-bg);color:var(--err);font-weight:600}
table.reg tr.total th,table.reg tr.total td{font-weight:600;background:var(--bg)}
@media (max-width:700px){
table.reg thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.reg,table.reg tbody{display:block;width:100%;min-width:0}
table.reg tr{display:flex;flex-wrap:wrap;gap:2px 14px;padding:8px 10px;
border:1px solid var(--line);border-top:0}
table.reg tr:first-child{border-top:1px solid var(--line)}
table.reg th,table.reg td{border:0;padding:0;text-align:left}
table.reg caption{display:block}
table.reg th[scope=row]{flex-basis:100%;font-weight:600}
table.reg tr.missing{background:var(--err-bg);color:var(--err);box-shadow:inset 4px 0 0 var(--err)}
table.reg tr.missing th,table.reg tr.missing td{background:transparent;box-shadow:none}
table.reg td[data-label]::before{content:attr(data-label) ": ";color:var(--muted);font-weight:400}
}
"""

_SCRIPT = """
(function(){
var box=document.getElementById('controls');if(!box)return;box.hidden=false;
var q=document.getElementById('q'),only=document.getElementById('only');
var shown=document.getElementById('shown');
function apply(){var t=q.value.toLowerCase(),n=0;
document.querySelectorAll('table.issues tbody tr').forEach(function(tr){
var ok=(!only.checked||tr.className==='error')&&(!t||tr.textContent.toLowerCase().indexOf(t)>=0);
tr.hidden=!ok;if(ok)n++;});
document.querySelectorAll('section.file').forEach(function(s){
s.hidden=!s.querySelector('tbody tr:not([hidden])');});
shown.textContent=n;}
q.addEventListener('input',apply);only.addEventListener('change',apply);
document.querySelectorAll('table.issues th').forEach(function(th){
th.setAttribute('data-sortable','');th.tabIndex=0;
function sort(){var table=th.closest('table'),body=table.tBodies[0],i=th.cellIndex;
var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
table.querySelectorAll('th').forEach(function(o){o.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',dir>0?'ascending':'descending');
var rows=Array.prototype.slice.call(body.rows);
function key(r){var c=r.cells[i];return c.getAttribute('data-sort')||c.textContent;}
rows.sort(function(a,b){return dir*key(a).localeCompare(key(b),'ru',{numeric:true});});
rows.forEach(function(r){body.appendChild(r);});}
th.addEventListener('click',sort);
th.addEventListener('keydown',function(e){
if(e.key==='Enter'||e.key===' '){e.preventDefault();sort();}});});
})();
"""


_COLS = (
    '<colgroup><col class="c-sev"><col class="c-cell"><col class="c-col"><col class="c-val">'
    '<col class="c-msg"><col class="c-clause"></colgroup>'
)


def _cell_sort(item: Issue) -> str:
    if item.cell:
        try:
            row, col = parse_a1(item.cell)
            return f"{row:07d}{col:05d}"
        except ValueError:
            pass
    return f"{item.row or 0:07d}"


def _plural_badges(errors: int, warnings: int, labels: Labels, notices: int = 0) -> str:
    parts = []
    if errors:
        parts.append(f'<span class="badge err">{_e(labels["col_errors"])}: {errors}</span>')
    if warnings:
        parts.append(f'<span class="badge warn">{_e(labels["col_warnings"])}: {warnings}</span>')
    if notices:
        parts.append(f'<span class="badge note">{_e(labels["col_notices"])}: {notices}</span>')
    return " ".join(parts)


def _issue_rows(items: Sequence[Issue], labels: Labels) -> str:
    out = []
    column, value = _e(labels["col_column"]), _e(labels["col_value"])
    cell, clause = _e(labels["col_place"]), _e(labels["col_clause"])
    row_word = labels["col_row"].lower()
    for item in items:
        if item.cell:
            place = f"<b>{_e(item.cell)}</b>"
        elif item.row is not None:
            place = f"<b>{_e(row_word)} {int(item.row)}</b>"
        else:
            place = ""
        if place and item.sheet:
            place += f"<small>{_e(item.sheet)}</small>"
        suggestion = f'<span class="sugg">{_e(item.suggestion)}</span>' if item.suggestion else ""
        out.append(
            f'<tr class="{_e(item.severity)}">'
            f'<td class="sevcell" data-sort="{RANK.get(item.severity, 3)}">'
            f'<span class="sev {_e(item.severity)}">{_e(labels.severity(item.severity))}'
            "</span></td>"
            f'<td data-label="{cell}" data-sort="{_cell_sort(item)}" class="place">{place}</td>'
            f'<td data-label="{column}">{_e(item.column)}</td>'
            f'<td data-label="{value}" class="val">{_e(item.value)}</td>'
            f'<td class="msgcell"><span class="msg">{_e(item.message)}</span>{suggestion}</td>'
            f'<td data-label="{clause}">{_e(item.clause)} <span class="code">{_e(item.code)}</span>'
            "</td></tr>"
        )
    return "".join(out)


_NUM = ' class="num"'


def _number(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{round(value * 100)}%"
    return str(value)


def _registry_table(
    caption: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    classes: Sequence[str],
    first_number: int,
    bad_col: int | None = None,
) -> str:
    """One table: the first column names the row (``th scope=row``), the columns from
    *first_number* on are numbers; each cell carries its header for the phone layout."""
    head = "".join(
        f'<th scope="col"{_NUM if n >= first_number else ""}>{_e(h)}</th>'
        for n, h in enumerate(headers)
    )
    body = []
    for row, cls in zip(rows, classes, strict=True):
        cells = [f'<th scope="row">{_e(row[0])}</th>']
        for n, value in enumerate(row[1:], start=1):
            kind = "num" if n >= first_number else ""
            if n == bad_col and value:
                kind = f"{kind} bad".strip()
            attr = f' class="{kind}"' if kind else ""
            cells.append(f'<td{attr} data-label="{_e(headers[n])}">{_e(_number(value))}</td>')
        row_class = f' class="{cls}"' if cls else ""
        body.append(f"<tr{row_class}>{''.join(cells)}</tr>")
    return (
        f'<table class="reg"><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _registry_section(tables: RegistryTables, labels: Labels) -> list[str]:
    title = labels["summary_registry"]
    notes = [labels["summary_registry_legend"]]
    if tables.file:
        notes.insert(0, labels.format("summary_registry_file", file=tables.file))
    last = len(tables.directions) - 1
    return [
        '<section class="registry" aria-labelledby="registry-h">',
        f'<h2 id="registry-h">{_e(title)}</h2>',
        *(f"<p>{_e(note)}</p>" for note in notes),
        _registry_table(
            labels["summary_registry_entries"],
            tables.entry_headers,
            tables.entries,
            ["missing" if missing else "" for missing in tables.entry_missing],
            first_number=4,
        ),
        _registry_table(
            labels["summary_registry_by_direction"],
            tables.direction_headers,
            tables.directions,
            ["total" if n == last else "" for n in range(len(tables.directions))],
            first_number=1,
            bad_col=3,
        ),
        _registry_table(
            labels["summary_registry_by_subdivision"],
            tables.subdivision_headers,
            tables.subdivisions,
            [""] * len(tables.subdivisions),
            first_number=1,
            bad_col=3,
        ),
        "</section>",
    ]


def render_html(report: Report, lang: str = "ru", classifiers: Classifiers | None = None) -> str:
    """The page as text. *classifiers* order the registry's directions (п. 3.5), when the
    report has a registry (default: the built-in lists)."""
    labels = output_spec().labels(lang)
    registry = registry_of(report)
    registry_html: list[str] = []
    if registry is not None:
        tables = registry_tables(registry, classifiers or default_classifiers(), labels)
        registry_html = _registry_section(tables, labels)
    s = report.summary
    counts = report.file_counts()
    groups: dict[str | None, list[Issue]] = {}
    for item in report.records:
        groups.setdefault(item.file, []).append(item)
    anchors = {info.path: f"file-{n}" for n, info in enumerate(report.files, start=1)}
    for n, path in enumerate((p for p in groups if p not in anchors), start=len(anchors) + 1):
        anchors[path] = f"file-{n}"

    verdict = labels["remarks_none"] if not report.records else ""
    head = [
        '<div class="wrap">',
        "<header>",
        f"<h1>{_e(labels['html_title'])}</h1>",
        '<ul class="totals">',
        f"<li><b>{s['files']}</b> {_e(labels['col_files'].lower())}</li>",
        f"<li><b>{s['rows']}</b> {_e(labels['col_rows'].lower())}</li>",
        f'<li class="err"><b>{s["errors"]}</b> {_e(labels["col_errors"].lower())}</li>',
        f'<li class="warn"><b>{s["warnings"]}</b> {_e(labels["col_warnings"].lower())}</li>',
        *(
            [f'<li class="note"><b>{s["notices"]}</b> {_e(labels["col_notices"].lower())}</li>']
            if s["notices"]
            else []
        ),
        "</ul>",
    ]
    if verdict:
        head.append(f'<p class="verdict">{_e(verdict)}</p>')
    head.append("</header>")

    file_rows = []
    rows_label, errors_label = _e(labels["col_rows"]), _e(labels["col_errors"])
    warnings_label = _e(labels["col_warnings"])
    for info in report.files:
        c = counts.get(info.path, {"errors": 0, "warnings": 0})
        name = _e(info.path)
        link = f'<a href="#{anchors[info.path]}">{name}</a>' if info.path in groups else name
        file_rows.append(
            f"<tr><td>{link}</td><td>{_e(labels.status(info.status))}</td>"
            f'<td class="num" data-label="{rows_label}">{int(info.rows)}</td>'
            f'<td class="num" data-label="{errors_label}">{c["errors"]}</td>'
            f'<td class="num" data-label="{warnings_label}">{c["warnings"]}</td></tr>'
        )
    nav = [
        f'<nav aria-label="{_e(labels["html_files"])}">',
        '<table class="files">',
        f"<caption>{_e(labels['html_files'])}</caption>",
        "<thead><tr>"
        f'<th scope="col">{_e(labels["col_file"])}</th>'
        f'<th scope="col">{_e(labels["col_status"])}</th>'
        f'<th scope="col" class="num">{_e(labels["col_rows"])}</th>'
        f'<th scope="col" class="num">{_e(labels["col_errors"])}</th>'
        f'<th scope="col" class="num">{_e(labels["col_warnings"])}</th>'
        "</tr></thead>",
        f"<tbody>{''.join(file_rows)}</tbody>",
        "</table>",
        "</nav>",
    ]
    controls = [
        '<div class="controls" id="controls" hidden>',
        f'<label class="sr" for="q">{_e(labels["html_search"])}</label>',
        f'<input type="search" id="q" placeholder="{_e(labels["html_search"])}…">',
        f'<label><input type="checkbox" id="only"> {_e(labels["html_only_errors"])}</label>',
        f'<span>{_e(labels["html_shown"])}: <b id="shown">{len(report.records)}</b></span>',
        "</div>",
    ]
    headers = (
        f'<th scope="col">{_e(labels["col_severity"])}</th>'
        f'<th scope="col">{_e(labels["col_place"])}</th>'
        f'<th scope="col">{_e(labels["col_column"])}</th>'
        f'<th scope="col">{_e(labels["col_value"])}</th>'
        f'<th scope="col">{_e(labels["col_message"])}</th>'
        f'<th scope="col">{_e(labels["col_clause"])}</th>'
    )
    sections = []
    order = [info.path for info in report.files if info.path in groups]
    order += [path for path in groups if path not in order and path is not None]
    if None in groups:
        order.append(None)
    for path in order:
        items = groups[path]
        errors = sum(1 for i in items if i.severity == "error")
        notices = sum(1 for i in items if i.severity == "notice")
        warnings = len(items) - errors - notices
        title = labels["html_general"] if path is None else path
        anchor = "general" if path is None else anchors[path]
        sections.append(
            f'<section class="file" id="{anchor}" aria-labelledby="{anchor}-h">'
            f'<header><h2 id="{anchor}-h">{_e(title)}</h2>'
            f"<div>{_plural_badges(errors, warnings, labels, notices)}</div></header>"
            f'<table class="issues"><caption class="sr">{_e(title)}</caption>{_COLS}'
            f"<thead><tr>{headers}</tr></thead>"
            f"<tbody>{_issue_rows(items, labels)}</tbody></table></section>"
        )
    if not sections:
        sections.append(f"<p>{_e(labels['html_none'])}</p>")
    tail = [
        f"<footer>{_e(labels['html_made_by'])}</footer>",
        "</div>",
    ]
    body = [*head, *nav, *registry_html, *controls, "<main>", *sections, "</main>", *tail]
    spec = output_spec()
    css = _CSS.substitute(spec.colors, **spec.report_page_colors)
    style = (css + (_REGISTRY_CSS if registry_html else "")).strip()
    return page(
        labels["html_title"], "\n".join(body) + "\n", lang=lang, style=style, script=_SCRIPT
    )


def write_errors_html(
    path: str | Path, report: Report, lang: str = "ru", classifiers: Classifiers | None = None
) -> None:
    Path(path).write_text(render_html(report, lang, classifiers), encoding="utf-8")
