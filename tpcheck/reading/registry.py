"""The Department's own lists that completeness is checked against (п. 3.1, 3.3, 3.5):

* the roster — the structural subdivisions and institutions expected to submit (п. 3.4):
  :func:`load_roster` takes a list of names, or a ``.txt`` file (one name a line, ``#`` starts a
  comment), a ``.csv`` file or a workbook (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``: the first
  column of the first sheet); a header cell such as «Подразделение» is skipped;
* the registry of processes (реестр межведомственных и внутриведомственных процессов, п. 3.1):
  :func:`load_registry` takes a ``.csv`` file, a workbook (its first sheet) or a DataFrame with
  the columns of ``[[registry_column]]`` in ``columns.toml`` — direction and activity required;
  kind, subdivision and code optional — found by their headers the way the template's headers are
  found (the spec's header, its synonyms, those of the Перечень's column of the same key, or the
  key itself). Every entry keeps where it is: ``source_file``, ``source_sheet``, ``source_row``
  (the row number the person sees: in a CSV file the line, the header being line 1).

These files come from the authorized person, not from the clerks; a list that cannot be used is
an :class:`~tpcheck.errors.InputError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..classifiers import Classifiers, default_classifiers
from ..errors import InputError
from ..text import clean, match_key, strip_clause_suffix
from .csvfile import CsvError, TextTable, read_lines, read_table
from .limits import DEFAULT_LIMITS
from .normalize import normalize_single, normalize_text

__all__ = ["REGISTRY_COLUMNS", "REGISTRY_KEYS", "load_registry", "load_roster", "registry_layout"]

#: The first columns of the frame :func:`load_registry` returns (kept for compatibility).
REGISTRY_KEYS = ("direction", "activity", "subdivision")
#: Every column of that frame, in order: the registry's values, then where each entry is.
REGISTRY_COLUMNS = (*REGISTRY_KEYS, "kind", "code", "source_file", "source_sheet", "source_row")
#: frame column → key of ``[[registry_column]]`` where the two differ
_FRAME_NAMES = {"activity_kind": "kind"}
#: ``frame.attrs`` key of the layout (see :func:`registry_layout`)
_LAYOUT = "tpcheck_registry"
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


def _text_lines(path: Path) -> list[str]:
    """The lines of a plain-text list, one value a line (no separator)."""
    try:
        return read_lines(path.read_bytes())
    except CsvError as exc:
        raise InputError(f"Файл {path} не читается как текст: {exc}") from None


def _table(path: Path) -> TextTable:
    """The rows of the text file at *path* (:mod:`.csvfile`: encoding, line ends, separator)."""
    try:
        return read_table(path.read_bytes())
    except CsvError as exc:
        raise InputError(f"Файл {path} не читается как текст: {exc}") from None
    except OSError as exc:
        raise InputError(f"Файл {path} не читается: {exc.strerror}") from None


class _Rows(list):
    """The rows of a list file, with the sheet they come from and the number the person sees of
    each row (1-based; a CSV row spanning several lines has the number of its first line)."""

    sheet: str | None = None
    numbers: list[int]
    how: str = ""  # how a text file was written, for messages


def _csv_rows(path: Path) -> _Rows:
    table = _table(path)
    rows = _Rows(table.rows)
    rows.numbers = table.numbers
    rows.sheet = path.stem  # what Excel names the one sheet of a CSV file
    rows.how = (
        f"прочитан как текст: кодировка {table.encoding}, разделитель {table.separator_name}, "
        f"концы строк {table.line_ends}"
    )
    return rows


def _workbook_rows(path: Path) -> _Rows:
    """The first sheet of the workbook *path*, read as a submission is: behind the package's
    guards, in a child process within the reader's time and memory bounds (a far-corner
    registry must not abort the run)."""
    from .bounded import BoundExceeded, run_bounded
    from .worker import _reason, _Unreadable, first_sheet_rows

    try:
        sheet, numbers, values = run_bounded(
            first_sheet_rows, (str(path), DEFAULT_LIMITS), DEFAULT_LIMITS
        )
    except _Unreadable as exc:
        reason = _reason(exc.code, "ru", exc.params)
        if exc.params.get("kind"):
            reason += f" ({exc.params['kind']})"
        raise InputError(f"Файл {path} не читается как таблица: {reason}") from None
    except BoundExceeded as exc:
        raise InputError(f"Файл {path} не читается как таблица: {exc.reason}") from None
    except OSError as exc:
        raise InputError(f"Файл {path} не читается: {exc.strerror}") from None
    rows = _Rows(values)
    rows.sheet, rows.numbers = sheet, numbers
    return rows


def _rows(path: Path, what: str, *, text: bool = False) -> list[list[Any]]:
    """The rows of a list file; a ``.txt`` file (one value a line) only when *text*."""
    if not path.exists():
        raise InputError(f"{what} не найден: {path}")
    if not path.is_file():  # a named pipe would make the read wait forever
        from ..i18n import text as translated
        from .worker import _not_regular

        kind = _not_regular(path.stat().st_mode) or "not_regular_other"
        raise InputError(f"{what} {path}: {translated(f'reading.{kind}', 'ru')}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix in _WORKBOOKS:
        return _workbook_rows(path)
    if suffix == ".txt" and text:
        return [[line] for line in _text_lines(path)]
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


def _registry_headers(classifiers: Classifiers) -> dict[str, str]:
    """match key of every accepted registry header → ``[[registry_column]]`` key."""
    table: dict[str, str] = {}
    spec = {column.key: column for column in classifiers.columns}
    for column in classifiers.registry_columns:
        texts = [column.key, column.header, *column.synonyms]
        if column.key in spec:
            texts += [spec[column.key].header, *spec[column.key].synonyms]
        for text in texts:
            table.setdefault(match_key(strip_clause_suffix(text)), column.key)
    return table


def _find_header(
    rows: list[list[Any]], headers: dict[str, str], required: Sequence[str]
) -> tuple[int, dict[str, int]] | None:
    """(index of the header row, column key → position) of the first rows' header."""
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for position, cell in enumerate(row):
            key = _header_key(cell, headers)
            if key is not None and key not in found:
                found[key] = position
        if all(key in found for key in required):
            return index, found
    return None


def _registry_frame(
    rows: list[list[Any]],
    numbers: Sequence[int],
    where: str,
    classifiers: Classifiers,
    how: str = "",
) -> tuple[pd.DataFrame, dict[str, tuple[int, str]]]:
    required = [c.key for c in classifiers.registry_columns if c.required]
    header = _find_header(rows, _registry_headers(classifiers), required)
    if header is None:
        first = [str(cell) for cell in (rows[0] if rows else []) if cell not in (None, "")]
        missing = [
            classifiers.column(k).header
            for k in required
            if k in {c.key for c in classifiers.columns}
        ] or required
        raise InputError(
            f"{where}: не найдены столбцы {', '.join(f'«{m}»' for m in missing)} "
            f"(заголовки в первой строке: {', '.join(first) or 'нет'})"
            + (f"; файл {how}" if how else "")
        )
    header_index, found = header
    layout = {
        key: (position, clean(str(rows[header_index][position]))) for key, position in found.items()
    }
    records = []
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        record: dict[str, Any] = {
            _FRAME_NAMES.get(key, key): _cell_text(row[position]) if position < len(row) else None
            for key, position in found.items()
        }
        if any(record.values()):
            record["source_row"] = numbers[index]
            records.append(record)
    return pd.DataFrame.from_records(records), layout


def load_registry(
    source: str | Path | pd.DataFrame, classifiers: Classifiers | None = None
) -> pd.DataFrame:
    """The registry of processes, one row per entry with an activity, in the registry's order.

    Columns (:data:`REGISTRY_COLUMNS`): ``direction`` and ``kind`` (the canonical label of the
    direction, п. 3.5, and of the activity kind, п. 2.4–2.7, or the cleaned text when it names
    none — validation reports it at the registry's cell), ``activity``, ``subdivision`` and
    ``code`` (None where the registry has none), and where the entry is: ``source_file`` (the path
    as given, None for a DataFrame), ``source_sheet`` (the first sheet of a workbook, the file name
    without its extension for CSV, None for a DataFrame) and ``source_row`` (the row number the
    person sees; for a DataFrame the row it would have with its header in row 1).
    :func:`registry_layout` tells where each column is.
    """
    classifiers = classifiers or default_classifiers()
    if isinstance(source, pd.DataFrame):
        rows = [list(source.columns), *source.astype(object).values.tolist()]
        numbers: Sequence[int] = range(1, len(rows) + 1)
        file, sheet, where = None, None, "Реестр процессов (DataFrame)"
    else:
        path = Path(source)
        rows = _rows(path, "Реестр процессов")
        numbers, sheet = rows.numbers, rows.sheet  # type: ignore[attr-defined]
        file, where = str(source), f"Реестр процессов {path}"
    how = getattr(rows, "how", "")
    frame, layout = _registry_frame(rows, numbers, where, classifiers, how)
    for name in REGISTRY_COLUMNS:
        if name not in frame.columns:
            frame[name] = None
    for key, name in (("direction", "direction"), ("activity_kind", "kind")):
        column = classifiers.registry_column(key)
        if column.classifier is not None:
            values = classifiers[column.classifier]
            frame[name] = [normalize_single(v, values) if v else None for v in frame[name]]
    frame["source_file"] = file
    frame["source_sheet"] = sheet
    frame = frame[frame["activity"].notna()].reset_index(drop=True)
    frame = pd.DataFrame(
        {
            name: pd.Series([None if _is_na(v) else v for v in frame[name].tolist()], dtype=object)
            for name in REGISTRY_COLUMNS
        }
    )
    frame["source_row"] = frame["source_row"].astype("Int64")
    frame.attrs[_LAYOUT] = {"file": file, "sheet": sheet, "columns": layout}
    return frame


def _is_na(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def registry_layout(registry: pd.DataFrame) -> dict[str, tuple[int, str]]:
    """``[[registry_column]]`` key → (zero-based column index, header as written) of the
    registry *registry* was loaded from (empty for a frame not made by :func:`load_registry`)."""
    return dict(registry.attrs.get(_LAYOUT, {}).get("columns", {}))
