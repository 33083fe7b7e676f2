"""The ``tpcheck`` command: a thin layer over the library, one subcommand per public function.

Exit codes (as pytest and ruff): 0 — no errors; 1 — errors found (an unreadable input included);
2 — nothing could be done (bad arguments, no readable input, an output that cannot be written).
Only this module turns exceptions into ``Ошибка: …`` and an exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import os
import re
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import OutputError, TpcheckError
from .i18n import text
from .register import commands as register_commands
from .version import __version__

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
        default=None,
        help="куда записать шаблон (по умолчанию perechen_template.xlsx, с --registry — "
        "reestr_template.xlsx)",
    )
    parser.add_argument(
        "--registry",
        action="store_true",
        help="записать шаблон реестра процессов Департамента (п. 3.1) "
        "(tpcheck.make_registry_template)",
    )


def _run_template(args: argparse.Namespace) -> int:
    if args.registry:
        from .templates.registry import make_registry_template as make

        default = "reestr_template.xlsx"
    else:
        from .templates.perechen import make_template as make

        default = "perechen_template.xlsx"
    path = make(template_path(args.output, default, args.lang), args.classifiers)
    print(text("cli.template_written", args.lang, path=path))
    return EXIT_OK


def template_path(output: str | None, default: str, lang: str = "ru") -> Path:
    """Where ``tpcheck template -o OUTPUT`` writes: *default* in the current folder, or inside
    OUTPUT when it is an existing folder or ends with a slash; otherwise OUTPUT itself, which must
    end in .xlsx (the template is an Excel workbook, whatever name it is given)."""
    if output is None:
        return Path(default)
    if output.endswith(("/", os.sep)) or Path(output).is_dir():
        return Path(output) / default
    path = Path(output)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(text("cli.template_not_xlsx", lang, path=path))
    return path


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
    _fixed_option(parser)
    register_commands.merge_options(parser)


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
    _fixed_option(parser)


def _fixed_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fixed-copies",
        action="store_true",
        help="рядом с файлом замечаний записать исправленную копию файла подразделения "
        "(названия вместо кодов и синонимов, отмеченные ячейки)",
    )


def _run_merge(args: argparse.Namespace) -> int:
    from .terminal import run

    return run("merge", args)


def _run_check(args: argparse.Namespace) -> int:
    from .terminal import run

    return run("check", args)


# ------------------------------------------------------------------------------ publish, diff


_DAY_FIRST = re.compile(r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})$")


def parse_date(value: str) -> dt.date:
    """A date as a clerk writes it (ДД.ММ.ГГГГ, the way tpcheck prints dates) or as ГГГГ-ММ-ДД;
    ``ValueError`` for anything else, including impossible days such as 31.02.2025."""
    value = value.strip()
    day_first = _DAY_FIRST.match(value)
    if day_first:
        return dt.date(int(day_first["year"]), int(day_first["month"]), int(day_first["day"]))
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(value)
    return dt.date.fromisoformat(value)


def _date(value: str) -> dt.date:
    try:
        return parse_date(value)
    except ValueError:
        raise argparse.ArgumentTypeError(text("cli.bad_date", "ru", value=value)) from None


def _setup_publish(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help="сводная книга tpcheck merge или файлы и папки подразделений (без --register)",
    )
    parser.add_argument(
        "-o", "--output", metavar="DIR", required=True, help="папка для файлов публикации"
    )
    parser.add_argument(
        "--as-of",
        type=_date,
        metavar="ДД.ММ.ГГГГ",
        help="дата версии Перечня в заголовке (по умолчанию сегодня)",
    )
    register_commands.publish_options(parser)


def _run_publish(args: argparse.Namespace) -> int:
    from .publish.model import publish

    done = register_commands.run_publish(args)
    if done is not None:
        return done

    publication = publish(
        args.inputs, classifiers=args.classifiers, lang=args.lang, as_of=args.as_of
    )
    publication.write(args.output)
    print(publication.summary_text())
    print(f"Файлы публикации записаны в папку {args.output}")
    s = publication.summary
    return EXIT_ERRORS if s["rows_excluded"] or s["files_excluded"] else EXIT_OK


def _setup_diff(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="прежняя версия: сводная книга, файл или папка")
    parser.add_argument("new", metavar="NEW", help="новая версия: сводная книга, файл или папка")
    parser.add_argument(
        "--changed-on",
        type=_date,
        metavar="ДД.ММ.ГГГГ",
        help="дата внесения изменений (по умолчанию сегодня); от нее считается срок п. 5.5",
    )
    parser.add_argument(
        "-o", "--output", metavar="DIR", help="папка для changes.xlsx, changes.html, changes.json"
    )
    parser.add_argument(
        "--registry-old",
        metavar="FILE",
        help="реестр процессов прежней версии (xlsx или csv): основание п. 5.3 1) — включение "
        "услуги в реестр или исключение из него",
    )
    parser.add_argument(
        "--registry-new", metavar="FILE", help="реестр процессов новой версии (xlsx или csv)"
    )
    register_commands.diff_options(parser)


def _run_diff(args: argparse.Namespace) -> int:
    from .diff.model import diff

    done = register_commands.run_diff(args)
    if done is not None:
        return done

    result = diff(
        args.old,
        args.new,
        changed_on=args.changed_on,
        classifiers=args.classifiers,
        lang=args.lang,
        registry_old=args.registry_old,
        registry_new=args.registry_new,
    )
    if args.output:
        result.write(args.output)
    print(result.summary_text())
    if args.output:
        print(f"Отчет об изменениях записан в папку {args.output}")
    s = result.summary
    return (
        EXIT_ERRORS
        if s["old_rows_excluded"]
        or s["new_rows_excluded"]
        or (result.old.summary["files_excluded"] or result.new.summary["files_excluded"])
        else EXIT_OK
    )


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
    "publish": (
        "Перечень по форме приложения для сайта и приказа: xlsx, HTML, CSV, JSON (tpcheck.publish)",
        _setup_publish,
        _run_publish,
    ),
    "diff": (
        "изменения между версиями Перечня, основания п. 5.3 и срок размещения п. 5.5 "
        "(tpcheck.diff)",
        _setup_diff,
        _run_diff,
    ),
    "approve": (
        "утвердить версию Перечня (п. 5.1): записать сводную книгу в реестр версий под новым "
        "номером с актом и датой (tpcheck.Register.approve)",
        register_commands.setup_approve,
        register_commands.run_approve,
    ),
    "status": (
        "реестр версий: сообщения подразделений об изменениях, сроки размещения (п. 5.4–5.5), "
        "версии и их публикации (tpcheck.Register.status)",
        register_commands.setup_status,
        register_commands.run_status,
    ),
}


_OS_ERRORS = {
    errno.ENOSPC: ("нет места на диске", "no space left on the device"),
    errno.EDQUOT: ("превышена квота на диске", "disk quota exceeded"),
    errno.EROFS: ("диск только для чтения", "read-only file system"),
    errno.EACCES: ("нет доступа", "permission denied"),
    errno.EPERM: ("нет доступа", "permission denied"),
    errno.ENOENT: ("нет такого файла или папки", "no such file or folder"),
}


_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.[^.]+\.part$")  # tpcheck.output.atomic's temporary files


def _os_cause(exc: BaseException) -> OSError | None:
    """The operating system error behind *exc* (writers such as XlsxWriter wrap it)."""
    for candidate in (exc, *exc.args[:1], exc.__cause__, exc.__context__):
        if isinstance(candidate, OSError):
            return candidate
    return None


def _os_error(exc: OSError, lang: str) -> str:
    """An operating system error (writing the results, walking a folder) in plain words."""
    known = _OS_ERRORS.get(exc.errno or 0)
    reason = known[lang == "en"] if known else (exc.strerror or str(exc))
    where = exc.filename
    if where:
        path = Path(os.fsdecode(where))
        temporary = _TEMPORARY.match(path.name)
        where = path.with_name(temporary["name"]) if temporary else path
    if lang == "en":
        return f"could not read or write «{where}»: {reason}" if where else reason
    return f"не удалось прочитать или записать «{where}»: {reason}" if where else reason


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


class _Terminated(KeyboardInterrupt):
    """SIGTERM (a plain ``kill``, systemd, a CI cancel), handled as Ctrl+C is: the writes in
    progress are undone, the workers stopped."""


def _terminate_as_interrupt() -> list[bool]:
    """Make SIGTERM raise :class:`_Terminated` in the main thread; the list returned holds
    True once it came (for the exit code 143)."""
    came: list[bool] = []

    def handler(signum: int, frame: object) -> None:
        came.append(True)
        raise _Terminated()

    with contextlib.suppress(ValueError, OSError):  # not the main thread: leave it as it is
        signal.signal(signal.SIGTERM, handler)
    return came


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line *argv* (default: ``sys.argv[1:]``) and return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    prefix = "Error" if getattr(args, "lang", "ru") == "en" else "Ошибка"
    terminated = _terminate_as_interrupt()
    try:
        return COMMANDS[args.command][2](args)
    except TpcheckError as exc:
        print(f"{prefix}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        cause = _os_cause(exc)  # the disk, not the data: full, read-only, no access
        if cause is None:
            raise
        print(f"{prefix}: {_os_error(cause, getattr(args, 'lang', 'ru'))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("Прервано.", file=sys.stderr)
        return 128 + signal.SIGTERM if terminated else 130
