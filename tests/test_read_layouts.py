"""Layouts subdivisions really send (issue 14): rows on two sheets, a filled copy of the
template's sheet, an official form (approval block, a header over two rows with a merged group
cell, a row numbering the columns, totals and signature lines), CSV text; and the notices of
every value read differently from how it was written."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import tpcheck
from tpcheck.reading.csvfile import CsvError, decode, read_table
from tpcheck.reading.layout import furniture_kind, numbering

from .frames import flatten, others
from .read_helpers import HEADERS, KEYS, codes, quiet, table, write_book

GROUP_KEYS = ("touchpoint", "touchpoint_type", "channel", "location")
SUBS = ("наименование", "тип", "вид", "адрес")


def test_rows_on_two_sheets_are_all_read_each_with_its_sheet(tmp_path):
    path = write_book(
        tmp_path / "два листа.xlsx",
        [quiet(1), quiet(2)],
        sheet="Внешний клиент",
        others={"Внутренний клиент": [HEADERS, quiet(3, client="внутренний")]},
    )
    frame = tpcheck.read(path)
    assert table(frame, "source_sheet", "number", "client") == [
        (3, "Внешний клиент", "1", "внешний"),
        (4, "Внешний клиент", "2", "внешний"),
        (2, "Внутренний клиент", "3", "внутренний"),
    ]
    info = frame.tpcheck.files[0]
    assert (info.rows, info.sheets, info.ignored_sheets) == (
        3,
        ["Внешний клиент", "Внутренний клиент"],
        [],
    )
    assert codes(frame) == []
    assert flatten(tpcheck.validate(frame), ["sheet", "row", "code"]) == []


def test_a_filled_copy_of_the_empty_template_sheet_is_read_with_a_notice(tmp_path):
    path = write_book(
        tmp_path / "копия.xlsx",
        [],
        others={"Перечень (2)": [HEADERS, quiet(1), quiet(2)]},
    )
    frame = tpcheck.read(path)
    assert table(frame, "source_sheet", "number") == [
        (2, "Перечень (2)", "1"),
        (3, "Перечень (2)", "2"),
    ]
    assert codes(frame) == [("sheet-other-used", "копия.xlsx", "Перечень (2)", None, None)]
    (notice,) = frame.tpcheck.issues
    assert notice.severity == "notice" and "«Перечень» файла" in notice.message
    report = tpcheck.validate(frame)
    assert report.valid and report.summary["notices"] == 1 and report.summary["warnings"] == 0


def test_a_sheet_with_data_that_is_not_read_is_a_warning_naming_it(tmp_path):
    path = write_book(
        tmp_path / "заметки.xlsx",
        [quiet(1)],
        others={"Лист1": [["Сайт", "https://example.ru"], ["Телефон", "8-800"]]},
    )
    frame = tpcheck.read(path)
    assert len(frame) == 1
    assert codes(frame) == [("sheet-not-read", "заметки.xlsx", "Лист1", None, None)]
    (warning,) = frame.tpcheck.issues
    assert warning.severity == "warning" and "(2)" in warning.message


def official_form(path: Path) -> Path:
    """The official form: approval block top right, a title merged across, a header over rows
    4–5 (the group «Точка взаимодействия» merged over four sub-headers, the others merged
    down), the numbering row 6, two data rows, totals and signature lines."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Перечень"
    width = len(HEADERS)
    last = openpyxl.utils.get_column_letter(width)
    sheet.cell(1, width - 1, "УТВЕРЖДАЮ")
    sheet.cell(2, width - 1, "Начальник Департамента ________ И.И. Иванов")
    sheet.cell(3, 1, "ПЕРЕЧЕНЬ точек взаимодействия с внешним и внутренним клиентами")
    sheet.merge_cells(f"A3:{last}3")
    group = KEYS.index("touchpoint") + 1
    for col, header in enumerate(HEADERS, start=1):
        if group <= col < group + 4:
            continue
        sheet.cell(4, col, header)
        sheet.merge_cells(start_row=4, start_column=col, end_row=5, end_column=col)
    sheet.cell(4, group, "Точка взаимодействия")
    sheet.merge_cells(start_row=4, start_column=group, end_row=4, end_column=group + 3)
    for offset, sub in enumerate(SUBS):
        sheet.cell(5, group + offset, sub)
    for col in range(1, width + 1):
        sheet.cell(6, col, col)
    for row, values in ((7, quiet(1)), (8, quiet(2))):
        for col, value in enumerate(values, start=1):
            sheet.cell(row, col, value)
    sheet.cell(9, 1, "Итого точек: 2")
    sheet.cell(11, 2, "Начальник отдела")
    sheet.cell(11, 5, "______ П.П. Петров")
    sheet.cell(12, 2, "Исполнитель: Сидорова А.А., тел. 58-00-00")
    book.save(path)
    return path


def _check_official_form(frame, name: str) -> None:
    assert table(frame, "number", *GROUP_KEYS) == [
        (7, "1", "Портал госуслуг 1", *[quiet(1)[KEYS.index(k)] for k in GROUP_KEYS[1:]]),
        (8, "2", "Портал госуслуг 2", *[quiet(2)[KEYS.index(k)] for k in GROUP_KEYS[1:]]),
    ]
    info = frame.tpcheck.files[0]
    assert info.header_row == 5
    assert [info.columns[k][1] for k in GROUP_KEYS] == [
        f"Точка взаимодействия — {sub}" for sub in SUBS
    ]
    assert codes(frame) == [
        ("header-numbering-row", name, "Перечень", 6, None),
        ("row-form-furniture", name, "Перечень", 9, None),
        ("row-form-furniture", name, "Перечень", 11, None),
        ("row-form-furniture", name, "Перечень", 12, None),
    ]
    assert all(i.severity == "notice" for i in frame.tpcheck.issues)
    report = tpcheck.validate(frame)
    assert flatten(report, ["row", "code"], severities=("error", "warning")) == []


def test_the_official_form_reads_exactly_its_two_rows(tmp_path):
    frame = tpcheck.read(official_form(tmp_path / "форма.xlsx"))
    _check_official_form(frame, "форма.xlsx")
    messages = [i.message for i in frame.tpcheck.issues]
    assert "строка итогов («Итого точек: 2»)" in messages[1]
    assert "строка подписи" in messages[2] and "сведения об исполнителе" in messages[3]


@pytest.mark.soffice
def test_the_official_form_saved_by_libreoffice_reads_the_same(tmp_path):
    from .conftest import soffice_convert

    source = official_form(tmp_path / "форма.xlsx")
    copy = soffice_convert(source, "ods", tmp_path / "ods")
    _check_official_form(tpcheck.read(copy), "форма.ods")


def test_a_form_line_among_the_data_rows_stays_data(tmp_path):
    path = write_book(tmp_path / "a.xlsx", [quiet(1), ["Итого по разделу: 1"], quiet(2)])
    frame = tpcheck.read(path)
    assert table(frame, "number") == [(3, "1"), (4, "Итого по разделу: 1"), (5, "2")]
    assert codes(frame) == []


@pytest.mark.parametrize(
    ("texts", "kind"),
    [
        (["Итого точек: 5"], "total"),
        (["Всего"], "total"),
        (["Начальник отдела", "______ П.П. Петров"], "signature"),
        (["Исполнитель: Иванова, тел. 1-23"], "executor"),
        (["УТВЕРЖДАЮ"], "approval"),
        (["Согласовано"], "approval"),
        (["«15» января 2026 г."], "date"),
        (["01.02.2026"], "date"),
        (["Дата:", "01.02.2026"], "date"),
        (["строка 0", "01.01.2000"], None),  # a requirement with a dated comment is data
        (["Портал госуслуг"], None),
        (["Итого", "а", "б"], None),
    ],
)
def test_furniture_kind(texts, kind):
    assert furniture_kind(texts) == kind


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 2, 3, 4], "1, 2, …, 4"),
        (["1", "2", "3", "", ""], "1, 2, …, 3"),
        ([1.0, 2.0, 3.0], "1, 2, …, 3"),
        ([1, 2], None),
        ([1, 3, 4], None),
        (["1", "2", "получение"], None),
        ([2, 3, 4], None),
    ],
)
def test_numbering(values, expected):
    assert numbering(values) == expected


# ------------------------------------------------------------------------------ CSV


def _csv(rows, separator=";") -> str:
    return "\n".join(separator.join(f'"{v}"' if v else "" for v in row) for row in rows)


def test_a_csv_in_cp1251_with_semicolons_and_cr_line_ends_is_read(tmp_path):
    text = _csv([HEADERS, [v or "" for v in quiet(1)], [v or "" for v in quiet(2)]])
    path = tmp_path / "выгрузка.csv"
    path.write_bytes(text.replace("\n", "\r").encode("cp1251"))
    frame = tpcheck.read(path)
    assert table(frame, "source_sheet", "number", "touchpoint") == [
        (2, "выгрузка", "1", "Портал госуслуг 1"),
        (3, "выгрузка", "2", "Портал госуслуг 2"),
    ]
    assert codes(frame) == [("file-csv", "выгрузка.csv", None, None, None)]
    (notice,) = frame.tpcheck.issues
    assert "Windows-1251" in notice.message and "«;»" in notice.message
    assert "CR" in notice.message
    report = tpcheck.validate(frame)
    assert flatten(report, ["row", "code"], severities=("error", "warning")) == []


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("а;б\r\nв;г".encode("utf-8-sig"), "UTF-8 (BOM)"),
        ("а;б\nв;г".encode(), "UTF-8"),
        ("а;б\rв;г".encode("cp1251"), "Windows-1251"),
        (b"\xff\xfe" + "а;б\r\nв;г".encode("utf-16-le"), "UTF-16 LE (BOM)"),
        (b"\xfe\xff" + "а;б\r\nв;г".encode("utf-16-be"), "UTF-16 BE (BOM)"),
    ],
)
def test_every_encoding_and_line_end_gives_the_same_rows(data, encoding):
    table_ = read_table(data)
    assert (table_.rows, table_.numbers, table_.encoding) == (
        [["а", "б"], ["в", "г"]],
        [1, 2],
        encoding,
    )


def test_a_quoted_cell_over_two_lines_keeps_the_number_of_its_first_line():
    table_ = read_table(b'a,b\n"x\ny",z\nu,v\n')
    assert (table_.rows, table_.numbers, table_.separator) == (
        [["a", "b"], ["x\ny", "z"], ["u", "v"]],
        [1, 2, 4],
        ",",
    )


def test_undecodable_text_names_the_encodings_tried():
    with pytest.raises(CsvError, match="не UTF-8, не UTF-16 с BOM и не Windows-1251"):
        decode(b"\x98\x98abc")


def test_a_csv_in_a_folder_without_the_template_header_is_skipped(tmp_path):
    (tmp_path / "прочее.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    write_book(tmp_path / "a.xlsx", [quiet(1)])
    frame = tpcheck.read(tmp_path)
    statuses = {Path(i.path).name: i.status for i in frame.tpcheck.files}
    assert statuses == {"a.xlsx": "ok", "прочее.csv": "skipped"}
    assert len(frame) == 1


def test_roster_and_registry_text_in_any_encoding_and_line_end(tmp_path):
    roster = tmp_path / "roster.txt"
    roster.write_bytes(b"\xff\xfe" + "Отдел кадров\r\nОтдел связи\r\n".encode("utf-16-le"))
    assert tpcheck.load_roster(roster) == ["Отдел кадров", "Отдел связи"]
    mac = tmp_path / "roster.csv"
    mac.write_bytes("Подразделение\rОтдел кадров\rОтдел связи\r".encode("cp1251"))
    assert tpcheck.load_roster(mac) == ["Отдел кадров", "Отдел связи"]


# ------------------------------------------------------------------------------ rewrites


@pytest.mark.parametrize(
    ("key", "written", "code", "used"),
    [
        ("channel", "электронная", "value-synonym", "цифровая"),
        ("channel", "онлайн", "value-synonym", "цифровая"),
        ("needs", "2; 4; 6", "value-code", None),
        ("basis_kind", "1", "value-code", "нормативный правовой акт"),
        ("client", "внешний", None, None),
        ("client", "  ВНЕШНИЙ ", None, None),
        ("activity_kind", "функцuя", None, None),  # not a look-alike the reader fixes: an error
        ("client", "внeшний", "value-lookalike", "внешний"),  # Latin «e»
    ],
)
def test_each_rewrite_gives_one_notice_with_original_and_value_used(
    tmp_path, key, written, code, used
):
    path = write_book(tmp_path / "a.xlsx", [quiet(1, **{key: written})])
    frame = tpcheck.read(path)
    report = tpcheck.validate(frame)
    notices = report.notices
    if code is None:
        assert notices == []
        return
    (notice,) = notices
    column = KEYS.index(key)
    expected_used = used or "; ".join(frame.loc[0, key])
    assert (notice.code, notice.cell, notice.value, notice.used) == (
        code,
        f"{openpyxl.utils.get_column_letter(column + 1)}3",
        written,
        expected_used,
    )
    shown = frame.loc[0, key]
    assert ("; ".join(shown) if isinstance(shown, list) else shown) == expected_used
    assert report.valid and report.summary["notices"] == 1


def test_the_fixed_copy_round_trips_with_no_notice_left(tmp_path):
    from tpcheck.cli import main

    book, _sheet = _sheet_with_rewrites()
    source = tmp_path / "in" / "отдел.xlsx"
    source.parent.mkdir()
    book.save(source)
    out = tmp_path / "out"
    assert main(["check", str(source), "-o", str(out), "--fixed-copies"]) == 0
    fixed = out / "отдел_ispravleno.xlsx"
    frame = tpcheck.read(fixed)
    report = tpcheck.validate(frame)
    assert report.notices == [] and others(report.problems) == []
    assert table(frame, "channel_raw", "needs_raw", "activity_raw") == [
        (2, "цифровая", "получение консультации", "Прием"),
        (3, "цифровая", "получение информации", "Прием"),
    ]
    marked = openpyxl.load_workbook(fixed)["Перечень"]
    channel = openpyxl.utils.get_column_letter(KEYS.index("channel") + 1)
    assert "было «электронная»" in marked[f"{channel}2"].comment.text
    assert marked[f"{channel}2"].fill.fgColor.rgb.endswith("DDEBF7")


def test_fixed_copies_are_written_with_the_runs_outputs_and_removed_when_stale(tmp_path):
    """A fixed copy is one of the run's outputs: written with the others (all or none), and a
    later run into the same folder that writes none removes the earlier one (issue 15: the
    folder holds exactly one run's outputs); a clerk's file with that name is left alone."""
    book, _sheet = _sheet_with_rewrites()
    folder = tmp_path / "in"
    folder.mkdir()
    book.save(folder / "отдел.xlsx")
    out = tmp_path / "out"
    result = tpcheck.merge(folder)
    written = result.write(out, fixed_copies=True)
    fixed = out / "vozvrat" / "отдел_ispravleno.xlsx"
    assert fixed in written and fixed.is_file()
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]
    own = out / "vozvrat" / "мой_ispravleno.xlsx"  # a clerk's own file of the same pattern
    openpyxl.Workbook().save(own)
    result.write(out)
    assert not fixed.exists() and own.exists()
    removed = result.report.extra["removed_return_copies"]
    assert removed == [str(Path("vozvrat") / "отдел_ispravleno.xlsx")]


def _sheet_with_rewrites():
    """Two rows: a synonym, a code, a look-alike and an activity merged over both rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Перечень"
    sheet.append(HEADERS)
    sheet.append(quiet(1, channel="электронная", needs="2", activity="Прием"))
    sheet.append(quiet(2, channel="цифрoвая", needs="получение информации", activity=None))
    col = KEYS.index("activity") + 1
    sheet.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    return book, sheet


def test_the_consolidated_frame_holds_the_values_used_and_each_rewrite_is_one_notice(tmp_path):
    book, _ = _sheet_with_rewrites()
    book.save(tmp_path / "a.xlsx")
    frame = tpcheck.read(tmp_path / "a.xlsx")
    report = tpcheck.validate(frame)
    assert [(i.code, i.cell, i.value, i.used) for i in report.notices] == [
        ("value-synonym", "H2", "электронная", "цифровая"),
        ("value-code", "J2", "2", "получение консультации"),
        ("cell-merged-filled", "C3", None, "Прием"),
        ("value-lookalike", "H3", "цифрoвая", "цифровая"),
    ]
    assert table(frame, "channel", "activity") == [
        (2, "цифровая", "Прием"),
        (3, "цифровая", "Прием"),
    ]


def test_the_fixed_copy_of_the_official_form_keeps_its_form_rows_out_of_the_data(tmp_path):
    """Issue 14: the fixed copy applies the value notices of the official form and leaves its
    numbering row, totals and signature lines as they were — read again, they are skipped as
    before (the same notices, no data row, no error) and no value notice is left."""
    from tpcheck.cli import main

    (tmp_path / "in").mkdir()
    source = official_form(tmp_path / "in" / "форма.xlsx")
    book = openpyxl.load_workbook(source)
    sheet = book["Перечень"]
    channel = KEYS.index("channel") + 1
    sheet.cell(7, channel, "электронная")  # a synonym
    sheet.cell(8, KEYS.index("needs") + 1, "1; 2")  # codes
    procedure = KEYS.index("procedure") + 1
    sheet.cell(8, procedure, None)
    sheet.merge_cells(start_row=7, start_column=procedure, end_row=8, end_column=procedure)
    book.save(source)
    out = tmp_path / "out"
    assert main(["check", str(source), "-o", str(out), "--fixed-copies"]) == 0
    original = tpcheck.validate(tpcheck.read(source))
    value_codes = {"value-synonym", "value-code", "cell-merged-filled"}
    assert {i.code for i in original.notices} >= value_codes
    fixed = tpcheck.read(out / "форма_ispravleno.xlsx")
    assert table(fixed, "number", "channel", "procedure") == [
        (7, "1", "цифровая", quiet(1)[procedure - 1]),
        (8, "2", "цифровая", quiet(1)[procedure - 1]),
    ]
    assert codes(fixed) == [
        ("header-numbering-row", "форма_ispravleno.xlsx", "Перечень", 6, None),
        ("row-form-furniture", "форма_ispravleno.xlsx", "Перечень", 9, None),
        ("row-form-furniture", "форма_ispravleno.xlsx", "Перечень", 11, None),
        ("row-form-furniture", "форма_ispravleno.xlsx", "Перечень", 12, None),
    ]
    report = tpcheck.validate(fixed)
    assert [i.code for i in report.notices if i.code in value_codes] == []
    assert flatten(report, ["row", "code"], severities=("error", "warning")) == []


def test_the_approval_block_above_the_header_is_the_forms_head_not_a_skipped_row(tmp_path):
    """Decided for issue 14: lines above the header row («УТВЕРЖДАЮ», «СОГЛАСОВАНО», the
    title, a date) are the head of the form, not rows of the table — the reader starts at the
    header (``header_row``) and reports no notice for them; a notice would tell the clerk to
    «fill in the template's columns» of an approval stamp. Lines below the data, where a row
    of the Перечень could stand, get the row-form-furniture notice."""
    above = [
        [None] * (len(HEADERS) - 2) + ["УТВЕРЖДАЮ"],
        [None] * (len(HEADERS) - 2) + ["Начальник Департамента ________ И.И. Иванов"],
        [None] * (len(HEADERS) - 2) + ["«12» марта 2026 г."],
        ["СОГЛАСОВАНО"],
        ["ПЕРЕЧЕНЬ точек взаимодействия"],
    ]
    below = [["Итого точек: 1"]]
    path = write_book(tmp_path / "a.xlsx", [quiet(1), *below], above=above, example=False)
    frame = tpcheck.read(path)
    assert frame.tpcheck.files[0].header_row == 6
    assert table(frame, "number") == [(7, "1")]
    assert codes(frame) == [("row-form-furniture", "a.xlsx", "Перечень", 8, None)]
