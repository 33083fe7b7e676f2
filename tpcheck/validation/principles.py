"""The principles of п. 3.8 as warnings about a whole service (function, digital service):

- ``no-digital-touchpoint`` (п. 3.8 2)): online channels are the preferred ones, and none of the
  service's touchpoints is digital;
- ``no-offline-alternative`` (п. 3.8 3), 4)): every touchpoint of the service is digital, so a
  client who cannot use them (health, age, low digital skills, little Russian) has no other way.

What a service is here: an activity of the «Перечень» (its name, compared by its match key)
across the whole Department — every file sent, not one subdivision's file. Touchpoints of one
service are often kept by different subdivisions (the site by one, personal reception by
another); judging each file alone would warn about services that are well served. So both rules
are cross-file (:data:`~tpcheck.validation.rules.CROSS_FILE_RULES`): the finding is given once
per file that has rows of the service, at its first such row.

A touchpoint's вид is the one its type implies (п. 4.1: a site is digital whatever the row
says — a contradiction is ``channel-mismatch``); for types that may be either (phone, voice
assistant, «иное») it is the row's «Вид точки». A service with a row whose вид is unknown is not
judged by the rule the unknown row could change.

No alternative is expected (``alternative_expected = false`` in the classifiers) of a digital
service (п. 2.4: a service in electronic form by definition) and of a service whose every row
serves the internal client (п. 3.8 4) speaks of the Department's clients with health problems,
low digital skills or little Russian; its own staff reach it through internal systems).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from ..findings import Issue
from .facts import Facts

__all__ = ["PRINCIPLE_RULES", "no_digital_touchpoint", "no_offline_alternative"]

#: How many touchpoint names a finding lists before «и ещё N».
_SHOWN = 5


def _channel_codes(facts: Facts) -> pd.Series:
    """Per row, the code of its вид (``digital``/``offline``): the type's when the type implies
    one, else the row's own; NaN when neither is known."""
    codes = {entry.label: entry.code for entry in facts.classifiers["channel"]}
    implied = facts.column("touchpoint_type").map(
        {
            label: entry.get("channel")
            for label, entry in facts.type_entries.items()
            if entry.get("channel") in codes.values()
        }
    )
    return implied.where(implied.notna(), facts.column("channel").map(codes))


def _no_alternative_expected(facts: Facts, key: str, list_name: str) -> pd.Series:
    """Per row, True when its *key* value is an entry with ``alternative_expected = false``."""
    exempt = [
        entry.label
        for entry in facts.classifiers[list_name]
        if entry.get("alternative_expected") is False
    ]
    return facts.column(key).isin(exempt)


def _services(facts: Facts) -> pd.DataFrame:
    """Per service (activity match key): how many rows, how many are digital or offline, and
    whether no alternative is expected of it. Computed once for both rules."""
    cached = facts.__dict__.get("_principle_services")
    if cached is not None:
        return cached
    channel = _channel_codes(facts)
    frame = pd.DataFrame(
        {
            "service": facts.activity_key,
            "digital": (channel == "digital").to_numpy(),
            "offline": (channel == "offline").to_numpy(),
            "exempt_kind": _no_alternative_expected(facts, "activity_kind", "activity_kind"),
            "exempt_client": _no_alternative_expected(facts, "client", "client"),
        }
    )
    frame = frame[frame["service"].notna() & facts.touchpoint_key.notna()]
    grouped = frame.groupby("service", sort=False)
    services = pd.DataFrame(
        {
            "rows": grouped.size(),
            "digital": grouped["digital"].sum(),
            "offline": grouped["offline"].sum(),
            "exempt": grouped["exempt_kind"].any() | grouped["exempt_client"].all(),
        }
    )
    facts.__dict__["_principle_services"] = services
    return services


def _touchpoints(
    facts: Facts, members: list[int], keys: np.ndarray, texts: np.ndarray
) -> tuple[int, str]:
    """How many touchpoints the rows *members* are (one touchpoint sent twice counts once, by
    its match key among *keys*) and their names (*texts*), the first :data:`_SHOWN` of them."""
    names: dict[str, str] = {}
    for position in members:
        names.setdefault(keys[position], str(texts[position]).strip())
    shown = "; ".join(f"«{name}»" for name in list(names.values())[:_SHOWN])
    rest = len(names) - _SHOWN
    if rest > 0:
        shown += f" и ещё {rest}" if facts.lang == "ru" else f" and {rest} more"
    return len(names), shown


def _per_file(facts: Facts, code: str, flagged: pd.Index) -> Iterator[Issue]:
    """*code* at the activity cell of the first row of each flagged service in each file."""
    if flagged.empty:
        return
    chosen = facts.activity_key.isin(flagged) & facts.touchpoint_key.notna()
    at = np.flatnonzero(chosen.to_numpy()).tolist()
    service_keys = facts.activity_key.to_numpy(dtype=object)
    files = facts.values("source_file")
    members: dict[str, list[int]] = {}  # a service → its rows, in every file
    firsts: dict[tuple[str, object], int] = {}  # (service, file) → its first row there
    for position in at:
        key = service_keys[position]
        members.setdefault(key, []).append(position)
        firsts.setdefault((key, files[position]), position)
    file_counts: dict[str, int] = {}
    for key, _ in firsts:
        file_counts[key] = file_counts.get(key, 0) + 1
    activities, texts = facts.values("activity"), facts.values("touchpoint")
    touchpoint_keys = facts.touchpoint_key.to_numpy(dtype=object)
    for (key, _), position in firsts.items():
        count, names = _touchpoints(facts, members[key], touchpoint_keys, texts)
        yield facts.locator.cell(
            code,
            facts.data,
            position,
            "activity",
            activity=activities[position],
            count=count,
            files=file_counts[key],
            touchpoints=names,
        )


def no_digital_touchpoint(facts: Facts) -> Iterator[Issue]:
    """п. 3.8 2): every touchpoint of the service (in all files) is offline."""
    services = _services(facts)
    flagged = services.index[(services["offline"] == services["rows"]).to_numpy()]
    yield from _per_file(facts, "no-digital-touchpoint", flagged)


def no_offline_alternative(facts: Facts) -> Iterator[Issue]:
    """п. 3.8 4): every touchpoint of the service (in all files) is digital and an alternative
    is expected of it."""
    services = _services(facts)
    mask = (services["digital"] == services["rows"]) & ~services["exempt"]
    yield from _per_file(facts, "no-offline-alternative", services.index[mask.to_numpy()])


#: The п. 3.8 rules; both compare rows of different files.
PRINCIPLE_RULES = (no_digital_touchpoint, no_offline_alternative)
