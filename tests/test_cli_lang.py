"""The command's language: ``--lang`` before or after the command, ``TPCHECK_LANG``, every
``--help`` and argparse's own messages in it, English summaries of publish and diff, and a
suggestion for a mistyped command."""

from __future__ import annotations

import re

import pytest

from tpcheck.cli import main

from . import publish_data as data
from .test_publish_cli import submissions, write_workbook  # noqa: F401

#: The regulation's own terms, kept in Russian in English output (as «п. 3.5» is).
REGULATION_TERMS = ("Перечень", "Перечня", "п.")


def cyrillic_outside_quotes(output: str) -> list[str]:
    """The lines of *output* with Cyrillic outside «…» quoted data and the regulation's terms."""
    found = []
    for line in output.splitlines():
        outside = re.sub(r"«[^»]*»", "", line)
        for term in REGULATION_TERMS:
            outside = outside.replace(term, "")
        if re.search(r"[А-Яа-яЁё]", outside):
            found.append(line)
    return found


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``tpcheck *argv*`` (argparse's exits included)."""
    try:
        code = main(argv)
    except SystemExit as stopped:
        code = stopped.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_helper_sees_cyrillic_outside_quotes():
    assert cyrillic_outside_quotes("Rows: 3\n  «Внешний клиент»: 2 (п. 5.3)") == []
    assert cyrillic_outside_quotes("Rows: 3\nСтрок: 3") == ["Строк: 3"]


@pytest.mark.parametrize("where", ["before", "after"])
def test_merge_help_in_english_has_no_cyrillic(where, capsys):
    argv = (
        ["--lang", "en", "merge", "--help"]
        if where == "before"
        else ["merge", "--help", "--lang", "en"]
    )
    code, out, _ = run(argv, capsys)
    assert code == 0
    assert out.startswith("usage: tpcheck merge")
    assert "options:" in out and "show this help message and exit" in out
    assert cyrillic_outside_quotes(out) == []


def test_every_help_in_english_has_no_cyrillic(capsys):
    for argv in (
        ["--help"],
        *(
            [name, "--help"]
            for name in ("template", "check", "publish", "diff", "approve", "status")
        ),
    ):
        code, out, _ = run(["--lang", "en", *argv], capsys)
        assert code == 0 and out.startswith("usage: tpcheck")
        assert cyrillic_outside_quotes(out) == [], argv


def test_help_is_russian_by_default(capsys, monkeypatch):
    monkeypatch.delenv("TPCHECK_LANG", raising=False)
    code, out, _ = run(["merge", "--help"], capsys)
    assert code == 0
    assert out.startswith("использование: tpcheck merge")
    assert "параметры:" in out and "папка для результатов" in " ".join(out.split())


def test_tpcheck_lang_env_sets_the_help_language(capsys, monkeypatch):
    monkeypatch.setenv("TPCHECK_LANG", "en")
    code, out, _ = run(["merge", "--help"], capsys)
    assert code == 0 and "folder for the results" in " ".join(out.split())
    code, out, _ = run(["--lang", "ru", "merge", "--help"], capsys)  # --lang wins
    assert code == 0 and "папка для результатов" in " ".join(out.split())


def test_a_bad_tpcheck_lang_is_a_usage_error(capsys, monkeypatch):
    monkeypatch.setenv("TPCHECK_LANG", "de")
    assert run(["merge", "--help"], capsys)[0::2] == (
        2,
        "Ошибка: переменная окружения TPCHECK_LANG=de: язык должен быть ru или en\n",
    )


@pytest.mark.parametrize(
    ("argv", "last_line"),
    [
        (["merge", "vhod"], "Ошибка: не указаны обязательные аргументы: -o/--output"),
        (
            ["--lang", "en", "merge", "vhod"],
            "Error: the following arguments are required: -o/--output",
        ),
        (
            ["merge", "vhod", "--lang", "en"],
            "Error: the following arguments are required: -o/--output",
        ),
        (["check", "a.xlsx", "--bogus"], "Ошибка: непонятные аргументы: --bogus"),
        (["--lang", "en", "check", "a.xlsx", "--bogus"], "Error: unrecognized arguments: --bogus"),
        (
            ["template", "--lang", "fr"],
            "Ошибка: аргумент --lang: недопустимое значение: 'fr' (допустимы: 'ru', 'en')",
        ),
        (
            ["diff", "a", "b", "--changed-on", "2025-02-30", "--lang", "en"],
            "Error: argument --changed-on: «2025-02-30» is not a date; write it as DD.MM.YYYY or "
            "YYYY-MM-DD, e.g. 17.01.2025",
        ),
    ],
)
def test_argparse_errors_in_the_chosen_language(argv, last_line, capsys, monkeypatch):
    monkeypatch.delenv("TPCHECK_LANG", raising=False)
    code, _, err = run(argv, capsys)
    assert code == 2
    assert err.splitlines()[-1] == last_line
    assert err.startswith("usage: " if "en" in argv else "использование: ")


@pytest.mark.parametrize(
    ("argv", "last_line"),
    [
        (
            ["mrege", "vhod", "-o", "out"],
            "Ошибка: неизвестная команда «mrege»; возможно, имелось в виду «merge»",
        ),
        (["--lang", "en", "mrege"], "Error: unknown command «mrege»; did you mean «merge»?"),
        (
            ["pubish", "x", "--lang", "en"],
            "Error: unknown command «pubish»; did you mean «publish»?",
        ),
    ],
)
def test_a_mistyped_command_gets_did_you_mean(argv, last_line, capsys, monkeypatch):
    monkeypatch.delenv("TPCHECK_LANG", raising=False)
    code, out, err = run(argv, capsys)
    assert (code, out, err.splitlines()[-1]) == (2, "", last_line)


def test_an_unknown_command_far_from_any_is_argparse_invalid_choice(capsys, monkeypatch):
    monkeypatch.delenv("TPCHECK_LANG", raising=False)
    code, _, err = run(["--lang", "en", "zzz"], capsys)
    assert code == 2
    assert err.splitlines()[-1].startswith("Error: argument COMMAND: invalid choice: 'zzz'")


@pytest.mark.parametrize("where", ["before", "after"])
def test_publish_in_english_prints_no_cyrillic(where, submissions, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "out"
    argv = ["publish", str(submissions), "-o", str(out), "--as-of", "2026-01-15"]
    argv = ["--lang", "en", *argv] if where == "before" else [*argv, "--lang", "en"]
    code, stdout, stderr = run(argv, capsys)
    assert code == 0  # since issue 16 no fixture row has a blocking finding
    assert "Rows published: 9, left out for errors: 0." in stdout
    assert "channel from the type: 1" in stdout
    assert f"Publication files written to the folder {out}" in stdout
    assert cyrillic_outside_quotes(stdout + stderr) == []
    # the publication itself stays Russian whatever --lang says (RUSSIAN_ONLY)
    assert "Точки взаимодействия" in (out / "perechen.html").read_text(encoding="utf-8")


def test_diff_in_english_prints_no_cyrillic(submissions, tmp_path, capsys):  # noqa: F811
    new = tmp_path / "new"
    new.mkdir()
    rows = data.rows()
    rows[data.INFO][1]["needs"] = "1; 2"
    for name, file_rows in rows.items():
        write_workbook(new / name, file_rows)
    services = sorted({row["activity"] for rows in data.rows().values() for row in rows})
    old_registry = tmp_path / "reestr_old.csv"
    new_registry = tmp_path / "reestr_new.csv"
    old_registry.write_text("direction;activity\n" + "".join(f"6;{s}\n" for s in services), "utf-8")
    new_registry.write_text(old_registry.read_text("utf-8") + "6;Оповещение населения\n", "utf-8")
    out = tmp_path / "diff"
    argv = ["--lang", "en", "diff", str(submissions), str(new), "--changed-on", "2024-12-25"]
    argv += [
        "-o",
        str(out),
        "--registry-old",
        str(old_registry),
        "--registry-new",
        str(new_registry),
    ]
    code, stdout, stderr = run(argv, capsys)
    assert code == 0  # every row is published (issue 16), so every row is compared
    assert stdout.startswith("Changes: 1 (added 0, removed 0, changed 1).")
    assert "Included in the register (1): «Оповещение населения»" in stdout
    assert "publish the new version on the site by 17.01.2025 (10 working days, п. 5.5)" in stdout
    assert f"Change report written to the folder {out}" in stdout
    assert cyrillic_outside_quotes(stdout + stderr) == []


def test_diff_summary_stays_russian_by_default(submissions, tmp_path, capsys, monkeypatch):  # noqa: F811
    monkeypatch.delenv("TPCHECK_LANG", raising=False)
    code, stdout, _ = run(
        ["diff", str(submissions), str(submissions), "--changed-on", "2024-12-25"], capsys
    )
    assert code == 0
    assert stdout.startswith("Изменений: 0 (добавлено 0, исключено 0, изменено 0).")


def test_an_exception_keeps_both_languages():
    from tpcheck.errors import InputError, OutputError

    error = InputError(key="errors.no_such_input", values={"path": "a.xlsx"})
    assert str(error) == "Нет такого файла или папки: «a.xlsx»."
    assert error.message("en") == "No such file or folder: «a.xlsx»."
    assert OutputError("как есть").message("en") == "как есть"  # a plain message stays as given


@pytest.mark.parametrize(
    ("argv", "err"),
    [
        (["merge", "nope.xlsx", "-o", "out"], "Error: no such file or folder: nope.xlsx\n"),
        (["publish", "nope", "-o", "out"], "Error: No such file or folder: «nope».\n"),
        (
            ["check", "vhod", "-o", "vhod"],
            "Error: The result cannot be written to «vhod»: it is one of the input folders. "
            "Choose another folder or name.\n",
        ),
    ],
)
def test_usage_errors_of_the_library_in_english(argv, err, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "vhod").mkdir()
    code, _, stderr = run([*argv, "--lang", "en"], capsys)
    assert (code, stderr) == (2, err)
    assert cyrillic_outside_quotes(stderr) == []


def _command_list(out: str) -> dict[str, str]:
    """The command list of ``tpcheck --help``: name → its one-line description (unwrapped)."""
    listed: dict[str, str] = {}
    name = None
    for line in out.split("\n\n")[2].splitlines()[2:]:  # after «positional arguments:», COMMAND
        if line.startswith("    ") and not line.startswith("     "):
            name, _, rest = line.strip().partition(" ")
            listed[name] = rest.strip()
        elif name:
            listed[name] += " " + line.strip()
    return listed


def test_the_command_list_in_english_has_no_cyrillic_at_all(capsys):
    from tpcheck.cli import COMMANDS

    code, out, _ = run(["--lang", "en", "--help"], capsys)
    assert code == 0
    listed = _command_list(out)
    assert list(listed) == list(COMMANDS)
    assert listed["approve"].startswith("approve a version of the list (clause 5.1)")
    assert listed["status"].startswith("the register of versions: the subdivisions' reports")
    assert re.findall(r"[А-Яа-яЁё]+", out) == []  # the description and epilog too


def test_the_command_list_in_russian(capsys, monkeypatch):
    monkeypatch.delenv("TPCHECK_LANG", raising=False)
    code, out, _ = run(["--help"], capsys)
    assert code == 0
    listed = _command_list(out)
    assert list(listed) == ["template", "check", "merge", "publish", "diff", "approve", "status"]
    assert listed["approve"].startswith("утвердить версию Перечня (п. 5.1)")
    assert listed["status"].startswith("реестр версий: сообщения подразделений об изменениях")
    assert all(re.search(r"[А-Яа-яЁё]", text) for text in listed.values())
