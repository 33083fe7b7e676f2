"""A1 cell addresses, as the clerk sees them in Excel (columns A … XFD, rows 1 … 1,048,576)."""

from __future__ import annotations

import re

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "a1",
    "column_index",
    "column_letter",
    "parse_a1",
]

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384  # XFD
#: Excel's limit of characters in a cell: a longer text is cut when written.
MAX_CELL_CHARS = 32_767

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def column_letter(index: int) -> str:
    """Excel letters of a zero-based column index: 0 → ``A``, 25 → ``Z``, 26 → ``AA``,
    16383 → ``XFD``."""
    if not 0 <= index < MAX_COLUMNS:
        raise ValueError(f"column index {index} is outside A…XFD (0…{MAX_COLUMNS - 1})")
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """Zero-based index of Excel column letters: ``A`` → 0, ``XFD`` → 16383."""
    if not letters.isascii() or not letters.isalpha() or len(letters) > 3:
        raise ValueError(f"not an Excel column: {letters!r}")
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    if index > MAX_COLUMNS:
        raise ValueError(f"column {letters!r} is beyond XFD")
    return index - 1


def a1(row: int, column: int) -> str:
    """A1 address of a one-based Excel *row* and a zero-based *column*: ``a1(2, 0)`` → ``A2``."""
    if not 1 <= row <= MAX_ROWS:
        raise ValueError(f"row {row} is outside 1…{MAX_ROWS}")
    return f"{column_letter(column)}{row}"


def parse_a1(address: str) -> tuple[int, int]:
    """(one-based row, zero-based column) of an A1 address: ``parse_a1("B3")`` → ``(3, 1)``."""
    match = _A1.match(address.strip())
    if not match:
        raise ValueError(f"not an A1 address: {address!r}")
    row = int(match.group(2))
    if not 1 <= row <= MAX_ROWS:
        raise ValueError(f"row {row} is outside 1…{MAX_ROWS}")
    return row, column_index(match.group(1))
