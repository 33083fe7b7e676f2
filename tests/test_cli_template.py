"""The `tpcheck template` command, in process and as `python -m tpcheck`."""

from __future__ import annotations

import os
import subprocess
import sys

import openpyxl
import pytest

from tpcheck.cli import main

from .conftest import ROOT


def test_template_in_process(tmp_path, capsys):
    target = tmp_path / "шаблон.xlsx"
    assert main(["template", "-o", str(target)]) == 0
    assert capsys.readouterr().out == f"Шаблон записан: {target}\n"
    assert openpyxl.load_workbook(target).sheetnames[0] == "Перечень"


def test_template_in_english(tmp_path, capsys):
    target = tmp_path / "t.xlsx"
    assert main(["template", "-o", str(target), "--lang", "en"]) == 0
    assert capsys.readouterr().out == f"Template written: {target}\n"


def test_broken_classifiers_exit_2_with_the_entry_named(tmp_path, capsys):
    override = tmp_path / "bad.toml"
    override.write_text('[[need]]\ncode = "1"\nlable = "x"\n', encoding="utf-8")
    assert main(["template", "-o", str(tmp_path / "t.xlsx"), "--classifiers", str(override)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Ошибка: ")
    assert "[[need]] № 1 (code = '1'): неизвестный ключ «lable»" in err
    assert not (tmp_path / "t.xlsx").exists()


def test_unwritable_output_exit_2(tmp_path, capsys):
    assert main(["template", "-o", str(tmp_path / "no" / "such" / "t.xlsx")]) == 2
    assert "Папки для результата нет" in capsys.readouterr().err


def test_bad_arguments_exit_2(capsys):
    try:
        main(["template", "--lang", "fr"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "Ошибка:" in capsys.readouterr().err


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "template" in capsys.readouterr().out


def test_python_m_tpcheck(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "tpcheck", "template", "-o", str(tmp_path / "t.xlsx")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Шаблон записан:")
    assert (tmp_path / "t.xlsx").stat().st_size > 10_000


def test_output_folder_gets_the_default_name(tmp_path, capsys):
    folder = tmp_path / "шаблоны"
    folder.mkdir()
    assert main(["template", "-o", str(folder)]) == 0
    assert (folder / "perechen_template.xlsx").is_file()
    assert main(["template", "--registry", "-o", f"{folder}/"]) == 0
    assert (folder / "reestr_template.xlsx").is_file()
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == f"Шаблон записан: {folder / 'reestr_template.xlsx'}"


def test_trailing_slash_is_a_folder_even_when_it_does_not_exist(tmp_path, capsys):
    assert main(["template", "-o", f"{tmp_path}/novaya/"]) == 2
    err = capsys.readouterr().err
    assert err == f"Ошибка: Папки для результата нет: {tmp_path / 'novaya'}\n"
    assert not (tmp_path / "novaya").exists()


@pytest.mark.parametrize("name", ["t.ods", "t.txt", "t"])
def test_output_that_is_not_xlsx_is_refused(tmp_path, capsys, name):
    target = tmp_path / name
    assert main(["template", "-o", str(target)]) == 2
    assert capsys.readouterr().err == (
        f"Ошибка: «{target}» — шаблон записывается книгой Excel; укажите имя с расширением "
        f".xlsx (например, {target}.xlsx) или папку\n"
    )
    assert list(tmp_path.iterdir()) == []
