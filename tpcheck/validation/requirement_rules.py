"""The checks of the «Требования п. 4.2» sheet and of the key touchpoints (see
docs/validation.md): ``requirement-row-unknown``, ``requirement-not-applicable``,
``requirement-bad-value``, ``requirement-over-limit`` (citing the sub-clause),
``requirement-not-met``, ``requirement-duplicate``, ``requirements-missing``. Groups, kinds, units
and limits come from the [[requirement]] entries and the touchpoint types' ``requirements``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from ..classifiers import Entry
from ..findings import Issue, quote_list
from ..text import match_key
from .facts import Facts, is_filled, keys, positions

__all__ = [
    "REQUIREMENT_RULES",
    "parse_number",
    "requirement_duplicate",
    "requirement_not_applicable",
    "requirement_row_unknown",
    "requirement_values",
    "requirements_missing",
]

#: How the value of a requirement of each kind is described in requirement-bad-value; the kinds
#: are the closed set of tpcheck/classifiers.py (``yes_no`` names the labels of its list).
_NUMBER_EXPECTED = {"ru": "число ({unit})", "en": "a number ({unit})"}

_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([^\W\d_][^\d]*)?$")


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


def requirement_row_unknown(facts: Facts) -> Iterator[Issue]:
    """``row_ref`` names no row of the file's «Перечень» (by №, or by Excel row in a file
    without №)."""
    table = facts.requirements
    if not len(table):
        return
    mask = is_filled(table.frame["row_ref"]).to_numpy() & (facts.target < 0)
    data_rows = pd.Series(facts.data.row).groupby(facts.data.file).agg(["min", "max"])
    for position in positions(mask):
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
    for position in positions(mask):
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
    (``requirement-over-limit``, citing the sub-clause; ``requirement-over-target``, a warning,
    where the limit is a target: ``limit_warning``), a yes/no requirement answered with the
    ``no`` entry (``requirement-not-met``)."""
    table = facts.requirements
    if not len(table):
        return
    entries = facts.requirement_entries
    value = table.frame["value"]
    answered = is_filled(value) & entries.notna()
    kinds = facts.requirement_attribute("kind")
    yes_no = facts.classifiers["yes_no"]
    no = yes_no.by_code("no").label if "no" in yes_no.codes else None
    answers = keys(value.where(kinds == "yes_no"), lambda v: getattr(yes_no.match(v), "label", ""))
    units = facts.requirement_attribute("unit").fillna("")
    numbered = answered & (kinds == "number")
    numbers = pd.Series(np.nan, index=value.index)
    if numbered.any():
        pairs = pd.Series(list(zip(value[numbered], units[numbered], strict=True)))
        parsed = {pair: parse_number(*pair) for pair in pd.unique(pairs)}
        numbers[numbered] = pairs.map(parsed).astype(float).to_numpy()
    limits = facts.requirement_attribute("limit").astype(float)
    bad = answered & (
        ((kinds == "yes_no") & answers.isna()) | ((kinds == "number") & numbers.isna())
    )
    over = answered & (kinds == "number") & (numbers > limits)
    not_met = answered & (kinds == "yes_no") & (answers == no) if no else answered & False
    lang = facts.lang
    for position in positions(bad):
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
    for position in positions(over):
        entry = entries.iloc[position]
        params = {
            "number": _format_number(numbers.iloc[position], lang),
            "unit": entry.get("unit"),
            "limit": _format_number(entry.get("limit"), lang),
            **facts.requirement_params(position),
        }
        if entry.get("limit_warning"):  # a target («при максимальном уровне …»), not a rule
            yield facts.locator.cell("requirement-over-target", table, position, "value", **params)
        else:
            yield facts.locator.cell("requirement-over-limit", table, position, "value", **params)
    for position in positions(not_met):
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


def _letters(codes: list[str], entries: dict[str, Entry]) -> str:
    """«4.2.5 в), г); 4.2.4 а)»: the sub-items *codes*, grouped by sub-clause, in list order."""
    groups: dict[str, list[str]] = {}
    for code in codes:
        entry = entries[code]
        letter = entry.clause.removeprefix("п. ").removeprefix(entry.get("group")).strip()
        letter = letter.split(" (")[0]  # «в) (окончание восстановлено)» → «в)»
        if letter not in groups.setdefault(entry.get("group"), []):
            groups[entry.get("group")].append(letter)
    return "; ".join(f"{group} {', '.join(letters)}" for group, letters in groups.items())


def requirements_missing(facts: Facts) -> Iterator[Issue]:
    """A touchpoint of a key type (one whose type has п. 4.2 groups): every applicable sub-item
    is expected on «Требования п. 4.2». One warning per touchpoint: ``requirements-missing`` when
    nothing is said about it, ``requirements-incomplete`` listing the sub-items not answered
    when some are (one answered requirement does not silence the others)."""
    groups = {
        label: entry.get("requirements")
        for label, entry in facts.type_entries.items()
        if entry.get("requirements")
    }
    entries = {entry.code: entry for entry in facts.classifiers["requirement"]}
    by_group: dict[str, list[str]] = {}
    for entry in facts.classifiers["requirement"]:
        by_group.setdefault(entry.get("group"), []).append(entry.code)
    types = facts.column("touchpoint_type")
    answered: dict[int, set[str]] = {}
    known = facts.requirement_entries
    for target, entry in zip(facts.target, known, strict=True):
        if target >= 0 and isinstance(entry, Entry):
            answered.setdefault(int(target), set()).add(entry.code)
    mask = types.isin(list(groups)).to_numpy()
    type_values, touchpoints = facts.values("touchpoint_type"), facts.values("touchpoint")
    references = facts.data_reference.to_numpy(dtype=object)
    numbers = facts.values("number")
    for position in positions(mask):
        type_code = facts.type_entries[type_values[position]].code
        applicable = [
            code
            for group in groups[type_values[position]]
            for code in by_group.get(group, ())
            if type_code in entries[code].get("types", (type_code,))
        ]
        given = answered.get(position, set())
        missing = [code for code in applicable if code not in given]
        if not missing:
            continue
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
        if not given:
            yield facts.locator.cell(
                "requirements-missing", facts.data, position, "touchpoint", **params
            )
        else:
            yield facts.locator.cell(
                "requirements-incomplete",
                facts.data,
                position,
                "touchpoint",
                missing=_letters(missing, entries),
                count=len(missing),
                **params,
            )


#: The rules of п. 4.2, in the order they run.
REQUIREMENT_RULES = (
    requirement_row_unknown,
    requirement_not_applicable,
    requirement_values,
    requirement_duplicate,
    requirements_missing,
)
