"""The registry of processes (issue 9): entries with their provenance, the three findings against
the Перечень at the right rows, and ``report.extra["registry"]``."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import tpcheck
from tpcheck import load_registry
from tpcheck.errors import InputError

from .frames import flatten, others
from .rows import frame_of

INFO = "обеспечение доступа к информации о деятельности исполнительного органа области"
APPEALS = "рассмотрение обращений и запросов"
OTHER = "иные функции, услуги, сервисы"
SERVICES = "предоставление государственных услуг, услуг"
INFORMING = "Информирование населения о деятельности Департамента"
FIRE = "Консультирование по вопросам пожарной безопасности"
REPORTS = "Прием сообщений о происшествиях"
HEADER = (
    "Код;Направление деятельности (п. 3.5);Наименование услуги, функции, сервиса;"
    "Вид деятельности;Ответственное подразделение"
)


def _registry(tmp_path, *lines: str, name: str = "reestr.csv") -> str:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return str(path)


def _perechen() -> pd.DataFrame:
    """Rows 3–6 of «a.xlsx»: informing (as in the registry), a misspelt fire consultation, and
    two rows of the reports reception under the direction of appeals."""
    return frame_of(
        {},
        {
            "activity": "Консультирование по вопросам пожарной безопастности",
            "channel": "оффлайн",
            "touchpoint_type": "телефон",
            "touchpoint": "Телефон консультаций",
            "location": "+7 (3842) 00-00-01",
        },
        {"activity": REPORTS, "direction": APPEALS},
        {"activity": REPORTS, "direction": APPEALS},
    )


COMPLETE = [
    f"И-1;{INFO};{INFORMING};функция;Отдел информационной политики",
    f"П-2;{INFO};Консультирование по вопросам пожарной безопастности;функция;"
    "Отдел пожарной безопасности",
    f"Д-3;{APPEALS};{REPORTS};функция;Дежурная служба",
]


def test_a_complete_registry_gives_no_finding(tmp_path):
    report = tpcheck.validate(_perechen(), registry=_registry(tmp_path, *COMPLETE))
    assert flatten(report, ["code"], severities=("error", "warning")) == []
    assert [e["touchpoints"] for e in report.extra["registry"]["entries"]] == [1, 1, 2]


def test_missing_renamed_and_mismatched_services_give_exactly_three_findings(tmp_path):
    registry = _registry(
        tmp_path,
        f"И-1;{INFO};{INFORMING};функция;Отдел информационной политики",
        f"У-7;{SERVICES};Выдача удостоверений спасателя;услуга;Отдел кадров",
        f"П-2;{SERVICES};{FIRE};услуга;Отдел пожарной безопасности",
        f"Д-3;{OTHER};{REPORTS};функция;Дежурная служба",
    )
    report = tpcheck.validate(_perechen(), registry=registry)
    assert flatten(
        report, ["file", "sheet", "row", "cell", "code"], severities=("error", "warning")
    ) == [
        ["a.xlsx", "Перечень", 4, "C4", "activity-not-in-registry"],
        ["a.xlsx", "Перечень", 5, "B5", "registry-direction-mismatch"],
        [registry, "reestr", 3, "C3", "registry-activity-missing"],
    ]
    renamed, mismatch, missing = others(report.problems)
    assert renamed.suggestion == f"Возможно, имелось в виду «{FIRE}»."
    assert mismatch.message == (
        f"«{REPORTS}»: в Перечне направление «{APPEALS}», а в реестре процессов — «{OTHER}» "
        "(строка 5 реестра)."
    )
    assert missing.column == "Наименование услуги, функции, сервиса"
    assert "Ответственное подразделение: «Отдел кадров»" in missing.message
    assert not report.valid
    assert report.summary["rows_with_errors"] == 0  # the error is the registry's, not a row's


def test_the_report_carries_the_registry_entries_as_plain_data(tmp_path):
    registry = _registry(tmp_path, *COMPLETE, f";{SERVICES};Выдача удостоверений спасателя;;")
    report = tpcheck.validate(_perechen(), registry=registry)
    expected = {
        "file": registry,
        "entries": [
            {
                "file": registry,
                "sheet": "reestr",
                "row": 2,
                "code": "И-1",
                "direction": INFO,
                "kind": "функция",
                "activity": INFORMING,
                "subdivision": "Отдел информационной политики",
                "touchpoints": 1,
                "digital": 1,
            },
            {
                "file": registry,
                "sheet": "reestr",
                "row": 3,
                "code": "П-2",
                "direction": INFO,
                "kind": "функция",
                "activity": "Консультирование по вопросам пожарной безопастности",
                "subdivision": "Отдел пожарной безопасности",
                "touchpoints": 1,
                "digital": 0,
            },
            {
                "file": registry,
                "sheet": "reestr",
                "row": 4,
                "code": "Д-3",
                "direction": APPEALS,
                "kind": "функция",
                "activity": REPORTS,
                "subdivision": "Дежурная служба",
                "touchpoints": 2,
                "digital": 2,
            },
            {
                "file": registry,
                "sheet": "reestr",
                "row": 5,
                "code": None,
                "direction": SERVICES,
                "kind": None,
                "activity": "Выдача удостоверений спасателя",
                "subdivision": None,
                "touchpoints": 0,
                "digital": 0,
            },
        ],
    }
    assert report.extra["registry"] == expected
    assert json.loads(json.dumps(report.to_dict()))["summary"]["registry"] == expected
    missing = others(report.problems)[-1]
    assert (missing.row, missing.code) == (5, "registry-activity-missing")
    assert "Ответственное подразделение: не указано в реестре" in missing.message


def test_kind_mismatch_once_per_file_and_a_bad_registry_value_at_its_cell(tmp_path):
    registry = _registry(
        tmp_path,
        f"И-1;{INFO};{INFORMING};услуга;Отдел информационной политики",
        f"Д-3;направление 9;{REPORTS};функция;Дежурная служба",
    )
    frame = frame_of({}, {"touchpoint": "Сайт 2"}, {"activity": REPORTS, "direction": APPEALS})
    report = tpcheck.validate(frame, registry=registry)
    assert flatten(
        report, ["file", "row", "cell", "code", "severity"], severities=("error", "warning")
    ) == [
        ["a.xlsx", 3, "D3", "registry-kind-mismatch", "warning"],
        [registry, 3, "B3", "registry-value-not-in-list", "warning"],
    ]
    assert others(report.problems)[0].message == (
        f"«{INFORMING}»: в Перечне вид деятельности «функция», а в реестре процессов — «услуга» "
        "(строка 2 реестра)."
    )
    assert others(report.problems)[1].value == "направление 9"
    assert others(report.problems)[1].column == "Направление деятельности (п. 3.5)"


def test_a_code_column_of_the_perechen_links_a_renamed_row(tmp_path):
    registry = _registry(tmp_path, f"И-1;{INFO};{INFORMING};функция;Отдел информационной политики")
    renamed = {"activity": "Информирование граждан о работе Департамента", "Код услуги": "и-1"}
    report = tpcheck.validate(frame_of(renamed), registry=registry)
    assert flatten(report, ["code"], severities=("error", "warning")) == []
    assert report.extra["registry"]["entries"][0]["touchpoints"] == 1
    unlinked = tpcheck.validate(frame_of(renamed | {"Код услуги": "И-9"}), registry=registry)
    assert flatten(unlinked, ["row", "code"], severities=("error", "warning")) == [
        [3, "activity-not-in-registry"]
    ]


def test_csv_rows_are_numbered_as_the_lines_the_person_sees(tmp_path):
    path = tmp_path / "reestr.csv"
    path.write_text(
        f'{HEADER}\n\n;{INFO};"Информирование\nпо двум строкам";;\n;{APPEALS};{REPORTS};;\n',
        encoding="utf-8",
    )
    loaded = load_registry(path)
    assert loaded["source_row"].tolist() == [3, 5]
    assert loaded["source_sheet"].tolist() == ["reestr", "reestr"]


def test_a_repeated_registry_entry_shows_the_same_touchpoints_and_english(tmp_path):
    registry = _registry(
        tmp_path,
        f"И-1;{INFO};{INFORMING};функция;Отдел информационной политики",
        f"И-2;{SERVICES};{INFORMING};услуга;",
    )
    report = tpcheck.validate(frame_of(), lang="en", registry=registry)
    entries = report.extra["registry"]["entries"]
    assert [(e["code"], e["touchpoints"], e["digital"]) for e in entries] == [
        ("И-1", 1, 1),
        ("И-2", 1, 1),
    ]
    assert flatten(report, ["row", "code"], severities=("error", "warning")) == []
    mismatch = tpcheck.validate(
        frame_of({"activity": REPORTS}),
        lang="en",
        registry=_registry(tmp_path, f";{OTHER};{REPORTS};;", name="r2.csv"),
    )
    assert [i.message for i in others(mismatch.problems)] == [
        f"«{REPORTS}»: the Перечень gives the direction «{INFO}», the registry of processes "
        f"«{OTHER}» (registry row 2)."
    ]


def test_the_roster_and_the_registry_in_the_inbox_are_not_read_as_submissions(tmp_path):
    """A clerk keeps the registry (a workbook made from its template) and the roster beside the
    submissions: merge lists both as skipped with the reason, finds nothing in them, and still
    checks the submission against them."""
    import openpyxl

    from .read_helpers import valid, write_book

    inbox = tmp_path / "вход"
    inbox.mkdir()
    write_book(inbox / "отдел.xlsx", [valid(1)])
    registry = tpcheck.make_registry_template(inbox / "реестр.xlsx")
    book = openpyxl.load_workbook(registry)
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(
        row=2, column=headers.index("Наименование услуги, функции, сервиса *") + 1
    ).value = "Проверка прохождения сигнала"
    sheet.cell(row=2, column=headers.index("Направление деятельности (п. 3.5) *") + 1).value = OTHER
    book.save(registry)
    roster = openpyxl.Workbook()
    roster.active.append(["Подразделение"])
    roster.active.append(["ГКУ «Поисково-спасательная служба Кузбасса»"])
    roster.save(inbox / "список.xlsx")

    result = tpcheck.merge([inbox], roster=inbox / "список.xlsx", registry=registry)
    files = {Path(info.path).name: (info.status, info.reason) for info in result.report.files}
    assert files == {
        "отдел.xlsx": ("ok", None),
        "реестр.xlsx": ("skipped", "реестр процессов (--registry), а не сведения"),
        "список.xlsx": ("skipped", "список подразделений (--roster), а не сведения"),
    }
    skipped = {"реестр.xlsx", "список.xlsx"}
    assert not [
        i
        for i in others(result.report.problems)
        if i.file and Path(i.file).name in skipped and i.code != "registry-activity-missing"
    ]
    assert [
        (i.code, i.cell) for i in others(result.report.problems) if i.code.startswith("registry")
    ] == [("registry-activity-missing", "C2")]
    assert [i.code for i in others(result.report.problems) if i.code == "roster-no-submission"] == [
        "roster-no-submission"
    ]


# Issue 15 «Bad text input»: registry and roster files as Excel and Notepad save them.
_ENCODINGS = {
    "utf-16-le-bom": lambda text: b"\xff\xfe" + text.encode("utf-16-le"),
    "utf-16-be-bom": lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
    "utf-8-bom": lambda text: text.encode("utf-8-sig"),
    "cp1251": lambda text: text.encode("cp1251"),
}


@pytest.mark.parametrize("encode", _ENCODINGS.values(), ids=_ENCODINGS.keys())
@pytest.mark.parametrize("end", ["\r", "\n", "\r\n"], ids=["CR", "LF", "CRLF"])
def test_a_registry_csv_in_any_encoding_and_line_end_is_read(tmp_path, encode, end):
    lines = [HEADER, f"И-1;{INFO};{INFORMING};функция;", "", f"И-2;{APPEALS};{REPORTS};функция;"]
    path = tmp_path / "reestr.csv"
    path.write_bytes(encode(end.join(lines) + end))
    loaded = load_registry(path)
    assert loaded["activity"].tolist() == [INFORMING, REPORTS]
    assert loaded["source_row"].tolist() == [2, 4]


@pytest.mark.parametrize("encode", _ENCODINGS.values(), ids=_ENCODINGS.keys())
def test_a_roster_csv_in_any_encoding_with_cr_line_ends_is_read(tmp_path, encode):
    path = tmp_path / "roster.csv"
    path.write_bytes(encode("Подразделение\rОтдел кадров\rОтдел связи\r"))
    assert tpcheck.load_roster(path) == ["Отдел кадров", "Отдел связи"]


@pytest.mark.parametrize(
    ("encode", "name"),
    [(_ENCODINGS["utf-16-le-bom"], "UTF-16 LE (BOM)"), (_ENCODINGS["cp1251"], "Windows-1251")],
)
def test_a_refused_registry_csv_names_its_encoding_and_shows_its_headers_readable(
    tmp_path, encode, name
):
    path = tmp_path / "reestr.csv"
    path.write_bytes(encode("Номер;Услуга\rИ-1;Информирование\r"))
    with pytest.raises(InputError) as caught:
        load_registry(path)
    message = str(caught.value)
    assert "«Номер», «Услуга»" in message or "Номер, Услуга" in message
    assert f"кодировка {name}" in message
    assert "концы строк CR" in message
