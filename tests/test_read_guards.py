"""Hostile and broken files: each is one file-level issue within bounded time and memory, the
test process survives, and the other files are still read."""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import tpcheck
from tpcheck.reading import Limits

from .read_helpers import (
    BILLION_LAUGHS,
    HEADERS,
    KEYS,
    XXE,
    compound_file,
    declare_size,
    far_corner,
    rewrite_part,
    table,
    valid,
    with_prolog,
    write_book,
    xlsxwriter_book,
)


@pytest.fixture
def good(tmp_path) -> Path:
    return write_book(tmp_path / "хороший.xlsx", [valid(1), valid(2)])


def _only_issue(frame, path: Path):
    found = [i for i in frame.tpcheck.issues if i.file == str(path)]
    assert len(found) == 1, found
    info = frame.tpcheck.context.file(str(path))
    assert info is not None and info.status == "unreadable" and info.rows == 0
    return found[0]


def _read_with(good: Path, bad: Path, **options):
    """Read *bad* among good files, in worker processes: the good rows are all there."""
    frame = tpcheck.read([good, bad], **options)
    assert table(frame, "source_file", "number") == [(3, str(good), "1"), (4, str(good), "2")]
    return frame


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("письмо.xlsx", "Добрый день! Перечень во вложении.\n".encode(), "текстовый файл"),
        ("таблица.xlsx", "№;Точка\n1;Сайт\n".encode("cp1251"), "текстовый файл"),
        ("скан.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF-документ"),
        ("выгрузка.xls", b"<html><body><table><tr><td>1</td></tr></table>", "веб-страница HTML"),
    ],
)
def test_a_renamed_non_spreadsheet_is_one_issue_naming_what_it_is(
    tmp_path, good, name, content, kind
):
    bad = tmp_path / name
    bad.write_bytes(content)
    found = _only_issue(_read_with(good, bad), bad)
    assert found.code == "file-not-spreadsheet"
    assert kind in found.message and f"«{name}»" in found.message


def test_a_word_document_renamed_to_xlsx_is_not_a_spreadsheet(tmp_path, good):
    bad = tmp_path / "справка.xlsx"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    found = _only_issue(_read_with(good, bad), bad)
    assert (found.code, "документ Word" in found.message) == ("file-not-spreadsheet", True)


def test_an_empty_file(tmp_path, good):
    bad = tmp_path / "пустой.xlsx"
    bad.write_bytes(b"")
    assert _only_issue(_read_with(good, bad), bad).code == "file-empty"


@pytest.mark.parametrize("cut", ["truncated", "garbled"])
def test_a_corrupt_or_truncated_zip(tmp_path, good, cut):
    data = good.read_bytes()
    bad = tmp_path / f"{cut}.xlsx"
    if cut == "truncated":
        bad.write_bytes(data[: len(data) // 2])
    else:
        middle = len(data) // 2
        bad.write_bytes(
            data[:middle]
            + bytes(b ^ 0x5A for b in data[middle : middle + 400])
            + data[middle + 400 :]
        )
    found = _only_issue(_read_with(good, bad), bad)
    assert found.code == "file-unreadable"
    assert "поврежден" in found.message and str(bad) in found.message


def test_an_encrypted_workbook(tmp_path, good):
    bad = tmp_path / "с паролем.xlsx"
    bad.write_bytes(compound_file(["EncryptionInfo", "EncryptedPackage"]))
    found = _only_issue(_read_with(good, bad), bad)
    assert found.code == "file-encrypted" and "паролем" in found.message


def test_a_zip_bomb_announced_by_its_directory_is_refused_before_inflating(tmp_path, good):
    bad = declare_size(good, tmp_path / "бомба.xlsx", "xl/worksheets/sheet1.xml", 3_000_000_000)
    start = time.perf_counter()
    found = _only_issue(_read_with(good, bad, workers=0), bad)
    assert time.perf_counter() - start < 5
    assert (
        found.code == "file-too-large"
        and "sheet1.xml" in found.message
        and "2,8 ГБ" in found.message
    )


def test_a_zip_bomb_of_blank_rows_is_refused_by_its_ratio(tmp_path, good):
    blank_rows = b"<row/>" * 1_000_000

    def inflate(xml: bytes) -> bytes:
        return xml.replace(b"</sheetData>", blank_rows + b"</sheetData>")

    bad = rewrite_part(good, tmp_path / "пустые строки.xlsx", "xl/worksheets/sheet1.xml", inflate)
    assert bad.stat().st_size < 1_000_000
    frame = _read_with(good, bad, limits=Limits(ratio_floor=1_000_000, max_ratio=50))
    found = _only_issue(frame, bad)
    assert found.code == "file-too-large" and "сжата в" in found.message


@pytest.mark.parametrize(
    ("part", "prolog"),
    [
        ("xl/worksheets/sheet1.xml", BILLION_LAUGHS),
        ("xl/sharedStrings.xml", BILLION_LAUGHS),
        ("xl/workbook.xml", XXE),
    ],
)
def test_xml_entities_are_refused(tmp_path, good, part, prolog):
    source = xlsxwriter_book(tmp_path / "источник.xlsx", [valid(1)])  # has sharedStrings.xml
    bad = with_prolog(source, tmp_path / "сущности.xlsx", part, prolog)
    assert zipfile.ZipFile(bad).read(part).startswith(prolog)
    found = _only_issue(_read_with(good, bad), bad)
    assert found.code == "file-unsafe-xml" and f"«{part}»" in found.message


_DTD = BILLION_LAUGHS.split(b"?>", 1)[1]
#: What XML allows before a DOCTYPE, each long enough (or holding a «<» that looks like the root
#: element) to have hidden the DOCTYPE from a check that only searched the first bytes.
BEFORE_DOCTYPE = {
    "comment": b"<!-- " + b'<row r="1"> ' * 200 + b"-->\n",
    "processing-instruction": b"<?mso-application <worksheet> " + b"x" * 3000 + b"?>\n",
    "whitespace": b" \r\n\t" * 20_000,
    "comments-and-pis": (b"<!-- a -->\n<?pi b?>\n" * 400),
}


@pytest.mark.parametrize("before", BEFORE_DOCTYPE.values(), ids=BEFORE_DOCTYPE.keys())
@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_a_dtd_behind_comments_or_white_space_is_refused(tmp_path, good, part, before):
    source = xlsxwriter_book(tmp_path / "источник.xlsx", [valid(1)])
    prolog = b'<?xml version="1.0" encoding="UTF-8"?>\n' + before + _DTD
    bad = with_prolog(source, tmp_path / "сущности.xlsx", part, prolog)
    found = _only_issue(_read_with(good, bad), bad)
    assert found.code == "file-unsafe-xml" and f"«{part}»" in found.message


@pytest.mark.parametrize("before", [b"", b"<!-- note -->\n<?pi x?>\n  "])
def test_a_prolog_with_comments_and_no_dtd_is_read(tmp_path, before):
    source = xlsxwriter_book(tmp_path / "источник.xlsx", [valid(1), valid(2)])
    part = "xl/worksheets/sheet1.xml"
    path = rewrite_part(
        source,
        tmp_path / "комментарий.xlsx",
        part,
        lambda xml: xml.replace(b"?>", b"?>" + before, 1),
    )
    frame = tpcheck.read(path)
    assert len(frame) == 2
    assert [i.code for i in frame.tpcheck.issues if i.severity == "error"] == []


def test_calamine_really_aborts_on_thefar_corner(tmp_path):
    path = far_corner(tmp_path / "угол.xlsx")
    script = (
        "import python_calamine as c, sys;"
        "c.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_name('Перечень')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, timeout=60
    )
    assert result.returncode < 0 or result.returncode > 100  # killed by SIGABRT


@pytest.mark.parametrize("workers", [0, 2])
def test_the_far_corner_is_read_without_aborting(tmp_path, good, workers):
    bad = far_corner(tmp_path / "угол.xlsx", data_rows=2)
    assert bad.stat().st_size < 10_000
    frame = tpcheck.read([good, bad], workers=workers)
    assert table(frame, "source_file", "number", "Столбец XFD") == [
        (3, str(good), "1", None),
        (4, str(good), "2", None),
        (2, str(bad), "1", None),
        (3, str(bad), "2", None),
        (1048576, str(bad), None, "конец"),
    ]
    assert [(i.code, i.cell) for i in frame.tpcheck.issues] == [("column-unknown", "XFD1")]


@pytest.mark.parametrize("space", [b"\n", b"\t", b"\r\n"])
def test_the_far_corner_is_found_behind_any_whitespace(tmp_path, good, space):
    """The careful scan (the caller's own process) finds the far cell's address whatever
    whitespace stands before it: python-calamine would abort the test process otherwise."""
    bad = rewrite_part(
        far_corner(tmp_path / "угол.xlsx", data_rows=2),
        tmp_path / "угол, перенос.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<c r="XFD1048576"', b"<c" + space + b'r="XFD1048576"'),
    )
    assert b"<c" + space + b'r="XFD' in zipfile.ZipFile(bad).read("xl/worksheets/sheet1.xml")
    frame = tpcheck.read([good, bad], workers=0)
    assert table(frame, "source_file", "number", "Столбец XFD")[2:] == [
        (2, str(bad), "1", None),
        (3, str(bad), "2", None),
        (1048576, str(bad), None, "конец"),
    ]


def test_a_worker_that_aborts_loses_none_of_the_files_it_was_given(tmp_path):
    """One worker is given the next file before it is done with the one it reads: when it
    aborts on the far corner, the file it held is read by its successor."""
    first = write_book(tmp_path / "a.xlsx", [valid(1)])
    bad = far_corner(tmp_path / "b угол.xlsx")
    held = write_book(tmp_path / "c.xlsx", [valid(2)])
    last = write_book(tmp_path / "d.xlsx", [valid(3)])
    frame = tpcheck.read([first, bad, held, last], workers=1)
    assert table(frame, "source_file", "number", "Столбец XFD") == [
        (3, str(first), "1", None),
        (2, str(bad), "1", None),
        (1048576, str(bad), None, "конец"),
        (3, str(held), "2", None),
        (3, str(last), "3", None),
    ]
    assert [f.status for f in frame.tpcheck.files] == ["ok"] * 4


def test_the_far_corner_beyond_the_streaming_bound_is_too_large(tmp_path, good):
    bad = far_corner(tmp_path / "угол.xlsx")
    frame = _read_with(good, bad, limits=Limits(max_sparse_cells=10))
    found = _only_issue(frame, bad)
    assert found.code == "file-too-large" and "A1:XFD1048576" in found.message


def test_a_parser_that_runs_past_the_time_bound_is_stopped(tmp_path, good):
    slow = write_book(tmp_path / "большой.xlsx", [valid(n) for n in range(1, 3001)])
    frame = tpcheck.read([slow, good], workers=2, limits=Limits(wall_seconds=0.01))
    statuses = {Path(f.path).name: f.status for f in frame.tpcheck.files}
    assert statuses["большой.xlsx"] == "unreadable"
    found = [i for i in frame.tpcheck.issues if i.file == str(slow)]
    assert [(i.code, "не закончился" in i.message) for i in found] == [("file-unreadable", True)]


def test_a_sheet_too_big_for_the_cell_bound_is_refused(tmp_path, good):
    wide = write_book(tmp_path / "широкий.xlsx", [[*valid(1), *(["x"] * 40)]])
    frame = _read_with(good, wide, workers=0, limits=Limits(max_cells=100, max_sparse_cells=50))
    found = _only_issue(frame, wide)
    assert found.code == "file-too-large" and "A1:BE3" in found.message


def test_every_column_key_is_checked(tmp_path):
    # the helpers lay out every key of the spec; a failure here means the spec changed
    assert len(KEYS) == len(HEADERS) == len(valid(1))
