"""Look at a workbook package before any parser does.

python-calamine is fast but trusts its input: a 5 KB sheet with cells in A1 and XFD1048576 makes
it allocate the whole rectangle and abort the process (tafia/calamine #693), a zip of blank rows
costs it minutes. So the bytes are looked at first, with bounded work:

* the real format by its magic bytes (a renamed .xls, a .docx, a PDF, a text file), encryption
  (an OLE2 «EncryptedPackage», an encrypted ODS manifest), macros (``vbaProject.bin``, OLE
  ``_VBA_PROJECT_CUR``, ODS ``Basic/``);
* the zip directory: declared uncompressed sizes and ratios (zip bombs), before inflating;
* every XML part's prolog: a DTD (entity expansion, external entities) is refused;
* each worksheet that may be parsed is then streamed by :mod:`.scan` (the rectangle of filled
  cells — what calamine will allocate —, hidden rows, error values, formulas without a cached
  value and merged ranges: things calamine does not report).

Nothing here raises on bad input: problems come back as :class:`Problem` records.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from html import unescape
from io import BytesIO
from typing import IO

from .limits import Limits

__all__ = ["Package", "Problem", "inspect_package", "sniff"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
XML_PART = (".xml", ".rels", ".vml")
PROLOG_LIMIT = 64 * 1024

#: What a file that is not a workbook is, by its first bytes (shown in file-not-spreadsheet).
_MAGIC_KINDS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF-документ"),
    (b"\x89PNG", "изображение PNG"),
    (b"\xff\xd8\xff", "изображение JPEG"),
    (b"GIF8", "изображение GIF"),
    (b"{\\rtf", "документ RTF"),
    (b"\x1f\x8b", "архив gzip"),
    (b"7z\xbc\xaf\x27\x1c", "архив 7z"),
    (b"Rar!", "архив RAR"),
    (b"MZ", "программа Windows"),
    (b"\x7fELF", "программа"),
)


@dataclass(frozen=True)
class Problem:
    """A reason not to parse the file: the issue code and its message parameters."""

    code: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class Package:
    """The verdict on one file: its real ``format`` (``xlsx``, ``xlsm``, ``xls``, ``ods``), a
    fatal ``problem`` or None, ``warnings`` (format mismatch, macros), and for zip packages
    the open archive and the worksheet parts by sheet name."""

    format: str | None = None
    problem: Problem | None = None
    warnings: list[Problem] = field(default_factory=list)
    archive: zipfile.ZipFile | None = None
    sheet_parts: dict[str, str] = field(default_factory=dict)
    hidden_sheets: set[str] = field(default_factory=set)


# ------------------------------------------------------------------------------ sniffing


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head[:4096]:
        return head.startswith((b"\xff\xfe", b"\xfe\xff"))
    for encoding in ("utf-8", "cp1251"):
        try:
            text = head[:4096].decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return printable >= 0.95 * len(text)
    return False


def sniff(head: bytes) -> str:
    """The container of a file by its first bytes: ``zip``, ``ole``, ``empty`` or a Russian
    description of what else it is (``PDF-документ``, ``текстовый файл`` …)."""
    if not head:
        return "empty"
    if head.startswith(ZIP_MAGICS):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    for magic, kind in _MAGIC_KINDS:
        if head.startswith(magic):
            return kind
    start = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table")):
        return "веб-страница HTML"
    if start.startswith(b"<?xml"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in head[:4096]:
            return "таблица XML 2003 (устаревший формат)"
        return "файл XML"
    if _looks_like_text(head):
        return "текстовый файл"
    return "файл неизвестного формата"


# ------------------------------------------------------------------------------ OLE2


def _ole_names(data: bytes) -> set[str]:
    """Names of the entries of an OLE2 compound file's directory (bounded walk of the FAT
    chain of the directory stream; an unreadable structure gives what was read)."""
    names: set[str] = set()
    if len(data) < 512:
        return names
    try:
        sector_shift = struct.unpack_from("<H", data, 30)[0]
        sector_size = 1 << sector_shift
        if sector_size not in (512, 4096):
            return names
        fat_sectors = struct.unpack_from("<I", data, 44)[0]
        first_dir = struct.unpack_from("<I", data, 48)[0]
        difat = list(struct.unpack_from("<109I", data, 76))
        first_difat, difat_count = struct.unpack_from("<II", data, 68)

        def sector(index: int) -> bytes:
            start = 512 + index * sector_size if sector_size == 512 else (index + 1) * 4096
            return data[start : start + sector_size]

        next_difat, seen = first_difat, 0
        while next_difat < 0xFFFFFFFA and seen < min(difat_count, 1 << 16):
            block = sector(next_difat)
            if len(block) < sector_size:
                break
            values = struct.unpack(f"<{sector_size // 4}I", block)
            difat.extend(values[:-1])
            next_difat = values[-1]
            seen += 1
        fat: list[int] = []
        for index in difat[: min(fat_sectors, len(difat))]:
            if index >= 0xFFFFFFFA:
                continue
            block = sector(index)
            fat.extend(struct.unpack(f"<{len(block) // 4}I", block[: len(block) // 4 * 4]))
        current, visited = first_dir, set()
        while current < len(fat) and current not in visited and len(visited) < 1 << 16:
            visited.add(current)
            block = sector(current)
            for offset in range(0, len(block) - 127, 128):
                length = struct.unpack_from("<H", block, offset + 64)[0]
                if 2 <= length <= 64:
                    name = block[offset : offset + length - 2].decode("utf-16-le", "replace")
                    names.add(name)
            current = fat[current]
    except (struct.error, IndexError, ValueError):
        return names
    return names


def _inspect_ole(data: bytes, extension: str, package: Package) -> Package:
    names = _ole_names(data)
    if {"EncryptionInfo", "EncryptedPackage"} & names:
        package.problem = Problem("file-encrypted")
        return package
    if names & {"Workbook", "Book"}:
        package.format = "xls"
        if "_VBA_PROJECT_CUR" in names or "VBA" in names:
            package.warnings.append(Problem("file-macros"))
        if extension not in (".xls", ".xlt"):
            package.warnings.append(
                Problem("file-format-mismatch", {"extension": extension, "actual": ".xls"})
            )
        return package
    kind = "документ Word 97–2003" if "WordDocument" in names else "документ OLE (не таблица)"
    if "PowerPoint Document" in names:
        kind = "презентация PowerPoint 97–2003"
    package.problem = Problem("file-not-spreadsheet", {"kind": kind})
    return package


# ------------------------------------------------------------------------------ zip packages


_SPACE = b" \t\r\n"
_UTF8_BOM = b"\xef\xbb\xbf"
#: What :func:`_prolog_end` found: the root element, a DTD (or anything else XML does not allow
#: before the root), or not yet (the text ends first).
_ROOT, _DTD, _MORE = "root", "dtd", "more"


def _as_utf8(head: bytes) -> bytes:
    """*head* as UTF-8 bytes (an UTF-16 part, with or without its byte order mark, decoded)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be"
        head = head[2:]
    elif head.startswith(b"<\x00"):
        encoding = "utf-16-le"
    elif head.startswith(b"\x00<"):
        encoding = "utf-16-be"
    else:
        return head[3:] if head.startswith(_UTF8_BOM) else head
    return head[: len(head) // 2 * 2].decode(encoding, "replace").encode("utf-8", "replace")


def _prolog_end(text: bytes) -> str:
    """Walk the prolog of *text* (UTF-8) as the XML grammar has it — the declaration,
    processing instructions, comments and white space, in any order and length — up to the
    first thing that is none of them: the root element, or a ``<!DOCTYPE`` (or any other
    markup, which a well-formed part cannot hold there)."""
    position, size = 0, len(text)
    while True:
        while position < size and text[position] in _SPACE:
            position += 1
        if position >= size:
            return _MORE
        if text.startswith(b"<?", position):
            end = text.find(b"?>", position + 2)
            if end < 0:
                return _MORE
            position = end + 2
        elif text.startswith(b"<!--", position):
            end = text.find(b"-->", position + 4)
            if end < 0:
                return _MORE
            position = end + 3
        elif size - position < 4 and b"<!--".startswith(text[position:]):
            return _MORE  # «<», «<!» or «<!-» at the end of what was read
        elif text.startswith(b"<", position) and not text.startswith(b"<!", position):
            return _ROOT
        else:
            return _DTD


def _read_prolog(stream: IO[bytes]) -> bytes:
    """The start of an XML part up to its root element (at most ``PROLOG_LIMIT`` bytes)."""
    head = stream.read(1024)
    while len(head) < PROLOG_LIMIT:
        if _prolog_end(_as_utf8(head)) != _MORE:
            break
        more = stream.read(8192)
        if not more:
            break
        head += more
    return head


#: Parts the structure check reads whole: read whole at once when their prolog is checked.
_KEPT = ("[Content_Types].xml", "xl/workbook.xml", "META-INF/manifest.xml")
_KEPT_SIZE = 1024 * 1024


class _Parts:
    """The parts of a zip package as the checks below read them: each XML part's prolog, and
    the small parts that tell the structure (content types, relationships, the workbook, the
    ODS manifest) read whole once — their prolog is checked on that — and kept for later."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.names = set(archive.namelist())
        self._kept: dict[str, bytes] = {}

    def prolog(self, info: zipfile.ZipInfo) -> bytes:
        name = info.filename
        if (name in _KEPT or name.endswith(".rels")) and info.file_size <= _KEPT_SIZE:
            try:
                whole = self.archive.read(info)
            except (zipfile.BadZipFile, zlib.error, EOFError):
                pass  # reported where the part is read for what it says
            else:
                self._kept[name] = whole
                return _read_prolog(BytesIO(whole))
        with self.archive.open(info) as stream:
            return _read_prolog(stream)

    def read(self, name: str) -> bytes:
        kept = self._kept.get(name)
        return kept if kept is not None else self.archive.read(name)


def _declares_dtd(prolog: bytes) -> bool:
    """True when the XML *prolog* declares a DTD or entities, holds anything else before the
    root element, or does not reach it within ``PROLOG_LIMIT`` bytes (too strange to tell)."""
    end = _prolog_end(_as_utf8(prolog))
    # A part that ends before a root element (empty, or a comment left open) holds no DTD.
    return end == _DTD or (end == _MORE and len(prolog) >= PROLOG_LIMIT)


def _check_sizes(archive: zipfile.ZipFile, limits: Limits) -> Problem | None:
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > limits.max_part_size:
            return Problem(
                "file-too-large",
                {
                    "reason": f"часть «{info.filename}» после распаковки занимает "
                    f"{_mb(info.file_size)} (допустимо {_mb(limits.max_part_size)})"
                },
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            times = f"{ratio:,.0f}".replace(",", " ")  # not the decimal commas of the sizes
            return Problem(
                "file-too-large",
                {
                    "reason": f"часть «{info.filename}» сжата в {times} раз "
                    f"({_mb(info.compress_size)} → {_mb(info.file_size)})"
                },
            )
    if total > limits.max_total_size:
        return Problem(
            "file-too-large",
            {
                "reason": f"после распаковки файл занимает {_mb(total)} "
                f"(допустимо {_mb(limits.max_total_size)})"
            },
        )
    return None


def _mb(size: int) -> str:
    if size >= 1024 * 1024 * 1024:
        return f"{size / 1024**3:.1f} ГБ".replace(".", ",")
    if size >= 1024 * 1024:
        return f"{size / 1024**2:.1f} МБ".replace(".", ",")
    return f"{size / 1024:.0f} КБ"


_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")


def _attrs(text: bytes) -> dict[str, str]:
    return {
        m.group(1).decode().split(":")[-1] if m.group(1) != b"r:id" else "r:id": unescape(
            (m.group(2) if m.group(2) is not None else m.group(3)).decode("utf-8", "replace")
        )
        for m in _ATTR.finditer(text)
    }


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in (*base.split("/")[:-1], *target.split("/")):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def _relationships(parts: _Parts, part: str) -> dict[str, tuple[str, str]]:
    """Id → (type, resolved target) of the relationships of *part*."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    try:
        text = parts.read(rels_name)
    except KeyError:
        return {}
    found: dict[str, tuple[str, str]] = {}
    for match in _REL.finditer(text):
        attrs = _attrs(match.group(1))
        if "Id" in attrs and "Target" in attrs and attrs.get("TargetMode") != "External":
            found[attrs["Id"]] = (attrs.get("Type", ""), _resolve(part, attrs["Target"]))
    return found


def _inspect_xlsx(parts: _Parts, extension: str, package: Package) -> Package:
    names = parts.names
    root = _relationships(parts, "")
    workbook = next(
        (target for kind, target in root.values() if kind.endswith("/officeDocument")),
        "xl/workbook.xml",
    )
    if workbook.endswith(".bin"):
        package.problem = Problem(
            "file-unreadable", {"reason": "это двоичная книга Excel (.xlsb), она не поддерживается"}
        )
        return package
    if workbook not in names:
        package.problem = Problem(
            "file-unreadable", {"reason": f"в архиве нет части книги «{workbook}»"}
        )
        return package
    types = parts.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    macros = any(n.lower().endswith("vbaproject.bin") for n in names) or any(
        n.startswith("xl/macrosheets/") for n in names
    )
    package.format = "xlsm" if macros or b"macroEnabled" in types else "xlsx"
    if macros:
        package.warnings.append(Problem("file-macros"))
    expected = {"xlsx": (".xlsx", ".xltx", ".xlsm", ".xltm"), "xlsm": (".xlsm", ".xltm")}
    if extension not in expected[package.format] and not (
        package.format == "xlsm" and extension == ".xlsx"
    ):
        package.warnings.append(
            Problem(
                "file-format-mismatch", {"extension": extension, "actual": "." + package.format}
            )
        )
    rels = _relationships(parts, workbook)
    for match in _SHEET.finditer(parts.read(workbook)):
        attrs = _attrs(match.group(1))
        name = attrs.get("name")
        target = rels.get(attrs.get("r:id", attrs.get("id", "")))
        if name is None or target is None:
            continue
        package.sheet_parts[name] = target[1]
        if attrs.get("state") in ("hidden", "veryHidden"):
            package.hidden_sheets.add(name)
    return package


def _inspect_ods(parts: _Parts, extension: str, package: Package) -> Package:
    names = parts.names
    manifest = parts.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
    if b"encryption-data" in manifest:
        package.problem = Problem("file-encrypted")
        return package
    if "content.xml" not in names:
        package.problem = Problem("file-unreadable", {"reason": "в архиве нет части content.xml"})
        return package
    package.format = "ods"
    if any(n.startswith(("Basic/", "Scripts/")) and not n.endswith("/") for n in names):
        package.warnings.append(Problem("file-macros"))
    if extension not in (".ods", ".ots"):
        package.warnings.append(
            Problem("file-format-mismatch", {"extension": extension, "actual": ".ods"})
        )
    return package


def inspect_package(data: bytes, extension: str, limits: Limits) -> Package:
    """Look at the bytes of a file named with *extension* (``.xlsx``…) and tell whether and
    how it can be parsed. The returned package's archive, if any, reads from *data*."""
    package = Package()
    extension = extension.lower()
    kind = sniff(data[:8192])
    if kind == "empty":
        package.problem = Problem("file-empty")
        return package
    if kind == "ole":
        return _inspect_ole(data, extension, package)
    if kind != "zip":
        package.problem = Problem("file-not-spreadsheet", {"kind": kind})
        return package
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        problem = _check_sizes(archive, limits)
        if problem is not None:
            package.problem = problem
            return package
        parts = _Parts(archive)
        for info in archive.infolist():
            if info.filename.lower().endswith(XML_PART) and _declares_dtd(parts.prolog(info)):
                package.problem = Problem("file-unsafe-xml", {"part": info.filename})
                return package
        names = parts.names
        mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
        if b"opendocument.spreadsheet" in mimetype:
            _inspect_ods(parts, extension, package)
        elif "[Content_Types].xml" in names or "_rels/.rels" in names:
            if any(n.startswith("xl/") for n in names):
                _inspect_xlsx(parts, extension, package)
            elif any(n.startswith("word/") for n in names):
                package.problem = Problem("file-not-spreadsheet", {"kind": "документ Word"})
            elif any(n.startswith("ppt/") for n in names):
                package.problem = Problem(
                    "file-not-spreadsheet", {"kind": "презентация PowerPoint"}
                )
            else:
                package.problem = Problem("file-not-spreadsheet", {"kind": "документ Office"})
        elif b"opendocument" in mimetype:
            package.problem = Problem(
                "file-not-spreadsheet", {"kind": "документ OpenDocument (не таблица)"}
            )
        else:
            package.problem = Problem("file-not-spreadsheet", {"kind": "архив ZIP"})
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
    ) as exc:
        package.problem = Problem(
            "file-unreadable", {"reason": f"архив поврежден или обрезан ({_zip_reason(exc)})"}
        )
        return package
    except NotImplementedError as exc:
        package.problem = Problem(
            "file-unreadable", {"reason": f"архив сжат неподдерживаемым способом ({exc})"}
        )
        return package
    if package.problem is None:
        package.archive = archive
    return package


def _zip_reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    known = {
        "File is not a zip file": "это не zip-архив",
        "Truncated file header": "заголовок части обрезан",
    }
    for english, russian in known.items():
        if english in text:
            return russian
    if "Bad CRC-32" in text:
        return "контрольная сумма части не сходится"
    if "Bad magic number" in text:
        return "заголовок части испорчен"
    return text
