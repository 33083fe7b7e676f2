"""What ``tpcheck merge`` and ``tpcheck check`` show on the terminal: a progress bar while reading
(only when stderr is a terminal), a summary table and the verdict. Used by :mod:`tpcheck.cli`."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from .errors import InputError
from .i18n import text as i18n_text
from .i18n import texts
from .merge import CACHE_DIR, Result, check, merge
from .output.atomic import ensure_not_input, prepare_dir
from .output.config import output_spec
from .reading.discover import SPREADSHEET_EXTENSIONS, TEXT_EXTENSIONS
from .terminal_text import MIN_NAME, file_lines, markup, safe, shorten, shorten_all, width

__all__ = ["run"]

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2


def _texts(lang: str) -> dict[str, str]:
    """The ``[terminal]`` texts of data/texts.toml in *lang*, by their short key."""
    return {
        key.removeprefix("terminal."): value[lang]
        for key, value in texts().items()
        if key.startswith("terminal.")
    }


def _interactive() -> bool:
    return sys.stderr.isatty()


@contextlib.contextmanager
def _progress(text: dict[str, str]) -> Iterator:
    """A callback ``(done, total, path)`` drawing a progress bar on stderr, or None when stderr
    is not a terminal."""
    if not _interactive():
        yield None
        return
    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:
        task = bar.add_task(text["reading"], total=None)

        def report(done: int, total: int, path: str) -> None:
            name = markup(shorten(safe(Path(str(path)).name), 40))
            bar.update(task, completed=done, total=total, description=f"{text['reading']}: {name}")

        yield report


@contextlib.contextmanager
def _status(text: str) -> Iterator[None]:
    if not _interactive():
        yield
        return
    with Console(stderr=True).status(text):
        yield


#: Room taken by the check table's borders and padding around its five columns.
_TABLE_FRAME = 16


def _check_rows(result: Result) -> list[tuple[str, str, str, str, str]]:
    """(name, status, rows, errors, warnings) of every file, names as read."""
    counts = result.report.file_counts()
    labels = output_spec().labels(result.lang)
    rows = []
    for info in result.report.files:
        c = counts.get(info.path, {"errors": 0, "warnings": 0})
        status = labels.status(info.status)
        rows.append((safe(info.path), status, str(info.rows), str(c["errors"]), str(c["warnings"])))
    return rows


def _table(result: Result, text: dict[str, str], kind: str, columns: int = 120) -> Table | Text:
    """The summary: for check, a row a file (names cut from the left to fit *columns*; on a
    terminal too narrow for a table, two lines a file); for merge, the counts."""
    s = result.report.summary
    if kind == "check":
        rows = _check_rows(result)
        keys = ("file", "status", "rows", "errors", "warnings")
        fixed = sum(
            max([len(text[key])] + [len(row[i]) for row in rows]) for i, key in enumerate(keys) if i
        )
        room = columns - fixed - _TABLE_FRAME
        if room < MIN_NAME:
            return _narrow(result, rows, text, columns)
        names = shorten_all([row[0] for row in rows], room)
        table = Table(title=text["table_title"], title_justify="left")
        for key in keys:
            justify = "left" if key in ("file", "status") else "right"
            table.add_column(text[key], justify=justify, no_wrap=key == "file")
        for name, row in zip(names, rows, strict=True):
            table.add_row(markup(name), *row[1:])
        if len(rows) > 1:
            table.add_section()
            table.add_row(text["total"], "", str(s["rows"]), str(s["errors"]), str(s["warnings"]))
        return table
    table = Table(title=text["table_title"], title_justify="left")
    table.add_column("")
    table.add_column("", justify="right")
    table.show_header = False
    for key, value in (
        ("files", s["files"]),
        ("read", s["files_ok"]),
        ("unreadable", s["files_unreadable"]),
        ("skipped", s["files_skipped"]),
        ("rows", s["rows"]),
        ("errors", s["errors"]),
        ("warnings", s["warnings"]),
    ):
        indent = "  " if key in ("read", "unreadable", "skipped") else ""
        table.add_row(indent + text[key], str(value))
    return table


def _narrow(result: Result, rows: list, text: dict[str, str], columns: int) -> Text:
    """The check summary on a narrow terminal: each file's name on a line of its own (cut from
    the left), its status and counts on the next."""
    s = result.report.summary
    names = shorten_all([row[0] for row in rows], columns)
    lines = [text["table_title"]]
    for name, (_, status, count, errors, warnings) in zip(names, rows, strict=True):
        lines.append(name)
        lines.append(
            text["file_line"].format(status=status, rows=count, errors=errors, warnings=warnings)
        )
    if len(rows) > 1:
        lines.append(
            text["total_line"].format(rows=s["rows"], errors=s["errors"], warnings=s["warnings"])
        )
    return Text("\n".join(lines))  # plain text: a name's «[bold]» is not markup


def _no_tables(result: Result, inputs: list[str], text: dict[str, str], columns: int) -> str:
    """Why nothing was read when every file met was skipped: where it looked, which kinds of
    files it takes, and what it found instead."""
    skipped = [info for info in result.report.files if info.status == "skipped"]
    names = shorten_all([safe(info.path) for info in skipped], max(MIN_NAME, columns // 3))
    shown = [
        text["skipped_item"].format(name=name, reason=info.reason or "")
        for name, info in zip(names, skipped, strict=True)
    ][:5]
    if len(skipped) > 5:
        shown.append("…")
    extensions = sorted(SPREADSHEET_EXTENSIONS | TEXT_EXTENSIONS)
    folders = all(Path(path).is_dir() for path in inputs)
    return safe(
        text["no_tables" if folders else "no_tables_files"].format(
            inputs=", ".join(f"«{path}»" for path in inputs),
            extensions=", ".join(extensions),
            count=len(skipped),
            files="; ".join(shown),
        )
    )


def run(kind: str, args: argparse.Namespace) -> int:
    """Run ``tpcheck merge`` or ``tpcheck check`` with parsed *args*; return the exit code."""
    text = _texts(args.lang)
    for path in args.inputs:
        if not Path(path).exists():
            raise InputError(key="terminal.no_such_path", values={"path": path})
    ensure_not_input(args.output, args.inputs)
    folder = prepare_dir(args.output)
    function = merge if kind == "merge" else check
    options = {}
    if kind == "merge" and not getattr(args, "no_cache", False):
        options["cache"] = getattr(args, "cache", None) or folder / CACHE_DIR
    with _progress(text) as callback:
        result = function(
            args.inputs,
            classifiers=args.classifiers,
            lang=args.lang,
            roster=args.roster,
            registry=args.registry,
            progress=callback,
            **options,
        )
    if not result.report.files:
        raise InputError(key="terminal.no_files")
    with _status(text["writing"]):
        written = result.write(folder, fixed_copies=getattr(args, "fixed_copies", False))
    columns = width()
    out = Console(file=sys.stdout, highlight=False, width=columns)
    out.print(_table(result, text, kind, columns))
    names = output_spec().files
    report = folder / names["errors_html"]
    for line in file_lines([result.report], args.lang, columns, more_in=str(report)):
        print(line)
    print(safe(text["written"].format(folder=folder, count=len(written))))
    removed = result.report.extra.get("removed_return_copies")
    if removed:
        shown = ", ".join(f"«{name}»" for name in removed)
        print(safe(text["removed_copies"].format(count=len(removed), names=shown)))
    if kind == "merge":
        print(safe(text["consolidated"].format(path=folder / names["consolidated"])))
        if result.report.files:
            print(safe(text["returns"].format(path=folder / names["returns_dir"])))
    else:
        fixed = {names[key] for key in ("errors_xlsx", "errors_csv", "errors_html", "report_json")}
        for path in written:
            if path.name not in fixed:
                print(safe(text["returns_check"].format(path=path)))
    print(safe(text["report"].format(path=report)))
    s = result.report.summary
    if s.get("missing_subdivisions"):
        missing = ", ".join(f"«{name}»" for name in s["missing_subdivisions"])
        print(safe(text["missing"].format(names=missing)))
    if result.readable == 0:
        pass  # nothing was read: no verdict on the data, the error below says why
    elif result.valid:
        print(text["verdict_ok"].format(warnings=s["warnings"]))
    else:
        print(
            text["verdict_errors"].format(
                errors=s["errors"], rows=s["rows_with_errors"], warnings=s["warnings"]
            )
        )
    if s["notices"]:
        print(text["notices"].format(notices=s["notices"]))
    if kind == "merge" and result.readable:
        from .register.commands import record_intake

        record_intake(result, args)  # merge --register: the intake log of п. 5.4
    if result.readable == 0:
        if s["files_unreadable"]:
            message = safe(text["no_readable"].format(count=s["files_unreadable"], report=report))
        else:
            message = _no_tables(result, args.inputs, text, columns)
        print(i18n_text("cli.error", args.lang, message=message), file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK if result.valid else EXIT_ERRORS
