"""Small valid submissions for the validation tests: rows numbered 1, 2, … with distinct
touchpoints and the requirement rows their key types need, so that only what a test changes is
reported."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from tpcheck.classifiers import default_classifiers

from .frames import frame_from_files, valid_row

C = default_classifiers()


def requirement_rows(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A met requirement row for every sub-item of п. 4.2 expected of the touchpoint of *row*
    (none when its type is not a key one)."""
    kind = C["touchpoint_type"].match(row["touchpoint_type"]) if row["touchpoint_type"] else None
    if kind is None or not kind.get("requirements"):
        return []
    found = []
    for entry in C["requirement"]:
        if entry.get("group") not in kind.get("requirements"):
            continue
        if kind.code not in entry.get("types", (kind.code,)):
            continue
        value = "да" if entry.get("kind") == "yes_no" else str(entry.get("limit"))
        found.append({"row_ref": row["number"], "requirement": entry.label, "value": value})
    return found


def submission(
    *overrides: Mapping[str, Any], requirements: Sequence[Mapping[str, Any]] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows (one per override, at least one) and requirement rows: *requirements* when given,
    else every expected requirement met for each key touchpoint."""
    rows = []
    for index, override in enumerate(overrides or ({},), start=1):
        defaults = {"number": str(index), "touchpoint": f"Официальный сайт Департамента {index}"}
        rows.append(valid_row(**{**defaults, **override}))
    if requirements is None:
        requirements = [r for row in rows if row["number"] for r in requirement_rows(row)]
    return rows, [dict(r) for r in requirements]


def frame_of(
    *overrides: Mapping[str, Any],
    requirements: Sequence[Mapping[str, Any]] | None = None,
    path: str = "a.xlsx",
) -> pd.DataFrame:
    """The frame of one file «a.xlsx» with these rows (Excel rows 3, 4, …)."""
    rows, reqs = submission(*overrides, requirements=requirements)
    return frame_from_files({path: rows}, {path: reqs})


def completed(
    rows: Sequence[Mapping[str, Any]],
    requirements: Sequence[Mapping[str, Any]],
    refs: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """*requirements* (first, in order: their Excel rows stay 3, 4, …), then a met row for every
    other expected sub-item of п. 4.2 of each key touchpoint among *rows* (referred to by
    *refs*, default their № 1, 2, …) — so that a test of one requirement row is not also a test
    of the coverage rule."""
    given = set()
    for item in requirements:
        entry = C["requirement"].match(item.get("requirement"))
        if entry is not None:
            given.add((str(item.get("row_ref")), entry.code))
    out = [dict(r) for r in requirements]
    for number, row in enumerate(rows, start=1):
        ref = refs[number - 1] if refs else str(number)
        full = {"touchpoint_type": valid_row()["touchpoint_type"], **row, "number": ref}
        for extra in requirement_rows(full):
            code = C["requirement"].match(extra["requirement"]).code
            if (str(extra["row_ref"]), code) not in given:
                out.append(extra)
    return out
