"""How a touchpoint reads in the published form: the lines under its name and its needs spelled
out — shared by the model (:mod:`.model`) and the writers (:mod:`.xlsx`, :mod:`.html`)."""

from __future__ import annotations

from typing import Any

from ..classifiers import Classifiers

__all__ = ["capitalize", "needs_display", "touchpoint_details"]


def capitalize(text: str) -> str:
    """First letter upper-case, the rest as is («функция» → «Функция»)."""
    return text[:1].upper() + text[1:]


def touchpoint_details(record: dict[str, Any], classifiers: Classifiers) -> list[tuple[str, str]]:
    """The lines under the touchpoint's name in the «Точки взаимодействия» cell."""
    kind = classifiers["activity_kind"].match(record.get("activity_kind") or "")
    activity_label = capitalize(kind.label) if kind else "Услуга, функция, сервис"
    lines = [
        ("Тип точки", record.get("touchpoint_type")),
        ("Вид точки", record.get("channel")),
        ("Адрес, ссылка, телефон", record.get("location")),
        (activity_label, record.get("activity")),
    ]
    return [(label, value) for label, value in lines if value]


def needs_display(record: dict[str, Any], classifiers: Classifiers) -> list[str]:
    """The needs as spelled out in the «Порядок» cell; an «other» need gets its explanation."""
    shown = []
    for label in record.get("needs") or []:
        entry = classifiers["need"].match(label)
        if entry is not None and entry.get("other") and record.get("needs_other"):
            shown.append(f"{label}: {record['needs_other']}")
        else:
            shown.append(label)
    return shown
