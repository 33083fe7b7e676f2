"""Validation: the consolidated frame → a :class:`~tpcheck.findings.Report` of every issue.

``tpcheck.validate(frame)`` runs, on a frame of the read contract (:mod:`tpcheck.frame`):

1. the pandera schemas generated from the column spec and the classifiers (:mod:`.schema`):
   required cells, values in their lists, text lengths — on «Перечень» and «Требования п. 4.2»;
2. the cross-row rules of the regulation (:mod:`.rules`, :mod:`.requirement_rules`);
   the notices of the values the reader rewrote (:mod:`.rewrites`);
3. with ``roster`` and/or ``registry``, the completeness checks (:mod:`.completeness`).

The report holds the reader's issues (from the frame's ReadContext) and these, the files met, and
the number of rows. See docs/validation.md for every code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..classifiers import Column
from ..findings import LANGS, Issue, Report
from ..frame import context_of
from ..gcpause import paused_gc
from ..reading.registry import load_registry, load_roster
from .completeness import registry_code_column, registry_issues, roster_issues
from .locator import FrameLocator, Table
from .rewrites import rewrite_issues
from .rules import CROSS_FILE_RULES, FILE_RULES, rule_issues
from .schema import extra_text_issues, schema_issues

__all__ = ["checked_report", "validate"]


def validate(
    frame: pd.DataFrame,
    *,
    lang: str = "ru",
    roster: str | Path | Sequence[str] | None = None,
    registry: str | Path | pd.DataFrame | None = None,
) -> Report:
    """Check *frame* (what :func:`tpcheck.read` returns) against the regulation.

    *lang* (``"ru"`` or ``"en"``) is the language of the messages. *roster* — the subdivisions
    expected to submit (a list of names, or a .txt/.csv/.xlsx file, see
    :func:`tpcheck.load_roster`); *registry* — the Department's registry of processes (a
    .csv/.xlsx file or a DataFrame, see :func:`tpcheck.load_registry`).

    With a registry, ``report.extra["registry"]`` (also in report.json's ``summary``) is
    ``{"file": <the registry's path as str, None for a DataFrame>, "entries": [...]}``: one dict
    per registry entry in the registry's order with ``file``, ``sheet``, ``row`` (where the entry
    is; None for a DataFrame's file and sheet), ``code``, ``direction``, ``kind``, ``activity``,
    ``subdivision`` (None where empty), ``touchpoints`` (rows of the Перечень linked to the entry)
    and ``digital`` (of those, the rows whose channel is «цифровая»).
    """
    return checked_report(frame, lang=lang, roster=roster, registry=registry)[0]


def checked_report(
    frame: pd.DataFrame,
    *,
    lang: str = "ru",
    roster: str | Path | Sequence[str] | None = None,
    registry: str | Path | pd.DataFrame | None = None,
    known: Mapping[str, list[Issue]] | None = None,
) -> tuple[Report, dict[str, list[Issue]]]:
    """:func:`validate`, with the per-file checks (the schemas, the rules of one file's rows,
    the rewrites) of the files in *known* (path → their findings, as an earlier run made them)
    taken from there instead of made again. Returns the report and the per-file checks'
    findings of the other files, by path (for the merge cache); findings that name no file of
    the frame are under ``None``. The cross-file rules, the roster and the registry are always
    checked on every row."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    context = context_of(frame)
    classifiers = context.classifiers
    locator = FrameLocator(context, lang)
    data = Table(frame, classifiers.columns)
    requirements = Table(context.requirements, classifiers.requirement_columns)
    issues: list[Issue] = list(context.issues)
    known = dict(known or {})
    with paused_gc():  # tens of thousands of issues made, none in a cycle
        fresh_data, fresh_requirements = data, requirements
        if known:
            fresh_data = _without(frame, known, classifiers.columns)
            fresh_requirements = _without(
                context.requirements, known, classifiers.requirement_columns
            )
        per_file = schema_issues(fresh_data, fresh_requirements, locator)
        per_file += rule_issues(fresh_data, fresh_requirements, locator, FILE_RULES)
        per_file += rewrite_issues(fresh_data, fresh_requirements, locator)
        per_file += [i for i in extra_text_issues(frame, locator) if i.file not in known]
        for found in known.values():
            issues += found
        issues += per_file
        issues += rule_issues(data, requirements, locator, CROSS_FILE_RULES)
    fresh: dict[str | None, list[Issue]] = {}
    files = {info.path for info in context.files}
    for item in per_file:
        fresh.setdefault(item.file if item.file in files else None, []).append(item)
    extra: dict[str, Any] = {}
    if roster is not None:
        names = load_roster(roster, classifiers)
        found, missing = roster_issues(data, context.files, names, locator)
        issues += found
        extra["missing_subdivisions"] = missing
    if registry is not None:
        entries = load_registry(registry, classifiers)
        code_column = registry_code_column(frame, classifiers)
        codes = frame[code_column] if code_column is not None else None
        found, linked = registry_issues(data, entries, locator, codes)
        issues += found
        extra["registry"] = {
            "file": str(registry) if isinstance(registry, str | Path) else None,
            "entries": linked,
        }
    report = Report(
        issues,
        context.files,
        rows=len(frame),
        rows_with_errors=_rows_with_errors(issues, data),
        lang=lang,
        extra=extra,
    )
    return report, fresh  # type: ignore[return-value]


def _without(
    frame: pd.DataFrame | None, known: Mapping[str, list[Issue]], columns: Sequence[Column]
) -> Table:
    """The :class:`Table` of the rows of *frame* whose file is not in *known*."""
    if frame is not None and len(frame):
        frame = frame[~frame["source_file"].isin(list(known)).to_numpy()]
    return Table(frame, columns)


def _rows_with_errors(issues: Sequence[Issue], data: Table) -> int:
    """Rows of the «Перечень» sheets with at least one error (an error on the «Требования п. 4.2»
    sheet or about a whole file counts no row)."""
    data_rows = set(zip(data.file.tolist(), data.sheet.tolist(), data.row.tolist(), strict=True))
    return len(
        {
            (i.file, i.sheet, i.row)
            for i in issues
            if i.severity == "error" and (i.file, i.sheet, i.row) in data_rows
        }
    )
