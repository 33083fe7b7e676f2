"""The checks the regulation implies beyond single cells: each with its stable code (see
docs/validation.md). Every threshold, group, channel and pattern is read from the classifiers.

Checks of the «Перечень» rows: ``channel-mismatch`` (вид contradicts the type, п. 4.1, 2.8, 2.9),
``other-need-without-note`` (п. 3.7 10)), ``other-type-without-note`` (п. 2.5),
``basis-without-requisites`` (п. 3.6), ``duplicate-touchpoint`` and ``duplicate-across-files``
(п. 3.7), ``location-mismatch`` (п. 2.5), ``direction-client-mismatch`` (п. 3.5 6), 2.3),
``number-duplicate``.

Checks of the «Требования п. 4.2» rows: ``requirement-row-unknown``,
``requirement-not-applicable``, ``requirement-bad-value``, ``requirement-over-limit``,
``requirement-not-met``, ``requirement-duplicate``; and of the key touchpoints without any of
them: ``requirements-missing``.

How a requirement row names its touchpoint: ``row_ref`` holds the № (column ``number``) of a row
of the same file's «Перечень». A file whose «Перечень» has no № filled at all (no № column, or an
empty one) is referenced by Excel row numbers instead: ``row_ref`` is then the row number the
clerk sees on the «Перечень» sheet.

All checks are vectorised over whole columns; Python loops run only over the rows found.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from .classifiers import Classifiers, Entry
from .findings import Issue, quote_list
from .locator import Locator, Table
from .text import match_key

__all__ = ["RULES", "Facts", "parse_number", "reference_key", "rule_issues"]

#: How the value of a requirement of each kind is described in requirement-bad-value; the kinds
#: are the closed set of tpcheck/classifiers.py (``yes_no`` names the labels of its list).
_NUMBER_EXPECTED = {"ru": "число ({unit})", "en": "a number ({unit})"}

_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([^\W\d_][^\d]*)?$")
_REFERENCE_PREFIX = re.compile(r"^(?:№|n|no|п/п)\s*\.?\s*")


def reference_key(text: Any) -> str | None:
    """What a № and a reference to it are compared on: ``"№ 3."`` → ``"3"``."""
    if text is None or (isinstance(text, float) and text != text):
        return None
    key = _REFERENCE_PREFIX.sub("", match_key(text)).rstrip(")")
    return key or None


def parse_number(text: Any, unit: str = "") -> float | None:
    """The number a requirement's value gives: ``"3"``, ``"3,5"``, ``"3 ч"``, ``"2 часа"``; None
    when it is not a number, or when its unit is not *unit* (``"3 мин"`` for hours)."""
    if text is None:
        return None
    found = _NUMBER.match(str(text).replace("\xa0", " "))
    if not found:
        return None
    written = match_key(found.group(2) or "").rstrip(". ")
    expected = match_key(unit)
    if (
        written
        and expected
        and not (written.startswith(expected[:3]) or expected.startswith(written))
    ):
        return None
    return float(found.group(1).replace(",", "."))


def _format_number(value: float, lang: str) -> str:
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "ru" else text


def _positions(mask: pd.Series | np.ndarray) -> list[int]:
    return np.flatnonzero(np.asarray(mask, dtype=bool)).tolist()


def _filled(series: pd.Series) -> pd.Series:
    return series.notna() & series.astype(bool)


def _keys(series: pd.Series, function: Callable[[Any], Any] = match_key) -> pd.Series:
    """*function* of every value of *series*, computed once per distinct value; NaN for an
    empty cell or an empty result."""
    present = series[_filled(series)]
    mapping = {value: function(value) or None for value in pd.unique(present)}
    return series.map(mapping)


class Facts:
    """What the rules share: the two tables, the classifiers, the locator, and the derived
    columns (match keys, the rows requirement rows refer to …), each computed once."""

    def __init__(self, data: Table, requirements: Table, locator: Locator):
        self.data = data
        self.requirements = requirements
        self.locator = locator
        self.classifiers: Classifiers = locator.classifiers
        self.lang = locator.lang
        self._arrays: dict[tuple[str, str], np.ndarray] = {}

    # ------------------------------------------------------------------ helpers

    def values(self, key: str, table: str = "data") -> np.ndarray:
        """Column *key* of the data (or requirements) table as an array."""
        cached = self._arrays.get((table, key))
        if cached is None:
            frame = (self.data if table == "data" else self.requirements).frame
            cached = self._arrays[(table, key)] = frame[key].to_numpy(dtype=object)
        return cached

    def column(self, key: str) -> pd.Series:
        return self.data.frame[key]

    def data_sheet(self, path: Any) -> str:
        info = self.locator.info(path)
        return (info.sheet if info and info.sheet else None) or self.classifiers.sheets.data

    def requirements_sheet(self, path: Any) -> str:
        info = self.locator.info(path)
        name = info.requirements_sheet if info else None
        return name or self.classifiers.sheets.requirements

    def at(self, key: str, fallback: str, position: int) -> str:
        """*key* when the row's file has that column, else *fallback* (an optional column the
        file lacks: the issue goes to the cell it is about instead)."""
        return key if self.locator.has_column(self.data.file[position], key) else fallback

    # ------------------------------------------------------------------ derived columns

    @cached_property
    def type_entries(self) -> dict[str, Entry]:
        return {entry.label: entry for entry in self.classifiers["touchpoint_type"]}

    @cached_property
    def activity_key(self) -> pd.Series:
        return _keys(self.column("activity"))

    @cached_property
    def touchpoint_key(self) -> pd.Series:
        return _keys(self.column("touchpoint"))

    @cached_property
    def keyed(self) -> pd.DataFrame:
        """File, activity key and touchpoint key of the rows that have both."""
        frame = pd.DataFrame(
            {
                "file": self.column("source_file"),
                "activity": self.activity_key,
                "touchpoint": self.touchpoint_key,
            }
        )
        return frame[frame["activity"].notna() & frame["touchpoint"].notna()]

    @cached_property
    def number_key(self) -> pd.Series:
        return _keys(self.column("number"), reference_key)

    @cached_property
    def numbered_files(self) -> set[Any]:
        """Files whose «Перечень» has at least one № filled (referenced by №)."""
        return set(pd.unique(self.column("source_file")[self.number_key.notna()]))

    @cached_property
    def data_reference(self) -> pd.Series:
        """Per data row, the key requirement rows name it by: its № in a numbered file, its
        Excel row number otherwise (NaN for an unnumbered row of a numbered file)."""
        numbered = self.column("source_file").isin(self.numbered_files)
        by_row = self.column("source_row").astype("int64").astype(str)
        return self.number_key.where(numbered, by_row)

    @cached_property
    def target(self) -> np.ndarray:
        """Per requirement row, the position of the data row it refers to (-1 when none)."""
        requirements = self.requirements.frame
        if not len(requirements):
            return np.empty(0, dtype=np.int64)
        lookup = pd.DataFrame(
            {
                "file": self.column("source_file"),
                "ref": self.data_reference,
                "position": np.arange(len(self.data), dtype=np.int64),
            }
        )
        lookup = lookup[lookup["ref"].notna()].drop_duplicates(["file", "ref"])
        wanted = pd.DataFrame(
            {
                "file": requirements["source_file"],
                "ref": _keys(requirements["row_ref"], reference_key),
            }
        )
        merged = wanted.merge(lookup, on=["file", "ref"], how="left")
        return merged["position"].fillna(-1).astype(np.int64).to_numpy()

    @cached_property
    def requirement_entries(self) -> pd.Series:
        """Per requirement row, its :class:`Entry` (NaN when the requirement is not known)."""
        entries = {entry.label: entry for entry in self.classifiers["requirement"]}
        return self.requirements.frame["requirement"].map(entries)

    def requirement_attribute(self, name: str) -> pd.Series:
        """Per requirement row, the key *name* of its entry (``group``, ``kind``, ``limit`` …);
        NaN when the requirement is not known."""
        values = {entry.label: entry.get(name) for entry in self.classifiers["requirement"]}
        return self.requirements.frame["requirement"].map(values)

    def requirement_params(self, position: int) -> dict[str, Any]:
        entry: Entry = self.requirement_entries.iloc[position]
        return {
            "requirement": f"«{entry.label}»",
            "requirement_clause": entry.clause,
            "clause": entry.clause,
        }


# ---------------------------------------------------------------------------------- Перечень


def channel_mismatch(facts: Facts) -> Iterator[Issue]:
    """The вид contradicts the type's ``channel`` (a type with ``channel = "any"`` takes both)."""
    channels = facts.classifiers["channel"]
    codes = set(channels.codes)
    implied = {
        label: channels.by_code(entry.get("channel")).label
        for label, entry in facts.type_entries.items()
        if entry.get("channel") in codes
    }
    expected = facts.column("touchpoint_type").map(implied)
    given = facts.column("channel")
    mask = expected.notna() & given.isin(channels.labels) & (given != expected)
    types = facts.values("touchpoint_type")
    wanted = expected.to_numpy(dtype=object)
    for position in _positions(mask):
        yield facts.locator.cell(
            "channel-mismatch",
            facts.data,
            position,
            "channel",
            type=types[position],
            expected=wanted[position],
        )


def _without_note(facts: Facts, code: str, key: str, list_name: str) -> Iterator[Issue]:
    flagged = [entry.label for entry in facts.classifiers[list_name] if entry.get("other")]
    if not flagged:
        return
    values = facts.column(key)
    if facts.classifiers.column(key).multi:
        items = values.explode()
        chosen = np.zeros(len(values), dtype=bool)
        chosen[pd.unique(items.index[items.isin(flagged).to_numpy()])] = True
    else:
        chosen = values.isin(flagged).to_numpy()
    mask = chosen & ~_filled(facts.column("note")).to_numpy()
    for position in _positions(mask):
        yield facts.locator.cell(code, facts.data, position, facts.at("note", key, position))


def other_need_without_note(facts: Facts) -> Iterator[Issue]:
    """A need marked ``other`` (п. 3.7 10)) is chosen and the note is empty."""
    yield from _without_note(facts, "other-need-without-note", "needs", "need")


def other_type_without_note(facts: Facts) -> Iterator[Issue]:
    """A touchpoint type marked ``other`` is chosen and the note is empty."""
    yield from _without_note(facts, "other-type-without-note", "touchpoint_type", "touchpoint_type")


def basis_without_requisites(facts: Facts) -> Iterator[Issue]:
    """A basis kind with ``needs_requisites = true`` and no requisites (п. 3.6)."""
    kinds = [e.label for e in facts.classifiers["basis_kind"] if e.get("needs_requisites")]
    kind = facts.column("basis_kind")
    mask = kind.isin(kinds) & ~_filled(facts.column("basis"))
    given = facts.values("basis_kind")
    for position in _positions(mask):
        yield facts.locator.cell(
            "basis-without-requisites",
            facts.data,
            position,
            facts.at("basis", "basis_kind", position),
            basis_kind=given[position],
        )


def _merged_needs(facts: Facts, positions: list[int]) -> str:
    labels = facts.classifiers["need"].labels
    chosen: list[str] = []
    for position in positions:
        for need in facts.values("needs")[position] or ():
            if need not in chosen:
                chosen.append(need)
    order = {label: index for index, label in enumerate(labels)}
    chosen.sort(key=lambda need: order.get(need, len(order)))
    return "; ".join(chosen)


def duplicate_touchpoint(facts: Facts) -> Iterator[Issue]:
    """The same touchpoint twice for the same activity within one file (п. 3.7: one touchpoint
    per process, its needs listed): an error at every repeat, the merged needs suggested."""
    keyed = facts.keyed
    repeated = keyed[keyed.duplicated(["file", "activity", "touchpoint"], keep=False)]
    rows, touchpoints, activities = (
        facts.data.row,
        facts.values("touchpoint"),
        facts.values("activity"),
    )
    for _, group in repeated.groupby(["file", "activity", "touchpoint"], sort=False):
        positions = group.index.tolist()
        first, needs = positions[0], _merged_needs(facts, positions)
        for position in positions[1:]:
            yield facts.locator.cell(
                "duplicate-touchpoint",
                facts.data,
                position,
                "touchpoint",
                touchpoint=touchpoints[position],
                activity=activities[position],
                first_row=int(rows[first]),
                needs=needs,
            )


def duplicate_across_files(facts: Facts) -> Iterator[Issue]:
    """The same touchpoint for the same activity sent in two files: a warning at the first such
    row of each file, naming the first such row of another file."""
    keyed = facts.keyed
    firsts = keyed[~keyed.duplicated(["file", "activity", "touchpoint"])]
    shared = firsts[firsts.duplicated(["activity", "touchpoint"], keep=False)]
    rows, touchpoints, activities = (
        facts.data.row,
        facts.values("touchpoint"),
        facts.values("activity"),
    )
    for _, group in shared.groupby(["activity", "touchpoint"], sort=False):
        members = list(zip(group.index.tolist(), group["file"].tolist(), strict=True))
        for position, path in members:
            other, other_path = next((p, f) for p, f in members if f != path)
            yield facts.locator.cell(
                "duplicate-across-files",
                facts.data,
                position,
                "touchpoint",
                touchpoint=touchpoints[position],
                activity=activities[position],
                other_file=other_path,
                other_row=int(rows[other]),
            )


def location_mismatch(facts: Facts) -> Iterator[Issue]:
    """A filled location that does not fit the pattern of the type's ``location`` kind."""
    location = facts.column("location")
    filled = _filled(location)
    types = facts.column("touchpoint_type")
    type_values = facts.values("touchpoint_type")
    for kind in facts.classifiers["location"]:
        labels = [
            label
            for label, entry in facts.type_entries.items()
            if entry.get("location") == kind.code
        ]
        candidates = location[filled & types.isin(labels)]
        if candidates.empty:
            continue
        with warnings.catch_warnings():  # the pattern's groups are not wanted here
            warnings.simplefilter("ignore", UserWarning)
            fits = candidates.str.contains(kind.get("pattern"), regex=True)
        for position in candidates.index[~fits.to_numpy(dtype=bool)].tolist():
            yield facts.locator.cell(
                "location-mismatch",
                facts.data,
                position,
                "location",
                type=type_values[position],
                expected=kind.label,
                expected_en=kind.get("label_en") or kind.label,
            )


def direction_client_mismatch(facts: Facts) -> Iterator[Issue]:
    """A direction whose ``clients`` do not include the row's client (direction 6 — relations
    with the internal client — with an external client)."""
    clients = facts.classifiers["client"]
    codes = set(clients.codes)
    direction, client = facts.column("direction"), facts.column("client")
    for entry in facts.classifiers["direction"]:
        allowed = [
            clients.by_code(code).label for code in entry.get("clients", ()) if code in codes
        ]
        if not allowed:
            continue
        mask = (direction == entry.label) & client.isin(clients.labels) & ~client.isin(allowed)
        expected = quote_list(allowed, facts.lang)
        for position in _positions(mask):
            yield facts.locator.cell(
                "direction-client-mismatch",
                facts.data,
                position,
                "client",
                direction=entry.label,
                expected=expected,
            )


def number_duplicate(facts: Facts) -> Iterator[Issue]:
    """The same № twice in one file: references from «Требования п. 4.2» become ambiguous."""
    keyed = pd.DataFrame({"file": facts.column("source_file"), "number": facts.number_key})
    keyed = keyed[keyed["number"].notna()]
    repeated = keyed[keyed.duplicated(["file", "number"], keep=False)]
    for (path, _), group in repeated.groupby(["file", "number"], sort=False):
        positions = group.index.tolist()
        for position in positions[1:]:
            yield facts.locator.cell(
                "number-duplicate",
                facts.data,
                position,
                "number",
                first_row=int(facts.data.row[positions[0]]),
                requirements_sheet=facts.requirements_sheet(path),
            )


# ---------------------------------------------------------------------------------- п. 4.2


def requirement_row_unknown(facts: Facts) -> Iterator[Issue]:
    """``row_ref`` names no row of the file's «Перечень» (by №, or by Excel row in a file
    without №)."""
    table = facts.requirements
    if not len(table):
        return
    mask = _filled(table.frame["row_ref"]).to_numpy() & (facts.target < 0)
    data_rows = pd.Series(facts.data.row).groupby(facts.data.file).agg(["min", "max"])
    for position in _positions(mask):
        path = table.file[position]
        params: dict[str, Any] = {"data_sheet": facts.data_sheet(path)}
        if path not in facts.numbered_files and path in data_rows.index:
            params.update(
                number_header=facts.locator.header(path, "number"),
                first_row=int(data_rows.loc[path, "min"]),
                last_row=int(data_rows.loc[path, "max"]),
            )
        yield facts.locator.cell("requirement-row-unknown", table, position, "row_ref", **params)


def requirement_not_applicable(facts: Facts) -> Iterator[Issue]:
    """The requirement's group is not among the ``requirements`` of the referenced touchpoint's
    type."""
    table = facts.requirements
    if not len(table):
        return
    target = facts.target
    resolved = target >= 0
    types = np.full(len(table), None, dtype=object)
    types[resolved] = facts.values("touchpoint_type")[target[resolved]]
    groups = facts.requirement_attribute("group")
    pairs = pd.MultiIndex.from_arrays([types, groups.to_numpy(dtype=object)])
    allowed = [
        (label, group)
        for label, entry in facts.type_entries.items()
        for group in entry.get("requirements", ())
    ]
    known_type = pd.Series(types, dtype=object).isin(list(facts.type_entries)).to_numpy()
    mask = resolved & known_type & groups.notna().to_numpy() & ~pairs.isin(allowed)
    row_refs = facts.values("row_ref", "requirements")
    for position in _positions(mask):
        type_entry = facts.type_entries[types[position]]
        params = {**facts.requirement_params(position), "type": types[position]}
        params["row_ref"] = row_refs[position]
        if type_entry.get("requirements"):
            params["groups"] = ", ".join(f"п. {g}" for g in type_entry.get("requirements"))
        yield facts.locator.cell(
            "requirement-not-applicable", table, position, "requirement", **params
        )


def requirement_values(facts: Facts) -> Iterator[Issue]:
    """A value of the wrong kind (``requirement-bad-value``), a number beyond the limit
    (``requirement-over-limit``, citing the sub-clause), a yes/no requirement answered with the
    ``no`` entry (``requirement-not-met``)."""
    table = facts.requirements
    if not len(table):
        return
    entries = facts.requirement_entries
    value = table.frame["value"]
    filled = _filled(value) & entries.notna()
    kinds = facts.requirement_attribute("kind")
    yes_no = facts.classifiers["yes_no"]
    no = yes_no.by_code("no").label if "no" in yes_no.codes else None
    answers = _keys(value.where(kinds == "yes_no"), lambda v: getattr(yes_no.match(v), "label", ""))
    units = facts.requirement_attribute("unit").fillna("")
    numbered = filled & (kinds == "number")
    numbers = pd.Series(np.nan, index=value.index)
    if numbered.any():
        pairs = pd.Series(list(zip(value[numbered], units[numbered], strict=True)))
        parsed = {pair: parse_number(*pair) for pair in pd.unique(pairs)}
        numbers[numbered] = pairs.map(parsed).astype(float).to_numpy()
    limits = facts.requirement_attribute("limit").astype(float)
    bad = filled & (((kinds == "yes_no") & answers.isna()) | ((kinds == "number") & numbers.isna()))
    over = filled & (kinds == "number") & (numbers > limits)
    not_met = filled & (kinds == "yes_no") & (answers == no) if no else filled & False
    lang = facts.lang
    for position in _positions(bad):
        entry: Entry = entries.iloc[position]
        if entry.get("kind") == "yes_no":
            expected = quote_list(yes_no.labels, "ru")
            expected_en = quote_list(yes_no.labels, "en")
        else:
            expected = _NUMBER_EXPECTED["ru"].format(unit=entry.get("unit"))
            expected_en = _NUMBER_EXPECTED["en"].format(unit=entry.get("unit"))
        yield facts.locator.cell(
            "requirement-bad-value",
            table,
            position,
            "value",
            expected=expected,
            expected_en=expected_en,
            **facts.requirement_params(position),
        )
    for position in _positions(over):
        entry = entries.iloc[position]
        yield facts.locator.cell(
            "requirement-over-limit",
            table,
            position,
            "value",
            number=_format_number(numbers.iloc[position], lang),
            unit=entry.get("unit"),
            limit=_format_number(entry.get("limit"), lang),
            **facts.requirement_params(position),
        )
    for position in _positions(not_met):
        yield facts.locator.cell(
            "requirement-not-met", table, position, "value", **facts.requirement_params(position)
        )


def requirement_duplicate(facts: Facts) -> Iterator[Issue]:
    """The same requirement twice for the same touchpoint."""
    table = facts.requirements
    if not len(table):
        return
    keyed = pd.DataFrame({"target": facts.target, "requirement": table.frame["requirement"]})
    keyed = keyed[(keyed["target"] >= 0) & facts.requirement_entries.notna().to_numpy()]
    repeated = keyed[keyed.duplicated(["target", "requirement"], keep=False)]
    row_refs = facts.values("row_ref", "requirements")
    for _, group in repeated.groupby(["target", "requirement"], sort=False):
        positions = group.index.tolist()
        for position in positions[1:]:
            params = facts.requirement_params(position)
            yield facts.locator.cell(
                "requirement-duplicate",
                table,
                position,
                "requirement",
                requirement=params["requirement"],
                row_ref=row_refs[position],
                first_row=int(table.row[positions[0]]),
            )


def requirements_missing(facts: Facts) -> Iterator[Issue]:
    """A touchpoint of a key type (one whose type has п. 4.2 groups) with no requirement row:
    one warning for the row."""
    groups = {
        label: entry.get("requirements")
        for label, entry in facts.type_entries.items()
        if entry.get("requirements")
    }
    types = facts.column("touchpoint_type")
    covered = np.zeros(len(facts.data), dtype=bool)
    covered[facts.target[facts.target >= 0]] = True
    mask = types.isin(list(groups)).to_numpy() & ~covered
    type_values, touchpoints = facts.values("touchpoint_type"), facts.values("touchpoint")
    references = facts.data_reference.to_numpy(dtype=object)
    numbers = facts.values("number")
    for position in _positions(mask):
        path = facts.data.file[position]
        params: dict[str, Any] = {
            "touchpoint": touchpoints[position] or "",
            "groups": "п. " + ", ".join(groups[type_values[position]]),
            "requirements_sheet": facts.requirements_sheet(path),
        }
        if isinstance(references[position], str):
            params["row_ref"] = (
                numbers[position] if path in facts.numbered_files else references[position]
            )
        yield facts.locator.cell(
            "requirements-missing", facts.data, position, "touchpoint", **params
        )


#: Every cross-row rule, in the order they run.
RULES: tuple[Callable[[Facts], Iterator[Issue]], ...] = (
    channel_mismatch,
    other_need_without_note,
    other_type_without_note,
    basis_without_requisites,
    duplicate_touchpoint,
    duplicate_across_files,
    location_mismatch,
    direction_client_mismatch,
    number_duplicate,
    requirement_row_unknown,
    requirement_not_applicable,
    requirement_values,
    requirement_duplicate,
    requirements_missing,
)


def rule_issues(data: Table, requirements: Table, locator: Locator) -> list[Issue]:
    """The issues of every rule of :data:`RULES`."""
    facts = Facts(data, requirements, locator)
    found: list[Issue] = []
    for rule in RULES:
        found.extend(rule(facts))
    return found
