"""Worker processes that read files with a bound on CPU time, memory and wall-clock time.

A parser that crashes (python-calamine aborts the process when an allocation fails), loops or
eats memory takes down only its worker: the file it was reading is reported unreadable, the
worker is replaced and the other files are read. Each worker reads one file at a time, in the
order given (the next one waits in its pipe), so the culprit is always known. Workers skip the
measuring of each sheet's used range that the caller's process needs (the memory bound
contains a parser that over-allocates); a file whose worker dies is read once more, carefully,
and reported unreadable if that fails too.

Workers are started with ``fork`` where the platform has it: no re-import of the caller's
``__main__`` (a script without an ``if __name__ == "__main__"`` guard still works), nothing to
pickle, a few milliseconds per worker. Elsewhere they are started with ``spawn``.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import multiprocessing as mp
import os
import pickle
import socket
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import replace
from multiprocessing.connection import Connection, wait
from typing import Any

from ..classifiers import Classifiers
from .lifeline import die_with_parent
from .limits import Limits
from .worker import FileResult, Job, failure, read_one

__all__ = ["run_in_workers"]

try:
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]


def _context() -> mp.context.BaseContext:
    if "fork" in mp.get_all_start_methods():
        return mp.get_context("fork")
    return mp.get_context("spawn")


def _virtual_size() -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit_memory(limits: Limits) -> None:
    if resource is None:
        return
    try:
        base = _virtual_size()
        if base:
            soft = base + limits.memory
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard != resource.RLIM_INFINITY:
                soft = min(soft, hard)
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (ValueError, OSError):  # pragma: no cover - a platform without the limit
        pass


def _limit_cpu(limits: Limits) -> None:
    """Allow *limits.cpu_seconds* more CPU time from now; the kernel stops the worker after."""
    if resource is None:
        return
    try:
        used = resource.getrusage(resource.RUSAGE_SELF)
        spent = int(used.ru_utime + used.ru_stime) + 1
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        soft = spent + limits.cpu_seconds
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    except (ValueError, OSError):  # pragma: no cover
        pass


#: Files given to a worker at a time: while it reads one, the next waits in its pipe, so that it
#: need not wait for this process (busy unpickling, or not yet scheduled) to hand it one.
_QUEUED = 2

#: Files between two full collections in a worker (a young collection follows every file).
_FULL_COLLECTION_EVERY = 64


def _quiet_stderr() -> None:
    """A parser that aborts prints its panic to stderr (and faulthandler, when the caller
    enabled it, a dump): the file's issue says it better. ``TPCHECK_DEBUG`` keeps them."""
    if not os.environ.get("TPCHECK_DEBUG"):
        faulthandler.disable()
        with contextlib.suppress(OSError):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 2)
            os.close(null)


def _worker_main(
    conn: Connection, parent: int, classifiers: Classifiers, limits: Limits, lang: str
) -> None:
    die_with_parent(parent)  # a killed run leaves no worker behind
    # What the worker inherited is never freed here: keep the collector off it (a forked worker
    # would otherwise walk, and copy page by page, the caller's whole heap on every collection).
    gc.freeze()
    gc.disable()  # short-lived and mostly acyclic: collect between files instead
    _quiet_stderr()
    _limit_memory(limits)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        job: Job = message
        _limit_cpu(limits)
        try:
            result = read_one(job, classifiers, limits, lang)
        except BaseException as exc:
            result = failure(
                job, "file-unreadable", lang, reason=f"сбой программы чтения ({exc!r:.300})"
            )
        try:
            # The C pickler, not the connection's ForkingPickler: three times faster here.
            conn.send_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, ValueError):
            return
        del result
        # The cycles this file left are young: collecting the young generation frees them for
        # a tiny part of the cost of a full collection, which runs now and then.
        gc.collect(0)
        if gc.get_count()[1] >= _FULL_COLLECTION_EVERY:
            gc.collect()


#: Bytes a worker may write to its pipe before this process reads them: a file's result (some
#: 150 KB for 300 rows) goes in whole and the worker goes on with its next file at once.
_SEND_BUFFER = 4 * 1024 * 1024


def _widen(conn: Connection) -> None:
    """Ask for a send buffer of ``_SEND_BUFFER`` on *conn* (a socket on POSIX; the system caps
    it at its maximum, ``net.core.wmem_max`` on Linux). Elsewhere the pipe is left as it is."""
    with contextlib.suppress(OSError, ValueError):
        sock = socket.socket(fileno=conn.fileno())
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, _SEND_BUFFER)
        finally:
            sock.detach()  # the connection keeps its descriptor


class _Worker:
    """One worker process and the files it was given, in order: it reads ``jobs[0]`` since
    ``started`` (the others wait in its pipe)."""

    def __init__(self, context: mp.context.BaseContext, args: tuple[Any, ...]):
        parent, child = context.Pipe()
        _widen(child)
        self.conn = parent
        self.process = context.Process(
            target=_worker_main, args=(child, os.getpid(), *args), daemon=True
        )
        self.process.start()
        child.close()
        self.jobs: deque[Job] = deque()
        self.started = 0.0
        self.retired = False

    def give(self, job: Job) -> None:
        if not self.jobs:
            self.started = time.monotonic()
        self.jobs.append(job)
        self.conn.send(job)

    def done(self) -> Job:
        """The job whose result just came: the next one starts now."""
        self.started = time.monotonic()
        return self.jobs.popleft()

    def retire(self) -> None:
        """Tell the worker that no more files come: it ends on its own."""
        if not self.retired:
            self.retired = True
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            self.retire()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        self.conn.close()


def _death_reason(exitcode: int | None, limits: Limits) -> str:
    """Why a worker that ended with *exitcode* did (Russian)."""
    signal_number = -exitcode if exitcode is not None and exitcode < 0 else None
    if signal_number == 24:  # SIGXCPU
        reason = f"разбор занял больше {limits.cpu_seconds} с процессорного времени"
    elif signal_number == 6:  # SIGABRT: the Rust parser could not allocate memory
        reason = "программа чтения аварийно завершилась (нехватка памяти при разборе)"
    elif signal_number == 9:
        reason = "программа чтения была остановлена"
    else:
        reason = f"программа чтения аварийно завершилась (код {exitcode})"
    return reason


def _death(job: Job, exitcode: int | None, lang: str, limits: Limits) -> FileResult:
    return failure(job, "file-unreadable", lang, reason=_death_reason(exitcode, limits))


def _warm(classifiers: Classifiers) -> None:
    """Load once, before forking, what every worker needs (forked workers inherit it)."""
    import python_calamine  # noqa: F401

    from ..findings import issue_types
    from .sheet import _matcher

    issue_types()
    _matcher(tuple(classifiers.columns))
    _matcher(tuple(classifiers.requirement_columns))


def run_in_workers(
    jobs: Iterable[Job],
    workers: int,
    classifiers: Classifiers,
    limits: Limits,
    lang: str,
    on_result: Callable[[Job, FileResult], None],
) -> None:
    """Read *jobs* in *workers* processes, calling *on_result* in the caller's process as each
    file is done (a file whose worker died or overran its time gets a file-unreadable result)."""
    pending = deque(replace(job, careful=False) for job in jobs)
    if not pending:
        return
    context = _context()
    _warm(classifiers)
    args = (classifiers, limits, lang)
    pool = [_Worker(context, args) for _ in range(max(1, min(workers, len(pending))))]

    def replace_worker(index: int) -> deque[Job]:
        """Stop the worker at *index* (dead or overrunning), start another in its place and
        give back the files it held."""
        held = pool[index].jobs
        pool[index].stop(kill=True)
        pool[index] = _Worker(context, args)
        return held

    try:
        while True:
            for index, worker in enumerate(pool):
                if worker.retired and pending:  # files given back by a worker that died
                    worker.stop()
                    worker = pool[index] = _Worker(context, args)
                while len(worker.jobs) < _QUEUED and pending:
                    worker.give(pending.popleft())
            busy = [w for w in pool if w.jobs]
            if not busy:
                break
            now = time.monotonic()
            timeout = min(w.started + limits.wall_seconds for w in busy) - now
            ready = set(wait([w.conn for w in busy], timeout=max(0.0, timeout)))
            for index, worker in enumerate(pool):
                if not worker.jobs:
                    continue
                if worker.conn in ready:
                    try:
                        payload = worker.conn.recv_bytes()
                    except (EOFError, OSError):
                        worker.process.join(timeout=5)
                        exitcode = worker.process.exitcode
                        job, *others = replace_worker(index)
                        pending.extendleft(reversed(others))
                        if not job.careful:
                            # Read it again, measuring each sheet before the parser sees it.
                            pending.appendleft(replace(job, careful=True))
                            continue
                        on_result(job, _death(job, exitcode, lang, limits))
                        continue
                    job = worker.done()
                    # The worker's next file first, then the unpickling: the worker reads
                    # while this process unpickles. A worker with nothing left to read ends
                    # now, while the others finish.
                    if pending:
                        worker.give(pending.popleft())
                    elif not worker.jobs:
                        worker.retire()
                    on_result(job, pickle.loads(payload))
                elif time.monotonic() - worker.started > limits.wall_seconds:
                    job, *others = replace_worker(index)
                    pending.extendleft(reversed(others))
                    on_result(
                        job,
                        failure(
                            job,
                            "file-unreadable",
                            lang,
                            reason=f"разбор не закончился за {limits.wall_seconds:g} с",
                        ),
                    )
    finally:
        for worker in pool:
            worker.stop()
