"""Issue 15: reliability round 2 — no hang, no abort, no orphan, nothing left behind.

Each test reproduces one defect found by an adversarial user; the commands are run as a person
runs them (``python -m tpcheck …`` in a subprocess, with a timeout that only a hang reaches) or
in a forked child (``in_forked_child``) where a parser abort would take down pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import tpcheck
from tpcheck.reading import Limits

from .read_helpers import quiet, write_book

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
