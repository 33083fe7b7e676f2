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

from .errors import InputError
from .i18n import text as i18n_text
from .i18n import texts
from .merge import CACHE_DIR, Result, check, merge
from .output.atomic import ensure_not_input, prepare_dir
from .output.config import output_spec

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
            name = Path(str(path)).name
            bar.update(task, completed=done, total=total, description=f"{text['reading']}: {name}")

        yield report


@contextlib.contextmanager
def _status(text: str) -> Iterator[None]:
    if not _interactive():
        yield
        return
    with Console(stderr=True).status(text):
        yield


def _table(result: Result, text: dict[str, str], kind: str) -> Table:
    s = result.report.summary
    table = Table(title=text["table_title"], title_justify="left")
    if kind == "check":
        counts = result.report.file_counts()
        labels = output_spec().labels(result.lang)
        for key in ("file", "status", "rows", "errors", "warnings"):
            table.add_column(text[key], justify="left" if key in ("file", "status") else "right")
        for info in result.report.files:
            c = counts.get(info.path, {"errors": 0, "warnings": 0})
            table.add_row(
                info.path,
                labels.status(info.status),
                str(info.rows),
                str(c["errors"]),
                str(c["warnings"]),
            )
        if len(result.report.files) > 1:
            table.add_section()
            table.add_row(text["total"], "", str(s["rows"]), str(s["errors"]), str(s["warnings"]))
        return table
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
    out = Console(file=sys.stdout, highlight=False, width=None if sys.stdout.isatty() else 120)
    out.print(_table(result, text, kind))
    names = output_spec().files
    print(text["written"].format(folder=folder, count=len(written)))
    if kind == "merge":
        print(text["consolidated"].format(path=folder / names["consolidated"]))
        if result.report.files:
            print(text["returns"].format(path=folder / names["returns_dir"]))
    else:
        fixed = {names[key] for key in ("errors_xlsx", "errors_csv", "errors_html", "report_json")}
        for path in written:
            if path.name not in fixed:
                print(text["returns_check"].format(path=path))
    print(text["report"].format(path=folder / names["errors_html"]))
    s = result.report.summary
    if s.get("missing_subdivisions"):
        names = ", ".join(f"«{name}»" for name in s["missing_subdivisions"])
        print(text["missing"].format(names=names))
    if result.valid:
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
        message = text["no_readable"].format(
            count=s["files_unreadable"], report=folder / names["errors_html"]
        )
        print(i18n_text("cli.error", args.lang, message=message), file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK if result.valid else EXIT_ERRORS
