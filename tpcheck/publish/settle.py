"""What holds a row back from the publication, and what the publication settles itself.

п. 3.5 and 3.6 want every touchpoint accounted for, and п. 5.2 posts the approved Перечень, not
the part of it that passed a check. So a finding holds a row back only when it makes a published
cell wrong or empty: no touchpoint name, no type of touchpoint, no direction (or client, which
chooses the part of the form) that the lists know — :func:`blocking`. Every other finding stays
in the report and the row is published.

Two kinds of finding the publication settles itself, each with a notice (:func:`settle`):

* ``publish-channel-settled`` — the вид of a touchpoint whose type implies it (a site is
  «цифровая», a reception «оффлайн», п. 2.8, 2.9, 4.1) is published as the type implies;
* ``publish-rows-merged`` — rows of one touchpoint of one activity in one file (п. 3.7: one
  touchpoint per process) are published as one row, with the union of their needs.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..classifiers import Classifiers
from ..findings import Issue, issue
from ..text import match_key

__all__ = ["BLOCKING_FIELDS", "SETTLED_CODES", "blocking", "settle"]

#: The columns whose error makes a published cell wrong or empty.
BLOCKING_FIELDS = frozenset({"touchpoint", "touchpoint_type", "direction", "client"})
#: Error codes on those columns that the publication settles instead of holding the row back.
SETTLED_CODES = frozenset({"duplicate-touchpoint", "channel-mismatch"})


def blocking(problem: Issue) -> bool:
    """Whether *problem* holds its row back from the publication (see the module's text)."""
    return (
        problem.severity == "error"
        and problem.field in BLOCKING_FIELDS
        and problem.code not in SETTLED_CODES
    )


def _where(record: dict[str, Any], classifiers: Classifiers, key: str, lang: str) -> dict:
    return {
        "file": record.get("source_file"),
        "sheet": record.get("source_sheet"),
        "row": record.get("source_row"),
        "column": classifiers.column(key).template_header,
        "field": key,
        "lang": lang,
    }


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def settle(
    frame: pd.DataFrame, classifiers: Classifiers, lang: str = "ru"
) -> tuple[pd.DataFrame, list[bool], list[Issue]]:
    """Settle the вид and merge the repeated rows of *frame* (the rows to publish).

    Returns the frame with the settled values, a keep-flag per row (False for a repeat merged
    into its first row) and the notices."""
    frame = frame.copy()
    notices: list[Issue] = []
    records = frame.to_dict("records")
    channels = {entry.code: entry.label for entry in classifiers["channel"]}
    channel_column = list(frame["channel"]) if "channel" in frame else [None] * len(records)
    for position, record in enumerate(records):
        kind = classifiers["touchpoint_type"].match(_text(record.get("touchpoint_type")))
        implied = channels.get(kind.get("channel")) if kind is not None else None
        if implied is None:
            continue
        given = _text(record.get("channel"))
        entry = classifiers["channel"].match(given) if given else None
        if entry is not None and entry.label == implied:
            continue
        channel_column[position] = implied
        notices.append(
            issue(
                "publish-channel-settled",
                value=given or None,
                given=given or "—",
                channel=implied,
                touchpoint_type=kind.label,
                **_where(record, classifiers, "channel", lang),
            )
        )
    if "channel" in frame:
        frame["channel"] = pd.Series(channel_column, index=frame.index, dtype=object)

    order = {label: index for index, label in enumerate(classifiers["need"].labels)}
    keep = [True] * len(records)
    needs_column = [list(record.get("needs") or []) for record in records]
    first_of: dict[tuple[str, str, str], int] = {}
    for position, record in enumerate(records):
        key = (
            str(record.get("source_file")),
            match_key(_text(record.get("activity"))),
            match_key(_text(record.get("touchpoint"))),
        )
        first = first_of.setdefault(key, position)
        if first == position:
            continue
        keep[position] = False
        merged = list(dict.fromkeys([*needs_column[first], *needs_column[position]]))
        merged.sort(key=lambda need: order.get(need, len(order)))
        needs_column[first] = merged
        notices.append(
            issue(
                "publish-rows-merged",
                touchpoint=_text(record.get("touchpoint")),
                activity=_text(record.get("activity")),
                first_row=int(records[first]["source_row"]),
                needs="; ".join(merged),
                **_where(record, classifiers, "touchpoint", lang),
            )
        )
    if "needs" in frame:
        frame["needs"] = pd.Series(needs_column, index=frame.index, dtype=object)
    return frame, keep, notices
