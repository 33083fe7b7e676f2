"""The ``tpcheck`` command: a thin layer over the library, one subcommand per public function.

Exit codes (as pytest and ruff): 0 — no errors; 1 — errors found (an unreadable input included);
2 — nothing could be done (bad arguments, no readable input, an output that cannot be written).
Only this module turns exceptions into ``Ошибка: …`` and an exit code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .errors import TpcheckError

__all__ = ["main"]

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse with Russian error lines."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"Ошибка: {message}\n")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--classifiers",
        metavar="PATH",
        help="файл классификаторов Департамента (TOML), дополняющий или заменяющий встроенные",
    )
    parser.add_argument(
        "--lang", choices=("ru", "en"), default="ru", help="язык сообщений (по умолчанию ru)"
    )


# ------------------------------------------------------------------------------ template


def _setup_template(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        default="perechen_template.xlsx",
        help="куда записать шаблон (по умолчанию perechen_template.xlsx)",
    )


def _run_template(args: argparse.Namespace) -> int:
    from .template import make_template

    path = make_template(Path(args.output), args.classifiers)
    print(f"Шаблон записан: {path}" if args.lang == "ru" else f"Template written: {path}")
    return EXIT_OK


# ------------------------------------------------------------------------------ merge, check


def _stage_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--roster",
        metavar="FILE",
        help="список подразделений и учреждений, которые должны прислать сведения",
    )
    parser.add_argument(
        "--registry",
        metavar="FILE",
        help="реестр процессов Департамента (услуги, функции, сервисы)",
    )


def _setup_merge(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="файлы и папки с перечнями подразделений"
    )
    parser.add_argument(
        "-o", "--output", metavar="DIR", required=True, help="папка для результатов"
    )
    _stage_options(parser)


def _setup_check(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="FILE", help="файлы для проверки")
    parser.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        default="tpcheck-check",
        help="папка для файла с замечаниями и отчета (по умолчанию tpcheck-check)",
    )
    _stage_options(parser)


def _run_merge(args: argparse.Namespace) -> int:
    from .terminal import run

    return run("merge", args)


def _run_check(args: argparse.Namespace) -> int:
    from .terminal import run

    return run("check", args)


#: name → (help, set-up of its arguments, what runs it). Each runs one public function.
COMMANDS: dict[
    str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]
] = {
    "template": (
        "записать шаблон Excel для подразделений (tpcheck.make_template)",
        _setup_template,
        _run_template,
    ),
    "check": (
        "проверить свой файл перечня и получить файл с замечаниями (tpcheck.check)",
        _setup_check,
        _run_check,
    ),
    "merge": (
        "проверить и свести файлы подразделений: сводный перечень, замечания, файлы для "
        "возврата (tpcheck.merge)",
        _setup_merge,
        _run_merge,
    ),
}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tpcheck",
        description=(
            "Перечень точек взаимодействия с внешним и внутренним клиентами "
            "(приказ ДЧС Кузбасса № 134): шаблон, проверка, сводка, публикация, актуализация."
        ),
    )
    parser.add_argument("--version", action="version", version=f"tpcheck {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="КОМАНДА", parser_class=_Parser)
    for name, (help_text, setup, _) in COMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        _common(sub)
        setup(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line *argv* (default: ``sys.argv[1:]``) and return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return COMMANDS[args.command][2](args)
    except TpcheckError as exc:
        prefix = "Error" if getattr(args, "lang", "ru") == "en" else "Ошибка"
        print(f"{prefix}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("Прервано.", file=sys.stderr)
        return 130
