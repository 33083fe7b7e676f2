"""What the cross-row rules share (:class:`Facts`): the «Перечень» and «Требования п. 4.2»
tables, the classifiers, the locator, and derived columns computed once — match keys of activities
and touchpoints, the № of each row, the row each requirement row refers to.

How a requirement row names its touchpoint: ``row_ref`` holds the № (column ``number``) of a row
of the same file's «Перечень». A file whose «Перечень» has no № filled at all (no № column, or an
empty one) is referenced by Excel row numbers instead: ``row_ref`` is then the row number the
clerk sees on the «Перечень» sheet.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..classifiers import Classifiers, Entry
from ..text import match_key, match_keys
from .locator import FrameLocator, Table

__all__ = ["Facts", "is_filled", "keys", "positions", "reference_key"]

_REFERENCE_PREFIX = re.compile(r"^(?:№|n|no|п/п)\s*\.?\s*")


def reference_key(text: Any) -> str | None:
    """What a № and a reference to it are compared on: ``"№ 3."`` → ``"3"``."""
    if text is None or (isinstance(text, float) and text != text):
        return None
    key = _REFERENCE_PREFIX.sub("", match_key(text)).rstrip(")")
    return key or None


def positions(mask: pd.Series | np.ndarray) -> list[int]:
    """The positions where *mask* is true."""
    return np.flatnonzero(np.asarray(mask, dtype=bool)).tolist()


def is_filled(series: pd.Series) -> pd.Series:
    """True where a cell holds something: not None/NaN, not ``""``, not ``[]``."""
    return series.notna() & series.astype(bool)


def keys(series: pd.Series, function: Callable[[Any], Any] = match_key) -> pd.Series:
    """*function* of every value of *series*, computed once per distinct value; NaN for an
    empty cell or an empty result. Always of object dtype (texts and NaN): a column of keys that
    are all missing must still join with a column of texts."""
    codes, distinct = pd.factorize(series)  # an empty cell (None/NaN) gets the code -1
    distinct = np.asarray(distinct, dtype=object)
    filled = [index for index, value in enumerate(distinct) if value != "" and value != []]
    if function is match_key:
        computed = match_keys(distinct[filled])
    else:
        computed = [function(value) for value in distinct[filled]]
    found = np.full(len(distinct) + 1, np.nan, dtype=object)  # the last one for code -1
    found[filled] = [key or np.nan for key in computed]
    return pd.Series(found[codes], index=series.index, name=series.name, dtype=object)


class Facts:
    """What the rules share: the two tables, the classifiers, the locator, and the derived
    columns (match keys, the rows requirement rows refer to …), each computed once."""

    def __init__(self, data: Table, requirements: Table, locator: FrameLocator):
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
        return keys(self.column("activity"))

    @cached_property
    def touchpoint_key(self) -> pd.Series:
        return keys(self.column("touchpoint"))

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
        return keys(self.column("number"), reference_key)

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
                "ref": keys(requirements["row_ref"], reference_key),
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
