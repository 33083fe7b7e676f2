"""Return copies: one workbook per input file, to send back to the subdivision (п. 3.3 2)).

A return copy is itself a filled template: «Замечания» (the findings on this file, each with the
cell address in the clerk's own file and a link to the cell here), «Перечень» and «Требования
п. 4.2» with the clerk's original values at the clerk's own row numbers, the template's headers
and drop-downs, the same fills and notes as the consolidated workbook, and the hidden lists. The
clerk fixes it and sends it back. An unreadable file gets a note with the findings only.
"""

from __future__ import annotations

import contextlib
import os
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

from ..cells import MAX_ROWS
from ..classifiers import Classifiers, Column
from ..findings import FileInfo, Issue
from ..output.config import Labels, output_spec
from ..output.kind import mark
from ..output.numbers import as_number
from ..output.printing import print_layout
from ..output.rows import LINE_HEIGHT, header_height, row_lines
from ..templates.perechen import TemplateFormats, drop_down_validation, write_hidden_lists
from ..text import clean
from .issues_table import issue_headers, issue_widths, pages, write_issue_rows
from .placement import (
    DATA,
    DATA_HEADER,
    REQUIREMENT,
    REQUIREMENT_HEADER,
    REQUIREMENT_ROW_KEY,
    ROW_KEY,
    Location,
)
from .xlsx import (
    RISKY_START,
    Links,
    Styles,
    cell_text,
    comment_for,
    finish_sheet,
    new_workbook,
    safe_texts,
    worst,
    write_text,
)

__all__ = ["ReturnJob", "return_name", "stale_copies", "write_return_copy"]

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in range(10)
}
_STEM_LIMIT = 80
#: The row of the header of «Замечания» (zero-based): the title, the counts and the note above.
REMARKS_TOP = 4


#: Bytes of a return copy's stem: with the suffix, «_NN», «.xlsx» and the temporary name's
#: «.….XXXXXXXX.part» the longest name stays well below the 255 bytes of a file name.
_STEM_BYTES = 200


def _cut_bytes(text: str, limit: int) -> str:
    """*text* cut to at most *limit* bytes of UTF-8, at a character boundary."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data) <= limit:
        return text
    return data[: max(0, limit)].decode("utf-8", "ignore")


def return_name(path: str, used: set[str], suffix: str | None = None) -> str:
    """A safe, unique file name for the return copy of *path*: ``<stem><suffix>.xlsx`` with the
    characters Windows forbids, control characters and leading dots replaced, spaces as «_»,
    at most 80 characters and 200 bytes of stem; ``_2``, ``_3`` … when *used* (compared
    ignoring case) has it."""
    suffix = output_spec().files["return_suffix"] if suffix is None else suffix
    stem = Path(str(path).replace("\\", "/")).stem
    stem = _UNSAFE.sub("_", clean(stem))
    stem = re.sub(r"\s+", "_", stem).strip("._ ")[:_STEM_LIMIT]
    # File systems count bytes (255 a name), and the temporary name adds some 16 to the final
    # one: «№», «—», Cyrillic take two bytes each in UTF-8, CJK three, emoji four.
    stem = _cut_bytes(stem, _STEM_BYTES - len(suffix.encode("utf-8"))).strip("._ ")
    if not stem or stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = f"file_{stem}" if stem else "file"
    name, number = f"{stem}{suffix}.xlsx", 2
    while name.casefold() in used:
        name, number = f"{stem}{suffix}_{number}.xlsx", number + 1
    used.add(name.casefold())
    return name


def _made_by_tpcheck(path: Path) -> bool:
    """True when the workbook at *path* carries tpcheck's document property (a return copy
    written by an earlier run, not a file someone put beside them)."""
    with (
        contextlib.suppress(OSError, zipfile.BadZipFile, KeyError),
        zipfile.ZipFile(path) as package,
    ):
        info = package.getinfo("docProps/custom.xml")
        if info.file_size < 1_000_000:
            return b'name="tpcheck_classifiers_sha256"' in package.read(info)
    return False


def stale_copies(
    folder: Path,
    keep: Sequence[Path],
    suffix: str | None = None,
    made_by_tpcheck: Callable[[Path], bool] | None = None,
) -> list[Path]:
    """The return copies an earlier run wrote into *folder* that this run does not write again
    (*keep*): named ``<stem><suffix>.xlsx`` or ``<stem><suffix>_N.xlsx`` and carrying tpcheck's
    document property (or passing *made_by_tpcheck*). Other files are never touched."""
    suffix = output_spec().files["return_suffix"] if suffix is None else suffix
    made_by_tpcheck = made_by_tpcheck or _made_by_tpcheck
    pattern = re.compile(rf".+{re.escape(suffix)}(_\d+)?\.xlsx", re.IGNORECASE)
    kept = {path.name.casefold() for path in keep}
    found = []
    with contextlib.suppress(OSError):
        for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
            if (
                pattern.fullmatch(entry.name)
                and entry.name.casefold() not in kept
                and entry.is_file(follow_symlinks=False)
                and made_by_tpcheck(Path(entry.path))
            ):
                found.append(Path(entry.path))
    return found


@dataclass
class ReturnJob:
    """Everything one return copy needs (picklable, so that copies can be written in parallel):
    the file, its rows' original texts by column key (and extra columns by name), the Excel row
    of each, the same for its «Требования п. 4.2» rows, and its issues located in those rows
    (``Location.index`` is the row's position within this file)."""

    path: str
    info: FileInfo
    lang: str
    classifiers: Classifiers
    rows: list[int] = field(default_factory=list)
    values: dict[str, list[Any]] = field(default_factory=dict)
    extras: list[str] = field(default_factory=list)
    requirement_rows: list[int] = field(default_factory=list)
    requirement_values: dict[str, list[Any]] = field(default_factory=dict)
    placed: list[tuple[Issue, Location]] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return self.info.status == "ok"

    @property
    def weight(self) -> int:
        return len(self.rows) * (len(self.values) + 1) + len(self.placed) * 4 + 50


def _row_numbers(rows: Sequence[int], header: int) -> list[int]:
    """Zero-based rows to write at: the clerk's own rows when they fit after the header, else
    consecutive rows below it."""
    zero = [int(r) - 1 for r in rows]
    if all(header < r < MAX_ROWS for r in zero) and len(set(zero)) == len(zero):
        return zero
    return list(range(header + 1, header + 1 + len(zero)))


def _write_grid(
    book: Any,
    sheet: Any,
    styles: Styles,
    labels: Labels,
    classifiers: Classifiers,
    columns: Sequence[Column],
    extras: Sequence[str],
    header: int,
    rows: Sequence[int],
    values: dict[str, list[Any]],
    cell_marks: dict[tuple[int, int], list[Issue]],
    header_marks: dict[int, list[Issue]],
) -> None:
    keys = [c.key for c in columns] + list(extras)
    # new entries stay text, as in the template, and wrap like the rest
    text_format = styles.text
    quoted = styles.cell(None, True)
    _, widths = print_layout(
        [columns[c].width if c < len(columns) else 20 for c in range(len(keys))]
    )
    written: list[list[str | None]] = []
    headers: list[str] = []
    marks_of: dict[int, dict[int, list[Issue]]] = {}  # column → row → issues
    for (row, col), issues in cell_marks.items():
        marks_of.setdefault(col, {})[row] = issues
    for col, key in enumerate(keys):
        spec = columns[col] if col < len(columns) else None
        issues = header_marks.get(col)
        mark = worst(issues) if issues else None
        text = spec.template_header if spec else key
        headers.append(text)
        fmt = styles.header_for(mark, spec.required if spec else None, text)
        sheet.write_string(header, col, text, fmt)
        if issues:
            sheet.write_comment(header, col, *comment_for(issues, labels))
        sheet.set_column(col, col, widths[col], text_format)
        texts = safe_texts(values.get(key, [None] * len(rows)))
        written.append(texts)
        column_marks = marks_of.get(col, {})
        marked = []
        if column_marks:
            marked = [(r, t) for r, t in zip(rows, texts, strict=True) if r in column_marks]
            texts = [None if r in column_marks else t for r, t in zip(rows, texts, strict=True)]
        if key == "number":  # «№» as numbers where the clerk wrote a whole number
            whole = [as_number(t) for t in texts]
            numbers = [w if type(w) is int else None for w in whole]
            sheet.write_numbers(rows, repeat(col), numbers, styles.number())
            texts = [None if type(w) is int else t for w, t in zip(whole, texts, strict=True)]
        # wrapped, as in the consolidated workbook: the narrowed columns print readable
        sheet.write_column(col, rows, texts, styles.cell(), quoted, RISKY_START)
        for row, text in marked:
            issues = column_marks[row]
            if key == "number" and type(as_number(text)) is int:
                sheet.write_number(row, col, as_number(text), styles.number(worst(issues)))
            else:
                write_text(sheet, row, col, text, styles, worst(issues))
            sheet.write_comment(row, col, *comment_for(issues, labels))
    last = max([header + classifiers.sheets.rows_prepared, *rows])
    for col, spec in enumerate(columns):
        sheet.data_validation(header + 1, col, last, col, drop_down_validation(spec, classifiers))
    for row, lines in zip(rows, row_lines(written, widths), strict=False):
        if lines > 1:
            sheet.set_row(row, LINE_HEIGHT * lines)
    sheet.set_row(header, header_height(headers, widths))
    finish_sheet(sheet, header, widths=widths)
    sheet.autofilter(header, 0, max([header + 1, *rows]), max(len(keys) - 1, 0))


def _remarks(
    sheet: Any,
    styles: Styles,
    labels: Labels,
    job: ReturnJob,
    links: dict[int, tuple[str, int, int]],
    first: int = 0,
    stop: int | None = None,
) -> None:
    """The sheet «Замечания» (or a continuation of it) with the findings first … stop − 1 of
    *job*, each with its link (*links*: by the finding's position)."""
    errors = sum(1 for item, _ in job.placed if item.severity == "error")
    notices = sum(1 for item, _ in job.placed if item.severity == "notice")
    data_sheet = job.classifiers.sheets.data
    sheet.write_string(
        0, 0, cell_text(labels.format("remarks_title", file=job.path)) or "", styles.title
    )
    sheet.write_string(
        1,
        0,
        labels.format(
            "remarks_counts",
            errors=errors,
            warnings=len(job.placed) - errors - notices,
            notices=notices,
        ),
        styles.bold,
    )
    note = (
        labels.format("remarks_howto", sheet=data_sheet)
        if job.readable
        else labels["remarks_unreadable"]
    )
    if not job.placed and job.readable:
        note = labels.format(
            "remarks_clean", sheet=data_sheet, requirements=job.classifiers.sheets.requirements
        )
    sheet.merge_range(2, 0, 2, 8, note, styles.cell())
    sheet.set_row(2, 48)
    skip = ("file",)
    headers = [labels["col_link"], *issue_headers(labels, skip)]
    headers[headers.index(labels["col_place"])] = labels["col_place_in_file"]
    widths = [14, *issue_widths(skip)]
    top = REMARKS_TOP
    for col, header in enumerate(headers):
        sheet.write_string(top, col, header, styles.header)
        sheet.set_column(col, col, widths[col])
    placed = job.placed[first:stop]
    written = Links(sheet, styles)
    for offset in links:
        if first <= offset < first + len(placed):
            written.write(top + 1 + offset - first, 0, links[offset])
    items = (item for item, _ in placed)
    write_issue_rows(sheet, styles, labels, items, top=top, first_col=1, skip=skip)
    sheet.set_row(top, header_height(headers, widths))
    finish_sheet(sheet, top, widths=widths)
    sheet.autofilter(top, 0, top + max(len(placed), 1), len(headers) - 1)


def _write_plain(
    book: Any,
    sheet: Any,
    styles: Styles,
    columns: Sequence[Column],
    extras: Sequence[str],
    header: int,
    rows: Sequence[int],
    values: dict[str, list[Any]],
) -> None:
    """The rows of a file without findings as they were read: the template's headers and the
    clerk's texts at their rows, nothing more (no marks, drop-downs or measured row heights:
    there is nothing to fix)."""
    keys = [c.key for c in columns] + list(extras)
    _, widths = print_layout(
        [columns[c].width if c < len(columns) else 20 for c in range(len(keys))]
    )
    for col, key in enumerate(keys):
        spec = columns[col] if col < len(columns) else None
        text = spec.template_header if spec else key
        sheet.write_string(
            header, col, text, styles.header_for(None, spec.required if spec else None)
        )
        sheet.set_column(col, col, widths[col])
        texts = safe_texts(values.get(key, [None] * len(rows)))
        sheet.write_column(col, rows, texts, styles.cell(), styles.cell(None, True), RISKY_START)
    finish_sheet(sheet, header, widths=widths)


def write_return_copy(job: ReturnJob, target: str | Path) -> None:
    """Write the return copy of *job* to *target* (the caller makes it atomic)."""
    labels = output_spec().labels(job.lang)
    classifiers = job.classifiers
    sheets = classifiers.sheets
    book = new_workbook(
        target,
        {
            "title": labels.format("remarks_title", file=job.path),
            "subject": f"{classifiers.meta['regulation']} ({classifiers.meta['order']})",
            "company": classifiers.meta["organization"],
        },
    )
    mark(book, "return-copy")
    book.set_custom_property("tpcheck_classifiers_sha256", classifiers.digest)
    styles = Styles(book)
    # «Замечания», and «Замечания (2)»… beyond a sheet's rows (the header is in row 5)
    remarks = [
        (book.add_worksheet(name), first, stop)
        for name, first, stop in pages(labels["sheet_remarks"], len(job.placed), REMARKS_TOP)
    ]
    links: dict[int, tuple[str, int, int]] = {}
    if job.readable:
        info = job.info
        header = max((info.header_row or 1) - 1, 0)
        rows = _row_numbers(job.rows, header)
        req_header = max((info.requirement_header_row or 1) - 1, 0)
        req_rows = _row_numbers(job.requirement_rows, req_header)
        keys = [c.key for c in classifiers.columns] + list(job.extras)
        col_of = {key: col for col, key in enumerate(keys)}
        req_col_of = {c.key: col for col, c in enumerate(classifiers.requirement_columns)}
        marks: dict[str, dict[tuple[int, int], list[Issue]]] = {"data": {}, "req": {}}
        header_marks: dict[str, dict[int, list[Issue]]] = {"data": {}, "req": {}}
        for offset, (item, where) in enumerate(job.placed):
            target_cell = None
            if where.kind == DATA:
                col = col_of.get(where.key or ROW_KEY, col_of[ROW_KEY])
                target_cell = ("data", rows[where.index], col)
            elif where.kind == REQUIREMENT:
                col = req_col_of.get(
                    where.key or REQUIREMENT_ROW_KEY, req_col_of[REQUIREMENT_ROW_KEY]
                )
                target_cell = ("req", req_rows[where.index], col)
            elif where.kind == DATA_HEADER and where.key in col_of:
                header_marks["data"].setdefault(col_of[where.key], []).append(item)
                target_cell = ("data", header, col_of[where.key])
            elif where.kind == REQUIREMENT_HEADER and where.key in req_col_of:
                header_marks["req"].setdefault(req_col_of[where.key], []).append(item)
                target_cell = ("req", req_header, req_col_of[where.key])
            if target_cell is None:
                continue
            which, row, col = target_cell
            if where.kind in (DATA, REQUIREMENT):
                marks[which].setdefault((row, col), []).append(item)
            links[offset] = (sheets.data if which == "data" else sheets.requirements, row, col)
        data = book.add_worksheet(sheets.data)
        if not job.placed:
            # nothing to mark: a short copy that says so, not a second styling pass
            _write_plain(
                book, data, styles, classifiers.columns, job.extras, header, rows, job.values
            )
            requirements = book.add_worksheet(sheets.requirements)
            _write_plain(
                book,
                requirements,
                styles,
                classifiers.requirement_columns,
                (),
                req_header,
                req_rows,
                job.requirement_values,
            )
            for sheet, first, stop in remarks:
                _remarks(sheet, styles, labels, job, links, first, stop)
            remarks[0][0].activate()
            book.close()
            return
        if header > 0:
            data.write_string(0, 0, labels.format("remarks_title", file=job.path), styles.bold)
        _write_grid(
            book,
            data,
            styles,
            labels,
            classifiers,
            classifiers.columns,
            job.extras,
            header,
            rows,
            job.values,
            marks["data"],
            header_marks["data"],
        )
        requirements = book.add_worksheet(sheets.requirements)
        _write_grid(
            book,
            requirements,
            styles,
            labels,
            classifiers,
            classifiers.requirement_columns,
            (),
            req_header,
            req_rows,
            job.requirement_values,
            marks["req"],
            header_marks["req"],
        )
        write_hidden_lists(book, classifiers, TemplateFormats(book))
    for sheet, first, stop in remarks:
        _remarks(sheet, styles, labels, job, links, first, stop)
    remarks[0][0].activate()
    book.close()
