"""Build frames of the read contract (tpcheck/frame.py) by hand, for tests of the later stages.

``frame_from_files({"a.xlsx": [{"direction": "1", ...}, ...]})`` gives the frame `tpcheck.read`
would give for those files laid out as the template (header in row 1, example in row 2, data from
row 3), with a ReadContext (FileInfo with the template's column layout, requirement rows).
Cell values are what a clerk typed; they are normalised by tpcheck.reading.normalize
like the reader does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from tpcheck.classifiers import Classifiers, default_classifiers
from tpcheck.findings import FileInfo
from tpcheck.frame import CONTEXT_KEY, ReadContext
from tpcheck.reading.normalize import normalize

FIRST_DATA_ROW = 3  # header in row 1, example row 2

#: The findings of п. 3.8, judged per service across every file sent
#: (tpcheck/validation/principles.py). A fixture's service has one touchpoint, digital or
#: offline, so it always draws one of them: tests of other checks leave them out through
#: :func:`flatten` and :func:`others`; tests/test_principles.py tests them.
SERVICE_WIDE = frozenset({"no-digital-touchpoint", "no-offline-alternative"})


def others(issues: Sequence[Any]) -> list[Any]:
    """*issues* (Issue objects or report.json dicts) without the п. 3.8 findings."""
    return [
        item
        for item in issues
        if (item["code"] if isinstance(item, Mapping) else item.code) not in SERVICE_WIDE
    ]


def flatten(report: Any, keys: Sequence[str] = ("row", "field", "code"), severities=None) -> list:
    """``report.flatten(keys, severities)`` without the п. 3.8 findings."""
    kept = {"error", "warning", "notice"} if severities is None else set(severities)
    return [
        [getattr(found, key) for key in keys]
        for found in report.records
        if found.severity in kept and found.code not in SERVICE_WIDE
    ]


def valid_row(**overrides: Any) -> dict[str, Any]:
    """A complete, valid row (a site of the Department), with *overrides* applied."""
    row = {
        "number": "1",
        "direction": "обеспечение доступа к информации о деятельности исполнительного органа "
        "области",
        "activity": "Информирование населения о деятельности Департамента",
        "activity_kind": "функция",
        "client": "внешний",
        "touchpoint": "Официальный сайт Департамента",
        "touchpoint_type": "официальный сайт (портал) Департамента, учреждения",
        "channel": "цифровая",
        "location": "https://dchs.kuzbass.ru",
        "needs": "получение информации; предоставление обратной связи",
        "procedure": "Круглосуточно; новости и документы в разделе «Деятельность»",
        "basis_kind": "нормативный правовой акт",
        "basis": "Федеральный закон от 09.02.2009 № 8-ФЗ",
        "operator": "Департамент",
        "subdivision": "Отдел информационной политики",
        "demand_tracked": "да",
        "note": None,
    }
    row.update(overrides)
    return row


def _layout(columns) -> dict[str, tuple[int, str]]:
    return {c.key: (i, c.template_header) for i, c in enumerate(columns)}


def frame_from_files(
    files: Mapping[str, Sequence[Mapping[str, Any]]],
    requirements: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    classifiers: Classifiers | None = None,
) -> pd.DataFrame:
    """The frame `tpcheck.read` gives for *files* (file name → rows of cell texts) laid out as
    the template, with *requirements* (file name → rows of the «Требования п. 4.2» sheet)."""
    classifiers = classifiers or default_classifiers()
    sheets = classifiers.sheets
    requirements = requirements or {}
    cells, requirement_cells, infos = [], [], []
    for path, rows in files.items():
        for offset, row in enumerate(rows):
            cells.append(
                {
                    "source_file": path,
                    "source_sheet": sheets.data,
                    "source_row": FIRST_DATA_ROW + offset,
                    **row,
                }
            )
        req_rows = requirements.get(path, [])
        for offset, row in enumerate(req_rows):
            requirement_cells.append(
                {
                    "source_file": path,
                    "source_sheet": sheets.requirements,
                    "source_row": FIRST_DATA_ROW + offset,
                    **row,
                }
            )
        infos.append(
            FileInfo(
                path=path,
                status="ok",
                rows=len(rows),
                format="xlsx",
                sheet=sheets.data,
                header_row=1,
                columns=_layout(classifiers.columns),
                requirements_sheet=sheets.requirements,
                requirement_rows=len(req_rows),
                requirement_header_row=1,
                requirement_columns=_layout(classifiers.requirement_columns),
            )
        )
    provenance = pd.DataFrame(columns=["source_file", "source_sheet", "source_row"])
    frame = normalize(cells or provenance, classifiers.columns, classifiers)
    frame_requirements = normalize(
        requirement_cells or provenance,
        classifiers.requirement_columns,
        classifiers,
    )
    frame.attrs[CONTEXT_KEY] = ReadContext(
        classifiers=classifiers,
        files=infos,
        issues=[],
        requirements=frame_requirements,
    )
    return frame
