"""tpcheck.read on the workbooks clerks send: layouts, rows, values, files met."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
import xlsxwriter

import tpcheck
from tpcheck.errors import InputError

from .read_helpers import (
    EXAMPLE,
    HEADERS,
    KEYS,
    add_part,
    append_group_row,
    codes,
    header_sheet,
    row,
    table,
    valid,
    write_book,
)

DIRECTION_4 = "рассмотрение обращений и запросов"
DIRECTION_1 = "предоставление государственных услуг, услуг"
NEED_5 = "получение информации о ходе рассмотрения заявления, обращения, запроса, документов"


def test_template_rows_come_out_with_provenance_and_the_file_described(tmp_path):
    path = write_book(tmp_path / "отдел кадров.xlsx", [valid(1), valid(2, client="внутренний")])
    frame = tpcheck.read(path)
    assert table(frame, "source_file", "source_sheet", "number", "client") == [
        (3, str(path), "Перечень", "1", "внешний"),
        (4, str(path), "Перечень", "2", "внутренний"),
    ]
    assert list(frame.columns[:5]) == [
        "source_file",
        "source_sheet",
        "source_row",
        "number",
        "number_raw",
    ]
    assert frame["source_row"].dtype == "int64"
    (info,) = frame.tpcheck.files
    assert (info.path, info.status, info.rows, info.format, info.sheet, info.header_row) == (
        str(path),
        "ok",
        2,
        "xlsx",
        "Перечень",
        1,
    )
    assert info.columns == {
        key: (index, header) for index, (key, header) in enumerate(zip(KEYS, HEADERS, strict=True))
    }
    assert info.size == path.stat().st_size and len(info.sha256) == 64
    assert info.subdivision == "Отдел кадров"
    assert codes(frame) == []


def test_an_empty_input_list_gives_the_contract_columns():
    frame = tpcheck.read([])
    assert len(frame) == 0 and list(frame.columns[:3]) == [
        "source_file",
        "source_sheet",
        "source_row",
    ]
    assert frame.tpcheck.files == [] and frame.tpcheck.requirements is not None


def test_a_path_that_does_not_exist_is_broken_usage(tmp_path):
    with pytest.raises(InputError, match="не найдены"):
        tpcheck.read(tmp_path / "нет.xlsx")


# ------------------------------------------------------------------------------ files met


def test_folders_are_walked_sorted_lock_files_and_other_files_skipped(tmp_path):
    inbox = tmp_path / "входящие"
    (inbox / "б").mkdir(parents=True)
    write_book(inbox / "б" / "второй.xlsx", [valid(1)])
    write_book(inbox / "а.xlsx", [valid(1), valid(2)])
    (inbox / "~$а.xlsx").write_bytes(b"\x00" * 165)
    (inbox / ".~lock.а.xlsx#").write_text("lock")
    (inbox / "письмо.docx").write_bytes(b"PK\x03\x04")
    frame = tpcheck.read(str(inbox))
    files = [
        (Path(f.path).relative_to(inbox).as_posix(), f.status, f.rows) for f in frame.tpcheck.files
    ]
    assert files == [
        (".~lock.а.xlsx#", "skipped", 0),
        ("~$а.xlsx", "skipped", 0),
        ("а.xlsx", "ok", 2),
        ("б/второй.xlsx", "ok", 1),
        ("письмо.docx", "skipped", 0),
    ]
    assert frame.tpcheck.files[0].reason.startswith("файл блокировки")
    assert frame.tpcheck.files[-1].reason == "не таблица (расширение .docx)"
    assert sorted(set(frame["source_file"])) == [
        os.path.join(str(inbox), "а.xlsx"),
        os.path.join(str(inbox), "б", "второй.xlsx"),
    ]
    assert codes(frame) == []


def test_a_non_spreadsheet_named_explicitly_is_an_error_and_a_lock_file_is_skipped(tmp_path):
    note = tmp_path / "заметки.txt"
    note.write_text("просто текст, не таблица\n", encoding="utf-8")
    lock = tmp_path / "~$книга.xlsx"
    lock.write_bytes(b"\x00" * 10)
    frame = tpcheck.read([note, lock])
    assert [(f.status) for f in frame.tpcheck.files] == ["unreadable", "skipped"]
    (found,) = frame.tpcheck.issues
    assert (found.code, found.file) == ("file-not-spreadsheet", str(note))
    assert "текстовый файл" in found.message and "заметки.txt" in found.message


def test_the_same_file_twice_is_read_once(tmp_path):
    path = write_book(tmp_path / "a.xlsx", [valid(1)])
    copy = tmp_path / "копия.xlsx"
    shutil.copy(path, copy)
    frame = tpcheck.read([path, path, copy], workers=0)
    assert [(Path(f.path).name, f.status) for f in frame.tpcheck.files] == [
        ("a.xlsx", "ok"),
        ("a.xlsx", "skipped"),
        ("копия.xlsx", "skipped"),
    ]
    assert len(frame) == 1
    assert [(i.code, Path(i.file).name) for i in frame.tpcheck.issues] == [
        ("file-duplicate", "a.xlsx"),
        ("file-duplicate", "копия.xlsx"),
    ]
    assert "«" + str(path) + "»" in frame.tpcheck.issues[1].message


def test_a_file_changed_while_the_run_reads_it_gives_no_rows(tmp_path):
    first = write_book(tmp_path / "1.xlsx", [valid(1)])
    second = write_book(tmp_path / "2.xlsx", [valid(1), valid(2)])
    calls = []

    def progress(done: int, total: int, path: str) -> None:
        calls.append((done, total, Path(path).name))
        if path == str(first):
            write_book(first, [valid(1), valid(2), valid(3)])  # saved again by the clerk
            os.utime(first, ns=(1, 1))

    frame = tpcheck.read([first, second], progress=progress, workers=0)
    assert calls == [(1, 2, "1.xlsx"), (2, 2, "2.xlsx")]
    assert [(Path(f.path).name, f.status, f.rows) for f in frame.tpcheck.files] == [
        ("1.xlsx", "unreadable", 0),
        ("2.xlsx", "ok", 2),
    ]
    assert codes(frame) == [("file-changed", "1.xlsx", None, None, None)]
    assert set(frame["source_file"]) == {str(second)}


# ------------------------------------------------------------------------------ formats


def _with_macros(tmp_path: Path) -> Path:
    plain = write_book(tmp_path / "plain.xlsx", [valid(1)])
    return add_part(
        plain, tmp_path / "с макросом.xlsm", "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not run"
    )


def test_an_xlsm_is_read_and_its_macros_are_reported_not_run(tmp_path):
    frame = tpcheck.read(_with_macros(tmp_path))
    assert frame.tpcheck.files[0].format == "xlsm" and len(frame) == 1
    assert codes(frame) == [("file-macros", "с макросом.xlsm", None, None, None)]


@pytest.fixture(scope="module")
def libreoffice_copies(tmp_path_factory) -> dict[str, Path]:
    from .conftest import soffice_convert

    folder = tmp_path_factory.mktemp("lo")
    source = write_book(
        folder / "source.xlsx",
        [valid(1), valid(2, needs="1; 2", client="Внутренний"), row(), valid(3)],
        above=[["Перечень точек взаимодействия отдела"]],
    )
    return {fmt: soffice_convert(source, fmt, folder / fmt) for fmt in ("ods", "xls", "xlsx")}


@pytest.mark.soffice
@pytest.mark.parametrize("fmt", ["ods", "xls", "xlsx"])
def test_files_saved_by_libreoffice_read_the_same(libreoffice_copies, fmt):
    frame = tpcheck.read(libreoffice_copies[fmt])
    assert table(frame, "number", "client", "needs") == [
        (4, "1", "внешний", ["получение консультации"]),
        (5, "2", "внутренний", ["получение информации", "получение консультации"]),
        (7, "3", "внешний", ["получение консультации"]),
    ]
    info = frame.tpcheck.files[0]
    assert (info.format, info.header_row, info.status) == (fmt, 2, "ok")
    assert codes(frame) == []


@pytest.fixture(scope="module")
def libreoffice_layouts(tmp_path_factory) -> dict[str, Path]:
    """A group row merged across the table, a merged activity, a hidden row, a hidden sheet:
    saved by LibreOffice as .ods and .xls."""
    from .conftest import soffice_convert

    folder = tmp_path_factory.mktemp("lo-layouts")
    source = folder / "layouts.xlsx"
    book, sheet = header_sheet()
    append_group_row(sheet, "Рассмотрение обращений и запросов")
    sheet.append(valid(1, direction=None, activity="Прием граждан"))
    sheet.append(valid(2, direction=None, activity=None))
    sheet.append(valid(3, direction=None))
    activity = KEYS.index("activity") + 1
    sheet.merge_cells(start_row=3, start_column=activity, end_row=4, end_column=activity)
    sheet.row_dimensions[5].hidden = True
    book.create_sheet("Скрытый").append(["x"])
    book["Скрытый"].sheet_state = "hidden"
    book.save(source)
    copies = {fmt: soffice_convert(source, fmt, folder / fmt) for fmt in ("ods", "xls")}
    return {"xlsx": source, **copies}


@pytest.mark.soffice
@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_group_rows_merges_and_hidden_rows_read_the_same_in_every_format(libreoffice_layouts, fmt):
    frame = tpcheck.read(libreoffice_layouts[fmt])
    assert table(frame, "number", "direction", "activity") == [
        (3, "1", DIRECTION_4, "Прием граждан"),
        (4, "2", DIRECTION_4, "Прием граждан"),
        (5, "3", DIRECTION_4, "Рассмотрение обращений граждан 3"),
    ]
    assert frame.tpcheck.files[0].ignored_sheets == ["Скрытый"]
    # python-calamine does not report hidden rows and .xls is not scanned for them
    expected = [] if fmt == "xls" else [("rows-hidden", "layouts." + fmt, "Перечень", None, None)]
    # the merged activity C3:C4 gives its value to C4, with a notice
    merged = [("cell-merged-filled", "layouts." + fmt, "Перечень", 4, "C4")]
    assert codes(frame) == merged + expected
    (notice,) = [i for i in frame.tpcheck.issues if i.code == "cell-merged-filled"]
    assert (notice.severity, notice.value, notice.used) == ("notice", None, "Прием граждан")


@pytest.mark.soffice
def test_a_legacy_xls_renamed_to_xlsx_is_read_with_a_warning(libreoffice_copies, tmp_path):
    renamed = tmp_path / "старый.xlsx"
    shutil.copy(libreoffice_copies["xls"], renamed)
    frame = tpcheck.read(renamed)
    assert len(frame) == 3 and frame.tpcheck.files[0].format == "xls"
    (found,) = frame.tpcheck.issues
    assert found.code == "file-format-mismatch"
    assert "назван как .xlsx, а по содержимому это .xls" in found.message


# ------------------------------------------------------------------------------ sheets and headers


def test_other_sheets_are_ignored_and_listed(tmp_path):
    path = write_book(
        tmp_path / "a.xlsx",
        [valid(1)],
        first=["Титул"],
        others={"Инструкция": [["как заполнить"]], "Черновик": [["x"]]},
    )
    info = tpcheck.read(path).tpcheck.files[0]
    assert (info.sheet, info.ignored_sheets) == ("Перечень", ["Титул", "Черновик"])


def test_a_renamed_data_sheet_is_found_by_its_header(tmp_path):
    path = write_book(tmp_path / "a.xlsx", [valid(1)], sheet="Лист1", first=["Справка"])
    frame = tpcheck.read(path)
    assert table(frame, "source_sheet", "number") == [(3, "Лист1", "1")]
    assert frame.tpcheck.files[0].ignored_sheets == ["Справка"]


def test_no_data_sheet_is_one_file_issue_naming_the_sheets(tmp_path):
    path = write_book(
        tmp_path / "a.xlsx", [["что-то", "другое"]], header=["Имя", "Телефон"], sheet="Контакты"
    )
    frame = tpcheck.read(path)
    assert frame.tpcheck.files[0].status == "unreadable" and len(frame) == 0
    (found,) = frame.tpcheck.issues
    assert found.code == "sheet-not-found" and "«Контакты»" in found.message


def test_the_header_may_sit_below_titles(tmp_path):
    path = write_book(
        tmp_path / "a.xlsx",
        [valid(1), valid(2)],
        above=[["Перечень точек взаимодействия"], [], ["Отдел кадров", None, "2025 год"]],
    )
    frame = tpcheck.read(path)
    assert frame.tpcheck.files[0].header_row == 4
    assert table(frame, "number") == [(6, "1"), (7, "2")]


def test_headers_renamed_reordered_with_suffixes_breaks_case_and_yo(tmp_path):
    header = [
        "Клиент",  # client, moved first
        "НАПРАВЛЕНИЕ\nДЕЯТЕЛЬНОСТИ (п. 3.5)*",  # direction: case, line break, suffix
        "Наименование услуги функции сервиса",  # activity: a close match (no commas)
        "Вид  деятельности",
        "Точка взаимодействия (п. 2.5) *",
        "Тип точки взаимодействия",  # a synonym
        "Вид точки",
        "Потребности клиента",
        "Порядок взаимодействия",
        "Основание (п. 3.6)",
        "Кто обеспечивает",
        "Ответственное подразделение",
        "Учёт обращений ведётся (да/нет)",  # ё
    ]
    data = [
        "внешний",
        "4",
        "Рассмотрение обращений",
        "функция",
        "Приемная",
        "личный прием в Департаменте, учреждении",
        "оффлайн",
        "2",
        "По записи",
        "1",
        "Департамент",
        "Отдел",
        "да",
    ]
    frame = tpcheck.read(write_book(tmp_path / "a.xlsx", [data], header=header, example=False))
    info = frame.tpcheck.files[0]
    assert list(info.columns) == [
        "client",
        "direction",
        "activity",
        "activity_kind",
        "touchpoint",
        "touchpoint_type",
        "channel",
        "needs",
        "procedure",
        "basis_kind",
        "operator",
        "subdivision",
        "demand_tracked",
    ]
    assert info.columns["direction"] == (1, "НАПРАВЛЕНИЕ\nДЕЯТЕЛЬНОСТИ (п. 3.5)*")
    assert table(frame, "direction", "activity", "needs", "basis_kind", "demand_tracked") == [
        (
            2,
            DIRECTION_4,
            "Рассмотрение обращений",
            ["получение консультации"],
            "нормативный правовой акт",
            "да",
        )
    ]
    assert codes(frame) == []


def test_a_missing_required_column_is_one_issue_and_the_rows_are_still_read(tmp_path):
    keep = [k for k in KEYS if k not in ("client", "channel")]
    header = [h for k, h in zip(KEYS, HEADERS, strict=True) if k in keep]
    data = [v for k, v in zip(KEYS, valid(1), strict=True) if k in keep]
    frame = tpcheck.read(write_book(tmp_path / "a.xlsx", [data], header=header, example=False))
    assert table(frame, "number", "client") == [(2, "1", None)]
    (found,) = frame.tpcheck.issues
    assert (found.code, found.sheet, found.row) == ("column-missing", "Перечень", 1)
    assert "«Клиент *», «Вид точки (цифровая / оффлайн) *»" in found.message
    assert "Найдены столбцы: «№», «Направление деятельности (п. 3.5) *»" in found.message


def test_extra_and_repeated_columns_are_kept_under_their_headers(tmp_path):
    header = [*HEADERS, "Контактное лицо (ФИО)", "Примечание"]
    data = [*valid(1, note="первое"), "Иванов И. И.", "второе"]
    frame = tpcheck.read(
        write_book(
            tmp_path / "a.xlsx", [data, [*valid(2), None, None]], header=header, example=False
        )
    )
    assert table(frame, "note", "Контактное лицо (ФИО)", "Примечание") == [
        (2, "первое", "Иванов И. И.", "второе"),
        (3, None, None, None),
    ]
    assert list(frame.columns[-2:]) == ["Контактное лицо (ФИО)", "Примечание"]
    assert frame.tpcheck.files[0].extra_columns == ["Контактное лицо (ФИО)", "Примечание"]
    assert codes(frame) == [
        ("column-unknown", "a.xlsx", "Перечень", 1, "R1"),
        ("column-duplicate", "a.xlsx", "Перечень", 1, "S1"),
    ]


def test_data_in_a_column_without_header_is_kept(tmp_path):
    frame = tpcheck.read(write_book(tmp_path / "a.xlsx", [[*valid(1), None, "забыли заголовок"]]))
    assert table(frame, "Столбец S") == [(3, "забыли заголовок")]
    assert codes(frame) == [("column-unknown", "a.xlsx", "Перечень", 1, "S1")]


# ------------------------------------------------------------------------------ rows


def test_example_blank_numbered_and_trailing_rows_are_not_data(tmp_path):
    example_without_marker = ["", *EXAMPLE[1:]]
    spaces = row(activity="   ", note="\u200b")
    frame = tpcheck.read(
        write_book(
            tmp_path / "a.xlsx",
            [
                valid(1),
                row(),
                example_without_marker,
                spaces,
                valid(2),
                row(number="3"),
                row(number="4"),
                row(),
                row(),
            ],
        )
    )
    assert table(frame, "number") == [(3, "1"), (7, "2")]
    assert frame.tpcheck.files[0].rows == 2


def test_a_sheet_with_only_the_example_warns(tmp_path):
    frame = tpcheck.read(write_book(tmp_path / "a.xlsx", []))
    assert len(frame) == 0 and frame.tpcheck.files[0].status == "ok"
    assert codes(frame) == [("no-data-rows", "a.xlsx", "Перечень", None, None)]


def test_group_rows_set_the_direction_of_the_rows_below(tmp_path):
    path = tmp_path / "a.xlsx"
    book, sheet = header_sheet()
    append_group_row(sheet, "1. Предоставление государственных услуг")
    sheet.append(valid(1, direction=None))
    sheet.append(valid(2, direction=None))
    sheet.append([None, "Рассмотрение обращений и запросов"])  # unmerged: only a direction
    sheet.append(valid(3, direction=None))
    sheet.append(valid(4, direction="7"))  # its own direction wins
    book.save(path)
    frame = tpcheck.read(path)
    assert table(frame, "number", "direction", "direction_raw") == [
        (3, "1", DIRECTION_1, "1. Предоставление государственных услуг"),
        (4, "2", DIRECTION_1, "1. Предоставление государственных услуг"),
        (6, "3", DIRECTION_4, "Рассмотрение обращений и запросов"),
        (7, "4", "иные функции, услуги, сервисы", "7"),
    ]
    assert codes(frame) == []


def test_merged_cells_give_their_value_to_the_cells_they_cover(tmp_path):
    path = tmp_path / "a.xlsx"
    book, sheet = header_sheet()
    for number in (1, 2, 3):
        sheet.append(valid(number, activity="Прием граждан" if number == 1 else None))
    sheet.append(row())
    activity = KEYS.index("activity") + 1
    sheet.merge_cells(start_row=2, start_column=activity, end_row=5, end_column=activity)
    book.save(path)
    frame = tpcheck.read(path)
    assert table(frame, "number", "activity") == [
        (2, "1", "Прием граждан"),
        (3, "2", "Прием граждан"),
        (4, "3", "Прием граждан"),
    ]


def test_hidden_rows_and_sheets_are_read_and_reported(tmp_path):
    path = tmp_path / "a.xlsx"
    book, sheet = header_sheet()
    for number in range(1, 6):
        sheet.append(valid(number))
    for hidden in (3, 4, 6):
        sheet.row_dimensions[hidden].hidden = True
    sheet.sheet_state = "hidden"
    book.create_sheet("Видимый").append(["x"])
    book.save(path)
    frame = tpcheck.read(path)
    assert len(frame) == 5
    assert codes(frame) == [
        ("sheet-hidden", "a.xlsx", "Перечень", None, None),
        ("rows-hidden", "a.xlsx", "Перечень", None, None),
    ]
    assert "3–4, 6" in frame.tpcheck.issues[1].message


# ------------------------------------------------------------------------------ values


def _xlsxwriter_book(path: Path, write) -> Path:
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Перечень")
    for col, header in enumerate(HEADERS):
        sheet.write_string(0, col, header)
    write(book, sheet)
    book.close()
    return path


def test_formulas_give_their_cached_value_errors_and_missing_values_are_cell_issues(tmp_path):
    def write(book, sheet):
        for col, value in enumerate(valid(1)):
            if value is not None:
                sheet.write_string(1, col, value)
        sheet.write_formula(1, KEYS.index("number"), "=ROW()-1", None, 1)
        sheet.write_formula(1, KEYS.index("activity"), '="Прием "&"граждан"', None, "Прием граждан")
        sheet.write_formula(1, KEYS.index("location"), "=VLOOKUP(1,Z1:Z2,2,0)", None, "#N/A")

    path = _xlsxwriter_book(tmp_path / "a.xlsx", write)
    frame = tpcheck.read(path)
    assert table(frame, "number", "activity", "location") == [(2, "1", "Прием граждан", "#N/A")]
    assert codes(frame) == [("cell-error-value", "a.xlsx", "Перечень", 2, "I2")]
    assert frame.tpcheck.issues[0].value == "#N/A" and frame.tpcheck.issues[0].field == "location"

    formula = write_book(
        tmp_path / "openpyxl.xlsx", [valid(1, note="=CONCATENATE(B2,C2)")], example=False
    )  # openpyxl saves formulas without a cached value
    frame = tpcheck.read(formula)
    assert table(frame, "note") == [(2, None)]
    assert [(i.code, i.cell, i.value, i.column, i.field) for i in frame.tpcheck.issues] == [
        ("formula-no-value", "Q2", "=CONCATENATE(B2,C2)", "Примечание", "note")
    ]


def test_numbers_dates_and_booleans_become_text_as_the_clerk_sees_them(tmp_path):
    def write(book, sheet):
        for col, value in enumerate(valid(1)):
            if value is not None:
                sheet.write_string(1, col, value)
        date = book.add_format({"num_format": "dd.mm.yyyy"})
        stamp = book.add_format({"num_format": "dd.mm.yyyy hh:mm"})
        sheet.write_number(1, KEYS.index("number"), 7)
        sheet.write_number(1, KEYS.index("location"), 83842123456)
        sheet.write_number(1, KEYS.index("procedure"), 1.5)
        sheet.write_datetime(1, KEYS.index("basis"), dt.datetime(2024, 3, 5), date)
        sheet.write_datetime(1, KEYS.index("note"), dt.datetime(2024, 3, 5, 9, 30), stamp)
        sheet.write_boolean(1, KEYS.index("demand_tracked"), True)

    frame = tpcheck.read(_xlsxwriter_book(tmp_path / "a.xlsx", write))
    assert table(
        frame, "number", "location", "procedure", "basis", "note", "demand_tracked_raw"
    ) == [(2, "7", "83842123456", "1,5", "05.03.2024", "05.03.2024 09:30", "ИСТИНА")]


def test_codes_labels_and_look_alikes_map_to_the_canonical_label_and_keep_originals(tmp_path):
    rows = [
        valid(1, direction="4", needs="1, 2", client=" ВНЕШНИЙ ", channel="oфлайн"),
        valid(
            2,
            direction="п. 1",
            needs="представление заявления, обращения, запроса, документов, получение информации",
        ),
        valid(
            3,
            direction="Рассмотрение  обращений и запросов.",
            needs="1)\n5;   8",
            channel="оффлайн",
        ),
        valid(
            4,
            direction="Pассмотрение обращений и запросов",
            needs="получение консультации, что-то своё",
        ),
    ]
    frame = tpcheck.read(write_book(tmp_path / "a.xlsx", rows))
    assert table(frame, "direction", "client", "needs") == [
        (3, DIRECTION_4, "внешний", ["получение информации", "получение консультации"]),
        (
            4,
            DIRECTION_1,
            "внешний",
            ["получение информации", "представление заявления, обращения, запроса, документов"],
        ),
        (
            5,
            DIRECTION_4,
            "внешний",
            [
                "получение информации",
                NEED_5,
                "предоставление обратной связи",
            ],
        ),
        (6, DIRECTION_4, "внешний", ["получение консультации", "что-то своё"]),
    ]
    assert table(frame, "direction_raw", "client_raw", "needs_raw") == [
        (3, "4", " ВНЕШНИЙ ", "1, 2"),
        (
            4,
            "п. 1",
            "внешний",
            "представление заявления, обращения, запроса, документов, получение информации",
        ),
        (5, "Рассмотрение  обращений и запросов.", "внешний", "1)\n5;   8"),
        (6, "Pассмотрение обращений и запросов", "внешний", "получение консультации, что-то своё"),
    ]
    assert table(frame, "channel", "channel_raw") == [
        (3, "оффлайн", "oфлайн"),  # a Latin «o» and a synonym
        (4, "оффлайн", "оффлайн"),
        (5, "оффлайн", "оффлайн"),
        (6, "оффлайн", "оффлайн"),
    ]


def test_each_row_has_its_own_needs_list(tmp_path):
    frame = tpcheck.read(write_book(tmp_path / "a.xlsx", [valid(1), valid(2)]))
    first, second = frame["needs"]
    assert first == second and first is not second


def test_the_requirements_sheet_is_read_with_provenance(tmp_path):
    requirement = "4.2.7 ж) время ожидания обслуживания, минут (не более 15)"
    sheet = [
        ["№ строки листа «Перечень» *", "Требование (п. 4.2) *", "Значение *", "Комментарий"],
        ["Пример", requirement, "10", ""],
        ["1", requirement, 12, "по данным очереди"],
        [],
        ["1", "4.2.7 а)", "да", None],
    ]
    frame = tpcheck.read(
        write_book(tmp_path / "a.xlsx", [valid(1)], others={"Требования п. 4.2": sheet})
    )
    requirements = frame.tpcheck.requirements
    assert table(requirements, "source_sheet", "row_ref", "value", "comment") == [
        (3, "Требования п. 4.2", "1", "12", "по данным очереди"),
        (5, "Требования п. 4.2", "1", "да", None),
    ]
    assert requirements["requirement"].iloc[0] == requirement
    info = frame.tpcheck.files[0]
    assert (info.requirements_sheet, info.requirement_rows, info.requirement_header_row) == (
        "Требования п. 4.2",
        2,
        1,
    )
    assert list(info.requirement_columns) == ["row_ref", "requirement", "value", "comment"]


def test_messages_in_english_and_classifiers_given_as_an_object(tmp_path):
    from tpcheck.classifiers import default_classifiers

    path = write_book(tmp_path / "a.xlsx", [])
    frame = tpcheck.read(path, lang="en", classifiers=default_classifiers())
    (found,) = frame.tpcheck.issues
    assert found.message.startswith("Sheet «Перечень» of «") and "no filled rows" in found.message
    assert frame.tpcheck.classifiers is default_classifiers()


def test_every_column_finding_of_the_reader_names_its_field_and_the_writers_place_by_it(
    tmp_path,
):
    """Issue 13: the reader sets ``field`` on each finding about a column — a spec key, or
    the name of the extra column as in the frame — so the writers place it by that, never by
    guessing from the header's text (a finding without a field is not put on a column)."""
    from dataclasses import replace

    from tpcheck.write.placement import DATA, DATA_HEADER, Location, Placer

    def write(book, sheet):
        headers = [*HEADERS, "Комментарий", "Комментарий", "Канал"]
        for col, text in enumerate(headers):
            sheet.write_string(0, col, text)
        for col, value in enumerate(valid(1)):
            if value is not None:
                sheet.write_string(1, col, value)
        width = len(HEADERS)
        sheet.write_formula(1, width, "=1/0", None, "#DIV/0!")  # error value, extra column
        sheet.write_string(1, width + 1, "второй")
        sheet.write_string(1, width + 4, "без заголовка")  # a column without a header

    frame = tpcheck.read(_xlsxwriter_book(tmp_path / "a.xlsx", write))
    extras = ["Комментарий", "Комментарий (2)", "Канал", "Столбец V"]
    assert frame.tpcheck.files[0].extra_columns == extras
    found = [(i.code, i.cell, i.field) for i in frame.tpcheck.issues]
    assert found == [
        ("column-duplicate", "R1", "Комментарий"),  # «Комментарий» is a name of «Примечание»
        ("column-duplicate", "S1", "Комментарий (2)"),
        ("column-duplicate", "T1", "Канал"),  # a name of «Вид точки»
        ("column-unknown", "V1", "Столбец V"),
        ("cell-error-value", "R2", "Комментарий"),
    ]
    assert all(name in frame.columns for _, _, name in found)
    placer = Placer(frame)
    located = [placer.locate(item) for item in frame.tpcheck.issues]
    assert [(loc.kind, loc.key) for loc in located] == [
        (DATA_HEADER, "Комментарий"),
        (DATA_HEADER, "Комментарий (2)"),
        (DATA_HEADER, "Канал"),
        (DATA_HEADER, "Столбец V"),
        (DATA, "Комментарий"),
    ]
    # Without its field nothing is guessed from the header's text or the cell's letter.
    channel = frame.tpcheck.files[0].columns["channel"][1]
    guess = replace(frame.tpcheck.issues[4], field=None, column=channel, cell="H2")
    assert placer.locate(guess) == Location(DATA, 0, None)
    assert placer.locate(replace(guess, field="channel")) == Location(DATA, 0, "channel")
