"""The register's database: migrations, append-only records, two runs at once, refusals."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys

import pytest

import tpcheck
from tpcheck.cli import main
from tpcheck.register import schema
from tpcheck.register.properties import reported_by

from .conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "register_v1"
ACT = "приказ Департамента от 15.12.2025 № 200"


def tables(path) -> dict[str, list[str]]:
    with sqlite3.connect(path) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: [c[1] for c in db.execute(f"PRAGMA table_info({n})")] for n in sorted(names)}


def test_a_register_of_schema_1_is_migrated_when_opened(tmp_path):
    copy = tmp_path / "reestr"
    shutil.copytree(FIXTURE, copy)
    assert schema.schema_version(sqlite3.connect(copy / schema.DATABASE)) == 1
    assert "reported_by" not in tables(copy / schema.DATABASE)["submissions"]
    register = tpcheck.Register(copy)
    assert schema.schema_version(register.db) == schema.LATEST == 2
    assert "reported_by" in tables(copy / schema.DATABASE)["submissions"]
    # every record kept, the stored workbook still matches its sha256
    versions = register.versions()
    assert versions[["number", "act", "approved_on", "rows"]].values.tolist() == [
        [1, ACT, "2025-12-15", 5]
    ]
    assert register.verify() == []
    log = register.intake_log()
    assert log[["subdivision", "received_on", "changes", "reported_by"]].values.tolist() == [
        ["Отдел защиты населения и территорий", "2026-02-02", 1, None]
    ]
    status = register.status(today="2026-02-20")
    assert [(r["ground"], r["deadline"], r["late"]) for r in status.subdivisions] == [
        ("изменение вида точки взаимодействия (п. 5.3 2))", "16.02.2026", True)
    ]
    # the migration's guard: records are never changed or deleted
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        register.db.execute("UPDATE versions SET act = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        register.db.execute("DELETE FROM submissions")
    register.close()
    # opening again applies nothing more
    with sqlite3.connect(copy / schema.DATABASE) as db:
        assert [r[0] for r in db.execute("SELECT version FROM schema_version")] == [1, 2]
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_register_of_a_newer_tpcheck_is_refused(tmp_path):
    tpcheck.Register(tmp_path).close()
    with sqlite3.connect(tmp_path / schema.DATABASE) as db:
        db.execute("INSERT INTO schema_version VALUES (99, 'future', '2030-01-01')")
    with pytest.raises(tpcheck.RegisterError, match=r"более новой версией tpcheck \(схема 99\)"):
        tpcheck.Register(tmp_path)


def test_a_file_is_not_a_register(tmp_path, capsys):
    (tmp_path / "reestr").write_text("x")
    assert main(["status", "--register", str(tmp_path / "reestr"), "-o", str(tmp_path)]) == 2
    assert "это файл, а реестр версий — папка" in capsys.readouterr().err


def test_two_merges_at_once_are_both_recorded(tmp_path):
    register = tmp_path / "reestr"
    files = ["orgkadry.xlsx", "zashchita_naseleniya.xlsx"]
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tpcheck",
                "merge",
                str(ROOT / "samples" / name),
                "-o",
                str(tmp_path / f"out{i}"),
                "--register",
                str(register),
                "--received-on",
                "2026-01-1" + str(i),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, name in enumerate(files)
    ]
    results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    log = tpcheck.Register(register).intake_log()
    assert sorted(log["file_name"]) == files
    with sqlite3.connect(register / schema.DATABASE) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [r[0] for r in db.execute("SELECT version FROM schema_version")] == [1, 2]


def test_approve_refuses_a_workbook_with_rows_that_cannot_be_published(tmp_path, capsys):
    source = ROOT / "samples" / "pozharnaya_bezopasnost.xlsx"
    register = str(tmp_path / "reestr")
    argv = ["approve", str(source), "--act", ACT, "--date", "2025-12-15", "--register", register]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "не утвержден: строк, которые нельзя разместить на сайте из-за ошибок, — 4" in err
    assert "--force --reason" in err
    assert tpcheck.Register(register).versions().empty
    assert main([*argv, "--force"]) == 2
    assert "С --force нужна причина" in capsys.readouterr().err
    assert main([*argv, "--force", "--reason", "исправят в январе"]) == 0
    out = capsys.readouterr().out
    assert "Утверждена версия 1" in out and "причина записана: исправят в январе" in out
    record = tpcheck.Register(register).versions().iloc[0]
    assert (record["forced"], record["force_reason"], record["rows_held_back"]) == (
        1,
        "исправят в январе",
        4,
    )


def test_the_register_needs_a_version_before_publishing(tmp_path, capsys):
    argv = ["publish", "--register", str(tmp_path / "r"), "-o", str(tmp_path / "o")]
    assert main(argv) == 2
    assert "еще нет утвержденных версий" in capsys.readouterr().err
    assert main(["publish", str(ROOT / "samples"), "--version", "1", "-o", str(tmp_path)]) == 2
    assert "--version указывается вместе с --register" in capsys.readouterr().err
    assert main(["diff", "old", "new", "--register", str(tmp_path / "r")]) == 2
    assert "укажите номера версий" in capsys.readouterr().err


def test_who_reported_comes_from_the_file_properties(tmp_path):
    import openpyxl

    path = tmp_path / "otdel.xlsx"
    book = openpyxl.Workbook()
    book.properties.lastModifiedBy = "Иванова А. П."
    book.save(path)
    assert reported_by(path) == "Иванова А. П."
    book.properties.lastModifiedBy = "openpyxl"
    book.properties.creator = "Петров И. И."
    book.save(path)
    assert reported_by(path) == "Петров И. И."
    book.properties.creator = "openpyxl"
    book.save(path)
    assert reported_by(path) is None
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    assert reported_by(tmp_path / "broken.xlsx") is None
    assert reported_by(ROOT / "samples" / "nadzor.xls") is None


def test_the_status_in_english(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "reestr")
    status = tpcheck.Register(tmp_path / "reestr", lang="en").status(today="2026-02-03")
    assert status.title == "Register of versions of the Перечень: status on 03.02.2026"
    assert status.headers(("reported_on", "deadline", "overdue")) == [
        "Reported on (п. 5.4)",
        "Publish by (п. 5.5)",
        "Overdue",
    ]
    assert [(r["change"], r["deadline"], r["late"]) for r in status.subdivisions] == [
        ("changed", "16.02.2026", False)
    ]
    assert [v["in_time"] for v in status.versions] == ["no deadline"]
