"""Text tables: the one place CSV and plain-text files are decoded and split into rows.

Used for CSV submissions (:mod:`.worker`) and for the registry and roster files
(:mod:`.registry`). What Excel, LibreOffice and 1С write is accepted:

* encoding — UTF-8 with or without BOM, UTF-16 with BOM (Excel's «Текст Юникод»), UTF-16
  without BOM when every other byte is zero, else Windows-1251;
* line ends — CRLF (Windows), LF, CR alone (Excel «CSV (Macintosh)»);
* separator — «;» (Russian Excel), «,», tab: the one the header line (the first line with
  text) uses most outside quotes.

Rows keep the number of the line they start on (a quoted cell may span lines), as a text
editor shows it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .sheet import Grid

__all__ = ["CsvError", "TextTable", "csv_grid", "decode", "read_lines", "read_table"]

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8 (BOM)"),
    (b"\xff\xfe", "utf-16-le", "UTF-16 LE (BOM)"),
    (b"\xfe\xff", "utf-16-be", "UTF-16 BE (BOM)"),
)
_SEPARATORS = (";", "\t", ",")  # on a tie, the first wins
_SEPARATOR_NAMES = {";": ";", "\t": "табуляция", ",": ","}


class CsvError(ValueError):
    """A text file that cannot be decoded: the message says which encodings were tried."""


@dataclass
class TextTable:
    """The rows of a text file, ``numbers`` the line each starts on, and how it was written:
    ``encoding`` (as a person names it), ``separator`` and ``line_ends`` (CRLF, LF, CR)."""

    rows: list[list[str]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    encoding: str = "UTF-8"
    separator: str = ";"
    line_ends: str = "LF"

    @property
    def separator_name(self) -> str:
        return _SEPARATOR_NAMES.get(self.separator, self.separator)


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the zero bytes of *data* say so (Cyrillic and Latin
    text in UTF-16 has a zero in every other byte of most characters)."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even == 0:
        return "utf-16-le"
    if even > half * 0.3 and odd == 0:
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str, str]:
    """``(text, encoding as a person names it)`` of *data*; raises :class:`CsvError`."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec.removesuffix("-sig")), name
            except UnicodeDecodeError as exc:
                raise CsvError(f"текст поврежден: не {name} (байт {exc.start})") from None
    wide = _utf16_without_bom(data)
    if wide is not None:
        try:
            return data.decode(wide), wide.upper().replace("UTF-16-", "UTF-16 ")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251"), "Windows-1251"
    except UnicodeDecodeError as exc:
        raise CsvError(
            "кодировка не распознана (не UTF-8, не UTF-16 с BOM и не Windows-1251: "
            f"байт {data[exc.start]:#04x} в позиции {exc.start})"
        ) from None


def _line_ends(text: str) -> tuple[str, str]:
    """*text* with every line end as LF, and the line ends it had (the most frequent)."""
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    counts = {"CRLF": crlf, "CR": cr, "LF": lf}
    kind = max(counts, key=counts.__getitem__) if any(counts.values()) else "LF"
    if cr or crlf:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, kind


def _outside_quotes(line: str) -> dict[str, int]:
    counts = dict.fromkeys(_SEPARATORS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return counts


def _separator(text: str) -> str:
    """The separator the first line with text uses most (outside quotes); «;» by default."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    counts = _outside_quotes(first)
    best = max(_SEPARATORS, key=lambda s: (counts[s], -_SEPARATORS.index(s)))
    return best if counts[best] else ";"


def read_table(data: bytes, *, separator: str | None = None) -> TextTable:
    """The rows of the text file *data* (see the module docstring); *separator* None: found.
    Raises :class:`CsvError` when the text cannot be decoded."""
    text, encoding = decode(data)
    text, ends = _line_ends(text)
    sep = separator or _separator(text)
    table = TextTable(encoding=encoding, separator=sep, line_ends=ends)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=False)
    line = 0
    try:
        for row in reader:
            table.rows.append(row)
            table.numbers.append(line + 1)
            line = reader.line_num
    except csv.Error as exc:  # a NUL byte, a field over csv's limit
        raise CsvError(f"строка {line + 1} не разбирается как CSV ({exc})") from None
    return table


def read_lines(data: bytes) -> list[str]:
    """The lines of the plain-text file *data* (any of the encodings and line ends above)."""
    text, _ = decode(data)
    return _line_ends(text)[0].split("\n")


def csv_grid(table: TextTable, name: str) -> Grid:
    """*table* as a :class:`~.sheet.Grid` named *name*, its rows numbered by their lines."""
    from .sheet import Grid

    width = max(map(len, table.rows), default=0)
    return Grid(name=name, rows=list(zip(table.numbers, table.rows, strict=True)), width=width)
