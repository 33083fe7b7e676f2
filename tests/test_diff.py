"""Actualization: identity of a touchpoint across versions, the п. 5.3 grounds, the deadline."""

from __future__ import annotations

import copy
import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest

from tpcheck.diff.model import Diff
from tpcheck.findings import Report
from tpcheck.publish.model import Publication

from . import publish_data as data
from .conftest import ROOT
from .frames import frame_from_files, valid_row
from .xlsx_parts import assert_same_workbook

CHANGED_ON = dt.date(2024, 12, 25)


def base() -> dict[str, list[dict]]:
    """Six valid rows: two services of the information department, one of the staff department."""
    rows = data.rows()
    return {data.INFO: rows[data.INFO], data.STAFF: rows[data.STAFF][:2]}


def version(rows: dict[str, list[dict]]) -> Publication:
    return Publication.from_frame(frame_from_files(rows), Report(), as_of=CHANGED_ON)


def compare(change) -> Diff:
    """The diff between the base and the base changed in place by *change*."""
    new = copy.deepcopy(base())
    change(new)
    return Diff.between(version(base()), version(new), changed_on=CHANGED_ON)


def table(result: Diff) -> list[tuple]:
    return [
        (c.kind, c.grounds, c.touchpoint, [f.key for f in c.fields], c.matched_by)
        for c in result.changes
    ]


def test_no_change_no_deadline():
    result = compare(lambda rows: None)
    assert (result.changes, result.deadline) == ([], None)
    assert "Изменений нет" in result.summary_text()


def test_spacing_case_and_yo_are_not_changes():
    def edit(rows):
        rows[data.INFO][0]["touchpoint"] = "  официальный  САЙТ Департамента. "
        rows[data.INFO][0]["procedure"] = rows[data.INFO][0]["procedure"].upper()

    assert compare(edit).changes == []


def test_ground_1_a_service_removed_and_a_service_added():
    def edit(rows):
        del rows[data.STAFF]
        rows[data.INFO].append(
            valid_row(activity="Оповещение населения", touchpoint="Сирены", touchpoint_type="иное")
        )

    assert table(compare(edit)) == [
        ("added", ("1",), "Сирены", [], None),
        ("removed", ("1",), "Кадровый портал Департамента", [], None),
        ("removed", ("1",), "Отдел кадров, кабинет 214", [], None),
    ]


def test_ground_2_type_or_channel_changed():
    def edit(rows):
        rows[data.INFO][2]["touchpoint_type"] = "голосовой помощник"
        rows[data.INFO][2]["channel"] = "цифровая"  # a hotline may be either
        # an office is «оффлайн» by its type: the publication settles it back, nothing changes
        rows[data.STAFF][1]["channel"] = "цифровая"

    assert table(compare(edit)) == [
        (
            "changed",
            ("2",),
            "Телефон «горячей линии» Департамента",
            ["touchpoint_type", "channel"],
            "key",
        ),
    ]


def test_ground_3_needs_changed_with_old_and_new_values():
    def edit(rows):
        rows[data.INFO][1]["needs"] = "1; 2; 8; 9"

    result = compare(edit)
    assert table(result) == [
        ("changed", ("3",), "Сообщество Департамента во ВКонтакте", ["needs"], "key")
    ]
    field = result.changes[0].fields[0]
    assert (field.header, field.old, field.new) == (
        "Удовлетворяемые потребности клиента",
        "получение информации; получение консультации; предоставление обратной связи",
        "получение информации; получение консультации; предоставление обратной связи; "
        "получение результата рассмотрения обратной связи",
    )


def test_type_and_needs_changed_together_fall_under_grounds_2_and_3():
    def edit(rows):
        rows[data.INFO][3]["touchpoint_type"] = "чат-бот"
        rows[data.INFO][3]["needs"] = "4; 5; 6"

    assert table(compare(edit)) == [
        (
            "changed",
            ("2", "3"),
            "Электронная почта Департамента",
            ["touchpoint_type", "needs"],
            "key",
        )
    ]


def test_editorial_changes():
    def edit(rows):
        rows[data.INFO][0]["procedure"] = "Круглосуточно"
        rows[data.STAFF][0]["location"] = "https://portal.dchs.local/kadry"

    assert table(compare(edit)) == [
        ("changed", ("editorial",), "Официальный сайт Департамента", ["procedure"], "key"),
        ("changed", ("editorial",), "Кадровый портал Департамента", ["location"], "key"),
    ]


def test_a_renamed_service_is_a_change_not_a_removal_and_an_addition():
    def edit(rows):
        for row in rows[data.INFO][:2]:
            row["activity"] = "Информирование граждан о работе Департамента"

    assert table(compare(edit)) == [
        ("changed", ("editorial",), "Официальный сайт Департамента", ["activity"], "similarity"),
        (
            "changed",
            ("editorial",),
            "Сообщество Департамента во ВКонтакте",
            ["activity"],
            "similarity",
        ),
    ]


def test_a_change_paired_by_likeness_reads_probably_the_same_touchpoint(tmp_path):
    def edit(rows):
        rows[data.INFO][0]["activity"] = "Информирование граждан о работе Департамента"
        rows[data.INFO][1]["needs"] = "1; 2"

    page = compare(edit).write(tmp_path)["html"].read_text(encoding="utf-8")
    assert page.count("вероятно, та же точка: сопоставлена по сходству граф") == 1


def test_a_renamed_service_whose_needs_changed_too_is_paired_under_ground_3():
    def edit(rows):
        rows[data.STAFF][0]["activity"] = "Кадровые услуги сотрудникам"
        rows[data.STAFF][0]["needs"] = "3; 4"

    assert table(compare(edit)) == [
        ("changed", ("3",), "Кадровый портал Департамента", ["activity", "needs"], "similarity")
    ]


def test_a_renamed_touchpoint_is_a_change():
    def edit(rows):
        rows[data.INFO][1]["touchpoint"] = "Группа Департамента ВКонтакте"

    assert table(compare(edit)) == [
        ("changed", ("editorial",), "Группа Департамента ВКонтакте", ["touchpoint"], "similarity")
    ]


def test_a_different_touchpoint_in_place_of_another_is_removed_and_added():
    def edit(rows):
        rows[data.STAFF][1] = dict(
            rows[data.STAFF][1],
            touchpoint="Чат-бот отдела кадров",
            touchpoint_type="чат-бот",
            channel="цифровая",
            location="https://t.me/dchs_hr_bot",
            procedure="Круглосуточно: справки и заявления через бота",
        )

    assert table(compare(edit)) == [
        ("removed", ("editorial",), "Отдел кадров, кабинет 214", [], None),
        ("added", ("editorial",), "Чат-бот отдела кадров", [], None),
    ]


def test_the_deadline_and_the_json():
    result = compare(lambda rows: rows[data.INFO][0].update(procedure="Круглосуточно"))
    assert result.deadline.date == dt.date(2025, 1, 17)
    payload = result.to_dict()
    assert payload["deadline"]["publish_by"] == "2025-01-17"
    assert payload["deadline"]["working_days"] == 10
    assert payload["summary"]["by_ground"] == {"1": 0, "2": 0, "3": 0, "editorial": 1}
    assert payload["changes"][0]["old_source"] == {"file": data.INFO, "row": 3}
    assert "не позднее 17.01.2025 (10 рабочих дней, п. 5.5)" in result.summary_text()


def test_a_change_in_internal_fields_only_is_listed_without_a_deadline():
    def edit(rows):
        rows[data.INFO][0]["subdivision"] = "Отдел связей с общественностью"
        rows[data.INFO][1]["basis"] = "Положение об отделе от 01.02.2025 № 3"

    result = compare(edit)
    assert [(c.kind, c.grounds, [f.key for f in c.fields]) for c in result.changes] == [
        ("changed", ("editorial",), ["subdivision"]),
        ("changed", ("editorial",), ["basis"]),
    ]
    assert [result.posting(c) for c in result.changes] == [False, False]
    assert result.deadline is None
    assert [c["posting"] for c in result.to_dict()["changes"]] == [False, False]
    assert "срок п. 5.5 не установлен" in result.summary_text()


def test_a_change_in_a_published_field_with_an_internal_one_keeps_its_deadline():
    def edit(rows):
        rows[data.INFO][0]["subdivision"] = "Отдел связей с общественностью"
        rows[data.INFO][1]["location"] = "+7 (3842) 00-00-99"

    result = compare(edit)
    assert sorted(result.posting(c) for c in result.changes) == [False, True]
    assert result.deadline is not None and result.deadline.date == dt.date(2025, 1, 17)


def golden_diff() -> Diff:
    def edit(rows):
        del rows[data.STAFF][1]
        rows[data.INFO][0]["activity"] = "Информирование граждан о деятельности Департамента"
        rows[data.INFO][1]["needs"] = "1; 2"
        rows[data.INFO][2]["touchpoint_type"] = "голосовой помощник"
        rows[data.INFO][3]["procedure"] = "=Ответ на адрес отправителя"

    return compare(edit)


def test_the_change_report_matches_the_golden_workbook(tmp_path):
    result = golden_diff()
    paths = result.write(tmp_path)
    assert_same_workbook(paths["xlsx"], ROOT / "tests" / "golden" / "publish" / "changes.xlsx")
    assert json.loads(paths["json"].read_text(encoding="utf-8")) == result.to_dict()
    page = paths["html"].read_text(encoding="utf-8")
    assert '<html lang="ru">' in page and "<caption>Изменения Перечня: 5</caption>" in page
    assert "<script" not in page


def test_the_change_numbers_are_numbers_not_texts(tmp_path):
    from tpcheck.diff.write import HEADER_ROW, SHEET

    result = golden_diff()
    sheet = openpyxl.load_workbook(result.write(tmp_path)["xlsx"])[SHEET]
    cells = [row[0] for row in sheet.iter_rows(min_row=HEADER_ROW + 2)]
    assert {c.data_type for c in cells} == {"n"}
    assert sorted({c.value for c in cells}) == list(range(1, len(result.changes) + 1))


@pytest.mark.parametrize("ground", ["1", "2", "3"])
def test_every_ground_has_fields_or_the_registry_mark(ground):
    from tpcheck.classifiers import default_classifiers

    entry = default_classifiers()["update_ground"].by_code(ground)
    assert entry.get("registry") or entry.get("fields")


# ------------------------------------------------------------------------------ with registries

HR = "Оформление отпусков и справок сотрудникам"
WARNINGS = "Оповещение населения"


def registry(*activities: str) -> pd.DataFrame:
    """A registry of processes as a DataFrame (the columns load_registry takes)."""
    return pd.DataFrame(
        {
            "direction": ["иные функции, услуги, сервисы"] * len(activities),
            "activity": list(activities),
            "subdivision": ["Отдел кадров"] * len(activities),
        }
    )


BOTH = (data.INFORMING, data.APPEALS, HR)


def compare_registries(change, old_registry, new_registry) -> Diff:
    new = copy.deepcopy(base())
    change(new)
    return Diff.between(
        version(base()),
        version(new),
        changed_on=CHANGED_ON,
        registry_old=old_registry,
        registry_new=new_registry,
    )


def registry_table(result: Diff) -> list[tuple[str, str]]:
    return [(c.kind, c.activity) for c in result.registry_changes]


def test_registry_inclusion_is_ground_1_even_when_no_touchpoint_changed():
    result = compare_registries(lambda rows: None, registry(*BOTH), registry(*BOTH, WARNINGS))
    assert result.changes == []
    assert registry_table(result) == [("included", WARNINGS)]
    assert result.summary["by_ground"]["1"] == 1 and result.summary["registry_included"] == 1
    # the Перечень itself did not change: nothing to post, so no «не позднее» (issue 17)
    assert result.deadline is None
    text = result.summary_text()
    assert f"Включены в реестр (1): {WARNINGS}" in text and "Исключены" not in text
    assert "срок п. 5.5 не установлен" in text


def test_registry_exclusion_names_ground_1_for_the_touchpoints_removed_with_it():
    result = compare_registries(
        lambda rows: rows.pop(data.STAFF), registry(*BOTH), registry(data.INFORMING, data.APPEALS)
    )
    assert registry_table(result) == [("excluded", HR)]
    assert table(result) == [
        ("removed", ("1",), "Кадровый портал Департамента", [], None),
        ("removed", ("1",), "Отдел кадров, кабинет 214", [], None),
    ]
    assert result.summary["by_ground"]["1"] == 3  # two touchpoints and the exclusion itself
    assert "Исключены из реестра (1): " + HR in result.summary_text()


def test_a_touchpoint_added_or_removed_for_a_service_in_both_registries_is_not_ground_1():
    def edit(rows):
        del rows[data.STAFF]
        rows[data.INFO].append(
            valid_row(activity=WARNINGS, touchpoint="Сирены", touchpoint_type="иное")
        )

    both = registry(*BOTH, WARNINGS)
    result = compare_registries(edit, both, both)
    assert registry_table(result) == []
    assert table(result) == [
        ("added", ("editorial",), "Сирены", [], None),
        ("removed", ("editorial",), "Кадровый портал Департамента", [], None),
        ("removed", ("editorial",), "Отдел кадров, кабинет 214", [], None),
    ]
    assert result.summary["by_ground"]["1"] == 0
    # without registries the same edit is ground 1 (the service appears and disappears)
    assert [c.grounds for c in compare(edit).changes] == [("1",)] * 3


def test_a_changed_type_of_a_service_in_both_registries_stays_ground_2():
    def edit(rows):
        rows[data.INFO][2]["touchpoint_type"] = "голосовой помощник"

    result = compare_registries(edit, registry(*BOTH), registry(*BOTH))
    assert [c.grounds for c in result.changes] == [("2",)]


def test_registry_services_are_compared_by_match_key():
    spelled = registry(data.INFORMING.upper() + ".", "  рассмотрение  обращений граждан", HR)
    result = compare_registries(lambda rows: None, registry(*BOTH), spelled)
    assert (result.registry_changes, result.changes, result.deadline) == ([], [], None)


def test_only_the_new_registry_compares_with_the_services_of_the_old_list():
    result = compare_registries(lambda rows: None, None, registry(*BOTH, WARNINGS))
    assert registry_table(result) == [("included", WARNINGS)]


def test_registry_changes_in_the_json_xlsx_and_html(tmp_path):
    result = compare_registries(
        lambda rows: None, registry(*BOTH), registry(data.INFORMING, data.APPEALS, WARNINGS)
    )
    paths = result.write(tmp_path)
    payload = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert payload["registry_changes"] == [
        {
            "kind": "included",
            "direction": "иные функции, услуги, сервисы",
            "activity": WARNINGS,
            "subdivision": "Отдел кадров",
        },
        {
            "kind": "excluded",
            "direction": "иные функции, услуги, сервисы",
            "activity": HR,
            "subdivision": "Отдел кадров",
        },
    ]
    sheet = openpyxl.load_workbook(paths["xlsx"])["Реестр процессов"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ["Включены в реестр", "иные функции, услуги, сервисы", WARNINGS, "Отдел кадров"],
        ["Исключены из реестра", "иные функции, услуги, сервисы", HR, "Отдел кадров"],
    ]
    page = paths["html"].read_text(encoding="utf-8")
    assert "<h3>Включены в реестр: 1</h3>" in page and "<h3>Исключены из реестра: 1</h3>" in page
    assert f'<ul class="registry-included"><li>{WARNINGS}' in page


def test_without_registries_the_outputs_have_no_registry_part(tmp_path):
    result = golden_diff()
    assert result.registry_changes is None and "registry_changes" not in result.to_dict()
    paths = result.write(tmp_path)
    assert openpyxl.load_workbook(paths["xlsx"]).sheetnames == ["Изменения", "Основания п. 5.3"]
    assert "Реестр процессов" not in paths["html"].read_text(encoding="utf-8")


def _service_moves(rows):
    del rows[data.STAFF]
    rows[data.INFO].append(
        valid_row(activity="Оповещение населения", touchpoint="Сирены", touchpoint_type="иное")
    )


def test_ground_1_without_registries_is_marked_inferred_and_reads_probably(tmp_path):
    from tpcheck.diff.write import HEADER_ROW, SHEET

    result = compare(_service_moves)
    assert [(c.touchpoint, c.inferred) for c in result.changes] == [
        ("Сирены", ("1",)),
        ("Кадровый портал Департамента", ("1",)),
        ("Отдел кадров, кабинет 214", ("1",)),
    ]
    assert result.to_dict()["changes"][0]["inferred_grounds"] == ["1"]
    paths = result.write(tmp_path)
    sheet = openpyxl.load_workbook(paths["xlsx"])[SHEET]
    grounds = [row[2].value for row in sheet.iter_rows(min_row=HEADER_ROW + 2)]
    assert grounds and all(g.startswith("вероятно включение в реестр") for g in grounds)
    page = paths["html"].read_text(encoding="utf-8")
    assert page.count('<li class="guess"') == 3
    assert '<li class="guess" title="Основание выведено по данным Перечня, а не по реестру ' in page
    assert ">вероятно включение в реестр процессов" in page


def test_ground_1_from_the_registries_is_stated_not_guessed(tmp_path):
    result = compare_registries(
        lambda rows: rows.pop(data.STAFF), registry(*BOTH), registry(data.INFORMING, data.APPEALS)
    )
    assert [c.inferred for c in result.changes] == [(), ()]
    page = result.write(tmp_path)["html"].read_text(encoding="utf-8")
    assert "вероятно" not in page and ">включение в реестр процессов" in page


def test_changes_html_has_a_labelled_column_for_each_part_and_a_narrow_number(tmp_path):
    from html.parser import HTMLParser

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.heads, self.rows, self.cols, self._in = [], [], [], None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "col":
                self.cols.append(attrs["class"])
            if tag == "tr":
                self.rows.append([])
            if tag in ("td", "th"):
                self._in = tag
                if attrs.get("scope") != "col":
                    self.rows[-1].append([attrs.get("data-label"), ""])

        def handle_endtag(self, tag):
            if tag in ("td", "th"):
                self._in = None

        def handle_data(self, text):
            if self._in and self.rows and self.rows[-1]:
                self.rows[-1][-1][1] += text
            elif self._in == "th":
                self.heads.append(text)

    parser = Cells()
    page = compare(_service_moves).write(tmp_path)["html"].read_text(encoding="utf-8")
    parser.feed(page)
    expected = [
        "№",
        "Изменение",
        "Основание (п. 5.3)",
        "Направление деятельности",
        "Услуга, функция, сервис",
        "Точка взаимодействия",
        "Что изменилось",
    ]
    assert parser.heads == expected and len(parser.cols) == len(expected)
    first = next(row for row in parser.rows if row)
    assert [label for label, _ in first] == expected
    texts = dict(first)
    assert texts["№"] == "1" and texts["Изменение"] == "добавлена"
    assert texts["Услуга, функция, сервис"] == "Оповещение населения"
    assert texts["Направление деятельности"] == valid_row()["direction"]
    assert "table.changes col.c-no{width:3.5rem}" in page
