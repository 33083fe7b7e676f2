"""The checks the regulation implies beyond single cells: each with its stable code (see
docs/validation.md). Every threshold, group, channel and pattern is read from the classifiers.

Checks of the «Перечень» rows: ``channel-mismatch`` (вид contradicts the type, п. 4.1, 2.8, 2.9),
``other-need-without-note`` (п. 3.7 10)), ``other-type-without-note`` (п. 2.5),
``basis-without-requisites`` (п. 3.6), ``duplicate-touchpoint`` and ``duplicate-across-files``
(п. 3.7), ``location-mismatch`` (п. 2.5), ``direction-client-mismatch`` (п. 3.5 6), 2.3),
``number-duplicate``.

The principles of п. 3.8 (``no-digital-touchpoint``, ``no-offline-alternative``), judged per
service across every file, are in :mod:`tpcheck.validation.principles`.

The checks of the «Требования п. 4.2» rows and of the key touchpoints are in
:mod:`tpcheck.validation.requirement_rules`; :data:`RULES` runs them all on the shared
:class:`~tpcheck.validation.facts.Facts`.

All checks are vectorised over whole columns; Python loops run only over the rows found.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

from ..findings import Issue, quote_list
from .facts import Facts, is_filled, positions
from .locator import FrameLocator, Table
from .principles import PRINCIPLE_RULES
from .requirement_rules import REQUIREMENT_RULES

__all__ = ["CROSS_FILE_RULES", "FILE_RULES", "RULES", "rule_issues"]


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
    for position in positions(mask):
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
    mask = chosen & ~is_filled(facts.column("note")).to_numpy()
    for position in positions(mask):
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
    mask = kind.isin(kinds) & ~is_filled(facts.column("basis"))
    given = facts.values("basis_kind")
    for position in positions(mask):
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
    present = is_filled(location)
    types = facts.column("touchpoint_type")
    type_values = facts.values("touchpoint_type")
    for kind in facts.classifiers["location"]:
        labels = [
            label
            for label, entry in facts.type_entries.items()
            if entry.get("location") == kind.code
        ]
        candidates = location[present & types.isin(labels)]
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
        for position in positions(mask):
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
    *REQUIREMENT_RULES,
    *PRINCIPLE_RULES,
)


#: The rules that compare rows of different files; every other rule looks at one file's rows
#: at a time, so that its findings on a file depend on that file alone (the merge cache keeps
#: them per file).
CROSS_FILE_RULES: tuple[Callable[[Facts], Iterator[Issue]], ...] = (
    duplicate_across_files,
    *PRINCIPLE_RULES,
)
FILE_RULES = tuple(rule for rule in RULES if rule not in CROSS_FILE_RULES)


def rule_issues(
    data: Table,
    requirements: Table,
    locator: FrameLocator,
    rules: tuple[Callable[[Facts], Iterator[Issue]], ...] = RULES,
) -> list[Issue]:
    """The issues of every rule of *rules* (all of :data:`RULES`)."""
    facts = Facts(data, requirements, locator)
    found: list[Issue] = []
    for rule in rules:
        found.extend(rule(facts))
    return found
