"""Problems are records, not exceptions: :class:`Issue`, the table of issue codes, :class:`Report`.

Every finding has a stable ``code`` from ``tpcheck/data/issues.toml`` (documented in
docs/issues.md), a ``severity`` (``error`` leaves the row out of the published Перечень,
``warning`` is shown and kept, ``notice`` tells the clerk a value was read differently from how
it was written, or a row or sheet was skipped — never counted as a problem), the ``clause`` it
rests on, where it is (file, sheet, Excel row, column header, A1 cell), the original value, a plain
message and, where one exists, a suggestion.
"""

from __future__ import annotations

import string
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

from .i18n import LANGS

__all__ = [
    "ISSUE_FIELDS",
    "LANGS",
    "FileInfo",
    "Issue",
    "IssueType",
    "Report",
    "issue",
    "issue_types",
    "quote_list",
]

SEVERITIES = ("error", "warning", "notice")
#: Severities from the worst: an error outranks a warning, a warning a notice.
RANK = {severity: index for index, severity in enumerate(SEVERITIES)}
SCOPES = ("file", "cell", "row")


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding. ``row`` is the Excel row number the clerk sees; ``column`` the header as it
    is in the clerk's file; ``field`` the column's key in the column spec; ``used`` (notices)
    the value the tool read in place of the original ``value``."""

    code: str
    severity: str
    clause: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    value: str | None = None
    message: str = ""
    suggestion: str | None = None
    field: str | None = None
    used: str | None = None

    def to_dict(self) -> dict[str, Any]:
        # as dataclasses.asdict (every field is a plain value), without its deep copy
        return {name: getattr(self, name) for name in self.__slots__}


#: The keys of an issue in report.json, the issues DataFrame and the error reports, in order.
ISSUE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Issue))


@dataclass(frozen=True)
class IssueType:
    """One row of the table of codes (``tpcheck/data/issues.toml``)."""

    code: str
    severity: str
    scope: str
    clause: str
    title: Mapping[str, str]
    message: Mapping[str, str]
    suggestion: Mapping[str, str]

    def render(self, what: str, lang: str, values: Mapping[str, Any]) -> str | None:
        template = (self.message if what == "message" else self.suggestion).get(lang)
        if template is None:
            return None
        names = _field_names(template)
        if not names.issubset(values.keys()):
            if what == "suggestion":
                return None
            missing = sorted(names - set(values))
            raise KeyError(f"issue {self.code!r}: no value for {missing} in its message")
        return template.format_map({name: _quoted(name, values[name]) for name in names})


@cache
def _field_names(template: str) -> frozenset[str]:
    """The ``{names}`` a message template uses (parsed once per template)."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


#: Characters of a parameter quoted in a message or suggestion: a cell's value only has to be
#: recognised there (it is whole in the issue's ``value``), and no message may outgrow what one
#: spreadsheet cell holds (32,767 characters) — a hostile file can hold values of any length.
_QUOTE_LIMITS = {"value": 200}
_QUOTE_LIMIT = 4000


def _quoted(name: str, value: Any) -> str:
    text = _text(value)
    limit = _QUOTE_LIMITS.get(name, _QUOTE_LIMIT)
    return text if len(text) <= limit else text[:limit] + "…"


@cache
def issue_types() -> dict[str, IssueType]:
    """The table of issue codes, by code."""
    text = resources.files("tpcheck.data").joinpath("issues.toml").read_text(encoding="utf-8")
    table: dict[str, IssueType] = {}
    for raw in tomllib.loads(text)["issue"]:
        code = raw["code"]
        if code in table:
            raise ValueError(f"issues.toml: code {code!r} is listed twice")
        if raw["severity"] not in SEVERITIES or raw["scope"] not in SCOPES:
            raise ValueError(f"issues.toml: {code!r} has a bad severity or scope")
        table[code] = IssueType(
            code=code,
            severity=raw["severity"],
            scope=raw["scope"],
            clause=raw["clause"],
            title={lang: raw[f"title_{lang}"] for lang in LANGS},
            message={lang: raw[f"message_{lang}"] for lang in LANGS},
            suggestion={
                lang: raw[f"suggestion_{lang}"] for lang in LANGS if f"suggestion_{lang}" in raw
            },
        )
    return table


def quote_list(values: Iterable[str], lang: str = "ru") -> str:
    """``«a», «b» или «c»`` (``or`` in English): how candidates are named in suggestions."""
    quoted = [f"«{v}»" for v in values]
    if len(quoted) <= 1:
        return "".join(quoted)
    joiner = " или " if lang == "ru" else " or "
    return ", ".join(quoted[:-1]) + joiner + quoted[-1]


def issue(
    code: str,
    *,
    lang: str = "ru",
    file: str | None = None,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    cell: str | None = None,
    value: Any = None,
    field: str | None = None,
    clause: str | None = None,
    suggestion: str | None = None,
    used: Any = None,
    **params: Any,
) -> Issue:
    """Make an :class:`Issue` of the type *code*, its message and suggestion rendered in *lang*
    from the table's templates with *params* (and the location given)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    kind = issue_types()[code]
    clause = clause or kind.clause
    text_value = None if value is None else str(value)
    values = {
        "file": file,
        "sheet": sheet,
        "row": row,
        # the template marks required headers with « *»; a message names the column without it
        "column": column.rstrip(" *") if column else column,
        "cell": cell,
        "value": text_value,
        "clause": clause,
        **({} if used is None else {"used": str(used)}),
        **params,
    }
    if suggestion is None:
        suggestion = kind.render("suggestion", lang, values)
    return Issue(
        code=code,
        severity=kind.severity,
        clause=clause,
        file=file,
        sheet=sheet,
        row=None if row is None else int(row),
        column=column,
        cell=cell,
        value=text_value,
        message=kind.render("message", lang, values) or "",
        suggestion=suggestion,
        field=field,
        used=None if used is None else str(used),
    )


@dataclass
class FileInfo:
    """What the reader met in one input file (one object of ``files`` in report.json).

    ``status`` is ``ok`` (read), ``skipped`` (not a submission: a lock file, a non-spreadsheet in a
    folder, a repeated file) or ``unreadable``; ``rows`` the data rows taken from it.
    ``columns`` maps column keys to ``(zero-based column index, header as written)`` on the data
    sheet, ``requirement_columns`` the same on the «Требования п. 4.2» sheet.
    """

    path: str
    status: str = "ok"
    rows: int = 0
    format: str | None = None
    size: int | None = None
    sha256: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    columns: dict[str, tuple[int, str]] = field(default_factory=dict)
    extra_columns: list[str] = field(default_factory=list)
    requirements_sheet: str | None = None
    requirement_rows: int = 0
    requirement_header_row: int | None = None
    requirement_columns: dict[str, tuple[int, str]] = field(default_factory=dict)
    ignored_sheets: list[str] = field(default_factory=list)
    #: when rows come from several sheets: their names, and each one's layout (as ``columns``)
    sheets: list[str] = field(default_factory=list)
    sheet_columns: dict[str, dict[str, tuple[int, str]]] = field(default_factory=dict)
    subdivision: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["columns"] = {k: list(v) for k, v in self.columns.items()}
        data["requirement_columns"] = {k: list(v) for k, v in self.requirement_columns.items()}
        data["sheet_columns"] = {
            sheet: {k: list(v) for k, v in columns.items()}
            for sheet, columns in self.sheet_columns.items()
        }
        return data


_COUNT_KEYS = {"error": "errors", "warning": "warnings", "notice": "notices"}
_NO_COUNTS = {"errors": 0, "warnings": 0, "notices": 0}


class Report:
    """The findings of a run: ``valid``, ``issues`` (a DataFrame), ``records`` (the
    :class:`Issue` list), ``files``, ``summary`` and :meth:`to_dict` (= report.json)."""

    def __init__(
        self,
        issues: Iterable[Issue] = (),
        files: Sequence[FileInfo] = (),
        *,
        rows: int = 0,
        rows_with_errors: int | None = None,
        lang: str = "ru",
        extra: Mapping[str, Any] | None = None,
    ):
        self.files = list(files)
        order = {info.path: i for i, info in enumerate(self.files)}
        self.records: list[Issue] = sorted(
            issues,
            key=lambda i: (
                order.get(i.file or "", len(order)),
                i.file or "",
                i.sheet or "",
                i.row or 0,
                len(i.cell or ""),
                i.cell or "",
                i.code,
            ),
        )
        self.lang = lang
        self.rows = rows
        if rows_with_errors is None:
            rows_with_errors = len(
                {
                    (i.file, i.sheet, i.row)
                    for i in self.records
                    if i.severity == "error" and i.row is not None
                }
            )
        self.rows_with_errors = rows_with_errors
        self.extra = dict(extra or {})

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"<Report valid={self.valid} files={s['files']} rows={s['rows']} "
            f"errors={s['errors']} warnings={s['warnings']} notices={s['notices']}>"
        )

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    @property
    def valid(self) -> bool:
        """True when no issue is an error."""
        return not any(i.severity == "error" for i in self.records)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.records if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.records if i.severity == "warning"]

    @property
    def problems(self) -> list[Issue]:
        """The errors and warnings, without the notices."""
        return [i for i in self.records if i.severity != "notice"]

    @property
    def notices(self) -> list[Issue]:
        """Values read differently from how they were written, rows and sheets skipped."""
        return [i for i in self.records if i.severity == "notice"]

    @property
    def issues(self) -> pd.DataFrame:
        """The issues as a DataFrame with the columns of :data:`ISSUE_FIELDS`."""
        frame = pd.DataFrame([asdict(i) for i in self.records], columns=list(ISSUE_FIELDS))
        frame["row"] = frame["row"].astype("Int64")
        return frame

    @property
    def summary(self) -> dict[str, Any]:
        severities = Counter(i.severity for i in self.records)
        statuses = Counter(info.status for info in self.files)
        return {
            "files": len(self.files),
            "files_ok": statuses.get("ok", 0),
            "files_skipped": statuses.get("skipped", 0),
            "files_unreadable": statuses.get("unreadable", 0),
            "rows": self.rows,
            "rows_with_errors": self.rows_with_errors,
            "errors": severities.get("error", 0),
            "warnings": severities.get("warning", 0),
            "notices": severities.get("notice", 0),
            "by_code": dict(sorted(Counter(i.code for i in self.records).items())),
            **self.extra,
        }

    def file_counts(self) -> dict[str | None, dict[str, int]]:
        """Errors, warnings and notices per file."""
        counts: dict[str | None, dict[str, int]] = {}
        for item in self.records:
            entry = counts.setdefault(item.file, dict(_NO_COUNTS))
            entry[_COUNT_KEYS[item.severity]] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data: exactly what report.json holds."""
        counts = self.file_counts()
        files = []
        for info in self.files:
            entry = info.to_dict()
            entry.update(counts.get(info.path, _NO_COUNTS))
            files.append(entry)
        return {
            "valid": self.valid,
            "lang": self.lang,
            "files": files,
            "issues": [i.to_dict() for i in self.records],
            "summary": self.summary,
        }

    def flatten(
        self,
        keys: Sequence[str] = ("row", "field", "code"),
        severities: Sequence[str] = SEVERITIES,
    ) -> list[list[Any]]:
        """The issues (of *severities*) as rows of the given keys, for compact assertions:
        ``report.flatten(["row", "field", "code"]) == [[3, "needs", "value-not-in-list"]]``."""
        return [[getattr(i, key) for key in keys] for i in self.records if i.severity in severities]

    def _repr_html_(self) -> str:
        """The notebook table, all of it in the report's ``lang`` (:mod:`tpcheck.notebook`)."""
        from .notebook import findings_html

        return findings_html(self, self.lang)
