"""The sheet «Требования п. 4.2» of the consolidated workbook: one row per touchpoint that has rows
on the clerks' «Требования п. 4.2» sheets, one column per requirement of п. 4.2; the values given,
the requirements that do not apply to the touchpoint's type in grey, violations and warnings filled
and explained in the cell's note. Requirement rows that name no known touchpoint or requirement
(or repeat one) are listed below the matrix, so that none is lost."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from ..cells import column_letter
from ..classifiers import Classifiers
from ..findings import Issue
from ..frame import context_of, raw
from ..output.config import Labels
from ..output.numbers import as_number
from ..text import match_keys
from .placement import REQUIREMENT, Location
from .xlsx import (
    RISKY_START,
    Styles,
    cell_text,
    comment_for,
    finish_sheet,
    safe_texts,
    worst,
    write_text,
)

__all__ = ["write_matrix"]

_HEADER_ROW = 2
_FIXED = (("col_file", 26), ("col_matrix_row", 10), ("col_ref", 7), ("col_touchpoint", 32))


def _number(text: str) -> float | None:
    try:
        return float(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except ValueError:
        return None


def _texts(frame: pd.DataFrame, name: str) -> list[str | None]:
    if name not in frame.columns:
        return [None] * len(frame)
    return safe_texts(frame[name].tolist())


def _keys(texts: list[str | None]) -> list[str | None]:
    """:func:`~tpcheck.text.match_key` of each text (None stays None), a column at a time."""
    present = [text for text in texts if text is not None]
    found = iter(match_keys(present))
    return [None if text is None else next(found) for text in texts]


def write_matrix(
    sheet: Worksheet,
    styles: Styles,
    labels: Labels,
    frame: pd.DataFrame,
    placed: Sequence[tuple[Issue, Location]],
) -> dict[int, tuple[str, int, int]]:
    """Fill *sheet*; return, for each requirement row with a finding (its position in the
    requirements frame), the cell that shows it: ``(sheet name, zero-based row, column)`` — where
    the list of findings links to."""
    context = context_of(frame)
    classifiers = context.classifiers
    requirements = context.requirements
    if requirements is None:
        requirements = pd.DataFrame(columns=["source_file", "source_sheet", "source_row"])
    entries = list(classifiers["requirement"])
    files = frame["source_file"].tolist() if len(frame) else []
    numbers = _texts(frame, "number")
    by_number: dict[tuple[str, str], int] = {}
    keys = _keys(numbers)
    for position, (file, number) in enumerate(zip(files, keys, strict=True)):
        if number is not None:
            by_number.setdefault((file, number), position)

    req_files = requirements["source_file"].tolist() if len(requirements) else []
    refs = _texts(requirements, "row_ref")
    names = _texts(requirements, "requirement")
    values = _texts(requirements, "value")
    # the requirement row shown at each (touchpoint, requirement): keyed by
    # position × len(entries) + offset — an int, not a tuple, for each of up to millions of rows
    cell_of: dict[int, int] = {}
    unplaced: list[int] = []
    ref_keys = _keys(refs)
    offsets = {entry.code: offset for offset, entry in enumerate(entries)}
    width = len(entries)
    matched: dict[str, int | None] = {}  # a requirement's text → its offset (None: unknown)
    for index, file in enumerate(req_files):
        position = by_number.get((file, ref_keys[index])) if refs[index] else None
        name = names[index]
        if name not in matched:
            entry = classifiers["requirement"].match(name) if name else None
            matched[name] = None if entry is None else offsets[entry.code]
        offset = matched[name]
        if position is None or offset is None or position * width + offset in cell_of:
            unplaced.append(index)
            continue
        cell_of[position * width + offset] = index

    issues_of: dict[int, list[Issue]] = {}
    for item, where in placed:
        if where.kind == REQUIREMENT:
            issues_of.setdefault(where.index, []).append(item)

    sheet.write_string(0, 0, labels["matrix_title"], styles.title)
    sheet.write_string(1, 0, labels["matrix_legend"], styles.cell())
    headers = [labels[key] for key, _ in _FIXED] + [labels["col_type"]]
    widths = [width for _, width in _FIXED] + [26]
    first = len(headers)
    for col, header in enumerate(headers):
        sheet.write_string(_HEADER_ROW, col, header, styles.header)
        sheet.set_column(col, col, widths[col])
    for offset, entry in enumerate(entries):
        sheet.write_string(_HEADER_ROW, first + offset, entry.label, styles.header)
    sheet.set_column(first, first + len(entries) - 1, 14)
    sheet.set_row(_HEADER_ROW, 150)

    by_row: dict[int, list[int]] = {}  # position → its keys in cell_of
    for key in cell_of:
        by_row.setdefault(key // width, []).append(key)
    shown = sorted(by_row)
    types = _texts(frame, "touchpoint_type")
    touchpoints = _texts(frame, "touchpoint")
    cells: dict[int, tuple[str, int, int]] = {}
    marked: dict[int, set[int]] = {}
    file_texts = safe_texts(files)
    quoted = styles.cell(None, True)
    rows = range(_HEADER_ROW + 1, _HEADER_ROW + 1 + len(shown))
    row = rows[-1] if shown else _HEADER_ROW
    whole = [as_number(numbers[p]) for p in shown]  # «№ строки» a number where it is one
    sheet.write_numbers(rows, repeat(2), [w if type(w) is int else None for w in whole])
    shown_numbers = [
        None if type(w) is int else numbers[p] for w, p in zip(whole, shown, strict=True)
    ]
    for col, texts in ((0, file_texts), (3, touchpoints), (4, types)):
        sheet.write_column(col, rows, [texts[p] for p in shown], None, quoted, RISKY_START)
    sheet.write_column(2, rows, shown_numbers, None, quoted, RISKY_START)
    sheet.write_numbers(rows, repeat(1), [position + 2 for position in shown])
    # the values: the plain ones in bulk, those with findings one by one (filled and noted)
    plain: tuple[list[int], list[int], list[str | None]] = ([], [], [])
    counts: tuple[list[int], list[int], list[float]] = ([], [], [])
    for at, position in zip(rows, shown, strict=True):
        for key in sorted(by_row.pop(position)):
            offset, index = key % width, cell_of.pop(key)
            entry, col = entries[offset], first + offset
            text = values[index]
            number = _number(text) if text and entry.get("kind") == "number" else None
            issues = issues_of.get(index)
            if issues:
                cells[index] = (sheet.name, at, col)
                mark = worst(issues)
                if number is not None:
                    sheet.write_number(at, col, number, styles.number(mark))
                else:
                    write_text(sheet, at, col, text, styles, mark)
                marked.setdefault(col, set()).add(at)
                sheet.write_comment(at, col, *comment_for(issues, labels))
            else:
                for target, value in ((counts, number), (plain, text)):
                    if value is not None:
                        target[0].append(at)
                        target[1].append(col)
                        target[2].append(value)
                        break
    sheet.write_numbers(*counts, styles.number())
    sheet.write_texts(*plain, styles.cell(), quoted, RISKY_START)
    if shown:
        _shade_not_applicable(sheet, styles, classifiers, first, _HEADER_ROW + 1, row, marked)
    finish_sheet(sheet, _HEADER_ROW, first)
    sheet.autofilter(_HEADER_ROW, 0, max(row, _HEADER_ROW + 1), first + len(entries) - 1)
    if unplaced:
        _write_unplaced(sheet, styles, labels, requirements, unplaced, issues_of, row + 3, cells)
    return cells


def _ranges(col: int, top: int, bottom: int, skip: set[int]) -> list[tuple[int, int]]:
    """The runs of rows top…bottom of a column, without the rows in *skip*."""
    runs, start = [], top
    for row in sorted(r for r in skip if top <= r <= bottom):
        if row > start:
            runs.append((start, row - 1))
        start = row + 1
    if start <= bottom:
        runs.append((start, bottom))
    return runs


def _shade_not_applicable(
    sheet: Worksheet,
    styles: Styles,
    classifiers: Classifiers,
    first: int,
    top: int,
    bottom: int,
    marked: dict[int, set[int]],
) -> None:
    """Grey the cells of requirements that do not apply to the row's type: one conditional format
    per requirement column (comparing the type column), not a formatted cell each; cells with a
    finding keep its fill."""
    kinds = list(classifiers["touchpoint_type"])
    type_col = column_letter(first - 1)
    for offset, entry in enumerate(classifiers["requirement"]):
        col = first + offset
        runs = _ranges(col, top, bottom, marked.get(col, set()))
        if not runs:
            continue
        applies = [k.label for k in kinds if entry.get("group") in k.get("requirements", ())]
        anchor = f"${type_col}{runs[0][0] + 1}"
        tests = [f'{anchor}<>"{label.replace(chr(34), chr(34) * 2)}"' for label in applies]
        letter = column_letter(col)
        sheet.conditional_format(
            runs[0][0],
            col,
            runs[0][1],
            col,
            {
                "type": "formula",
                "criteria": f"=AND({','.join(tests)})" if tests else "=TRUE",
                "format": styles.not_applicable,
                "multi_range": " ".join(f"{letter}{a + 1}:{letter}{b + 1}" for a, b in runs),
            },
        )


def _write_unplaced(
    sheet: Worksheet,
    styles: Styles,
    labels: Labels,
    requirements: pd.DataFrame,
    unplaced: list[int],
    issues_of: dict[int, list[Issue]],
    top: int,
    cells: dict[int, tuple[str, int, int]],
) -> None:
    context_sheet = requirements["source_sheet"].tolist()
    sheet.write_string(
        top, 0, labels.format("matrix_unplaced", sheet=context_sheet[unplaced[0]]), styles.bold
    )
    keys = ("row_ref", "requirement", "value", "comment")
    headers = ["col_file", "col_sheet", "col_row", "col_ref", "col_requirement", "col_value"]
    headers.append("col_comment")
    for col, key in enumerate(headers):
        sheet.write_string(top + 1, col, labels[key], styles.header)
    columns: dict[str, list[str | None]] = {
        key: _texts(requirements, raw(key) if raw(key) in requirements.columns else key)
        for key in keys
    }
    provenance = [requirements[name].tolist() for name in ("source_file", "source_sheet")]
    rows = requirements["source_row"].tolist()
    for offset, index in enumerate(unplaced, start=top + 2):
        issues = issues_of.get(index, [])
        mark = worst(issues) if issues else None
        write_text(sheet, offset, 0, cell_text(provenance[0][index]), styles)
        write_text(sheet, offset, 1, cell_text(provenance[1][index]), styles)
        sheet.write_number(offset, 2, int(rows[index]), styles.number())
        for col, key in enumerate(keys, start=3):
            value = columns[key][index]
            if key == "row_ref" and type(as_number(value)) is int:  # «№ строки» as a number
                sheet.write_number(offset, col, as_number(value), styles.number())
                continue
            write_text(sheet, offset, col, value, styles, mark if col == 4 else None)
        if issues:
            sheet.write_comment(offset, 4, *comment_for(issues, labels))
        cells[index] = (sheet.name, offset, 4)
