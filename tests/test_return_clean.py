"""The return copy of a file without findings is short: it says the file is accepted and holds
the file's own rows as read — no marks, drop-downs, measured row heights or hidden lists."""

from __future__ import annotations

import openpyxl

import tpcheck

from .conftest import ROOT
from .xlsx_parts import assert_same_workbook

GOLDEN = ROOT / "tests" / "golden" / "outputs"


def test_a_clean_file_gets_a_short_return_copy(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # the file's path as the workbook names it: samples/orgkadry.xlsx
    result = tpcheck.merge(["samples/orgkadry.xlsx"])
    assert result.report.records == []
    result.write(tmp_path, workers=1)
    made = tmp_path / "vozvrat" / "orgkadry_zamechaniya.xlsx"
    book = openpyxl.load_workbook(made)
    assert book.sheetnames == ["Замечания", "Перечень", "Требования п. 4.2"]
    remarks = book["Замечания"]
    assert remarks["A2"].value == "Ошибок: 0, предупреждений: 0, уведомлений: 0."
    assert remarks["A3"].value.startswith("Замечаний нет: файл принят.")
    sheet = book["Перечень"]
    assert not sheet.data_validations.dataValidation
    frame = result.frame
    info = result.report.files[0]
    for key in ("activity", "touchpoint", "needs"):
        col = info.columns[key][0] + 1
        read = [sheet.cell(row=int(r), column=col).value for r in frame["source_row"]]
        assert read == frame[key + "_raw"].tolist()
    assert all(sheet.row_dimensions[int(r)].height is None for r in frame["source_row"])
    assert_same_workbook(made, GOLDEN / "vozvrat_clean.xlsx")
