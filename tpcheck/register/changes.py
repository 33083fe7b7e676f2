"""What a submission changes against an approved version, and how a change is recognised again.

A submission is one subdivision's file. Its rows are compared with the rows of the approved
version that belong to the same subdivision (its «Ответственное подразделение»; a file without one
is compared with the version's rows from a file of the same name), by the diff of
:mod:`tpcheck.diff.model`: touchpoints added, removed and changed, each with its п. 5.3 grounds.

A change's :func:`signature` — its kind, the touchpoint's direction, service and name, and the
new values of the fields changed, all compared by :func:`~tpcheck.text.match_key` — recognises
the same change in a later submission and in the diff between two versions, so that its date is
the date it was first reported (п. 5.4), not the date of a later run.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from ..classifiers import Classifiers
from ..diff.model import Change, Diff
from ..findings import Report
from ..publish.model import Publication
from ..text import match_key

__all__ = ["signature", "subdivision_of", "submission_diff"]


def signature(change: Change | dict[str, Any]) -> str:
    """A text that is equal for the same change seen twice."""
    item = change.to_dict() if isinstance(change, Change) else change
    fields = sorted((f["field"], match_key(f["new"] or "")) for f in item["fields"])
    key = [
        item["kind"],
        *(match_key(item[k] or "") for k in ("direction", "activity", "touchpoint")),
    ]
    return json.dumps([key, fields], ensure_ascii=False)


def _values(frame: pd.DataFrame, column: str) -> list[str]:
    if column not in frame.columns:
        return []
    return [str(v).strip() for v in frame[column] if isinstance(v, str) and v.strip()]


def subdivision_of(frame: pd.DataFrame, file_name: str) -> str:
    """The subdivision a file comes from: the value most of its rows give in «Ответственное
    подразделение», else the file's name without its extension."""
    found = Counter(_values(frame, "subdivision")).most_common(1)
    return found[0][0] if found else Path(file_name).stem


def _basename(value: Any) -> str:
    return Path(str(value)).name


def _rows_of(version: pd.DataFrame, subdivision: str, file_name: str) -> pd.Series:
    """Which rows of the version belong to the submission's subdivision (or, when none does, come
    from a file of the same name)."""
    if "subdivision" in version.columns:
        keys = version["subdivision"].map(lambda v: match_key(v) if isinstance(v, str) else "")
        mine = keys == match_key(subdivision)
        if mine.any():
            return mine
    return version["source_file"].map(_basename) == _basename(file_name)


def submission_diff(
    version: Publication | None,
    frame: pd.DataFrame,
    report: Report,
    file_name: str,
    classifiers: Classifiers,
    lang: str = "ru",
) -> Diff:
    """The changes a submission (*frame*: its rows, *report*: their findings) makes against the
    approved *version* (None: no version yet, every row is new)."""
    subdivision = subdivision_of(frame, file_name)
    new = Publication.from_frame(frame, report, classifiers=classifiers, lang=lang)
    if version is None:
        old_frame = frame.iloc[0:0]
        old = Publication.from_frame(old_frame, Report([]), classifiers=classifiers, lang=lang)
    else:
        source = version.source
        old_frame = source.loc[_rows_of(source, subdivision, file_name)] if len(source) else source
        old = Publication.from_frame(old_frame, version.report, classifiers=classifiers, lang=lang)
    return Diff.between(old, new, classifiers=classifiers, lang=lang)
