"""Properties of the reader: what is written through the template is read back row for row, and
no data row of a readable file is lost or doubled, whatever else is in the folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tpcheck

from .conftest import ROOT
from .read_helpers import (
    CLASSIFIERS,
    COLUMNS,
    HEADERS,
    compound_file,
    row,
    valid,
    write_book,
)

TEMPLATE = ROOT / "templates" / "perechen_template.xlsx"
FIRST_ROW = 3  # header in row 1, example in row 2

_LETTERS = (
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯabcdefghijklmnopqrstuvwxyz"
)
_TEXT = (
    st.text(alphabet=_LETTERS + "0123456789 ,.;:()-«»№/\n", min_size=1, max_size=40)
    .map(
        lambda text: "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())
    )
    .filter(lambda text: text and text[0].isalnum())
)


@st.composite
def classifier_cell(draw, name: str) -> tuple[str, str]:
    """(what the clerk typed, the canonical label it stands for)."""
    entry = draw(st.sampled_from(CLASSIFIERS[name].entries))
    forms = [entry.label, entry.label.upper(), f"  {entry.label}  "]
    if entry.code.isdigit():
        forms += [entry.code, f"{entry.code})", f"п. {entry.code}"]
    return draw(st.sampled_from(forms)), entry.label


@st.composite
def needs_cell(draw) -> tuple[str, list[str]]:
    entries = draw(
        st.lists(
            st.sampled_from(CLASSIFIERS["need"].entries),
            min_size=1,
            max_size=3,
            unique_by=lambda e: e.code,
        )
    )
    separator = draw(st.sampled_from(["; ", "\n", ", "]))
    by_code = draw(st.booleans())
    typed = separator.join(e.code if by_code else e.label for e in entries)
    order = CLASSIFIERS["need"].labels
    return typed, sorted((e.label for e in entries), key=order.index)


@st.composite
def data_row(draw, number: int) -> dict[str, tuple[object, object]]:
    """Column key → (cell as typed, expected normalised value)."""
    values: dict[str, tuple[object, object]] = {"number": (str(number), str(number))}
    for column in COLUMNS[1:]:
        if not column.required and draw(st.booleans()):
            values[column.key] = (None, [] if column.multi else None)
        elif column.multi:
            values[column.key] = draw(needs_cell())
        elif column.classifier:
            values[column.key] = draw(classifier_cell(column.classifier))
        else:
            text = draw(_TEXT)
            values[column.key] = (text, text)
    return values


@st.composite
def data_rows(draw) -> list[dict[str, tuple[object, object]]]:
    count = draw(st.integers(min_value=1, max_value=6))
    return [draw(data_row(number)) for number in range(1, count + 1)]


@pytest.fixture(scope="module")
def template_book(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("template") / "template.xlsx"
    shutil.copy(TEMPLATE, copy)
    return copy


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=data_rows())
def test_what_is_written_through_the_template_is_read_back(template_book, tmp_path, rows):
    book = openpyxl.load_workbook(template_book)
    sheet = book[CLASSIFIERS.sheets.data]
    for offset, values in enumerate(rows):
        for col, column in enumerate(COLUMNS, start=1):
            sheet.cell(row=FIRST_ROW + offset, column=col, value=values[column.key][0])
    path = tmp_path / "filled.xlsx"
    book.save(path)
    frame = tpcheck.read(path)
    assert frame.tpcheck.issues == []
    assert frame["source_row"].tolist() == list(range(FIRST_ROW, FIRST_ROW + len(rows)))
    for column in COLUMNS:
        assert frame[column.key].tolist() == [values[column.key][1] for values in rows], column.key
        typed = [values[column.key][0] for values in rows]
        assert frame[column.key + "_raw"].tolist() == typed, column.key


def test_no_row_is_lost_in_a_folder_of_good_and_bad_files(tmp_path):
    inbox = tmp_path / "входящие"
    (inbox / "учреждения").mkdir(parents=True)
    expected: list[tuple[str, int]] = []

    def good(name: str, rows, data_rows: list[int], **layout) -> None:
        path = write_book(inbox / name, rows, **layout)
        expected.extend((str(path), number) for number in data_rows)

    good("01 отдел кадров.xlsx", [valid(n) for n in range(1, 41)], list(range(3, 43)))
    good(
        "02 с заголовком.xlsx",
        [valid(1), row(), valid(2), row(number="3"), valid(4)],
        [5, 7, 9],
        above=[["Перечень"], ["Отдел"]],
    )
    good(
        "03 без примера.xlsx",
        [
            valid(1, direction=None),
            [None, "Предоставление государственных услуг"],
            valid(2, direction=None),
        ],
        [2, 4],
        example=False,
    )
    good(
        "учреждения/04 лишние столбцы.xlsx",
        [[*valid(n), "доп"] for n in range(1, 6)],
        [3, 4, 5, 6, 7],
        header=[*HEADERS, "Дополнительно"],
    )
    good("учреждения/05 пустой.xlsx", [], [])
    (inbox / "06 битый.xlsx").write_bytes((inbox / "01 отдел кадров.xlsx").read_bytes()[:3000])
    (inbox / "07 письмо.xlsx").write_text("Добрый день!", encoding="utf-8")
    (inbox / "08 пароль.xlsx").write_bytes(compound_file(["EncryptionInfo", "EncryptedPackage"]))
    (inbox / "~$01 отдел кадров.xlsx").write_bytes(b"\x00" * 162)
    (inbox / "readme.txt").write_text("не таблица", encoding="utf-8")
    shutil.copy(inbox / "01 отдел кадров.xlsx", inbox / "учреждения" / "09 копия.xlsx")

    calls: list[tuple[int, int]] = []
    frame = tpcheck.read(
        inbox, workers=2, progress=lambda done, total, path: calls.append((done, total))
    )
    assert calls == [(done, 11) for done in range(1, 12)]
    assert list(zip(frame["source_file"], frame["source_row"], strict=True)) == expected
    statuses = {Path(f.path).name: (f.status, f.rows) for f in frame.tpcheck.files}
    assert statuses == {
        "01 отдел кадров.xlsx": ("ok", 40),
        "02 с заголовком.xlsx": ("ok", 3),
        "03 без примера.xlsx": ("ok", 2),
        "06 битый.xlsx": ("unreadable", 0),
        "07 письмо.xlsx": ("unreadable", 0),
        "08 пароль.xlsx": ("unreadable", 0),
        "readme.txt": ("skipped", 0),
        "~$01 отдел кадров.xlsx": ("skipped", 0),
        "04 лишние столбцы.xlsx": ("ok", 5),
        "05 пустой.xlsx": ("ok", 0),
        "09 копия.xlsx": ("skipped", 0),
    }
    by_file = sorted((Path(i.file).name, i.code) for i in frame.tpcheck.issues)
    assert by_file == [
        ("04 лишние столбцы.xlsx", "column-unknown"),
        ("05 пустой.xlsx", "no-data-rows"),
        ("06 битый.xlsx", "file-unreadable"),
        ("07 письмо.xlsx", "file-not-spreadsheet"),
        ("08 пароль.xlsx", "file-encrypted"),
        ("09 копия.xlsx", "file-duplicate"),
    ]
    third = frame["source_file"].str.endswith("03 без примера.xlsx")
    assert frame.loc[third, "direction"].tolist() == [
        None,  # no group row above it
        "предоставление государственных услуг, услуг",
    ]
