"""Issue 15, outputs: what the writers keep, refuse and leave behind (round 3).

Each test reproduces a defect found by an adversarial user on the writing side: marks, limits of
the xlsx format, the output folder's contents after a rerun or a failed one.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

import tpcheck

from .read_helpers import HEADERS, quiet, xlsxwriter_book

# ------------------------------------------------------------------ extra-column headers


def test_extra_column_headers_that_look_like_formulas_keep_the_text_mark(tmp_path):
    inbox = tmp_path / "inbox"
    extras = ["=СУММ(A1:A2)", "@кто"]
    inbox.mkdir()
    width = len(HEADERS)
    far = {(0, width + i): text for i, text in enumerate(extras)}
    far.update({(1, width): "x", (1, width + 1): "y"})
    xlsxwriter_book(inbox / "a.xlsx", [quiet(1)], text=True, far=far)
    out = tmp_path / "out"
    tpcheck.merge(inbox).write(out, workers=1)

    def marks(path: Path, sheet: str) -> dict[str, bool]:
        book = openpyxl.load_workbook(path)
        found = {}
        for row in book[sheet].iter_rows(max_row=3):
            for cell in row:
                if cell.value in extras:
                    found[cell.value] = bool(cell.quotePrefix)
        return found

    expected = dict.fromkeys(extras, True)
    assert marks(out / "perechen_svodny.xlsx", "Перечень") == expected
    assert marks(next((out / "vozvrat").glob("*.xlsx")), "Перечень") == expected


# ------------------------------------------------------------------ text longer than a cell


def test_an_extra_column_text_longer_than_a_cell_is_a_finding(tmp_path):
    """openpyxl and Excel cut a cell at 32,767 characters; a CSV does not."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with open(inbox / "a.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow([*HEADERS, "Доп. сведения"])
        writer.writerow([*quiet(1), "ж" * 32_768])
        writer.writerow([*quiet(2), "ж" * 32_767])
    result = tpcheck.merge(inbox)
    found = [i for i in result.report.records if i.code == "text-too-long"]
    assert [(i.row, i.column, i.cell, i.severity) for i in found] == [
        (2, "Доп. сведения", "R2", "error")
    ]
    assert "32768" in found[0].message and "32767" in found[0].message
