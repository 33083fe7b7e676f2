"""Issue 15: reliability round 2 — no hang, no abort, no orphan, nothing left behind.

Each test reproduces one defect found by an adversarial user; the commands are run as a person
runs them (``python -m tpcheck …`` in a subprocess, with a timeout that only a hang reaches) or
in a forked child (``in_forked_child``) where a parser abort would take down pytest.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import xlsxwriter

import tpcheck
from tpcheck.output.atomic import LOCK_NAME
from tpcheck.reading import Limits
from tpcheck.write.returns import return_name

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
    worker, not in this process (where it reads fine).

    Run in a fresh interpreter: the bound is on memory the worker adds to what it inherits, and
    a long-lived test process inherits enough free heap to read a small file without adding any.
    """
    path = write_book(tmp_path / "one.xlsx", [quiet(n) for n in range(1, 201)])
    script = f"""
import tpcheck
from tpcheck.reading import Limits
path = {str(path)!r}
starved = Limits(memory=1024 * 1024)
print(tpcheck.read(path).tpcheck.files[0].status)
print(tpcheck.read(path, limits=starved).tpcheck.files[0].status)
print(tpcheck.read(path, workers=0, limits=starved).tpcheck.files[0].status)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=HANG, check=True
    )
    assert done.stdout.split() == ["ok", "unreadable", "ok"]


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


# ------------------------------------------------------------------ 3. signals, orphans, .part


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError):
                text = Path(f"/proc/{pid}/task/{task}/children").read_text()
                found |= {int(word) for word in text.split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def busy_inbox(tmp_path) -> Path:
    """Enough files that the run has its read workers up for a while."""
    inbox = tmp_path / "inbox"
    first = write_book(inbox / "f00.xlsx", [quiet(n) for n in range(1, 200)])
    for number in range(1, 40):
        (inbox / f"f{number:02}.xlsx").write_bytes(first.read_bytes() + b"\0" * number)
    return inbox


def _start_and_signal(
    inbox: Path, out: Path, signum: int, phase: str = "read"
) -> tuple[subprocess.Popen, set[int]]:
    """Start ``merge`` (its output read through a pipe, as a caller does), wait for its read
    workers (*phase* ``read``) or for its write workers, started once the read workers are
    gone (``write``), and send *signum* to it alone; return it and its workers' pids."""
    env = {**os.environ, "TPCHECK_LANG": "ru"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tpcheck", "merge", str(inbox), "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    readers: set[int] = set()
    writers: set[int] = set()
    deadline = time.monotonic() + HANG
    while process.poll() is None and time.monotonic() < deadline:
        children = _children(process.pid)
        if not readers:
            readers = children
            seen = time.monotonic()
        elif time.monotonic() - seen < 0.3:
            readers |= children
        elif phase == "read" or not any(_alive(pid) for pid in readers):
            writers = children - readers
            if phase == "read" or writers:
                break
        time.sleep(0.005)
    workers = readers if phase == "read" else writers
    assert workers, f"the run ended before its {phase} workers were seen"
    os.kill(process.pid, signum)
    return process, workers


def _finish(process: subprocess.Popen, workers: set[int]) -> tuple[str, str]:
    """The run's output, read to its end: the end comes only when no process holds the pipe."""
    try:
        stdout, stderr = process.communicate(timeout=HANG)
    finally:
        for pid in workers:  # the test's own processes, if the code under test left them
            if _alive(pid):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    return stdout.decode(), stderr.decode()


def test_sigterm_stops_the_run_as_ctrl_c_does(busy_inbox, tmp_path):
    out = tmp_path / "out"
    process, workers = _start_and_signal(busy_inbox, out, signal.SIGTERM)
    _, stderr = _finish(process, workers)
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert "Прервано" in stderr and "Traceback" not in stderr
    assert not [pid for pid in workers if _alive(pid)]
    assert not list(out.rglob("*.part")) if out.exists() else True


def test_sigkill_of_the_run_leaves_no_worker_holding_its_pipe(busy_inbox, tmp_path):
    process, workers = _start_and_signal(busy_inbox, tmp_path / "out", signal.SIGKILL, "write")
    _finish(process, workers)  # a worker left alive holds the pipe: this would wait
    assert process.returncode == -signal.SIGKILL
    assert not [pid for pid in workers if _alive(pid)]


def test_a_run_removes_the_part_files_earlier_runs_left(tmp_path):
    inbox = tmp_path / "inbox"
    write_book(inbox / "a.xlsx", [quiet(1)])
    out = tmp_path / "out"
    (out / "vozvrat").mkdir(parents=True)
    stale = [out / ".svod.xlsx.k3j9_x2a.part", out / "vozvrat" / ".a_zam.xlsx.abcdefgh.part"]
    for path in stale:
        path.write_bytes(b"half a file")
    kept = out / "notes.part"
    kept.write_text("not ours")
    done = tpcheck_cli("merge", inbox, "-o", out, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [path.exists() for path in stale] == [False, False]
    assert kept.exists() and not (out / LOCK_NAME).exists()


# ------------------------------------------------------------------ 5. one run per output folder


@pytest.mark.parametrize("command", ["merge", "publish"])
def test_a_second_run_into_a_busy_output_folder_exits_2(command, tmp_path):
    inbox = tmp_path / "inbox"
    write_book(inbox / "a.xlsx", [quiet(1)])
    out = tmp_path / "out"
    out.mkdir()
    with open(out / LOCK_NAME, "w") as held:  # another run holds the folder
        fcntl.flock(held, fcntl.LOCK_EX)
        done = tpcheck_cli(command, inbox, "-o", out, cwd=tmp_path)
    assert done.returncode == 2
    assert "другой запуск tpcheck" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in out.iterdir()) == [LOCK_NAME]


# ------------------------------------------------------------------ 4. names, links, folders


@pytest.mark.parametrize("char", ["№", "—", "漢", "😀"])
def test_return_copy_names_are_cut_by_bytes_and_stay_unique(char):
    used: set[str] = set()
    names = [return_name(f"{char * 84}{tail}.xlsx", used) for tail in ("", "x")]
    assert all(len(name.encode()) + len(".XXXXXXXX.part") + 1 <= 255 for name in names)
    assert len({name.casefold() for name in names}) == 2


def test_a_long_multibyte_file_name_is_merged_with_its_return_copy(tmp_path):
    inbox = tmp_path / "inbox"
    name = "№" * 80 + ".xlsx"  # 245 bytes: a name the file system takes
    write_book(inbox / name, [quiet(1)])
    done = tpcheck_cli("merge", inbox, "-o", tmp_path / "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "out" / "vozvrat").glob("*.xlsx"))) == 1


def test_a_link_to_itself_in_the_input_folder_is_reported_not_fatal(tmp_path):
    inbox = tmp_path / "inbox"
    write_book(inbox / "a.xlsx", [quiet(1)])
    (inbox / "loop.xlsx").symlink_to("loop.xlsx")
    out = tmp_path / "out"
    done = tpcheck_cli("merge", inbox, "-o", out, cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # errors found (the loop), outputs written
    report = (out / "report.json").read_text(encoding="utf-8")
    assert "loop.xlsx" in report and (out / "perechen_svodny.xlsx").exists()


# ------------------------------------------------------------------ 8. bad text input


def test_a_date_of_changes_beyond_the_calendar_is_a_clear_error(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    write_book(old / "a.xlsx", [quiet(1)])
    write_book(new / "a.xlsx", [quiet(1), quiet(2)])
    done = tpcheck_cli(
        "diff", old, new, "--changed-on", "9999-12-20", "-o", tmp_path / "d", cwd=tmp_path
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "9999-12-20" in done.stderr and "--changed-on" in done.stderr
