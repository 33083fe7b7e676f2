"""The register of versions (issue 17): the story on the samples, from v1 to v2 and publication."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat

import openpyxl
import pytest

import tpcheck
from tpcheck.diff.workdays import publication_deadline

from .register_story import (
    ACT_1,
    ACT_2,
    NEW_NEED,
    ONE_WINDOW,
    ORGKADRY,
    ORGKADRY_ON,
    ZASHCHITA,
    ZASHCHITA_ON,
    run,
    story,
)

TODAY = dt.date(2026, 2, 5)


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    return story(tmp_path_factory.mktemp("reported"), until="reported")


@pytest.fixture(scope="module")
def approved(tmp_path_factory):
    return story(tmp_path_factory.mktemp("approved"))


def test_the_deadlines_of_the_story():
    # 26.12.2025 + 10 working days: the days off 31.12.2025–11.01.2026 are skipped
    assert publication_deadline(ORGKADRY_ON, 10).date == dt.date(2026, 1, 21)
    assert publication_deadline(ZASHCHITA_ON, 10).date == dt.date(2026, 2, 16)


def test_status_shows_both_reports_with_grounds_and_deadlines(reported, tmp_path, capsys):
    capsys.readouterr()
    code = run("status", "--register", reported["register"], "--today", TODAY, "-o", tmp_path)
    assert code == 1  # one change is overdue
    out = capsys.readouterr().out
    assert "Изменений ожидают утверждения: 3, из них просрочено: 1." in out
    status = tpcheck.Register(reported["register"]).status(today=TODAY)
    pending = [
        (r["subdivision"], r["change"], r["fields"], r["ground"], r["reported_on"],
         r["deadline"], r["late"])
        for r in status.subdivisions
        if r["_pending"]
    ]  # fmt: skip
    assert pending == [
        (
            ZASHCHITA, "изменена", "Тип точки",
            "изменение вида точки взаимодействия (п. 5.3 2))", "02.02.2026", "16.02.2026", False,
        ),
        (
            ORGKADRY, "изменена", "Удовлетворяемые потребности клиента",
            "изменение удовлетворяемых потребностей клиента (п. 5.3 3))", "26.12.2025",
            "21.01.2026", True,
        ),
        (
            ORGKADRY, "изменена", "Реквизиты основания",
            "редакционное (на сайте не отражается, срока нет)", "26.12.2025", "", False,
        ),
    ]  # fmt: skip
    others = {r["subdivision"]: r["change"] for r in status.subdivisions if not r["_pending"]}
    assert len(others) == 5 and set(others.values()) == {"изменений нет"}
    assert {r["subdivision"]: r["last_report"] for r in status.subdivisions}[ZASHCHITA] == (
        "02.02.2026"
    )
    # who reported: the file's own properties (the .xls says nothing)
    by = {r["file"]: r["reported_by"] for r in status.subdivisions}
    assert (by["orgkadry.xlsx"], by["nadzor.xls"]) == ("Смирнова О. В.", "")
    page = (tmp_path / "status.html").read_text(encoding="utf-8")
    assert page.count('class="overdue"') == 1 and "21.01.2026" in page
    assert "<table>" in status._repr_html_()


def test_the_intake_log_records_each_file_once(reported):
    log = tpcheck.Register(reported["register"]).intake_log()
    # seven files on 26.12.2025; of the second merge only the changed file is new
    assert len(log) == 8
    assert log["received_on"].tolist() == ["2025-12-26"] * 7 + ["2026-02-02"]
    assert log["date_source"].tolist() == ["option"] * 7 + ["file"]
    last = log.iloc[-1]
    assert (last["subdivision"], last["file_name"], last["changes"]) == (
        ZASHCHITA,
        "zashchita_naseleniya.xlsx",
        1,
    )
    assert last["sha256"] == sha(reported["inbox"] / "zashchita_naseleniya.xlsx")
    assert set(log["against_version"]) == {1}


def test_v2_publication_and_diff(approved, tmp_path, capsys):
    register = approved["register"]
    capsys.readouterr()
    publish_dir = tmp_path / "sajt"
    code = run("publish", "--register", register, "-o", publish_dir, "--published-on",
               "2026-02-09")  # fmt: skip
    assert code == 0
    assert f"Версия 2 ({ACT_2}) размещается 09.02.2026" in capsys.readouterr().out
    page = (publish_dir / "perechen.html").read_text(encoding="utf-8")
    assert f"Утвержден: {ACT_2}. Версия 2." in page
    assert ONE_WINDOW in page

    versions = tpcheck.Register(register).versions()
    assert versions[
        ["number", "act", "approved_on", "deadline", "published_on"]
    ].values.tolist() == [
        [1, ACT_1, "2025-12-15", None, None],
        [2, ACT_2, "2026-02-06", "2026-01-21", "2026-02-09"],
    ]
    assert versions["force_reason"].tolist() == [
        "строки с ошибками подразделения исправят",
        "те же строки с ошибками",
    ]
    status = tpcheck.Register(register).status(today=dt.date(2026, 2, 10))
    assert [(v["version"], v["in_time"], v["late"]) for v in status.versions] == [
        (1, "срок не установлен", False),
        (2, "нет, размещена позже срока", True),
    ]
    assert not any(r["_pending"] for r in status.subdivisions)

    out = tmp_path / "izmeneniya"
    assert run("diff", "1", "2", "--register", register, "-o", out) == 0
    changes = json.loads((out / "changes.json").read_text(encoding="utf-8"))["changes"]
    assert [
        (c["touchpoint"], [f["field"] for f in c["fields"]], c["grounds"], c["reported_on"],
         c["publish_by"])
        for c in changes
    ] == [
        ("Консультации по разработке планов на личном приеме", ["touchpoint_type"], ["2"],
         "2026-02-02", "2026-02-16"),
        ("Письменное обращение (почтой или нарочно)", ["needs"], ["3"], "2025-12-26",
         "2026-01-21"),
        ("Электронная почта для обращений граждан", ["basis"], ["editorial"], "2025-12-26", None),
    ]  # fmt: skip
    assert NEW_NEED in changes[1]["fields"][0]["new"]
    sheet = openpyxl.load_workbook(out / "changes.xlsx")["Изменения"]
    table = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    assert table[0][-2:] == ["Дата сообщения (п. 5.4)", "Разместить не позднее (п. 5.5)"]
    assert [row[-2:] for row in table[1:]] == [
        ["02.02.2026", "16.02.2026"],
        ["26.12.2025", "21.01.2026"],
        ["26.12.2025", "—"],
    ]
    page = (out / "changes.html").read_text(encoding="utf-8")
    assert "сообщено 26.12.2025; разместить не позднее: 21.01.2026" in page


def test_the_register_keeps_byte_identical_read_only_copies(approved):
    register = tpcheck.Register(approved["register"])
    for number, source in ((1, approved["svod1"]), (2, approved["svod3"])):
        stored = register.workbook(number)
        assert stored.read_bytes() == source.read_bytes()
        assert not stored.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert register.verify() == []
    # the same workbook cannot be approved again, and a number is never reused
    with pytest.raises(tpcheck.RegisterError, match="уже утверждена как версия 2"):
        register.approve(approved["svod3"], act="x", date="2026-03-01", force=True, reason="r")
    # a copy replaced behind the register's back is caught by its sha256
    stored = register.workbook(1)
    os.chmod(stored, 0o644)
    stored.write_bytes(approved["svod3"].read_bytes())
    assert register.verify() == [1]
    with pytest.raises(tpcheck.RegisterError, match="Копия версии 1 в реестре изменена"):
        register.publication(1)


def test_the_status_workbook_matches_the_golden_file(reported, tmp_path):
    from .conftest import ROOT
    from .xlsx_parts import assert_same_workbook

    status = tpcheck.Register(reported["register"]).status(today=TODAY)
    paths = status.write(tmp_path)
    assert_same_workbook(paths["xlsx"], ROOT / "tests" / "golden" / "register" / "status.xlsx")
