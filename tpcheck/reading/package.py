"""Look at a workbook package before any parser does.

python-calamine is fast but trusts its input: a 5 KB sheet with cells in A1 and XFD1048576 makes
it allocate the whole rectangle and abort the process (tafia/calamine #693), a zip of blank rows
costs it minutes. So the bytes are looked at first, with bounded work:

* the real format by its magic bytes (a renamed .xls, a .docx, a PDF, a text file), encryption
  (an OLE2 «EncryptedPackage», an encrypted ODS manifest), macros (``vbaProject.bin``, OLE
  ``_VBA_PROJECT_CUR``, ODS ``Basic/``);
* the zip directory: declared uncompressed sizes and ratios (zip bombs), before inflating;
* every XML part's prolog: a DTD (entity expansion, external entities) is refused;
* each worksheet that may be parsed, streamed in bounded chunks (:func:`scan_xlsx_sheet`): the
  rectangle of filled cells (what calamine will allocate), hidden rows, error values, formulas
  without a cached value and merged ranges — things calamine does not report.

Nothing here raises on bad input: problems come back as :class:`Problem` records.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from io import BytesIO
from pathlib import PurePosixPath

from ..cells import MAX_COLUMNS, MAX_ROWS, column_index
from .limits import Limits

__all__ = [
    "Package",
    "Problem",
    "SheetScan",
    "inspect_package",
    "scan_xlsx_sheet",
    "sniff",
]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
XML_PART = (".xml", ".rels", ".vml")
CHUNK = 4 * 1024 * 1024
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
class SheetScan:
    """What the XML of one worksheet holds, found without parsing it into cells.

    Rows are Excel row numbers (1-based), columns zero-based. ``first_row``…``last_row`` and
    ``first_col``…``last_col`` bound the cells of the sheet — those with a value and those with
    only a style, to be on the safe side (None for an empty sheet).
    """

    dimension: str | None = None
    first_row: int | None = None
    last_row: int | None = None
    first_col: int | None = None
    last_col: int | None = None
    cells: int = 0
    hidden_rows: set[int] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    approximate: bool = False

    @property
    def area(self) -> int:
        """Cells of the rectangle a dense reader allocates."""
        if self.first_row is None or self.first_col is None:
            return 0
        rows = self.last_row - self.first_row + 1  # type: ignore[operator]
        cols = self.last_col - self.first_col + 1  # type: ignore[operator]
        return rows * cols

    def extent(self) -> str:
        """``A1:XFD1048576`` — the rectangle of filled cells, for messages."""
        from ..cells import a1

        if self.first_row is None:
            return ""
        return f"{a1(self.first_row, self.first_col)}:{a1(self.last_row, self.last_col)}"  # type: ignore[arg-type]

    def include(self, rows: tuple[int, int], cols: tuple[int, int], cells: int = 1) -> None:
        """Widen the bounds to rows ``rows[0]…rows[1]`` and columns ``cols[0]…cols[1]``."""
        self.cells += cells
        if self.first_row is None:
            self.first_row, self.last_row = rows
            self.first_col, self.last_col = cols
            return
        self.first_row = min(self.first_row, rows[0])
        self.last_row = max(self.last_row, rows[1])  # type: ignore[type-var]
        self.first_col = min(self.first_col, cols[0])  # type: ignore[type-var]
        self.last_col = max(self.last_col, cols[1])  # type: ignore[type-var]


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


_ROOT_START = re.compile(rb"<[^?!]")


def _read_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The start of an XML part up to its root element (at most ``PROLOG_LIMIT`` bytes)."""
    with archive.open(info) as stream:
        head = stream.read(1024)
        while len(head) < PROLOG_LIMIT:
            text = head
            if text.startswith((b"\xff\xfe", b"\xfe\xff")):
                text = text.replace(b"\x00", b"")
            if _ROOT_START.search(text):
                break
            more = stream.read(8192)
            if not more:
                break
            head += more
        return head


_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _declares_dtd(prolog: bytes) -> bool:
    """True when the XML *prolog* declares a DTD or entities (or is too strange to tell)."""
    if prolog.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if prolog.startswith(b"\xff\xfe") else "utf-16-be"
        prolog = prolog[2:].decode(encoding, "replace").encode("utf-8", "replace")
    return bool(_DOCTYPE.search(prolog))


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
            return Problem(
                "file-too-large",
                {
                    "reason": f"часть «{info.filename}» сжата в {ratio:,.0f} раз "
                    f"({_mb(info.compress_size)} → {_mb(info.file_size)})".replace(",", " ")
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
    for piece in (*PurePosixPath(base).parent.parts, *PurePosixPath(target).parts):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id → (type, resolved target) of the relationships of *part*."""
    rels_name = str(PurePosixPath(part).parent / "_rels" / (PurePosixPath(part).name + ".rels"))
    rels_name = rels_name.lstrip("./") if rels_name.startswith("./") else rels_name
    try:
        text = archive.read(rels_name)
    except KeyError:
        return {}
    found: dict[str, tuple[str, str]] = {}
    for match in _REL.finditer(text):
        attrs = _attrs(match.group(1))
        if "Id" in attrs and "Target" in attrs and attrs.get("TargetMode") != "External":
            found[attrs["Id"]] = (attrs.get("Type", ""), _resolve(part, attrs["Target"]))
    return found


def _inspect_xlsx(archive: zipfile.ZipFile, extension: str, package: Package) -> Package:
    names = set(archive.namelist())
    root = _relationships(archive, "")
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
    types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
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
    rels = _relationships(archive, workbook)
    for match in _SHEET.finditer(archive.read(workbook)):
        attrs = _attrs(match.group(1))
        name = attrs.get("name")
        target = rels.get(attrs.get("r:id", attrs.get("id", "")))
        if name is None or target is None:
            continue
        package.sheet_parts[name] = target[1]
        if attrs.get("state") in ("hidden", "veryHidden"):
            package.hidden_sheets.add(name)
    return package


def _inspect_ods(archive: zipfile.ZipFile, extension: str, package: Package) -> Package:
    names = set(archive.namelist())
    manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
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
        for info in archive.infolist():
            if info.filename.lower().endswith(XML_PART) and _declares_dtd(
                _read_prolog(archive, info)
            ):
                package.problem = Problem("file-unsafe-xml", {"part": info.filename})
                return package
        names = set(archive.namelist())
        mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
        if b"opendocument.spreadsheet" in mimetype:
            _inspect_ods(archive, extension, package)
        elif "[Content_Types].xml" in names or "_rels/.rels" in names:
            if any(n.startswith("xl/") for n in names):
                _inspect_xlsx(archive, extension, package)
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


# ------------------------------------------------------------------------------ sheet scan

_P = rb"(?:\w+:)?"
_CELL_ADDRESS = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')
_CELL_ADDRESS_FAST = re.compile(rb' r="([A-Z]{1,3})([0-9]{1,7})"')  # literal prefix: 3× faster
_ODD_SPACE_R = re.compile(rb'[\t\r\n]r="[A-Z]')
_ANY_CELL = re.compile(rb"<" + _P + rb"c[\s>/]")
_CELL_WITHOUT_R = re.compile(rb"<" + _P + rb'c(?=[\s>/])(?![^>]*\sr=")')
_HIDDEN_ROW = re.compile(rb"<" + _P + rb'row\b([^>]*\shidden="(?:1|true)"[^>]*)>')
_ROW_R = re.compile(rb'\sr="([0-9]{1,7})"')
_CELL_R = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')
_ERROR_CELL = re.compile(rb"<" + _P + rb'c\b([^>]*\st="e"[^>]*)>(.*?)</' + _P + rb"c>", re.DOTALL)
_FORMULA_CELL = re.compile(
    rb"<"
    + _P
    + rb"c\b([^>]*[^/])>((?:(?!</"
    + _P
    + rb"c>).)*?<"
    + _P
    + rb"f\b.*?)</"
    + _P
    + rb"c>",
    re.DOTALL,
)
_VALUE = re.compile(rb"<" + _P + rb"v>([^<]*)</" + _P + rb"v>")
_FORMULA = re.compile(rb"<" + _P + rb"f\b[^>]*?(?:/>|>([^<]*)</" + _P + rb"f>)")
_MERGE = re.compile(
    rb"<" + _P + rb'mergeCell\s+ref="([A-Z]{1,3}[0-9]{1,7})(?::([A-Z]{1,3}[0-9]{1,7}))?"'
)
_DIMENSION = re.compile(rb"<" + _P + rb'dimension\s+ref="([^"]*)"')
_ROW_END = re.compile(rb"</" + _P + rb"row>")


def _chunks(stream, size: int = CHUNK) -> Iterator[bytes]:
    """The XML of *stream* in pieces cut after a ``</row>`` (or a ``>``) so that no cell is
    split between two pieces (a part smaller than *size* comes whole)."""
    rest = b""
    block = stream.read(size)
    while block:
        following = stream.read(size)
        data = rest + block
        if not following:
            yield data
            return
        cut = -1
        for match in _ROW_END.finditer(data, max(0, len(data) - 65536)):
            cut = match.end()
        if cut < 0:
            cut = data.rfind(b">") + 1
        if cut <= 0:
            rest = data
        else:
            yield data[:cut]
            rest = data[cut:]
        block = following
    if rest:
        yield rest


def _address(text: bytes) -> tuple[int, int] | None:
    match = re.fullmatch(rb"([A-Z]{1,3})([0-9]{1,7})", text)
    if not match:
        return None
    row, col = int(match.group(2)), column_index(match.group(1).decode())
    if not (1 <= row <= MAX_ROWS and 0 <= col < MAX_COLUMNS):
        return None
    return row, col


def _cell_position(attrs: bytes) -> tuple[int, int] | None:
    match = _CELL_R.search(attrs)
    return _address(match.group(1) + match.group(2)) if match else None


_FAR_ADDRESS = re.compile(rb' r="(?:[A-Z]{3}|[A-Z]{1,2}[0-9]{5})')
#: Rows × columns within which the addresses need not be collected: every address has at most
#: two letters (column ZZ) and four digits (row 9999).
_NEAR_AREA = 9999 * 702


def _scan_extent(data: bytes, scan: SheetScan, columns: dict[bytes, int], limit: int) -> None:
    """Widen *scan* to the cells of *data* (exactly, or roughly when all are near A1)."""
    odd = _ODD_SPACE_R.search(data) is not None
    near = limit >= _NEAR_AREA and not odd and not _FAR_ADDRESS.search(data)
    found = [] if near else (_CELL_ADDRESS if odd else _CELL_ADDRESS_FAST).findall(data)
    if near:
        # Cheap bound, enough to know calamine's rectangle stays below the limit.
        count = data.count(b' r="')
        if count:
            scan.include((1, 9999), (0, 701), count)
            scan.approximate = True
    elif found:
        letters = {text for text, _ in found}
        for text in letters:
            if text not in columns:
                columns[text] = column_index(text.decode())
        cols = [columns[text] for text in letters]
        rows = [int(number) for number in {number for _, number in found}]
        scan.include((min(rows), max(rows)), (min(cols), max(cols)), len(found))
    tags = data.count(b"<c ") + data.count(b"<c>")
    addressed = len(found) if not near else data.count(b'<c r="')
    prefixed = b":c " in data or b":c>" in data
    if (tags > addressed or prefixed) and _CELL_WITHOUT_R.search(data):
        # Cells without an address are placed by position: count them row by row.
        row_number = scan.last_row or 0
        for row_xml in re.split(rb"<" + _P + rb"row\b", data)[1:]:
            head = row_xml[: row_xml.find(b">") + 1]
            match = _ROW_R.search(head)
            row_number = int(match.group(1)) if match else row_number + 1
            count = len(_ANY_CELL.findall(row_xml))
            if count and 1 <= row_number <= MAX_ROWS:
                scan.include((row_number, row_number), (0, min(count, MAX_COLUMNS) - 1), 0)


def _scan_chunk(data: bytes, scan: SheetScan, columns: dict[bytes, int], limit: int | None) -> None:
    if limit is not None:
        _scan_extent(data, scan, columns, limit)
    else:
        scan.approximate = True
    if scan.dimension is None:
        match = _DIMENSION.search(data, 0, 4096)
        if match:
            scan.dimension = match.group(1).decode("ascii", "replace")
    if b"hidden=" in data:
        for match in _HIDDEN_ROW.finditer(data):
            row = _ROW_R.search(match.group(1))
            if row:
                scan.hidden_rows.add(int(row.group(1)))
    if b't="e"' in data:
        for match in _ERROR_CELL.finditer(data):
            position = _cell_position(match.group(1))
            value = _VALUE.search(match.group(2))
            if position and value:
                scan.errors[position] = unescape(value.group(1).decode("utf-8", "replace"))
    if b"<f" in data or b":f" in data:
        for match in _FORMULA_CELL.finditer(data):
            body = match.group(2)
            value = _VALUE.search(body)
            if value and value.group(1):
                continue
            position = _cell_position(match.group(1))
            formula = _FORMULA.search(body)
            if position:
                text = formula.group(1) if formula and formula.group(1) else b""
                scan.formulas[position] = "=" + unescape(text.decode("utf-8", "replace"))
    if b"mergeCell" in data:
        for match in _MERGE.finditer(data):
            start = _address(match.group(1))
            end = _address(match.group(2)) if match.group(2) else start
            if start and end:
                scan.merges.append(
                    (
                        min(start[0], end[0]),
                        min(start[1], end[1]),
                        max(start[0], end[0]),
                        max(start[1], end[1]),
                    )
                )


def scan_xlsx_sheet(archive: zipfile.ZipFile, part: str, limit: int | None) -> SheetScan:
    """Stream the worksheet *part* and tell what it holds (see :class:`SheetScan`). When every
    cell address is near A1 and that corner is smaller than *limit* cells, the bounds are not
    collected (``approximate``: the rectangle is known to be small); with *limit* None they are
    not looked for at all (a worker process, where a parser that runs out of memory only
    ends the worker). Raises :class:`zipfile.BadZipFile` (bad CRC, truncated data) and KeyError
    (no such part)."""
    scan = SheetScan()
    columns: dict[bytes, int] = {}
    with archive.open(part) as stream:
        for chunk in _chunks(stream):
            _scan_chunk(chunk, scan, columns, limit)
    return scan
