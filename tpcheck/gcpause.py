"""Pausing Python's cyclic garbage collector around the phases that make millions of small,
acyclic objects: the reader joining the files' rows, the checks making their issues, the writers
making XlsxWriter's cells. Each collection the allocations trigger walks every object still
alive — the whole frame among them — again and again, for nothing: none of those objects is in
a cycle. Up to a third of a big phase's time."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused_gc"]


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (reference counting still frees every
    object let go of); it is enabled again on exit if it was enabled on entry, so blocks nest."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
