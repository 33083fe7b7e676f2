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

import os
import pickle
from collections.abc import Callable
from typing import Any

from .lifeline import die_with_parent
from .limits import Limits

__all__ = ["BoundExceeded", "die_with_parent", "run_bounded"]


class BoundExceeded(Exception):
    """The child overran a bound or died; ``reason`` says how (Russian)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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
