"""Who reported a file, when the file says so: the document properties a spreadsheet program
writes (``cp:lastModifiedBy``, else ``dc:creator`` of an xlsx/xlsm; ``dc:creator``, else
``meta:initial-creator`` of an ods). Names that are programs, not people, are ignored."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

__all__ = ["reported_by"]

#: The properties part of each format and the elements read from it, in order of preference.
_PARTS = {
    ".xlsx": ("docProps/core.xml", ("cp:lastModifiedBy", "dc:creator")),
    ".xlsm": ("docProps/core.xml", ("cp:lastModifiedBy", "dc:creator")),
    ".ods": ("meta.xml", ("dc:creator", "meta:initial-creator")),
}
#: Authors that name a program rather than a person.
_PROGRAMS = {"openpyxl", "tpcheck", "xlsxwriter", "python", "apache poi", "libreoffice"}
_LIMIT = 1 << 16  # a properties part is a few hundred bytes; a larger one is not read


def reported_by(path: str | Path) -> str | None:
    """The person the file's properties name as its last editor or author, or None."""
    path = Path(path)
    found = _PARTS.get(path.suffix.lower())
    if found is None:
        return None
    part, elements = found
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(part)
            if info.file_size > _LIMIT:
                return None
            data = archive.read(info).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return None
    for element in elements:
        match = re.search(rf"<{element}>([^<]{{1,200}})</{element}>", data)
        name = html.unescape(match.group(1)).strip() if match else ""
        if name and name.casefold() not in _PROGRAMS:
            return name
    return None
