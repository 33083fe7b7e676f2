"""Rows of a sheet → the data rows of the Перечень (no I/O here: the rows come from calamine or
from the streaming fallback, the findings of the package scan come with them).

* The header row is searched in the first rows (clerks put titles above it); its cells are
  mapped to column keys by the column spec's header, synonyms and close matches, ignoring case,
  ё/е, line breaks, a trailing «*» and clause suffixes such as «(п. 3.5)».
* Below it: fully blank rows, rows with only a № in them and the template's example row are
  skipped; a «group row» (one text across the row naming a direction, often merged full width)
  sets the direction of the rows below it; merged cells give their value to the cells they
  cover; error values and formulas without a cached value become findings at their cell.
* Numbers and dates become text as the clerk sees them (``1.0`` → ``1``, ``05.03.2024``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..cells import a1, column_letter
from ..classifiers import ClassifierList, Column
from ..findings import Issue, issue
from ..text import clean, match_key
from .grid import (
    _BLANKS,
    _DIGIT,
    Grid,
    Header,
    HeaderMatch,
    _blank,
    _map_header,
    _matcher,
    display,
    header_key,
)
from .layout import FURNITURE_NAMES, combine_header, furniture_kind, numbering

__all__ = ["Grid", "HeaderMatch", "SheetRows", "display", "find_header", "header_key", "read_rows"]


def find_header(grid: Grid, columns: Sequence[Column], rows_searched: int) -> Header | None:
    """The header of *grid*: the row (among its first *rows_searched* filled rows) that names
    the most columns, combined with the rows next to it when the header spans two or three
    rows (:func:`.layout.combine_header`); None when no row names any column."""

    match = _matcher(tuple(columns))
    header = _find_row(grid, match, rows_searched)
    return None if header is None else combine_header(grid, header, match)


def _find_row(grid: Grid, match: HeaderMatch, rows_searched: int) -> Header | None:
    """The row of *grid* (among its first *rows_searched* filled rows) that names the most
    columns, or None when no row names any. Rows are compared on exact names first (cheap);
    close matches are tried on the chosen row, or on every row when none names a column."""
    candidates = []
    best: Header | None = None
    for number, values in grid.rows:
        if all(_blank(v) for v in values):
            continue
        candidates.append((number, values))
        header = _map_header(number, values, grid.col_offset, match, close=False)
        if best is None or len(header.columns) > len(best.columns):
            best = header
        if match.required <= header.columns.keys() or len(candidates) >= rows_searched:
            break
    if best is not None and best.columns:
        if not best.unknown:
            return best  # close matching would change nothing: every text was named
        values = next(v for n, v in candidates if n == best.row)
        return _map_header(best.row, values, grid.col_offset, match, close=True)
    best = None
    for number, values in candidates:
        header = _map_header(number, values, grid.col_offset, match, close=True)
        if best is None or len(header.columns) > len(best.columns):
            best = header
    return best if best is not None and best.columns else None


def header_score(grid: Grid, columns: Sequence[Column], rows_searched: int) -> int:
    """How many columns the best header row of *grid* names (to find a renamed data sheet)."""
    header = find_header(grid, columns, rows_searched)
    return len(header.columns) if header else 0


# ------------------------------------------------------------------------------ rows


@dataclass
class SheetRows:
    """The data rows of one sheet, column-wise: ``values[name]`` (the cells as the parser gave
    them) for every mapped key and extra column (encoded and normalised by the worker, see
    :mod:`.columns`, into ``encoded``), ``source_rows``
    their Excel row numbers, ``issues`` the findings, ``missing`` the required keys not
    found."""

    sheet: str
    header_row: int | None = None
    columns: dict[str, tuple[int, str]] = field(default_factory=dict)
    extra_columns: list[str] = field(default_factory=list)
    values: dict[str, Sequence[Any]] = field(default_factory=dict)
    source_rows: list[int] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    encoded: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.source_rows)


def _ranges(rows: Sequence[int]) -> str:
    """``3, 5–7, 10``."""
    parts: list[str] = []
    start = previous = None
    for row in sorted(rows):
        if start is None:
            start = previous = row
        elif row == previous + 1:  # type: ignore[operator]
            previous = row
        else:
            parts.append(str(start) if start == previous else f"{start}–{previous}")
            start = previous = row
    if start is not None:
        parts.append(str(start) if start == previous else f"{start}–{previous}")
    return ", ".join(parts)


def _unique(name: str, taken: set[str]) -> str:
    candidate, index = name, 2
    while candidate in taken:
        candidate = f"{name} ({index})"
        index += 1
    taken.add(candidate)
    return candidate


def _fills(
    grid: Grid, first_row: int, present: list[int], by_row: dict[int, Sequence[Any]]
) -> dict[int, list[tuple[int, Any, str]]]:
    """Row → [(column, value, merged range)] that merged ranges give to the cells they cover
    (below the header, only in rows that exist, only within the width of the sheet)."""
    fills: dict[int, list[tuple[int, Any, str]]] = {}
    last_col = grid.col_offset + grid.width - 1
    for r0, c0, r1, c1 in grid.merges:
        if r1 < first_row or (r0 == r1 and c0 == c1):
            continue
        source = by_row.get(r0)
        index = c0 - grid.col_offset
        if source is None or not 0 <= index < len(source):
            continue
        value = source[index]
        if display(value) is None:
            continue
        merged = f"{a1(r0, c0)}:{a1(r1, c1)}"
        for row in present[bisect_left(present, max(r0, first_row)) : bisect_right(present, r1)]:
            for col in range(c0, min(c1, last_col) + 1):
                if (row, col) != (r0, c0):
                    fills.setdefault(row, []).append((col, value, merged))
    return fills


def read_rows(
    grid: Grid,
    columns: Sequence[Column],
    *,
    file: str,
    example_marker: str,
    rows_searched: int,
    direction: ClassifierList | None = None,
    group_key: str | None = None,
    lang: str = "ru",
) -> SheetRows:
    """The data rows of *grid* laid out by *columns* (see the module docstring). With
    *direction* and *group_key* («direction»), group rows set that column for the rows below.

    The steps: the header (:func:`find_header`) and its findings, the numbering row under it,
    the rules of the rows (:class:`_Rules`), the one loop over the rows (:func:`_scan_rows`),
    the form lines around the data, the extra columns named, the rows turned into columns,
    the findings at cells."""

    result = SheetRows(sheet=grid.name)
    where = _Where(file, grid.name, lang)
    header = find_header(grid, columns, rows_searched)
    if header is None:
        _no_header(result, grid, columns, where)
        return result
    spec = {column.key: column for column in columns}
    extras, unknown = _header_findings(result, header, columns, spec, where)
    data = [(n, v) for n, v in grid.rows if n > header.row]
    _skip_numbering(data, result, where)
    present = [n for n, _ in data]
    fills = _fills(grid, header.row + 1, present, dict(grid.rows)) if grid.merges else {}
    rules = _Rules.of(grid, header, spec, extras, data, fills, example_marker, group_key)
    scanned = _scan_rows(data, rules, grid, fills, direction)
    rows = _drop_furniture(
        scanned.rows, scanned.furniture, scanned.headless, result, file, grid.name, lang
    )
    hidden = scanned.hidden
    if scanned.furniture:
        kept_numbers = {number for number, _ in rows}
        hidden = [n for n in hidden if n in kept_numbers]
    named = _name_extras(result, header, spec, extras, scanned.headless, unknown, where)
    result.source_rows = [number for number, _ in rows]
    # Row lists → column tuples, in one C loop (every row has *width* cells).
    table = list(zip(*(values for _, values in rows), strict=True)) or [()] * rules.width
    offset = grid.col_offset
    for col, key in rules.keyed:
        result.values[key] = table[col - offset]
    for col, name in named:
        result.values[name] = table[col - offset]
    _cell_findings(result, grid, header, named, scanned.merged, hidden, where)
    return result


@dataclass(frozen=True, slots=True)
class _Where:
    """The file, sheet and language every finding of one sheet carries."""

    file: str
    sheet: str
    lang: str

    def issue(self, code: str, **params: Any) -> Issue:
        return issue(code, lang=self.lang, file=self.file, sheet=self.sheet, **params)


def _no_header(result: SheetRows, grid: Grid, columns: Sequence[Column], where: _Where) -> None:
    """*result* of a sheet where no row names a column: every required key missing, one
    finding that shows the first filled row."""
    found = next(
        (
            [clean(t) for t in (display(v) for v in values) if t is not None]
            for _, values in grid.rows
            if any(display(v) is not None for v in values)
        ),
        [],
    )
    result.missing = [c.key for c in columns if c.required]
    result.issues.append(
        where.issue(
            "column-missing",
            expected=", ".join(f"«{c.template_header}»" for c in columns if c.required),
            found=", ".join(f"«{t}»" for t in found) or "—",
        )
    )


def _header_findings(
    result: SheetRows,
    header: Header,
    columns: Sequence[Column],
    spec: dict[str, Column],
    where: _Where,
) -> tuple[list[tuple[int, str]], dict[int, int]]:
    """Take *header* into *result* with its findings (duplicate, unknown and missing
    columns); ``(extra columns as (column, header), {column: index in result.issues of its
    finding})`` — a duplicate or unknown column is carried as an extra column, and its
    finding gets that column's name as its field once the extras are named."""
    result.header_row = header.row
    result.columns = dict(header.columns)
    extras: list[tuple[int, str]] = []
    found: list[tuple[int, Issue]] = []
    for col, shown, key in header.duplicates:
        found.append(
            (
                col,
                where.issue(
                    "column-duplicate",
                    row=header.row,
                    column=shown,
                    cell=a1(header.row, col),
                    first=header.columns[key][1],
                    expected=spec[key].header,
                ),
            )
        )
        extras.append((col, shown))
    for col, shown in header.unknown:
        found.append(
            (
                col,
                where.issue(
                    "column-unknown", row=header.row, column=shown, cell=a1(header.row, col)
                ),
            )
        )
        extras.append((col, shown))
    unknown: dict[int, int] = {}
    for col, item in sorted(found, key=lambda pair: pair[0]):
        unknown[col] = len(result.issues)  # its values are an extra column: named below
        result.issues.append(item)
    missing = [c for c in columns if c.required and c.key not in header.columns]
    if missing:
        result.missing = [c.key for c in missing]
        result.issues.append(
            where.issue(
                "column-missing",
                row=header.row,
                expected=", ".join(f"«{c.template_header}»" for c in missing),
                found=", ".join(f"«{t}»" for t in header.texts) or "—",
            )
        )
    return extras, unknown


def _skip_numbering(
    data: list[tuple[int, Sequence[Any]]], result: SheetRows, where: _Where
) -> None:
    """Take the row that numbers the columns (1, 2, … N) right under the header out of
    *data*, with a notice."""
    first = next((i for i, (_, v) in enumerate(data) if not _only_blanks(v)), None)
    if first is not None and (numbers := numbering(data[first][1])) is not None:
        number = data.pop(first)[0]
        result.issues.append(where.issue("header-numbering-row", row=number, value=numbers))


@dataclass(slots=True)
class _Rules:
    """What the loop over the rows of one sheet needs to know, worked out once: the width of
    a row, the columns outside the header, where the №, the example marker and the group
    column are, and the example row's probes."""

    width: int
    offset: int
    header_cols: set[int]
    keyed: list[tuple[int, str]]
    outside: list[int]
    number_index: int | None
    group_index: int | None
    marker: str | None
    marker_plain: str
    examples: dict[str, str]
    probes: list[tuple[int, str]]
    example_indexes: list[tuple[int, str]]
    wide: int
    errors: dict[int, list[tuple[int, str]]]

    @classmethod
    def of(
        cls,
        grid: Grid,
        header: Header,
        spec: dict[str, Column],
        extras: list[tuple[int, str]],
        data: list[tuple[int, Sequence[Any]]],
        fills: dict[int, list[tuple[int, Any, str]]],
        example_marker: str,
        group_key: str | None,
    ) -> _Rules:
        offset = grid.col_offset
        header_cols = {col for col, _ in header.columns.values()} | {col for col, _ in extras}
        # The column that says «Пример» in the template's example row (№ on «Перечень»).
        number_col = next(
            (
                col
                for key, (col, _) in header.columns.items()
                if example_marker and spec[key].example == example_marker
            ),
            None,
        )
        group_col = header.columns.get(group_key, (None, ""))[0] if group_key else None
        examples = {
            key: spec[key].example for key, (col, _) in header.columns.items() if col != number_col
        }
        probes = [
            (header.columns[key][0] - offset, example.strip())
            for key, example in sorted(examples.items(), key=lambda item: -len(item[1]))[:2]
            if example.strip()
        ]
        errors: dict[int, list[tuple[int, str]]] = {}
        for (row, col), literal in grid.errors.items():
            errors.setdefault(row, []).append((col, literal))
        width = max(
            [len(values) for _, values in data]
            + [col - offset + 1 for col in header_cols]
            + [col - offset + 1 for (_, col) in grid.errors]
            + [col - offset + 1 for row_fills in fills.values() for col, _, _ in row_fills]
            + [0]
        )
        return cls(
            width=width,
            offset=offset,
            header_cols=header_cols,
            keyed=sorted((col, key) for key, (col, _) in header.columns.items()),
            outside=[i for i in range(width) if i + offset not in header_cols],
            number_index=number_col - offset if number_col is not None else None,
            group_index=group_col - offset if group_col is not None else None,
            marker=match_key(example_marker) if example_marker else None,
            marker_plain=example_marker.strip().casefold(),
            examples=examples,
            probes=probes,
            example_indexes=[(header.columns[k][0] - offset, e) for k, e in examples.items()],
            wide=max(2, (len(header.columns) + 1) // 2),
            errors=errors,
        )


@dataclass(slots=True)
class _Scanned:
    """What the loop over the rows found: the rows kept (furniture included, dropped after),
    hidden ones, cells filled from merged ranges, form lines by index in ``rows`` and the
    filled columns outside the header."""

    rows: list[tuple[int, list[Any]]]
    hidden: list[int]
    merged: dict[int, list[tuple[int, Any, str]]]
    furniture: dict[int, tuple[str, str, list[int]]]
    headless: dict[int, None]


def _scan_rows(
    data: list[tuple[int, Sequence[Any]]],
    rules: _Rules,
    grid: Grid,
    fills: dict[int, list[tuple[int, Any, str]]],
    direction: ClassifierList | None,
) -> _Scanned:
    """The hot loop: each row below the header padded to the width, error values put in,
    merged cells filled; blank rows, group rows, rows with only a №, the example row skipped;
    form lines noted (see the module docstring). Everything it looks up is a local."""
    width, offset, outside = rules.width, rules.offset, rules.outside
    header_cols, errors, wide = rules.header_cols, rules.errors, rules.wide
    number_index, group_index = rules.number_index, rules.group_index
    marker, marker_plain, probes = rules.marker, rules.marker_plain, rules.probes
    example_indexes = rules.example_indexes
    hidden_rows = grid.hidden_rows
    group_value: Any = None
    headless: dict[int, None] = {}
    rows: list[tuple[int, list[Any]]] = []
    hidden: list[int] = []
    merged: dict[int, list[tuple[int, Any, str]]] = {}  # row → cells filled from merged ones
    furniture: dict[int, tuple[str, str, list[int]]] = {}  # index in rows → (kind, text, cols)
    for number, values in data:
        # Raw values: "" is an empty cell (calamine's and the fallback's convention).
        if len(values) != width or values.__class__ is not list:
            values = [*values, *[""] * (width - len(values))]
        if number in errors:
            values = list(values)
            for col, literal in errors[number]:
                values[col - offset] = literal
        empty = values.count("")
        if empty == width:
            continue
        if _only_blanks(values):
            continue  # only spaces and invisible characters
        original = values
        if number in fills:
            values = list(values)
            for col, value, where in fills[number]:
                if _blank(values[col - offset]):
                    values[col - offset] = value
                    if col in header_cols:
                        merged.setdefault(number, []).append((col, value, where))
        if width - empty <= 2:
            texts = [display(v) or "" for v in original if not _blank(v)]
            kind = furniture_kind(texts) if texts else None
            if kind is not None:
                cols = [i + offset for i in outside if not _blank(values[i])]
                furniture[len(rows)] = (kind, " ".join(texts), cols)
                rows.append((number, values))
                continue
        if width - empty <= 3:
            own = [i for i, v in enumerate(original) if not _blank(v)]
            if len(own) == 1:
                # One filled cell of its own: a group row, a row with only its №, or data.
                filled = {display(v) for v in values if not _blank(v)}
                if direction is not None and len(filled) == 1:
                    (text,) = filled
                    spread = sum(not _blank(v) for v in values)
                    in_number = own[0] == number_index
                    if spread >= wide or (not in_number and direction.match(text) is not None):
                        group_value = original[own[0]]
                        continue
                if own[0] == number_index:
                    continue
        if number_index is not None and marker is not None:
            value = values[number_index]
            if (
                value.__class__ is str
                and value
                and not value.isdecimal()  # (the common case, quicker than the search)
                and not _DIGIT.search(value)
                and (value.strip().casefold() == marker_plain or match_key(value) == marker)
            ):
                continue
        if probes:
            index, example = probes[0]
            value = values[index]
            if (
                value.__class__ is str
                and value.strip() == example
                and all(values[i].__class__ is str and values[i].strip() == e for i, e in probes)
                and all(
                    match_key(display(values[i]) or "") == match_key(e) for i, e in example_indexes
                )
            ):
                continue
        for i in outside:
            if not _blank(values[i]):
                headless[i + offset] = None
        if group_index is not None and group_value is not None and _blank(values[group_index]):
            values = list(values) if values is original else values
            values[group_index] = group_value
        rows.append((number, values))
        if number in hidden_rows:
            hidden.append(number)
    return _Scanned(rows, hidden, merged, furniture, headless)


def _name_extras(
    result: SheetRows,
    header: Header,
    spec: dict[str, Column],
    extras: list[tuple[int, str]],
    headless: dict[int, None],
    unknown: dict[int, int],
    where: _Where,
) -> list[tuple[int, str]]:
    """The extra columns — those of the header the spec does not know, and the filled ones
    without a header («Столбец F», each with a column-unknown finding) — named uniquely, in
    the order of the sheet, into ``result.extra_columns``; each finding about such a column
    (unknown, duplicate) gets the name as its ``field``. ``[(column, name)]``."""
    for col in sorted(headless):
        name = f"Столбец {column_letter(col)}"
        extras.append((col, name))
        unknown[col] = len(result.issues)
        result.issues.append(
            where.issue("column-unknown", row=header.row, column=name, cell=a1(header.row, col))
        )
    extras.sort()
    taken = {*spec, *(k + "_raw" for k in spec), "source_file", "source_sheet", "source_row"}
    named = [(col, _unique(name, taken)) for col, name in extras]
    result.extra_columns = [name for _, name in named]
    for col, name in named:
        if col in unknown:
            index = unknown[col]
            result.issues[index] = replace(result.issues[index], field=name)
    return named


def _cell_findings(
    result: SheetRows,
    grid: Grid,
    header: Header,
    named: list[tuple[int, str]],
    merged: dict[int, list[tuple[int, Any, str]]],
    hidden: list[int],
    where: _Where,
) -> None:
    """The findings at cells of the kept rows — error values, formulas without a cached
    value, cells filled from a merged range — each with its column's field (a spec key or
    an extra column's name); then the hidden rows."""
    kept = set(result.source_rows)
    at = {col: (key, shown) for key, (col, shown) in header.columns.items()}
    at.update({col: (name, name) for col, name in named})
    for code, cells in (("cell-error-value", grid.errors), ("formula-no-value", grid.formulas)):
        for (row, col), text in sorted(cells.items()):
            if row in kept:
                key, shown = at.get(col, (None, None))
                result.issues.append(
                    where.issue(
                        code, row=row, column=shown, cell=a1(row, col), value=text, field=key
                    )
                )
    for row in sorted(merged):
        if row not in kept:
            continue
        for col, value, where_merged in merged[row]:
            key, shown = at.get(col, (None, None))
            result.issues.append(
                where.issue(
                    "cell-merged-filled",
                    row=row,
                    column=shown,
                    cell=a1(row, col),
                    field=key,
                    used=display(value),
                    merged=where_merged,
                )
            )
    if hidden:
        result.issues.append(where.issue("rows-hidden", rows=_ranges(hidden)))


def _drop_furniture(
    rows: list[tuple[int, list[Any]]],
    furniture: dict[int, tuple[str, str, list[int]]],
    headless: dict[int, None],
    result: SheetRows,
    file: str,
    sheet: str,
    lang: str,
) -> list[tuple[int, list[Any]]]:
    """*rows* without the form lines (:func:`.layout.furniture_kind`) before the first and
    after the last data row, each skipped with a notice; a form line among data rows is
    ambiguous and stays data (its columns outside the header count then)."""
    if not furniture:
        return rows

    dropped: set[int] = set()
    for index in range(len(rows)):  # the leading ones
        if index not in furniture:
            break
        dropped.add(index)
    for index in range(len(rows) - 1, -1, -1):  # the trailing ones
        if index not in furniture:
            break
        dropped.add(index)
    for index, (kind, text, cols) in sorted(furniture.items()):
        if index not in dropped:
            headless.update(dict.fromkeys(cols))
            continue
        result.issues.append(
            issue(
                "row-form-furniture",
                lang=lang,
                file=file,
                sheet=sheet,
                row=rows[index][0],
                value=text,
                kind=FURNITURE_NAMES[lang][kind],
            )
        )
    return [row for index, row in enumerate(rows) if index not in dropped]


def _only_blanks(values: Sequence[Any]) -> bool:
    """True when every cell of *values* that is not "" is text of spaces and invisible
    characters (a row that looks empty); a plain loop, as a filled row ends it at once."""
    for value in values:
        if value != "" and (value.__class__ is not str or value.strip(_BLANKS)):
            return False
    return True
