"""``tpcheck.merge`` / ``tpcheck.check`` and the commands ``tpcheck merge`` / ``tpcheck check``,
with the real reader and validator on small workbooks whose findings are planted (the rows are of
a touchpoint type without requirements of п. 4.2, so that nothing else is found).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

import tpcheck
from tpcheck import pipeline
from tpcheck.classifiers import default_classifiers
from tpcheck.cli import main
from tpcheck.output.config import output_spec
from tpcheck.validation import validate as real_validate
from tpcheck.write import consolidated_layout

from .conftest import ROOT
from .frames import flatten
from .frames import valid_row as _valid_row

ERROR_FILL = "FF" + output_spec().colors["error_fill"].lstrip("#").upper()
BAD_CHANNEL = "онлайн-оффлайн"


def valid_row(**overrides) -> dict:
    """A valid row of a touchpoint type without requirements of п. 4.2 (a portal) of a digital
    service (п. 2.4: no offline alternative is expected of it, п. 3.8 4)), so that the real
    validator finds exactly what a test plants."""
    row = {
        "activity_kind": "сервис",
        "touchpoint": "Портал государственных услуг",
        "touchpoint_type": "портал государственных услуг (ЕПГУ, РПГУ), платформа обратной связи",
        "location": "https://www.gosuslugi.ru",
    }
    return _valid_row(**{**row, **overrides})


def write_input(path: Path, rows: list[dict]) -> Path:
    """A workbook laid out as the template: headers in row 1, the example in row 2, data below."""
    columns = default_classifiers().columns
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = book.add_worksheet(default_classifiers().sheets.data)
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column.template_header)
        sheet.write_string(1, col, column.example)
        for offset, row in enumerate(rows, start=2):
            value = row.get(column.key)
            if value:
                sheet.write_string(offset, col, str(value))
    book.close()
    return path


@pytest.fixture
def inbox(tmp_path) -> Path:
    folder = tmp_path / "vhod"
    write_input(
        folder / "otdel_1.xlsx",
        [
            valid_row(),
            valid_row(number="2", touchpoint="Платформа обратной связи", channel=BAD_CHANNEL),
        ],
    )
    write_input(
        folder / "uchrezhdenie.xlsx",
        [
            valid_row(
                touchpoint="Портал услуг учреждения",
                subdivision="ГКУ «Центр ГО и ЧС»",
                operator="подведомственное учреждение",
            )
        ],
    )
    (folder / "slomannyj.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (folder / "~$otdel_1.xlsx").write_bytes(b"lock")
    return folder


@pytest.fixture
def roster(tmp_path) -> Path:
    path = tmp_path / "roster.txt"
    path.write_text(
        "Отдел информационной политики\nГКУ «Центр ГО и ЧС»\nОтдел кадров\n", encoding="utf-8"
    )
    return path


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# ------------------------------------------------------------------------------ library


def test_merge_reads_validates_and_writes(inbox, roster, tmp_path, monkeypatch):
    before = _hashes(inbox)
    calls = []

    def validate(frame, **options):
        calls.append(options)
        return real_validate(frame, **options)

    monkeypatch.setattr(pipeline, "validate", validate)  # the one input step
    seen = []
    result = tpcheck.merge(
        [inbox], roster=roster, progress=lambda done, total, path: seen.append((done, total))
    )
    assert isinstance(result, tpcheck.Result)
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert calls == [{"lang": "ru", "roster": roster, "registry": None}]
    assert len(result.frame) == 3 and not result.valid
    assert sorted(result.report.summary["by_code"]) == [
        "file-unreadable",
        "roster-no-submission",
        "value-not-in-list",
    ]
    assert result.report.summary["missing_subdivisions"] == ["Отдел кадров"]
    out = tmp_path / "out"
    written = result.write(out)
    assert [p.relative_to(out).as_posix() for p in written] == [
        "perechen_svodny.xlsx",
        "oshibki.xlsx",
        "oshibki.csv",
        "oshibki.html",
        "report.json",
        "vozvrat/otdel_1_zamechaniya.xlsx",
        "vozvrat/slomannyj_zamechaniya.xlsx",
        "vozvrat/uchrezhdenie_zamechaniya.xlsx",
    ]
    assert _hashes(inbox) == before


def test_merge_of_a_missing_path_says_so(tmp_path):
    with pytest.raises(tpcheck.InputError, match="Файл или папка не найдены"):
        tpcheck.merge([tmp_path / "x.xlsx"])


def test_check_returns_a_result_of_kind_check(inbox, tmp_path, monkeypatch):
    result = tpcheck.check(inbox / "otdel_1.xlsx", lang="en")
    assert result.kind == "check" and result.lang == "en"
    assert flatten(result.report, ["row", "field", "code"]) == [[4, "channel", "value-not-in-list"]]
    written = result.write(tmp_path / "chk")
    assert [p.name for p in written][-1] == "otdel_1_zamechaniya.xlsx"


# ------------------------------------------------------------------------------ CLI in process


def test_cli_merge_reports_errors_with_exit_code_1(inbox, roster, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    code = main(["merge", str(inbox), "-o", str(out), "--roster", str(roster)])
    captured = capsys.readouterr()
    assert code == 1
    lines = captured.out.splitlines()
    assert lines[-6:] == [
        f"Результаты записаны в папку {out} (файлов: 8).",
        f"Сводный перечень: {out / 'perechen_svodny.xlsx'}",
        f"Файлы с замечаниями для подразделений: {out / 'vozvrat'}",
        f"Замечания: {out / 'oshibki.html'}",
        "Не прислали сведения (по списку подразделений): «Отдел кадров».",
        "Найдены ошибки: 2 (строк с ошибками: 1); предупреждений: 1.",
    ]
    assert lines[0].strip() == "Итоги"
    table_end = next(i for i, line in enumerate(lines) if line.startswith("└"))
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines[2:table_end]]
    assert rows == [
        ["Файлов", "4"],
        ["прочитано", "2"],
        ["не прочитано", "1"],
        ["пропущено", "1"],
        ["Строк", "3"],
        ["Ошибок", "2"],
        ["Предупреждений", "1"],
    ]
    listed = lines[table_end + 1 : -6]  # the files not read, each with its reason
    assert listed[0] == "Не прочитаны или пропущены файлы (2):"
    assert [line.split("/")[-1] for line in listed[1:]] == [
        "slomannyj.xlsx — не прочитан: Файл не удалось прочитать: архив поврежден или обрезан "
        "(это не zip-архив). Его строки не вошли в сводный Перечень.",
        "~$otdel_1.xlsx — пропущен: файл блокировки Excel или LibreOffice "
        "(появляется, пока книга открыта)",
    ]
    assert captured.err == ""  # no progress bar when stderr is not a terminal


def test_cli_check_clean_file_exits_0(tmp_path, monkeypatch, capsys):
    source = write_input(tmp_path / "moi.xlsx", [valid_row()])
    code = main(["check", str(source), "-o", str(tmp_path / "res")])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[-2:] == [
        f"Замечания: {tmp_path / 'res' / 'oshibki.html'}",
        "Ошибок нет; предупреждений: 0.",
    ]
    assert f"Файл с замечаниями: {tmp_path / 'res' / 'moi_zamechaniya.xlsx'}" in out
    row = next(line for line in out if "прочитан" in line)  # a long path may wrap in its cell
    assert [cell.strip() for cell in row.split("│")[2:-1]] == ["прочитан", "1", "0", "0"]


def test_cli_check_default_folder_and_english(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write_input(tmp_path / "f.xlsx", [valid_row(channel=BAD_CHANNEL)])
    code = main(["check", "f.xlsx", "--lang", "en"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[-1] == "Errors found: 1 (rows with errors: 1); warnings: 0."
    assert (tmp_path / "tpcheck-check" / "f_zamechaniya.xlsx").exists()
    assert (tmp_path / "tpcheck-check" / "report.json").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["merge", "nope.xlsx", "-o", "out"], "Ошибка: нет такого файла или папки: nope.xlsx"),
        (["merge", "vhod", "-o", "file.txt"], "Ошибка: «file.txt» — это файл, а нужна папка"),
        (["check", "nope.xlsx", "--lang", "en"], "Error: no such file or folder: nope.xlsx"),
    ],
)
def test_cli_bad_usage_exits_2(argv, message, inbox, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(inbox.parent)
    (inbox.parent / "file.txt").write_text("x", encoding="utf-8")
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_cli_missing_output_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["merge", "vhod"])
    assert stopped.value.code == 2
    assert "Ошибка: не указаны обязательные аргументы: -o/--output" in capsys.readouterr().err


def test_cli_nothing_readable_exits_2_but_explains(tmp_path, monkeypatch, capsys):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "a.xlsx").write_bytes(b"garbage")
    out = tmp_path / "out"
    assert main(["merge", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == (
        "Ошибка: ни один входной файл не удалось прочитать (не прочитано: 1); причины — в "
        f"{out / 'oshibki.html'}\n"
    )
    assert (out / "vozvrat" / "a_zamechaniya.xlsx").exists()


def test_cli_empty_folder_exits_2(tmp_path, monkeypatch, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["merge", str(tmp_path / "empty"), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == ("Ошибка: во входных данных не найдено ни одного файла\n")


def test_cli_refuses_to_overwrite_an_input(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    source = write_input(out / "report.json", [valid_row()])
    before = source.read_bytes()
    assert main(["check", str(source), "-o", str(out)]) == 2
    assert "это один из входных файлов" in capsys.readouterr().err
    assert source.read_bytes() == before


# ------------------------------------------------------------------------------ the real stages


def _bad_cell(result: tpcheck.Result, folder: Path) -> openpyxl.cell.Cell:
    frame = result.frame
    position = frame.index.get_loc(frame.index[frame["channel_raw"] == BAD_CHANNEL][0])
    layout = consolidated_layout(result.frame.tpcheck.classifiers, [])
    col = next(i for i, c in enumerate(layout) if c.key == "channel")
    sheet = openpyxl.load_workbook(folder / "perechen_svodny.xlsx")["Перечень"]
    return sheet.cell(position + 2, col + 1)


def test_real_merge_end_to_end(inbox, tmp_path):
    before = _hashes(inbox)
    result = tpcheck.merge([inbox])
    out = tmp_path / "out"
    result.write(out)
    cell = _bad_cell(result, out)
    assert cell.value == BAD_CHANNEL
    assert cell.fill.fgColor.rgb == ERROR_FILL
    assert BAD_CHANNEL in cell.comment.text
    import json

    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data == result.report.to_dict()
    assert {f["status"] for f in data["files"]} >= {"ok", "unreadable"}
    assert _hashes(inbox) == before


def test_real_cli_check(inbox, tmp_path, capsys):
    code = main(["check", str(inbox / "otdel_1.xlsx"), "-o", str(tmp_path / "res")])
    assert code == 1
    assert capsys.readouterr().out.splitlines()[-1].startswith("Найдены ошибки: ")
    assert (tmp_path / "res" / "otdel_1_zamechaniya.xlsx").exists()


def test_python_m_tpcheck_merge_subprocess(inbox, tmp_path):
    before = _hashes(inbox)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "tpcheck", "merge", str(inbox), "-o", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stderr
    assert f"Сводный перечень: {out / 'perechen_svodny.xlsx'}" in done.stdout
    assert done.stderr == ""
    for name in ("perechen_svodny.xlsx", "oshibki.xlsx", "oshibki.csv", "oshibki.html"):
        assert (out / name).stat().st_size > 0
    assert _hashes(inbox) == before
