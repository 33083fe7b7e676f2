"""Issue 15: reliability round 2 — no hang, no abort, no orphan, nothing left behind.

Each test reproduces one defect found by an adversarial user; the commands are run as a person
runs them (``python -m tpcheck …`` in a subprocess, with a timeout that only a hang reaches) or
in a forked child (``in_forked_child``) where a parser abort would take down pytest.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import xlsxwriter

import tpcheck
from tpcheck.reading import Limits

from .read_helpers import far_corner, in_forked_child, quiet, rewrite_part, write_book

pytestmark = pytest.mark.skipif(
    not hasattr(os, "mkfifo") or not hasattr(os, "fork"), reason="POSIX: named pipes and fork"
)

#: Seconds within which a command on a few small files ends; a hang runs into it.
HANG = 90


def tpcheck_cli(*args: str | Path, cwd: Path, timeout: float = HANG) -> subprocess.CompletedProcess:
    """``python -m tpcheck ARGS`` in *cwd* (Russian texts), failing the test on a hang."""
    env = {**os.environ, "TPCHECK_LANG": "ru", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "tpcheck", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


# ------------------------------------------------------------------ 1. FIFO, lone file bounded


@pytest.fixture
def fifo_folder(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    os.mkfifo(folder / "x.xlsx")
    return folder


@pytest.mark.parametrize("command", ["check", "merge", "publish"])
def test_a_named_pipe_is_refused_not_waited_for(command, fifo_folder, tmp_path):
    fifo = fifo_folder / "x.xlsx"
    out = tmp_path / "out"
    if command == "check":
        done = tpcheck_cli("check", fifo, "-o", out, cwd=tmp_path)
    else:
        done = tpcheck_cli(command, fifo_folder, "-o", out, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    if command != "publish":  # publish refuses before writing: nothing was read
        assert "именованный канал" in (out / "report.json").read_text(encoding="utf-8")


def test_a_named_pipe_beside_a_good_file_costs_no_wait(fifo_folder):
    write_book(fifo_folder / "good.xlsx", [quiet(1)])
    frame = tpcheck.read(fifo_folder, limits=Limits(wall_seconds=600.0))
    files = {Path(info.path).name: info for info in frame.tpcheck.files}
    assert files["x.xlsx"].status == "unreadable"
    assert "именованный канал" in files["x.xlsx"].reason
    assert files["good.xlsx"].status == "ok"
    assert len(frame) == 1


def test_a_lone_file_is_read_under_the_workers_memory_bound(tmp_path):
    """With room for nothing, a lone file is reported unreadable: it was read in a bounded
    worker, not in this process (where it reads fine)."""
    path = write_book(tmp_path / "one.xlsx", [quiet(1)])
    assert tpcheck.read(path).tpcheck.files[0].status == "ok"
    starved = tpcheck.read(path, limits=Limits(memory=1024 * 1024))
    assert [info.status for info in starved.tpcheck.files] == ["unreadable"]
    assert tpcheck.read(path, workers=0, limits=Limits(memory=1024 * 1024)).tpcheck.files[
        0
    ].status == ("ok")


# ------------------------------------------------------------------ 2. the far-corner guard

SHEET1 = "xl/worksheets/sheet1.xml"
#: Every ``r`` attribute of the sheet (rows' and cells') rewritten as XML allows it.
FAR_FORMS = {
    "single-quotes": rb" r='\1'",
    "spaces": rb' r = "\1"',
    "line-break": rb' r\n=\t"\1"',
}


def _far_written(tmp_path: Path, form: bytes, rows: int = 1) -> Path:
    plain = far_corner(tmp_path / "plain.xlsx", data_rows=rows)
    return rewrite_part(
        plain, tmp_path / "corner.xlsx", SHEET1, lambda xml: re.sub(rb' r="([^"]*)"', form, xml)
    )


@pytest.mark.parametrize("form", FAR_FORMS.values(), ids=FAR_FORMS.keys())
def test_the_far_corner_is_seen_however_the_attribute_is_written(form, tmp_path):
    """Read in this process (``workers=0``: only the measuring stands between calamine and the
    far corner), the file's row is read and the process lives."""
    path = _far_written(tmp_path, form)

    def read() -> tuple[list[str], int]:
        frame = tpcheck.read(path, workers=0)
        return [info.status for info in frame.tpcheck.files], len(frame)

    (statuses, rows), _, _ = in_forked_child(read)
    assert (statuses, rows) == (["ok"], 2)  # the row and the far cell's own row


def test_a_far_corner_file_written_otherwise_is_read_by_the_command(tmp_path):
    path = _far_written(tmp_path, FAR_FORMS["single-quotes"], rows=2)
    done = tpcheck_cli("merge", path, "-o", tmp_path / "out", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    report = (tmp_path / "out" / "report.json").read_text(encoding="utf-8")
    assert '"status": "ok"' in report


REGISTRY_HEADER = [
    "Код",
    "Направление деятельности (п. 3.5)",
    "Наименование услуги, функции, сервиса",
    "Вид деятельности",
    "Ответственное подразделение",
]
INFO = "обеспечение доступа к информации о деятельности исполнительного органа области"


def _far_registry(path: Path) -> Path:
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Реестр")
    sheet.write_row(0, 0, REGISTRY_HEADER)
    sheet.write_row(1, 0, ["И-1", INFO, "Информирование", "функция", "Отдел"])
    sheet.write_string(1_048_575, 16_383, "конец")
    book.close()
    return path


def test_a_far_corner_registry_does_not_abort_the_run(tmp_path):
    path = _far_registry(tmp_path / "reestr.xlsx")

    def load() -> list[tuple]:
        registry = tpcheck.load_registry(path)
        return list(registry[["activity", "source_row"]].itertuples(index=False, name=None))

    entries, _, _ = in_forked_child(load)
    assert entries == [("Информирование", 2)]


def test_a_registry_that_is_a_named_pipe_is_refused(tmp_path):
    path = tmp_path / "reestr.xlsx"
    os.mkfifo(path)

    def load() -> str:
        try:
            tpcheck.load_registry(path)
        except tpcheck.InputError as exc:
            return str(exc)
        return "read"

    message, _, _ = in_forked_child(load)
    assert "именованный канал" in message and "reestr.xlsx" in message
