"""The ``tpcheck`` command: a thin layer over the library, one subcommand per public function.

Exit codes (as pytest and ruff): 0 — no errors; 1 — errors found (an unreadable input included);
2 — nothing could be done (bad arguments, no readable input, an output that cannot be written).
Only this module turns exceptions into ``Ошибка: …`` and an exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import difflib
import errno
import os
import re
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from .errors import OutputError, TpcheckError
from .i18n import LANGS, resolve_lang, text, texts
from .register import commands as register_commands
from .terminal_text import file_lines, safe, width
from .text import parse_date
from .version import __version__

__all__ = ["main"]

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse with error lines in the chosen language (``Ошибка: …`` / ``Error: …``)."""

    def __init__(self, *args: object, lang: str = "ru", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lang = lang

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, text("cli.error", self.lang, message=message) + "\n")


@contextlib.contextmanager
def _argparse_in(lang: str) -> Iterator[None]:
    """argparse's own words (``usage:``, ``invalid choice``, …) in *lang* while parsing.

    argparse asks gettext for every message at the moment it prints it, through its module-level
    ``_``; the ``[argparse]`` table of texts.toml maps each English message to *lang*.
    """
    table = {v["en"]: v[lang] for k, v in texts().items() if k.startswith("argparse.")}
    original = argparse._  # type: ignore[attr-defined]
    argparse._ = lambda message: table.get(message, message)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]


def _common(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--classifiers", metavar="PATH", help=text("cli.help.classifiers", lang))
    # default=SUPPRESS: a --lang before the command (the main parser's) is not reset here
    parser.add_argument(
        "--lang", choices=LANGS, default=argparse.SUPPRESS, help=text("cli.help.lang", lang)
    )


# ------------------------------------------------------------------------------ template


def _setup_template(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        default=None,
        help=text("cli.help.template_output", lang),
    )
    parser.add_argument(
        "--registry",
        action="store_true",
        help=text("cli.help.template_registry", lang),
    )
    parser.add_argument(
        "--extension",
        action="append",
        default=[],
        metavar=text("cli.extension_metavar", lang),
        help=text("cli.help.template_extension", lang),
    )


def _run_template(args: argparse.Namespace) -> int:
    if args.registry:
        from .templates.registry import make_registry_template as make

        default = "reestr_template.xlsx"
    else:
        from .templates.perechen import make_template as make

        default = "perechen_template.xlsx"
    target = template_path(args.output, default, args.lang)
    if args.registry:
        path = make(target, args.classifiers)
    else:
        path = make(target, args.classifiers, extensions=args.extension)
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


def _stage_options(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument(
        "--roster",
        metavar="FILE",
        help=text("cli.help.roster", lang),
    )
    parser.add_argument(
        "--registry",
        metavar="FILE",
        help=text("cli.help.registry", lang),
    )


def _setup_merge(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument(
        "inputs", nargs="+", metavar="INPUT", help=text("cli.help.merge_inputs", lang)
    )
    parser.add_argument(
        "-o", "--output", metavar="DIR", required=True, help=text("cli.help.merge_output", lang)
    )
    _stage_options(parser, lang)
    _fixed_option(parser, lang)
    caching = parser.add_mutually_exclusive_group()
    caching.add_argument("--cache", metavar="DIR", help=text("cli.help.cache", lang))
    caching.add_argument("--no-cache", action="store_true", help=text("cli.help.no_cache", lang))
    register_commands.merge_options(parser, lang)


def _setup_check(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument(
        "inputs", nargs="+", metavar="FILE", help=text("cli.help.check_inputs", lang)
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        default="tpcheck-check",
        help=text("cli.help.check_output", lang),
    )
    _stage_options(parser, lang)
    _fixed_option(parser, lang)


def _fixed_option(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument(
        "--fixed-copies", action="store_true", help=text("cli.help.fixed_copies", lang)
    )


def _run_merge(args: argparse.Namespace) -> int:
    from .terminal import run

    return run("merge", args)


def _run_check(args: argparse.Namespace) -> int:
    from .terminal import run

    return run("check", args)


# ------------------------------------------------------------------------------ publish, diff


def _date_in(lang: str) -> Callable[[str], dt.date]:
    """A date argument (ДД.ММ.ГГГГ or ГГГГ-ММ-ДД, :func:`parse_date`), its error in *lang*."""

    def date(value: str) -> dt.date:
        try:
            return parse_date(value)
        except ValueError:
            raise argparse.ArgumentTypeError(text("cli.bad_date", lang, value=value)) from None

    return date


def _setup_publish(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help=text("cli.help.publish_inputs_register", lang),
    )
    parser.add_argument(
        "-o", "--output", metavar="DIR", required=True, help=text("cli.help.publish_output", lang)
    )
    parser.add_argument(
        "--as-of",
        type=_date_in(lang),
        metavar=text("cli.date_metavar", lang),
        help=text("cli.help.as_of", lang),
    )
    parser.add_argument(
        "--approved-by",
        metavar=text("cli.act_metavar", lang),
        help=text("cli.help.approved_by", lang),
    )
    parser.add_argument("--strict", action="store_true", help=text("cli.help.strict", lang))
    parser.add_argument(
        "--allow-empty", action="store_true", help=text("cli.help.allow_empty", lang)
    )
    parser.add_argument("--allow-list", metavar="FILE", help=text("cli.help.allow_list", lang))
    register_commands.publish_options(parser, lang)


def _run_publish(args: argparse.Namespace) -> int:
    from .publish.model import publish

    done = register_commands.run_publish(args)
    if done is not None:
        return done

    publication = publish(
        args.inputs,
        classifiers=args.classifiers,
        lang=args.lang,
        as_of=args.as_of,
        approved_by=args.approved_by,
        strict=args.strict,
        allow_list=args.allow_list,
        allow_empty=args.allow_empty,
    )
    written = publication.write(args.output)
    s = publication.summary
    lines = publication.summary_text(args.lang, files=False).split("\n")
    after_parts = 1 + len(publication.sections)  # the rows line, then a line a part
    lines[after_parts:after_parts] = _publish_lines(s, args.lang)
    print(safe("\n".join(lines), lines=True))
    columns = width()
    report = written.get("internal")
    for line in file_lines([publication.report], args.lang, columns, more_in=str(report)):
        print(line)
    print(safe(text("cli.publish_written", args.lang, path=args.output)))
    folder = next(iter(written.values())).parent
    for role in ("html", "xlsx", "json", "csv", "internal", "report"):
        if role in written:
            name = safe(written[role].relative_to(folder))
            print(text(f"cli.publish_file.{role}", args.lang, name=name))
    return EXIT_ERRORS if s["rows_excluded"] or s["files_excluded"] else EXIT_OK


def _publish_lines(s: dict, lang: str) -> list[str]:
    """Why the two parts add up to more than the rows published: a row for both clients is
    in both parts."""
    parts = list(s["by_section"].values())
    both = sum(parts) - s["rows_published"]
    if len(parts) < 2 or both <= 0:
        return []
    return [
        text(
            "cli.publish_both",
            lang,
            both=both,
            parts=" + ".join(str(n) for n in parts),
            sum=sum(parts),
            published=s["rows_published"],
        )
    ]


def _setup_diff(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("old", metavar="OLD", help=text("cli.help.diff_old", lang))
    parser.add_argument("new", metavar="NEW", help=text("cli.help.diff_new", lang))
    parser.add_argument(
        "--changed-on",
        type=_date_in(lang),
        metavar=text("cli.date_metavar", lang),
        help=text("cli.help.changed_on", lang),
    )
    parser.add_argument("-o", "--output", metavar="DIR", help=text("cli.help.diff_output", lang))
    parser.add_argument(
        "--registry-old",
        metavar="FILE",
        help=text("cli.help.registry_old", lang),
    )
    parser.add_argument("--registry-new", metavar="FILE", help=text("cli.help.registry_new", lang))
    register_commands.diff_options(parser, lang)


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
    written = result.write(args.output) if args.output else {}
    print(safe(result.summary_text(args.lang), lines=True))
    # every file not read or skipped (the diff's outputs do not list them: no file to point to)
    for line in file_lines([result.old.report, result.new.report], args.lang, width()):
        print(line)
    if written:
        print(safe(text("cli.diff_written", args.lang, path=args.output)))
    s = result.summary
    return (
        EXIT_ERRORS
        if s["old_rows_excluded"]
        or s["new_rows_excluded"]
        or (result.old.summary["files_excluded"] or result.new.summary["files_excluded"])
        else EXIT_OK
    )


#: name → (set-up of its arguments, what runs it). Each runs one public function; its help is
#: the text ``cli.help.<name>``.
COMMANDS: dict[
    str,
    tuple[Callable[[argparse.ArgumentParser, str], None], Callable[[argparse.Namespace], int]],
] = {
    "template": (_setup_template, _run_template),
    "check": (_setup_check, _run_check),
    "merge": (_setup_merge, _run_merge),
    "publish": (_setup_publish, _run_publish),
    "diff": (_setup_diff, _run_diff),
    "approve": (register_commands.setup_approve, register_commands.run_approve),
    "status": (register_commands.setup_status, register_commands.run_status),
}


#: The operating system errors said in plain words (texts ``cli.os.<name>``).
_OS_ERRORS = {
    getattr(errno, name): f"cli.os.{name}"
    for name in ("ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "ENOENT")
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
    reason = text(known, lang) if known else (exc.strerror or str(exc))
    where = exc.filename
    if where:
        path = Path(os.fsdecode(where))
        temporary = _TEMPORARY.match(path.name)
        where = path.with_name(temporary["name"]) if temporary else path
    return text("cli.os_error_where", lang, path=where, reason=reason) if where else reason


def build_parser(lang: str = "ru") -> argparse.ArgumentParser:
    """The parser, every help text in *lang*; ``--lang`` goes before or after the command."""
    with _argparse_in(lang):  # the group titles and -h are set at construction
        parser = _Parser(
            prog="tpcheck",
            lang=lang,
            description=text("cli.help.description", lang),
            epilog=text("cli.help.epilog", lang),
        )
        parser.add_argument(
            "--version",
            action="version",
            version=f"tpcheck {__version__}",
            help=text("cli.help.version", lang),
        )
        parser.add_argument("--lang", choices=LANGS, default=lang, help=text("cli.help.lang", lang))
        commands = parser.add_subparsers(
            dest="command", metavar=text("cli.command_metavar", lang), parser_class=_Parser
        )
        for name, (setup, _) in COMMANDS.items():
            help_text = text(f"cli.help.{name}", lang)
            sub = commands.add_parser(name, help=help_text, description=help_text, lang=lang)
            _common(sub, lang)
            setup(sub, lang)
    return parser


def _lang_of(argv: Sequence[str]) -> str | None:
    """The value of ``--lang`` anywhere on the command line (before ``--``), if one is valid."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = arg.removeprefix("--lang=") if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        if value in LANGS:
            return value
    return None


def _mistyped_command(argv: Sequence[str]) -> tuple[str, str] | None:
    """(what was typed, the command meant) when the command is a near miss (``mrege``)."""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        i += 2 if argv[i] == "--lang" else 1  # the only option of the main parser with a value
    if i >= len(argv) or argv[i] in COMMANDS:
        return None
    close = difflib.get_close_matches(argv[i], COMMANDS, n=1, cutoff=0.6)
    return (argv[i], close[0]) if close else None


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
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        lang = _lang_of(argv) or resolve_lang()
    except ValueError:
        message = text("cli.bad_env_lang", "ru", value=os.environ.get("TPCHECK_LANG"))
        print(text("cli.error", "ru", message=message), file=sys.stderr)
        return EXIT_USAGE
    parser = build_parser(lang)
    with _argparse_in(lang):
        mistyped = _mistyped_command(argv)
        if mistyped:
            typed, meant = mistyped
            parser.error(text("cli.unknown_command", lang, command=typed, suggestion=meant))
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return EXIT_USAGE
    terminated = _terminate_as_interrupt()
    try:
        return COMMANDS[args.command][1](args)
    except TpcheckError as exc:
        message = safe(exc.message(args.lang), lines=True)
        print(text("cli.error", args.lang, message=message), file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        cause = _os_cause(exc)  # the disk, not the data: full, read-only, no access
        if cause is None:
            raise
        message = safe(_os_error(cause, args.lang), lines=True)
        print(text("cli.error", args.lang, message=message), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(text("cli.interrupted", args.lang), file=sys.stderr)
        return 128 + signal.SIGTERM if terminated else 130
