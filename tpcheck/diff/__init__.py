"""Actualization (п. 5.3–5.5): the change between two versions of the Перечень (:mod:`.model`),
its reports (:mod:`.write`) and the working-day calendar of the deadline (:mod:`.workdays`)."""

from .model import Diff, diff

__all__ = ["Diff", "diff"]
