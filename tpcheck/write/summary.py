"""The sheets «Сводка» and «Классификаторы» of the consolidated workbook.

«Сводка»: totals; per subdivision and per file (files, rows, errors, warnings); the subdivisions of
the roster that sent nothing; touchpoints per direction of п. 3.5 (in its order) × вид точки with
the share of digital ones and a native Excel chart of that share (п. 3.8 2)); touchpoints per type
with a chart. Every number is written as a value (no formulas).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from ..classifiers import Classifiers
from ..findings import FileInfo, Report
from ..frame import context_of
from ..output.config import Labels, output_spec
from ..output.rows import fit_height
from .registry_table import RegistryTables, registry_of, registry_tables
from .xlsx import Styles, cell_text, finish_sheet, write_text

__all__ = [
    "DIGITAL",
    "channel_table",
    "file_subdivisions",
    "missing_subdivisions",
    "write_classifiers",
    "write_summary",
]

#: The code of the digital вид in the channel list (п. 2.9): the numerator of the share.
DIGITAL = "digital"
_TABLE_STYLE = "Table Style Light 9"
_WIDTHS = (58, 15, 15, 15, 17, 36, 40)


def file_subdivisions(frame: pd.DataFrame, files: Sequence[FileInfo]) -> dict[str, str | None]:
    """The subdivision of each file: the reader's, else the most frequent one in its rows."""
    counts: dict[str, Counter] = {}
    if len(frame) and "subdivision" in frame.columns:
        for file, value in zip(
            frame["source_file"].tolist(), frame["subdivision"].tolist(), strict=True
        ):
            text = cell_text(value)
            if text:
                counts.setdefault(file, Counter())[text] += 1
    result: dict[str, str | None] = {}
    for info in files:
        if info.subdivision:
            result[info.path] = info.subdivision
        elif info.path in counts:
            result[info.path] = counts[info.path].most_common(1)[0][0]
        else:
            result[info.path] = None
    return result


def missing_subdivisions(report: Report) -> list[str] | None:
    """The roster's subdivisions that sent nothing; None when no roster was given."""
    summary = report.summary
    if "missing_subdivisions" in summary:
        return [str(name) for name in summary["missing_subdivisions"]]
    names = [i.value or i.message for i in report.records if i.code == "roster-no-submission"]
    return names or None


def channel_table(frame: pd.DataFrame, classifiers: Classifiers, unknown: str) -> pd.DataFrame:
    """Touchpoints per direction (п. 3.5 order; *unknown* for a missing or unlisted one, only
    when there are such) × вид (the channel list's order, then *unknown*)."""
    directions = classifiers["direction"].labels
    channels = [*classifiers["channel"].labels, unknown]
    if len(frame):
        direction = frame["direction"].where(frame["direction"].isin(directions), unknown)
        channel = frame["channel"].where(frame["channel"].isin(channels[:-1]), unknown)
        table = pd.crosstab(direction.astype(str), channel.astype(str))
    else:
        table = pd.DataFrame()
    rows = [*directions, unknown] if len(frame) and (direction == unknown).any() else directions
    return table.reindex(index=rows, columns=channels, fill_value=0).astype(int)


class _Cursor:
    def __init__(self, sheet: Worksheet, styles: Styles):
        self.sheet = sheet
        self.styles = styles
        self.row = 0
        self.tables = 0

    def title(self, text: str, style: Any) -> None:
        self.sheet.write_string(self.row, 0, text, style)
        self.row += 1

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]],
        name: str,
        marks: Sequence[str | None] | None = None,
    ) -> int:
        """An Excel table (its own filter buttons) at the cursor; returns its first data row.
        *marks* (one per row: None, ``"error"``, ``"warning"``) fill a whole row."""
        top = self.row
        last = top + max(len(rows), 1)
        self.sheet.add_table(
            top,
            0,
            last,
            len(headers) - 1,
            {
                "name": f"tpcheck_{name}",
                "style": _TABLE_STYLE,
                "columns": [{"header": header} for header in headers],
            },
        )
        for offset, values in enumerate(rows, start=top + 1):
            mark = marks[offset - top - 1] if marks else None
            fit_height(self.sheet, offset, values, _WIDTHS)
            for col, value in enumerate(values):
                if isinstance(value, float):
                    self.sheet.write_number(offset, col, value, self.styles.percent_for(mark))
                elif isinstance(value, int):
                    self.sheet.write_number(offset, col, value, self.styles.number(mark))
                else:
                    write_text(self.sheet, offset, col, cell_text(value), self.styles, mark)
        self.row = last + 2
        return top + 1


def write_summary(
    sheet: Worksheet,
    styles: Styles,
    labels: Labels,
    frame: pd.DataFrame,
    report: Report,
    return_names: dict[str, str],
) -> None:
    """Fill the «Сводка» *sheet*."""
    classifiers = context_of(frame).classifiers
    meta = classifiers.meta
    s = report.summary
    cursor = _Cursor(sheet, styles)
    for col, width in enumerate(_WIDTHS):
        sheet.set_column(col, col, width)
    cursor.title(labels["summary_title"], styles.title)
    cursor.title(f"{meta['organization']}. {meta['list_title']} ({meta['order']}).", styles.note)
    finish_sheet(sheet, 0, widths=_WIDTHS)
    cursor.row += 1

    subdivisions = file_subdivisions(frame, report.files)
    unknown_subdivision = labels["summary_subdivision_unknown"]
    counts = report.file_counts()
    rows_of = frame["source_file"].value_counts().to_dict() if len(frame) else {}
    submitted = {
        subdivisions.get(info.path) or unknown_subdivision
        for info in report.files
        if info.status != "skipped"
    }

    cursor.title(labels["summary_totals"], styles.subtitle)
    totals = [
        ("total_files", s["files"]),
        ("total_files_ok", s["files_ok"]),
        ("total_files_skipped", s["files_skipped"]),
        ("total_files_unreadable", s["files_unreadable"]),
        ("total_subdivisions", len(submitted)),
        ("total_rows", s["rows"]),
        ("total_rows_with_errors", s["rows_with_errors"]),
        ("total_errors", s["errors"]),
        ("total_warnings", s["warnings"]),
    ]
    for key, value in totals:
        sheet.write_string(cursor.row, 0, labels[key], styles.bold)
        mark = "error" if key == "total_errors" and value else None
        mark = "warning" if key == "total_warnings" and value else mark
        sheet.write_number(cursor.row, 1, int(value), styles.number(mark))
        cursor.row += 1
    sheet.write_string(cursor.row, 0, labels["total_classifiers"], styles.bold)
    sheet.write_string(cursor.row, 1, classifiers.digest[:12], styles.plain)
    cursor.row += 2

    by_subdivision: dict[str, list[int]] = {}
    for info in report.files:
        if info.status == "skipped":
            continue
        name = subdivisions.get(info.path) or unknown_subdivision
        entry = by_subdivision.setdefault(name, [0, 0, 0, 0])
        file_counts = counts.get(info.path, {"errors": 0, "warnings": 0})
        entry[0] += 1
        entry[1] += int(rows_of.get(info.path, 0))
        entry[2] += file_counts["errors"]
        entry[3] += file_counts["warnings"]
    cursor.title(labels["summary_by_subdivision"], styles.subtitle)
    cursor.table(
        [labels[k] for k in ("col_subdivision", "col_files", "col_rows", "col_errors")]
        + [labels["col_warnings"]],
        [[name, *values] for name, values in by_subdivision.items()],
        "subdivisions",
    )

    cursor.title(labels["summary_by_file"], styles.subtitle)
    file_rows = []
    for info in report.files:
        file_counts = counts.get(info.path, {"errors": 0, "warnings": 0})
        file_rows.append(
            [
                info.path,
                labels.status(info.status),
                int(rows_of.get(info.path, 0)),
                file_counts["errors"],
                file_counts["warnings"],
                subdivisions.get(info.path) or "",
                return_names.get(info.path, ""),
            ]
        )
    keys = ("col_file", "col_status", "col_rows", "col_errors", "col_warnings", "col_subdivision")
    cursor.table([*(labels[k] for k in keys), labels["col_return_copy"]], file_rows, "files")

    cursor.title(labels["summary_missing"], styles.subtitle)
    missing = missing_subdivisions(report)
    if missing is None:
        cursor.title(labels["summary_no_roster"], styles.plain)
    elif not missing:
        cursor.title(labels["summary_none_missing"], styles.plain)
    else:
        for name in missing:
            write_text(sheet, cursor.row, 0, cell_text(name), styles, "warning")
            cursor.row += 1
    cursor.row += 1

    registry = registry_of(report)
    if registry is not None:
        _write_registry(cursor, labels, registry_tables(registry, classifiers, labels))
    _write_channels(cursor, labels, frame, classifiers)
    _write_types(cursor, labels, frame, classifiers)


def _write_registry(cursor: _Cursor, labels: Labels, tables: RegistryTables) -> None:
    """The completeness table of the registry (entries without touchpoints in red), then its
    totals per direction and per responsible subdivision."""
    styles = cursor.styles
    cursor.title(labels["summary_registry"], styles.subtitle)
    if tables.file:
        cursor.title(labels.format("summary_registry_file", file=tables.file), styles.note)
    cursor.title(labels["summary_registry_legend"], styles.note)
    marks = ["error" if missing else None for missing in tables.entry_missing]
    cursor.table(tables.entry_headers, tables.entries, "registry", marks)
    cursor.title(labels["summary_registry_by_direction"], styles.subtitle)
    without = [("error" if row[3] else None) for row in tables.directions]
    cursor.table(tables.direction_headers, tables.directions, "registry_directions", without)
    cursor.title(labels["summary_registry_by_subdivision"], styles.subtitle)
    without = [("error" if row[3] else None) for row in tables.subdivisions]
    cursor.table(tables.subdivision_headers, tables.subdivisions, "registry_subdivisions", without)


def _write_channels(
    cursor: _Cursor, labels: Labels, frame: pd.DataFrame, classifiers: Classifiers
) -> None:
    sheet, styles = cursor.sheet, cursor.styles
    unknown_channel = labels["col_unknown_channel"]
    table = channel_table(frame, classifiers, labels["summary_direction_unknown"])
    table = table.rename(columns={table.columns[-1]: unknown_channel})
    digital = next((e.label for e in classifiers["channel"] if e.code == DIGITAL), None)
    headers = [labels["col_direction"], *table.columns, labels["col_total"]]
    if digital is not None:
        headers.append(labels["col_digital_share"])
    rows: list[list[Any]] = []
    totals = table.sum(axis=0)
    for name, counts in [*table.iterrows(), (labels["summary_all_directions"], totals)]:
        total = int(counts.sum())
        row: list[Any] = [name, *(int(v) for v in counts), total]
        if digital is not None:
            row.append(float(counts[digital]) / total if total else None)
        rows.append(row)
    cursor.title(labels["summary_by_direction"], styles.subtitle)
    top = cursor.row
    first = cursor.table(headers, rows, "directions")
    last = first + len(rows) - 1
    chart = styles.book.add_chart({"type": "bar", "subtype": "percent_stacked"})
    series = output_spec().chart_colors
    for offset, _ in enumerate(table.columns):
        col = 1 + offset
        chart.add_series(
            {
                "name": [sheet.name, top, col],
                "categories": [sheet.name, first, 0, last, 0],
                "values": [sheet.name, first, col, last, col],
                "fill": {"color": series[offset % len(series)]},
                "gap": 60,
            }
        )
    chart.set_title({"name": labels["chart_digital_title"], "name_font": {"size": 12}})
    chart.set_x_axis({"num_format": "0%", "max": 1})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    height = 130 + 34 * len(rows)
    chart.set_size({"width": 900, "height": height})
    sheet.insert_chart(cursor.row, 0, chart)
    cursor.row += height // 20 + 2


def _write_types(
    cursor: _Cursor, labels: Labels, frame: pd.DataFrame, classifiers: Classifiers
) -> None:
    sheet, styles = cursor.sheet, cursor.styles
    types = classifiers["touchpoint_type"].labels
    unknown = labels["summary_type_unknown"]
    counts = Counter()
    if len(frame):
        column = frame["touchpoint_type"].where(frame["touchpoint_type"].isin(types), unknown)
        counts = Counter(column.astype(str).tolist())
    names = [*types, unknown] if counts.get(unknown) else types
    # most frequent first (ties in the list's order); the chart shows the types in use
    rows = sorted(([name, int(counts.get(name, 0))] for name in names), key=lambda r: -r[1])
    used = max(1, sum(1 for _, count in rows if count))
    cursor.title(labels["summary_by_type"], styles.subtitle)
    top = cursor.row
    first = cursor.table([labels["col_type"], labels["col_touchpoints"]], rows, "types")
    last = first + used - 1
    chart = styles.book.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": [sheet.name, top, 1],
            "categories": [sheet.name, first, 0, last, 0],
            "values": [sheet.name, first, 1, last, 1],
            "fill": {"color": output_spec().chart_colors[0]},
            "data_labels": {"value": True},
            "gap": 50,
        }
    )
    chart.set_title({"name": labels["chart_types_title"], "name_font": {"size": 12}})
    chart.set_y_axis({"reverse": True})
    chart.set_x_axis({"major_gridlines": {"visible": True}})
    chart.set_legend({"none": True})
    height = 110 + 30 * used
    chart.set_size({"width": 800, "height": height})
    sheet.insert_chart(top, 2, chart)
    cursor.row = max(cursor.row, top + height // 20 + 2)


def write_classifiers(
    sheet: Worksheet, styles: Styles, labels: Labels, classifiers: Classifiers
) -> None:
    """Fill the «Классификаторы» *sheet*: every entry of every list, with the digest."""
    sheet.write_string(
        0, 0, f"{labels['classifiers_title']}: sha256 {classifiers.digest}", styles.bold
    )
    sheet.write_string(1, 0, "; ".join(classifiers.sources), styles.plain)
    keys = ("col_list", "col_list_clause", "col_entry_code", "col_entry_label", "col_entry_clause")
    headers = [*(labels[k] for k in keys), labels["col_synonyms"], labels["col_details"]]
    widths = (30, 14, 12, 60, 16, 40, 40)
    top = 3
    for col, header in enumerate(headers):
        sheet.write_string(top, col, header, styles.header)
        sheet.set_column(col, col, widths[col])
    row = top
    for lst in classifiers.lists.values():
        for entry in lst:
            row += 1
            details = "; ".join(
                f"{key} = {', '.join(map(str, value)) if isinstance(value, list) else value}"
                for key, value in entry.extra.items()
            )
            values = (
                lst.title,
                lst.clause,
                entry.code,
                entry.label,
                entry.clause,
                "; ".join(entry.synonyms),
                details,
            )
            for col, value in enumerate(values):
                write_text(sheet, row, col, cell_text(value), styles)
    finish_sheet(sheet, top, widths=widths)
    sheet.autofilter(top, 0, row, len(headers) - 1)
