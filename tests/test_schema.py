"""The pandera schemas generated from the column spec and the classifiers: required cells, values
in their lists, lengths; failure cases become issues through one mapping table."""

from __future__ import annotations

import pandas as pd
import pytest

import tpcheck
from tpcheck.classifiers import default_classifiers, load_classifiers
from tpcheck.findings import FileInfo, Issue
from tpcheck.frame import context_of
from tpcheck.validation.schema import CHECKS, data_schema, requirements_schema

from .frames import flatten, frame_from_files, others, valid_row
from .rows import completed, frame_of, submission

C = default_classifiers()
REQUIRED = [column.key for column in C.columns if column.required]
SINGLE_LISTS = [column.key for column in C.columns if column.classifier and not column.multi]


def flat(report, keys=("row", "field", "code")):
    return flatten(report, list(keys), severities=("error", "warning"))


def test_a_valid_row_gives_no_issue():
    assert flat(tpcheck.validate(frame_of())) == []


def test_the_schema_is_generated_from_the_spec_and_every_check_is_mapped():
    for schema, columns in (
        (data_schema(C), C.columns),
        (requirements_schema(C), C.requirement_columns),
    ):
        assert {column.key for column in columns} <= set(schema.columns)
        names = {check.name for column in schema.columns.values() for check in column.checks}
        assert names <= set(CHECKS)
    need = data_schema(C).columns["needs"]
    assert [check.name for check in need.checks] == ["required", "items_in_list"]
    assert [check.name for check in data_schema(C).columns["needs_raw"].checks] == ["max_length"]
    assert [check.name for check in data_schema(C).columns["note"].checks] == ["max_length"]


@pytest.mark.parametrize("key", REQUIRED)
def test_an_empty_required_cell(key):
    report = tpcheck.validate(frame_of({key: None}))
    assert flat(report) == [[3, key, "required-missing"]]
    found, column = others(report.problems)[0], C.column(key)
    assert (found.value, found.clause) == (None, column.clause)
    assert found.message == (
        f"Не заполнена обязательная графа «{column.header}» ({column.clause})."
    )


@pytest.mark.parametrize("blank", ["", "   ", "\u00a0", "\u200b"])
def test_blank_text_is_empty(blank):
    assert flat(tpcheck.validate(frame_of({"activity": blank}))) == [
        [3, "activity", "required-missing"]
    ]


@pytest.mark.parametrize("key", SINGLE_LISTS)
def test_a_value_not_in_its_list(key):
    report = tpcheck.validate(frame_of({key: "нечто несуразное"}))
    assert flat(report) == [[3, key, "value-not-in-list"]]
    found = others(report.problems)[0]
    lst = C[C.column(key).classifier]
    assert found.value == "нечто несуразное"
    assert found.clause == lst.clause
    assert found.message == f"«нечто несуразное» нет в списке «{lst.title}» ({lst.clause})."


def test_not_in_list_names_the_closest_labels():
    report = tpcheck.validate(frame_of({"needs": "получение информации; получение консультацыи"}))
    assert flat(report, ("row", "cell", "column", "field", "code", "value")) == [
        [
            3,
            "J3",
            "Удовлетворяемые потребности клиента (п. 3.7) *",
            "needs",
            "value-not-in-list",
            "получение консультацыи",
        ]
    ]
    found = others(report.problems)[0]
    assert found.severity == "error"
    assert found.clause == "п. 3.7"
    assert found.file == "a.xlsx"
    assert found.sheet == "Перечень"
    assert found.message == (
        "«получение консультацыи» нет в списке «Удовлетворяемые потребности клиента» (п. 3.7)."
    )
    assert found.suggestion == "Возможно, имелось в виду «получение консультации»."


def test_not_in_list_in_english():
    report = tpcheck.validate(frame_of({"channel": "цыфровая"}), lang="en")
    (found,) = others(report.problems)
    assert (
        found.message
        == "«цыфровая» is not in the list «Вид точки взаимодействия» (п. 4.1, 2.8, 2.9)."
    )
    assert found.suggestion == "Did you mean «цифровая»?"
    assert report.lang == "en"


def test_each_unknown_piece_of_a_needs_cell_is_one_issue():
    report = tpcheck.validate(frame_of({"needs": "2; выдача справок\nполучение пропуска; 99"}))
    assert flat(report, ("row", "field", "code", "value")) == [
        [3, "needs", "value-not-in-list", "выдача справок"],
        [3, "needs", "value-not-in-list", "получение пропуска"],
        [3, "needs", "value-not-in-list", "99"],
    ]


LONG_CASES = [
    (column.key, column.max_length)
    for column in C.columns
    if column.classifier is None or column.multi
]


@pytest.mark.parametrize(("key", "limit"), LONG_CASES)
def test_text_beyond_its_length(key, limit):
    text = ("1; " * limit)[: limit + 1] if key == "needs" else "ж" * (limit + 1)
    report = tpcheck.validate(frame_of({key: text}))
    too_long = [
        c[1:] for c in flat(report, ("sheet", "row", "field", "code")) if c[0] == "Перечень"
    ]
    assert [c for c in too_long if c[2] == "text-too-long"] == [[3, key, "text-too-long"]]
    found = next(i for i in others(report.problems) if i.code == "text-too-long")
    header = C.column(key).header  # the column is named without the template's « *»
    assert found.message == f"В графе «{header}» {limit + 1} символов, допустимо не больше {limit}."
    fits = ("1; " * limit)[: limit - 2] + "1" if key == "needs" else "ж" * limit
    assert "text-too-long" not in {i.code for i in tpcheck.validate(frame_of({key: fits}))}


def test_lengths_are_measured_beside_numbers_and_empty_cells():
    """A column of texts is measured in one C loop; one with a number in it by pandas."""
    from tpcheck.validation.schema import _max_length

    check = _max_length(3)._check_fn
    column = pd.Series(["abcd", None, "ab", 12345, float("nan"), "жжжж"], index=[5, 6, 7, 8, 9, 10])
    assert check(column).tolist() == [False, True, True, True, True, False]
    texts = pd.Series(["abcd", None, "ab"], index=[1, 2, 3])
    assert check(texts).tolist() == [False, True, True]


def test_a_long_value_in_a_list_column_is_too_long_and_not_in_the_list():
    limit = C.column("direction").max_length
    report = tpcheck.validate(frame_of({"direction": "ж" * (limit + 1)}))
    assert flat(report) == [
        [3, "direction", "text-too-long"],
        [3, "direction", "value-not-in-list"],
    ]


def test_the_header_and_cell_are_the_clerks():
    frame = frame_of({"client": "граждане РФ"})
    info = context_of(frame).files[0]
    info.columns = {**info.columns, "client": (7, "Клиент (внешний/внутренний)")}
    (found,) = others(tpcheck.validate(frame).problems)
    assert (found.column, found.cell, found.field) == (
        "Клиент (внешний/внутренний)",
        "H3",
        "client",
    )


def test_a_column_the_file_lacks_is_reported_once_by_the_reader_not_per_row():
    frame = frame_of({"subdivision": None}, {"subdivision": None})
    context = context_of(frame)
    context.files[0].columns.pop("subdivision")
    reader_issue = Issue("column-missing", "error", "п. 3.1", file="a.xlsx", sheet="Перечень")
    context.issues.append(reader_issue)
    assert flat(tpcheck.validate(frame), ("row", "field", "code")) == [
        [None, None, "column-missing"]
    ]


def test_requirement_sheet_cells_are_checked_by_their_schema():
    given = [
        {"row_ref": None, "requirement": "4.2.1а", "value": "да"},
        {"row_ref": "1", "requirement": "4.2.1 а) сайт спроектирован с учетом", "value": None},
    ]
    frame = frame_of(requirements=completed([{}], given))
    report = tpcheck.validate(frame)
    assert flat(report, ("sheet", "row", "cell", "field", "code")) == [
        ["Требования п. 4.2", 3, "A3", "row_ref", "required-missing"],
        ["Требования п. 4.2", 4, "B4", "requirement", "value-not-in-list"],
        ["Требования п. 4.2", 4, "C4", "value", "required-missing"],
    ]
    assert others(report.problems)[1].suggestion.startswith(
        "Возможно, имелось в виду «4.2.1 а) сайт"
    )


def test_the_schema_follows_an_override_file(tmp_path):
    override = tmp_path / "mine.toml"
    override.write_text(
        '[[need]]\ncode = "11"\nlabel = "получение пропуска"\nclause = "приказ № 1"\n',
        encoding="utf-8",
    )
    mine = load_classifiers(override)
    rows, requirements = submission({"needs": "получение пропуска; 11"})
    frame = frame_from_files({"a.xlsx": rows}, {"a.xlsx": requirements}, classifiers=mine)
    assert flat(tpcheck.validate(frame)) == []
    default = frame_from_files({"a.xlsx": rows}, {"a.xlsx": requirements})
    assert flat(tpcheck.validate(default)) == [
        [3, "needs", "value-not-in-list"],
        [3, "needs", "value-not-in-list"],
    ]


def test_a_frame_without_context_is_checked_with_the_template_layout():
    frame = frame_from_files({"a.xlsx": [valid_row(operator="мэрия")]})
    frame.attrs.clear()
    report = tpcheck.validate(frame)
    assert flat(report, ("row", "cell", "field", "code")) == [
        [3, "F3", "touchpoint", "requirements-missing"],
        [3, "N3", "operator", "value-not-in-list"],
    ]
    assert report.files == []


def test_file_info_without_layout_falls_back_to_the_template():
    frame = frame_of({"activity_kind": "процесс"})
    context_of(frame).files[:] = [FileInfo(path="a.xlsx")]
    (found,) = others(tpcheck.validate(frame).problems)
    assert (found.column, found.cell) == ("Вид деятельности *", "D3")
