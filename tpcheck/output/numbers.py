"""Row numbers (the «№» column) written as numbers: a number stored as text is flagged by Excel
(«число сохранено как текст») and sorts as text (1, 10, 2). Only a plain whole number becomes a
number; anything else the clerk typed («1а», «01», «12.1») stays text, exactly as written."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

__all__ = ["as_number", "as_numbers"]

#: A whole number as a person writes it: no sign, no leading zero, at most 15 digits (Excel's
#: precision), surrounding spaces allowed.
_WHOLE = re.compile(r"\s*([1-9][0-9]{0,14}|0)\s*")


def as_number(value: Any) -> Any:
    """*value* as an int when it is a whole number or the text of one; else unchanged."""
    if type(value) is int:
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, str):
        match = _WHOLE.fullmatch(value)
        if match:
            return int(match.group(1))
    return value


def as_numbers(values: Sequence[Any]) -> list[Any]:
    """:func:`as_number` of a whole column."""
    return [as_number(v) for v in values]
