"""The register's story on the samples, shared by the tests of tpcheck.register: v1 approved, two
subdivisions report changes on known dates (one across the New Year holidays), v2 approved."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import openpyxl

from tpcheck.cli import main

from .conftest import ROOT

ACT_1 = "приказ Департамента от 15.12.2025 № 200"
ACT_2 = "приказ Департамента от 06.02.2026 № 21"
ORGKADRY = "Отдел организационной и кадровой работы"
ZASHCHITA = "Отдел защиты населения и территорий"
#: orgkadry.xlsx reports on 26.12.2025 (given with --received-on); the 10 working days run
#: across the New Year holidays of 2026
ORGKADRY_ON = dt.date(2025, 12, 26)
#: zashchita_naseleniya.xlsx is dated 02.02.2026 (the file's own date)
ZASHCHITA_ON = dt.date(2026, 2, 2)
NEW_NEED = "получение информации о ходе рассмотрения заявления, обращения, запроса, документов"
ONE_WINDOW = "место приема в режиме одного окна (МФЦ «Мои документы», центр занятости и др.)"


def edit(path: Path, changes: dict[str, str], when: dt.date | None = None) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book["Перечень"]
    for cell, value in changes.items():
        sheet[cell] = value
    book.save(path)
    if when is not None:
        stamp = dt.datetime.combine(when, dt.time(12)).timestamp()
        os.utime(path, (stamp, stamp))


def run(*argv: str) -> int:
    return main([str(a) for a in argv])


def story(tmp: Path, *, until: str = "v2") -> dict[str, Path]:
    """Play the story in *tmp* up to *until* («reported» or «v2»); returns the paths."""
    inbox, register = tmp / "vhod", tmp / "reestr"
    shutil.copytree(ROOT / "samples", inbox)
    paths = {"inbox": inbox, "register": register}
    for number in (1, 2, 3):
        paths[f"svod{number}"] = tmp / f"svod{number}" / "perechen_svodny.xlsx"
    assert run("merge", inbox, "-o", tmp / "svod1") == 1
    assert (
        run("approve", paths["svod1"], "--act", ACT_1, "--date", "2025-12-15", "--register",
            register, "--force", "--reason", "строки с ошибками подразделения исправят")
        == 0
    )  # fmt: skip
    # orgkadry: one more need of the letters (п. 5.3 3)) and new requisites of a basis (internal)
    edit(inbox / "orgkadry.xlsx", {"J3": "представление заявления, обращения, "
         f"запроса, документов; {NEW_NEED}; получение результата, ответа, разъяснения",
         "M4": "Федеральный закон от 02.05.2006 № 59-ФЗ (ред. от 28.12.2024)"})  # fmt: skip
    assert (
        run("merge", inbox, "-o", tmp / "svod2", "--register", register,
            "--received-on", ORGKADRY_ON.isoformat())
        == 1
    )  # fmt: skip
    # zashchita: the consultations move to a one-window place (п. 5.3 2)), dated by the file
    edit(inbox / "zashchita_naseleniya.xlsx", {"G4": ONE_WINDOW}, when=ZASHCHITA_ON)
    assert run("merge", inbox, "-o", tmp / "svod3", "--register", register) == 1
    if until == "reported":
        return paths
    assert (
        run("approve", paths["svod3"], "--act", ACT_2, "--date", "2026-02-06", "--register",
            register, "--force", "--reason", "те же строки с ошибками")
        == 0
    )  # fmt: skip
    return paths
