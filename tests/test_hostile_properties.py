"""Issue 8, properties: whatever a clerk types into any column of the template — any unicode text
(control characters, lone surrogates, invisible marks, text that looks like a formula), numbers,
dates, booleans, blanks — ``tpcheck.merge`` reads, validates and writes it without raising, and no
row is lost: rows out = data rows in, each with its provenance and its original value in
``<key>_raw``, and the consolidated workbook holds exactly those rows."""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.compat import safe_string

import tpcheck
from tpcheck.reading.sheet import display
from tpcheck.text import match_key

from .conftest import ROOT
from .read_helpers import CLASSIFIERS, COLUMNS, KEYS
from .strategies import C, typed

TEMPLATE = ROOT / "templates" / "perechen_template.xlsx"
FIRST_ROW = 3  # the template: header in row 1, example in row 2
PROVENANCE = ["Файл", "Лист", "Строка"]

# ------------------------------------------------------------------------------ cells

#: Characters a workbook cannot hold as they are: it stores them as the escape ``_xHHHH_``
#: (ECMA-376 ST_Xstring). Control characters come back from that escape; a lone surrogate and the
#: non-characters U+FFFE and U+FFFF cannot be decoded by python-calamine and stay the escape text.
_ESCAPED = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_UNDECODED = re.compile("[\ud800-\udfff\ufffe\uffff]")
_LITERAL_ESCAPE = re.compile("_(x[0-9A-Fa-f]{4}_)")


def stored(text: str) -> str:
    """*text* as a workbook stores it (what Excel writes into the XML)."""
    text = _LITERAL_ESCAPE.sub(r"_x005F_\1", text)  # a literal «_x0041_» keeps its underscore
    return _ESCAPED.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def as_read(text: str) -> str:
    """What the reader gets back from a cell that held *text*."""
    return _UNDECODED.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


any_text = st.text(st.characters(exclude_categories=()), max_size=30)
#: a value of any list, typed as clerks type it (tests/strategies.py)
listed_text = st.sampled_from(sorted(C.lists)).flatmap(
    lambda name: st.sampled_from(list(C[name])).flatmap(lambda entry: typed(name, entry))
)
formula_text = st.tuples(st.sampled_from(["=", "+", "-", "@"]), any_text).map("".join)
texts = st.one_of(
    any_text,
    listed_text,
    formula_text,
    st.sampled_from(
        [
            '=HYPERLINK("http://evil.example","нажми")',
            "@SUM(A1:A2)",
            "=1+1",
            "-1",
            "+7 (3842) 58-12-34",
            "вне\u200bшний",
            "\u200fцифровая\u200e",
            "_x0041_",
            "x\ud800y",
        ]
    ),
)
cells = st.one_of(
    st.none(),
    texts,
    st.integers(min_value=-(10**20), max_value=10**20),
    # 15 significant digits: what a workbook writer keeps of a double and Excel shows
    st.floats(allow_nan=False, allow_infinity=False)
    .map(lambda value: float(f"{value:.15g}"))
    .filter(math.isfinite),
    st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2099, 12, 31)).map(
        lambda value: value.replace(microsecond=0)
    ),
    st.booleans(),
)
_EXAMPLE = match_key(CLASSIFIERS.sheets.example_marker)


REQUIREMENT_KEYS = [c.key for c in CLASSIFIERS.requirement_columns]


@st.composite
def data_row(draw: st.DrawFn, number: int, keys: list[str]) -> dict[str, object]:
    """Any contents in every column of *keys*, and in one column (not the first, № or № строки)
    a visible mark, so that the row is data by the reader's rules (not blank, not a row of only
    its №, not a group row)."""
    row: dict[str, object] = {key: draw(cells) for key in keys}
    row[draw(st.sampled_from(keys[1:]))] = f"строка {number}"
    first = row[keys[0]]
    if isinstance(first, str) and match_key(as_read(first)) == _EXAMPLE:
        row[keys[0]] = None  # «Пример» there marks the template's example row: not data
    return row


def rows_of(keys: list[str], most: int):
    return st.integers(min_value=0, max_value=most).flatmap(
        lambda count: st.tuples(*(data_row(n, keys) for n in range(count)))
    )


def expected_raw(value: object) -> object:
    """``<key>_raw`` of a cell that held *value*: the text as read, a number, date or boolean
    as the clerk sees it (tpcheck.reading.sheet.display), None for a blank."""
    if value is None:
        return None
    if isinstance(value, str):
        return as_read(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        # a workbook holds numbers as doubles, which openpyxl writes with 16 significant digits
        return display(float(safe_string(value)))
    return display(value)


def _write(path: Path, rows: tuple[dict[str, object], ...], requirements) -> None:
    shutil.copy(TEMPLATE, path)
    book = openpyxl.load_workbook(path)
    sheets = CLASSIFIERS.sheets
    for name, keys, items in (
        (sheets.data, KEYS, rows),
        (sheets.requirements, REQUIREMENT_KEYS, requirements),
    ):
        sheet = book[name]
        for offset, row in enumerate(items):
            for col, key in enumerate(keys, start=1):
                value = row[key]
                cell = sheet.cell(row=FIRST_ROW + offset, column=col)
                if isinstance(value, str):
                    cell.value = stored(value)
                    cell.data_type = "s"  # text, even when it starts with «=»
                else:
                    cell.value = value
    book.save(path)


def _provenance(frame) -> list[tuple]:
    return list(
        frame[["source_file", "source_sheet", "source_row"]].itertuples(index=False, name=None)
    )


def _assert_raw(frame, items, columns) -> None:
    for column in columns:
        for i, row in enumerate(items):
            expected = expected_raw(row[column.key])
            got = frame[column.key + "_raw"].iloc[i]
            if isinstance(expected, str) and not any(c.isalnum() for c in expected):
                # only spaces, marks or controls: kept as is or read as a blank cell
                assert got in (expected, None), (column.key, i)
            else:
                assert got == expected, (column.key, i)


@pytest.mark.parametrize("workers", [0, 2])
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=rows_of(KEYS, 4).filter(bool), requirements=rows_of(REQUIREMENT_KEYS, 3))
def test_any_cell_contents_are_read_validated_and_written_and_no_row_is_lost(
    tmp_path_factory, workers, rows, requirements
):
    folder = tmp_path_factory.mktemp("any")
    path = folder / "любые значения.xlsx"
    _write(path, rows, requirements)
    frame = tpcheck.read([path], workers=workers)
    report = tpcheck.validate(frame)
    result = tpcheck.merge(path)
    written = result.write(folder / "out")

    provenance = [(str(path), "Перечень", FIRST_ROW + i) for i in range(len(rows))]
    assert _provenance(frame) == provenance
    _assert_raw(frame, rows, COLUMNS)
    taken = frame.tpcheck.requirements
    assert _provenance(taken) == [
        (str(path), CLASSIFIERS.sheets.requirements, FIRST_ROW + i)
        for i in range(len(requirements))
    ]
    _assert_raw(taken, requirements, CLASSIFIERS.requirement_columns)
    assert report.summary["rows"] == len(rows)
    assert {(f.path, f.status, f.rows) for f in report.files} == {(str(path), "ok", len(rows))}

    assert len(result.frame) == len(rows)
    book = python_calamine.CalamineWorkbook.from_path(str(folder / "out" / "perechen_svodny.xlsx"))
    sheet = book.get_sheet_by_name("Перечень").to_python()
    where = [sheet[0].index(name) for name in PROVENANCE]
    assert [(r[where[0]], r[where[1]], int(r[where[2]])) for r in sheet[1:]] == provenance
    assert {p.name for p in written} >= {"perechen_svodny.xlsx", "oshibki.csv", "report.json"}
    # the return copy has every row of both sheets at the clerk's own row numbers
    copy = python_calamine.CalamineWorkbook.from_path(
        str(folder / "out" / "vozvrat" / "любые_значения_zamechaniya.xlsx")
    )
    for name, items in (
        (CLASSIFIERS.sheets.data, rows),
        (CLASSIFIERS.sheets.requirements, requirements),
    ):
        grid = copy.get_sheet_by_name(name).to_python(skip_empty_area=False)
        filled = [
            n + 1
            for n, line in enumerate(grid)
            if n + 1 >= FIRST_ROW and any(v != "" for v in line)
        ]
        assert filled == [FIRST_ROW + i for i in range(len(items))], name
