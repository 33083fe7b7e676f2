"""Completeness of the submissions (п. 3.1, 3.3 1)–2), 3.4, 3.5): against the roster of the
subdivisions expected to submit, and against the Department's registry of processes.

* ``roster-no-submission`` — a subdivision on the roster with no row anywhere (warning, one per
  roster entry; the names are also in ``report.extra["missing_subdivisions"]``);
* ``subdivision-not-on-roster`` — at the subdivision cell of the first row of each file that
  names a subdivision missing from the roster (warning, the closest roster names suggested);
* ``registry-activity-missing`` — an entry of the registry with no touchpoint (error, at the
  registry's row and activity cell; the message names the responsible subdivision);
* ``activity-not-in-registry`` — a row whose activity is not in the registry (warning, the
  closest registry names suggested; the closest one counts as claimed, so a misspelt service is
  this one warning and not also a missing entry);
* ``registry-direction-mismatch`` / ``registry-kind-mismatch`` — the Перечень gives another
  direction / kind than the registry for the same entry (warning, once per file and entry, at
  the first such row);
* ``registry-value-not-in-list`` — a direction or kind of the registry that names no entry of its
  list (warning at the registry's cell; that column of the entry is then not compared).

Names are compared on :func:`tpcheck.text.match_key` (case, ё/е, spaces, quotes and trailing
punctuation do not matter). A Перечень row is linked to a registry entry by code when the
Перечень has an extra column headed like the registry's «Код» column and the row's code is an
entry's code, else by the activity's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..cells import a1
from ..classifiers import Classifiers
from ..findings import FileInfo, Issue, quote_list
from ..reading.registry import registry_layout
from ..text import match_key, similar, strip_clause_suffix
from .facts import keys
from .locator import FrameLocator, Table

#: What a registry entry without a responsible subdivision names instead of it.
_NOT_GIVEN = {"ru": "не указано в реестре", "en": "not given in the registry"}

__all__ = ["registry_code_column", "registry_issues", "roster_issues"]


def _closest(text: Any, keys: dict[str, str], limit: int = 3) -> list[str]:
    """The names in *keys* (match key → name) closest to *text*, best first."""
    return [keys[key] for key, _ in similar(match_key(text), keys, limit=limit)]


def _with_candidates(params: dict[str, Any], candidates: list[str], lang: str) -> dict[str, Any]:
    if candidates:
        params["candidates"] = quote_list(candidates, lang)
    return params


def roster_issues(
    data: Table, files: Sequence[FileInfo], roster: Sequence[str], locator: FrameLocator
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


def registry_code_column(frame: pd.DataFrame, classifiers: Classifiers) -> str | None:
    """The extra column of the Перечень that holds registry codes: the first whose header is
    the registry's code header or one of its synonyms (the template has no such column)."""
    try:
        column = classifiers.registry_column("code")
    except KeyError:
        return None
    accepted = {match_key(strip_clause_suffix(t)) for t in (column.header, *column.synonyms)}
    for name in frame.columns:
        if isinstance(name, str) and match_key(strip_clause_suffix(name)) in accepted:
            return name
    return None


def _registry_cell(
    code: str, registry: pd.DataFrame, position: int, key: str, locator: FrameLocator, **params: Any
) -> Issue:
    """The issue *code* at the cell of column *key* of the registry's entry at *position*."""
    row = registry["source_row"].iat[position]
    row = None if pd.isna(row) else int(row)
    place = registry_layout(registry).get(key)
    column = place[1] if place else locator.classifiers.registry_column(key).header
    cell = a1(row, place[0]) if place and row else None
    return locator.general(
        code,
        file=registry["source_file"].iat[position],
        sheet=registry["source_sheet"].iat[position],
        row=row,
        column=column,
        cell=cell,
        field=key,
        **params,
    )


def _links(
    data: Table, registry: pd.DataFrame, codes: pd.Series | None
) -> tuple[np.ndarray, dict[str, int]]:
    """The registry position each Перечень row is linked to (-1: none, -2: no activity) — by
    code when the Перечень has a code column and the row's code is the code of an entry, else by
    the match key of the activity — and match key → first registry position of that activity."""
    by_key: dict[str, int] = {}
    by_code: dict[str, int] = {}
    for position, (activity, code) in enumerate(
        zip(registry["activity"].tolist(), registry["code"].tolist(), strict=True)
    ):
        by_key.setdefault(match_key(activity), position)
        if code:
            by_code.setdefault(match_key(code), position)
    activities = keys(data.frame["activity"])
    linked = np.array(activities.map(by_key).fillna(-1).to_numpy(), dtype=np.int64)
    if codes is not None and by_code:
        coded = keys(pd.Series(codes.to_numpy(dtype=object), dtype=object)).map(by_code)
        linked = np.where(coded.notna().to_numpy(), coded.fillna(-1).to_numpy(), linked)
    linked[activities.isna().to_numpy() & (linked < 0)] = -2  # no activity: nothing to link
    return linked.astype(np.int64), by_key


def registry_issues(
    data: Table, registry: pd.DataFrame, locator: FrameLocator, codes: pd.Series | None = None
) -> tuple[list[Issue], list[dict[str, Any]]]:
    """The registry's issues and its entries with their touchpoint counts (the contract of
    ``report.extra["registry"]["entries"]``, see :mod:`tpcheck.validation`).

    *codes* — the Перечень's registry codes, one per row of *data* (see
    :func:`registry_code_column`), or None to link the rows by the activity's name only."""
    classifiers = locator.classifiers
    linked, by_key = _links(data, registry, codes)
    found: list[Issue] = []
    # the registry's own cells: a direction or kind that names no entry of its list
    comparable: dict[str, np.ndarray] = {}
    for key, name, data_key in (
        ("direction", "direction", "direction"),
        ("activity_kind", "kind", "activity_kind"),
    ):
        lst = classifiers[classifiers.registry_column(key).classifier or data_key]
        labels = set(lst.labels)
        values = registry[name].tolist()
        comparable[data_key] = np.array([v in labels for v in values], dtype=bool)
        for position, value in enumerate(values):
            if value is not None and value not in labels:
                params = _with_candidates({}, lst.suggest(value)[:3], locator.lang)
                found.append(
                    _registry_cell(
                        "registry-value-not-in-list",
                        registry,
                        position,
                        key,
                        locator,
                        value=value,
                        activity=registry["activity"].iat[position],
                        **params,
                    )
                )
    # the Перечень's activities outside the registry; the closest registry name of each is
    # suggested, and that entry counts as claimed (a renamed or misspelt service is one finding,
    # the warning, not also a registry-activity-missing error)
    activities = data.frame["activity"].to_numpy(dtype=object)
    names = {key: registry["activity"].iat[position] for key, position in by_key.items()}
    suggestions: dict[str, dict[str, Any]] = {}
    claimed: set[int] = set()
    for position in np.flatnonzero(linked == -1).tolist():
        value = activities[position]
        params = suggestions.get(value)
        if params is None:
            close = [key for key, _ in similar(match_key(value), list(names), limit=3)]
            claimed.update(by_key[key] for key in close[:1])
            params = suggestions[value] = _with_candidates(
                {}, [names[key] for key in close], locator.lang
            )
        found.append(locator.cell("activity-not-in-registry", data, position, "activity", **params))
    # entries with no touchpoint, at the registry's row
    counts = np.bincount(linked[linked >= 0], minlength=len(registry))
    first_of_key = set(by_key.values())
    for position in range(len(registry)):
        key = match_key(registry["activity"].iat[position])
        shared = by_key.get(key, position)
        if counts[shared] or position not in first_of_key or shared in claimed:
            continue
        subdivision = registry["subdivision"].iat[position]
        found.append(
            _registry_cell(
                "registry-activity-missing",
                registry,
                position,
                "activity",
                locator,
                value=registry["activity"].iat[position],
                activity=registry["activity"].iat[position],
                direction=registry["direction"].iat[position] or "—",
                responsible=f"«{subdivision}»" if subdivision else _NOT_GIVEN[locator.lang],
            )
        )
    found += _mismatch(
        "registry-direction-mismatch",
        "direction",
        "direction",
        data,
        registry,
        linked,
        comparable["direction"],
        locator,
    )
    found += _mismatch(
        "registry-kind-mismatch",
        "activity_kind",
        "kind",
        data,
        registry,
        linked,
        comparable["activity_kind"],
        locator,
    )
    shared = [by_key.get(match_key(a), p) for p, a in enumerate(registry["activity"].tolist())]
    return found, _entries(data, registry, linked, shared, classifiers)


def _mismatch(
    code: str,
    data_key: str,
    name: str,
    data: Table,
    registry: pd.DataFrame,
    linked: np.ndarray,
    comparable: np.ndarray,
    locator: FrameLocator,
) -> list[Issue]:
    """The issue *code*, once per (file, registry entry), at the first Перечень row whose value
    of *data_key* (a value of its list) differs from the registry's column *name*."""
    found: list[Issue] = []
    labels = list(locator.classifiers[data_key].labels)
    values = data.frame[data_key].to_numpy(dtype=object)
    expected = registry[name].to_numpy(dtype=object)
    entries = np.where(linked >= 0, linked, 0)  # a row linked to no entry is masked out below
    differs = (
        (
            (linked >= 0)
            & comparable[entries]
            & pd.Series(values, dtype=object).isin(labels).to_numpy()
            & (values != expected[entries])
        )
        if len(registry)
        else np.zeros(len(values), dtype=bool)
    )
    seen: set[tuple[Any, int]] = set()
    for position in np.flatnonzero(differs).tolist():
        entry = int(linked[position])
        value = values[position]
        if (data.file[position], entry) in seen:
            continue
        seen.add((data.file[position], entry))
        found.append(
            locator.cell(
                code,
                data,
                position,
                data_key,
                value=value,
                activity=data.frame["activity"].iat[position],
                registry_value=expected[entry],
                registry_row=registry["source_row"].iat[entry],
            )
        )
    return found


def _entries(
    data: Table,
    registry: pd.DataFrame,
    linked: np.ndarray,
    shared: list[int],
    classifiers: Classifiers,
) -> list[dict[str, Any]]:
    """The registry's entries in its order, with the Перечень rows linked to each and how many
    of them are digital touchpoints (channel code ``digital``) — plain data for report.json. An
    entry repeating an earlier entry's activity (*shared*: the position each entry's rows are
    linked to) shows that entry's rows."""
    channels = classifiers["channel"]
    digital_labels = [e.label for e in channels if e.code == "digital"]
    digital = np.isin(data.frame["channel"].to_numpy(dtype=object), digital_labels)
    present = linked >= 0
    touchpoints = np.bincount(linked[present], minlength=len(registry))
    digitals = np.bincount(linked[present & digital], minlength=len(registry))

    def plain(value: Any) -> Any:
        return None if value is None or (isinstance(value, float) and value != value) else value

    entries = []
    for position, record in enumerate(registry.to_dict("records")):
        row = record["source_row"]
        entries.append(
            {
                "file": plain(record["source_file"]),
                "sheet": plain(record["source_sheet"]),
                "row": None if pd.isna(row) else int(row),
                "code": plain(record["code"]),
                "direction": plain(record["direction"]),
                "kind": plain(record["kind"]),
                "activity": str(record["activity"]),
                "subdivision": plain(record["subdivision"]),
                "touchpoints": int(touchpoints[shared[position]]),
                "digital": int(digitals[shared[position]]),
            }
        )
    return entries
