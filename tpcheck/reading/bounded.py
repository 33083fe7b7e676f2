"""One call in a child process under the reader's bounds, and children that die with their parent.

:func:`run_bounded` runs a function in a process of its own with the worker's CPU-time, memory
and wall-clock bounds (:class:`~tpcheck.reading.limits.Limits`): the registry, the roster and
any other workbook that is not a submission are parsed this way, so that a parser abort (the
far corner of tafia/calamine #693) or a loop ends the child, not the run.

:func:`die_with_parent` makes a child process end when the process that started it ends —
killed, even with SIGKILL — instead of living on with inherited pipe ends (a caller reading
tpcheck's output through a pipe would wait for them forever): ``PR_SET_PDEATHSIG`` on Linux,
a watchdog thread elsewhere.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from .limits import Limits

__all__ = ["BoundExceeded", "die_with_parent", "run_bounded"]

_PR_SET_PDEATHSIG = 1


class BoundExceeded(Exception):
    """The child overran a bound or died; ``reason`` says how (Russian)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _watch(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(1)


def die_with_parent(parent: int) -> None:
    """End this (child) process when its parent *parent* (the pid it had when it was started)
    ends. Call it first thing in the child. SIGTERM, which the parent may have made raise an
    exception (the command line does), ends the child again as it does by default."""
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError, TypeError):
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the call
                    os._exit(1)
                return
    if hasattr(os, "getppid"):
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def _child(conn: Any, parent: int, function: Callable[..., Any], args: tuple, limits: Limits):
    from .pool import _limit_cpu, _limit_memory, _quiet_stderr

    die_with_parent(parent)
    _quiet_stderr()
    _limit_memory(limits)
    _limit_cpu(limits)
    try:
        payload = ("ok", function(*args))
    except BaseException as exc:  # handed back to the caller, which raises it
        payload = ("error", exc)
    try:
        conn.send_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception as exc:  # an exception that does not pickle
        conn.send_bytes(pickle.dumps(("error", RuntimeError(repr(exc)))))
    conn.close()


def run_bounded(function: Callable[..., Any], args: tuple, limits: Limits) -> Any:
    """``function(*args)`` in a child process within *limits*; what it returns or raises comes
    back here. A child that overruns the wall-clock bound is killed; one that dies (a parser
    abort, the CPU or memory bound) raises :class:`BoundExceeded`."""
    from .pool import _context, _death_reason

    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(sender, os.getpid(), function, args, limits), daemon=True
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(limits.wall_seconds):
            raise BoundExceeded(f"разбор не закончился за {limits.wall_seconds:g} с")
        try:
            data = receiver.recv_bytes()
        except (EOFError, OSError):
            process.join(timeout=5)
            raise BoundExceeded(_death_reason(process.exitcode, limits)) from None
    finally:
        if process.is_alive():
            process.join(timeout=0.5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
        receiver.close()
    status, value = pickle.loads(data)
    if status == "error":
        raise value
    return value
