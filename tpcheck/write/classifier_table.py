"""The «Классификаторы» sheet as a reader's table: what each value of a list implies, in words.

The list-specific keys of an entry (a touchpoint type's ``channel`` and ``requirements``, a
requirement's ``kind`` and ``limit`` …) are data for the program; a clerk reads them here as
«вид: цифровая; требования п. 4.2: 4.2.1», never as ``requirements = ('4.2.1',)``. Keys that are
only for the program (the matching pattern of a location, its English label) are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..classifiers import Classifiers, Entry
from ..output.config import Labels

__all__ = ["entry_meaning"]

#: Keys the program reads and a reader has no use for.
_HIDDEN = frozenset({"pattern", "label_en"})


def _labels_of(classifiers: Classifiers, name: str, codes: Iterable[str]) -> str:
    entries = {e.code: e.label for e in classifiers[name]} if name in classifiers.lists else {}
    return ", ".join(entries.get(code, code) for code in codes)


def _columns_of(classifiers: Classifiers, keys: Iterable[str]) -> str:
    headers = {c.key: c.header for c in (*classifiers.columns, *classifiers.requirement_columns)}
    return ", ".join(f"«{headers.get(key, key)}»" for key in keys)


def _limit(entry: Entry, labels: Labels) -> str:
    unit = entry.get("unit", "")
    return labels.format("meaning_limit", limit=entry.get("limit"), unit=unit).strip()


_Phrase = Callable[[Classifiers, Entry, Any, Labels], str]

#: One phrase per key: (classifiers, entry, value, labels) → the words, or "" for nothing to say.
_PHRASES: dict[str, _Phrase] = {
    "note": lambda c, e, v, lab: str(v),
    "restored": lambda c, e, v, lab: lab["meaning_restored"] if v and not e.get("note") else "",
    "clients": lambda c, e, v, lab: lab.format("meaning_clients", value=_labels_of(c, "client", v)),
    "other": lambda c, e, v, lab: lab["meaning_other"] if v else "",
    "channel": lambda c, e, v, lab: lab.format(
        "meaning_channel",
        value=_labels_of(c, "channel", [v]) if v != "any" else lab["meaning_channel_any"],
    ),
    "requirements": lambda c, e, v, lab: (
        lab.format("meaning_requirements", value=", ".join(v))
        if v
        else lab["meaning_no_requirements"]
    ),
    "location": lambda c, e, v, lab: lab.format(
        "meaning_location", value=_labels_of(c, "location", [v])
    ),
    "section_title": lambda c, e, v, lab: lab.format("meaning_section", value=v),
    "publish_in": lambda c, e, v, lab: lab.format(
        "meaning_publish_in", value=_labels_of(c, "client", v)
    ),
    "needs_requisites": lambda c, e, v, lab: lab["meaning_requisites"] if v else "",
    "registry": lambda c, e, v, lab: lab["meaning_registry"] if v else "",
    "fields": lambda c, e, v, lab: lab.format("meaning_fields", value=_columns_of(c, v)),
    "group": lambda c, e, v, lab: lab.format("meaning_group", value=v),
    "kind": lambda c, e, v, lab: lab.format(
        "meaning_kind", value=lab[f"meaning_kind_{v}"] if f"kind_{v}" in _KINDS else v
    ),
    "limit": lambda c, e, v, lab: _limit(e, lab),
    "unit": lambda c, e, v, lab: "",
}
_KINDS = frozenset({"kind_yes_no", "kind_number"})


def entry_meaning(classifiers: Classifiers, entry: Entry, labels: Labels) -> str:
    """What *entry* implies, in the reader's words, phrases joined by «; ».

    A key with no phrase of its own is shown as «key: value» with lists joined by commas, so a
    department's own keys still read without Python punctuation.
    """
    phrases = []
    for key, value in entry.extra.items():
        if key in _HIDDEN:
            continue
        phrase = _PHRASES.get(key)
        if phrase is not None:
            text = phrase(classifiers, entry, value, labels)
        elif isinstance(value, list | tuple):
            text = f"{key}: {', '.join(map(str, value))}"
        elif isinstance(value, bool):
            text = f"{key}: {labels['meaning_yes'] if value else labels['meaning_no']}"
        else:
            text = f"{key}: {value}"
        if text:
            phrases.append(text)
    return "; ".join(phrases)
