"""The Department's own lists that completeness is checked against (п. 3.1, 3.3, 3.5):

* the roster — the structural subdivisions and institutions expected to submit (п. 3.4):
  :func:`load_roster` takes a list of names, or a ``.txt`` file (one name a line, ``#`` starts a
  comment), a ``.csv`` file or a workbook (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``: the first
  column of the first sheet); a header cell such as «Подразделение» is skipped;
* the registry of processes (реестр межведомственных и внутриведомственных процессов, п. 3.1):
  :func:`load_registry` takes a ``.csv`` file, a workbook or a DataFrame with the columns
  direction, activity and (optionally) subdivision, found by their headers the way the template's
  headers are found (the column spec's header, its synonyms, or the key itself).

These files come from the authorized person, not from the clerks; a list that cannot be used is
an :class:`~tpcheck.errors.InputError`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .classifiers import Classifiers, default_classifiers
from .errors import InputError
from .normalize import normalize_single, normalize_text
from .text import clean, match_key, strip_clause_suffix

__all__ = ["REGISTRY_KEYS", "load_registry", "load_roster"]

#: The columns of a registry of processes (keys of the column spec); the first two are required.
REGISTRY_KEYS = ("direction", "activity", "subdivision")
_REQUIRED_REGISTRY_KEYS = ("direction", "activity")
_WORKBOOKS = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
_HEADER_SEARCH_ROWS = 10


def _header_keys(classifiers: Classifiers, keys: Iterable[str]) -> dict[str, str]:
    """match key of every accepted header → column key."""
    table: dict[str, str] = {}
    for key in keys:
        column = classifiers.column(key)
        for text in (key, column.header, *column.synonyms):
            table.setdefault(match_key(strip_clause_suffix(text)), key)
    return table


def _header_key(text: Any, table: dict[str, str]) -> str | None:
    if text is None:
        return None
    return table.get(match_key(strip_clause_suffix(clean(str(text)))))


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"Файл {path} не в кодировке UTF-8 или Windows-1251")


def _csv_rows(path: Path) -> list[list[str]]:
    text = _read_text(path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _workbook_rows(path: Path) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        if not book.sheet_names:
            return []
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise InputError(f"Файл {path} не читается как таблица: {exc}") from None


def _rows(path: Path, what: str, *, text: bool = False) -> list[list[Any]]:
    """The rows of a list file; a ``.txt`` file (one value a line) only when *text*."""
    if not path.is_file():
        raise InputError(f"{what} не найден: {path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix in _WORKBOOKS:
        return _workbook_rows(path)
    if suffix == ".txt" and text:
        return [[line] for line in _read_text(path).splitlines()]
    raise InputError(
        f"{what} {path}: неизвестный формат «{suffix or path.name}» "
        f"(подходят {'.txt, ' if text else ''}.csv, .xlsx, .xls, .ods)"
    )


def _cell_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_text(value)


def load_roster(
    source: str | Path | Sequence[str], classifiers: Classifiers | None = None
) -> list[str]:
    """The names of the subdivisions expected to submit, cleaned, each once (compared ignoring
    case, ё/е and punctuation), in the order given."""
    classifiers = classifiers or default_classifiers()
    if isinstance(source, str | Path):
        rows = _rows(Path(source), "Список подразделений", text=True)
        values = [row[0] if row else None for row in rows]
        if Path(source).suffix.lower() == ".txt":
            values = [v for v in values if not str(v).lstrip().startswith("#")]
    else:
        values = list(source)
    headers = _header_keys(classifiers, ["subdivision"])
    names: list[str] = []
    seen: set[str] = set()
    for index, value in enumerate(values):
        text = _cell_text(value)
        if text is None:
            continue
        if not names and index < _HEADER_SEARCH_ROWS and _header_key(text, headers):
            continue  # the list's header
        key = match_key(text)
        if key and key not in seen:
            seen.add(key)
            names.append(text)
    return names


def _find_header(
    rows: list[list[Any]], headers: dict[str, str]
) -> tuple[int, dict[str, int]] | None:
    """(index of the header row, column key → position) of the first rows' header."""
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for position, cell in enumerate(row):
            key = _header_key(cell, headers)
            if key is not None and key not in found:
                found[key] = position
        if all(key in found for key in _REQUIRED_REGISTRY_KEYS):
            return index, found
    return None


def _registry_frame(rows: list[list[Any]], where: str, classifiers: Classifiers) -> pd.DataFrame:
    header = _find_header(rows, _header_keys(classifiers, REGISTRY_KEYS))
    if header is None:
        first = [str(cell) for cell in (rows[0] if rows else []) if cell not in (None, "")]
        missing = [classifiers.column(k).header for k in _REQUIRED_REGISTRY_KEYS]
        raise InputError(
            f"{where}: не найдены столбцы {', '.join(f'«{m}»' for m in missing)} "
            f"(заголовки в первой строке: {', '.join(first) or 'нет'})"
        )
    header_index, found = header
    records = []
    for row in rows[header_index + 1 :]:
        record = {
            key: _cell_text(row[position]) if position < len(row) else None
            for key, position in found.items()
        }
        if any(record.values()):
            records.append(record)
    frame = pd.DataFrame.from_records(records, columns=list(found))
    return frame


def load_registry(
    source: str | Path | pd.DataFrame, classifiers: Classifiers | None = None
) -> pd.DataFrame:
    """The registry of processes as a frame with the columns ``direction`` (the canonical label
    when it names a direction), ``activity`` and ``subdivision`` (None where the registry has
    none); rows without an activity are dropped."""
    classifiers = classifiers or default_classifiers()
    if isinstance(source, pd.DataFrame):
        rows = [list(source.columns), *source.astype(object).values.tolist()]
        frame = _registry_frame(rows, "Реестр процессов (DataFrame)", classifiers)
    else:
        path = Path(source)
        rows = _rows(path, "Реестр процессов")
        frame = _registry_frame(rows, f"Реестр процессов {path}", classifiers)
    for key in REGISTRY_KEYS:
        if key not in frame.columns:
            frame[key] = None
    directions = classifiers["direction"]
    frame["direction"] = [
        normalize_single(value, directions) if value else None for value in frame["direction"]
    ]
    frame = frame[frame["activity"].notna()].reset_index(drop=True)
    return frame[list(REGISTRY_KEYS)].astype(object)
