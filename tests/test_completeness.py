"""Completeness: the roster of subdivisions expected to submit and the registry of processes —
loading the lists (txt, csv, xlsx, DataFrame) and the issues against them."""

from __future__ import annotations

import pandas as pd
import pytest
import xlsxwriter

import tpcheck
from tpcheck import InputError, load_registry, load_roster
from tpcheck.reading.registry import REGISTRY_COLUMNS

from .frames import flatten, frame_from_files, others
from .rows import frame_of, submission

INFO = "Отдел информационной политики"
ACTIVITY = "Информирование населения о деятельности Департамента"


def _xlsx(path, rows):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Лист1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    return path


# ------------------------------------------------------------------------------ roster


def test_roster_from_a_list_is_cleaned_and_deduplicated():
    assert load_roster([" Отдел  кадров ", "отдел кадров.", "", None, INFO]) == [
        "Отдел кадров",
        INFO,
    ]


def test_roster_from_text_csv_and_workbook(tmp_path):
    names = [INFO, "Отдел кадров", "ГКУ «Агентство по защите населения»"]
    txt = tmp_path / "roster.txt"
    txt.write_text("# подразделения\n" + "\n\n".join(names) + "\n", encoding="utf-8")
    csv_file = tmp_path / "roster.csv"
    csv_file.write_bytes(
        ("Подразделение;Руководитель\n" + "\n".join(f"{n};Иванов" for n in names)).encode("cp1251")
    )
    workbook = _xlsx(
        tmp_path / "roster.xlsx", [["Ответственное подразделение"], *[[n] for n in names]]
    )
    for source in (txt, csv_file, workbook, str(workbook)):
        assert load_roster(source) == names, source


@pytest.mark.parametrize(
    ("name", "message"),
    [("absent.txt", "Список подразделений не найден"), ("roster.pdf", "неизвестный формат «.pdf»")],
)
def test_a_roster_that_cannot_be_used(tmp_path, name, message):
    if name.endswith(".pdf"):
        (tmp_path / name).write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError, match=message):
        load_roster(tmp_path / name)


def test_roster_no_submission_and_subdivision_not_on_roster():
    rows, requirements = submission({}, {"subdivision": "Отдел информационой политики"})
    other, other_req = submission(
        {"subdivision": "отдел информационной политики.", "touchpoint": "Сайт учреждения"}
    )
    frame = frame_from_files(
        {"a.xlsx": rows, "b.xlsx": other}, {"a.xlsx": requirements, "b.xlsx": other_req}
    )
    report = tpcheck.validate(frame, roster=[INFO, "Отдел кадров", "Сектор ГО"])
    assert flatten(report, ["file", "row", "cell", "field", "code"]) == [
        ["a.xlsx", 4, "O4", "subdivision", "subdivision-not-on-roster"],
        [None, None, None, None, "roster-no-submission"],
        [None, None, None, None, "roster-no-submission"],
    ]
    assert report.extra["missing_subdivisions"] == ["Отдел кадров", "Сектор ГО"]
    assert report.summary["missing_subdivisions"] == ["Отдел кадров", "Сектор ГО"]
    assert report.to_dict()["summary"]["missing_subdivisions"] == ["Отдел кадров", "Сектор ГО"]
    wrong, missing = others(report.records)[0], others(report.records)[1]
    assert wrong.message == (
        "Подразделения «Отдел информационой политики» нет в списке подразделений, которые "
        "представляют сведения."
    )
    assert wrong.suggestion == f"Возможно, имелось в виду «{INFO}»."
    assert missing.message == "Подразделение «Отдел кадров» есть в списке, но сведений от него нет."
    assert report.valid


def test_one_warning_per_file_and_unknown_subdivision():
    frame = frame_of(
        {"subdivision": "Сектор Х"}, {"subdivision": "сектор х"}, {"subdivision": INFO}
    )
    report = tpcheck.validate(frame, roster=[INFO])
    assert flatten(report, ["row", "code"]) == [[3, "subdivision-not-on-roster"]]


def test_the_reader_s_subdivision_of_a_file_counts_as_a_submission():
    frame = frame_of()
    frame.tpcheck.files[0].subdivision = "Отдел кадров"
    report = tpcheck.validate(frame, roster=[INFO, "Отдел кадров"])
    assert flatten(report, ["code"]) == []
    assert report.extra == {"missing_subdivisions": []}


# ------------------------------------------------------------------------------ registry


REGISTRY = pd.DataFrame(
    {
        "Направление деятельности (п. 3.5)": ["5", "1"],
        "Наименование процесса": [ACTIVITY, "Выдача удостоверений спасателя"],
        "Структурное подразделение": [INFO, "Отдел кадров"],
        "Срок": ["постоянно", "30 дней"],
    }
)


def test_registry_from_a_frame_csv_and_workbook(tmp_path):
    expected = [
        [
            "обеспечение доступа к информации о деятельности исполнительного органа области",
            ACTIVITY,
            INFO,
        ],
        [
            "предоставление государственных услуг, услуг",
            "Выдача удостоверений спасателя",
            "Отдел кадров",
        ],
    ]
    csv_file = tmp_path / "registry.csv"
    REGISTRY.to_csv(csv_file, sep=";", index=False, encoding="utf-8-sig")
    rows = [
        ["Реестр процессов Департамента"],
        [],
        list(REGISTRY.columns),
        *REGISTRY.values.tolist(),
    ]
    workbook = _xlsx(tmp_path / "registry.xlsx", rows)
    places = {
        "frame": (REGISTRY, None, None, [2, 3]),
        "csv": (csv_file, str(csv_file), "registry", [2, 3]),
        "xlsx": (workbook, str(workbook), "Лист1", [4, 5]),
    }
    for name, (source, file, sheet, numbers) in places.items():
        loaded = load_registry(source)
        assert tuple(loaded.columns) == REGISTRY_COLUMNS
        assert loaded[["direction", "activity", "subdivision"]].values.tolist() == expected, name
        assert loaded[["kind", "code"]].values.tolist() == [[None, None]] * 2, name
        where = loaded[["source_file", "source_sheet", "source_row"]].values.tolist()
        assert where == [[file, sheet, n] for n in numbers], name


def test_a_registry_without_its_columns_is_refused():
    with pytest.raises(InputError, match="не найдены столбцы «Направление деятельности"):
        load_registry(pd.DataFrame({"Процесс": ["x"]}))


def test_registry_activity_missing_and_activity_not_in_registry():
    frame = frame_of(
        {},
        {"activity": "Информирование населения о деятельности Департамента."},
        {"activity": "Информирование о деятельности Департамента"},
    )
    report = tpcheck.validate(frame, registry=REGISTRY)
    assert flatten(report, ["file", "row", "cell", "field", "code", "severity"]) == [
        ["a.xlsx", 5, "C5", "activity", "activity-not-in-registry", "warning"],
        [None, 3, "B3", "activity", "registry-activity-missing", "error"],
    ]
    outside, missing = others(report.records)
    assert outside.message == (
        "«Информирование о деятельности Департамента» нет в реестре процессов Департамента."
    )
    assert outside.suggestion == f"Возможно, имелось в виду «{ACTIVITY}»."
    assert missing.message == (
        "Для «Выдача удостоверений спасателя» из реестра процессов (предоставление "
        "государственных услуг, услуг) не указано ни одной точки взаимодействия. Ответственное "
        "подразделение: «Отдел кадров»."
    )
    assert missing.suggestion == (
        "Запросите точки взаимодействия этого процесса у ответственного подразделения (п. 3.5)."
    )
    assert missing.column == "Наименование процесса"
    assert not report.valid


def test_completeness_in_english():
    report = tpcheck.validate(
        frame_of(), lang="en", roster=["Отдел кадров", INFO], registry=REGISTRY
    )
    assert [i.message for i in others(report.records)] == [
        "Subdivision «Отдел кадров» is on the roster but sent nothing.",
        "«Выдача удостоверений спасателя» from the registry of processes (предоставление "
        "государственных услуг, услуг) has no touchpoint. Responsible subdivision: "
        "«Отдел кадров».",
    ]


def test_a_registry_file_of_another_kind_is_refused(tmp_path):
    text = tmp_path / "registry.txt"
    text.write_text("Выдача удостоверений\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"неизвестный формат «\.txt» \(подходят \.csv"):
        load_registry(text)
