"""The corrections of the classifiers (issue 16, docs/classifiers.md «Исправления классификаторов»):
each one read against the text of the Порядок, with the finding it gives a clerk."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

import tpcheck
from tpcheck.classifiers import ClassifiersError, default_classifiers, load_classifiers
from tpcheck.cli import main
from tpcheck.docs import classifiers_markdown

from .conftest import ROOT
from .rows import completed, frame_of

C = default_classifiers()
PORYADOK = Path("/work/shared/poryadok_134.txt")
CORRECTIONS = (ROOT / "docs" / "classifiers.md").read_text(encoding="utf-8")
PHONE = "телефонная связь, кол-центр, горячая линия"
SOCIAL = "социальная сеть, публичный чат в мессенджере"
RECEPTION = "личный прием в Департаменте, учреждении"


def problems(frame, lang="ru"):
    return [(p.code, p.severity, p.field) for p in tpcheck.validate(frame, lang=lang).records]


def codes(frame) -> list[tuple[int, str]]:
    """The findings of «Требования п. 4.2»."""
    found = tpcheck.validate(frame).records
    return [(p.row, p.code) for p in found if p.code.startswith("requirement")]


# ------------------------------------------------------------------ «информирование населения»


def test_informing_the_population_is_not_direction_5_but_asked_about():
    assert C["direction"].match("информирование населения") is None
    assert C["direction"].ambiguous("Информирование населения") == [
        C["direction"].by_code("5").label,
        C["direction"].by_code("7").label,
    ]
    frame = frame_of({"direction": "информирование населения"})
    (found,) = [p for p in tpcheck.validate(frame).records if p.field == "direction"]
    assert (found.code, found.severity, found.cell) == ("value-ambiguous", "error", "B3")
    assert found.suggestion == (
        f"Выберите из списка одно: «{C['direction'].by_code('5').label}» или "
        f"«{C['direction'].by_code('7').label}»."
    )
    assert "информирование населения" in CORRECTIONS


# ------------------------------------------------------------------ «приказ», «положение»


@pytest.mark.parametrize("word", ["приказ", "Приказ Департамента", "положение"])
def test_an_order_or_a_regulation_is_asked_about_not_guessed(word):
    basis = C["basis_kind"]
    assert basis.match(word) is None
    assert basis.ambiguous(word) == [basis.by_code("1").label, basis.by_code("2").label]
    frame = frame_of({"basis_kind": word})
    found = [p for p in tpcheck.validate(frame).records if p.field == "basis_kind"]
    assert [(p.code, p.value) for p in found] == [("value-ambiguous", word)]
    (en,) = [p for p in tpcheck.validate(frame, lang="en").records if p.field == "basis_kind"]
    assert en.message.endswith("tpcheck does not guess.")


def test_an_ambiguous_word_cannot_also_be_a_synonym(tmp_path):
    override = tmp_path / "c.toml"
    override.write_text('[[basis_kind]]\ncode = "2"\nsynonyms = ["приказ"]\n', encoding="utf-8")
    with pytest.raises(ClassifiersError, match="ambiguous «приказ»"):
        load_classifiers(override)


# ------------------------------------------------------------------ «СМЭВ, API»


def test_the_api_type_is_an_extension_off_by_default(tmp_path):
    assert "api" not in C["touchpoint_type"].codes
    assert [e.code for e in C.extensions["touchpoint_type"]] == ["api"]
    frame = frame_of({"touchpoint_type": "СМЭВ"})
    assert ("value-not-in-list", "error", "touchpoint_type") in problems(frame)
    # the template leaves it out, and offers it when asked
    plain = tpcheck.make_template(tmp_path / "plain.xlsx")
    assert main(["template", "--extension", "api", "-o", str(tmp_path / "api.xlsx")]) == 0

    def listed(path):
        lists = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Справочники")
        return {v for row in lists.to_python() for v in row if isinstance(v, str)}

    label = "программное (межведомственное) взаимодействие, СМЭВ, API"
    assert label not in listed(plain)
    assert label in listed(tmp_path / "api.xlsx")
    # the same with an override file: merge then accepts the type
    override = tmp_path / "c.toml"
    override.write_text('[[touchpoint_type]]\ncode = "api"\nenabled = true\n', encoding="utf-8")
    assert "api" in load_classifiers(override)["touchpoint_type"].codes
    with pytest.raises(ClassifiersError, match="Расширения «kiosk» нет"):
        load_classifiers(extensions=["kiosk"])
    assert "`api` — расширение" in classifiers_markdown()


# ------------------------------------------------------------------ 4.2.3 в): a target


def test_the_reply_time_of_4_2_3_is_a_target_and_the_others_are_limits():
    assert "при максимальном уровне клиентоцентричности" in PORYADOK.read_text(encoding="utf-8")
    soft = {e.code for e in C["requirement"] if e.get("limit_warning")}
    assert soft == {"4.2.3в.mention", "4.2.3в.appeal"}
    row = {"touchpoint_type": SOCIAL, "location": "https://t.me/dchs"}
    given = completed([row], [{"row_ref": "1", "requirement": "4.2.3в.mention", "value": "6"}])
    assert codes(frame_of(row, requirements=given)) == [(3, "requirement-over-target")]
    phone = {"touchpoint_type": PHONE, "channel": "оффлайн", "location": "8-800-100-12-34"}
    given = completed([phone], [{"row_ref": "1", "requirement": "4.2.5а", "value": "3"}])
    assert codes(frame_of(phone, requirements=given)) == [(3, "requirement-over-limit")]


# ------------------------------------------------------------------ restored and full texts


def test_truncated_texts_are_marked_as_restored_in_the_template(tmp_path):
    restored = {
        e.code for name in ("requirement", "touchpoint_type") for e in C[name] if e.get("restored")
    }
    assert restored == {"4.2.1в", "one_window"}
    text = PORYADOK.read_text(encoding="utf-8")
    assert "в) обеспечивают понимание в какой точке клиентского сценария\n" in text
    assert "центры занятости населения,\n\nподдержки и другие" in text
    path = tpcheck.make_template(tmp_path / "t.xlsx")
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Инструкция").to_python()
    lines = [row[0] for row in sheet if row and isinstance(row[0], str)]
    assert any(line.startswith("Обратите внимание: текст п. 4.2.1 в) обрывается") for line in lines)
    assert any(line.startswith("Обратите внимание: вводная часть п. 4.2.7") for line in lines)


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("4.2.1б", "преимущественно отображают услуги (функции, сервисы)"),
        ("4.2.3г", "правила подготовки ответов на нетиповые сообщения и своевременно"),
        ("4.2.5б", "заинтересованная и грамотная речь с краткими информационными фразами"),
        ("4.2.6б", "в случае необходимости организован выезд по месту нахождения клиента"),
        ("4.2.6в", "своевременно актуализируются базы знаний"),
    ],
)
def test_abridged_requirement_labels_are_given_in_full(code, words, tmp_path):
    entry = C["requirement"].by_code(code)
    assert words in entry.label
    # the short label of earlier templates is still read, as a synonym
    (old,) = entry.synonyms
    assert C["requirement"].match(old) is entry
    path = tpcheck.make_template(tmp_path / "t.xlsx")
    book = CalamineWorkbook.from_path(str(path))
    instruction = {v for r in book.get_sheet_by_name("Инструкция").to_python() for v in r}
    lists = {v for r in book.get_sheet_by_name("Справочники").to_python() for v in r}
    assert entry.label in instruction and entry.label in lists


def test_text_defects_are_documented():
    text = PORYADOK.read_text(encoding="utf-8")
    assert "от 28.12.2029 № 134" in text and "от 08.12.2024 № 134" in text
    for words in ("28.12.2029", "08.12.2024", "08.12.2023", "«министерство»"):
        assert words in CORRECTIONS, words


# ------------------------------------------------------------------ п. 4.2 coverage


def test_every_expected_sub_item_of_a_key_touchpoint_is_asked_for_once_per_touchpoint():
    phone = {"touchpoint_type": PHONE, "channel": "оффлайн", "location": "8-800-100-12-34"}
    one = [{"row_ref": "1", "requirement": "4.2.5а", "value": "1"}]
    report = tpcheck.validate(frame_of(phone, {**phone, "touchpoint": "Линия 2"}, requirements=one))
    found = [p for p in report.records if p.code.startswith("requirements-")]
    assert [(p.code, p.row) for p in found] == [
        ("requirements-incomplete", 3),  # one answered requirement does not silence the rest
        ("requirements-missing", 4),
    ]
    # 4.2.5 д) is about robotic voice assistants: not expected of a plain phone line
    assert found[0].message.endswith("нет сведений о подпунктах (3): 4.2.5 б), в), г).")
    voice = {"touchpoint_type": "голосовой помощник", "channel": "цифровая", "location": "—"}
    (incomplete,) = [
        p
        for p in tpcheck.validate(
            frame_of(
                voice,
                requirements=[{"row_ref": "1", "requirement": "4.2.4а", "value": "да"}],
            )
        ).records
        if p.code.startswith("requirements-")
    ]
    assert incomplete.message.endswith(
        "(12): 4.2.4 б), г), д), е), ж), з), и); 4.2.5 а), б), в), г), д)."
    )
