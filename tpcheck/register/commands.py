"""The register's side of the command line: ``tpcheck approve``, ``tpcheck status`` and the
``--register`` options of ``merge``, ``publish`` and ``diff`` (hooked in by :mod:`tpcheck.cli`,
which turns :class:`~.model.RegisterError` into ``Ошибка: …`` and exit code 2)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from ..i18n import text
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


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"«{value}» — не дата; укажите ее как ГГГГ-ММ-ДД, например 2026-01-15"
        ) from None


def _register_option(parser: argparse.ArgumentParser, default: str | None) -> None:
    where = f" (по умолчанию ./{DEFAULT_REGISTER})" if default else ""
    parser.add_argument(
        "--register",
        metavar="DIR",
        default=default,
        help=f"папка реестра версий Перечня: утвержденные версии, публикации, сообщения "
        f"подразделений об изменениях{where}",
    )


def _open(args: argparse.Namespace) -> Register:
    return Register(args.register, classifiers=args.classifiers, lang=args.lang)


# ------------------------------------------------------------------------------ approve


def setup_approve(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("consolidated", metavar="CONSOLIDATED", help="сводная книга tpcheck merge")
    parser.add_argument(
        "--act",
        required=True,
        help="акт Департамента об утверждении (п. 5.1), например "
        "«приказ Департамента от 15.01.2026 № 12»",
    )
    parser.add_argument(
        "--date", required=True, type=iso_date, metavar="ГГГГ-ММ-ДД", help="дата утверждения"
    )
    _register_option(parser, DEFAULT_REGISTER)
    parser.add_argument(
        "--force",
        action="store_true",
        help="утвердить, хотя часть строк не может быть размещена из-за ошибок (нужен --reason)",
    )
    parser.add_argument("--reason", help="причина утверждения с --force (записывается в реестр)")


def run_approve(args: argparse.Namespace) -> int:
    with _open(args) as register:
        record = register.approve(
            args.consolidated, act=args.act, date=args.date, force=args.force, reason=args.reason
        )
        print(
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
            print(text("register.forced", args.lang, count=count, reason=record["force_reason"]))
    return 0


# ------------------------------------------------------------------------------ status


def setup_status(parser: argparse.ArgumentParser) -> None:
    _register_option(parser, DEFAULT_REGISTER)
    parser.add_argument(
        "--today",
        type=iso_date,
        metavar="ГГГГ-ММ-ДД",
        help="на какую дату считать просрочку (по умолчанию сегодня)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        default="tpcheck-status",
        help="папка для status.xlsx и status.html (по умолчанию tpcheck-status)",
    )


def run_status(args: argparse.Namespace) -> int:
    with _open(args) as register:
        status = register.status(today=args.today)
        status.write(args.output)
    print(status.summary_text())
    print(text("register.status_written", args.lang, path=args.output))
    s = status.summary
    return 1 if s["overdue"] or s["versions_late"] else 0


# ------------------------------------------------------------------------------ merge


def merge_options(parser: argparse.ArgumentParser) -> None:
    _register_option(parser, None)
    parser.add_argument(
        "--received-on",
        type=iso_date,
        metavar="ГГГГ-ММ-ДД",
        help="с --register: дата получения файлов (по умолчанию дата каждого файла)",
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
                print(text("register.intake_no_version", args.lang, **values))
            else:
                version = int(record["against_version"])
                print(
                    text(
                        "register.intake",
                        args.lang,
                        version=version,
                        changes=int(record["changes"]),
                        **values,
                    )
                )


# ------------------------------------------------------------------------------ publish, diff


def publish_options(parser: argparse.ArgumentParser) -> None:
    _register_option(parser, None)
    parser.add_argument(
        "--version",
        type=int,
        metavar="N",
        help="с --register: какую версию разместить (по умолчанию последнюю утвержденную)",
    )
    parser.add_argument(
        "--published-on",
        type=iso_date,
        metavar="ГГГГ-ММ-ДД",
        help="с --register: дата размещения на сайте (по умолчанию сегодня)",
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
        print(publication.summary_text())
        when = args.published_on or dt.date.today()
        print(
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


def diff_options(parser: argparse.ArgumentParser) -> None:
    _register_option(parser, None)


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
    print(result.summary_text())
    if args.output:
        result.write(args.output)
        print(f"Отчет об изменениях записан в папку {args.output}")
    return 0
