"""Text made safe and short for a terminal: file names and data values are shown as they are,
never obeyed (a name holding ``ESC [2J`` must not clear the screen, ``[bold]`` must not turn
rich's markup on), and long names are cut from the left so the part that tells files apart stays.

Used by :mod:`tpcheck.terminal` (merge, check), :mod:`tpcheck.cli` (publish, diff, errors) and
:mod:`tpcheck.register.commands` (approve, status, the register's lines).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.markup import escape

from .i18n import text

__all__ = [
    "LISTED_FILES",
    "MIN_NAME",
    "file_lines",
    "markup",
    "safe",
    "shorten",
    "shorten_all",
    "width",
]

#: The narrowest file-name column worth a table (tpcheck.terminal); the least room a name gets.
MIN_NAME = 20

#: C0 controls, DEL, C1 controls, and the invisible characters that reorder or hide text (bidi
#: embeddings, overrides and isolates, marks, zero-width joiners): each shown as an escape.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)
_UNSAFE_KEEP_LINES = re.compile(_UNSAFE.pattern.replace("\x00-\x1f", "\x00-\x09\x0b-\x1f"))

ELLIPSIS = "…"
#: What separates folders in a name shown: "/", and "\\" on Windows only (elsewhere a backslash
#: is part of a name, and of the escapes of :func:`safe`).
_SEPARATOR = re.compile("[/\\\\]" if os.sep == "\\" else "/")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: object, *, lines: bool = False) -> str:
    """*text* with every control and invisible formatting character written out (``\\x1b``,
    ``\\u202e``), so that printing it cannot move the cursor, clear the screen, set the window
    title, open a link or reverse the text. With *lines*, line breaks are kept."""
    pattern = _UNSAFE_KEEP_LINES if lines else _UNSAFE
    return pattern.sub(_visible, str(text))


def markup(text: object) -> str:
    """*text* ready for rich's markup: :func:`safe`, and ``[…]`` shown literally."""
    return escape(safe(text))


def width(default: int = 120) -> int:
    """The terminal's width in columns: ``$COLUMNS`` when set, else the terminal's own, else
    *default* (output to a file or a pipe)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return os.get_terminal_size(sys.stdout.fileno()).columns
    return default


def _must_show(name: str, others: Sequence[str]) -> int:
    """The index in *name* of the rightmost character that tells it apart from every other
    name (just before the longest end it shares with one of them); ``len(name)`` when there is
    no other name."""
    must = len(name)
    for other in others:
        if other == name:
            continue
        common = 0
        for a, b in zip(reversed(name), reversed(other), strict=False):
            if a != b:
                break
            common += 1
        must = min(must, len(name) - 1 - common)
    return must if must < len(name) else len(name)


def _last(text: str, cells: int) -> str:
    """The longest end of *text* that takes at most *cells* terminal columns."""
    taken = 0
    for i in range(len(text) - 1, -1, -1):
        taken += cell_len(text[i])
        if taken > cells:
            return text[i + 1 :]
    return text


def shorten(name: str, limit: int, others: Sequence[str] = ()) -> str:
    """*name* in at most *limit* terminal columns (a CJK character or an emoji takes two), cut
    from the left: whole folders first (``…/Отдел_связи.xlsx``), then characters
    (``…дел_связи.xlsx``); when the part that tells it apart from *others* would be cut, the
    middle goes instead (``…/a…/perechen.xlsx``)."""
    if cell_len(name) <= limit:
        return name
    limit = max(limit, 4)
    must = min(max(_must_show(name, others), 0), len(name) - 1)
    # whole folders: the longest tail after a "/" that fits and still shows the must character
    for start in (m.end() for m in _SEPARATOR.finditer(name)):
        tail = name[start:]
        if cell_len(tail) + 2 <= limit:
            if start <= must:
                return f"{ELLIPSIS}/{tail}"
            break
    if cell_len(name[must:]) + 1 <= limit:
        return ELLIPSIS + _last(name, limit - 1)
    # the distinguishing part and the end, the middle cut
    base = cell_len(_SEPARATOR.split(name)[-1]) + 1  # the file's own name with its "/"
    end = _last(name[must + 1 :], max(1, min(base, (limit - 2) * 2 // 3)))
    head = _last(name[: must + 1], limit - 2 - cell_len(end))
    return f"{ELLIPSIS}{head}{ELLIPSIS}{end}"


def shorten_all(names: Sequence[str], limit: int) -> list[str]:
    """Every name of *names* by :func:`shorten`, each kept apart from the others."""
    return [shorten(name, limit, names) for name in names]


#: How many unreadable or skipped files are listed on the terminal; the rest are counted.
LISTED_FILES = 20


def file_lines(
    reports: Sequence[Any],
    lang: str,
    columns: int,
    more_in: str | None = None,
    statuses: tuple[str, ...] = ("unreadable", "skipped"),
) -> list[str]:
    """One line for every unreadable or skipped file of *reports* (:class:`~tpcheck.Report`):
    its name and why, the first :data:`LISTED_FILES` of them, then how many more and where
    they are listed (*more_in*, a report file). *statuses*: which files to list."""
    found = []
    for report in reports:
        for info in report.files:
            if info.status in statuses:
                found.append((report, info))
    if not found:
        return []
    names = shorten_all([safe(info.path) for _, info in found], max(MIN_NAME, columns // 2))
    lines = [text("terminal.files_heading", lang, count=len(found))]
    for name, (report, info) in list(zip(names, found, strict=True))[:LISTED_FILES]:
        reason = _reason(report, info)
        key = "file_unreadable" if info.status == "unreadable" else "file_skipped"
        lines.append(safe(text(f"terminal.{key}", lang, name=name, reason=reason)))
    rest = len(found) - LISTED_FILES
    if rest > 0:
        if more_in:
            lines.append(safe(text("terminal.files_more_in", lang, count=rest, report=more_in)))
        else:
            lines.append(text("terminal.files_more", lang, count=rest))
    return lines


def _reason(report: Any, info: Any) -> str:
    """Why the file was not read, in one line: the reader's reason for a skipped file; for an
    unreadable one the message of its file-level error, the file's name left out."""
    if info.status == "unreadable":
        for issue in report.records:
            if issue.file == info.path and issue.row is None and issue.severity == "error":
                message = " ".join(issue.message.split())
                return message.replace(f"«{info.path}»", "").replace("  ", " ")
    return " ".join(str(info.reason or "").split())
