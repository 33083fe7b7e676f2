"""``merge --cache``: a re-merge reads and checks only the files that changed, and writes the same
outputs as a full merge (compared byte for byte, the workbooks part by part without their
timestamps); a damaged or foreign cache entry is ignored with a notice, never trusted."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

import tpcheck
from tpcheck import validation
from tpcheck.cli import main
from tpcheck.reading import cache as cache_module
from tpcheck.reading import pool
from tpcheck.write import returns

from .conftest import ROOT
from .xlsx_parts import parts

SAMPLES = ROOT / "samples"
ROSTER, REGISTRY = SAMPLES / "roster.txt", SAMPLES / "registry.csv"
WORKBOOKS = [p.name for p in sorted(SAMPLES.iterdir()) if p.suffix in (".xlsx", ".xls", ".ods")]


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in WORKBOOKS:
        shutil.copyfile(SAMPLES / name, folder / name)
    return folder


@pytest.fixture
def spies(monkeypatch) -> dict[str, list[str]]:
    """The files read (handed to the reading workers) and the return copies written."""
    seen: dict[str, list[str]] = {"read": [], "returned": [], "checked": []}
    real_run, real_write = pool.run_in_workers, returns.write_return_copy
    real_schema = validation.schema_issues

    def schema_issues(data, requirements, locator):
        seen["checked"] += sorted({Path(f).name for f in data.file})
        return real_schema(data, requirements, locator)

    def run_in_workers(jobs, *args, **kwargs):
        jobs = list(jobs)
        seen["read"] += [Path(job.path).name for job in jobs]
        return real_run(jobs, *args, **kwargs)

    def write_return_copy(job, target):
        seen["returned"].append(Path(job.path).name)
        return real_write(job, target)

    monkeypatch.setattr(pool, "run_in_workers", run_in_workers)
    monkeypatch.setattr(returns, "write_return_copy", write_return_copy)
    monkeypatch.setattr(validation, "schema_issues", schema_issues)
    return seen


def _merge(inputs: Path, out: Path, cache: Path | None) -> tpcheck.Result:
    result = tpcheck.merge([inputs], roster=ROSTER, registry=REGISTRY, cache=cache)
    result.write(out, workers=1)
    return result


def outputs(folder: Path) -> dict[str, object]:
    """Every file of an output folder (the cache left out): a workbook as its parts without
    timestamps, any other file as its bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_dir() or name.startswith(".tpcheck-cache"):
            continue
        found[name] = parts(path) if path.suffix == ".xlsx" else path.read_bytes()
    return found


def assert_same_outputs(made: Path, full: Path) -> None:
    got, expected = outputs(made), outputs(full)
    assert sorted(got) == sorted(expected)
    for name, content in expected.items():
        assert got[name] == content, f"{name} differs from the full merge's"


def _cell(folder: Path, name: str, key: str, offset: int = 0) -> tuple[str, int, int]:
    """(sheet, row, column) — one-based — of column *key* in the data row *offset* of *name*."""
    frame = tpcheck.read([folder / name])
    info = frame.tpcheck.files[0]
    return info.sheet, int(frame["source_row"].iloc[offset]), info.columns[key][0] + 1


def _edit(path: Path, changes: dict[tuple[str, int, int], str]) -> None:
    book = openpyxl.load_workbook(path)
    for (sheet, row, col), value in changes.items():
        book[sheet].cell(row=row, column=col, value=value)
    book.save(path)


def _duplicate_across(folder: Path) -> None:
    """Give agentstvo_112.xlsx's first row the activity and touchpoint of orgkadry.xlsx's first:
    a duplicate across files, flagged in both files (one of them unchanged)."""
    source = tpcheck.read([folder / "orgkadry.xlsx"])
    changes = {}
    for key in ("activity", "touchpoint"):
        changes[_cell(folder, "agentstvo_112.xlsx", key)] = source[key + "_raw"].iloc[0]
    _edit(folder / "agentstvo_112.xlsx", changes)


def test_re_merge_reads_only_changed_files_and_writes_what_a_full_merge_writes(
    inbox, tmp_path, spies
):
    cache = tmp_path / "cache"
    first = _merge(inbox, tmp_path / "first", cache)
    assert sorted(spies["read"]) == sorted(WORKBOOKS)  # a cold cache: every file read
    assert sorted(spies["returned"]) == sorted(WORKBOOKS)
    assert not [i for i in first.report.records if i.code == "duplicate-across-files"]

    _duplicate_across(inbox)
    for seen in spies.values():
        seen.clear()
    again = _merge(inbox, tmp_path / "again", cache)
    assert spies["read"] == ["agentstvo_112.xlsx"]  # the others came from the cache
    assert spies["checked"] == ["agentstvo_112.xlsx"]  # and so did their per-file checks
    flagged = {Path(i.file).name for i in again.report.records if i.code.startswith("duplicate-a")}
    assert flagged == {"agentstvo_112.xlsx", "orgkadry.xlsx"}  # cross-file rules on the whole
    # the changed file's return copy and the one whose findings changed; the others are copied
    assert sorted(spies["returned"]) == ["agentstvo_112.xlsx", "orgkadry.xlsx"]

    full = _merge(inbox, tmp_path / "full", None)
    assert again.report.summary == full.report.summary
    assert_same_outputs(tmp_path / "again", tmp_path / "full")


def test_unchanged_inputs_are_neither_read_nor_written_again(inbox, tmp_path, spies):
    cache = tmp_path / "cache"
    _merge(inbox, tmp_path / "first", cache)
    for seen in spies.values():
        seen.clear()
    _merge(inbox, tmp_path / "again", cache)
    assert spies == {"read": [], "returned": [], "checked": []}
    assert_same_outputs(tmp_path / "again", tmp_path / "first")


def test_a_removed_file_is_dropped_from_the_outputs_and_the_cache(inbox, tmp_path, spies):
    cache = tmp_path / "cache"
    _merge(inbox, tmp_path / "first", cache)
    entries = len(list(cache.glob("*.entry")))
    (inbox / "infopolitika.xlsx").unlink()
    spies["read"].clear()
    again = _merge(inbox, tmp_path / "again", cache)
    assert spies["read"] == []
    assert "infopolitika.xlsx" not in {Path(p).name for p in again.frame["source_file"]}
    assert len(list(cache.glob("*.entry"))) == entries - 1  # its entry is pruned
    _merge(inbox, tmp_path / "full", None)
    assert_same_outputs(tmp_path / "again", tmp_path / "full")


def _notices(result: tpcheck.Result) -> list[str]:
    return [i.message for i in result.report.records if i.code == "cache-entry-ignored"]


def test_a_damaged_entry_is_ignored_with_a_notice_and_the_file_read_again(inbox, tmp_path, spies):
    cache = tmp_path / "cache"
    _merge(inbox, tmp_path / "first", cache)
    entry = sorted(cache.glob("*.entry"))[0]
    data = bytearray(entry.read_bytes())
    data[-10] ^= 1  # one bit of the JSON body: the seal no longer holds
    entry.write_bytes(bytes(data))
    spies["read"].clear()
    again = _merge(inbox, tmp_path / "again", cache)
    assert len(spies["read"]) == 1
    (notice,) = _notices(again)
    assert spies["read"][0] in notice and "seal" in notice
    found = [i for i in again.report.records if i.code == "cache-entry-ignored"]
    assert found[0].severity == "notice" and found[0].file is None
    # the next run finds the entry written afresh
    spies["read"].clear()
    third = _merge(inbox, tmp_path / "third", cache)
    assert spies["read"] == [] and _notices(third) == []


def test_an_entry_sealed_elsewhere_is_foreign(inbox, tmp_path, spies):
    cache, other = tmp_path / "cache", tmp_path / "other"
    _merge(inbox, tmp_path / "first", cache)
    _merge(inbox, tmp_path / "second", other)
    name = sorted(cache.glob("*.entry"))[0].name
    shutil.copyfile(other / name, cache / name)  # the same file, sealed with another key
    spies["read"].clear()
    again = _merge(inbox, tmp_path / "again", cache)
    assert len(spies["read"]) == 1 and len(_notices(again)) == 1


def test_a_forged_entry_with_a_valid_seal_for_another_file_is_not_taken(inbox, tmp_path, spies):
    """An entry renamed to another file's name: sealed by this cache, but not for that file."""
    cache = tmp_path / "cache"
    _merge(inbox, tmp_path / "first", cache)
    first, second = sorted(cache.glob("*.entry"))[:2]
    shutil.copyfile(first, second)
    spies["read"].clear()
    again = _merge(inbox, tmp_path / "again", cache)
    assert len(spies["read"]) == 1 and len(_notices(again)) == 1


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_the_key_is_private_and_a_key_others_can_read_is_replaced(inbox, tmp_path, spies):
    cache = tmp_path / "cache"
    _merge(inbox, tmp_path / "first", cache)
    key = cache / "key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert all(p.stat().st_mode & 0o077 == 0 for p in cache.iterdir())
    os.chmod(key, 0o644)
    spies["read"].clear()
    again = _merge(inbox, tmp_path / "again", cache)
    # a new key: every entry sealed with the old one is ignored, every file read again
    assert sorted(spies["read"]) == sorted(WORKBOOKS)
    assert len(_notices(again)) == len(WORKBOOKS)
    assert key.stat().st_mode & 0o777 == 0o600


def test_the_cli_keeps_the_cache_in_the_output_folder_unless_told(inbox, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["merge", str(inbox), "-o", str(out)]) == 1
    read = [info for info in tpcheck.read([inbox]).tpcheck.files if info.status == "ok"]
    assert len(list((out / ".tpcheck-cache").glob("*.entry"))) == len(read) > 0
    elsewhere = tmp_path / "elsewhere"
    assert main(["merge", str(inbox), "-o", str(tmp_path / "out2"), "--cache", str(elsewhere)]) == 1
    assert (elsewhere / "key").exists() and not (tmp_path / "out2" / ".tpcheck-cache").exists()
    assert main(["merge", str(inbox), "-o", str(tmp_path / "out3"), "--no-cache"]) == 1
    assert not (tmp_path / "out3" / ".tpcheck-cache").exists()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report == json.loads((tmp_path / "out3" / "report.json").read_text(encoding="utf-8"))
    capsys.readouterr()


@pytest.mark.parametrize(
    "value",
    [
        None,
        "текст",
        True,
        1,
        1.0,
        float("inf"),
        ["a", "b"],
        dt.datetime(2026, 3, 1, 9, 30),
        dt.date(2026, 3, 1),
        dt.time(9, 30, 15),
        dt.timedelta(days=1, seconds=5),
    ],
)
def test_cell_values_come_back_as_they_went_in(value):
    back = cache_module._unvalue(json.loads(json.dumps(cache_module._value(value))))
    assert back == value and type(back) is type(value)


def test_a_value_that_is_not_data_is_not_cached():
    with pytest.raises(cache_module._Uncacheable):
        cache_module._value(object())


def test_a_damaged_return_copy_in_the_cache_is_made_again(inbox, tmp_path, spies):
    cache = tmp_path / "cache"
    _merge(inbox, tmp_path / "first", cache)
    entry = sorted(cache.glob("*.return"))[0]
    data = bytearray(entry.read_bytes())
    data[-100] ^= 1  # inside the workbook's bytes
    entry.write_bytes(bytes(data))
    for seen in spies.values():
        seen.clear()
    _merge(inbox, tmp_path / "again", cache)
    assert spies["read"] == [] and len(spies["returned"]) == 1
    assert_same_outputs(tmp_path / "again", tmp_path / "first")
