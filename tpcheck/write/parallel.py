"""Writing on every core. The calling process writes its own part (the consolidated workbook, the
small reports) while worker processes take the other tasks (the return copies, ``oshibki.xlsx``)
one at a time from a shared counter, heaviest first; when the calling process is done with its own
part it takes tasks too. So no core waits while work is left, and no more processes run than
there are cores.

Workers are forked where the platform has it: they inherit the prepared tasks, and nothing is
pickled (the tasks of a big merge are tens of megabytes of Python objects). Elsewhere they are
spawned and get the tasks pickled once each.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from ..gcpause import paused_gc
from ..reading.lifeline import die_with_parent

__all__ = ["Task", "cores", "sharing"]

#: A task: a module-level function (picklable where workers are spawned) and its arguments.
Task = tuple[Callable[..., Any], tuple[Any, ...]]

# In a worker process: the counter of the next task and the tasks (see ``_adopt``).
_counter: Any = None
_tasks: Sequence[Task] = ()


def cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def _context() -> mp.context.BaseContext:
    if "fork" in mp.get_all_start_methods():
        return mp.get_context("fork")
    return mp.get_context("spawn")  # pragma: no cover - macOS, Windows


def _adopt(counter: Any, tasks: Sequence[Task], parent: int) -> None:
    """The initializer of each worker process: it ends with *parent*, the process that
    started it (a killed run leaves no writer behind)."""
    global _counter, _tasks
    die_with_parent(parent)
    _counter, _tasks = counter, tasks


def _take(counter: Any, count: int) -> int | None:
    with counter.get_lock():
        index = counter.value
        if index >= count:
            return None
        counter.value = index + 1
    return index


def _stop(counter: Any, count: int) -> None:
    """No more tasks for anyone (after a failure)."""
    with counter.get_lock():
        counter.value = max(counter.value, count)


def _drain(counter: Any = None, tasks: Sequence[Task] | None = None) -> int:
    """Run tasks until none is left; returns how many this process ran. A failure stops the
    others from taking more."""
    if counter is None:
        counter, tasks = _counter, _tasks
    assert tasks is not None
    done = 0
    with paused_gc():
        try:
            while (index := _take(counter, len(tasks))) is not None:
                function, args = tasks[index]
                function(*args)
                done += 1
        except BaseException:
            _stop(counter, len(tasks))
            raise
    return done


@contextlib.contextmanager
def sharing(tasks: Sequence[Task], workers: int) -> Iterator[Callable[[], None]]:
    """Start *workers* processes on *tasks* (in their order: put the heaviest first) and yield
    ``finish``: call it when this process is done with its own part — it runs the tasks still
    left here, waits for the workers and raises the first failure of any of them. Leaving the
    block early (an error in this process's own part) stops the workers after their current
    task."""
    context = _context()
    counter = context.Value("q", 0)
    pool: ProcessPoolExecutor | None = None
    futures: list[Future] = []
    try:
        if workers > 0 and tasks:
            pool = ProcessPoolExecutor(
                min(workers, len(tasks)),
                mp_context=context,
                initializer=_adopt,
                initargs=(counter, tasks, os.getpid()),
            )
            futures = [pool.submit(_drain) for _ in range(min(workers, len(tasks)))]

        def finish() -> None:
            _drain(counter, tasks)
            for future in futures:
                future.result()

        yield finish
    except BaseException:
        _stop(counter, len(tasks))
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
