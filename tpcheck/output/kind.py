"""What kind of tpcheck output a workbook is: the document property ``tpcheck-kind``.

Every workbook tpcheck writes names its kind in a custom document property (:func:`mark`), so
that a later run recognises its own outputs by that property, never by a file or column name
(issue 15: a clerk's filtered copy of the consolidated workbook carries the same columns).
:func:`kind_of` reads it back cheaply: ``docProps/custom.xml`` inside the zip, with a bounded
read; ODS and legacy ``.xls`` files are never tpcheck's (it writes only xlsx).
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from typing import Any

__all__ = [
    "AUTHOR",
    "CONSOLIDATED",
    "FORMS",
    "KINDS",
    "NOT_SUBMISSIONS",
    "PROPERTY",
    "RETURNED",
    "kind_of",
    "mark",
    "saved_since_written",
]

#: The name of the custom document property.
PROPERTY = "tpcheck-kind"
CONSOLIDATED = "consolidated"
#: Every kind, as written (the value of :data:`PROPERTY`).
KINDS = frozenset(
    {
        CONSOLIDATED,  # perechen_svodny.xlsx (merge)
        "return-copy",  # vozvrat/*_zamechaniya.xlsx (merge, check)
        "fixed-copy",  # --fixed-copies
        "issues-report",  # the error report workbook (merge, check)
        "publication",  # perechen.xlsx (publish)
        "publication-report",  # publication_report.xlsx (publish)
        "changes",  # changes.xlsx (diff)
        "template",  # perechen_template.xlsx (template)
        "registry-template",  # the registry of processes' template
        "register-status",  # status.xlsx (register status)
    }
)
#: Kinds that never hold a subdivision's submission: skipped when met in a folder.
NOT_SUBMISSIONS = frozenset(
    {"issues-report", "publication", "publication-report", "changes", "register-status"}
)
#: Kinds sent back to a clerk, who may correct and return them: skipped in a folder only while
#: nobody has saved them since tpcheck wrote them.
RETURNED = frozenset({"return-copy", "fixed-copy"})
#: Forms a clerk fills: always read as submissions (an empty one has no data rows anyway).
FORMS = frozenset({"template", "registry-template"})

_ZIP_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})
_MAX_PART = 64 * 1024  # bytes of docProps/custom.xml or core.xml read at most
_PROPERTY = re.compile(
    r'<property\b[^>]*\bname\s*=\s*"' + re.escape(PROPERTY) + r'"[^>]*>\s*<vt:lpwstr>([^<]{1,64})<',
    re.S,
)
_LAST_AUTHOR = re.compile(r"<cp:lastModifiedBy\b[^>]*>([^<]{0,200})<")
#: The author (and last author) every workbook tpcheck writes names.
AUTHOR = "tpcheck"


def mark(book: Any, kind: str) -> None:
    """Give the xlsxwriter or openpyxl workbook *book* the property naming its *kind*."""
    if kind not in KINDS:
        raise ValueError(f"unknown output kind {kind!r}; known: {sorted(KINDS)}")
    if hasattr(book, "set_custom_property"):  # xlsxwriter
        book.set_custom_property(PROPERTY, kind)
        return
    from openpyxl.packaging.custom import StringProperty

    book.properties.lastModifiedBy = AUTHOR
    props = book.custom_doc_props
    for name in [p.name for p in props.props if p.name == PROPERTY]:
        del props[name]
    props.append(StringProperty(name=PROPERTY, value=kind))


def _part(path: str | os.PathLike[str], name: str) -> str | None:
    """The text of the part *name* of the zip at *path* (at most :data:`_MAX_PART` bytes), or
    None: not a zip, no such part, too large, unreadable."""
    if os.path.splitext(os.fspath(path))[1].lower() not in _ZIP_EXTENSIONS:
        return None
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None  # a FIFO, a device, a folder: never opened here (it could block)
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(name)
            if info.file_size > _MAX_PART or info.compress_size > _MAX_PART:
                return None
            with archive.open(info) as stream:
                data = stream.read(_MAX_PART + 1)
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError):
        return None
    if len(data) > _MAX_PART:
        return None
    return data.decode("utf-8", "replace")


def kind_of(path: str | os.PathLike[str]) -> str | None:
    """The kind tpcheck wrote into the workbook at *path*, or None (not tpcheck's, not an xlsx,
    unreadable). Never raises."""
    text = _part(path, "docProps/custom.xml")
    if text is None:
        return None
    found = _PROPERTY.search(text)
    if found is None:
        return None
    value = found.group(1).strip()
    return value if value in KINDS else None


def saved_since_written(path: str | os.PathLike[str]) -> bool:
    """True when the workbook at *path* was saved again after tpcheck wrote it: tpcheck writes
    «tpcheck» as the last author (``cp:lastModifiedBy``), an office suite puts the name of the
    person who saved it there (or nothing). A workbook whose core properties cannot be read
    counts as saved."""
    text = _part(path, "docProps/core.xml")
    if text is None:
        return True
    found = _LAST_AUTHOR.search(text)
    return found is None or found.group(1).strip() != AUTHOR
