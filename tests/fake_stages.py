"""Stand-ins for ``tpcheck.read`` and ``tpcheck.validate`` with their signatures, for the tests of
``merge``/``check`` and the CLI while the real stages are built elsewhere.

``fake_read`` reads workbooks laid out as the template (header in row 1, data from row 2, the
example row skipped) with python-calamine; a file it cannot open is one ``file-unreadable``
finding. ``fake_validate`` reports empty required cells and single-value cells not in their list,
and the subdivisions of a roster (a text file, one name a line) that sent nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from python_calamine import CalamineWorkbook

from tpcheck.cells import a1
from tpcheck.classifiers import default_classifiers, load_classifiers
from tpcheck.findings import FileInfo, Issue, Report, issue, quote_list
from tpcheck.frame import CONTEXT_KEY, ReadContext, context_of
from tpcheck.reading.normalize import normalize

CALLS: list[tuple[str, Any]] = []


def _files(paths: Iterable[str | Path]) -> list[Path]:
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file())
        else:
            found.append(path)
    return found


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sheet_rows(book: CalamineWorkbook, name: str, columns) -> tuple[list[dict], dict]:
    if name not in book.sheet_names:
        return [], {}
    rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    if not rows:
        return [], {}
    by_header = {c.template_header: c.key for c in columns}
    layout = {}
    for index, header in enumerate(rows[0]):
        key = by_header.get(str(header))
        if key is not None:
            layout[key] = (index, str(header))
    cells = []
    for number, row in enumerate(rows[1:], start=2):
        values = {key: _text(row[i]) if i < len(row) else None for key, (i, _) in layout.items()}
        if not any(values.values()) or values.get(columns[0].key) == "Пример":
            continue
        cells.append({"source_row": number, **values})
    return cells, layout


def fake_read(
    paths: Iterable[str | Path],
    *,
    classifiers: Any = None,
    progress: Callable[[int, int, str], None] | None = None,
    workers: int | None = None,
    exclude: Any = None,
) -> pd.DataFrame:
    CALLS.append(("read", {"paths": list(paths), "classifiers": classifiers}))
    skipped = {str(Path(path).resolve()) for path in exclude or ()}
    if classifiers is None:
        classifiers = default_classifiers()
    elif not hasattr(classifiers, "digest"):
        classifiers = load_classifiers(classifiers)
    sheets = classifiers.sheets
    files = _files(paths)
    infos: list[FileInfo] = []
    issues: list[Issue] = []
    data_rows: list[dict] = []
    requirement_rows: list[dict] = []
    for done, path in enumerate(files, start=1):
        name = str(path)
        if path.name.startswith("~$"):
            infos.append(FileInfo(path=name, status="skipped", reason="lock file"))
        elif str(path.resolve()) in skipped:
            infos.append(FileInfo(path=name, status="skipped", reason="not a submission"))
        else:
            try:
                book = CalamineWorkbook.from_path(name)
                rows, layout = _sheet_rows(book, sheets.data, classifiers.columns)
                req, req_layout = _sheet_rows(
                    book, sheets.requirements, classifiers.requirement_columns
                )
            except Exception as exc:  # a stand-in: any failure is "unreadable"
                infos.append(FileInfo(path=name, status="unreadable", reason=str(exc)))
                issues.append(issue("file-unreadable", file=name, reason=type(exc).__name__))
            else:
                infos.append(
                    FileInfo(
                        path=name,
                        rows=len(rows),
                        format="xlsx",
                        sheet=sheets.data,
                        header_row=1,
                        columns=layout,
                        requirements_sheet=sheets.requirements if req_layout else None,
                        requirement_rows=len(req),
                        requirement_header_row=1 if req_layout else None,
                        requirement_columns=req_layout,
                    )
                )
                for row in rows:
                    data_rows.append({"source_file": name, "source_sheet": sheets.data, **row})
                for row in req:
                    requirement_rows.append(
                        {"source_file": name, "source_sheet": sheets.requirements, **row}
                    )
        if progress is not None:
            progress(done, len(files), name)
    empty = pd.DataFrame(columns=["source_file", "source_sheet", "source_row"])
    frame = normalize(data_rows or empty, classifiers.columns, classifiers)
    requirements = normalize(
        requirement_rows or empty, classifiers.requirement_columns, classifiers
    )
    frame.attrs[CONTEXT_KEY] = ReadContext(classifiers, infos, issues, requirements)
    return frame


def fake_validate(
    frame: pd.DataFrame, *, lang: str = "ru", roster: Any = None, registry: Any = None
) -> Report:
    CALLS.append(("validate", {"lang": lang, "roster": roster, "registry": registry}))
    context = context_of(frame)
    classifiers = context.classifiers
    infos = {info.path: info for info in context.files}
    found = list(context.issues)
    records = frame.to_dict("records")
    for row in records:
        info = infos.get(row["source_file"])
        for column in classifiers.columns:
            value = row[column.key]
            empty = value is None or value == [] or (isinstance(value, float) and value != value)
            index = info.columns.get(column.key, (None,))[0] if info else None
            where = {
                "lang": lang,
                "file": row["source_file"],
                "sheet": row["source_sheet"],
                "row": row["source_row"],
                "column": column.template_header,
                "cell": a1(row["source_row"], index) if index is not None else None,
                "field": column.key,
            }
            if empty:
                if column.required:
                    found.append(issue("required-missing", **where))
                continue
            if column.classifier and not column.multi:
                lst = classifiers[column.classifier]
                if value not in lst.labels:
                    found.append(
                        issue(
                            "value-not-in-list",
                            value=row[column.key + "_raw"],
                            list=lst.title,
                            candidates=quote_list(lst.suggest(value), lang),
                            **where,
                        )
                    )
    if roster is not None:
        expected = [s.strip() for s in Path(roster).read_text(encoding="utf-8").splitlines()]
        sent = set(frame["subdivision"].dropna()) if len(frame) else set()
        for name in expected:
            if name and name not in sent:
                found.append(issue("roster-no-submission", lang=lang, value=name, subdivision=name))
    return Report(found, context.files, rows=len(frame), lang=lang)


def install(monkeypatch) -> None:
    """Make ``tpcheck.read`` and ``tpcheck.validate`` these stand-ins for one test."""
    import tpcheck

    CALLS.clear()
    monkeypatch.setattr(tpcheck, "read", fake_read, raising=False)
    monkeypatch.setattr(tpcheck, "validate", fake_validate, raising=False)
