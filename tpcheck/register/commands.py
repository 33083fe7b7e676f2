"""The register's side of the command line: ``tpcheck approve``, ``tpcheck status`` and the
``--register`` options of ``merge``, ``publish`` and ``diff`` (hooked in by :mod:`tpcheck.cli`,
which turns :class:`~.model.RegisterError` into ``Ошибка: …`` and exit code 2)."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from ..i18n import text
from ..terminal_text import safe
from ..text import parse_date
from .model import DEFAULT_REGISTER, Register, RegisterError

if TYPE_CHECKING:
    from ..merge import Result

__all__ = [
    "diff_options",
    "merge_options",
    "publish_options",
    "record_intake",
    "run_approve",
    "run_diff",
    "run_publish",
    "run_status",
    "setup_approve",
    "setup_status",
]


def _say(message: str) -> None:
    """Print *message*, every file name and value in it shown, never obeyed (control characters
    written out: :func:`tpcheck.terminal_text.safe`)."""
    print(safe(message, lines=True))


def _date_in(lang: str) -> Callable[[str], dt.date]:
    def date(value: str) -> dt.date:
        try:
            return parse_date(value)
        except ValueError:
            raise argparse.ArgumentTypeError(text("cli.bad_date", lang, value=value)) from None

    return date


def _help(key: str, lang: str) -> str:
    return text(f"cli.help.register.{key}", lang)


def _register_option(parser: argparse.ArgumentParser, default: str | None, lang: str) -> None:
    where = text("cli.help.register.register_default", lang, path=DEFAULT_REGISTER)
    parser.add_argument(
        "--register",
        metavar="DIR",
        default=default,
        help=_help("register", lang) + (where if default else ""),
    )


def _open(args: argparse.Namespace) -> Register:
    return Register(args.register, classifiers=args.classifiers, lang=args.lang)


# ------------------------------------------------------------------------------ approve


def setup_approve(parser: argparse.ArgumentParser, lang: str = "ru") -> None:
    parser.add_argument("consolidated", metavar="CONSOLIDATED", help=_help("consolidated", lang))
    parser.add_argument("--act", required=True, help=_help("act", lang))
    parser.add_argument(
        "--date",
        required=True,
        type=_date_in(lang),
        metavar=text("cli.date_metavar", lang),
        help=_help("date", lang),
    )
    _register_option(parser, DEFAULT_REGISTER, lang)
    parser.add_argument("--force", action="store_true", help=_help("force", lang))
    parser.add_argument("--reason", help=_help("reason", lang))


def run_approve(args: argparse.Namespace) -> int:
    with _open(args) as register:
        record = register.approve(
            args.consolidated, act=args.act, date=args.date, force=args.force, reason=args.reason
        )
        _say(
            text(
                "register.approved",
                args.lang,
                number=record["number"],
                act=record["act"],
                date=f"{args.date:%d.%m.%Y}",
                rows=record["rows"],
                published=record["rows_published"],
                path=register.path / record["file"],
            )
        )
        if record["forced"]:
            count = record["rows_held_back"]
            _say(text("register.forced", args.lang, count=count, reason=record["force_reason"]))
    return 0


# ------------------------------------------------------------------------------ status


def setup_status(parser: argparse.ArgumentParser, lang: str = "ru") -> None:
    _register_option(parser, DEFAULT_REGISTER, lang)
    parser.add_argument(
        "--today",
        type=_date_in(lang),
        metavar=text("cli.date_metavar", lang),
        help=_help("today", lang),
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        default="tpcheck-status",
        help=_help("status_output", lang),
    )


def run_status(args: argparse.Namespace) -> int:
    with _open(args) as register:
        status = register.status(today=args.today)
        status.write(args.output)
    _say(status.summary_text())
    _say(text("register.status_written", args.lang, path=args.output))
    s = status.summary
    return 1 if s["overdue"] or s["versions_late"] else 0


# ------------------------------------------------------------------------------ merge


def merge_options(parser: argparse.ArgumentParser, lang: str = "ru") -> None:
    _register_option(parser, None, lang)
    parser.add_argument(
        "--received-on",
        type=_date_in(lang),
        metavar=text("cli.date_metavar", lang),
        help=_help("received_on", lang),
    )


def record_intake(result: Result, args: argparse.Namespace) -> None:
    """After ``merge --register``: record the files read in the intake log and say so."""
    if not getattr(args, "register", None):
        return
    with _open(args) as register:
        records = register.intake(result, received_on=args.received_on)
        for record in records.to_dict("records"):
            values = {
                "subdivision": record["subdivision"],
                "file": record["file_name"],
                "date": dt.date.fromisoformat(record["received_on"]).strftime("%d.%m.%Y"),
            }
            if pd.isna(record["against_version"]):
                _say(text("register.intake_no_version", args.lang, **values))
            else:
                version = int(record["against_version"])
                _say(
                    text(
                        "register.intake",
                        args.lang,
                        version=version,
                        changes=int(record["changes"]),
                        **values,
                    )
                )


# ------------------------------------------------------------------------------ publish, diff


def publish_options(parser: argparse.ArgumentParser, lang: str = "ru") -> None:
    _register_option(parser, None, lang)
    parser.add_argument("--version", type=int, metavar="N", help=_help("version", lang))
    parser.add_argument(
        "--published-on",
        type=_date_in(lang),
        metavar=text("cli.date_metavar", lang),
        help=_help("published_on", lang),
    )


def run_publish(args: argparse.Namespace) -> int | None:
    """``publish --register``: None when the option is not given (the usual publish runs)."""
    if args.register is None:
        if args.version is not None or args.published_on is not None:
            raise RegisterError(text("register.version_without_register", args.lang))
        if not args.inputs:
            raise RegisterError(text("register.publish_inputs_or_register", args.lang))
        return None
    if args.inputs:
        raise RegisterError(text("register.publish_inputs_or_register", args.lang))
    with _open(args) as register:
        publication = register.publish(
            args.output, version=args.version, published_on=args.published_on
        )
        approval = publication.approval or {}
        _say(publication.summary_text(args.lang))
        when = args.published_on or dt.date.today()
        _say(
            text(
                "register.published",
                args.lang,
                number=approval.get("version"),
                act=approval.get("act"),
                date=f"{when:%d.%m.%Y}",
                path=args.output,
            )
        )
    return 0


def diff_options(parser: argparse.ArgumentParser, lang: str = "ru") -> None:
    _register_option(parser, None, lang)


def run_diff(args: argparse.Namespace) -> int | None:
    """``diff N M --register DIR``: None when the option is not given."""
    if args.register is None:
        return None
    try:
        old, new = int(args.old), int(args.new)
    except ValueError:
        raise RegisterError(
            text("register.diff_needs_numbers", args.lang, path=args.register)
        ) from None
    with _open(args) as register:
        result = register.diff(old, new)
    _say(result.summary_text(args.lang))
    if args.output:
        result.write(args.output)
        _say(text("cli.diff_written", args.lang, path=args.output))
    return 0
