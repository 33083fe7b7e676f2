"""tpcheck.write.parallel: tasks shared between worker processes and the calling one — each task
runs exactly once, a failure anywhere reaches the caller, and no worker outlives the block."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from tpcheck.write.parallel import _drain, cores, sharing


def _mark(folder: str, index: int) -> None:
    """Create the file of task *index*; O_EXCL makes a second run of the same task fail."""
    fd = os.open(os.path.join(folder, f"{index:03d}"), os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)


def _fail(message: str) -> None:
    raise RuntimeError(message)


@pytest.mark.parametrize("workers", [0, 1, 3])
def test_every_task_runs_once(tmp_path, workers):
    tasks = [(_mark, (str(tmp_path), index)) for index in range(40)]
    with sharing(tasks, workers) as finish:
        finish()
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{i:03d}" for i in range(40)]
    assert multiprocessing.active_children() == []


def test_a_failing_task_in_a_worker_reaches_the_caller(tmp_path):
    tasks = [(_fail, ("boom in a task",)), *((_mark, (str(tmp_path), i)) for i in range(5))]
    with pytest.raises(RuntimeError, match="boom in a task"), sharing(tasks, 2) as finish:
        finish()
    assert multiprocessing.active_children() == []


def test_a_failure_of_the_callers_own_part_stops_the_workers(tmp_path):
    tasks = [(_mark, (str(tmp_path), index)) for index in range(2000)]
    with pytest.raises(RuntimeError, match="own part"), sharing(tasks, 1):
        _fail("own part")
    assert multiprocessing.active_children() == []
    assert len(list(tmp_path.iterdir())) < 2000


def test_drain_counts_what_it_ran(tmp_path):
    counter = multiprocessing.get_context().Value("q", 0)
    tasks = [(_mark, (str(tmp_path), index)) for index in range(3)]
    assert _drain(counter, tasks) == 3
    assert _drain(counter, tasks) == 0
    assert cores() >= 1
