"""Paths given by the user → the files to read, in a deterministic order.

Arguments are taken in the order given; a folder contributes every file below it, sorted by
relative path. A file found in a folder is reported under ``folder/relative/path`` (the folder
as given). Excel and LibreOffice lock files (``~$name.xlsx``, ``.~lock.name.xlsx#``) and files
that are not spreadsheets by their extension are skipped when found in a folder; a lock file is
skipped even when given by name (shell globs pick them up), while any other file given by name
is read — a non-spreadsheet then gets ``file-not-spreadsheet``.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

__all__ = [
    "SPREADSHEET_EXTENSIONS",
    "TEXT_EXTENSIONS",
    "Candidate",
    "discover",
    "is_lock_file",
    "shown_path",
]

#: Extensions of the workbooks a folder is searched for.
SPREADSHEET_EXTENSIONS = frozenset(
    {".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlt", ".ods", ".ots", ".xlsb"}
)
#: Extensions of the text tables (CSV) a folder is searched for too.
TEXT_EXTENSIONS = frozenset({".csv"})


@dataclass(frozen=True)
class Candidate:
    """One file met: ``path`` as reported, ``real`` the path to open, ``explicit`` when named
    by the user, ``skip`` the reason key when it is not to be read (``lock``, ``other``),
    ``root`` the folder as given when the file was found in one; or a folder below a given one
    that could not be listed (``unreadable``: the reason)."""

    path: str
    real: str
    explicit: bool
    skip: str | None = None
    #: a folder that could not be listed: why (its files are not known, so not read)
    unreadable: str | None = None
    root: str | None = None


def is_lock_file(name: str) -> bool:
    """``~$Книга.xlsx`` (Excel) and ``.~lock.Книга.xlsx#`` (LibreOffice)."""
    return name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#"))


def _walk(folder: Path) -> tuple[list[tuple[str, ...]], dict[tuple[str, ...], str]]:
    """Relative paths (as tuples of parts) of the files below *folder*, sorted, and the folders
    that could not be listed (no permission, gone meanwhile) with the reason; symbolic links
    to folders are not followed (they could loop)."""
    found: list[tuple[str, ...]] = []
    failed: dict[tuple[str, ...], str] = {}

    def failure(error: OSError) -> None:
        where = Path(error.filename if error.filename is not None else folder)
        try:
            rel = where.relative_to(folder).parts
        except ValueError:
            rel = ()
        # the errno's name (EACCES…), told in words by the reader; else the system's own words
        failed[rel] = errno.errorcode.get(error.errno or 0) or error.strerror or "OSError"
        found.append(rel)

    for top, dirs, files in os.walk(folder, onerror=failure, followlinks=False):
        rel = Path(top).relative_to(folder).parts
        dirs.sort()
        for name in files:
            found.append((*rel, name))
    found.sort()
    return found, failed


def shown_path(text: str) -> str:
    """*text*, a path, as it can be shown and written in the reports: a name that is not valid
    UTF-8 on disk (a Windows-1251 name from an unpacked archive, which Python holds as lone
    surrogates) gets its undecodable bytes as ``\\xNN``; any other path is returned as it is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        data = text.encode(
            "utf-8", "surrogateescape" if _escaped_only(text) else "backslashreplace"
        )
        return data.decode("utf-8", "backslashreplace")
    return text


def _escaped_only(text: str) -> bool:
    """True when the only surrogates of *text* are the escaped bytes of :func:`os.fsdecode`."""
    return all(not "\ud800" <= c <= "\udfff" or "\udc80" <= c <= "\udcff" for c in text)


def discover(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Candidate]:
    """The files named by *paths* (files and folders), in order. A path that does not exist is
    broken usage: :class:`~tpcheck.errors.InputError`."""
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    candidates: list[Candidate] = []
    for given in paths:
        text = os.fspath(given)
        path = Path(text)
        if path.is_dir():
            found, failed = _walk(path)
            for parts in found:
                shown = os.path.join(text, *parts)
                if parts in failed:
                    candidates.append(
                        Candidate(shown_path(shown), shown, False, unreadable=failed[parts])
                    )
                    continue
                name = parts[-1]
                if is_lock_file(name):
                    skip = "lock"
                elif Path(name).suffix.lower() not in SPREADSHEET_EXTENSIONS | TEXT_EXTENSIONS:
                    skip = "other"
                else:
                    skip = None
                candidates.append(Candidate(shown_path(shown), shown, False, skip, root=text))
        elif path.exists():
            skip = "lock" if is_lock_file(path.name) else None
            candidates.append(Candidate(shown_path(text), text, True, skip))
        else:
            raise InputError(key="errors.not_found", values={"path": text})
    return candidates
