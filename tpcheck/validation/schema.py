"""The pandera schemas of the sheets «Перечень» and «Требования п. 4.2», generated from the column
spec and the classifiers — never a second, hand-kept list — and the one table that turns pandera's
failure cases into issues.

For every column of the spec (``tpcheck/data/columns.toml``) the schema has:

* ``required`` — a required column is filled (an empty text, None or an empty list fails);
* ``in_list`` — a single-value classifier column holds one of the list's canonical labels (the
  reader has already turned codes, synonyms and look-alike spellings into the label);
* ``items_in_list`` — every element of a multi-value column (the needs of п. 3.7) is a label;
* ``max_length`` — the text is at most ``max_length`` characters (for a multi-value column,
  the cell's original text).

:func:`schema_issues` validates with ``lazy=True`` and maps each row of
``SchemaErrors.failure_cases`` through :data:`CHECKS` (check name → issue code, clause source,
message parameters), the way pandera maps its ``SchemaErrorReason`` to categories in one dict.
All checks are vectorised over whole columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..cells import MAX_CELL_CHARS
from ..classifiers import ClassifierList, Classifiers, Column
from ..findings import Issue, issue, quote_list
from ..frame import PROVENANCE, RAW_SUFFIX, context_of, raw
from .locator import FrameLocator, Table

__all__ = [
    "CHECKS",
    "CheckMapping",
    "column_schema",
    "data_schema",
    "extra_text_issues",
    "requirements_schema",
    "schema_issues",
]

#: How much less similar than the best a label may be and still be suggested with it.
SUGGEST_MARGIN = 0.05

REQUIRED = "required"
IN_LIST = "in_list"
ITEMS_IN_LIST = "items_in_list"
MAX_LENGTH = "max_length"


# ------------------------------------------------------------------------------ checks


def _filled(series: pd.Series) -> pd.Series:
    """True where a cell holds something: not None/NaN, not ``""``, not ``[]``."""
    return series.notna() & series.astype(bool)


def _required() -> pa.Check:
    return pa.Check(_filled, name=REQUIRED, ignore_na=False)


def _in_list(labels: Sequence[str]) -> pa.Check:
    allowed = [*labels, None, ""]

    def check(series: pd.Series) -> pd.Series:
        ok = series.isin(allowed)
        rest = ~ok.to_numpy()
        if rest.any():  # NaN is empty too; only the few values not in the list are looked at
            ok[rest] = series[rest].isna().to_numpy()
        return ok

    return pa.Check(check, name=IN_LIST, ignore_na=False)


def _items_in_list(labels: Sequence[str]) -> pa.Check:
    allowed = list(labels)

    def check(series: pd.Series) -> pd.Series:
        items = series.explode()
        bad = items.notna() & ~items.isin(allowed)
        return pd.Series(~series.index.isin(items.index[bad.to_numpy()]), index=series.index)

    return pa.Check(check, name=ITEMS_IN_LIST, ignore_na=False)


def _max_length(limit: int, labels: Sequence[str] = ()) -> pa.Check:
    # Labels of the list are known to fit (checked when the schema is built), so only the other
    # values need their length measured.
    known = list(labels)

    def check(series: pd.Series) -> pd.Series:
        ok = pd.Series(True, index=series.index)
        rest = series[~series.isin(known)] if known else series
        rest = rest[rest.notna()]
        try:  # texts (all of them, as the reader gives): measured by a C loop
            lengths = np.fromiter(map(len, rest.to_numpy()), dtype=np.int64, count=len(rest))
        except TypeError:  # a number or a list somewhere: pandas measures the texts alone
            lengths = rest.str.len().fillna(0).to_numpy()
        ok[rest.index[lengths > limit]] = False
        return ok

    return pa.Check(check, name=MAX_LENGTH, ignore_na=False)


# ------------------------------------------------------------------------------ schemas


def column_schema(column: Column, classifiers: Classifiers) -> dict[str, pa.Column]:
    """The pandera columns checking one spec column: ``{key: …}`` and, for a multi-value
    column, ``{key_raw: …}`` for the length of the cell's text."""
    checks: list[pa.Check] = [_required()] if column.required else []
    labels: list[str] = []
    if column.classifier is not None:
        labels = classifiers[column.classifier].labels
        checks.append(_items_in_list(labels) if column.multi else _in_list(labels))
    result = {column.key: pa.Column(None, checks=checks, nullable=True, required=False)}
    if column.multi:
        result[raw(column.key)] = pa.Column(
            None, checks=[_max_length(column.max_length)], nullable=True, required=False
        )
    else:
        fitting = [label for label in labels if len(label) <= column.max_length]
        result[column.key].checks.append(_max_length(column.max_length, fitting))
    return result


def _schema(name: str, columns: Sequence[Column], classifiers: Classifiers) -> pa.DataFrameSchema:
    spec: dict[str, pa.Column] = {}
    for column in columns:
        spec.update(column_schema(column, classifiers))
    return pa.DataFrameSchema(spec, name=name, strict=False)


def data_schema(classifiers: Classifiers) -> pa.DataFrameSchema:
    """The schema of the «Перечень» rows of the consolidated frame."""
    return _schema(classifiers.sheets.data, classifiers.columns, classifiers)


def requirements_schema(classifiers: Classifiers) -> pa.DataFrameSchema:
    """The schema of the «Требования п. 4.2» rows (``frame.tpcheck.requirements``)."""
    return _schema(classifiers.sheets.requirements, classifiers.requirement_columns, classifiers)


# ------------------------------------------------------------------------------ failures → issues


@dataclass(frozen=True)
class CheckMapping:
    """How the failures of one pandera check become issues.

    ``code`` — the issue code (tpcheck/data/issues.toml); ``clause`` — where the issue's clause
    comes from: ``"column"`` (the column's clause in the spec), ``"list"`` (the classifier's
    clause) or ``"issue"`` (the code's own clause); ``params`` — the message parameters of one
    failing value; ``items`` — one issue per failing element of a list cell (the element is the
    issue's value) instead of one per cell; ``value`` — ``"raw"`` (the cell's original text) or
    ``"case"`` (the failing value itself)."""

    code: str
    clause: str
    params: Callable[[Column, ClassifierList | None, Any, str], dict[str, Any]]
    items: bool = False
    value: str = "raw"


def _no_params(column: Column, lst: ClassifierList | None, case: Any, lang: str) -> dict:
    return {}


def _list_params(column: Column, lst: ClassifierList | None, case: Any, lang: str) -> dict:
    assert lst is not None
    params: dict[str, Any] = {"list": lst.title}
    # only the labels about as close as the best one: «получение консультацыи» gets
    # «получение консультации» alone, not its more distant neighbours too
    candidates = lst.suggest(case, margin=SUGGEST_MARGIN)
    if candidates:
        params["candidates"] = quote_list(candidates, lang)
    return params


def _length_params(column: Column, lst: ClassifierList | None, case: Any, lang: str) -> dict:
    return {"length": len(str(case)), "limit": column.max_length}


#: pandera check name → how its failures become issues. The one place where this happens.
CHECKS: dict[str, CheckMapping] = {
    REQUIRED: CheckMapping("required-missing", clause="column", params=_no_params),
    IN_LIST: CheckMapping("value-not-in-list", clause="list", params=_list_params),
    ITEMS_IN_LIST: CheckMapping(
        "value-not-in-list", clause="list", params=_list_params, items=True, value="case"
    ),
    MAX_LENGTH: CheckMapping("text-too-long", clause="issue", params=_length_params),
}


def _failure_cases(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return errors.failure_cases
    return pd.DataFrame(columns=["column", "check", "failure_case", "index"])


def _clause(mapping: CheckMapping, column: Column, lst: ClassifierList | None) -> str | None:
    if mapping.clause == "column":
        return column.clause or None
    if mapping.clause == "list" and lst is not None:
        return lst.clause or None
    return None


def _issues(
    schema: pa.DataFrameSchema, table: Table, locator: FrameLocator, classifiers: Classifiers
) -> Iterator[Issue]:
    spec = {column.key: column for column in table.columns}
    cases = _failure_cases(schema, table.frame)
    params_cache: dict[tuple[str, str, str], dict[str, Any]] = {}
    for name, check, case, position in zip(
        cases["column"], cases["check"], cases["failure_case"], cases["index"], strict=True
    ):
        mapping = CHECKS.get(check)
        if mapping is None:
            raise RuntimeError(f"pandera check {check!r} on {name!r} has no entry in CHECKS")
        key = name.removesuffix(RAW_SUFFIX) if name not in spec else name
        column = spec[key]
        lst = classifiers[column.classifier] if column.classifier else None
        position = int(position)
        path = table.file[position]
        if not locator.has_column(path, key):
            continue  # the reader reported the missing column once for the file
        clause = _clause(mapping, column, lst)
        values = case if mapping.items else [case]
        for value in values:
            if mapping.items and lst is not None and value in labels_of(lst):
                continue
            code = mapping.code
            meant = lst.ambiguous(value) if lst is not None and code == "value-not-in-list" else []
            cache_key = (check, key, str(value))
            params = params_cache.get(cache_key)
            if params is None:
                params = params_cache[cache_key] = mapping.params(column, lst, value, locator.lang)
            shown = value if mapping.value == "case" else table.raw(key, position)
            extra = {"clause": clause} if clause else {}
            if meant:  # a word that may mean several values: asked about, never guessed
                params = {**params, "candidates": quote_list(meant, locator.lang)}
                yield locator.cell(
                    "value-ambiguous", table, position, key, shown, **extra, **params
                )
            else:
                yield locator.cell(code, table, position, key, shown, **extra, **params)


_LABELS: dict[int, tuple[ClassifierList, frozenset[str]]] = {}


def labels_of(lst: ClassifierList) -> frozenset[str]:
    """The labels of *lst* as a set (kept per list object)."""
    known = _LABELS.get(id(lst))
    if known is None or known[0] is not lst:
        known = _LABELS[id(lst)] = (lst, frozenset(lst.labels))
    return known[1]


def schema_issues(data: Table, requirements: Table, locator: FrameLocator) -> list[Issue]:
    """The issues of both sheets' schemas, generated from *locator*'s classifiers."""
    classifiers = locator.classifiers
    found = list(_issues(data_schema(classifiers), data, locator, classifiers))
    if len(requirements):
        found += _issues(requirements_schema(classifiers), requirements, locator, classifiers)
    return found


def extra_text_issues(frame: pd.DataFrame, locator: FrameLocator) -> list[Issue]:
    """``text-too-long`` for a text of an unknown extra column (kept by the reader under its
    header) longer than a workbook cell holds: it would be cut when the outputs are written."""
    known = set(PROVENANCE) | {"consolidated_file", "consolidated_row"}
    for column in locator.classifiers.columns:
        known.update((column.key, raw(column.key)))
    # the reader names each extra column's header cell (``column-unknown``): its letters
    letters = {
        (item.file, item.column): item.cell.rstrip("0123456789")
        for item in context_of(frame).issues
        if item.code == "column-unknown" and item.cell
    }
    found: list[Issue] = []
    for name in frame.columns:
        if name in known or frame[name].dtype != object:
            continue
        values = frame[name].to_numpy(dtype=object)
        lengths = frame[name].str.len().to_numpy(dtype=float, na_value=0)  # not a text: NaN
        for position in np.flatnonzero(lengths > MAX_CELL_CHARS):
            path = frame["source_file"].iat[position]
            row = int(frame["source_row"].iat[position])
            column = letters.get((path, name))
            found.append(
                issue(
                    "text-too-long",
                    lang=locator.lang,
                    file=path,
                    sheet=frame["source_sheet"].iat[position],
                    row=row,
                    column=str(name),
                    cell=f"{column}{row}" if column else None,
                    value=values[position],
                    length=len(values[position]),
                    limit=MAX_CELL_CHARS,
                )
            )
    return found
