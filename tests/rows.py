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
    """One requirement row met by the touchpoint of *row*, when its type is a key one."""
    kind = C["touchpoint_type"].match(row["touchpoint_type"]) if row["touchpoint_type"] else None
    if kind is None or not kind.get("requirements"):
        return []
    group = kind.get("requirements")[0]
    entry = next(e for e in C["requirement"] if e.get("group") == group)
    value = "да" if entry.get("kind") == "yes_no" else str(entry.get("limit"))
    return [{"row_ref": row["number"], "requirement": entry.label, "value": value}]


def submission(
    *overrides: Mapping[str, Any], requirements: Sequence[Mapping[str, Any]] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows (one per override, at least one) and requirement rows: *requirements* when given,
    else one met requirement per key touchpoint."""
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
