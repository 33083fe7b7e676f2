"""The one guard against formula injection (OWASP «CSV injection») for every output: text that a
spreadsheet would take for a formula when typed, pasted or opened from CSV is written as text —
in a workbook with the quote-prefix mark, in CSV with a leading apostrophe."""

from __future__ import annotations

__all__ = ["FORMULA_STARTS", "RISKY_START", "formula_safe", "is_risky"]

#: First characters that make a spreadsheet read a text as a formula: ``=``, ``+``, ``-``, ``@``,
#: tab, carriage return (as a tuple for ``str.startswith``).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The same characters as a set, for ``text[0] in RISKY_START`` in the writers' hot loops.
RISKY_START = frozenset(FORMULA_STARTS)


def is_risky(text: str) -> bool:
    """True when *text* would be read as a formula if typed or pasted."""
    return bool(text) and text[0] in RISKY_START


def formula_safe(text: str) -> str:
    """*text* with an apostrophe in front when a spreadsheet would take it for a formula (for CSV,
    where no cell format can mark it as text)."""
    return "'" + text if is_risky(text) else text
