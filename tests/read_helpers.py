"""Workbooks for the reader's tests, written the way clerks' files come: the template's layout
(header in row 1, example in row 2, data from row 3) or variations of it, and hostile packages."""

from __future__ import annotations

import os
import pickle
import re
import struct
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl

from tpcheck.classifiers import default_classifiers

CLASSIFIERS = default_classifiers()
COLUMNS = CLASSIFIERS.columns
KEYS = [c.key for c in COLUMNS]
HEADERS = [c.template_header for c in COLUMNS]
EXAMPLE = [c.example for c in COLUMNS]


def row(**values: Any) -> list[Any]:
    """A row of the template's columns (in order) with *values* by key, the rest empty."""
    return [values.get(key) for key in KEYS]


def valid(number: int | str = 1, **overrides: Any) -> list[Any]:
    """A complete, valid data row."""
    values = {
        "number": str(number),
        "direction": "рассмотрение обращений и запросов",
        "activity": f"Рассмотрение обращений граждан {number}",
        "activity_kind": "функция",
        "client": "внешний",
        "touchpoint": "Личный прием граждан",
        "touchpoint_type": "личный прием в Департаменте, учреждении",
        "channel": "оффлайн",
        "location": "г. Кемерово, пр. Советский, 60",
        "needs": "получение консультации",
        "procedure": "Прием по вторникам",
        "basis_kind": "нормативный правовой акт",
        "basis": "Федеральный закон от 02.05.2006 № 59-ФЗ",
        "operator": "Департамент",
        "subdivision": "Отдел кадров",
        "demand_tracked": "да",
        "note": None,
    }
    values.update(overrides)
    return row(**values)


def quiet(number: int | str = 1, **overrides: Any) -> list[Any]:
    """A complete, valid data row that draws no finding at all: a touchpoint of a type without
    п. 4.2 requirements (the state services portal) of a digital service (п. 2.4: no offline
    alternative is expected of it, п. 3.8 4)), unique to *number*."""
    values = {
        "activity_kind": "сервис",
        "touchpoint": f"Портал госуслуг {number}",
        "touchpoint_type": "портал государственных услуг (ЕПГУ, РПГУ), платформа обратной связи",
        "channel": "цифровая",
        "location": "https://www.gosuslugi.ru/600100",
    }
    values.update(overrides)
    return valid(number, **values)


def write_book(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    header: Sequence[Any] | None = None,
    above: Sequence[Sequence[Any]] = (),
    example: bool = True,
    sheet: str = "Перечень",
    others: Mapping[str, Sequence[Sequence[Any]]] | None = None,
    first: Sequence[str] = (),
) -> Path:
    """Write *rows* below *above* (title rows), the *header* (the template's by default) and
    the example row (when *example*) on *sheet*; *others* are more sheets (name → rows),
    *first* names sheets created before the data sheet. The folder is created if needed."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in first:
        book.create_sheet(name).append(["не данные"])
    target = book.create_sheet(sheet)
    for values in above:
        target.append(list(values))
    target.append(list(header if header is not None else HEADERS))
    if example:
        target.append(EXAMPLE)
    for values in rows:
        target.append(list(values))
    for name, sheet_rows in (others or {}).items():
        extra = book.create_sheet(name)
        for values in sheet_rows:
            extra.append(list(values))
    book.save(path)
    return path


def header_sheet() -> tuple[openpyxl.Workbook, Any]:
    """``(book, sheet)``: a new workbook whose one sheet «Перечень» holds the template's header
    in row 1 and nothing else (no example row), for layouts :func:`write_book` does not make."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Перечень"
    sheet.append(HEADERS)
    return book, sheet


def append_group_row(sheet: Any, text: str) -> None:
    """Append a group row: *text* in the first cell, merged across the width of the header."""
    sheet.append([text])
    number = sheet.max_row
    sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=len(HEADERS))


def xlsxwriter_book(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    text: bool = False,
    far: Mapping[tuple[int, int], str] | None = None,
    vba: bytes | None = None,
) -> Path:
    """The template's header and *rows* from row 2, written by xlsxwriter (shared strings).
    *text*: every value written as a text cell (as a clerk's «=…» typed as text is; without it
    xlsxwriter turns such strings into formulas); *far*: more text cells by (row, col),
    zero-based, anywhere on the sheet; *vba*: a ``vbaProject.bin`` to embed (an .xlsm)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(path, {"strings_to_numbers": False})
    sheet = book.add_worksheet("Перечень")
    for number, values in enumerate([HEADERS, *rows]):
        for col, value in enumerate(values):
            if value is None:
                continue
            if text and isinstance(value, str):
                sheet.write_string(number, col, value)
            else:
                sheet.write(number, col, value)
    for (number, col), value in (far or {}).items():
        sheet.write_string(number, col, value)
    if vba is not None:
        project = Path(path).with_suffix(".vbaProject.bin")
        project.write_bytes(vba)
        book.add_vba_project(str(project))
    book.close()
    if vba is not None:
        project.unlink()
    return path


def far_corner(path: Path, data_rows: int = 1, make_row=valid) -> Path:
    """The template's header, *data_rows* rows (``make_row(number)``) and one more cell in
    XFD1048576: a 5 KB file that makes python-calamine allocate 512 GB and abort
    (tafia/calamine #693)."""
    rows = [make_row(number) for number in range(1, data_rows + 1)]
    return xlsxwriter_book(path, rows, text=True, far={(1_048_575, 16_383): "конец"})


def table(frame, *keys: str) -> list[tuple]:
    """``[(source_row, value of each key…)]`` of *frame*."""
    return [tuple(r) for r in frame[["source_row", *keys]].itertuples(index=False)]


def codes(frame) -> list[tuple]:
    """``[(code, file name, sheet, row, cell)]`` of the reader's issues."""
    return [
        (i.code, Path(i.file).name if i.file else None, i.sheet, i.row, i.cell)
        for i in frame.tpcheck.issues
    ]


# ------------------------------------------------------------------------------ packages

#: An XML prolog declaring nine levels of entities that expand to a billion «lol»s.
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>\n"
)
#: An XML prolog declaring an external entity (XXE) that reads a local file.
XXE = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def rewrite_part(source: Path, target: Path, part: str, change) -> Path:
    """Copy the zip *source* to *target* with the member *part* replaced by
    ``change(old bytes)``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == part:
                data = change(data)
            new.writestr(info, data)
    return target


def add_part(source: Path, target: Path, part: str, data: bytes) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info.filename))
        new.writestr(part, data)
    return target


def declare_size(source: Path, target: Path, part: str, size: int, crc: int | None = None) -> Path:
    """Copy *source* with the central directory's uncompressed size of *part* set to *size*
    (a zip bomb as its directory announces it) and, with *crc*, its CRC-32 set too (a directory
    that lies about a part consistently: *size* and the checksum of that many bytes)."""
    data = bytearray(source.read_bytes())
    name = part.encode()
    offset = 0
    while True:
        offset = data.find(b"PK\x01\x02", offset)
        if offset < 0:
            raise ValueError(f"{part} not in the central directory")
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        if data[offset + 46 : offset + 46 + name_length] == name:
            struct.pack_into("<I", data, offset + 24, size)
            if crc is not None:
                struct.pack_into("<I", data, offset + 16, crc)
            break
        offset += 4
    target.write_bytes(bytes(data))
    return target


def compound_file(streams: Sequence[str]) -> bytes:
    """A minimal OLE2 compound file whose directory lists *streams* (empty streams): enough
    for a reader that tells an encrypted Office package or a legacy workbook by its streams."""
    sector = 512
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHH", header, 24, 0x3E, 3, 0xFFFE, 9)  # minor, major, byte order, shift
    struct.pack_into("<H", header, 32, 6)  # mini sector shift
    struct.pack_into("<I", header, 44, 1)  # FAT sectors
    struct.pack_into("<I", header, 48, 1)  # first directory sector
    struct.pack_into("<I", header, 56, 4096)  # mini stream cutoff
    struct.pack_into("<III", header, 60, 0xFFFFFFFE, 0, 0xFFFFFFFE)  # mini FAT
    struct.pack_into("<II", header, 68, 0xFFFFFFFE, 0)  # DIFAT
    difat = [0] + [0xFFFFFFFF] * 108
    struct.pack_into("<109I", header, 76, *difat)
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [0xFFFFFFFF] * (sector // 4 - 2)
    fat_sector = struct.pack(f"<{sector // 4}I", *fat)
    entries = [("Root Entry", 5)] + [(name, 2) for name in streams]
    directory = bytearray()
    for index, (name, kind) in enumerate(entries):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", entry, 64, len(encoded), kind, 1)
        left = right = child = 0xFFFFFFFF
        if index == 0 and len(entries) > 1:
            child = 1
        elif 0 < index < len(entries) - 1:
            right = index + 1
        struct.pack_into("<III", entry, 68, left, right, child)
        struct.pack_into("<II", entry, 116, 0xFFFFFFFE, 0)
        directory += entry
    directory += b"\x00" * (-len(directory) % sector)
    return bytes(header) + fat_sector + bytes(directory[:sector])


def with_prolog(source: Path, target: Path, part: str, prolog: bytes, entity: str = "lol9") -> Path:
    """Copy *source* with *part* given the XML *prolog* (a DTD) and, in a sheet, a reference to
    its *entity* as the first thing inside ``<sheetData>``."""

    def poison(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        return prolog + body.replace(b"<sheetData>", f"<sheetData>&{entity};".encode(), 1)

    return rewrite_part(source, target, part, poison)


def inflate_part(source: Path, target: Path, part: str, megabytes: int, before: bytes) -> Path:
    """Copy *source* with *megabytes* MB of spaces inserted in *part* before *before*, deflated
    as they are written (a zip bomb whose directory tells the truth: about 1 KB per MB)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename != part:
                new.writestr(info, data)
                continue
            head, tail = data.split(before, 1)
            member = zipfile.ZipInfo(info.filename, info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            with new.open(member, "w") as stream:
                stream.write(head)
                spaces = b" " * (1 << 20)
                for _ in range(megabytes):
                    stream.write(spaces)
                stream.write(before + tail)
    return target


def hide_sheets(source: Path, target: Path) -> Path:
    """Copy *source* with every sheet hidden."""

    def hide(xml: bytes) -> bytes:
        xml = re.sub(rb'\sstate="[^"]*"', b"", xml)
        return re.sub(rb"<sheet\b", b'<sheet state="hidden"', xml)

    return rewrite_part(source, target, "xl/workbook.xml", hide)


# ------------------------------------------------------------------------------ bounds


def resident_kib() -> int:
    """Resident memory of this process (what a forked child starts with), KiB."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def in_forked_child(function: Callable[[], Any]) -> tuple[Any, float, int]:
    """Run *function* in a forked child (Linux) and return what it returned (pickled back), its
    wall seconds and the KiB of resident memory it added at its peak, in the child or any
    process the child started (``wait4``: this run's processes alone, not those other tests
    started before, as ``RUSAGE_CHILDREN`` of this process would count). A failure in the child
    fails the caller with the child's traceback; a crash of the child fails it too."""
    with tempfile.TemporaryDirectory() as folder:
        box = Path(folder) / "result.pickle"
        base = resident_kib()
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child: run, report back, never return into pytest
            code = 1
            try:
                payload: dict[str, Any] = {"value": function()}
                code = 0
            except BaseException:
                payload = {"error": traceback.format_exc()}
            try:
                box.write_bytes(pickle.dumps(payload))
            finally:
                os._exit(code)
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - start
        assert box.exists(), f"the child died: wait status {status}"
        payload = pickle.loads(box.read_bytes())
    assert "error" not in payload, payload["error"]
    return payload["value"], seconds, max(0, usage.ru_maxrss - base)
