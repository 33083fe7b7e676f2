"""«Исправленная копия» (``--fixed-copies``): the subdivision's own workbook with every notice
that names a value applied — the canonical label in place of a code, a synonym or a look-alike
spelling, the value of a merged cell written into each cell it covered (the range unmerged) —
each changed cell filled and noted with what it held, so that the clerk can accept the fixes in
one step. Read again, such a copy gives none of those notices.

Only .xlsx and .xlsm files are copied (openpyxl keeps their sheets, lists and formats); rows the
reader skipped (numbering rows, form lines) are left as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ..findings import FileInfo, Issue, Report
from ..output.config import output_spec
from ..output.kind import kind_of, mark
from .returns import return_name, stale_copies

__all__ = [
    "APPLIED",
    "SUFFIX",
    "fixed_name",
    "fixed_plans",
    "stale_fixed_copies",
    "write_fixed_copies",
    "write_fixed_copy",
]

#: The notices a fixed copy applies.
APPLIED = frozenset({"value-code", "value-synonym", "value-lookalike", "cell-merged-filled"})
#: The suffix of a fixed copy's name.
SUFFIX = "_ispravleno"


def fixed_plans(report: Report) -> list[tuple[FileInfo, list[Issue]]]:
    """The files of *report* that get a fixed copy (read, .xlsx or .xlsm, with a notice to
    apply), each with the notices it applies, in the report's order of files."""
    by_file: dict[str | None, list[Issue]] = {}
    for item in report.notices:
        if item.code in APPLIED and item.cell and item.used is not None:
            by_file.setdefault(item.file, []).append(item)
    return [
        (info, by_file[info.path])
        for info in report.files
        if info.status == "ok" and info.path in by_file and info.format in ("xlsx", "xlsm")
    ]


def fixed_name(path: str, used: set[str]) -> str:
    """The file name of the fixed copy of *path*: ``<stem>_ispravleno.xlsx``, unique in *used*."""
    return return_name(path, used, suffix=SUFFIX)


def stale_fixed_copies(folder: Path, keep: Sequence[Path]) -> list[Path]:
    """The fixed copies an earlier run wrote into *folder* that this run does not write again
    (*keep*): named ``<stem>_ispravleno.xlsx`` (or ``…_N.xlsx``) and marked by tpcheck as a
    fixed copy. Other files are never touched."""
    return stale_copies(folder, keep, SUFFIX, lambda path: kind_of(path) == "fixed-copy")


def write_fixed_copies(report: Report, folder: Path) -> list[Path]:
    """The fixed copy of every file of *report* with notices to apply, into *folder* (beside
    the return copies) as ``<stem>_ispravleno.xlsx``; their paths. (``Result.write`` writes
    them with the run's other outputs, all or none.)"""
    used: set[str] = set()
    written = []
    for info, notices in fixed_plans(report):
        target = folder / fixed_name(info.path, used)
        if write_fixed_copy(info.path, info, notices, target):
            written.append(target)
    return written


def write_fixed_copy(
    source: str | Path, info: FileInfo, notices: Iterable[Issue], target: Path
) -> bool:
    """Write the fixed copy of *source* (described by *info*) to *target*; False when there
    is nothing to apply or the format is not .xlsx/.xlsm."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    todo = [i for i in notices if i.code in APPLIED and i.cell and i.used is not None]
    if not todo or info.format not in ("xlsx", "xlsm"):
        return False
    book = load_workbook(source, keep_vba=info.format == "xlsm")
    fill = PatternFill("solid", fgColor=output_spec().colors["notice_fill"].lstrip("#"))
    for item in todo:
        sheet = book[item.sheet or info.sheet]
        if item.code == "cell-merged-filled":
            for merged in list(sheet.merged_cells.ranges):
                if item.cell in merged:
                    sheet.unmerge_cells(str(merged))
        cell = sheet[item.cell]
        before = "" if cell.value is None else str(cell.value)
        cell.value = item.used
        cell.fill = fill
        cell.comment = Comment(f"tpcheck ({item.code}): было «{before}»", "tpcheck")
    mark(book, "fixed-copy")
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return True
