"""tpcheck recognises its own outputs by the document property ``tpcheck-kind`` (issues 15, 16):
every workbook it writes names its kind; a folder skips the outputs that are not submissions and
is read from its consolidated workbook alone; the provenance columns are restored only from a
consolidated workbook tpcheck wrote, never from a column name."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

import tpcheck
from tpcheck.output.kind import KINDS, PROPERTY, kind_of, mark, saved_since_written
from tpcheck.reading import read

from . import publish_data as data
from .conftest import ROOT
from .test_publish_cli import write_workbook

SAMPLES = ROOT / "samples"


def codes(frame) -> list[tuple[str, str]]:
    return [(Path(i.file).name, i.code) for i in frame.tpcheck.issues if i.code.startswith("file-")]


# ------------------------------------------------------------------ the property itself


@pytest.fixture(scope="module")
def merged_samples(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("merged") / "out"
    result = tpcheck.merge(SAMPLES)
    result.write(out, fixed_copies=True)
    return out


def test_every_written_workbook_names_its_kind(merged_samples, tmp_path):
    publication = tpcheck.publish(SAMPLES)
    publication.write(tmp_path / "pub")
    changes = tpcheck.diff(SAMPLES, SAMPLES, changed_on=dt.date(2025, 1, 10))
    changes.write(tmp_path / "diff")
    tpcheck.make_template(tmp_path / "t.xlsx")
    tpcheck.make_registry_template(tmp_path / "r.xlsx")
    found = {
        path.relative_to(root).as_posix(): kind_of(path)
        for root in (merged_samples, tmp_path)
        for path in sorted(root.rglob("*.xlsx"))
    }
    assert None not in found.values(), found
    kinds = set(found.values())
    assert kinds >= KINDS - {"register-status"}  # status.xlsx: tests/test_register_story.py
    assert found["perechen_svodny.xlsx"] == "consolidated"
    assert found["pub/perechen.xlsx"] == "publication"
    assert found["pub/publication_report.xlsx"] == "publication-report"
    assert found["diff/changes.xlsx"] == "changes"
    assert found["t.xlsx"] == "template"
    assert found["r.xlsx"] == "registry-template"


def test_status_workbook_names_its_kind():
    golden = ROOT / "tests" / "golden" / "register" / "status.xlsx"
    assert kind_of(golden) == "register-status"


def test_kind_of_is_none_for_other_files(tmp_path):
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        text = f'<property name="{PROPERTY}"><vt:lpwstr>consolidated</vt:lpwstr></property>'
        archive.writestr("docProps/custom.xml", " " * 200_000 + text)  # beyond the bounded read
    assert [kind_of(p) for p in (plain, broken, bomb, SAMPLES / "umc_go_chs.ods")] == [None] * 4
    assert kind_of(SAMPLES / "nadzor.xls") is None
    with pytest.raises(ValueError):
        mark(openpyxl.Workbook(), "no-such-kind")


def test_a_return_copy_saved_by_a_clerk_is_a_submission_again(merged_samples, tmp_path):
    copy = next((merged_samples / "vozvrat").glob("*_zamechaniya.xlsx"))
    assert kind_of(copy) == "return-copy" and not saved_since_written(copy)
    book = openpyxl.load_workbook(copy)
    book.properties.lastModifiedBy = "Иванова А. А."  # as Excel records who saved it
    book.save(tmp_path / copy.name)
    assert saved_since_written(tmp_path / copy.name)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(tmp_path / copy.name, folder / "returned.xlsx")
    shutil.copy(copy, folder / "untouched.xlsx")
    frame = read(folder)
    status = {Path(f.path).name: f.status for f in frame.tpcheck.files}
    assert status == {"returned.xlsx": "ok", "untouched.xlsx": "skipped"}
    assert codes(frame) == [("untouched.xlsx", "file-own-output")]


# ------------------------------------------------------------------ folders


def test_a_folder_with_a_consolidated_workbook_is_read_from_it_alone(merged_samples):
    frame = read(merged_samples)
    ok = [Path(f.path).name for f in frame.tpcheck.files if f.status == "ok"]
    assert ok == ["perechen_svodny.xlsx"]
    tables = [f for f in frame.tpcheck.files if f.path.endswith((".xlsx", ".csv"))]
    skipped = [f for f in tables if f.status == "skipped"]
    assert len(skipped) == len(tables) - 1 > 0
    assert all("perechen_svodny.xlsx" in f.reason for f in skipped)
    notices = {code for name, code in codes(frame)}
    assert notices == {"file-beside-consolidated"}
    assert len(codes(frame)) == len(skipped)  # a notice naming each skipped file


def test_own_outputs_in_a_folder_are_skipped_with_a_notice(merged_samples, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    shutil.copy(merged_samples / "oshibki.xlsx", folder / "oshibki.xlsx")
    tpcheck.publish(SAMPLES).write(tmp_path / "pub")
    shutil.copy(tmp_path / "pub" / "perechen.xlsx", folder / "perechen.xlsx")
    frame = read(folder)
    assert codes(frame) == [
        ("oshibki.xlsx", "file-own-output"),
        ("perechen.xlsx", "file-own-output"),
    ]
    assert len(frame) == len(read(SAMPLES))
    # named by the user, an output is read all the same
    assert [f.status for f in read(folder / "perechen.xlsx").tpcheck.files] == ["ok"]


def test_merge_check_publish_of_an_output_folder_count_each_row_once(merged_samples):
    consolidated = merged_samples / "perechen_svodny.xlsx"
    assert len(tpcheck.merge(merged_samples).frame) == len(tpcheck.merge(SAMPLES).frame)
    assert len(tpcheck.check(merged_samples).frame) == len(read(consolidated))
    folder = tpcheck.publish(merged_samples)
    book = tpcheck.publish(consolidated)
    assert folder.summary == book.summary


def test_publish_and_diff_of_merge_output_folders_equal_the_consolidated_workbooks(tmp_path):
    old_in, new_in = tmp_path / "old_in", tmp_path / "new_in"
    shutil.copytree(SAMPLES, old_in)
    shutil.copytree(SAMPLES, new_in)
    (new_in / "orgkadry.xlsx").unlink()  # the new version lost a subdivision's rows
    tpcheck.merge(old_in).write(tmp_path / "old_out")
    tpcheck.merge(new_in).write(tmp_path / "new_out")
    old_book = tmp_path / "old_out" / "perechen_svodny.xlsx"
    new_book = tmp_path / "new_out" / "perechen_svodny.xlsx"
    assert tpcheck.publish(tmp_path / "new_out").summary == tpcheck.publish(new_book).summary
    day = dt.date(2025, 1, 10)
    by_folder = tpcheck.diff(tmp_path / "old_out", tmp_path / "new_out", changed_on=day)
    by_book = tpcheck.diff(old_book, new_book, changed_on=day)
    assert by_folder.summary == by_book.summary
    assert by_folder.summary["removed"] > 0
    assert by_folder.summary["old_rows"] == tpcheck.publish(SAMPLES).summary["rows_published"]


# ------------------------------------------------------------------ provenance (issue 15)


def test_a_filtered_copy_does_not_take_over_another_files_provenance(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, rows in data.rows().items():
        write_workbook(folder / name, rows)
    base = tpcheck.publish(folder)
    # a clerk returns a filtered copy of the consolidated workbook: its «Файл», «Лист», «Строка»
    # name another subdivision's valid row, and its own row has no touchpoint (blocking)
    broken = dict(data.rows()[data.INFO][0], touchpoint=None)
    write_workbook(folder / "zz_filtered.xlsx", [broken], provenance=[(data.INFO, "Перечень", 3)])
    both = tpcheck.publish(folder)
    blamed = {(Path(e["file"]).name, e["row"]) for e in both.to_dict()["excluded"]}
    before = {(Path(e["file"]).name, e["row"]) for e in base.to_dict()["excluded"]}
    assert blamed == before | {("zz_filtered.xlsx", 2)}  # its own row 2 (no example row)
    assert both.summary["rows_published"] == base.summary["rows_published"]
    # the same file marked as tpcheck's consolidated workbook does restore the provenance
    write_workbook(
        folder / "zz_filtered.xlsx",
        [broken],
        provenance=[(data.INFO, "Перечень", 3)],
        consolidated=True,
    )
    restored = tpcheck.publish(folder / "zz_filtered.xlsx", allow_empty=True)  # its one row fails
    assert [(e["file"], e["row"]) for e in restored.to_dict()["excluded"]] == [(data.INFO, 3)]


def test_diff_of_folders_with_a_filtered_copy_keeps_each_files_rows(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    for folder in (old, new):
        folder.mkdir()
        for name, rows in data.rows().items():
            write_workbook(folder / name, rows)
    row = dict(
        data.rows()[data.INFO][0], touchpoint="Новая горячая линия", touchpoint_type="телефон"
    )
    write_workbook(new / "zz_filtered.xlsx", [row], provenance=[(data.INFO, "Перечень", 3)])
    changes = tpcheck.diff(old, new, changed_on=dt.date(2025, 1, 10))
    assert [(c.kind, c.touchpoint) for c in changes.changes] == [("added", "Новая горячая линия")]


def test_kind_of_never_opens_what_is_not_a_regular_file(tmp_path):
    import os

    fifo = tmp_path / "x.xlsx"
    os.mkfifo(fifo)  # opening it for reading would block forever
    (tmp_path / "folder.xlsx").mkdir()
    assert kind_of(fifo) is None and kind_of(tmp_path / "folder.xlsx") is None
    assert saved_since_written(fifo)
