"""The registry's template: the committed file equals the generator's output; drop-downs, hints,
required headers; a filled copy is read by load_registry; `tpcheck template --registry`."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import tpcheck
from tpcheck.classifiers import default_classifiers
from tpcheck.cli import main
from tpcheck.templates.registry import REGISTRY_SHEET

from .conftest import ROOT
from .xlsx_parts import assert_same_workbook

COMMITTED = ROOT / "templates" / "reestr_template.xlsx"
C = default_classifiers()


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    return tpcheck.make_registry_template(tmp_path_factory.mktemp("reg") / "reestr.xlsx")


def test_committed_registry_template_is_what_the_generator_makes_now(made):
    assert_same_workbook(made, COMMITTED)


def test_sheets_headers_and_frozen_header(made):
    book = openpyxl.load_workbook(made)
    assert book.sheetnames == [REGISTRY_SHEET, C.sheets.instructions, C.sheets.lists]
    assert book[C.sheets.lists].sheet_state == "hidden"
    sheet = book[REGISTRY_SHEET]
    assert [cell.value for cell in sheet[1]] == [
        "Код",
        "Направление деятельности (п. 3.5) *",
        "Наименование услуги, функции, сервиса *",
        "Вид деятельности",
        "Ответственное подразделение",
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 1  # no example row: it would be read as an entry


def _lists(book, formula: str) -> list[str]:
    ref = book.defined_names[formula.lstrip("=")].attr_text
    sheet_name, cells = ref.rsplit("!", 1)
    rows = book[sheet_name.strip("'")][cells.replace("$", "")]
    return [row[0].value for row in rows]


def test_direction_and_kind_have_their_lists_and_every_column_a_hint(made):
    book = openpyxl.load_workbook(made)
    sheet = book[REGISTRY_SHEET]
    lists, hints = {}, {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            if cell_range.min_row == 2:
                letter = openpyxl.utils.get_column_letter(cell_range.min_col)
                hints[letter] = validation.prompt
                if validation.type == "list":
                    lists[letter] = _lists(book, validation.formula1)
    assert lists == {"B": C["direction"].labels, "D": C["activity_kind"].labels}
    assert hints == {
        letter: column.hint for letter, column in zip("ABCDE", C.registry_columns, strict=True)
    }
    assert "п. 3.1" in book[C.sheets.instructions]["A3"].value


def test_a_filled_copy_is_read_by_load_registry(made, tmp_path):
    book = openpyxl.load_workbook(made)
    sheet = book[REGISTRY_SHEET]
    sheet.append(["П-1", "1", "Выдача удостоверений спасателя", "Услуга", "Отдел кадров"])
    sheet.append([None, "иные функции, услуги, сервисы", "Поиск и спасание людей", None, None])
    filled = tmp_path / "reestr.xlsx"
    book.save(filled)
    loaded = tpcheck.load_registry(filled)
    assert loaded.values.tolist() == [
        [
            "предоставление государственных услуг, услуг",
            "Выдача удостоверений спасателя",
            "Отдел кадров",
            "услуга",
            "П-1",
            str(filled),
            REGISTRY_SHEET,
            2,
        ],
        [
            "иные функции, услуги, сервисы",
            "Поиск и спасание людей",
            None,
            None,
            None,
            str(filled),
            REGISTRY_SHEET,
            3,
        ],
    ]


def test_cli_template_registry(tmp_path, capsys):
    target = tmp_path / "реестр.xlsx"
    assert main(["template", "--registry", "-o", str(target)]) == 0
    assert capsys.readouterr().out == f"Шаблон записан: {target}\n"
    assert openpyxl.load_workbook(target).sheetnames[0] == REGISTRY_SHEET
