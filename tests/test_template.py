"""The template: committed file equals the generator's output; lists, hints, properties;
LibreOffice keeps the drop-downs."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

import tpcheck
from tpcheck.classifiers import default_classifiers
from tpcheck.output.printing import A3, readable_widths
from tpcheck.templates.perechen import TEMPLATE_VERSION

from .conftest import ROOT, soffice_convert
from .xlsx_parts import assert_same_workbook, printed_widths

COMMITTED = ROOT / "templates" / "perechen_template.xlsx"


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    return tpcheck.make_template(tmp_path_factory.mktemp("tpl") / "template.xlsx")


def _list_values(book: openpyxl.Workbook, formula: str) -> list[str]:
    """Values behind a list validation formula (a workbook name or a range)."""
    name = formula.lstrip("=")
    ref = book.defined_names[name].attr_text if name in book.defined_names else name
    sheet_name, cells = ref.rsplit("!", 1)
    sheet = book[sheet_name.strip("'")]
    return [row[0].value for row in sheet[cells.replace("$", "")] if row[0].value is not None]


def _validations(sheet) -> dict[str, list]:
    """Column letter → the validations that cover its data cells (row 2)."""
    found: dict[str, list] = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            if cell_range.min_row <= 2 <= cell_range.max_row:
                for col in range(cell_range.min_col, cell_range.max_col + 1):
                    found.setdefault(openpyxl.utils.get_column_letter(col), []).append(validation)
    return found


def test_committed_template_is_what_the_generator_makes_now(made):
    assert_same_workbook(made, COMMITTED)


def test_a_numeric_example_is_a_number_and_the_marker_text(made):
    classifiers = default_classifiers()
    sheet = openpyxl.load_workbook(made)[classifiers.sheets.requirements]
    examples = {
        c.header: sheet.cell(2, i + 1) for i, c in enumerate(classifiers.requirement_columns)
    }
    assert (examples["Значение"].value, examples["Значение"].data_type) == (10, "n")
    marker = examples["№ строки листа «Перечень»"]
    assert (marker.value, marker.data_type) == (classifiers.sheets.example_marker, "s")


def test_every_single_value_classifier_column_has_its_list(made):
    classifiers = default_classifiers()
    book = openpyxl.load_workbook(made)
    for sheet_name, columns in (
        (classifiers.sheets.data, classifiers.columns),
        (classifiers.sheets.requirements, classifiers.requirement_columns),
    ):
        sheet = book[sheet_name]
        by_letter = _validations(sheet)
        for index, column in enumerate(columns):
            letter = openpyxl.utils.get_column_letter(index + 1)
            assert sheet[f"{letter}1"].value.rstrip(" *") == column.header
            validations = by_letter[letter]
            assert len(validations) == 1
            validation = validations[0]
            assert validation.prompt == column.hint and validation.showInputMessage
            if column.classifier and not column.multi:
                assert validation.type == "list", column.key
                assert (
                    _list_values(book, validation.formula1) == classifiers[column.classifier].labels
                )
            else:
                assert validation.type is None, column.key  # a hint, not a strict list


def test_headers_have_input_messages_and_required_ones_are_marked(made):
    classifiers = default_classifiers()
    book = openpyxl.load_workbook(made)
    sheet = book[classifiers.sheets.data]
    header_prompts = {
        str(v.sqref): v.prompt
        for v in sheet.data_validations.dataValidation
        if str(v.sqref)[-1] == "1" and ":" not in str(v.sqref)
    }
    for index, column in enumerate(classifiers.columns):
        letter = openpyxl.utils.get_column_letter(index + 1)
        cell = sheet[f"{letter}1"]
        assert header_prompts[f"{letter}1"] == column.hint
        assert cell.value.endswith(" *") == column.required
        assert cell.fill.fgColor.rgb.endswith("FCE4D6" if column.required else "DDEBF7")
        assert cell.font.b
    assert sheet.freeze_panes == "A2"


def test_example_row_widths_and_hidden_lists(made):
    classifiers = default_classifiers()
    book = openpyxl.load_workbook(made)
    sheet = book[classifiers.sheets.data]
    assert sheet["A2"].value == classifiers.sheets.example_marker
    assert [sheet.cell(2, i + 1).value or "" for i in range(len(classifiers.columns))] == [
        c.example for c in classifiers.columns
    ]
    narrowed = readable_widths([c.width for c in classifiers.columns], A3)
    assert printed_widths(sheet) == pytest.approx(narrowed, abs=0.2)
    lists = book[classifiers.sheets.lists]
    assert lists.sheet_state == "hidden" and lists.protection.sheet
    assert book.sheetnames[0] == classifiers.sheets.data


def test_instructions_name_the_clauses_and_restored_item_4(made):
    classifiers = default_classifiers()
    book = openpyxl.load_workbook(made)
    text = "\n".join(
        str(cell.value)
        for row in book[classifiers.sheets.instructions].iter_rows()
        for cell in row
        if cell.value
    )
    assert "восстановлен по п. 3.6" in text
    for column in classifiers.columns:
        assert column.header in text and column.clause in text
    assert f"версии {TEMPLATE_VERSION}" in text


def test_properties_carry_version_and_classifiers_hash(made):
    with zipfile.ZipFile(made) as archive:
        custom = archive.read("docProps/custom.xml").decode()
    assert f"<vt:lpwstr>{TEMPLATE_VERSION}</vt:lpwstr>" in custom
    assert default_classifiers().digest in custom
    book = openpyxl.load_workbook(made)
    assert book.properties.title.startswith("Перечень точек взаимодействия")


def test_override_file_changes_the_lists(tmp_path):
    override = tmp_path / "mine.toml"
    override.write_text(
        '[meta]\norganization = "Министерство образования Кузбасса"\n\n'
        '[[client]]\ncode = "partner"\nlabel = "партнер"\nclause = "п. 2.2"\n\n'
        '[[client]]\ncode = "both"\nremove = true\n',
        encoding="utf-8",
    )
    path = tpcheck.make_template(tmp_path / "t.xlsx", override)
    book = openpyxl.load_workbook(path)
    sheet = book["Перечень"]
    validation = _validations(sheet)["E"][0]
    assert _list_values(book, validation.formula1) == ["внешний", "внутренний", "партнер"]
    with zipfile.ZipFile(path) as archive:
        custom = archive.read("docProps/custom.xml").decode()
        app = archive.read("docProps/app.xml").decode()
    assert "<Company>Министерство образования Кузбасса</Company>" in app
    assert default_classifiers().digest not in custom


@pytest.mark.soffice
def test_libreoffice_keeps_the_drop_downs(made, tmp_path):
    ods = soffice_convert(made, "ods", tmp_path / "ods")
    back = soffice_convert(ods, "xlsx", tmp_path / "back")
    classifiers = default_classifiers()
    book = openpyxl.load_workbook(back)
    assert book[classifiers.sheets.lists].sheet_state == "hidden"
    sheet = book[classifiers.sheets.data]
    by_letter = _validations(sheet)
    for index, column in enumerate(classifiers.columns):
        letter = openpyxl.utils.get_column_letter(index + 1)
        lists = [v for v in by_letter.get(letter, []) if v.type == "list"]
        prompts = [v.prompt for v in by_letter.get(letter, [])]
        assert column.hint in prompts, column.key
        if column.classifier and not column.multi:
            assert len(lists) == 1, column.key
            assert _list_values(book, lists[0].formula1) == classifiers[column.classifier].labels
