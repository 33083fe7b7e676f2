"""Read one file: bytes → package checks → python-calamine (or the streaming fallback) → data
rows. Runs in a worker process (see :mod:`tpcheck.reading.pool`) or, for a single file, in the
caller's process; either way it never raises on bad input: every problem is an issue.
"""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from ..classifiers import Classifiers, Column
from ..findings import FileInfo, Issue, issue, issue_types
from ..i18n import text as translated
from ..text import clean, match_key
from .columns import encode_columns
from .csvfile import CsvError, csv_grid, read_table
from .discover import SPREADSHEET_EXTENSIONS, TEXT_EXTENSIONS
from .limits import Limits
from .package import Package, Problem, _mb, inspect_package
from .scan import SheetScan, scan_xlsx_sheet
from .sheet import Grid, SheetRows, _blank, find_header, header_key, header_score, read_rows

__all__ = ["FileResult", "Job", "failure", "first_sheet_rows", "read_one"]

_MIN_SCORE = 3  # columns a sheet's header must name to be taken for the data sheet


@dataclass(frozen=True)
class Job:
    """One file to read: ``path`` as reported, ``real`` the path to open. A ``careful`` read
    measures every sheet before python-calamine sees it (needed in the caller's process); a
    worker reads without (a parser that runs out of memory only ends the worker) and the file
    is read again carefully if it does."""

    index: int
    path: str
    real: str
    explicit: bool = True
    careful: bool = True


@dataclass
class FileResult:
    """What reading one file gave: its :class:`FileInfo`, the findings, the rows of the data
    and requirements sheets, and ``(size, mtime_ns)`` of the file before it was read."""

    info: FileInfo
    issues: list[Issue] = field(default_factory=list)
    data: SheetRows | None = None
    requirements: SheetRows | None = None
    more: list[SheetRows] = field(default_factory=list)  # data sheets beyond the first
    stat: tuple[int, int] | None = None


def _reason(code: str, lang: str, params: dict[str, str]) -> str:
    title = issue_types()[code].title[lang]
    return f"{title}: {params['reason']}" if params.get("reason") else title


def failure(job: Job, code: str, lang: str = "ru", **params: str) -> FileResult:
    """The result of a file that could not be read."""
    info = FileInfo(path=job.path, status="unreadable", reason=_reason(code, lang, params))
    name = Path(job.path).name
    return FileResult(info, [issue(code, lang=lang, file=job.path, name=name, **params)])


class _Unreadable(Exception):
    def __init__(self, code: str, **params: str):
        super().__init__(code)
        self.code = code
        self.params = params

    def __reduce__(self):  # comes back from a bounded child process with its params
        return (_unreadable, (self.code, self.params))


def _unreadable(code: str, params: dict[str, str]) -> _Unreadable:
    return _Unreadable(code, **params)


def _cells(grid: Grid) -> int:
    return sum(len(values) for _, values in grid.rows)


def _n(number: int) -> str:
    """``8 000 000``: a count as a clerk reads it."""
    return f"{number:,}".replace(",", " ")


class _Book:
    """The workbook opened once, sheets loaded on demand (each behind the package's guards).

    The cells materialised are counted per file (:attr:`Limits.max_file_cells`); a sheet looked
    at only for its header is read to its first :attr:`Limits.head_rows` rows (:meth:`head`)
    and costs no more than those."""

    def __init__(
        self,
        data: bytes,
        package: Package,
        limits: Limits,
        careful: bool = True,
        lang: str = "ru",
    ):
        import python_calamine

        self.data = data
        self.package = package
        self.limits = limits
        self.careful = careful
        self.lang = lang
        self.charged = 0  # cells of the grids materialised so far
        self.format = package.format
        try:
            self.book = python_calamine.CalamineWorkbook.from_filelike(BytesIO(data))
        except python_calamine.PasswordError:
            raise _Unreadable("file-encrypted") from None
        except Exception as exc:  # calamine's own errors, PyO3 panics included
            raise _Unreadable("file-unreadable", reason=_calamine_reason(exc)) from None
        visible, worksheet = python_calamine.SheetVisibleEnum, python_calamine.SheetTypeEnum
        self.sheets = [
            (meta.name, meta.visible != visible.Visible)
            for meta in self.book.sheets_metadata
            if meta.typ == worksheet.WorkSheet
        ]
        self.hidden = {name for name, hidden in self.sheets if hidden} | package.hidden_sheets
        if len(self.sheets) > limits.max_sheets:
            self._refuse("too_many_sheets", count=len(self.sheets), limit=limits.max_sheets)
        self._ods: dict[str, SheetScan] | None = None
        self._grids: dict[str, Grid] = {}
        self._heads: dict[str, Grid] = {}

    def _refuse(self, key: str, **values: object) -> None:
        shown = {k: _n(v) if isinstance(v, int) else v for k, v in values.items()}
        raise _Unreadable("file-too-large", reason=translated(f"reading.{key}", self.lang, **shown))

    def _charge(self, name: str, cells: int) -> None:
        """Count *cells* more materialised for sheet *name*; beyond the file's bound, refuse."""
        self.charged += cells
        if self.charged > self.limits.max_file_cells:
            self._refuse(
                "file_cells", sheet=name, cells=self.charged, limit=self.limits.max_file_cells
            )

    def _check_merges(self, name: str, merges: list[tuple[int, int, int, int]]) -> None:
        """Refuse more distinct merged ranges than the bound, or ranges that together cover
        more cells than a sheet may hold (they overlap: each would be filled in again)."""
        limits = self.limits
        if len(merges) > limits.max_merged_ranges:
            self._refuse(
                "too_many_merges", sheet=name, count=len(merges), limit=limits.max_merged_ranges
            )
        covered = sum((r1 - r0 + 1) * (c1 - c0 + 1) for r0, c0, r1, c1 in merges)
        if covered > limits.max_cells:
            self._refuse("merges_overlap", sheet=name, cells=covered, limit=limits.max_cells)

    def measure(self, name: str) -> SheetScan | None:
        """The scan of sheet *name* with its rectangle measured (also in a worker, where
        :meth:`scan` leaves it out for the data sheet)."""
        if self.format in ("xlsx", "xlsm") and not self.careful:
            part = self.package.sheet_parts.get(name)
            if part is None or self.package.archive is None:
                return None
            try:
                return scan_xlsx_sheet(self.package.archive, part, self.limits.max_cells)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError):
                return self.scan(name)  # reports the damage as the full read does
        return self.scan(name)

    def head(self, name: str) -> Grid:
        """The first :attr:`Limits.head_rows` rows of sheet *name*, to look for its header: a
        sheet whose rectangle is large is streamed up to those rows, never materialised."""
        if name in self._grids:
            return self._grids[name]
        if name in self._heads:
            return self._heads[name]
        limits = self.limits
        scan = self.measure(name)
        if scan is not None and scan.area > limits.max_cells // 8:
            if self.format in ("xlsx", "xlsm"):
                grid = self._sparse(name, scan, max_rows=limits.head_rows)
            elif scan.area > limits.max_cells:
                self._refuse_area(name, scan)
            else:
                grid = self._dense(name, nrows=limits.head_rows)
        else:
            grid = self._dense(name, nrows=limits.head_rows)
        self._charge(name, _cells(grid))
        self._heads[name] = grid
        return grid

    def filled_rows(self, name: str) -> int | str:
        """Rows of sheet *name* with two filled cells or more (a lone note is not data),
        counted on the whole sheet when the file's bound allows it, else on its first rows
        («не менее N»)."""
        if name not in self._grids:
            scan = self.measure(name)
            area = scan.area if scan is not None else 0
            if self.charged + area <= self.limits.max_file_cells:
                try:
                    return _filled_rows(self.grid(name, keep=False))
                except _Unreadable as exc:
                    if exc.code != "file-too-large":
                        raise
            head = self.head(name)
            count = _filled_rows(head)
            if count and len(head.rows) >= self.limits.head_rows:
                return translated("reading.at_least", self.lang, count=count)
            return count
        return _filled_rows(self._grids[name])

    def _refuse_area(self, name: str, scan: SheetScan) -> None:
        raise _Unreadable(
            "file-too-large",
            reason=f"на листе «{name}» заполнен диапазон {scan.extent()} — "
            f"{scan.area:,} ячеек".replace(",", " "),
        )

    def scan(self, name: str) -> SheetScan | None:
        try:
            if self.format in ("xlsx", "xlsm"):
                part = self.package.sheet_parts.get(name)
                if part is None or self.package.archive is None:
                    return None
                limit = self.limits.max_cells if self.careful else None
                return scan_xlsx_sheet(self.package.archive, part, limit)
            if self.format == "ods" and self.package.archive is not None:
                if self._ods is None:
                    from .ods import scan_ods

                    self._ods, hidden = scan_ods(self.package.archive)
                    self.hidden |= hidden
                return self._ods.get(name)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError) as exc:
            raise _Unreadable(
                "file-unreadable",
                reason=f"архив поврежден: часть листа «{name}» не читается ({exc})",
            ) from None
        except SyntaxError as exc:  # xml.etree ParseError
            raise _Unreadable(
                "file-unreadable", reason=f"разметка листа «{name}» повреждена ({exc})"
            ) from None
        return None

    def grid(self, name: str, keep: bool = True) -> Grid:
        """Sheet *name* whole (kept for the next call unless *keep* is false)."""
        if name in self._grids:
            return self._grids[name]
        scan = self.scan(name)
        if scan is not None and scan.merges:
            self._check_merges(name, scan.merges)
        if scan is not None and scan.area > self.limits.max_cells:
            if self.format in ("xlsx", "xlsm") and scan.cells <= self.limits.max_sparse_cells:
                grid = self._sparse(name, scan)
            else:
                self._refuse_area(name, scan)
        else:
            if scan is not None and not scan.approximate:
                self._charge(name, scan.area)  # refused before python-calamine allocates it
                self.charged -= scan.area
            grid = self._dense(name)
        head = self._heads.pop(name, None)
        if head is not None:
            self.charged -= _cells(head)
        # A sheet beyond the dense bound is streamed when measured (careful), so it costs no
        # more than that bound: a worker that read it densely only did so within its memory.
        self._charge(name, min(_cells(grid), self.limits.max_cells))
        if scan is not None:
            grid.errors, grid.formulas = scan.errors, scan.formulas
            grid.hidden_rows = scan.hidden_rows
            if scan.merges:
                grid.merges = scan.merges
        elif grid.merges:
            self._check_merges(name, grid.merges)
        if keep:
            self._grids[name] = grid
        return grid

    def _dense(self, name: str, nrows: int | None = None) -> Grid:
        try:
            sheet = self.book.get_sheet_by_name(name)
            rows = sheet.to_python(nrows=nrows) if nrows is not None else sheet.to_python()
            start = sheet.start or (0, 0)
            merges = sheet.merged_cell_ranges or []
        except Exception as exc:
            raise _Unreadable("file-unreadable", reason=_calamine_reason(exc)) from None
        width = max(map(len, rows), default=0)
        return Grid(
            name=name,
            rows=[(start[0] + 1 + i, values) for i, values in enumerate(rows)],
            col_offset=start[1],
            width=width,
            merges=list(dict.fromkeys((r0 + 1, c0, r1 + 1, c1) for (r0, c0), (r1, c1) in merges)),
        )

    def _sparse(self, name: str, scan: SheetScan, max_rows: int | None = None) -> Grid:
        """A sheet whose filled cells are few but far apart: streamed with openpyxl's parser,
        keeping only the rows that exist (the first *max_rows* of them when given)."""
        from openpyxl import load_workbook
        from openpyxl.worksheet._reader import WorkSheetParser

        book = load_workbook(BytesIO(self.data), read_only=True, data_only=True)
        sheet = book[name]
        first_col = scan.first_col or 0
        rows: list[tuple[int, list]] = []
        budget = self.limits.max_cells
        with sheet._get_source() as source:
            parser = WorkSheetParser(
                source,
                sheet._shared_strings,
                data_only=True,
                epoch=book.epoch,
                date_formats=book._date_formats,
                timedelta_formats=book._timedelta_formats,
            )
            for number, cells in parser.parse():
                cells = [c for c in cells if c["value"] is not None]
                if not cells:
                    continue
                last = max(c["column"] for c in cells) - 1
                budget -= last - first_col + 1
                if budget < 0:
                    raise _Unreadable(
                        "file-too-large",
                        reason=f"на листе «{name}» слишком много заполненных ячеек "
                        f"в диапазоне {scan.extent()}",
                    )
                values: list = [""] * (last - first_col + 1)
                for cell in cells:
                    values[cell["column"] - 1 - first_col] = cell["value"]
                rows.append((number, values))
                if max_rows is not None and len(rows) >= max_rows:
                    break
        book.close()
        width = (scan.last_col or 0) - first_col + 1
        return Grid(name=name, rows=rows, col_offset=first_col, width=width)


def first_sheet_rows(path: str, limits: Limits) -> tuple[str | None, list[int], list[list]]:
    """``(sheet, numbers, rows)`` of the first worksheet of the workbook at *path* — a list
    file such as the registry or the roster — read behind the same guards as a submission (the
    package looked at, every sheet measured before python-calamine sees it). ``rows`` start in
    column A (empty cells are ``""``), ``numbers`` are their Excel row numbers; rows without a
    value are left out. Raises :class:`_Unreadable` on a file that cannot be read; run it
    through :func:`~tpcheck.reading.bounded.run_bounded` to bound its time and memory."""
    data = _read_regular(path, limits.max_file_size + 1, "ru")
    if len(data) > limits.max_file_size:
        raise _Unreadable("file-too-large", reason=f"размер больше {_mb(limits.max_file_size)}")
    package = inspect_package(data, Path(path).suffix.lower(), limits)
    if package.problem is not None:
        raise _Unreadable(package.problem.code, **package.problem.params)
    book = _Book(data, package, limits, careful=True)
    if not book.sheets:
        return None, [], []
    name = book.sheets[0][0]
    grid = book.grid(name)
    pad = [""] * grid.col_offset
    numbers, rows = [], []
    for number, values in grid.rows:
        if any(value not in ("", None) for value in values):
            numbers.append(number)
            rows.append([*pad, *values])
    return name, numbers, rows


#: What python-calamine's messages mean, in Russian (its text follows in parentheses).
_CALAMINE_MEANINGS = (
    ("larger than its declared", "архив поврежден: часть больше, чем объявлено в его каталоге"),
    ("invalid character reference", "разметка XML повреждена: ссылка на недопустимый символ"),
    ("cannot decode input", "разметка XML повреждена: текст не в кодировке UTF-8"),
)
_CALAMINE_KINDS = {"XmlError": "разметка XML повреждена", "ZipError": "архив поврежден"}


def _calamine_reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    meaning = next((ru for en, ru in _CALAMINE_MEANINGS if en in text), None)
    meaning = meaning or _CALAMINE_KINDS.get(type(exc).__name__, "ошибка разбора")
    return f"{meaning} ({text[:300]})"


def _is_named(name: str, wanted: str) -> bool:
    return match_key(name) == match_key(wanted) or header_key(name) == header_key(wanted)


def _filled_rows(grid: Grid) -> int:
    """Rows of *grid* with two filled cells or more (a lone note is not data)."""
    return sum(1 for _, values in grid.rows if sum(1 for v in values if not _blank(v)) >= 2)


def _choose_sheets(
    book: _Book, classifiers: Classifiers, limits: Limits
) -> tuple[list[str], str | None, str | None]:
    """``(data sheets, requirements sheet, the template's data sheet by name)``: the sheet
    named as the template's, and every other sheet whose header names at least
    :data:`_MIN_SCORE` columns, in the workbook's order."""
    sheets = classifiers.sheets
    names = [name for name, _ in book.sheets]
    named = next((n for n in names if _is_named(n, sheets.data)), None)
    requirements = next(
        (n for n in names if n != named and _is_named(n, sheets.requirements)), None
    )
    skip = {sheets.instructions, sheets.lists}
    data: list[str] = []
    for name in names:
        if name == requirements or name in skip:
            continue
        if name == named:
            data.append(name)
            continue
        score = header_score(book.head(name), classifiers.columns, limits.header_rows)
        if score >= _MIN_SCORE:
            data.append(name)
    if requirements is None:
        for name in names:
            if name in data or name in skip:
                continue
            grid = book.head(name)
            header = find_header(grid, classifiers.requirement_columns, limits.header_rows)
            if header and {"row_ref", "requirement"} <= set(header.columns):
                requirements = name
                break
    return data, requirements, named


def _take(result: FileResult, parts: list[SheetRows], classifiers: Classifiers, lang: str) -> None:
    """Put the rows of the data sheets *parts* (at least one) into *result* and its info."""
    info = result.info
    rows = parts[0]
    result.data, result.more = rows, parts[1:]
    for part in parts:
        result.issues.extend(part.issues)
    info.sheet, info.header_row = rows.sheet, rows.header_row
    info.columns = rows.columns
    info.extra_columns = list(dict.fromkeys(n for part in parts for n in part.extra_columns))
    info.rows = sum(map(len, parts))
    if len(parts) > 1:
        info.sheets = [part.sheet for part in parts]
        info.sheet_columns = {part.sheet: part.columns for part in parts}
    for part in parts:
        _normalize(part, classifiers.columns, classifiers)
    info.subdivision = next(filter(None, map(_subdivision, parts)), None)
    if not info.rows and rows.header_row is not None:
        result.issues.append(issue("no-data-rows", lang=lang, file=info.path, sheet=rows.sheet))


def _read_text_table(
    job: Job,
    data: bytes,
    info: FileInfo,
    classifiers: Classifiers,
    limits: Limits,
    lang: str,
    before: tuple[int, int],
) -> FileResult:
    """A CSV submission: decoded and split by :mod:`.csvfile`, then read as a sheet named as
    the file (as Excel names it), rows numbered by their lines. Found in a folder, a CSV
    without every required column of the template is skipped."""
    try:
        table = read_table(data)
    except CsvError as exc:
        raise _Unreadable("file-unreadable", reason=str(exc)) from None
    info.format = "csv"
    grid = csv_grid(table, Path(job.path).stem)
    result = FileResult(info, stat=before)
    header = find_header(grid, classifiers.columns, limits.header_rows)
    required = {column.key for column in classifiers.columns if column.required}
    # In a folder, a CSV is a submission only with every required column (the registry's or
    # another tool's CSV kept beside the workbooks is not).
    if not job.explicit and (header is None or not required <= header.columns.keys()):
        info.status, info.reason = "skipped", _NOT_A_SUBMISSION[lang]
        return result
    result.issues.append(
        issue(
            "file-csv",
            lang=lang,
            file=job.path,
            encoding=table.encoding,
            separator=table.separator_name,
            line_ends=table.line_ends,
        )
    )
    rows = read_rows(
        grid,
        classifiers.columns,
        file=job.path,
        example_marker=classifiers.sheets.example_marker,
        rows_searched=limits.header_rows,
        direction=classifiers["direction"],
        group_key="direction",
        lang=lang,
    )
    _bound_data(rows, 0, limits, lang)
    _take(result, [rows], classifiers, lang)
    if _stat(job.real) != before:
        return _changed(job, info, lang, before)
    return result


_NOT_A_SUBMISSION = {
    "ru": "текст CSV без обязательных граф шаблона",
    "en": "CSV text without the template's required columns",
}


def _bound_data(rows: SheetRows, block: int, limits: Limits, lang: str) -> int:
    """*block* (rows × columns of the data read before in this file) with *rows* added;
    beyond :attr:`Limits.max_data_cells` the file is refused, naming the sheet."""
    width = len(rows.columns) + len(rows.extra_columns)
    block += len(rows) * width
    if block > limits.max_data_cells:
        values = {"sheet": rows.sheet, "rows": len(rows), "columns": width, "cells": block}
        shown = {k: _n(v) if isinstance(v, int) else v for k, v in values.items()}
        reason = translated("reading.data_cells", lang, limit=_n(limits.max_data_cells), **shown)
        raise _Unreadable("file-too-large", reason=reason)
    return block


def _ignored(book: _Book, classifiers: Classifiers, read: Iterable[str | None]) -> list[str]:
    """The sheets of *book* not read (but the template's instructions and lists)."""
    sheets = classifiers.sheets
    taken = {*read, sheets.instructions, sheets.lists}
    return [name for name, _ in book.sheets if name not in taken]


def _read_data_sheets(
    book: _Book,
    names: list[str],
    named: str | None,
    classifiers: Classifiers,
    limits: Limits,
    job: Job,
    lang: str,
    result: FileResult,
) -> list[SheetRows]:
    """The rows of every data sheet in *names* that holds rows (the first one when none
    does). The template's sheet *named*, left empty while another sheet holds the rows, is
    not read: a notice says which sheet was."""
    parts = []
    block = 0  # rows × columns of the data read so far
    for name in names:
        rows = read_rows(
            book.grid(name),
            classifiers.columns,
            file=job.path,
            example_marker=classifiers.sheets.example_marker,
            rows_searched=limits.header_rows,
            direction=classifiers["direction"],
            group_key="direction",
            lang=lang,
        )
        block = _bound_data(rows, block, limits, lang)
        parts.append(rows)
    filled = [part for part in parts if len(part)]
    if not filled:
        return parts[:1]
    template = next((part for part in parts if part.sheet == named), None)
    if template is not None and not len(template):
        result.issues.append(
            issue(
                "sheet-other-used",
                lang=lang,
                file=job.path,
                sheet=filled[0].sheet,
                expected=named,
            )
        )
    return filled


def _normalize(rows: SheetRows, columns: tuple[Column, ...], classifiers: Classifiers) -> None:
    """Normalise and encode the texts of *rows* here, in the worker (see :mod:`.columns`)."""
    rows.encoded = encode_columns(rows.values, len(rows), columns, rows.extra_columns, classifiers)
    rows.values = {}


def _subdivision(rows: SheetRows) -> str | None:
    """The most frequent subdivision named in the rows (counted on its encoded column)."""
    column = rows.encoded.get("subdivision")
    if column is None:
        return None
    counts: Counter[str] = Counter()
    for code, count in Counter(column.codes).items():
        shown = column.values[code]
        text = clean(shown) if shown else None
        if text:
            counts[text] += count
    return counts.most_common(1)[0][0] if counts else None


def _stat(path: str) -> tuple[int, int]:
    result = os.stat(path)
    return result.st_size, result.st_mtime_ns


def read_one(job: Job, classifiers: Classifiers, limits: Limits, lang: str = "ru") -> FileResult:
    """Read the file of *job* (never raises on bad input; see the module docstring)."""
    try:
        return _read_one(job, classifiers, limits, lang)
    except _Unreadable as exc:
        return failure(job, exc.code, lang, **exc.params)
    except MemoryError:
        return failure(job, "file-too-large", lang, reason="не хватило памяти для разбора")
    except RecursionError:
        return failure(job, "file-unreadable", lang, reason="слишком глубокая вложенность")
    except Exception as exc:
        return failure(job, "file-unreadable", lang, reason=f"сбой программы чтения ({exc!r:.300})")


def _not_regular(mode: int) -> str | None:
    """The texts key of what a file of *mode* is when it is not a regular file, else None."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "not_regular_fifo"
    if stat.S_ISDIR(mode):
        return "not_regular_dir"
    if stat.S_ISSOCK(mode):
        return "not_regular_socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "not_regular_device"
    return "not_regular_other"


def _read_regular(path: str, size: int, lang: str) -> bytes:
    """Up to *size* bytes of the regular file *path*. It is opened without blocking and checked
    on the open descriptor, so that a file swapped for a named pipe after the first look cannot
    make the read wait forever."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        kind = _not_regular(os.fstat(descriptor).st_mode)
        if kind is not None:
            raise _Unreadable("file-unreadable", reason=translated(f"reading.{kind}", lang))
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "rb", closefd=True) as handle:
            descriptor = -1
            return handle.read(size)
    finally:
        if descriptor >= 0:
            os.close(descriptor)


def _read_one(job: Job, classifiers: Classifiers, limits: Limits, lang: str) -> FileResult:
    try:
        kind = _not_regular(os.stat(job.real).st_mode)
        if kind is not None:  # a named pipe would block the open() below forever
            raise _Unreadable("file-unreadable", reason=translated(f"reading.{kind}", lang))
        before = _stat(job.real)
        if before[0] > limits.max_file_size:
            raise _Unreadable(
                "file-too-large",
                reason=f"размер {_mb(before[0])} (допустимо {_mb(limits.max_file_size)})",
            )
        data = _read_regular(job.real, limits.max_file_size + 1, lang)
    except OSError as exc:
        raise _Unreadable("file-unreadable", reason=f"нет доступа ({exc.strerror})") from None
    if len(data) > limits.max_file_size:
        raise _Unreadable("file-too-large", reason=f"размер больше {_mb(limits.max_file_size)}")
    extension = Path(job.path).suffix.lower()
    info = FileInfo(
        path=job.path,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    if extension in TEXT_EXTENSIONS and data:
        return _read_text_table(job, data, info, classifiers, limits, lang, before)
    package = inspect_package(data, extension, limits)
    if package.problem is not None:
        problem = package.problem
        if problem.code == "file-not-spreadsheet" and (
            not job.explicit and extension not in SPREADSHEET_EXTENSIONS
        ):
            info.status, info.reason = "skipped", problem.params.get("kind")
            return FileResult(info, stat=before)
        result = failure(job, problem.code, lang, **problem.params)
        result.info.size, result.info.sha256 = info.size, info.sha256
        result.stat = before
        return result
    info.format = package.format
    issues = [_warning(job, w, lang) for w in package.warnings]
    book = _Book(data, package, limits, job.careful, lang)
    data_sheets, requirements_sheet, named = _choose_sheets(book, classifiers, limits)
    result = FileResult(info, issues, stat=before)
    sheets = classifiers.sheets
    if not data_sheets:
        info.ignored_sheets = _ignored(book, classifiers, (requirements_sheet,))
        listing = ", ".join(f"«{name}»" for name, _ in book.sheets) or "—"
        result.issues.append(
            issue(
                "sheet-not-found",
                lang=lang,
                file=job.path,
                expected=sheets.data,
                sheets=listing,
            )
        )
        info.status = "unreadable"
        info.reason = _reason("sheet-not-found", lang, {})
        return result
    parts = _read_data_sheets(book, data_sheets, named, classifiers, limits, job, lang, result)
    read = [rows.sheet for rows in parts]
    info.ignored_sheets = _ignored(book, classifiers, (*read, requirements_sheet))
    for name in info.ignored_sheets:
        if name in data_sheets:
            continue  # its header is the template's, its rows are none
        count = book.filled_rows(name)
        if count:
            result.issues.append(
                issue(
                    "sheet-not-read",
                    lang=lang,
                    file=job.path,
                    sheet=name,
                    rows=count,
                    expected=sheets.data,
                )
            )
    for name in (*read, requirements_sheet):
        if name is not None and name in book.hidden:
            result.issues.append(issue("sheet-hidden", lang=lang, file=job.path, sheet=name))
    _take(result, parts, classifiers, lang)
    if requirements_sheet is not None:
        requirement_rows = read_rows(
            book.grid(requirements_sheet),
            classifiers.requirement_columns,
            file=job.path,
            example_marker=sheets.example_marker,
            rows_searched=limits.header_rows,
            lang=lang,
        )
        _normalize(requirement_rows, classifiers.requirement_columns, classifiers)
        result.requirements = requirement_rows
        result.issues.extend(requirement_rows.issues)
        info.requirements_sheet = requirements_sheet
        info.requirement_header_row = requirement_rows.header_row
        info.requirement_columns = requirement_rows.columns
        info.requirement_rows = len(requirement_rows)
    if _stat(job.real) != before:
        return _changed(job, info, lang, before)
    return result


def _changed(job: Job, info: FileInfo, lang: str, before: tuple[int, int]) -> FileResult:
    result = failure(job, "file-changed", lang)
    result.info.size, result.info.sha256, result.info.format = info.size, info.sha256, info.format
    result.stat = before
    return result


def _warning(job: Job, problem: Problem, lang: str) -> Issue:
    return issue(problem.code, lang=lang, file=job.path, **problem.params)
