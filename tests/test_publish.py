"""Publication: the appendix layout, what is left out, the workbook, the open data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import openpyxl
import pytest

import tpcheck
from tpcheck.errors import OutputError
from tpcheck.findings import Report, issue
from tpcheck.output.formula import formula_safe
from tpcheck.publish.model import Publication
from tpcheck.publish.opendata import OPEN_DATA_FIELDS

from . import publish_data as data
from .conftest import ROOT
from .frames import frame_from_files, valid_row
from .xlsx_parts import assert_same_workbook

GOLDEN = ROOT / "tests" / "golden" / "publish"
AS_OF = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def publication() -> Publication:
    frame = data.frame()
    return Publication.from_frame(frame, data.report(frame), as_of=AS_OF)


@pytest.fixture(scope="module")
def strict() -> Publication:
    frame = data.frame()
    return Publication.from_frame(frame, data.report(frame), as_of=AS_OF, strict=True)


@pytest.fixture(scope="module")
def written(publication, tmp_path_factory):
    return publication.write(tmp_path_factory.mktemp("publish"))


def test_rows_are_grouped_by_client_and_direction_and_numbered_per_part(publication):
    table = publication.rows[["section", "number", "direction_code", "touchpoint"]]
    assert table.values.tolist() == [
        ["external", 1, "1", "Учебно-методический центр по ГО и ЧС"],
        ["external", 2, "3", "Выездная проверка"],
        ["external", 3, "4", "Телефон «горячей линии» Департамента"],
        ["external", 4, "4", "Электронная почта Департамента"],
        ["external", 5, "5", "Официальный сайт Департамента"],
        ["external", 6, "5", "Сообщество Департамента во ВКонтакте"],
        ["internal", 1, "4", "Телефон «горячей линии» Департамента"],
        ["internal", 2, "6", "Учебный класс"],
        ["internal", 3, "6", "Кадровый портал Департамента"],
        ["internal", 4, "6", "Отдел кадров, кабинет 214"],
    ]


def test_group_rows_follow_the_order_of_clause_3_5(publication):
    layout = [
        (section.code, [heading for heading, _ in groups])
        for section, groups in publication.groups()
    ]
    assert layout == [
        (
            "external",
            [
                "1. Предоставление государственных услуг, услуг",
                "3. Осуществление государственного контроля (надзора)",
                "4. Рассмотрение обращений и запросов",
                "5. Обеспечение доступа к информации о деятельности исполнительного органа области",
            ],
        ),
        (
            "internal",
            [
                "4. Рассмотрение обращений и запросов",
                "6. Организация отношений с внутренним клиентом (сотрудником)",
            ],
        ),
    ]


def test_an_error_that_leaves_the_published_cells_right_holds_nothing_back(publication):
    # row 5 of the staff file has no needs (an error of п. 3.7, stays in the report); row 4 of
    # the control file is «цифровая» for a type that is «оффлайн»: the вид is settled
    assert publication.excluded.empty
    assert [(n.code, n.file, n.row, n.value) for n in publication.notices] == [
        ("publish-channel-settled", data.CONTROL, 4, "цифровая")
    ]
    settled = publication.rows[publication.rows["touchpoint"] == "Выездная проверка"]
    assert settled["channel"].tolist() == ["оффлайн"]
    assert publication.summary == {
        "rows_read": 9,
        "rows_published": 9,
        "rows_excluded": 0,
        "rows_merged": 0,
        "values_settled": 1,
        "values_withheld": 1,
        "files_excluded": 0,
        "entries": 10,
        "by_section": {"external": 6, "internal": 4},
    }


def test_strict_keeps_every_row_with_an_error_out(strict):
    excluded = strict.excluded[["file", "row", "codes"]].values.tolist()
    assert excluded == [
        [data.STAFF, 5, ["required-missing"]],
        [data.CONTROL, 4, ["channel-mismatch"]],
    ]
    assert strict.notices == []
    assert strict.summary == {
        "rows_read": 9,
        "rows_published": 7,
        "rows_excluded": 2,
        "rows_merged": 0,
        "values_settled": 0,
        "values_withheld": 1,
        "files_excluded": 0,
        "entries": 8,
        "by_section": {"external": 5, "internal": 3},
    }


def test_warnings_do_not_leave_a_row_out():
    frame = frame_from_files({"a.xlsx": [valid_row()]})
    warning = issue(
        "location-mismatch",
        file="a.xlsx",
        sheet="Перечень",
        row=3,
        field="location",
        value="x",
        expected="ссылка",
        type="сайт",
    )
    publication = Publication.from_frame(frame, Report([warning]), as_of=AS_OF)
    assert (len(publication.rows), len(publication.excluded)) == (1, 0)


def test_a_row_outside_the_lists_is_left_out_even_when_the_report_misses_it():
    frame = frame_from_files({"a.xlsx": [valid_row(direction="99"), valid_row(client=None)]})
    publication = Publication.from_frame(frame, Report(), as_of=AS_OF)
    assert publication.excluded[["row", "codes"]].values.tolist() == [
        [3, ["value-not-in-list"]],
        [4, ["required-missing"]],
    ]
    assert publication.rows.empty


def test_an_unreadable_file_is_listed_in_the_note():
    frame = frame_from_files({"a.xlsx": [valid_row()]})
    broken = issue("file-unreadable", file="b.xlsx", reason="архив поврежден")
    publication = Publication.from_frame(frame, Report([broken]), as_of=AS_OF)
    note = publication.to_dict()["excluded"]
    assert [(n["file"], n["row"], n["codes"]) for n in note] == [
        ("b.xlsx", None, ["file-unreadable"])
    ]
    assert publication.summary["files_excluded"] == 1


def test_the_procedure_cell_spells_out_the_needs_with_the_other_need_explained(publication):
    from tpcheck.publish.display import needs_display

    record = publication.rows[publication.rows["touchpoint"] == "Отдел кадров, кабинет 214"]
    shown = needs_display(record.iloc[0].to_dict(), publication.classifiers)
    assert shown == [
        "получение консультации",
        "другие удовлетворяемые потребности клиента: заверение копий трудовой книжки",
    ]


def test_the_workbook_matches_the_golden_file(written):
    assert_same_workbook(written["xlsx"], GOLDEN / "perechen.xlsx")


def test_the_row_numbers_are_numbers_not_texts(written, publication):
    sheet = openpyxl.load_workbook(written["xlsx"])[publication.classifiers.sheets.data]
    column = [c for c in sheet["A"][6:] if c.value is not None]
    numbers = [c.value for c in column if c.data_type == "n"]
    assert numbers == [int(n) for n in publication.rows["number"]]
    assert not [c.value for c in column if isinstance(c.value, str) and c.value.isdigit()]


def test_the_workbook_is_ready_to_print(written, publication):
    book = openpyxl.load_workbook(written["xlsx"])
    sheet = book[publication.classifiers.sheets.data]
    assert sheet["A3"].value == (
        "Перечень точек взаимодействия с внешним и внутренним клиентами в Департаменте по "
        "чрезвычайным ситуациям Кузбасса"
    )
    assert [c.value for c in sheet[6]] == [
        "№",
        "Точки взаимодействия",
        "Порядок взаимодействия с клиентом",
    ]
    assert sheet.print_title_rows == "$6:$6"
    assert sheet.print_area == "'Перечень'!$A$1:$C$24"
    setup = sheet.page_setup
    # fitToWidth is left out of the file when it is Excel's default, 1 page wide
    assert (setup.orientation, setup.paperSize, setup.fitToWidth or 1, setup.fitToHeight) == (
        "landscape",
        9,
        1,
        0,
    )
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert "&P" in sheet.oddFooter.center.text
    assert [c.value for c in sheet["A"][6:8]] == [
        "Точки взаимодействия с внешним клиентом",
        "1. Предоставление государственных услуг, услуг",
    ]
    assert {str(r) for r in sheet.merged_cells.ranges} >= {"A7:C7", "A8:C8"}


def test_text_that_looks_like_a_formula_stays_text(written):
    book = openpyxl.load_workbook(written["xlsx"])
    cells = [c for row in book["Перечень"].iter_rows() for c in row if c.value]
    starting = [c for c in cells if str(c.value).startswith("=")]
    assert [(c.data_type, c.value.split("\n")[0]) for c in starting] == [
        ("s", "=Ответ направляется на адрес, с которого пришло обращение")
    ]


def test_the_site_workbook_has_one_sheet(written, publication):
    # what was left out names the subdivisions' files: it never goes into the attached workbook
    assert openpyxl.load_workbook(written["xlsx"]).sheetnames == [
        publication.classifiers.sheets.data
    ]


def test_the_internal_report_matches_the_golden_file(written):
    assert_same_workbook(written["internal"], GOLDEN / "publication_report.xlsx")


def test_the_internal_report_lists_the_settled_values(written):
    sheet = openpyxl.load_workbook(written["internal"])["Уточнено при публикации"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [[r[0], r[2], r[4]] for r in rows] == [[data.CONTROL, "4", "publish-channel-settled"]]
    assert "опубликовано «оффлайн»" in rows[0][5]


def test_the_excluded_sheet_of_the_internal_report_lists_file_row_and_codes(strict, tmp_path):
    written = strict.write(tmp_path)
    book = openpyxl.load_workbook(written["internal"])
    assert book.sheetnames == [
        "Не вошли в Перечень",
        "Уточнено при публикации",
        "Скрыто при публикации",
    ]
    sheet = book["Не вошли в Перечень"]
    rows = [[c.value for c in row][:6] for row in sheet.iter_rows(min_row=2)]
    assert [[r[0], r[2], r[5]] for r in rows] == [
        [data.STAFF, "5", "required-missing"],
        [data.CONTROL, "4", "channel-mismatch"],
    ]


def test_csv_is_utf8_with_bom_semicolons_and_formula_safe(written):
    raw = written["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [f.name for f in OPEN_DATA_FIELDS]
    assert len(rows) == 1 + 10
    by_name = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    email = next(r for r in by_name if r["touchpoint"] == "Электронная почта Департамента")
    phone = next(r for r in by_name if r["touchpoint"].startswith("Телефон"))
    assert email["procedure"].startswith("'=Ответ")
    assert phone["location"] == "'+7 (3842) 58-00-00"
    assert email["needs"] == (
        "представление заявления, обращения, запроса, документов; "
        "получение результата, ответа, разъяснения"
    )


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+7 384", "'+7 384"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Прием", "Прием"),
        ("", ""),
    ],
)
def test_formula_safe(text, safe):
    assert formula_safe(text) == safe


def test_open_data_json_has_the_documented_fields(written, publication):
    opened = json.loads(written["json"].read_text(encoding="utf-8"))
    assert [f["name"] for f in opened["fields"]] == [f.name for f in OPEN_DATA_FIELDS]
    assert opened["version"] == "2026-01-15"
    assert len(opened["records"]) == 10
    assert all(list(r) == [f.name for f in OPEN_DATA_FIELDS] for r in opened["records"])
    assert opened["records"][2]["needs"] == [
        "получение консультации",
        "представление заявления, обращения, запроса, документов",
        "получение информации о ходе рассмотрения заявления, обращения, запроса, документов",
    ]
    documented = (ROOT / "docs" / "publish.md").read_text(encoding="utf-8")
    assert [f.name for f in OPEN_DATA_FIELDS if f"`{f.name}`" not in documented] == []


def test_publication_json_is_to_dict(written, publication):
    assert json.loads(written["report"].read_text(encoding="utf-8")) == publication.to_dict()


def test_an_output_over_an_input_is_refused(publication, tmp_path):
    target = tmp_path / "perechen.xlsx"
    target.write_bytes(b"input")
    publication.inputs = (target,)
    try:
        with pytest.raises(OutputError, match="входных файлов"):
            publication.write(tmp_path)
    finally:
        publication.inputs = ()
    assert target.read_bytes() == b"input"


def test_a_department_can_publish_a_new_client_in_its_own_part(tmp_path):
    override = tmp_path / "mine.toml"
    override.write_text(
        '[[client]]\ncode = "partner"\nlabel = "партнер"\nclause = "п. 2.2"\n', encoding="utf-8"
    )
    classifiers = tpcheck.load_classifiers(override)
    frame = frame_from_files({"a.xlsx": [valid_row(client="партнер")]}, classifiers=classifiers)
    publication = Publication.from_frame(frame, Report(), as_of=AS_OF)
    assert [(s.code, s.title) for s, _ in publication.groups()] == [
        ("partner", "Точки взаимодействия: клиент «партнер»")
    ]


def test_publish_in_must_name_known_clients(tmp_path):
    override = tmp_path / "bad.toml"
    override.write_text(
        '[[client]]\ncode = "both"\npublish_in = ["external", "nobody"]\n', encoding="utf-8"
    )
    with pytest.raises(tpcheck.ClassifiersError, match="publish_in называет клиента 'nobody'"):
        tpcheck.load_classifiers(override)
