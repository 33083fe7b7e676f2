"""The writers of merge/check: golden workbooks, cell fills and notes, links, the summary, the
requirements matrix, return copies, the error reports (CSV, JSON, HTML), formula safety,
atomicity, and refusing to overwrite an input. Frames and reports are built by hand
(tests/outputs_sample.py), so these tests do not depend on the reader or the validator."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

import tpcheck
from tpcheck.errors import OutputError
from tpcheck.merge import Result, _pipeline
from tpcheck.output.config import output_spec
from tpcheck.write import consolidated_layout, report_json, return_name
from tpcheck.write.reports import csv_safe

from .conftest import ROOT
from .outputs_sample import (
    EXTRA,
    FILE_A,
    FILE_B,
    FILE_C,
    INJECTION,
    sample_frame,
    sample_report,
)
from .xlsx_parts import assert_same_workbook, parts

GOLDEN = ROOT / "tests" / "golden" / "outputs"
COLORS = output_spec().colors
ERROR_FILL = "FF" + COLORS["error_fill"].lstrip("#").upper()
WARNING_FILL = "FF" + COLORS["warning_fill"].lstrip("#").upper()
NA_FILL = "FF" + COLORS["not_applicable_fill"].lstrip("#").upper()
RETURN_A = "Отдел_информационной_политики_zamechaniya.xlsx"


def _result(kind: str = "merge", lang: str = "ru") -> Result:
    frame = sample_frame()
    return _pipeline(
        frame, sample_report(frame, lang), kind=kind, lang=lang, inputs=["vhod"], roster="r"
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("merge") / "out"
    _result().write(folder, workers=1)
    return folder


def _fill(cell) -> str | None:
    return cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fill_type else None


def _marked(sheet) -> dict[str, tuple[str | None, str | None]]:
    """A1 → (fill, note) of every cell that has a fill on the data rows or a note."""
    found = {}
    for row in sheet.iter_rows():
        for cell in row:
            fill = _fill(cell)
            if cell.comment is not None or (cell.row > 1 and fill):
                found[cell.coordinate] = (fill, cell.comment.text if cell.comment else None)
    return found


# ------------------------------------------------------------------------------ goldens


def test_consolidated_workbook_matches_golden(written):
    assert_same_workbook(written / "perechen_svodny.xlsx", GOLDEN / "perechen_svodny.xlsx")


def test_return_copy_matches_golden(written):
    assert_same_workbook(written / "vozvrat" / RETURN_A, GOLDEN / "vozvrat_otdel.xlsx")


def test_writing_twice_gives_the_same_parts(written, tmp_path):
    _result().write(tmp_path, workers=1)
    for name in ("perechen_svodny.xlsx", "oshibki.xlsx", f"vozvrat/{RETURN_A}"):
        assert parts(tmp_path / name) == parts(written / name), name


def test_return_copies_in_parallel_processes_equal_serial(written, tmp_path):
    _result().write(tmp_path, workers=2)
    for path in sorted((written / "vozvrat").iterdir()):
        assert parts(tmp_path / "vozvrat" / path.name) == parts(path), path.name


# ------------------------------------------------------------------------------ «Перечень»


def test_consolidated_columns_rows_and_provenance(written):
    book = openpyxl.load_workbook(written / "perechen_svodny.xlsx")
    assert book.sheetnames == [
        "Перечень",
        "Ошибки",
        "Сводка",
        "Требования п. 4.2",
        "Классификаторы",
    ]
    sheet = book["Перечень"]
    layout = consolidated_layout(tpcheck.load_classifiers(), [EXTRA])
    headers = [c.value for c in sheet[1]]
    assert headers == [c.header for c in layout]
    assert headers[-5:] == ["Файл", "Лист", "Строка", "Проверка", EXTRA]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    col = {c.key: i for i, c in enumerate(layout)}
    assert [(r[col["source_file"]], r[col["source_row"]]) for r in rows] == [
        (FILE_A, 3),
        (FILE_A, 4),
        (FILE_A, 5),
        (FILE_A, 6),
        (FILE_B, 3),
        (FILE_B, 4),
    ]
    assert [r[col["status"]] for r in rows] == [None, None, "ошибка", "ошибка", None, "ошибка"]
    # canonical labels, needs joined by «; », the extra column carried
    assert rows[1][col["touchpoint_type"]] == "социальная сеть, публичный чат в мессенджере"
    assert rows[1][col["needs"]] == "получение информации; предоставление обратной связи"
    assert rows[5][col["direction"]] == "предоставление государственных услуг, услуг"
    assert [r[col[EXTRA]] for r in rows] == ["Иванов", "Петрова", "+7 913 000", None, None, None]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(layout))}7"
    names = {name: book.defined_names[name].attr_text for name in book.defined_names}
    assert names["tpcheck_source_file"] == "'Перечень'!$R$1"
    assert names["tpcheck_source_row"] == "'Перечень'!$T$1"


def test_error_and_warning_cells_are_filled_and_explained(written):
    sheet = openpyxl.load_workbook(written / "perechen_svodny.xlsx")["Перечень"]
    marked = _marked(sheet)
    assert sorted(marked, key=lambda a: (int(a[1:]), a)) == ["V1", "H4", "I4", "F5", "C7"]
    fill, note = marked["H4"]  # «онлайн-оффлайн» not in the list
    assert fill == ERROR_FILL
    assert "«онлайн-оффлайн» нет в списке «Вид точки взаимодействия»" in note
    assert "Возможно, имелось в виду «цифровая» или «оффлайн»." in note
    assert ERROR_FILL != WARNING_FILL
    # the header of an unknown column carries its warning
    assert sheet["V1"].value == EXTRA and _fill(sheet["V1"]) == WARNING_FILL
    assert "(column-unknown, п. 3.1)" in marked["V1"][1]
    # two findings in one cell: one note, the error's fill wins
    fill, note = marked["I4"]
    assert fill == ERROR_FILL
    assert note.count("(location-mismatch") == 1 and note.count("(text-too-long") == 1
    # a whole-row finding sits on the touchpoint cell
    fill, note = marked["F5"]
    assert fill == ERROR_FILL and "duplicate-touchpoint" in note
    # an empty required cell is filled too
    assert sheet["C7"].value is None and marked["C7"][0] == ERROR_FILL


def test_warning_fill_differs_from_error_fill(tmp_path):
    frame = sample_frame()
    report = sample_report(frame)
    report.records = [i for i in report.records if i.code in ("location-mismatch",)]
    _pipeline(frame, report).write(tmp_path, workers=1)
    sheet = openpyxl.load_workbook(tmp_path / "perechen_svodny.xlsx")["Перечень"]
    assert _fill(sheet["I4"]) == WARNING_FILL
    assert "Предупреждение (location-mismatch, п. 2.5)" in sheet["I4"].comment.text
    assert sheet["T4"].value == 5 and sheet["U4"].value == "предупреждение"


def test_errors_sheet_lists_every_issue_with_a_link_to_its_cell(written):
    book = openpyxl.load_workbook(written / "perechen_svodny.xlsx")
    sheet = book["Ошибки"]
    rows = list(sheet.iter_rows(min_row=2))
    report = sample_report(sample_frame())
    assert [r[9].value for r in rows] == [i.code for i in report.records]
    links = {r[9].value: r[0].hyperlink.location if r[0].hyperlink else None for r in rows}
    assert links["value-not-in-list"] == "'Перечень'!H4"
    assert links["duplicate-touchpoint"] == "'Перечень'!F5"
    assert links["column-unknown"] == "'Перечень'!V1"
    assert links["requirement-over-limit"].startswith("'Требования п. 4.2'!")
    assert links["file-unreadable"] is None and links["roster-no-submission"] is None
    # every link lands on a filled cell
    for row in rows:
        if row[0].hyperlink is None:
            continue
        target, address = row[0].hyperlink.location.rsplit("!", 1)
        cell = book[target.strip("'")][address]
        assert _fill(cell) in (ERROR_FILL, WARNING_FILL), (row[9].value, address)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")


# ------------------------------------------------------------------------------ summary, matrix


def _rows_after(sheet, title: str) -> list[list]:
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    start = next(i for i, row in enumerate(values) if row[0] == title)
    out = []
    for row in values[start + 2 :]:
        if row[0] is None:
            break
        out.append(row)
    return out


def test_summary_counts_per_subdivision_file_direction_and_type(written):
    book = openpyxl.load_workbook(written / "perechen_svodny.xlsx")
    sheet = book["Сводка"]
    assert [row[:5] for row in _rows_after(sheet, "По подразделениям")] == [
        ["Отдел информационной политики", 1, 4, 6, 2],
        ["ГКУ «Центр ГО и ЧС»", 1, 2, 1, 0],
        ["подразделение не указано", 1, 0, 1, 0],
    ]
    files = _rows_after(sheet, "По файлам")
    assert [row[:5] for row in files] == [
        [FILE_A, "прочитан", 4, 6, 2],
        [FILE_B, "прочитан", 2, 1, 0],
        [FILE_C, "не прочитан", 0, 1, 0],
    ]
    assert files[0][6] == f"vozvrat/{RETURN_A}"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    start = next(i for i, row in enumerate(values) if row[0] and row[0].startswith("Не прислали"))
    assert values[start + 1][0] == "Отдел кадров"
    directions = {row[0]: row[1:6] for row in _rows_after(sheet, values[start + 3][0])}
    info = "обеспечение доступа к информации о деятельности исполнительного органа области"
    assert directions[info] == [3, 0, 1, 4, 0.75]
    assert directions["рассмотрение обращений и запросов"] == [0, 1, 0, 1, 0]
    assert directions["предоставление государственных услуг, услуг"] == [0, 1, 0, 1, 0]
    assert directions["Все направления"] == [3, 2, 1, 6, 0.5]
    charts = [name for name in zipfile.ZipFile(written / "perechen_svodny.xlsx").namelist()]
    assert len([n for n in charts if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]) == 2


def test_requirements_matrix_values_limits_and_unplaced_rows(written):
    book = openpyxl.load_workbook(written / "perechen_svodny.xlsx")
    sheet = book["Требования п. 4.2"]
    header = [c.value for c in sheet[3]]
    col = {label: i + 1 for i, label in enumerate(header)}
    classifiers = tpcheck.load_classifiers()
    label = {e.code: e.label for e in classifiers["requirement"]}
    rows = {sheet.cell(r, 3).value: r for r in range(4, 6)}
    assert sorted(rows) == [1, 2]  # «№ строки» written as numbers
    over = sheet.cell(rows[2], col[label["4.2.3в.appeal"]])
    assert over.value == 3 and _fill(over) == ERROR_FILL and "4.2.3 в)" in over.comment.text
    mention = sheet.cell(rows[2], col[label["4.2.3в.mention"]])
    assert mention.value == 1.5 and _fill(mention) is None
    site_phone = sheet.cell(rows[1], col[label["4.2.5а"]])
    assert site_phone.value == 1 and _fill(site_phone) == ERROR_FILL
    # requirements that do not apply to the row's type are greyed by a conditional format
    # comparing the type column; a cell with a finding is left out of it
    shading = {}
    for ranges in sheet.conditional_formatting:
        for rule in ranges.rules:
            fill = rule.dxf.fill.bgColor.rgb if rule.dxf and rule.dxf.fill else None
            shading[str(ranges.sqref)] = (rule.formula, fill)
    letter = openpyxl.utils.get_column_letter
    apps = letter(col[label["4.2.2а"]])
    assert shading[f"{apps}4:{apps}5"] == (['AND($E4<>"мобильное приложение")'], NA_FILL)
    phone = letter(col[label["4.2.5а"]])
    assert shading[f"{phone}5"][0][0].startswith('AND($E5<>"голосовой помощник",')
    assert sheet.cell(rows[1], 2).value == 2  # its row in «Перечень»
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=7)]
    unplaced = [row for row in values if row[0] == FILE_A]
    assert [row[:4] for row in unplaced] == [[FILE_A, "Требования п. 4.2", 7, 9]]
    assert sheet.freeze_panes == "F4"


def test_classifiers_sheet_lists_every_entry_with_the_digest(written):
    sheet = openpyxl.load_workbook(written / "perechen_svodny.xlsx")["Классификаторы"]
    classifiers = tpcheck.load_classifiers()
    assert classifiers.digest in sheet["A1"].value
    listed = [(r[2].value, r[3].value) for r in sheet.iter_rows(min_row=5)]
    expected = [(e.code, e.label) for lst in classifiers.lists.values() for e in lst]
    assert listed == expected
    assert sheet.auto_filter.ref.startswith("A4:") and sheet.freeze_panes == "A5"


def test_row_numbers_are_numbers_in_the_consolidated_workbook_and_return_copies(written):
    sheet = openpyxl.load_workbook(written / "perechen_svodny.xlsx")["Перечень"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == [1, 2, 3, 4, 1, 2]
    assert {c.data_type for c in cells} == {"n"}
    back = openpyxl.load_workbook(written / "vozvrat" / "ГКУ_Центр_ГО_zamechaniya.xlsx")
    cells = [back["Перечень"]["A3"], back["Перечень"]["A4"]]
    assert [(c.value, c.data_type) for c in cells] == [(1, "n"), (2, "n")]


def test_classifiers_sheet_reads_as_words_not_program_values(written):
    sheet = openpyxl.load_workbook(written / "perechen_svodny.xlsx")["Классификаторы"]
    assert [c.value for c in sheet[4]][-1] == "Что означает"
    meaning = {(r[0].value, r[2].value): r[6].value for r in sheet.iter_rows(min_row=5)}
    site = meaning[("Типы точек взаимодействия", "site")]
    assert "требования п. 4.2: 4.2.1" in site and "вид точки: цифровая" in site
    assert "ссылка (адрес в сети Интернет)" in site
    assert meaning[("Типы точек взаимодействия", "portal")].count("не применяются") == 1
    yes_no = [v for (lst, _), v in meaning.items() if v and "ответ: да/нет" in v]
    assert yes_no and "не более 15 мин" in next(v for v in meaning.values() if v and "мин" in v)
    texts = " ".join(v for v in meaning.values() if v)
    for program_text in ("('", "')", " = ", "yes_no", "digital", "True", "pattern", "\\"):
        assert program_text not in texts


# ------------------------------------------------------------------------------ return copies


def test_return_copy_is_a_filled_template_with_the_clerks_values(written):
    book = openpyxl.load_workbook(written / "vozvrat" / "ГКУ_Центр_ГО_zamechaniya.xlsx")
    assert book.sheetnames == ["Замечания", "Перечень", "Требования п. 4.2", "Справочники"]
    assert book.active.title == "Замечания"
    sheet = book["Перечень"]
    classifiers = tpcheck.load_classifiers()
    assert [c.value for c in sheet[1]] == [c.template_header for c in classifiers.columns]
    assert sheet["A2"].value is None  # the clerk's rows stay at their own row numbers
    assert [sheet["B3"].value, sheet["B4"].value] == [
        "рассмотрение обращений и запросов",
        "услуги",  # as the clerk wrote it, not the canonical label
    ]
    assert _fill(sheet["C4"]) == ERROR_FILL and "required-missing" in sheet["C4"].comment.text
    lists = {
        str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"
    }
    assert lists["B2:B501"] == "list_direction" and lists["H2:H501"] == "list_channel"
    assert book["Справочники"].sheet_state == "hidden"
    remarks = book["Замечания"]
    assert remarks["A1"].value == f"Замечания к файлу «{FILE_B}»"
    assert remarks["A2"].value == "Ошибок: 1, предупреждений: 0, уведомлений: 0."
    assert [c.value for c in remarks[6]][1:4] == [
        "ошибка",
        "Перечень!C4",
        "Наименование услуги, функции, сервиса *",
    ]
    assert remarks["C5"].value == "Где в вашем файле"
    assert remarks["A6"].hyperlink.location == "'Перечень'!C4"


def test_return_copy_keeps_extra_columns_and_requirement_rows(written):
    book = openpyxl.load_workbook(written / "vozvrat" / RETURN_A)
    sheet = book["Перечень"]
    assert sheet["R1"].value == EXTRA and _fill(sheet["R1"]) == WARNING_FILL
    assert [sheet.cell(r, 18).value for r in range(3, 7)] == [
        "Иванов",
        "Петрова",
        "+7 913 000",
        None,
    ]
    assert sheet["F5"].value == INJECTION and sheet["F5"].data_type == "s"
    requirements = book["Требования п. 4.2"]
    assert [requirements.cell(r, 3).value for r in range(3, 8)] == ["да", "3", "1,5", "1", "да"]
    assert _fill(requirements["C4"]) == ERROR_FILL
    assert _fill(requirements["B6"]) == ERROR_FILL
    remarks = book["Замечания"]
    links = [row[0].hyperlink.location for row in remarks.iter_rows(min_row=6) if row[0].hyperlink]
    assert links == [
        "'Перечень'!R1",
        "'Перечень'!H5",
        "'Перечень'!I5",
        "'Перечень'!I5",
        "'Перечень'!F6",
        "'Требования п. 4.2'!C4",
        "'Требования п. 4.2'!B6",
        "'Требования п. 4.2'!A7",
    ]


def test_unreadable_file_gets_a_note_with_its_findings_only(written):
    book = openpyxl.load_workbook(written / "vozvrat" / "сломанный_zamechaniya.xlsx")
    assert book.sheetnames == ["Замечания"]
    sheet = book["Замечания"]
    assert sheet["A3"].value.startswith("Файл не удалось прочитать")
    assert sheet["I6"].value == "file-unreadable"


@pytest.mark.parametrize(
    ("paths", "names"),
    [
        (["a/Отдел 1.xlsx"], ["Отдел_1_zamechaniya.xlsx"]),
        (["a/x.xlsx", "b/X.xlsx"], ["x_zamechaniya.xlsx", "X_zamechaniya_2.xlsx"]),
        (['a/ф:а*й?л"<>|.ods'], ["ф_а_й_л_zamechaniya.xlsx"]),
        (["a/CON.xlsx", "a/..xlsx"], ["file_CON_zamechaniya.xlsx", "file_zamechaniya.xlsx"]),
        (["a/.скрытый.xls"], ["скрытый_zamechaniya.xlsx"]),
        (["a/" + "я" * 200 + ".xlsx"], ["я" * 80 + "_zamechaniya.xlsx"]),
        (["C:\\Входящие\\отдел.xlsm"], ["отдел_zamechaniya.xlsx"]),
    ],
)
def test_return_names_are_safe_and_unique(paths, names):
    used: set[str] = set()
    assert [return_name(p, used) for p in paths] == names


# ------------------------------------------------------------------------------ error reports


def test_report_json_is_report_to_dict(written):
    result = _result()
    text = (written / "report.json").read_text(encoding="utf-8")
    assert json.loads(text) == result.report.to_dict()
    assert text == report_json(result.report)
    assert "«онлайн-оффлайн»" in text  # ensure_ascii off
    data = json.loads(text)
    assert data["summary"]["missing_subdivisions"] == ["Отдел кадров"]
    assert [f["status"] for f in data["files"]] == ["ok", "ok", "unreadable"]


def test_csv_opens_in_russian_excel(written):
    raw = (written / "oshibki.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    assert raw.count(b"\r\n") == raw.count(b"\n")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == [
        "Важность",
        "Файл",
        "Лист",
        "Строка",
        "Ячейка",
        "Графа",
        "Значение",
        "Замечание",
        "Что сделать",
        "Пункт Порядка",
        "Код",
    ]
    report = sample_report(sample_frame())
    assert [row[10] for row in rows[1:]] == [i.code for i in report.records]
    by_code = {row[10]: row for row in rows[1:]}
    assert by_code["location-mismatch"][6] == "'@SUM(1)"  # formula-looking text defused
    assert by_code["value-not-in-list"][3] == "5"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+7 913", "'+7 913"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("обычный текст", "обычный текст"),
        (5, "5"),
        (None, ""),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_errors_workbook_lists_issues_and_files(written):
    book = openpyxl.load_workbook(written / "oshibki.xlsx")
    assert book.sheetnames == ["Ошибки", "Файлы"]
    sheet = book["Ошибки"]
    report = sample_report(sample_frame())
    assert [r[8].value for r in sheet.iter_rows(min_row=2)] == [i.code for i in report.records]
    assert _fill(sheet["A2"]) == WARNING_FILL and _fill(sheet["A3"]) == ERROR_FILL
    assert [[c.value for c in r] for r in book["Файлы"].iter_rows(min_row=2)] == [
        [FILE_A, "прочитан", 4, 6, 2],
        [FILE_B, "прочитан", 2, 1, 0],
        [FILE_C, "не прочитан", 0, 1, 0],
    ]


def test_english_labels(tmp_path):
    _result(lang="en").write(tmp_path, workers=1)
    header = (tmp_path / "oshibki.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("Severity;File;Sheet;Row;Cell;Column;Value;Finding")
    book = openpyxl.load_workbook(tmp_path / "perechen_svodny.xlsx")
    assert book.sheetnames == ["Перечень", "Issues", "Summary", "Требования п. 4.2", "Classifiers"]
    assert '<html lang="en">' in (tmp_path / "oshibki.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ safety


def _formulas(path: Path) -> list[str]:
    """Every cell formula of every worksheet of *path*."""
    with zipfile.ZipFile(path) as archive:
        return [
            f"{name}: {match}"
            for name in archive.namelist()
            if name.startswith("xl/worksheets/sheet")
            for match in re.findall(r"<f[ >].*?</f>|<f/>", archive.read(name).decode())
        ]


def test_no_written_workbook_holds_a_formula(written):
    workbooks = sorted(written.rglob("*.xlsx"))
    assert len(workbooks) == 5
    for path in workbooks:
        assert _formulas(path) == [], path.name
        for sheet in openpyxl.load_workbook(path).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, sheet.title, cell.coordinate)


def test_formula_looking_text_is_text_with_a_quote_prefix(written):
    for path, address in (
        (written / "perechen_svodny.xlsx", "F4"),
        (written / "vozvrat" / RETURN_A, "F5"),
    ):
        sheet = openpyxl.load_workbook(path)["Перечень"]
        for cell in (sheet[address], *(c for c in sheet["Q"] if c.value == "-1 ответ")):
            assert cell.data_type == "s" and cell.quotePrefix, (path.name, cell.coordinate)
        assert sheet[address].value == INJECTION


def test_html_page_is_standalone_grouped_and_escaped(tmp_path):
    frame = sample_frame()
    report = sample_report(frame)
    nasty = report.records[1]
    report.records[1] = type(nasty)(**{**nasty.to_dict(), "value": "<script>alert(1)</script>"})
    _pipeline(frame, report).write(tmp_path, workers=1)
    page = (tmp_path / "oshibki.html").read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="ru">')
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert not re.search(r"<link|@import|url\(", page)
    sections = re.findall(r'<section class="file" id="([^"]+)"', page)
    assert sections == ["file-1", "file-2", "file-3", "general"]
    assert page.count('<tr class="error">') == sum(1 for i in report if i.severity == "error")
    assert page.count('<tr class="warning">') == sum(1 for i in report if i.severity == "warning")


# ------------------------------------------------------------------------------ atomicity


def test_an_exception_mid_write_leaves_no_file(tmp_path, monkeypatch):
    from tpcheck import write

    def broken(path, report, lang="ru", classifiers=None):
        Path(path).write_text("<html>half", encoding="utf-8")
        raise RuntimeError("disk full")

    monkeypatch.setattr(write, "write_errors_html", broken)
    folder = tmp_path / "out"
    with pytest.raises(RuntimeError, match="disk full"):
        _result().write(folder, workers=1)
    assert sorted(p.name for p in folder.rglob("*")) == []


def test_an_exception_in_a_return_copy_leaves_no_file(tmp_path, monkeypatch):
    from tpcheck.write import returns

    def broken(job, target):
        raise RuntimeError("boom")

    monkeypatch.setattr(returns, "write_return_copy", broken)
    (tmp_path / "keep.txt").write_text("earlier", encoding="utf-8")
    with pytest.raises(RuntimeError, match="boom"):
        _result().write(tmp_path, workers=1)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["keep.txt"]


def test_output_equal_to_an_input_is_refused(tmp_path):
    frame = sample_frame()
    victim = tmp_path / "oshibki.xlsx"
    victim.write_bytes(b"clerk's file")
    result = _pipeline(frame, sample_report(frame), inputs=[str(victim)])
    with pytest.raises(OutputError, match="это один из входных файлов"):
        result.write(tmp_path, workers=1)
    assert victim.read_bytes() == b"clerk's file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["oshibki.xlsx"]


def test_check_writes_return_copies_and_reports_but_no_consolidated(tmp_path):
    written = _result(kind="check").write(tmp_path, workers=1)
    assert [p.name for p in written] == [
        "oshibki.xlsx",
        "oshibki.csv",
        "oshibki.html",
        "report.json",
        RETURN_A,
        "ГКУ_Центр_ГО_zamechaniya.xlsx",
        "сломанный_zamechaniya.xlsx",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)


def test_result_renders_in_a_notebook():
    result = _result()
    page = result._repr_html_()
    assert "<table>" in page and FILE_A in page and "не прочитан" in page
    assert "value-not-in-list" in page
    assert repr(result) == "<Result merge: files=3 rows=6 errors=8 warnings=3>"
    assert "<th>Важность</th>" in page and "<th>Файл</th>" in page and "ошибка" in page


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_notebook_tables_are_in_one_language(lang):
    """Result's and Report's tables both in the result's lang: no header of the other one."""
    import re

    page = _result(lang=lang)._repr_html_()
    headers = re.findall(r"<th>([^<]*)</th>", page)
    if lang == "en":
        assert {"File", "Status", "Severity", "Finding", "What to do"} <= set(headers)
        assert "tpcheck: errors found" in page
        assert not [h for h in headers if re.search("[А-Яа-яЁё]", h)]
    else:
        assert {"Файл", "Статус", "Важность", "Замечание", "Что сделать"} <= set(headers)
        assert "tpcheck: есть ошибки" in page
        assert not [h for h in headers if re.search("[A-Za-z]", h)]
