"""Generate the sample submissions in samples/: seven workbooks filled from the template the way
the subdivisions and subordinate institutions of ДЧС Кузбасса would really send them.

    python samples/make_samples.py [--out DIR] [--no-convert]

Each workbook is templates/perechen_template.xlsx loaded with openpyxl, filled and saved, so the
drop-downs and hints stay. One is then saved by LibreOffice as .ods and one as legacy .xls
(``soffice --headless --convert-to``); one has a title above a renamed, reordered header with an
extra column; one has group rows per direction. The output is deterministic: fixed document
properties and zip timestamps (the .xls, an OLE file, keeps LibreOffice's own volatile fields).

Some cells carry planted mistakes (``Planted``); :func:`planted` lists where they land, which
samples/README.md and tests/test_samples.py state as the expected findings. All contacts,
addresses, names, e-mail addresses and the dates and numbers of regional and internal acts are
invented; the federal laws cited are real.
"""

from __future__ import annotations

import argparse
import copy
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tpcheck.classifiers import default_classifiers  # noqa: E402

TEMPLATE = ROOT / "templates" / "perechen_template.xlsx"
SAMPLES = ROOT / "samples"
ZIP_TIME = (2024, 4, 1, 9, 0, 0)
SAVED_AT = "2024-04-01T09:00:00Z"

C = default_classifiers()
KEYS = [column.key for column in C.columns]
DATA, REQS = C.sheets.data, C.sheets.requirements


def label(classifier: str, code: str) -> str:
    """The canonical label of *code* in *classifier* (so the samples follow the data file)."""
    return C[classifier].by_code(code).label


# Canonical labels used below, by their stable codes.
D = {code: label("direction", code) for code in "1234567"}
SERVICE, FUNCTION, DIGITAL_SERVICE = (
    label("activity_kind", c) for c in ("service", "function", "digital_service")
)
EXTERNAL, INTERNAL, BOTH = (label("client", c) for c in ("external", "internal", "both"))
DIGITAL, OFFLINE = label("channel", "digital"), label("channel", "offline")
T = {entry.code: entry.label for entry in C["touchpoint_type"]}
NPA, INTERNAL_ACT, CONTRACT, ORDER = (label("basis_kind", c) for c in "1234")
DEPARTMENT, INSTITUTION, AUTHORIZED = (
    label("operator", c) for c in ("department", "institution", "authorized_org")
)
YES, NO = label("yes_no", "yes"), label("yes_no", "no")
N = {entry.code: entry.label for entry in C["need"]}


def needs(*codes: str) -> str:
    """A needs cell written with the labels of п. 3.7, separated by «; »."""
    return "; ".join(N[code] for code in codes)


@dataclass(frozen=True)
class Planted:
    """A cell written with a mistake on purpose, and the issue code it must give. *value* is
    what is written (None for an empty cell)."""

    value: Any
    code: str


@dataclass
class Touchpoint:
    """One row of «Перечень»: cell texts by column key; ``requirements`` the rows of «Требования
    п. 4.2» for it (None: the defaults of its type; ``Planted`` entries allowed); ``flag`` a
    finding that belongs to the row rather than a value (e.g. requirements-missing)."""

    cells: dict[str, Any]
    requirements: list[tuple[str, Any, str]] | None = None
    flag: tuple[str, str] | None = None  # (column key of the cell it is shown on, code)


def activity(direction: str, name: str, kind: str, client: str, operator: str):
    """Rows of one service/function: ``activity(...)(touchpoint(...), ...)``."""

    def rows(*touchpoints: Touchpoint) -> list[Touchpoint]:
        for point in touchpoints:
            base = {
                "direction": direction,
                "activity": name,
                "activity_kind": kind,
                "client": client,
                "operator": operator,
            }
            point.cells = {**base, **point.cells}
        return list(touchpoints)

    return rows


def tp(
    touchpoint: str,
    type_: str,
    channel: str,
    location: Any,
    needs_: Any,
    procedure: Any,
    basis_kind: str,
    basis: Any,
    *,
    demand: str = YES,
    note: Any = "",
    requirements: list[tuple[str, Any, str]] | None = None,
    flag: tuple[str, str] | None = None,
    **cells: Any,
) -> Touchpoint:
    return Touchpoint(
        {
            "touchpoint": touchpoint,
            "touchpoint_type": type_,
            "channel": channel,
            "location": location,
            "needs": needs_,
            "procedure": procedure,
            "basis_kind": basis_kind,
            "basis": basis,
            "demand_tracked": demand,
            "note": note,
            **cells,
        },
        requirements,
        flag,
    )


# Requirement rows (п. 4.2) a subdivision fills for a key touchpoint when nothing special is said:
# by type code, (requirement code, value, comment). Values within the limits of п. 4.2.
DEFAULT_REQUIREMENTS: dict[str, list[tuple[str, Any, str]]] = {
    "site": [
        ("4.2.1а", "да", "версия для слабовидящих, ГОСТ Р 52872-2019"),
        ("4.2.1г", "да", "уведомление о каждом отправленном обращении"),
        ("4.2.1е", "да", "виджет оценки на страницах услуг"),
    ],
    "app": [
        ("4.2.2б", "да", "Android и iOS"),
        ("4.2.2в", "да", "RuStore, App Store"),
        ("4.2.2д", "да", "оповещения об угрозе ЧС по району"),
        ("4.2.2е", "да", ""),
    ],
    "social": [
        ("4.2.3а", "да", "правила модерации утверждены приказом"),
        ("4.2.3в.mention", 3, "среднее за квартал по данным ЦУР"),
        ("4.2.3в.appeal", 1, "среднее за квартал по данным ЦУР"),
        ("4.2.3г", "да", ""),
    ],
    "bot": [
        ("4.2.4а", "да", ""),
        ("4.2.4е", "да", "запись на личный прием"),
        ("4.2.4и", "да", "переход к оператору командой «оператор»"),
    ],
    "voice": [
        ("4.2.4и", "да", "соединение с оператором по нажатию 0"),
        ("4.2.5а", 1, ""),
        ("4.2.5д", "да", "распознавание речи и тональный набор"),
    ],
    "phone": [
        ("4.2.5а", 1, "по журналу звонков"),
        ("4.2.5г", "да", "скрипты на типовые вопросы утверждены"),
    ],
    "email": [
        ("4.2.6а", "да", "автоответ о получении"),
        ("4.2.6б", "да", ""),
        ("4.2.6в", "да", ""),
    ],
    "letter": [
        ("4.2.6а", "да", "уведомление о регистрации"),
        ("4.2.6б", "да", ""),
    ],
    "reception": [
        ("4.2.7б", "да", ""),
        ("4.2.7в", "да", "запись по телефону и через сайт"),
        ("4.2.7ж", 10, "по журналу приема"),
    ],
    "one_window": [
        ("4.2.7в", "да", "запись через сайт МФЦ"),
        ("4.2.7е", "да", ""),
        ("4.2.7ж", 12, "по данным электронной очереди МФЦ"),
    ],
    "long_stay": [
        ("4.2.7а", "да", "по заявкам школ"),
        ("4.2.7б", "да", ""),
    ],
}


@dataclass
class Layout:
    """How a clerk laid out «Перечень»: title lines above the header, the columns in order
    (column keys, or headers of extra columns), renamed headers, group rows per direction,
    whether the example row was left in place, numbers typed as numbers or as text."""

    title: tuple[str, ...] = ()
    order: tuple[str, ...] = tuple(KEYS)
    headers: dict[str, str] = field(default_factory=dict)
    group_rows: bool = False
    keep_example: bool = False
    numbers_as_text: bool = True
    requirement_labels: str = "label"  # or "synonym": how the requirement column is written


@dataclass
class Submission:
    name: str  # file name in samples/
    sender: str  # the subdivision or institution (the «Ответственное подразделение»)
    author: str  # the clerk, written to the document properties
    touchpoints: list[Touchpoint]
    layout: Layout = field(default_factory=Layout)
    extra: dict[str, list[Any]] = field(default_factory=dict)  # extra column header → values
    extra_flag: str | None = None  # issue code the extra column gives


# --------------------------------------------------------------------------- the submissions
# Laid out by hand, one touchpoint per block: (name, type, вид, location), needs, procedure,
# basis kind and requisites.
# fmt: off

SITE = "https://dchs.kuzbass.ru"
ADDRESS = "650000, г. Кемерово, ул. Спасательная, 1"
LAW_59 = (
    "Федеральный закон от 02.05.2006 № 59-ФЗ «О порядке рассмотрения обращений граждан "
    "Российской Федерации»"
)
LAW_8 = (
    "Федеральный закон от 09.02.2009 № 8-ФЗ «Об обеспечении доступа к информации о деятельности "
    "государственных органов и органов местного самоуправления»"
)
LAW_248 = (
    "Федеральный закон от 31.07.2020 № 248-ФЗ «О государственном контроле (надзоре) и "
    "муниципальном контроле в Российской Федерации»"
)
LAW_68 = (
    "Федеральный закон от 21.12.1994 № 68-ФЗ «О защите населения и территорий от чрезвычайных "
    "ситуаций природного и техногенного характера»"
)
LAW_100 = "Федеральный закон от 06.05.2011 № 100-ФЗ «О добровольной пожарной охране»"
LAW_210 = (
    "Федеральный закон от 27.07.2010 № 210-ФЗ «Об организации предоставления государственных и "
    "муниципальных услуг»"
)
POS_1802 = (
    "Постановление Правительства РФ от 10.11.2020 № 1802 (эксперимент по направлению сообщений "
    "и обращений через ЕПГУ — платформа обратной связи)"
)
NADZOR_ACT = (
    f"{LAW_248}; Положение о региональном государственном надзоре в области защиты населения и "
    "территорий от чрезвычайных ситуаций, утв. постановлением Правительства Кемеровской "
    "области – Кузбасса от 24.09.2021 № 581"
)
DPO_ACT = (
    f"{LAW_100}; Порядок выплаты компенсации добровольным пожарным, утв. постановлением "
    "Правительства Кемеровской области – Кузбасса от 12.04.2022 № 215"
)

OKR = "Отдел организационной и кадровой работы"
NADZOR = "Отдел регионального государственного надзора"
AGENCY = "ГКУ «Агентство по защите населения и территории Кузбасса»"
UMC = "ГКУ «Учебно-методический центр по ГО и ЧС Кузбасса»"
INFO = "Отдел информационной политики и взаимодействия со СМИ"
FIRE = "Отдел пожарной безопасности и поддержки добровольной пожарной охраны"
ZN = "Отдел защиты населения и территорий"
#: On the roster but sent nothing; its one process of the registry is listed by nobody.
SILENT = "ГКУ «Поисково-спасательная служба Кузбасса»"
SILENT_PROCESS = (D["7"], "Поиск и спасание людей на водных объектах", SILENT)


def orgkadry() -> list[Touchpoint]:
    appeals = activity(D["4"], "Рассмотрение обращений граждан", FUNCTION, EXTERNAL, DEPARTMENT)
    hr = activity(
        D["6"],
        "Кадровые вопросы сотрудников: отпуска, командировки, справки с места службы",
        SERVICE,
        INTERNAL,
        DEPARTMENT,
    )
    portal = activity(
        D["6"], "Внутренний портал Департамента для сотрудников", DIGITAL_SERVICE, INTERNAL,
        DEPARTMENT,
    )
    return [
        *appeals(
            tp(
                "Письменное обращение (почтой или нарочно)", T["letter"], OFFLINE,
                f"{ADDRESS}, канцелярия, каб. 101",
                needs("4", "6"),
                "Регистрация в течение 3 дней; ответ в течение 30 дней со дня регистрации; "
                "о переадресации сообщается в течение 7 дней",
                NPA, LAW_59,
            ),
            tp(
                "Электронная почта для обращений граждан", T["email"], DIGITAL,
                "obrashcheniya@dchs.kuzbass.ru",
                needs("4", "5", "6"),
                "Автоматическое уведомление о получении; ответ на адрес заявителя в течение "
                "30 дней",
                NPA, LAW_59,
            ),
            tp(
                "Интернет-приемная на официальном сайте Департамента", T["site"], DIGITAL,
                f"{SITE}/priemnaya",
                needs("4", "5", "6"),
                "Форма обращения с подсказками и проверкой обязательных полей; статус обращения "
                "в личном кабинете",
                NPA, f"{LAW_59}; {LAW_8}",
            ),
            tp(
                "Платформа обратной связи (ПОС) на Госуслугах", T["portal"], DIGITAL,
                "https://pos.gosuslugi.ru/landing/",
                needs("4", "5", "6", "8"),
                "Сообщение через виджет ПОС на сайте или на Госуслугах; ответ в течение 10 "
                "рабочих дней, по обращениям — 30 дней",
                NPA, POS_1802,
            ),
            tp(
                "Личный прием граждан начальником Департамента", T["reception"], OFFLINE,
                f"{ADDRESS}, каб. 305",
                needs("2", "4", "6"),
                "Запись по телефону +7 (3842) 00-00-05; прием каждый второй вторник месяца с "
                "10:00 до 12:00",
                NPA, f"{LAW_59}, ст. 13",
            ),
            tp(
                "Телефон приемной Департамента", T["phone"], OFFLINE,
                "+7 (3842) 00-00-05",
                needs("1", "2", "5"),
                "Пн–чт 9:00–18:00, пт 9:00–16:45; сведения о регистрации и ходе рассмотрения "
                "обращений",
                INTERNAL_ACT,
                "Регламент работы приемной Департамента, утв. приказом Департамента от "
                "10.01.2024 № 3",
            ),
        ),
        *hr(
            tp(
                "Прием сотрудников в отделе кадров", T["reception"], OFFLINE,
                f"{ADDRESS}, каб. 210",
                needs("2", "3", "4", "6"),
                "Без записи: пн–пт 14:00–17:00; справка с места службы — в течение 3 рабочих "
                "дней",
                NPA,
                "Федеральный закон от 27.07.2004 № 79-ФЗ «О государственной гражданской службе "
                "Российской Федерации»; Трудовой кодекс Российской Федерации",
                requirements=[
                    ("4.2.7б", "да", ""),
                    ("4.2.7ж", 5, "очереди, как правило, нет"),
                ],
            ),
            tp(
                "Заявления в системе электронного документооборота (СЭД)", T["other"], DIGITAL,
                "СЭД Департамента, раздел «Кадровые заявления»",
                needs("3", "4", "5", "6"),
                "Заявление на отпуск или командировку по шаблону в СЭД; согласование "
                "руководителем и отделом кадров в течение 2 рабочих дней",
                INTERNAL_ACT,
                "Инструкция по делопроизводству в Департаменте, утв. приказом Департамента от "
                "15.02.2024 № 21",
                note="Система электронного документооборота Департамента — внутренняя "
                "информационная система",
            ),
        ),
        *portal(
            tp(
                "Внутренний портал (интранет) Департамента", T["site"], DIGITAL,
                "http://portal.dchs.local",
                needs("1", "3", "8"),
                "Новости, телефонный справочник, шаблоны заявлений; доступ из сети "
                "Департамента",
                INTERNAL_ACT,
                "Приказ Департамента от 01.03.2024 № 45 «О внутреннем портале Департамента»",
                requirements=[
                    ("4.2.1а", "да", ""),
                    ("4.2.1д", "да", "шаблоны заявлений с автозаполнением ФИО и должности"),
                ],
            ),
        ),
    ]


def nadzor() -> list[Touchpoint]:
    supervision = activity(
        D["3"],
        "Региональный государственный надзор в области защиты населения и территорий от "
        "чрезвычайных ситуаций",
        FUNCTION,
        EXTERNAL,
        DEPARTMENT,
    )
    return supervision(
        tp(
            "Консультирование контролируемых лиц по телефону", T["phone"], OFFLINE,
            "+7 (3842) 00-00-31",
            needs("1", "2"),
            "Пн–чт 9:00–18:00, пт 9:00–16:45; консультирование не более 15 минут (ст. 50 "
            "248-ФЗ)",
            NPA, NADZOR_ACT,
        ),
        tp(
            "Консультирование на личном приеме в отделе надзора", T["reception"], OFFLINE,
            f"{ADDRESS}, каб. 412",
            needs("2", "3"),
            "Запись по телефону или через сайт; прием по средам 10:00–13:00",
            NPA, NADZOR_ACT,
        ),
        tp(
            "Профилактический визит", T["other"], OFFLINE,
            "По месту деятельности контролируемого лица",
            needs("2", "7"),
            "Уведомление не позднее чем за 5 рабочих дней; продолжительность не более 1 "
            "рабочего дня",
            NPA, f"{LAW_248}, ст. 52",
            note="Выездное профилактическое мероприятие инспектора на объекте",
        ),
        tp(
            "Выездная проверка на объекте контролируемого лица", T["other"], OFFLINE,
            "По месту нахождения объекта контроля",
            needs("7", "6"),
            "По решению о проведении проверки; акт вручается в день окончания проверки",
            NPA, f"{LAW_248}, ст. 73",
            note="Контрольное (надзорное) мероприятие с осмотром объекта",
        ),
        tp(
            "Досудебное обжалование решений на Госуслугах", T["portal"], DIGITAL,
            "https://www.gosuslugi.ru/10101/1",
            needs("4", "5", "6"),
            "Жалоба подается только в электронном виде через ЕПГУ; решение в течение 20 "
            "рабочих дней",
            NPA, f"{LAW_248}, глава 9",
        ),
        tp(
            "Электронная почта отдела надзора", T["email"], DIGITAL,
            "nadzor@dchs.kuzbass.ru",
            needs("2", "4", "6"),
            "Письменные консультации и уведомления контролируемых лиц; ответ в течение 30 дней",
            NPA, NADZOR_ACT,
        ),
        tp(
            "Раздел «Региональный государственный надзор» официального сайта", T["site"],
            DIGITAL,
            f"{SITE}/nadzor",
            needs("1", "3"),
            "Перечень НПА, проверочные листы, программа профилактики рисков, доклады",
            NPA, f"{LAW_248}, ст. 46",
            requirements=[
                ("4.2.1а", "да", ""),
                ("4.2.1б", "да", "разделы для организаций и для граждан"),
            ],
        ),
    )


def agentstvo() -> list[Touchpoint]:
    informing = activity(
        D["5"],
        "Информирование населения об угрозе и возникновении чрезвычайных ситуаций",
        FUNCTION,
        EXTERNAL,
        INSTITUTION,
    )
    system112 = activity(
        D["7"],
        "Обеспечение вызова экстренных оперативных служб по единому номеру «112»",
        FUNCTION,
        EXTERNAL,
        INSTITUTION,
    )
    duty = activity(
        D["7"],
        "Прием и передача информации о происшествиях и чрезвычайных ситуациях",
        FUNCTION,
        EXTERNAL,
        "ГКУ",
    )
    return [
        *informing(
            tp(
                "Мобильное приложение «Безопасный Кузбасс»", T["app"], DIGITAL,
                "RuStore и App Store, «Безопасный Кузбасс»",
                needs("1", "8"),
                "Push-оповещения об угрозе ЧС по выбранным районам; сообщение о происшествии с "
                "фото и геометкой",
                CONTRACT,
                "Государственный контракт от 15.03.2023 № 0139200000123000045 на развитие и "
                "сопровождение мобильного приложения",
            ),
            tp(
                "Telegram-канал «112 Кузбасс»", T["social"], DIGITAL,
                "https://t.me/kuzbass112",
                needs("1", "8"),
                "Оперативная информация о происшествиях и погоде; ответы на комментарии в "
                "рабочее время",
                NPA, f"{LAW_8} (в ред. Федерального закона от 14.07.2022 № 270-ФЗ)",
                requirements=[],
                flag=("touchpoint", "requirements-missing"),
            ),
            tp(
                "Горячая линия на период весеннего половодья", T["phone"], OFFLINE,
                "8-800-000-00-42",
                needs("1", "2"),
                "Круглосуточно с 1 апреля по 15 мая; консультации о подтоплении, эвакуации и "
                "пунктах временного размещения",
                ORDER, "Поручение начальника Департамента от 25.03.2024",
            ),
        ),
        *system112(
            tp(
                "Единый номер «112»", T["phone"], OFFLINE,
                "112 (бесплатно, круглосуточно, в том числе без SIM-карты)",
                "получение информации; представление заявления, обращения, запроса, документов; "
                "другие удовлетворяемые потребности клиента",
                "Прием вызова оператором; передача в ЕДДС и дежурно-диспетчерские службы "
                "экстренных оперативных служб",
                NPA,
                "Постановление Правительства РФ от 21.11.2011 № 958 «О системе обеспечения "
                "вызова экстренных оперативных служб по единому номеру «112»»",
                note="Вызов экстренных оперативных служб: пожарной охраны, полиции, скорой "
                "помощи, аварийной службы газовой сети",
                requirements=[
                    (
                        "4.2.5а",
                        Planted(3, "requirement-over-limit"),
                        "оператор 112 → ЕДДС → дежурный экстренной службы",
                    ),
                    ("4.2.5б", "да", ""),
                    ("4.2.5г", "да", "карточки и скрипты для типовых происшествий"),
                ],
            ),
            tp(
                "Голосовой помощник линии «112» при массовых вызовах", T["voice"], OFFLINE,
                "112",
                needs("1"),
                "Включается при перегрузке линии: сообщает информацию о известном происшествии "
                "и переводит на оператора",
                CONTRACT,
                "Государственный контракт от 02.02.2024 № 0139200000124000012 на услуги "
                "голосового помощника",
            ),
        ),
        *duty(
            tp(
                "Телефон оперативного дежурного Агентства", T["phone"], OFFLINE,
                Planted("Оперативный дежурный Агентства, круглосуточно", "location-mismatch"),
                needs("4", "6"),
                "Прием донесений от ЕДДС муниципальных образований и организаций круглосуточно",
                NPA, LAW_68,
            ),
            tp(
                "Электронная почта дежурной смены Агентства", T["email"], DIGITAL,
                "duty@azn42.ru",
                needs("4", "6"),
                Planted(None, "required-missing"),
                NPA, LAW_68,
            ),
        ),
    ]


def umc() -> list[Touchpoint]:
    # Typed the way this clerk types: codes of п. 3.7, capitals, ё, a trailing space, «o» in
    # Latin, synonyms of the lists.
    training = activity(
        "Предоставление государственных услуг, услуг",
        "Обучение должностных лиц и специалистов гражданской обороны и Кузбасской "
        "территориальной подсистемы РСЧС",
        "Услуга",
        "внешний ",
        "ГКУ",
    )
    lessons = activity(
        D["7"],
        "Пропаганда знаний в области гражданской обороны и защиты от чрезвычайных ситуаций",
        FUNCTION,
        EXTERNAL,
        INSTITUTION,
    )
    staff = activity(
        D["6"],
        "Повышение квалификации сотрудников Департамента и подведомственных учреждений",
        SERVICE,
        INTERNAL,
        INSTITUTION,
    )
    umc_site = "https://umc-go42.ru"
    law_training = (
        "Постановление Правительства РФ от 18.09.2020 № 1485 «Об утверждении Положения о "
        "подготовке граждан… в области защиты от чрезвычайных ситуаций…»; постановление "
        "Правительства РФ от 02.11.2000 № 841 «Об утверждении Положения о подготовке населения в "
        "области гражданской обороны»"
    )
    return [
        *training(
            tp(
                "Официальный сайт Учебно-методического центра", "сайт", "Цифровая",
                umc_site,
                "1; 3; 4",
                "План-график курсов, формы заявок, онлайн-заявка на обучение",
                "НПА", law_training,
            ),
            tp(
                "Электронная почта для заявок на обучение", T["email"], "цифровая",
                "zayavki@umc-go42.ru",
                "4, 5",
                "Заявка организации по форме; подтверждение включения в группу в течение 2 "
                "рабочих дней",
                NPA,
                "Федеральный закон от 29.12.2012 № 273-ФЗ «Об образовании в Российской "
                "Федерации»",
            ),
            tp(
                "Очное обучение в учебных классах центра", "личный приём в Департаменте, "
                "учреждении", "oффлайн",
                "г. Кемерово, ул. Учебная, 5",
                "2; 6",
                "Занятия по расписанию курса; удостоверение о повышении квалификации в "
                "последний день обучения",
                NPA, law_training,
                demand="Да",
            ),
            tp(
                "Телефон учебной части", T["phone"], "ОФФЛАЙН",
                "+7 (3842) 00-02-10",
                "1; 2; 5",
                "Пн–пт 8:30–17:30; запись на курсы и справки о ходе рассмотрения заявки",
                NPA, law_training,
            ),
        ),
        *lessons(
            tp(
                "Уроки безопасности в общеобразовательных организациях", T["long_stay"],
                OFFLINE,
                "Школы г. Кемерово и Кемеровского округа по графику",
                "1; 2",
                "Занятия по заявке школы; памятки для учащихся и родителей",
                CONTRACT,
                "Соглашение о взаимодействии с управлением образования администрации г. "
                "Кемерово от 01.09.2023 № 12",
                demand=NO,
            ),
        ),
        *staff(
            tp(
                "Система дистанционного обучения УМЦ", T["site"], DIGITAL,
                "https://sdo.umc-go42.ru",
                "1; 6; 8",
                "Дистанционные курсы и тестирование; сертификат в личном кабинете",
                INTERNAL_ACT,
                "План повышения квалификации сотрудников на 2024 год, утв. приказом "
                "Департамента от 20.12.2023 № 210",
                requirements=[
                    ("4.2.1а", "Да", ""),
                    ("4.2.1в", "Да", "прогресс курса в личном кабинете"),
                    ("4.2.1е", "Да", "анкета после курса"),
                ],
            ),
        ),
    ]


def infopolitika() -> list[Touchpoint]:
    access = activity(
        D["5"],
        "Обеспечение доступа к информации о деятельности Департамента",
        FUNCTION,
        BOTH,
        DEPARTMENT,
    )
    press = activity(
        D["5"], "Взаимодействие со средствами массовой информации", FUNCTION, EXTERNAL,
        DEPARTMENT,
    )
    law_media = (
        "Закон РФ от 27.12.1991 № 2124-1 «О средствах массовой информации»; Положение о пресс-"
        "службе Департамента, утв. приказом Департамента от 11.01.2024 № 5"
    )
    law_pages = f"{LAW_8} (в ред. Федерального закона от 14.07.2022 № 270-ФЗ)"
    return [
        *access(
            tp(
                "Официальный сайт Департамента", T["site"],
                Planted(OFFLINE, "channel-mismatch"),
                SITE,
                needs("1", "3", "8"),
                "Новости, документы, контакты, формы; круглосуточно",
                NPA, LAW_8,
                requirements=[
                    ("4.2.1а", "да", "версия для слабовидящих"),
                    ("4.2.1г", "да", ""),
                    ("4.2.1е", "да", "виджет оценки"),
                    ("4.2.1ж", "да", "чат-бот на сайте, техподдержка круглосуточно"),
                ],
            ),
            tp(
                "Telegram-канал Департамента «ДЧС Кузбасса»", T["social"], DIGITAL,
                "https://t.me/dchs_kuzbass",
                needs("1", "8"),
                "Новости и предупреждения; комментарии модерируются в рабочее время",
                NPA, law_pages,
                requirements=[
                    ("4.2.3а", "да", ""),
                    ("4.2.3в.mention", 2, ""),
                    ("4.2.3в.appeal", 1, ""),
                ],
            ),
            tp(
                "Госпаблик Департамента во ВКонтакте", T["social"], DIGITAL,
                "https://vk.com/dchs_kuzbass",
                needs("1", "8", "9"),
                "Новости, ответы на комментарии и упоминания; сложные вопросы передаются в "
                "профильные отделы",
                NPA, law_pages,
                requirements=[
                    ("4.2.3а", "да", "правила модерации закреплены в сообществе"),
                    ("4.2.3в.mention", 4, "по данным ЦУР Кузбасса за I квартал 2024 г."),
                    (
                        "4.2.3в.appeal",
                        Planted(3, "requirement-over-target"),
                        "по данным ЦУР Кузбасса за I квартал 2024 г.",
                    ),
                    ("4.2.3г", "да", ""),
                ],
            ),
            tp(
                "Сообщения сообщества ВКонтакте", T["bot"], DIGITAL,
                "https://vk.com/im?sel=-200000042",
                needs("2", "4", "6"),
                "Личные сообщения сообществу; ответ в рабочее время в течение 2 часов",
                NPA, law_pages,
            ),
        ),
        *press(
            tp(
                "Электронная почта пресс-службы", T["email"], DIGITAL,
                "press@dchs.kuzbass.ru",
                needs("4", "6"),
                "Запросы редакций; ответ в течение 7 дней",
                NPA, law_media,
            ),
            tp(
                "Телефон пресс-службы", T["phone"], OFFLINE,
                "+7 (3842) 00-00-77",
                needs("1", "2"),
                "Пн–пт 9:00–18:00; аккредитация журналистов и комментарии",
                NPA, law_media,
            ),
        ),
    ]


def pozharnaya() -> list[Touchpoint]:
    compensation = activity(
        D["2"],
        "Выплата компенсации добровольным пожарным за участие в тушении пожаров",
        SERVICE,
        EXTERNAL,
        DEPARTMENT,
    )
    equipment = activity(
        D["2"],
        "Обеспечение подразделений добровольной пожарной охраны снаряжением и средствами "
        "пожаротушения",
        SERVICE,
        EXTERNAL,
        DEPARTMENT,
    )
    epgu = "Подача заявления на Госуслугах"
    return [
        *compensation(
            tp(
                "Прием заявлений в МФЦ «Мои документы»", T["one_window"], OFFLINE,
                "Отделения МФЦ Кузбасса, адреса на https://umfc42.ru",
                needs("2", "4", "6"),
                "Заявление с документами об участии в тушении; результат в МФЦ через 30 "
                "рабочих дней",
                CONTRACT,
                "Соглашение о взаимодействии между ГАУ «УМФЦ Кузбасса» и Департаментом от "
                "20.02.2023 № 15",
                operator=AUTHORIZED,
            ),
            tp(
                epgu, T["portal"], DIGITAL,
                "https://www.gosuslugi.ru",
                needs("4"),
                "Электронное заявление с прикреплением документов",
                NPA, f"{DPO_ACT}; {LAW_210}",
            ),
            tp(
                epgu, T["portal"], DIGITAL,
                "https://www.gosuslugi.ru",
                needs("5", "6"),
                "Статус заявления и решение — в личном кабинете",
                NPA, f"{DPO_ACT}; {LAW_210}",
                flag=("touchpoint", "duplicate-touchpoint"),
            ),
            tp(
                "Письменное заявление в Департамент", T["letter"], OFFLINE,
                ADDRESS,
                needs("4", "6"),
                "Заявление почтой или нарочно; ответ в течение 30 дней",
                NPA, Planted(None, "basis-without-requisites"),
            ),
            tp(
                "Телефон для консультаций по выплатам", T["phone"], OFFLINE,
                "+7 (3842) 00-00-41",
                Planted("получение информации; получение кончультации", "value-not-in-list"),
                "Пн–пт 9:00–17:00; перечень документов и сроки выплаты",
                NPA, DPO_ACT,
            ),
        ),
        *equipment(
            tp(
                "Электронная почта отдела пожарной безопасности", T["email"], DIGITAL,
                "dpo@dchs.kuzbass.ru",
                Planted(
                    "представление заявления, обращения, запроса, документов; другие "
                    "удовлетворяемые потребности клиента",
                    "other-need-without-note",
                ),
                "Заявки общественных объединений пожарной охраны; ответ в течение 30 дней",
                NPA, LAW_100,
            ),
            tp(
                "Личный прием в отделе пожарной безопасности", T["reception"], OFFLINE,
                f"{ADDRESS}, каб. 118",
                needs("2", "4"),
                "По записи по телефону +7 (3842) 00-00-41; передача снаряжения по акту",
                NPA, LAW_100,
            ),
        ),
    ]


def zashchita() -> list[Touchpoint]:
    plans = activity(
        D["1"],
        "Согласование планов действий по предупреждению и ликвидации чрезвычайных ситуаций "
        "организаций",
        SERVICE,
        EXTERNAL,
        DEPARTMENT,
    )
    edds = activity(
        D["7"],
        "Методическое руководство едиными дежурно-диспетчерскими службами муниципальных "
        "образований",
        FUNCTION,
        EXTERNAL,
        DEPARTMENT,
    )
    return [
        *plans(
            tp(
                "Представление плана на согласование нарочно или почтой", T["letter"], OFFLINE,
                f"{ADDRESS}, каб. 220",
                needs("4", "6"),
                "Согласование или мотивированный отказ в течение 30 дней",
                NPA, LAW_68,
            ),
            tp(
                "Электронная почта отдела защиты населения", T["email"], DIGITAL,
                "zn@dchs.kuzbass.ru",
                needs("1", "4", "5"),
                "Проект плана в электронном виде для предварительного рассмотрения",
                NPA, LAW_68,
            ),
            tp(
                "Консультации по разработке планов на личном приеме", T["reception"], OFFLINE,
                f"{ADDRESS}, каб. 220",
                needs("2", "3"),
                "Пн и чт 14:00–17:00 по записи",
                INTERNAL_ACT,
                "Методические рекомендации Департамента по разработке планов, утв. приказом от "
                "05.02.2024 № 18",
            ),
        ),
        *edds(
            tp(
                "Селекторные совещания с ЕДДС в режиме видеоконференцсвязи", T["other"], DIGITAL,
                "ВКС Департамента, по графику",
                needs("1", "2"),
                "Еженедельно по понедельникам в 9:00",
                ORDER, "",
                note="Видеоконференцсвязь Департамента с ЕДДС муниципальных образований",
            ),
            tp(
                # the type «СМЭВ, API» is an extension, off by default (issue 16): «иное»
                "Информационный обмен с ЕДДС в АИУС РСЧС", T["other"], DIGITAL,
                "АИУС РСЧС",
                needs("1", "4"),
                "Донесения и оперативная информация по установленным формам и срокам",
                NPA,
                "Приказ МЧС России от 05.07.2021 № 429 «Об установлении критериев информации о "
                "чрезвычайных ситуациях природного и техногенного характера»",
                note="Межведомственный информационный обмен в АИУС РСЧС",
            ),
        ),
    ]


SUBMISSIONS: list[Submission] = [
    Submission("orgkadry.xlsx", OKR, "Смирнова О. В.", orgkadry(), Layout(keep_example=True)),
    Submission("nadzor.xls", NADZOR, "Кузнецов Д. А.", nadzor(), Layout(numbers_as_text=False)),
    Submission("agentstvo_112.xlsx", AGENCY, "Белова Н. Н.", agentstvo(), Layout(group_rows=True)),
    Submission("umc_go_chs.ods", UMC, "Орлов С. П.", umc()),
    Submission(
        "infopolitika.xlsx",
        INFO,
        "Петрова Е. С.",
        infopolitika(),
        Layout(
            title=(
                "Перечень точек взаимодействия с внешним и внутренним клиентами",
                f"{INFO} Департамента по чрезвычайным ситуациям Кузбасса",
                "по состоянию на 01.04.2024",
            ),
            order=(
                "number", "direction", "activity", "activity_kind", "touchpoint", "client",
                "touchpoint_type", "channel", "location", "needs", "procedure", "basis_kind",
                "basis", "operator", "subdivision", "Контактное лицо", "demand_tracked", "note",
            ),
            headers={
                "number": "№ п/п",
                "direction": "Направление деятельности",
                "activity": "Наименование услуги (функции, сервиса)",
                "touchpoint": "Точка\nвзаимодействия",
                "touchpoint_type": "Тип точки взаимодействия",
                "channel": "Вид точки",
                "location": "Адрес (ссылка, телефон)",
                "needs": "Потребности\nклиента",
                "procedure": "Порядок взаимодействия",
                "basis_kind": "Основание",
                "basis": "Реквизиты документа",
                "subdivision": "Структурное подразделение",
                "demand_tracked": "Учёт обращений",
            },
            numbers_as_text=False,
        ),
        extra={
            "Контактное лицо": [
                "Петрова Е. С., +7 (3842) 00-00-70",
                "Ким А. Р., +7 (3842) 00-00-71",
                "Ким А. Р., +7 (3842) 00-00-71",
                "Ким А. Р., +7 (3842) 00-00-71",
                "Петрова Е. С., +7 (3842) 00-00-70",
                "Петрова Е. С., +7 (3842) 00-00-70",
            ]
        },
        extra_flag="column-unknown",
    ),
    Submission("pozharnaya_bezopasnost.xlsx", FIRE, "Громов И. К.", pozharnaya()),
    Submission(
        "zashchita_naseleniya.xlsx",
        ZN,
        "Лебедева М. Ю.",
        zashchita(),
        Layout(requirement_labels="synonym"),
    ),
]


# fmt: on

# --------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class Mark:
    """Where a planted problem lands: file, sheet, A1 cell, issue code."""

    file: str
    sheet: str
    cell: str
    code: str


def _value(value: Any) -> Any:
    return value.value if isinstance(value, Planted) else value


def _requirement_rows(point: Touchpoint) -> list[tuple[str, Any, str]]:
    """The rows given (or the defaults of the type), then every other sub-item of п. 4.2
    expected of the type, met («да», or a number within the limit): a clerk answers them all
    (issue 16). A touchpoint given no rows (``requirements=[]``) stays without any."""
    entry = C["touchpoint_type"].match(_value(point.cells["touchpoint_type"]))
    if point.requirements is not None:
        rows = list(point.requirements)
        if not rows:
            return rows
    else:
        rows = list(DEFAULT_REQUIREMENTS.get(entry.code, [])) if entry else []
    if entry is None:
        return rows
    given = {code for code, _, _ in rows}
    for requirement in C["requirement"]:
        if requirement.get("group") not in entry.get("requirements", ()):
            continue
        if requirement.code in given or entry.code not in requirement.get("types", (entry.code,)):
            continue
        limit = requirement.get("limit")
        value = "да" if requirement.get("kind") == "yes_no" else max(int(limit) - 1, 1)
        rows.append((requirement.code, value, ""))
    return rows


def _requirement_text(code: str, how: str) -> str:
    entry = C["requirement"].by_code(code)
    if how == "synonym" and entry.synonyms:
        return entry.synonyms[0]
    return entry.label


def _template_validations(sheet) -> dict[int, list]:
    """Zero-based template column → its validations (header cell and data cells)."""
    found: dict[int, list] = {}
    for validation in sheet.data_validations.dataValidation:
        col = next(iter(validation.sqref.ranges)).min_col - 1
        found.setdefault(col, []).append(validation)
    return found


def _relayout(sheet, layout: Layout, header_row: int, last_row: int) -> dict[str, int]:
    """Move the template's header, drop-downs, hints, widths and styles of «Перечень» into the
    clerk's column order below the title; return column key/header → zero-based index."""
    template_index = {key: i for i, key in enumerate(KEYS)}
    header_cells = {
        key: copy.copy(sheet.cell(1, i + 1)._style) for key, i in template_index.items()
    }
    widths = {
        key: sheet.column_dimensions[get_column_letter(i + 1)].width
        for key, i in template_index.items()
    }
    validations = _template_validations(sheet)
    prepared = C.sheets.rows_prepared
    for row in sheet.iter_rows(min_row=1, max_row=max(sheet.max_row, 2)):
        for cell in row:
            cell.value = None
            cell.style = "Normal"
    sheet.data_validations.dataValidation = []
    positions: dict[str, int] = {}
    for index, key in enumerate(layout.order):
        positions[key] = index
        letter = get_column_letter(index + 1)
        cell = sheet.cell(header_row, index + 1)
        if key in template_index:
            column = C.column(key)
            cell.value = layout.headers.get(key, column.template_header)
            cell._style = header_cells[key]
            sheet.column_dimensions[letter].width = widths[key]
            for validation in validations.get(template_index[key], []):
                moved = copy.copy(validation)
                if next(iter(validation.sqref.ranges)).min_row == 1:
                    moved.sqref = MultiCellRange(f"{letter}{header_row}")
                else:
                    moved.sqref = MultiCellRange(
                        f"{letter}{header_row + 1}:{letter}{header_row + prepared}"
                    )
                sheet.data_validations.append(moved)
        else:  # the clerk's own column
            cell.value = key
            cell._style = header_cells["note"]
            sheet.column_dimensions[letter].width = 28
    last = get_column_letter(len(layout.order))
    for offset, line in enumerate(layout.title, start=1):
        sheet.cell(offset, 1, line).font = Font(
            name="Calibri", bold=True, size=14 if offset == 1 else 11
        )
        sheet.merge_cells(f"A{offset}:{last}{offset}")
    sheet.row_dimensions[1].height = None
    sheet.row_dimensions[header_row].height = 48
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{last}{max(last_row, header_row + 1)}"
    return positions


def _fill(submission: Submission, path: Path) -> list[Mark]:
    book = openpyxl.load_workbook(TEMPLATE)
    sheet, requirements = book[DATA], book[REQS]
    layout = submission.layout
    marks: list[Mark] = []
    name = submission.name

    header_row = len(layout.title) + 1 + (1 if layout.title else 0)  # a blank line under title
    first = header_row + (2 if layout.keep_example else 1)
    rows_needed = len(submission.touchpoints) + (len({*map(_direction, submission.touchpoints)}))
    if layout.title or layout.order != tuple(KEYS):
        positions = _relayout(sheet, layout, header_row, first + rows_needed)
    else:
        positions = {key: i for i, key in enumerate(KEYS)}
        if not layout.keep_example:  # typed over the example row
            for cell in sheet[2]:
                cell.value = None
                cell.style = "Normal"

    def put(row: int, key: str, value: Any, sheet_=sheet, where=positions, sheet_name=DATA):
        cell = sheet_.cell(row, where[key] + 1)
        if isinstance(value, Planted):
            marks.append(Mark(name, sheet_name, cell.coordinate, value.code))
            value = value.value
        if value is None or value == "":
            cell.value = None
            return
        if key in ("number", "row_ref") or isinstance(value, int):
            # typed into the template's text columns a number stays text; in a column the
            # clerk made (or after a round trip through .xls) it is a number
            cell.value = str(value) if layout.numbers_as_text else int(value)
        else:
            cell.value = value
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    row = first
    direction = None
    requirement_rows: list[tuple[str, Any, str]] = []
    width = len(layout.order)
    for number, point in enumerate(submission.touchpoints, start=1):
        cells = dict(point.cells)
        cells["subdivision"] = submission.sender
        if layout.group_rows and cells["direction"] != direction:
            direction = cells["direction"]
            sheet.cell(row, 1, direction[:1].upper() + direction[1:])
            sheet.cell(row, 1).font = Font(name="Calibri", bold=True)
            sheet.cell(row, 1).fill = PatternFill("solid", fgColor="FFF2F2F2")
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            row += 1
        if layout.group_rows:
            cells["direction"] = None
        cells["number"] = str(number)
        for key in KEYS:
            put(row, key, cells.get(key))
        for header, values in submission.extra.items():
            put(row, header, values[number - 1])
        if point.flag:
            key, code = point.flag
            marks.append(Mark(name, DATA, sheet.cell(row, positions[key] + 1).coordinate, code))
        requirement_rows += [(str(number), *item) for item in _requirement_rows(point)]
        row += 1
    for header in submission.extra:
        if submission.extra_flag:
            coordinate = sheet.cell(header_row, positions[header] + 1).coordinate
            marks.append(Mark(name, DATA, coordinate, submission.extra_flag))

    requirement_keys = [column.key for column in C.requirement_columns]
    where = {key: i for i, key in enumerate(requirement_keys)}
    first_requirement = 3 if layout.keep_example else 2
    if not layout.keep_example:
        for cell in requirements[2]:
            cell.value = None
            cell.style = "Normal"
    for offset, (ref, code, value, comment) in enumerate(requirement_rows):
        at = first_requirement + offset
        put(at, "row_ref", ref, requirements, where, REQS)
        put(
            at,
            "requirement",
            _requirement_text(code, layout.requirement_labels),
            requirements,
            where,
            REQS,
        )
        put(at, "value", value, requirements, where, REQS)
        put(at, "comment", comment, requirements, where, REQS)

    _fit_heights(sheet, range(first, row))
    _fit_heights(requirements, range(first_requirement, first_requirement + len(requirement_rows)))
    book.properties.creator = submission.author
    book.properties.lastModifiedBy = submission.author
    book.properties.title = f"Перечень точек взаимодействия — {submission.sender}"
    book.save(path)
    _freeze_zip(path)
    return marks


def _fit_heights(sheet, rows: range) -> None:
    """Row heights that show the wrapped texts, as Excel sets them when the clerk types."""
    for row in rows:
        lines = 1
        for cell in sheet[row]:
            if cell.value is None or cell.coordinate in sheet.merged_cells:
                continue
            width = sheet.column_dimensions[cell.column_letter].width or 10
            per_line = max(int(width * 1.1), 1)
            count = sum(-(-max(len(part), 1) // per_line) for part in str(cell.value).split("\n"))
            lines = max(lines, count)
        sheet.row_dimensions[row].height = 15 * lines


def _direction(point: Touchpoint) -> str:
    return point.cells["direction"]


_VOLATILE = [
    (re.compile(rb"<dcterms:created([^>]*)>[^<]*</dcterms:created>"), rb"<dcterms:created\1>"),
    (re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>"), rb"<dcterms:modified\1>"),
    (re.compile(rb"<meta:creation-date>[^<]*</meta:creation-date>"), b"<meta:creation-date>"),
    (re.compile(rb"<dc:date>[^<]*</dc:date>"), b"<dc:date>"),
    (re.compile(rb"<meta:editing-duration>[^<]*</meta:editing-duration>"), None),
    (re.compile(rb"<meta:editing-cycles>[^<]*</meta:editing-cycles>"), None),
]


def _freeze_zip(path: Path) -> None:
    """Make a zip package byte-stable: fixed entry times and document dates, same entry order
    and compression (the .ods «mimetype» entry stays first and stored)."""
    stamp = SAVED_AT.encode()
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    frozen = path.with_suffix(path.suffix + ".part")
    with zipfile.ZipFile(frozen, "w") as target:
        for info, data in entries:
            if info.filename.endswith(".xml"):
                for pattern, replacement in _VOLATILE:
                    if replacement is None:
                        data = pattern.sub(b"", data)
                    else:
                        data = pattern.sub(_stamp(replacement, stamp), data)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            target.writestr(entry, data)
    os.replace(frozen, path)


def _stamp(opening: bytes, stamp: bytes):
    """A replacement function writing *stamp* between *opening* and its closing tag."""
    tag = re.match(rb"<([\w:-]+)", opening).group(1)

    def replace(match: re.Match[bytes]) -> bytes:
        return match.expand(opening) + stamp + b"</" + tag + b">"

    return replace


def soffice_convert(source: Path, fmt: str, outdir: Path) -> Path:
    """Save *source* with LibreOffice headless as *fmt* into *outdir* (own profile per call)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to write the .ods and .xls samples")
    profile = outdir / f".lo-profile-{os.getpid()}-{source.stem}"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    shutil.rmtree(profile, ignore_errors=True)
    return outdir / f"{source.stem}.{fmt.split(':')[0]}"


def build(out: Path, *, convert: bool = True) -> list[Mark]:
    """Write every submission into *out*; with ``convert=False`` the .ods and .xls ones are left
    as the .xlsx the clerk saved before converting (same cells). Returns the planted marks."""
    out.mkdir(parents=True, exist_ok=True)
    marks: list[Mark] = []
    with tempfile.TemporaryDirectory() as scratch:
        for submission in SUBMISSIONS:
            target = out / submission.name
            if target.suffix == ".xlsx":
                marks += _fill(submission, target)
                continue
            source = Path(scratch) / (target.stem + ".xlsx")
            marks += _fill(submission, source)
            if not convert:
                shutil.copyfile(source, out / source.name)
                continue
            made = soffice_convert(source, target.suffix.lstrip("."), Path(scratch))
            if target.suffix == ".ods":
                _freeze_zip(made)
            shutil.copyfile(made, target)
    write_roster(out)
    write_registry(out)
    return marks


def write_roster(out: Path) -> Path:
    """roster.txt: the subdivisions and institutions expected to submit, one per line."""
    names = [submission.sender for submission in SUBMISSIONS] + [SILENT]
    path = out / "roster.txt"
    path.write_text("\n".join(names) + "\n", encoding="utf-8")
    return path


def write_registry(out: Path) -> Path:
    """registry.csv: the registry of processes (п. 3.1) — direction; activity; subdivision —
    with every process the samples list, plus one nobody listed."""
    rows: list[tuple[str, str, str]] = []
    for submission in SUBMISSIONS:
        for point in submission.touchpoints:
            direction = C["direction"].match(point.cells["direction"]).label
            row = (direction, point.cells["activity"], submission.sender)
            if row not in rows:
                rows.append(row)
    rows.append(SILENT_PROCESS)
    header = [C.column(key).header for key in ("direction", "activity", "subdivision")]
    path = out / "registry.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def planted() -> list[Mark]:
    """Where the planted problems land, without writing anything that stays."""
    with tempfile.TemporaryDirectory() as scratch:
        return build(Path(scratch), convert=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=SAMPLES, help="folder to write (samples/)")
    parser.add_argument(
        "--no-convert", action="store_true", help="leave the .ods/.xls ones as .xlsx"
    )
    args = parser.parse_args(argv)
    marks = build(args.out, convert=not args.no_convert)
    for submission in SUBMISSIONS:
        print(f"{submission.name:32} {len(submission.touchpoints):3} rows  {submission.sender}")
    print("\nplanted problems:")
    for mark in marks:
        print(f"  {mark.file:32} {mark.sheet:18} {mark.cell:6} {mark.code}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
