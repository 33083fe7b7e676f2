"""Publication (п. 5.1–5.2): the Перечень in the form of the regulation's appendix.

The appendix has three columns: «№», «Точки взаимодействия», «Порядок взаимодействия с клиентом».
:class:`Publication` lays the rows without errors out in that form:

* parts by client, in the order of the client list: each client entry with a ``section_title``
  is a part; a row is published in the parts its client's ``publish_in`` names (by default its
  own), so a row of «внешний и внутренний» is in both the external and the internal part;
* inside a part, a full-width group row per direction of activity, in the order of п. 3.5;
* one row per touchpoint of a service/function: the «Точки взаимодействия» cell names the
  touchpoint, its type, вид, location and the service/function; the «Порядок» cell gives the
  procedure and spells out the needs of п. 3.7;
* rows are numbered 1, 2, … in each part.

Only a finding that makes a published cell wrong or empty holds a row back
(:mod:`.settle`; ``strict=True``: any error); held-back rows are listed in
:attr:`Publication.excluded` with their file, sheet, row and codes, settled values in
:attr:`Publication.notices`, what the personal-data screen withheld in
:attr:`Publication.screened` (:mod:`.screen`).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..classifiers import Classifiers, Entry
from ..errors import InputError
from ..findings import Issue, Report, issue, quote_list
from ..frame import PROVENANCE, context_of
from ..i18n import text
from ..output.atomic import atomic_paths, locked_output, output_paths
from ..output.deprecation import warn_out_dir
from ..pipeline import load_inputs, resolve_classifiers, row_issues
from ..text import match_key
from .display import capitalize
from .html import write_html
from .internal import write_internal_xlsx
from .opendata import OPEN_DATA_FIELDS, field_list, field_titles, plain, write_csv, write_json
from .screen import read_allow_list, screen
from .settle import blocking, settle
from .xlsx import write_xlsx

__all__ = ["OUTPUT_FILES", "Publication", "Section", "publish"]

#: What :meth:`Publication.write` writes, by role.
OUTPUT_FILES = {
    "xlsx": "perechen.xlsx",
    "html": "perechen.html",
    "csv": "perechen.csv",
    "json": "perechen.json",
    "report": "publication.json",
    "internal": "publication_report.xlsx",
}

#: Columns of :attr:`Publication.excluded`.
EXCLUDED_COLUMNS = (
    "file",
    "sheet",
    "row",
    "touchpoint",
    "activity",
    "codes",
    "messages",
)


@dataclass(frozen=True)
class Section:
    """A part of the published Перечень: the client ``code`` and its heading."""

    code: str
    title: str


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def sections_of(classifiers: Classifiers) -> list[Section]:
    """The parts of the Перечень, in the order of the client list."""
    clients = classifiers["client"]
    used: list[str] = []
    for entry in clients:
        for code in entry.get("publish_in") or (entry.code,):
            if code not in used:
                used.append(code)
    order = {entry.code: index for index, entry in enumerate(clients)}
    sections = []
    for code in sorted(used, key=order.__getitem__):
        entry = clients.by_code(code)
        title = entry.get("section_title") or f"Точки взаимодействия: клиент «{entry.label}»"
        sections.append(Section(code, title))
    return sections


def direction_heading(entry: Entry) -> str:
    """The group row of a direction: «5. Обеспечение доступа к информации …»."""
    return f"{entry.code}. {capitalize(entry.label)}"


def _sort_key(frame: pd.DataFrame, classifiers: Classifiers) -> pd.DataFrame:
    """Columns to sort the published rows on: direction order, service, type order, name."""
    types = {e.label: i for i, e in enumerate(classifiers["touchpoint_type"])}
    return pd.DataFrame(
        {
            "activity": frame["activity"].map(lambda v: match_key(v or "")),
            "type": frame["touchpoint_type"].map(lambda v: types.get(v, len(types))),
            "touchpoint": frame["touchpoint"].map(lambda v: match_key(v or "")),
            "file": frame["source_file"].astype(str),
            "row": frame["source_row"],
        },
        index=frame.index,
    )


class Publication:
    """The Перечень ready to publish: :attr:`rows` (the open-data records with their
    provenance), :attr:`excluded` (what was left out and why), :meth:`write`.

    Make one with :func:`publish` (from files) or :meth:`from_frame` (from a frame of
    :func:`tpcheck.read` and its :class:`~tpcheck.findings.Report`).
    """

    def __init__(
        self,
        rows: pd.DataFrame,
        excluded: pd.DataFrame,
        source: pd.DataFrame,
        *,
        report: Report,
        classifiers: Classifiers,
        as_of: dt.date,
        lang: str = "ru",
        inputs: tuple[Path, ...] = (),
        approved_by: str | None = None,
    ):
        self.rows = rows
        self.excluded = excluded
        self.source = source
        self.report = report
        self.classifiers = classifiers
        self.as_of = as_of
        self.lang = lang
        self.inputs = inputs
        #: The act of the Department approving this Перечень (п. 5.1), e.g. «приказ Департамента
        #: от 20.01.2026 № 15»; None — the publication is a draft and says «проект».
        self.approved_by = (approved_by or "").strip() or None
        #: Values the publication settled itself (вид from the type, rows of one touchpoint
        #: merged): notices, listed in the internal report.
        self.notices: list[Issue] = []
        #: What the personal-data screen withheld (one finding per fragment and cell).
        self.screened: list[Issue] = []
        #: Whether any error held its row back (``publish --strict``), not only a blocking one.
        self.strict = False
        #: The approval of a version of the register (``{"act": …, "version": N}``), shown in
        #: the page's heading (п. 5.1); None for a publication made from files.
        self.approval: dict[str, Any] | None = None

    # ------------------------------------------------------------------ building
    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        report: Report,
        *,
        classifiers: Classifiers | str | Path | None = None,
        lang: str = "ru",
        as_of: dt.date | None = None,
        approved_by: str | None = None,
        strict: bool = False,
        allow_list: Iterable[str] = (),
    ) -> Publication:
        """Lay out the rows of *frame* (the contract of :mod:`tpcheck.frame`) in the form.

        A row is held back only by a finding that makes a published cell wrong or empty (no
        touchpoint name, type, direction or client — :func:`~tpcheck.publish.settle.blocking`);
        the вид implied by the type and the rows of one touchpoint are settled with a notice
        (:attr:`notices`). With *strict*, any error holds its row back (the former rule).
        Personal data and internal addresses are masked (:mod:`~tpcheck.publish.screen`,
        :attr:`screened`) unless *allow_list* holds the fragment."""
        if classifiers is None:
            classifiers = context_of(frame).classifiers
        classifiers = resolve_classifiers(classifiers)
        findings = row_issues(frame, report)
        holds = (lambda p: p.severity == "error") if strict else blocking
        errors: dict[tuple[Any, Any, Any], list[Issue]] = {}
        for item in findings:
            if holds(item) and item.row is not None:
                errors.setdefault((item.file, item.sheet, item.row), []).append(item)
        excluded: list[dict[str, Any]] = []
        keep: list[bool] = []
        directions: list[Entry | None] = []
        clients: list[Entry | None] = []
        for record in frame.to_dict("records"):
            key = tuple(record[name] for name in PROVENANCE)
            problems = list(errors.get(key, []))
            direction = classifiers["direction"].match(record.get("direction") or "")
            client = classifiers["client"].match(record.get("client") or "")
            if not problems:
                problems = _unplaceable(record, direction, client, classifiers, lang)
            directions.append(direction)
            clients.append(client)
            keep.append(not problems)
            if problems:
                excluded.append(_excluded_row(record, problems))
        for item in findings:
            if item.severity == "error" and item.row is None:
                excluded.append(_excluded_row({"source_file": item.file}, [item]))
        source = frame.loc[keep].copy() if len(frame) else frame.copy()
        kept_directions = [d for d, k in zip(directions, keep, strict=True) if k]
        kept_clients = [c for c, k in zip(clients, keep, strict=True) if k]
        notices: list[Issue] = []
        if not strict and len(source):
            source, merged_keep, notices = settle(source, classifiers, lang)
            source = source.loc[merged_keep]
            kept_directions = [d for d, k in zip(kept_directions, merged_keep, strict=True) if k]
            kept_clients = [c for c, k in zip(kept_clients, merged_keep, strict=True) if k]
        rows = _lay_out(source, kept_directions, kept_clients, classifiers)
        rows, screened = screen(rows, field_titles(classifiers), allow_list, lang)
        publication = cls(
            rows,
            pd.DataFrame(excluded, columns=list(EXCLUDED_COLUMNS)),
            source,
            report=report,
            classifiers=classifiers,
            as_of=as_of or dt.date.today(),
            lang=lang,
            approved_by=approved_by,
        )
        publication.notices = notices
        publication.strict = strict
        publication.screened = screened
        return publication

    # ------------------------------------------------------------------ views
    @property
    def title(self) -> str:
        meta = self.classifiers.meta
        return meta.get("publication_title") or meta.get("list_title", "Перечень")

    @property
    def status(self) -> str:
        """The line of the heading saying what the Перечень is: approved by its act (п. 5.1) or
        a draft («проект»)."""
        if self.approval:
            return f"Утвержден: {self.approval['act']}. Версия {int(self.approval['version'])}"
        if self.approved_by:
            return f"Утвержден: {self.approved_by}"
        return "Проект: Перечень еще не утвержден актом Департамента (п. 5.1 Порядка)"

    @property
    def sections(self) -> list[Section]:
        return sections_of(self.classifiers)

    def records(self) -> list[dict[str, Any]]:
        """The open-data records (the fields of
        :data:`~tpcheck.publish.opendata.OPEN_DATA_FIELDS`)."""
        names = [item.name for item in OPEN_DATA_FIELDS]
        return [
            {name: plain(record[name]) for name in names} for record in self.rows.to_dict("records")
        ]

    def groups(self) -> list[tuple[Section, list[tuple[str, list[dict[str, Any]]]]]]:
        """The layout: for each part with rows, its direction groups (heading, records)."""
        layout = []
        # pandas 3 keeps a missing text as NaN: every value plain (None) before it is laid out
        records = [
            {name: plain(value) for name, value in record.items()}
            for record in self.rows.to_dict("records")
        ]
        for section in self.sections:
            mine = [r for r in records if r["section"] == section.code]
            groups: list[tuple[str, list[dict[str, Any]]]] = []
            for record in mine:
                if not groups or groups[-1][0] != record["direction_heading"]:
                    groups.append((record["direction_heading"], []))
                groups[-1][1].append(record)
            if groups:
                layout.append((section, groups))
        return layout

    @property
    def summary(self) -> dict[str, Any]:
        excluded_rows = self.excluded[self.excluded["row"].notna()]
        merged = sum(1 for n in self.notices if n.code == "publish-rows-merged")
        return {
            "rows_read": int(len(self.source) + len(excluded_rows) + merged),
            "rows_published": len(self.source),
            "rows_excluded": len(excluded_rows),
            "rows_merged": merged,
            "values_settled": sum(1 for n in self.notices if n.code != "publish-rows-merged"),
            "values_withheld": len(self.screened),
            "files_excluded": int(self.excluded["row"].isna().sum()),
            "entries": len(self.rows),
            "by_section": {
                section.code: int((self.rows["section"] == section.code).sum())
                for section in self.sections
            },
        }

    def open_data(self) -> dict[str, Any]:
        """perechen.json: the title, version, field list and records."""
        meta = self.classifiers.meta
        return {
            "title": self.title,
            "organization": meta.get("organization"),
            "regulation": f"{meta.get('regulation', '')} ({meta.get('order', '')})",
            "version": self.as_of.isoformat(),
            "approved_by": self.approved_by,
            "status": self.status,
            "sections": [{"code": s.code, "title": s.title} for s in self.sections],
            "fields": field_list(self.classifiers),
            "records": self.records(),
        }

    def to_dict(self) -> dict[str, Any]:
        """publication.json: the summary and what was left out (for the authorized person, not
        for the site)."""
        excluded = []
        for record in self.excluded.to_dict("records"):
            record = {k: (None if _missing(v) else v) for k, v in record.items()}
            if record["row"] is not None:
                record["row"] = int(record["row"])
            excluded.append(record)
        return {
            "title": self.title,
            "version": self.as_of.isoformat(),
            "summary": self.summary,
            "strict": self.strict,
            "excluded": excluded,
            "notices": [notice.to_dict() for notice in self.notices],
            "screened": [finding.to_dict() for finding in self.screened],
            "outputs": dict(OUTPUT_FILES),
        }

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write the outputs into *out_dir* (created if needed), all or none."""
        paths = output_paths(out_dir, OUTPUT_FILES, self.inputs)
        folder = next(iter(paths.values())).parent
        # all or none; publication.json, the run's record, last: never beside another run's files
        with locked_output(folder), atomic_paths(paths, last="report") as temporary:
            write_xlsx(self, temporary["xlsx"])
            write_html(self, temporary["html"])
            write_csv(temporary["csv"], self.records())
            write_json(temporary["json"], self.open_data())
            write_json(temporary["report"], self.to_dict())
            write_internal_xlsx(self, temporary["internal"])
        return paths

    def summary_text(self, lang: str | None = None, *, files: bool = True) -> str:
        """A few lines for the terminal, in *lang* (default Russian, as the publication; the
        section titles are the publication's own Russian words). ``files=False`` leaves out the
        files not read (``tpcheck publish`` lists them itself, the first 20 and a count)."""
        lang = lang or "ru"
        s = self.summary
        lines = [
            text("publish.rows", lang, published=s["rows_published"], excluded=s["rows_excluded"])
        ]
        lines += [
            text("publish.section", lang, title=section.title, count=s["by_section"][section.code])
            for section in self.sections
        ]
        if s["rows_merged"] or s["values_settled"]:
            lines.append(
                text(
                    "publish.settled",
                    lang,
                    merged=s["rows_merged"],
                    settled=s["values_settled"],
                )
            )
        if s["values_withheld"]:
            lines.append(text("publish.withheld", lang, count=s["values_withheld"]))
        if s["files_excluded"]:
            lines.append(text("publish.files_excluded", lang, count=s["files_excluded"]))
        for record in self.to_dict()["excluded"]:
            if record["row"] is None and not files:
                continue
            where = ", ".join(
                part
                for part in (
                    Path(record["file"]).name if record["file"] else None,
                    text("publish.row_where", lang, row=record["row"])
                    if record["row"] is not None
                    else None,
                )
                if part
            )
            lines.append(
                text("publish.held_back", lang, where=where, messages=" ".join(record["messages"]))
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"<Publication rows={s['rows_published']} excluded={s['rows_excluded']} "
            f"as_of={self.as_of.isoformat()}>"
        )

    def _repr_html_(self) -> str:
        head = f"<p><b>{html.escape(self.title)}</b></p><p>{html.escape(self.summary_text())}</p>"
        shown = self.rows[["section", "number", "direction", "activity", "touchpoint"]].head(50)
        return head + shown.to_html(index=False, escape=True)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


def _unplaceable(
    record: dict[str, Any],
    direction: Entry | None,
    client: Entry | None,
    classifiers: Classifiers,
    lang: str,
) -> list[Issue]:
    """Findings for a row that cannot be placed in the form (no known client or direction, no
    touchpoint name, no known type) — what validation reports for them, in case the report
    given does not."""
    problems = []
    kind = classifiers["touchpoint_type"].match(_text(record.get("touchpoint_type")) or "")
    for key, present in (
        ("touchpoint", _text(record.get("touchpoint")) is not None),
        ("touchpoint_type", kind is not None),
    ):
        if not present and _text(record.get(key)) is None:
            problems.append(
                issue(
                    "required-missing",
                    file=record.get("source_file"),
                    sheet=record.get("source_sheet"),
                    row=record.get("source_row"),
                    column=classifiers.column(key).template_header,
                    field=key,
                    lang=lang,
                )
            )
    if kind is None and _text(record.get("touchpoint_type")) is not None:
        direction_or_type = [("touchpoint_type", None)]
    else:
        direction_or_type = []
    for key, entry in (("direction", direction), ("client", client), *direction_or_type):
        if entry is not None:
            continue
        column = classifiers.column(key)
        where = {
            "file": record.get("source_file"),
            "sheet": record.get("source_sheet"),
            "row": record.get("source_row"),
            "column": column.template_header,
            "field": key,
            "lang": lang,
        }
        value = _text(record.get(key))
        if value is None:
            problems.append(issue("required-missing", **where))
        else:
            lst = classifiers[key]
            problems.append(
                issue(
                    "value-not-in-list",
                    value=value,
                    list=lst.title,
                    clause=lst.clause,
                    candidates=quote_list(lst.suggest(value), lang) or None,
                    **where,
                )
            )
    return problems


def _excluded_row(record: dict[str, Any], problems: Iterable[Issue]) -> dict[str, Any]:
    problems = list(problems)
    codes = list(dict.fromkeys(p.code for p in problems))
    first = problems[0]
    return {
        "file": record.get("source_file") or first.file,
        "sheet": record.get("source_sheet") or first.sheet,
        "row": record.get("source_row") if "source_row" in record else first.row,
        "touchpoint": _text(record.get("touchpoint")),
        "activity": _text(record.get("activity")),
        "codes": codes,
        "messages": [p.message for p in problems],
    }


def _type_shown(record: dict[str, Any], note: str | None, classifiers: Classifiers) -> str | None:
    """The published type: a type marked ``other`` («иное (пояснить в примечании)») is shown
    with the row's note as its explanation, «иное: стенд в холле» (п. 2.5)."""
    value = _text(record.get("touchpoint_type"))
    kind = classifiers["touchpoint_type"].match(value or "")
    if kind is None or not kind.get("other") or note is None:
        return value
    return f"{kind.label.split(' (')[0]}: {note}"


def _lay_out(
    frame: pd.DataFrame,
    directions: list[Entry | None],
    clients: list[Entry | None],
    classifiers: Classifiers,
) -> pd.DataFrame:
    """The published rows: one per (part, source row), sorted and numbered."""
    sections = sections_of(classifiers)
    section_order = {s.code: i for i, s in enumerate(sections)}
    titles = {s.code: s.title for s in sections}
    direction_order = {e.code: i for i, e in enumerate(classifiers["direction"])}
    keys = _sort_key(frame, classifiers) if len(frame) else None
    other = next((e for e in classifiers["need"] if e.get("other")), None)
    out = []
    for position, record in enumerate(frame.to_dict("records")):
        direction, client = directions[position], clients[position]
        assert direction is not None and client is not None
        needs = list(record.get("needs") or [])
        note = _text(record.get("note"))
        base = {
            "direction_code": direction.code,
            "direction": direction.label,
            "direction_heading": direction_heading(direction),
            "activity": _text(record.get("activity")),
            "activity_kind": _text(record.get("activity_kind")),
            "client": client.label,
            "touchpoint": _text(record.get("touchpoint")),
            "touchpoint_type": _type_shown(record, note, classifiers),
            "channel": _text(record.get("channel")),
            "location": _text(record.get("location")),
            "needs": needs,
            "needs_other": note if other is not None and other.label in needs else None,
            "procedure": _text(record.get("procedure")),
            "operator": _text(record.get("operator")),
            "basis_kind": _text(record.get("basis_kind")),
            "basis": _text(record.get("basis")),
            **{name: record[name] for name in PROVENANCE},
        }
        assert keys is not None
        order = keys.iloc[position]
        for code in client.get("publish_in") or (client.code,):
            out.append(
                {
                    **base,
                    "section": code,
                    "section_title": titles[code],
                    "_order": (
                        section_order[code],
                        direction_order[direction.code],
                        order["activity"],
                        order["type"],
                        order["touchpoint"],
                        order["file"],
                        int(order["row"]),
                    ),
                }
            )
    out.sort(key=lambda r: r["_order"])
    counters: dict[str, int] = {}
    for record in out:
        counters[record["section"]] = counters.get(record["section"], 0) + 1
        record["number"] = counters[record["section"]]
        del record["_order"]
    names = [f.name for f in OPEN_DATA_FIELDS] + ["direction_heading", *PROVENANCE]
    return pd.DataFrame(out, columns=names)


def publish(
    inputs: str | Path | Iterable[str | Path],
    out_dir: str | Path | None = None,
    *,
    classifiers: Classifiers | str | Path | None = None,
    lang: str = "ru",
    as_of: dt.date | None = None,
    approved_by: str | None = None,
    strict: bool = False,
    allow_list: str | Path | None = None,
    allow_empty: bool = False,
) -> Publication:
    """Read and check *inputs* (the subdivisions' files and folders, or a consolidated workbook
    of ``tpcheck merge``) and lay out the rows without errors in the appendix form; the returned
    :class:`Publication`'s ``.write(folder)`` writes the xlsx, the HTML page, the open data and
    publication.json. *as_of* is the version date printed on the outputs (default: today);
    *approved_by* the act of the Department approving the Перечень (п. 5.1), shown in the
    heading — without it the outputs say «проект». With *strict*, any error holds its row back
    (see :meth:`Publication.from_frame`). *allow_list* is a file of fragments the personal-data
    screen may publish as they are, one a line. Inputs that leave nothing to publish (no data row:
    the template, a wrong file; or every row held back by its errors) raise
    :class:`~tpcheck.errors.InputError` — an empty publication would replace a good one — unless
    *allow_empty*.
    *out_dir* (deprecated, for one release) writes them at once, as ``.write(out_dir)`` does."""
    if out_dir is not None:
        warn_out_dir("publish", lang)
    resolved = resolve_classifiers(classifiers)
    frame, report = load_inputs(inputs, classifiers=resolved, lang=lang)
    publication = Publication.from_frame(
        frame,
        report,
        classifiers=resolved,
        lang=lang,
        as_of=as_of,
        approved_by=approved_by,
        strict=strict,
        allow_list=read_allow_list(allow_list),
    )
    if not allow_empty and not publication.summary["rows_published"]:
        names = ", ".join(f"«{info.path}»" for info in report.files if info.status == "ok")
        key = "publish_empty" if not len(frame) else "publish_nothing"
        values = {"names": names, "excluded": publication.summary["rows_excluded"]}
        raise InputError(key=f"errors.{key}", values=values)
    items = [inputs] if isinstance(inputs, str | Path) else list(inputs)
    publication.inputs = tuple(Path(item) for item in items)
    if out_dir is not None:
        publication.write(out_dir)
    return publication
