"""The list of issues as every report shows it (the «Ошибки» sheets, oshibki.csv, the return copies'
«Замечания»): the columns, their labels and widths, and the values of one issue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..findings import Issue
from .spec import Labels

__all__ = ["ISSUE_COLUMNS", "issue_headers", "issue_values", "issue_widths"]

#: (attribute of Issue, label key, width in characters), in the order the reports show them.
ISSUE_COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("severity", "col_severity", 15),
    ("file", "col_file", 30),
    ("sheet", "col_sheet", 14),
    ("row", "col_row", 8),
    ("cell", "col_cell", 9),
    ("column", "col_column", 26),
    ("value", "col_value", 30),
    ("message", "col_message", 60),
    ("suggestion", "col_suggestion", 45),
    ("clause", "col_clause", 14),
    ("code", "col_code", 24),
)


def _columns(skip: Sequence[str]) -> list[tuple[str, str, float]]:
    return [column for column in ISSUE_COLUMNS if column[0] not in skip]


def issue_headers(labels: Labels, skip: Sequence[str] = ()) -> list[str]:
    return [labels[label] for _, label, _ in _columns(skip)]


def issue_widths(skip: Sequence[str] = ()) -> list[float]:
    return [width for _, _, width in _columns(skip)]


def issue_values(item: Issue, labels: Labels, skip: Sequence[str] = ()) -> list[Any]:
    """The cells of one issue: severity as a word, the Excel row as a number, the rest as text."""
    values: list[Any] = []
    for name, _, _ in _columns(skip):
        value = getattr(item, name)
        if name == "severity":
            value = labels.severity(value)
        values.append(value)
    return values
