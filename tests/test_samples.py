"""The samples (samples/README.md): merge finds exactly the planted problems and nothing else, and
the committed files are what samples/make_samples.py makes now."""

from __future__ import annotations

import hashlib
import json
import runpy
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

import tpcheck
from tpcheck.cells import parse_a1
from tpcheck.findings import issue_types

from .conftest import ROOT
from .xlsx_parts import assert_same_workbook

SAMPLES = ROOT / "samples"
DATA, REQUIREMENTS = "Перечень", "Требования п. 4.2"
WORKBOOKS = {  # file → data rows in it
    "orgkadry.xlsx": 9,
    "nadzor.xls": 7,
    "agentstvo_112.xlsx": 7,
    "umc_go_chs.ods": 6,
    "infopolitika.xlsx": 6,
    "pozharnaya_bezopasnost.xlsx": 7,
    "zashchita_naseleniya.xlsx": 5,
}
SILENT = "ГКУ «Поисково-спасательная служба Кузбасса»"
SILENT_PROCESS = "Поиск и спасание людей на водных объектах"

# Every planted problem: (file, cell — on «Перечень» unless «sheet!cell», issue code).
PLANTED = [
    ("agentstvo_112.xlsx", "F4", "requirements-missing"),
    ("agentstvo_112.xlsx", "I9", "location-mismatch"),
    ("agentstvo_112.xlsx", "K10", "required-missing"),
    ("agentstvo_112.xlsx", f"{REQUIREMENTS}!C12", "requirement-over-limit"),
    ("infopolitika.xlsx", "P5", "column-unknown"),
    ("infopolitika.xlsx", "H6", "channel-mismatch"),
    ("infopolitika.xlsx", f"{REQUIREMENTS}!C16", "requirement-over-target"),
    ("pozharnaya_bezopasnost.xlsx", "F4", "duplicate-touchpoint"),
    ("pozharnaya_bezopasnost.xlsx", "M5", "basis-without-requisites"),
    ("pozharnaya_bezopasnost.xlsx", "J6", "value-not-in-list"),
    ("pozharnaya_bezopasnost.xlsx", "J7", "other-need-without-note"),
]
# Not planted but true of the samples as a Department would send them: services whose
# touchpoints (in every file) are all offline or all digital (п. 3.8 2), 4)).
PRINCIPLES = [
    ("agentstvo_112.xlsx", "C7", "no-digital-touchpoint"),  # «112» and its voice assistant
    ("infopolitika.xlsx", "C6", "no-offline-alternative"),  # site, Telegram, VK, OK
    ("umc_go_chs.ods", "C6", "no-digital-touchpoint"),  # lessons at schools only
    ("zashchita_naseleniya.xlsx", "C5", "no-offline-alternative"),  # ЕДДС: video and exchange
]
# What --roster samples/roster.txt and --registry samples/registry.csv add.
ROSTER_AND_REGISTRY = [
    (None, None, "roster-no-submission"),
    (None, "registry!B18", "registry-activity-missing"),  # at the registry's row (issue 9)
]

# A finding about a whole row is compared by its row: which cell of the row shows it is the
# validation stage's choice. The same holds for the two checks that involve two cells (needs and
# note; basis kind and requisites).
BY_ROW = {code for code, kind in issue_types().items() if kind.scope == "row"} | {
    "other-need-without-note",
    "basis-without-requisites",
}


def _where(code: str, sheet: str | None, cell: str | None, row: int | None) -> str | None:
    if issue_types()[code].scope == "file" or (cell is None and row is None):
        return None
    prefix = "" if sheet in (None, DATA) else f"{sheet}!"
    if code in BY_ROW:
        return f"{prefix}row {row if row is not None else parse_a1(cell)[0]}"
    return f"{prefix}{cell}"


def _expected(table: list[tuple[str | None, str | None, str]]) -> list[tuple]:
    rows = []
    for file, address, code in table:
        sheet, cell = address.rsplit("!", 1) if address and "!" in address else (DATA, address)
        rows.append((file, _where(code, sheet, cell, None), code))
    return sorted(rows, key=repr)


def _found(report) -> list[tuple]:
    rows = []
    for found in report.problems:
        name = Path(found.file).name if found.file else None
        file = name if name in WORKBOOKS else None
        rows.append((file, _where(found.code, found.sheet, found.cell, found.row), found.code))
    return sorted(rows, key=repr)


def _digests() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SAMPLES.iterdir()}


@pytest.fixture(scope="module")
def generator() -> dict:
    return runpy.run_path(str(SAMPLES / "make_samples.py"), run_name="make_samples")


@pytest.fixture(scope="module")
def merge():
    merge = getattr(tpcheck, "merge", None)
    if merge is None:
        pytest.skip("tpcheck.merge is not there yet (issue 5)")
    return merge


@pytest.fixture(scope="module")
def merged(merge):
    return merge([SAMPLES])


@pytest.fixture(scope="module")
def merged_with_lists(merge):
    return merge([SAMPLES], roster=SAMPLES / "roster.txt", registry=SAMPLES / "registry.csv")


# ------------------------------------------------------------------ the samples themselves


def test_planted_problems_are_where_the_generator_puts_them(generator):
    marks = generator["planted"]()
    made = sorted(
        (m.file, m.cell if m.sheet == DATA else f"{m.sheet}!{m.cell}", m.code) for m in marks
    )
    assert made == sorted(PLANTED)


def test_readme_lists_every_planted_problem():
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    lines = [line for line in readme.splitlines() if line.startswith("|")]
    for file, address, code in PLANTED + PRINCIPLES + ROSTER_AND_REGISTRY:
        cell = address.rsplit("!", 1)[-1] if address else None
        wanted = [f"`{code}`", *(f"`{x}`" for x in (file, cell) if x)]
        assert any(all(part in line for part in wanted) for line in lines), (file, cell, code)


def _values(path: Path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in (DATA, REQUIREMENTS)}


def test_committed_samples_are_what_the_generator_makes(generator, tmp_path):
    generator["build"](tmp_path, convert=False)
    for name in WORKBOOKS:
        committed = SAMPLES / name
        if committed.suffix == ".xlsx":
            assert_same_workbook(tmp_path / name, committed)
        else:  # saved by LibreOffice: the same cells as the .xlsx it was converted from
            assert _values(committed) == _values(tmp_path / f"{committed.stem}.xlsx"), name
    for name in ("roster.txt", "registry.csv"):
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), name


def test_the_samples_are_what_their_names_say():
    assert (SAMPLES / "umc_go_chs.ods").read_bytes()[30:80].startswith(b"mimetype")
    assert (SAMPLES / "nadzor.xls").read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")
    roster = (SAMPLES / "roster.txt").read_text(encoding="utf-8").splitlines()
    assert len(roster) == len(WORKBOOKS) + 1 and roster[-1] == SILENT


# ------------------------------------------------------------------ merge on the samples


def test_merge_finds_exactly_the_planted_problems(merged):
    assert _found(merged.report) == _expected(PLANTED + PRINCIPLES)


def test_roster_and_registry_add_exactly_the_silent_institution(merged_with_lists):
    report = merged_with_lists.report
    assert _found(report) == _expected(PLANTED + PRINCIPLES + ROSTER_AND_REGISTRY)
    by_code = {found.code: found for found in report.records}
    assert SILENT in by_code["roster-no-submission"].message
    assert SILENT_PROCESS in by_code["registry-activity-missing"].message


def test_every_row_of_every_sample_is_merged(merged):
    files = {Path(info.path).name: info for info in merged.report.files}
    assert {name: (files[name].status, files[name].rows) for name in WORKBOOKS} == {
        name: ("ok", rows) for name, rows in WORKBOOKS.items()
    }
    assert all(info.status != "unreadable" for info in merged.report.files)
    frame = merged.frame
    assert len(frame) == sum(WORKBOOKS.values())
    group_rows = frame[frame["source_file"].map(lambda p: Path(p).name) == "agentstvo_112.xlsx"]
    assert (
        group_rows.sort_values("source_row")["direction"].tolist()
        == ["обеспечение доступа к информации о деятельности исполнительного органа области"] * 3
        + ["иные функции, услуги, сервисы"] * 4
    )


def test_findings_tell_the_clerk_what_to_do(merged):
    by_code = {found.code: found for found in merged.report.records}
    assert "«получение консультации»" in (by_code["value-not-in-list"].suggestion or "")
    assert by_code["value-not-in-list"].severity == "error"
    duplicate = by_code["duplicate-touchpoint"]
    assert "Подача заявления на Госуслугах" in duplicate.message and "строке 3" in duplicate.message
    assert by_code["channel-mismatch"].value == "оффлайн"


def test_merge_writes_its_outputs_and_leaves_the_samples_alone(merged, tmp_path):
    before = _digests()
    merged.write(tmp_path / "out")
    assert _digests() == before
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    problems = [i for i in report["issues"] if i["severity"] != "notice"]
    assert len(problems) == len(PLANTED + PRINCIPLES)
    assert len(report["issues"]) - len(problems) == report["summary"]["notices"] > 0
