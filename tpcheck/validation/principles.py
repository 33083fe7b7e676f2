"""The principles of п. 3.8 as findings (warnings) about each service, function or service
(«activity») across its touchpoints:

* ``activity-no-digital`` — no digital touchpoint at all, while interaction through information
  systems and online channels is the preferred one (п. 3.8 2));
* ``activity-digital-only`` — only digital touchpoints and no alternative for the clients who
  cannot use them: people with health problems, low digital skills, a poor command of Russian
  (п. 3.8 4)). An offline touchpoint or a type marked ``alternative`` in the classifiers (the
  phone line) is such an alternative.

A row's вид is the one written, or the one its type implies when the cell is empty or not in
the list; rows whose вид is known neither way do not count. One warning per activity, at the
«activity» cell of its first row.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from ..findings import Issue
from .facts import Facts

__all__ = ["PRINCIPLE_RULES", "activity_channels"]


def _row_channels(facts: Facts) -> pd.Series:
    """Per row, the code of its вид (``digital``, ``offline``) or None."""
    channels = facts.classifiers["channel"]
    by_label = {entry.label: entry.code for entry in channels}
    codes = set(channels.codes)
    implied = {
        label: entry.get("channel")
        for label, entry in facts.type_entries.items()
        if entry.get("channel") in codes
    }
    written = facts.column("channel").map(by_label)
    from_type = facts.column("touchpoint_type").map(implied)
    return written.where(written.notna(), from_type)


def activity_channels(facts: Facts) -> Iterator[Issue]:
    """п. 3.8 2) and 4): see the module's docstring."""
    alternatives = {
        label for label, entry in facts.type_entries.items() if entry.get("alternative")
    }
    table = pd.DataFrame(
        {
            "activity": facts.activity_key,
            "channel": _row_channels(facts),
            "alternative": facts.column("touchpoint_type").isin(alternatives),
        }
    )
    table = table[table["activity"].notna() & table["channel"].notna()]
    if table.empty:
        return
    names = facts.values("activity")
    position_of = np.arange(len(facts.data))
    for _, group in table.groupby("activity", sort=False):
        first = int(position_of[group.index[0]])
        digital = group["channel"] == "digital"
        params = {"activity": names[first], "count": len(group)}
        if not digital.any():
            yield facts.locator.cell("activity-no-digital", facts.data, first, "activity", **params)
        elif digital.all() and not group["alternative"].any():
            yield facts.locator.cell(
                "activity-digital-only", facts.data, first, "activity", **params
            )


#: The rules of п. 3.8, in the order they run.
PRINCIPLE_RULES = (activity_channels,)
