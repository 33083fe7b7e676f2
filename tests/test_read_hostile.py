"""Strange but well-formed workbooks (issue 8, reader side): huge extents, long and odd texts,
only hidden sheets. Each is read within a time and memory bound, nothing is lost."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import tpcheck

from .conftest import ROOT
from .read_helpers import (
    KEYS,
    codes,
    hide_sheets,
    in_forked_child,
    table,
    valid,
    write_book,
    xlsxwriter_book,
)

TIME_BOUND = 20.0  # seconds per read below, on a loaded 2-CPU machine
#: KiB of resident memory a read may add at its peak, in its process or a read worker
MEMORY_BOUND = 1536 * 1024


pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or not Path("/proc/self/statm").exists(),
    reason="the reads are measured in forked children (Linux)",
)


def _timed(*args, **kwargs):
    """tpcheck.read in a forked child, its time and memory bounded (this read's alone)."""
    frame, seconds, grown = in_forked_child(lambda: tpcheck.read(*args, **kwargs))
    assert seconds < TIME_BOUND
    assert grown < MEMORY_BOUND, f"{grown // 1024} MB above what the test process held"
    return frame


def test_a_sheet_of_a_million_rows_with_three_data_rows(tmp_path):
    path = xlsxwriter_book(
        tmp_path / "миллион строк.xlsx",
        [valid(number) for number in (1, 2, 3)],
        text=True,
        far={(1_048_575, 0): " "},  # a space typed in the last row
    )
    frame = _timed([path, write_book(tmp_path / "b.xlsx", [valid(1)])], workers=2)
    assert table(frame, "number")[:3] == [(2, "1"), (3, "2"), (4, "3")]
    assert codes(frame) == []


def test_sixteen_thousand_columns_and_a_cell_of_32767_characters(tmp_path):
    path = xlsxwriter_book(
        tmp_path / "широкий.xlsx",
        [valid(1, procedure="я" * 32767)],
        text=True,
        far={(1, 16_383): "в последнем столбце"},
    )
    frame = _timed(path)
    assert len(frame.loc[0, "procedure"]) == 32767
    assert table(frame, "Столбец XFD") == [(2, "в последнем столбце")]
    assert codes(frame) == [("column-unknown", "широкий.xlsx", "Перечень", 1, "XFD1")]


def test_formula_looking_texts_control_characters_and_invisible_marks(tmp_path):
    rows = [
        valid(1, activity='=HYPERLINK("http://evil.example","нажми")', note="@SUM(A1:A2)"),
        valid(
            2, client="вне\u200bшний", channel="\u200fоффлайн\u200e", touchpoint="Приемная\x07\x1b"
        ),
    ]
    path = xlsxwriter_book(tmp_path / "странный текст.xlsx", rows, text=True)  # «=…» as text
    frame = _timed(path)
    assert table(frame, "activity", "note", "client", "channel", "touchpoint") == [
        (
            2,
            '=HYPERLINK("http://evil.example","нажми")',
            "@SUM(A1:A2)",
            "внешний",
            "оффлайн",
            "Личный прием граждан",
        ),
        (3, "Рассмотрение обращений граждан 2", None, "внешний", "оффлайн", "Приемная"),
    ]
    assert frame.loc[1, "client_raw"] == "вне\u200bшний"
    assert frame.loc[1, "touchpoint_raw"] == "Приемная\x07\x1b"
    assert codes(frame) == []


def test_a_workbook_with_only_hidden_sheets(tmp_path):
    source = write_book(
        tmp_path / "исходный.xlsx", [valid(1)], example=False, others={"Служебный": [["x"]]}
    )
    path = hide_sheets(source, tmp_path / "скрытые.xlsx")
    frame = _timed(path)
    assert table(frame, "number") == [(2, "1")]
    assert codes(frame) == [("sheet-hidden", "скрытые.xlsx", "Перечень", None, None)]


def test_the_empty_template_has_no_data_rows(tmp_path):
    path = tmp_path / "шаблон без строк.xlsx"
    shutil.copy(ROOT / "templates" / "perechen_template.xlsx", path)
    frame = _timed(path)
    assert len(frame) == 0 and frame.tpcheck.files[0].status == "ok"
    assert codes(frame) == [("no-data-rows", "шаблон без строк.xlsx", "Перечень", None, None)]
    info = frame.tpcheck.files[0]
    assert (info.requirements_sheet, info.requirement_rows) == ("Требования п. 4.2", 0)
    assert list(info.columns) == KEYS
