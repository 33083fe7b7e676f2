"""The rules of the regulation beyond single cells: each failing case gives exactly the expected
(sheet, row, column key, code), and its valid twin gives nothing."""

from __future__ import annotations

import pytest

import tpcheck
from tpcheck.classifiers import default_classifiers
from tpcheck.validation.facts import reference_key
from tpcheck.validation.requirement_rules import parse_number

from .frames import flatten, frame_from_files, others
from .rows import completed, frame_of, submission

SITE = "официальный сайт (портал) Департамента, учреждения"
PHONE = "телефонная связь, кол-центр, горячая линия"
SOCIAL = "социальная сеть, публичный чат в мессенджере"
RECEPTION = "личный прием в Департаменте, учреждении"
PORTAL = "портал государственных услуг (ЕПГУ, РПГУ), платформа обратной связи"
APPEAL = (
    "4.2.3 в) время ответа на официальное обращение или комментарий к записи, часов (не более 2)"
)
PHONE_ROW = {"touchpoint_type": PHONE, "channel": "оффлайн", "location": "8-800-100-12-34"}
SOCIAL_ROW = {"touchpoint_type": SOCIAL, "location": "https://t.me/dchs_kuzbass"}
P, R = "Перечень", "Требования п. 4.2"


def table(report) -> list[list]:
    """Issues as [sheet (P or R), row, column key, code]."""
    short = {P: "P", R: "R"}
    return [
        [short.get(s, s), *rest]
        for s, *rest in flatten(
            report, ["sheet", "row", "field", "code"], severities=("error", "warning")
        )
    ]


def req(row_ref, requirement, value):
    return {"row_ref": row_ref, "requirement": requirement, "value": value}


CASES = [
    # id, rows, requirement rows (None: one met requirement per key row), expected
    (
        "site marked offline",
        [{"channel": "оффлайн"}],
        None,
        [["P", 3, "channel", "channel-mismatch"]],
    ),
    ("site digital", [{"channel": "онлайн"}], None, []),
    (
        "reception marked digital",
        [{"touchpoint_type": RECEPTION, "channel": "цифровая", "location": "каб. 105"}],
        None,
        [["P", 3, "channel", "channel-mismatch"]],
    ),
    ("phone may be either", [PHONE_ROW, {**PHONE_ROW, "channel": "цифровая"}], None, []),
    (
        "other need without note",
        [{"needs": "1; 10"}],
        None,
        [["P", 3, "note", "other-need-without-note"]],
    ),
    ("other need with note", [{"needs": "1; другие", "note": "запись на экскурсию"}], None, []),
    (
        "other type without note",
        [{"touchpoint_type": "иное", "location": None}],
        None,
        [["P", 3, "note", "other-type-without-note"]],
    ),
    ("other type with note", [{"touchpoint_type": "прочее", "note": "стенд в холле"}], None, []),
    (
        "document basis without requisites",
        [{"basis_kind": "2", "basis": None}],
        None,
        [["P", 3, "basis", "basis-without-requisites"]],
    ),
    ("order without requisites", [{"basis_kind": "поручение", "basis": None}], None, []),
    (
        "same touchpoint twice for one activity",
        [
            {**PHONE_ROW, "touchpoint": "Горячая линия", "needs": "1"},
            {**PHONE_ROW, "touchpoint": "горячая  линия.", "needs": "2; 1"},
        ],
        None,
        [["P", 4, "touchpoint", "duplicate-touchpoint"]],
    ),
    (
        "same touchpoint for two activities",
        [
            {**PHONE_ROW, "touchpoint": "Горячая линия"},
            {**PHONE_ROW, "touchpoint": "Горячая линия", "activity": "Прием заявлений"},
        ],
        None,
        [],
    ),
    (
        "site without a link",
        [{"location": "г. Кемерово, пр. Советский, 60"}],
        None,
        [["P", 3, "location", "location-mismatch"]],
    ),
    (
        "phone line without a number",
        [{**PHONE_ROW, "location": "горячая линия"}],
        None,
        [["P", 3, "location", "location-mismatch"]],
    ),
    (
        "e-mail without an address",
        [{"touchpoint_type": "e-mail", "location": "почта отдела"}],
        None,
        [["P", 3, "location", "location-mismatch"]],
    ),
    ("no location at all", [{"location": None}, {**PHONE_ROW, "location": None}], None, []),
    (
        "internal direction, external client",
        [{"direction": "6", "client": "внешний"}],
        None,
        [["P", 3, "client", "direction-client-mismatch"]],
    ),
    ("internal direction, internal client", [{"direction": "6", "client": "сотрудники"}], None, []),
    (
        "number repeated",
        [{}, {"number": "1.", "touchpoint_type": PORTAL, "location": "https://gosuslugi.ru"}],
        None,
        [["P", 4, "number", "number-duplicate"]],
    ),
    (
        "requirement names a missing row",
        [{}],
        [req("1", "4.2.1а", "да"), req("7", "4.2.1б", "да")],
        [["R", 4, "row_ref", "requirement-row-unknown"]],
    ),
    (
        "requirement of another type",
        [{}],
        [req("1", "4.2.1а", "да"), req("1", "4.2.5а", "1")],
        [["R", 4, "requirement", "requirement-not-applicable"]],
    ),
    (
        "yes/no requirement answered otherwise",
        [{}],
        [req("1", "4.2.1а", "частично")],
        [["R", 3, "value", "requirement-bad-value"]],
    ),
    (
        "number requirement answered in words",
        [SOCIAL_ROW],
        [req("1", APPEAL, "быстро")],
        [["R", 3, "value", "requirement-bad-value"]],
    ),
    (
        "number in another unit",
        [SOCIAL_ROW],
        [req("1", APPEAL, "30 мин")],
        [["R", 3, "value", "requirement-bad-value"]],
    ),
    (
        "reply to an official appeal in 3 h",
        [SOCIAL_ROW],
        [req("1", APPEAL, "3 ч")],
        # «при максимальном уровне клиентоцентричности»: a target, a warning (issue 16)
        [["R", 3, "value", "requirement-over-target"]],
    ),
    (
        "three transfers on the phone",
        [PHONE_ROW],
        [req("1", "4.2.5а", "3")],
        [["R", 3, "value", "requirement-over-limit"]],
    ),
    (
        "numbers within the limits",
        [SOCIAL_ROW, PHONE_ROW],
        [
            req("1", APPEAL, "2"),
            req("1", "время ответа на упоминание", "3,5 часа"),
            req("2", "4.2.5а", "2 переключения"),
        ],
        [],
    ),
    (
        "requirement not met",
        [{}],
        [req("1", "4.2.1а", "нет")],
        [["R", 3, "value", "requirement-not-met"]],
    ),
    (
        "requirement given twice",
        [{}],
        [
            req("1", "4.2.1а", "да"),
            req(
                "№ 1",
                "4.2.1 а) сайт спроектирован с учетом потребностей, возможностей и особенностей "
                "клиентов (в том числе с ОВЗ)",
                "да",
            ),
        ],
        [["R", 4, "requirement", "requirement-duplicate"]],
    ),
    (
        "key touchpoints without requirement rows",
        [{}, PHONE_ROW, {"touchpoint_type": PORTAL}],
        [],
        [
            ["P", 3, "touchpoint", "requirements-missing"],
            ["P", 4, "touchpoint", "requirements-missing"],
        ],
    ),
]


@pytest.mark.parametrize(
    ("rows", "requirements", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_rule(rows, requirements, expected):
    if requirements:  # the other expected sub-items answered (the coverage rule has its own cases)
        requirements = completed(rows, requirements)
    assert table(tpcheck.validate(frame_of(*rows, requirements=requirements))) == expected


def test_the_same_touchpoint_from_two_subdivisions_is_a_warning_naming_the_other_file():
    a, a_req = submission({}, {**PHONE_ROW, "touchpoint": "Горячая линия"})
    b, b_req = submission(
        {**PHONE_ROW, "touchpoint": "ГОРЯЧАЯ ЛИНИЯ", "subdivision": "Отдел кадров"}
    )
    report = tpcheck.validate(
        frame_from_files({"a.xlsx": a, "b.xlsx": b}, {"a.xlsx": a_req, "b.xlsx": b_req})
    )
    assert flatten(
        report, ["file", "row", "field", "code", "severity"], severities=("error", "warning")
    ) == [
        ["a.xlsx", 4, "touchpoint", "duplicate-across-files", "warning"],
        ["b.xlsx", 3, "touchpoint", "duplicate-across-files", "warning"],
    ]
    assert others(report.problems)[0].message == (
        "Точка «Горячая линия» для «Информирование населения о деятельности Департамента» есть и "
        "в файле «b.xlsx» (строка 3)."
    )
    assert others(report.problems)[1].message.endswith("есть и в файле «a.xlsx» (строка 4).")


def test_duplicate_touchpoint_suggests_merging_the_needs():
    frame = frame_of(
        {**PHONE_ROW, "touchpoint": "Горячая линия", "needs": "8; 1"},
        {**PHONE_ROW, "touchpoint": "Горячая  линия", "needs": "2"},
        {**PHONE_ROW, "touchpoint": "горячая линия", "needs": "другие", "note": "жалобы"},
    )
    report = tpcheck.validate(frame)
    assert table(report) == [
        ["P", 4, "touchpoint", "duplicate-touchpoint"],
        ["P", 5, "touchpoint", "duplicate-touchpoint"],
    ]
    found = others(report.problems)[0]
    assert (found.severity, found.clause, found.cell, found.value) == (
        "error",
        "п. 3.7",
        "F4",
        "Горячая  линия",
    )
    assert found.message == (
        "Точка «Горячая линия» для «Информирование населения о деятельности Департамента» уже "
        "указана в строке 3; в рамках одного процесса точки не дублируются."
    )
    assert found.suggestion == (
        "Оставьте одну строку и перечислите в ней все потребности: получение информации; "
        "получение консультации; предоставление обратной связи; "
        "другие удовлетворяемые потребности клиента."
    )


def test_over_target_of_4_2_3_is_a_warning_citing_the_sub_clause_in_both_languages():
    frame = frame_of(SOCIAL_ROW, requirements=completed([SOCIAL_ROW], [req("1", APPEAL, "3 ч")]))
    (ru,) = others(tpcheck.validate(frame).problems)
    (en,) = others(tpcheck.validate(frame, lang="en").problems)
    assert (ru.code, ru.severity, ru.clause, ru.cell, ru.value) == (
        "requirement-over-target",
        "warning",
        "п. 4.2.3 в)",
        "C3",
        "3 ч",
    )
    assert ru.message == (
        f"«{APPEAL}»: указано 3, а при максимальном уровне клиентоцентричности — "
        "не более 2 ч (п. 4.2.3 в))."
    )
    assert en.message == (
        f"«{APPEAL}»: 3 is given; at the highest level of client focus it is at most 2 ч "
        "(п. 4.2.3 в))."
    )
    assert tpcheck.validate(frame).valid  # a warning does not make the row wrong


def test_over_limit_cites_the_sub_clause_in_russian_and_english():
    transfers = default_classifiers()["requirement"].by_code("4.2.5а").label
    frame = frame_of(PHONE_ROW, requirements=completed([PHONE_ROW], [req("1", "4.2.5а", "3")]))
    (ru,) = others(tpcheck.validate(frame).problems)
    (en,) = others(tpcheck.validate(frame, lang="en").problems)
    assert (ru.code, ru.severity, ru.clause, ru.cell, ru.value) == (
        "requirement-over-limit",
        "error",
        "п. 4.2.5 а)",
        "C3",
        "3",
    )
    unit = "переключений"
    assert ru.message == f"«{transfers}»: указано 3, а допустимо не более 2 {unit} (п. 4.2.5 а))."
    assert en.message == f"«{transfers}»: 3 is given, at most 2 {unit} is allowed (п. 4.2.5 а))."


def test_channel_mismatch_message():
    (found,) = others(tpcheck.validate(frame_of({"channel": "оффлайн"})).problems)
    assert (found.column, found.cell, found.value, found.clause) == (
        "Вид точки (цифровая / оффлайн) *",
        "H3",
        "оффлайн",
        "п. 4.1, 2.8, 2.9",
    )
    assert found.message == f"Тип точки «{SITE}» — цифровая точка, а указан вид «оффлайн»."
    assert found.suggestion == "Укажите вид «цифровая»."
    (en,) = others(tpcheck.validate(frame_of({"channel": "оффлайн"}), lang="en").problems)
    assert en.message == f"A touchpoint of type «{SITE}» is цифровая, but «оффлайн» is given."


def test_location_mismatch_message_in_both_languages():
    frame = frame_of({**PHONE_ROW, "location": "горячая линия"})
    (ru,) = others(tpcheck.validate(frame).problems)
    (en,) = others(tpcheck.validate(frame, lang="en").problems)
    assert ru.message == (
        f"Для типа «{PHONE}» в графе «Адрес, ссылка, телефон» ожидается номер телефона, а указано "
        "«горячая линия»."
    )
    assert en.suggestion == "Give a phone number in this column."


def test_requirements_missing_is_one_warning_per_touchpoint():
    report = tpcheck.validate(frame_of(SOCIAL_ROW, requirements=[]))
    (found,) = others(report.problems)
    assert report.valid
    assert found.message == (
        "Точка «Официальный сайт Департамента 1» — ключевая (п. 4.2.3), но на листе «Требования "
        "п. 4.2» о ней ничего нет."
    )
    assert found.suggestion == (
        "Заполните на листе «Требования п. 4.2» строки с требованиями п. 4.2.3 для № 1."
    )


def test_a_file_without_numbers_is_referenced_by_excel_rows():
    rows = [{"number": None}, {**PHONE_ROW, "number": None}]
    given = [req("3", "4.2.1а", "да"), req("4", "4.2.5б", "да")]
    ok = frame_of(*rows, requirements=completed(rows, given, refs=["3", "4"]))
    assert table(tpcheck.validate(ok)) == []
    wrong = frame_of(*rows, requirements=[req("1", "4.2.1а", "да"), req("4", "4.2.5б", "да")])
    report = tpcheck.validate(wrong)
    assert table(report) == [
        ["P", 3, "touchpoint", "requirements-missing"],
        ["P", 4, "touchpoint", "requirements-incomplete"],
        ["R", 3, "row_ref", "requirement-row-unknown"],
    ]
    (unknown,) = [p for p in others(report.problems) if p.code == "requirement-row-unknown"]
    assert unknown.message == "Строки «1» на листе «Перечень» нет."
    assert unknown.suggestion == (
        "В файле не заполнен столбец «№», поэтому здесь указывается номер строки Excel листа "
        "«Перечень» (строки 3–4)."
    )


def test_requirement_not_applicable_names_the_groups_of_the_type():
    given = completed([{}], [req("1", "4.2.1а", "да"), req("1", "4.2.7ж", "10")])
    (found,) = others(tpcheck.validate(frame_of({}, requirements=given)).problems)
    assert found.message == (
        "Требование «4.2.7 ж) время ожидания обслуживания, минут (не более 15)» (п. 4.2.7 ж)) не "
        f"относится к точке типа «{SITE}» (строка № 1)."
    )
    assert found.suggestion == "Для этого типа применяются подпункты: п. 4.2.1."


def test_requirement_bad_value_says_what_is_expected():
    given = completed([PHONE_ROW], [req("1", "4.2.5а", "два"), req("1", "4.2.5б", "ок")])
    frame = frame_of(PHONE_ROW, requirements=given)
    first, second = others(tpcheck.validate(frame).problems)
    assert first.message.endswith("нужно число (переключений), а указано «два».")
    assert second.message.endswith("нужно «да» или «нет», а указано «ок».")
    first_en, second_en = others(tpcheck.validate(frame, lang="en").problems)
    assert first_en.message.endswith("needs a number (переключений), but «два» is given.")
    assert second_en.message.endswith("needs «да» or «нет», but «ок» is given.")


@pytest.mark.parametrize(
    ("text", "unit", "number"),
    [
        ("3", "ч", 3.0),
        ("3,5", "ч", 3.5),
        ("3.5", "ч", 3.5),
        ("3 ч", "ч", 3.0),
        ("3 ч.", "ч", 3.0),
        ("2 часа", "ч", 2.0),
        ("12\u00a0мин", "мин", 12.0),
        ("15 минут", "мин", 15.0),
        ("2 переключения", "переключений", 2.0),
        ("30 мин", "ч", None),
        ("около 3", "ч", None),
        ("2-3", "ч", None),
        ("-1", "ч", None),
        ("", "ч", None),
        (None, "ч", None),
    ],
)
def test_parse_number(text, unit, number):
    assert parse_number(text, unit) == number


@pytest.mark.parametrize(
    ("text", "key"),
    [("1", "1"), ("1.", "1"), ("№ 1", "1"), ("№1", "1"), ("12)", "12"), ("N 3", "3"), (None, None)],
)
def test_reference_key(text, key):
    assert reference_key(text) == key
