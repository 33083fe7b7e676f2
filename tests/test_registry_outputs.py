"""The completeness table of the registry of processes in «Сводка» and oshibki.html: built from a
hand-made ``report.extra["registry"]`` (the completeness check fills it), so these tests do not
depend on the registry reader."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from tpcheck.findings import Report
from tpcheck.merge import _pipeline
from tpcheck.output.config import output_spec
from tpcheck.write import render_html

from .conftest import ROOT
from .outputs_sample import sample_frame, sample_issues
from .xlsx_parts import assert_same_workbook

GOLDEN = ROOT / "tests" / "golden" / "outputs"
ERROR_FILL = "FF" + output_spec().colors["error_fill"].lstrip("#").upper()
INFO = "обеспечение доступа к информации о деятельности исполнительного органа области"
SERVICES = "предоставление государственных услуг, услуг"
APPEALS = "рассмотрение обращений и запросов"
REGISTRY_FILE = "reestr.xlsx"


def _entry(row, activity, direction, subdivision, touchpoints, digital, code=None):
    return {
        "file": REGISTRY_FILE,
        "sheet": "Реестр",
        "row": row,
        "code": code,
        "direction": direction,
        "kind": None,
        "activity": activity,
        "subdivision": subdivision,
        "touchpoints": touchpoints,
        "digital": digital,
    }


REGISTRY = {
    "file": REGISTRY_FILE,
    "entries": [
        _entry(2, "Информирование населения", INFO, "Отдел информационной политики", 4, 3, "F-1"),
        _entry(3, "Рассмотрение обращений граждан", APPEALS, "ГКУ «Центр ГО и ЧС»", 1, 0),
        _entry(4, "Выдача справок", SERVICES, "ГКУ «Центр ГО и ЧС»", 0, 0),
        _entry(5, "Учет обучения", "направление без списка", None, 0, 0),
    ],
}


def _report(frame, lang: str = "ru", registry=REGISTRY) -> Report:
    extra = {} if registry is None else {"registry": registry}
    return Report(sample_issues(lang), frame.tpcheck.files, rows=len(frame), lang=lang, extra=extra)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("registry") / "out"
    frame = sample_frame()
    result = _pipeline(frame, _report(frame), kind="merge", lang="ru", inputs=["vhod"], roster="r")
    result.write(folder, workers=1)
    return folder


def _table(sheet, title: str) -> tuple[list, list[list], list[list[str | None]]]:
    """Headers, rows and fills of the Excel table under the title *title* (up to a blank row)."""
    rows = list(sheet.iter_rows())
    start = next(i for i, row in enumerate(rows) if row[0].value == title)
    header = next(i for i in range(start + 1, len(rows)) if rows[i][1].value is not None)
    out, fills = [], []
    for row in rows[header + 1 :]:
        if row[0].value is None:
            break
        out.append([c.value for c in row[:6]])
        fills.append([c.fill.fgColor.rgb if c.fill.fill_type else None for c in row[:6]])
    return [c.value for c in rows[header][:6]], out, fills


def test_summary_registry_table_cells_and_marks(written):
    sheet = openpyxl.load_workbook(written / "perechen_svodny.xlsx")["Сводка"]
    headers, rows, fills = _table(sheet, "Полнота по реестру процессов (п. 3.1, 3.5)")
    assert headers == [
        "Услуга, функция, сервис",
        "Направление деятельности (п. 3.5)",
        "Подразделение",
        "Есть точки",
        "Точек",
        "Доля цифровых",
    ]
    assert rows == [
        ["Информирование населения", INFO, "Отдел информационной политики", "да", 4, 0.75],
        ["Рассмотрение обращений граждан", APPEALS, "ГКУ «Центр ГО и ЧС»", "да", 1, 0],
        ["Выдача справок", SERVICES, "ГКУ «Центр ГО и ЧС»", "нет", 0, None],
        ["Учет обучения", "направление без списка", None, "нет", 0, None],
    ]
    assert [set(f) for f in fills] == [{None}, {None}, {ERROR_FILL}, {ERROR_FILL}]
    _, directions, fills = _table(sheet, "Реестр по направлениям (п. 3.5)")
    by_name = {row[0]: row[1:] for row in directions}
    assert list(by_name)[:7] == [
        SERVICES,
        "предоставление мер государственной поддержки",
        "осуществление государственного контроля (надзора)",
        APPEALS,
        INFO,
        "организация отношений с внутренним клиентом (сотрудником)",
        "иные функции, услуги, сервисы",
    ]
    assert by_name[SERVICES] == [1, 0, 1, 0, None]
    assert by_name[INFO] == [1, 1, 0, 4, 0.75]
    assert by_name["направление не указано или не из списка"] == [1, 0, 1, 0, None]
    assert directions[-1] == ["Все направления", 4, 2, 2, 5, 0.6]
    assert fills[0] == [ERROR_FILL] * 6 and set(fills[1]) == {None}
    _, subdivisions, _ = _table(sheet, "Реестр по ответственным подразделениям")
    assert subdivisions == [
        ["Отдел информационной политики", 1, 1, 0, 4, 0.75],
        ["ГКУ «Центр ГО и ЧС»", 2, 1, 1, 1, 0],
        ["подразделение не указано", 1, 0, 1, 0, None],
    ]
    notes = [row[0].value for row in sheet.iter_rows()]
    assert f"Реестр: {REGISTRY_FILE}" in notes


def test_consolidated_workbook_with_registry_matches_golden(written):
    assert_same_workbook(written / "perechen_svodny.xlsx", GOLDEN / "perechen_svodny_reestr.xlsx")


class _Tables(HTMLParser):
    """The tables of class «reg»: caption, header cells with scope, rows with their class."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._in: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("class") == "reg":
            self.tables.append({"caption": "", "head": [], "rows": []})
        elif not self.tables or self.tables[-1].get("done"):
            return
        elif tag == "caption":
            self._in = "caption"
        elif tag == "tr":
            self.tables[-1]["rows"].append({"class": attrs.get("class"), "cells": []})
        elif tag in ("th", "td"):
            self._cell = [tag, attrs.get("scope"), attrs.get("data-label"), ""]

    def handle_endtag(self, tag):
        if not self.tables or self.tables[-1].get("done"):
            return
        if tag == "caption":
            self._in = None
        elif tag in ("th", "td") and self._cell is not None:
            self.tables[-1]["rows"][-1]["cells"].append(tuple(self._cell))
            self._cell = None
        elif tag == "table":
            self.tables[-1]["done"] = True

    def handle_data(self, data):
        if self._in == "caption":
            self.tables[-1]["caption"] += data
        elif self._cell is not None:
            self._cell[3] += data


def _html_tables(page: str) -> list[dict]:
    parser = _Tables()
    parser.feed(page)
    return parser.tables


def test_html_registry_tables_are_accessible_and_marked():
    frame = sample_frame()
    page = render_html(_report(frame), "ru", frame.tpcheck.context.classifiers)
    entries, directions, subdivisions = _html_tables(page)
    assert entries["caption"] == "Записи реестра"
    assert '<h2 id="registry-h">Полнота по реестру процессов (п. 3.1, 3.5)</h2>' in page
    assert directions["caption"] == "Реестр по направлениям (п. 3.5)"
    assert subdivisions["caption"] == "Реестр по ответственным подразделениям"
    head = entries["rows"][0]["cells"]
    assert all(tag == "th" and scope == "col" for tag, scope, _, _ in head)
    body = entries["rows"][1:]
    assert [row["class"] for row in body] == [None, None, "missing", "missing"]
    assert [[c[3] for c in row["cells"]] for row in body] == [
        ["Информирование населения", INFO, "Отдел информационной политики", "да", "4", "75%"],
        ["Рассмотрение обращений граждан", APPEALS, "ГКУ «Центр ГО и ЧС»", "да", "1", "0%"],
        ["Выдача справок", SERVICES, "ГКУ «Центр ГО и ЧС»", "нет", "0", "—"],
        ["Учет обучения", "направление без списка", "—", "нет", "0", "—"],
    ]
    assert [c[0] for c in head] == ["th"] * 6
    assert 'class="num"' not in page.split("<caption>Записи реестра</caption>")[1].split("Есть")[0]
    for row in body:  # the row is named by a header cell; every data cell carries its header
        first, *rest = row["cells"]
        assert first[:2] == ("th", "row")
        assert [c[2] for c in rest] == [c[3] for c in head[1:]]
    total = directions["rows"][-1]
    assert total["class"] == "total"
    assert [c[3] for c in total["cells"]] == ["Все направления", "4", "2", "2", "5", "60%"]
    assert [c[3] for c in subdivisions["rows"][2]["cells"]] == [
        "ГКУ «Центр ГО и ЧС»",
        "2",
        "1",
        "1",
        "1",
        "0%",
    ]
    assert "table.reg" in page and "@media (max-width:700px)" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no external assets


def test_html_registry_in_english():
    frame = sample_frame()
    page = render_html(_report(frame, "en"), "en")
    entries, directions, subdivisions = _html_tables(page)
    assert entries["caption"] == "Registry entries"
    assert "Completeness against the registry of processes (cl. 3.1, 3.5)</h2>" in page
    assert [c[3] for c in entries["rows"][0]["cells"]][3:] == [
        "Has touchpoints",
        "Touchpoints",
        "Digital share",
    ]
    assert [c[3] for c in entries["rows"][3]["cells"]][3] == "no"
    assert [c[3] for c in subdivisions["rows"][0]["cells"]][1:4] == [
        "Registry entries",
        "With touchpoints",
        "Without touchpoints",
    ]
    assert directions["rows"][-1]["cells"][0][3] == "All directions"


def test_without_registry_the_page_has_no_registry_table():
    frame = sample_frame()
    with_registry = render_html(_report(frame), "ru")
    without = render_html(_report(frame, registry=None), "ru")
    assert _html_tables(without) == [] and "table.reg" not in without
    assert without == render_html(Report(sample_issues(), frame.tpcheck.files, rows=len(frame)))
    assert with_registry != without


def test_registry_with_no_entries_gives_empty_tables_and_zero_totals():
    frame = sample_frame()
    page = render_html(_report(frame, registry={"file": None, "entries": []}), "ru")
    entries, directions, subdivisions = _html_tables(page)
    assert len(entries["rows"]) == 1 and len(subdivisions["rows"]) == 1
    assert [c[3] for c in directions["rows"][-1]["cells"]] == [
        "Все направления",
        "0",
        "0",
        "0",
        "0",
        "—",
    ]
    assert "Реестр:" not in page
