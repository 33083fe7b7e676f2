"""Completeness of the submissions (п. 3.1, 3.3 1)–2), 3.4, 3.5): against the roster of the
subdivisions expected to submit, and against the Department's registry of processes.

* ``roster-no-submission`` — a subdivision on the roster with no row anywhere (warning, one per
  roster entry; the names are also in ``report.extra["missing_subdivisions"]``);
* ``subdivision-not-on-roster`` — at the subdivision cell of the first row of each file that
  names a subdivision missing from the roster (warning, the closest roster names suggested);
* ``registry-activity-missing`` — a process of the registry with no touchpoint (error);
* ``activity-not-in-registry`` — a row whose activity is not in the registry (warning, the
  closest registry names suggested).

Names are compared on :func:`tpcheck.text.match_key` (case, ё/е, spaces, quotes and trailing
punctuation do not matter); processes are matched by their name (the activity), whatever the
direction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .facts import keys
from .findings import FileInfo, Issue, quote_list
from .locator import Locator, Table
from .text import match_key, similar

__all__ = ["registry_issues", "roster_issues"]


def _closest(text: Any, keys: dict[str, str], limit: int = 3) -> list[str]:
    """The names in *keys* (match key → name) closest to *text*, best first."""
    return [keys[key] for key, _ in similar(match_key(text), keys, limit=limit)]


def _with_candidates(params: dict[str, Any], candidates: list[str], lang: str) -> dict[str, Any]:
    if candidates:
        params["candidates"] = quote_list(candidates, lang)
    return params


def roster_issues(
    data: Table, files: Sequence[FileInfo], roster: Sequence[str], locator: Locator
) -> tuple[list[Issue], list[str]]:
    """The roster's issues and the roster names with no submission."""
    subdivisions = keys(data.frame["subdivision"])
    submitted = set(subdivisions.dropna())
    submitted |= {match_key(info.subdivision) for info in files if info.subdivision}
    by_key = {match_key(name): name for name in roster}
    missing = [name for key, name in by_key.items() if key not in submitted]
    found = [locator.general("roster-no-submission", subdivision=name) for name in missing]
    keyed = pd.DataFrame({"file": data.frame["source_file"], "key": subdivisions})
    keyed = keyed[keyed["key"].notna() & ~keyed["key"].isin(list(by_key))]
    firsts = keyed[~keyed.duplicated(["file", "key"])]
    for position in firsts.index.tolist():
        value = data.frame["subdivision"].iat[position]
        params = _with_candidates({}, _closest(value, by_key), locator.lang)
        found.append(
            locator.cell("subdivision-not-on-roster", data, position, "subdivision", **params)
        )
    return found, missing


def registry_issues(data: Table, registry: pd.DataFrame, locator: Locator) -> list[Issue]:
    """The registry's issues: its processes without touchpoints, and the rows whose process is
    not in it."""
    activities = keys(data.frame["activity"])
    present = set(activities.dropna())
    found: list[Issue] = []
    by_key: dict[str, str] = {}
    for record in registry.to_dict("records"):
        key = match_key(record["activity"])
        if not key or key in by_key:
            continue
        by_key[key] = record["activity"]
        if key not in present:
            params = {"activity": record["activity"], "direction": record.get("direction") or "—"}
            if record.get("subdivision"):
                params["subdivision"] = record["subdivision"]
            found.append(locator.general("registry-activity-missing", **params))
    outside = (activities.notna() & ~activities.isin(list(by_key))).to_numpy()
    suggestions: dict[str, dict[str, Any]] = {}
    values = data.frame["activity"].to_numpy(dtype=object)
    for position in np.flatnonzero(outside).tolist():
        value = values[position]
        params = suggestions.get(value)
        if params is None:
            params = suggestions[value] = _with_candidates(
                {}, _closest(value, by_key), locator.lang
            )
        found.append(locator.cell("activity-not-in-registry", data, position, "activity", **params))
    return found
