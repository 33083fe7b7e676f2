"""The completeness table of the registry of processes (п. 3.1, 3.5), as the «Сводка» sheet and
the HTML report show it: one row per registry entry (has touchpoints, how many, the digital
share), then totals per direction (п. 3.5 order) and per responsible subdivision.

The numbers come from ``report.extra["registry"]`` (set by the completeness check): nothing is
counted here, only grouped. Without that key there is no table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..classifiers import Classifiers
from ..findings import Report
from ..output.config import Labels

__all__ = ["RegistryTables", "registry_of", "registry_tables"]


@dataclass(frozen=True)
class RegistryTables:
    """Headers and rows of the three tables; ``entry_missing[i]`` is True when entry *i* has no
    touchpoint. A share is a float in 0..1, or None when there is no touchpoint to divide by."""

    file: str | None
    entry_headers: list[str]
    entries: list[list[Any]]
    entry_missing: list[bool]
    group_headers: list[str]
    directions: list[list[Any]]
    direction_headers: list[str]
    subdivisions: list[list[Any]]
    subdivision_headers: list[str]


def registry_of(report: Report) -> Mapping[str, Any] | None:
    """``report.extra["registry"]``, or None when no registry was given."""
    value = report.extra.get("registry")
    return value if isinstance(value, Mapping) else None


def _share(digital: int, touchpoints: int) -> float | None:
    return digital / touchpoints if touchpoints else None


def _group_row(name: str, counts: list[int]) -> list[Any]:
    entries, with_touchpoints, touchpoints, digital = counts
    return [
        name,
        entries,
        with_touchpoints,
        entries - with_touchpoints,
        touchpoints,
        _share(digital, touchpoints),
    ]


def registry_tables(
    registry: Mapping[str, Any], classifiers: Classifiers, labels: Labels
) -> RegistryTables:
    """Group the entries of *registry* (the shape of ``report.extra["registry"]``)."""
    yes, no = labels["value_yes"], labels["value_no"]
    unknown_direction = labels["summary_direction_unknown"]
    unknown_subdivision = labels["summary_subdivision_unknown"]
    directions = classifiers["direction"].labels
    by_direction: dict[str, list[int]] = {name: [0, 0, 0, 0] for name in directions}
    by_subdivision: dict[str, list[int]] = {}
    entries: list[list[Any]] = []
    missing: list[bool] = []
    for entry in registry.get("entries", ()):
        touchpoints = int(entry.get("touchpoints") or 0)
        digital = int(entry.get("digital") or 0)
        direction = entry.get("direction")
        subdivision = entry.get("subdivision")
        entries.append(
            [
                entry.get("activity"),
                direction,
                subdivision,
                yes if touchpoints else no,
                touchpoints,
                _share(digital, touchpoints),
            ]
        )
        missing.append(not touchpoints)
        group = direction if direction in by_direction else unknown_direction
        for counts in (
            by_direction.setdefault(group, [0, 0, 0, 0]),
            by_subdivision.setdefault(subdivision or unknown_subdivision, [0, 0, 0, 0]),
        ):
            counts[0] += 1
            counts[1] += bool(touchpoints)
            counts[2] += touchpoints
            counts[3] += digital
    total = [sum(c[i] for c in by_direction.values()) for i in range(4)]
    group_tail = [
        labels["col_registry_entries"],
        labels["col_with_touchpoints"],
        labels["col_without_touchpoints"],
        labels["col_touchpoints"],
        labels["col_digital_share"],
    ]
    return RegistryTables(
        file=registry.get("file"),
        entry_headers=[
            labels["col_activity"],
            labels["col_direction"],
            labels["col_subdivision"],
            labels["col_has_touchpoints"],
            labels["col_touchpoints"],
            labels["col_digital_share"],
        ],
        entries=entries,
        entry_missing=missing,
        group_headers=group_tail,
        directions=[
            *(_group_row(name, counts) for name, counts in by_direction.items()),
            _group_row(labels["summary_all_directions"], total),
        ],
        direction_headers=[labels["col_direction"], *group_tail],
        subdivisions=[_group_row(name, counts) for name, counts in by_subdivision.items()],
        subdivision_headers=[labels["col_subdivision"], *group_tail],
    )
