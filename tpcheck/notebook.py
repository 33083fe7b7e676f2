"""The notebook view of a :class:`~tpcheck.findings.Report` and a :class:`~tpcheck.merge.Result`:
one styled HTML table in the language of the report, with the terminal's words.

On top, the verdict and the counts by severity; for a result, the terminal's table of files
(file, status, rows, errors, warnings); then the first :data:`SHOWN` findings (severity, code,
file, sheet, cell, value, finding, what to do) and a note of how many more there are. Text is
left-aligned and wraps; numbers are right-aligned. Every text comes from data/texts.toml.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from string import Template
from typing import TYPE_CHECKING, Any

from .i18n import text
from .output.config import output_spec

if TYPE_CHECKING:
    from .findings import FileInfo, Issue, Report

__all__ = ["FINDING_KEYS", "SHOWN", "findings_html"]

#: How many findings the notebook shows; the rest are counted in a note.
SHOWN = 50
#: The columns of the findings table (texts ``notebook.<key>``).
FINDING_KEYS = ("severity", "code", "file", "sheet", "cell", "value", "message", "suggestion")
_FILE_KEYS = ("file", "status", "rows", "errors", "warnings")  # texts ``terminal.<key>``
_NUMERIC = frozenset({"rows", "errors", "warnings"})

#: The notebook style, its colours as placeholders.
_STYLE = Template("""
.tpcheck table{border-collapse:collapse;margin:.25rem 0 .75rem;font-size:.9em}
.tpcheck th,.tpcheck td{border:1px solid $border;padding:.2rem .45rem;vertical-align:top;
text-align:left !important;white-space:normal;max-width:32rem;overflow-wrap:anywhere}
.tpcheck thead th{background:$header_fill}
.tpcheck td.n{text-align:right !important;font-variant-numeric:tabular-nums}
.tpcheck .counts span{display:inline-block;margin-right:.75rem;padding:0 .4rem;border-radius:3px}
.tpcheck .error{background:$error}
.tpcheck .warning{background:$warning}
.tpcheck .notice{background:$notice}
""")
#: Scoped to the ``tpcheck`` block, so it styles nothing else in the notebook; colours from
#: ``[notebook_colors]`` of outputs.toml.
STYLE = _STYLE.substitute(output_spec().notebook_colors).strip()


def _e(value: Any) -> str:
    return "" if value is None else html.escape(str(value), quote=True)


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _counts(report: Report, lang: str) -> str:
    s = report.summary
    badges = "".join(
        f'<span class="{severity}">{_e(text(f"notebook.count_{severity}", lang, count=count))}'
        "</span>"
        for severity, count in (
            ("error", s["errors"]),
            ("warning", s["warnings"]),
            ("notice", s.get("notices", 0)),
        )
    )
    return f'<p class="counts">{badges}</p>'


def _files_table(
    report: Report, files: Sequence[FileInfo], lang: str, status: Callable[[str], str]
) -> str:
    counts = report.file_counts()
    head = "".join(f"<th>{_e(text(f'terminal.{key}', lang))}</th>" for key in _FILE_KEYS)
    rows = []
    for info in files:
        c = counts.get(info.path, {"errors": 0, "warnings": 0})
        rows.append(
            f"<tr><td>{_e(info.path)}</td><td>{_e(status(info.status))}</td>"
            f'<td class="n">{int(info.rows)}</td><td class="n">{c["errors"]}</td>'
            f'<td class="n">{c["warnings"]}</td></tr>'
        )
    caption = _e(text("notebook.files_caption", lang))
    return (
        f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _finding_value(issue: Issue, key: str, lang: str) -> str:
    value = getattr(issue, key)
    if key == "severity":
        return text(f"notebook.{value}", lang)
    return _cell(value)


def _findings_table(report: Report, lang: str) -> str:
    shown = report.records[:SHOWN]
    if not shown:
        return ""
    head = "".join(f"<th>{_e(text(f'notebook.{key}', lang))}</th>" for key in FINDING_KEYS)
    body = "".join(
        f'<tr class="{_e(issue.severity)}">'
        + "".join(f"<td>{_e(_finding_value(issue, key, lang))}</td>" for key in FINDING_KEYS)
        + "</tr>"
        for issue in shown
    )
    hidden = len(report.records) - len(shown)
    more = f'<p class="more">{_e(text("notebook.more", lang, count=hidden))}</p>' if hidden else ""
    caption = _e(text("notebook.findings_caption", lang))
    return (
        f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>{more}"
    )


def findings_html(
    report: Report,
    lang: str,
    *,
    title: str | None = None,
    files: Sequence[FileInfo] = (),
    status: Callable[[str], str] = str,
) -> str:
    """The notebook block of *report* in *lang*: verdict, counts by severity, the table of
    *files* when given (a result's, each file's status in words by *status*), and the first
    :data:`SHOWN` findings."""
    s = report.summary
    head = text(
        "notebook.head",
        lang,
        status=text("notebook.valid" if report.valid else "notebook.invalid", lang),
        files=s["files"],
        rows=s["rows"],
        errors=s["errors"],
        warnings=s["warnings"],
    )
    title_html = f"<p><b>{_e(title)}</b></p>" if title else ""
    files_html = _files_table(report, files, lang, status) if files else ""
    return (
        f'<div class="tpcheck"><style>{STYLE}</style>{title_html}<p><b>{_e(head)}</b></p>'
        f"{_counts(report, lang)}{files_html}{_findings_table(report, lang)}</div>"
    )
