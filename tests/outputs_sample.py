"""A small consolidated frame and a hand-made report covering every way an issue is placed: cell
errors and warnings, two findings in one cell, a whole-row finding, a header of an unknown column,
requirement rows (over the limit, not applicable), an unreadable file, a roster gap."""

from __future__ import annotations

import pandas as pd

from tpcheck.classifiers import default_classifiers
from tpcheck.findings import FileInfo, Report, issue

from .frames import frame_from_files, valid_row

FILE_A = "vhod/Отдел информационной политики.xlsx"
FILE_B = "vhod/ГКУ Центр ГО.xlsx"
FILE_C = "vhod/сломанный.xlsx"
SHEET = "Перечень"
REQ_SHEET = "Требования п. 4.2"
EXTRA = "Ответственный исполнитель"
INJECTION = '=HYPERLINK("http://evil.example","жми")'


def requirement_label(code: str) -> str:
    return default_classifiers()["requirement"].by_code(code).label


def sample_frame() -> pd.DataFrame:
    social = valid_row(
        number="2",
        touchpoint="Telegram-канал Департамента",
        touchpoint_type="соцсеть",
        location="https://t.me/dchs42",
        needs="1; 8",
        basis_kind="распорядительное действие",
        basis=None,
    )
    broken = valid_row(
        number="3",
        touchpoint=INJECTION,
        channel="онлайн-оффлайн",
        location="@SUM(1)",
        note="-1 ответ",
    )
    duplicate = valid_row(number="4")
    rows_a = [valid_row(), social, broken, duplicate]
    for row, person in zip(rows_a, ["Иванов", "Петрова", "+7 913 000", None], strict=True):
        row[EXTRA] = person
    hot_line = valid_row(
        number="1",
        direction="рассмотрение обращений и запросов",
        activity="Рассмотрение обращений граждан",
        touchpoint="Горячая линия",
        touchpoint_type="телефон",
        channel="оффлайн",
        location="8 (3842) 58-00-00",
        needs="консультация",
        operator="подведомственное учреждение",
        subdivision="ГКУ «Центр ГО и ЧС»",
    )
    no_activity = valid_row(
        number="2",
        direction="услуги",
        activity=None,
        touchpoint="Личный прием",
        touchpoint_type="личный прием",
        channel="оффлайн",
        location="г. Кемерово, пр. Советский, 60",
        subdivision="ГКУ «Центр ГО и ЧС»",
    )
    frame = frame_from_files(
        {FILE_A: rows_a, FILE_B: [hot_line, no_activity]},
        requirements={
            FILE_A: [
                {"row_ref": "1", "requirement": requirement_label("4.2.1а"), "value": "да"},
                {"row_ref": "2", "requirement": requirement_label("4.2.3в.appeal"), "value": "3"},
                {
                    "row_ref": "2",
                    "requirement": requirement_label("4.2.3в.mention"),
                    "value": "1,5",
                },
                {"row_ref": "1", "requirement": requirement_label("4.2.5а"), "value": "1"},
                {"row_ref": "9", "requirement": requirement_label("4.2.1б"), "value": "да"},
            ]
        },
    )
    context = frame.tpcheck.context
    context.files.append(FileInfo(path=FILE_C, status="unreadable", reason="поврежденный zip"))
    return frame


def sample_issues(lang: str = "ru") -> list:
    channel = "Вид точки (цифровая / оффлайн) *"
    return [
        issue(
            "column-unknown",
            lang=lang,
            file=FILE_A,
            sheet=SHEET,
            row=1,
            column=EXTRA,
            cell="R1",
            field=EXTRA,  # the reader names an extra column's findings by the column's name
        ),
        issue(
            "value-not-in-list",
            lang=lang,
            file=FILE_A,
            sheet=SHEET,
            row=5,
            column=channel,
            cell="H5",
            value="онлайн-оффлайн",
            field="channel",
            list="Вид точки взаимодействия",
            candidates="«цифровая» или «оффлайн»",
        ),
        issue(
            "location-mismatch",
            lang=lang,
            file=FILE_A,
            sheet=SHEET,
            row=5,
            column="Адрес, ссылка, телефон",
            cell="I5",
            value="@SUM(1)",
            field="location",
            type="официальный сайт (портал) Департамента, учреждения",
            expected="ссылка (адрес в сети Интернет)",
            expected_en="a link",
        ),
        issue(
            "text-too-long",
            lang=lang,
            file=FILE_A,
            sheet=SHEET,
            row=5,
            column="Адрес, ссылка, телефон",
            cell="I5",
            value="@SUM(1)",
            field="location",
            length=1200,
            limit=1000,
        ),
        issue(
            "duplicate-touchpoint",
            lang=lang,
            file=FILE_A,
            sheet=SHEET,
            row=6,
            touchpoint="Официальный сайт Департамента",
            activity="Информирование населения о деятельности Департамента",
            first_row=3,
            needs="«получение информации», «предоставление обратной связи»",
        ),
        issue(
            "requirement-over-limit",
            lang=lang,
            file=FILE_A,
            sheet=REQ_SHEET,
            row=4,
            column="Значение *",
            cell="C4",
            value="3",
            field="value",
            number="3",
            requirement="4.2.3 в)",
            unit="ч",
            limit=2,
            requirement_clause="п. 4.2.3 в)",
        ),
        issue(
            "requirement-not-applicable",
            lang=lang,
            file=FILE_A,
            sheet=REQ_SHEET,
            row=6,
            column="Требование (п. 4.2) *",
            cell="B6",
            value=requirement_label("4.2.5а"),
            field="requirement",
            requirement="4.2.5 а)",
            requirement_clause="п. 4.2.5 а)",
            type="официальный сайт (портал) Департамента, учреждения",
            row_ref="1",
            groups="4.2.1",
        ),
        issue(
            "requirement-row-unknown",
            lang=lang,
            file=FILE_A,
            sheet=REQ_SHEET,
            row=7,
            column="№ строки листа «Перечень» *",
            cell="A7",
            value="9",
            field="row_ref",
            data_sheet=SHEET,
        ),
        issue(
            "required-missing",
            lang=lang,
            file=FILE_B,
            sheet=SHEET,
            row=4,
            column="Наименование услуги, функции, сервиса *",
            cell="C4",
            field="activity",
        ),
        issue("file-unreadable", lang=lang, file=FILE_C, reason="поврежденный zip"),
        issue("roster-no-submission", lang=lang, value="Отдел кадров", subdivision="Отдел кадров"),
    ]


def sample_report(frame: pd.DataFrame, lang: str = "ru") -> Report:
    return Report(sample_issues(lang), frame.tpcheck.files, rows=len(frame), lang=lang)
