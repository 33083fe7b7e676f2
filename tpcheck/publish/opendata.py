"""The published Перечень as open data: the field list, CSV (UTF-8 with BOM, «;») and JSON.

One record per row of the published form: a touchpoint of a service/function in one part of the
Перечень (a row of a client «внешний и внутренний» is a record in each part). The fields are
documented in docs/publish.md and in the JSON itself (``fields``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..classifiers import Classifiers
from ..output.atomic import atomic_path
from ..output.formula import formula_safe
from ..text import strip_clause_suffix

__all__ = [
    "OPEN_DATA_FIELDS",
    "OpenDataField",
    "field_titles",
    "write_csv",
    "write_json",
]


@dataclass(frozen=True)
class OpenDataField:
    """One field of the open data: its ``name`` (JSON key, CSV header), the column of the column
    spec it comes from (its title is then that column's header) or its own ``title``, and a
    ``description``."""

    name: str
    description: str
    column: str | None = None
    title: str | None = None
    multi: bool = False


OPEN_DATA_FIELDS: tuple[OpenDataField, ...] = (
    OpenDataField(
        "section",
        "код части Перечня по клиенту (external — внешний клиент, internal — внутренний); "
        "строка клиента «внешний и внутренний» есть в обеих частях",
        title="Часть Перечня (код)",
    ),
    OpenDataField("section_title", "заголовок части Перечня", title="Часть Перечня"),
    OpenDataField("number", "номер строки в части Перечня (графа «№» приложения)", title="№"),
    OpenDataField(
        "direction_code", "номер направления деятельности по п. 3.5", title="Код направления"
    ),
    OpenDataField("direction", "направление деятельности (п. 3.5)", column="direction"),
    OpenDataField("activity", "наименование услуги, функции, сервиса", column="activity"),
    OpenDataField(
        "activity_kind", "услуга, функция или сервис (п. 2.4, 2.6, 2.7)", "activity_kind"
    ),
    OpenDataField("client", "клиент, как указан в сведениях (п. 2.2, 2.3)", column="client"),
    OpenDataField("touchpoint", "точка взаимодействия", column="touchpoint"),
    OpenDataField("touchpoint_type", "тип точки взаимодействия (п. 2.5, 4.2)", "touchpoint_type"),
    OpenDataField("channel", "вид точки: цифровая или оффлайн (п. 2.8, 2.9, 4.1)", "channel"),
    OpenDataField("location", "адрес, ссылка, телефон", column="location"),
    OpenDataField(
        "needs",
        "удовлетворяемые потребности клиента (п. 3.7); в JSON — список, в CSV — через «; »",
        column="needs",
        multi=True,
    ),
    OpenDataField(
        "needs_other",
        "какие «другие удовлетворяемые потребности клиента» (п. 3.7 10)), из примечания",
        title="Другие потребности (пояснение)",
    ),
    OpenDataField("procedure", "порядок взаимодействия с клиентом", column="procedure"),
    OpenDataField("operator", "кто обеспечивает взаимодействие (п. 1.1, 2.5)", "operator"),
    OpenDataField("basis_kind", "основание использования точки (п. 3.6)", column="basis_kind"),
    OpenDataField("basis", "реквизиты основания", column="basis"),
)


def field_titles(classifiers: Classifiers) -> dict[str, str]:
    """Field name → its Russian title (the column's header without a clause suffix)."""
    titles = {}
    for item in OPEN_DATA_FIELDS:
        if item.column is not None:
            titles[item.name] = strip_clause_suffix(classifiers.column(item.column).header)
        else:
            titles[item.name] = item.title or item.name
    return titles


def field_list(classifiers: Classifiers) -> list[dict[str, Any]]:
    """The documented field list, as the JSON's ``fields``."""
    titles = field_titles(classifiers)
    return [
        {
            "name": item.name,
            "title": titles[item.name],
            "type": "array" if item.multi else ("integer" if item.name == "number" else "string"),
            "description": item.description,
        }
        for item in OPEN_DATA_FIELDS
    ]


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    return formula_safe(str(value))


def csv_text(records: Iterable[Mapping[str, Any]], *, header: Sequence[str] | None = None) -> str:
    """The records as CSV text (``;``-separated, CRLF, every text formula-safe)."""
    names = [item.name for item in OPEN_DATA_FIELDS]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header or names)
    for record in records:
        writer.writerow([_csv_value(record.get(name)) for name in names])
    return buffer.getvalue()


def write_csv(path: Path, records: Iterable[Mapping[str, Any]]) -> Path:
    """Write the records as CSV in UTF-8 with a BOM, so that Russian Excel opens it as is."""
    with atomic_path(path) as temporary:
        temporary.write_text(csv_text(records), encoding="utf-8-sig", newline="")
    return path


def write_json(path: Path, data: Mapping[str, Any]) -> Path:
    """Write *data* as indented UTF-8 JSON."""
    with atomic_path(path) as temporary:
        temporary.write_text(
            json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return path
