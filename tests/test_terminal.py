"""What a person sees on the terminal, run as they run it (``tpcheck …`` in process, output
captured, at a given ``COLUMNS``): the reason of every file not read, file names cut from the
left on a narrow terminal, an empty folder explained, publish's files and its two parts, and file
names that are shown, never obeyed (rich markup, escape sequences)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tpcheck.terminal_text import safe, shorten, shorten_all

from .test_cli_lang import run
from .test_merge_cli import valid_row, write_input
from .test_publish_cli import submissions, write_workbook  # noqa: F401


def folder_with_problems(folder: Path, extra_txt: int = 0) -> Path:
    """One good workbook, one that is not a workbook, a text file, a lock file."""
    write_input(folder / "otdel.xlsx", [valid_row()])
    (folder / "slomannyj.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (folder / "readme.txt").write_text("hello", encoding="utf-8")
    (folder / "~$otdel.xlsx").write_bytes(b"lock")
    for i in range(extra_txt):
        (folder / f"zametka_{i:02}.txt").write_text("x", encoding="utf-8")
    return folder


# ------------------------------------------------------------ 1. why each file was not read


@pytest.mark.parametrize("command", ["check", "merge"])
def test_every_file_not_read_is_listed_with_its_reason(command, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = folder_with_problems(Path("in"))
    code, out, _ = run([command, "in", "-o", "out"], capsys)
    assert code == 1
    lines = out.splitlines()
    start = lines.index("Не прочитаны или пропущены файлы (3):")
    assert lines[start + 1 : start + 4] == [
        f"  {folder}/readme.txt — пропущен: не таблица (расширение .txt)",
        f"  {folder}/slomannyj.xlsx — не прочитан: Файл не удалось прочитать: архив поврежден "
        "или обрезан (это не zip-архив). Его строки не вошли в сводный Перечень.",
        f"  {folder}/~$otdel.xlsx — пропущен: файл блокировки Excel или LibreOffice "
        "(появляется, пока книга открыта)",
    ]


def test_the_first_twenty_are_listed_then_counted(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder_with_problems(Path("in"), extra_txt=20)
    out = Path("out")
    code, stdout, _ = run(["merge", "in", "-o", "out"], capsys)
    assert code == 1
    lines = stdout.splitlines()
    start = lines.index("Не прочитаны или пропущены файлы (23):")
    listed = lines[start + 1 : start + 21]
    assert all(" — пропущен: " in line or " — не прочитан: " in line for line in listed)
    assert lines[start + 21] == f"  … и еще файлов: 3 — см. {out / 'oshibki.html'}"


@pytest.mark.parametrize("command", ["check", "merge", "publish"])
def test_english_reasons(command, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_input(Path("in/otdel.xlsx"), [valid_row()])
    Path("in/readme.txt").write_text("x", encoding="utf-8")
    Path("in/~$otdel.xlsx").write_bytes(b"lock")
    _, out, _ = run(["--lang", "en", command, "in", "-o", "o"], capsys)
    lines = out.splitlines()
    start = lines.index("Files not read or skipped (2):")
    assert lines[start + 1 : start + 3] == [
        "  in/readme.txt — skipped: not a spreadsheet (.txt)",
        "  in/~$otdel.xlsx — skipped: Excel or LibreOffice lock file (exists while the "
        "workbook is open)",
    ]


def test_publish_lists_the_skipped_files(submissions, tmp_path, capsys, monkeypatch):  # noqa: F811
    monkeypatch.chdir(submissions)
    Path("readme.txt").write_text("x", encoding="utf-8")
    code, out, _ = run(["publish", ".", "-o", str(tmp_path / "pub")], capsys)
    assert code == 0
    assert "Не прочитаны или пропущены файлы (1):" in out
    assert "  ./readme.txt — пропущен: не таблица (расширение .txt)" in out


def test_publish_lists_twenty_files_not_read_once(submissions, tmp_path, capsys):  # noqa: F811
    for i in range(21):
        (submissions / f"slomannyj_{i:02}.xlsx").write_bytes(b"garbage %d" % i)
    out = tmp_path / "pub"
    code, stdout, _ = run(["publish", str(submissions), "-o", str(out)], capsys)
    assert code == 1
    lines = stdout.splitlines()
    start = lines.index("Не прочитаны или пропущены файлы (21):")
    assert all(
        " — не прочитан: Файл — не таблица" in line for line in lines[start + 1 : start + 21]
    )
    assert lines[start + 21] == f"  … и еще файлов: 1 — см. {out / 'publication_report.xlsx'}"
    assert not any(line.startswith("  Не вошла: slomannyj") for line in lines)  # not twice


def test_diff_lists_the_files_not_read(submissions, tmp_path, capsys, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    new = Path("new")
    shutil.copytree(submissions, new)
    (new / "slomannyj.xlsx").write_bytes(b"garbage")
    (new / "readme.txt").write_text("x", encoding="utf-8")
    code, out, _ = run(["diff", str(submissions), "new", "-o", "d"], capsys)
    assert code == 1
    lines = out.splitlines()
    start = lines.index("Не прочитаны или пропущены файлы (2):")
    assert lines[start + 1] == f"  {new}/readme.txt — пропущен: не таблица (расширение .txt)"
    assert lines[start + 2].startswith(f"  {new}/slomannyj.xlsx — не прочитан: Файл — не таблица")


def test_diff_counts_the_rest_without_a_report_to_point_to(submissions, tmp_path, capsys):  # noqa: F811
    for i in range(22):
        (submissions / f"zametka_{i:02}.txt").write_text("x", encoding="utf-8")
    code, out, _ = run(["diff", str(submissions), str(submissions)], capsys)
    assert code == 0
    lines = out.splitlines()
    assert "Не прочитаны или пропущены файлы (44):" in lines
    assert lines[-1] == "  … и еще файлов: 24"


# ------------------------------------------------------------ 2. names cut from the left


@pytest.mark.parametrize(
    ("name", "limit", "shown"),
    [
        ("a.xlsx", 10, "a.xlsx"),
        ("tp/samples/podrazdeleniya/Отдел_связи.xlsx", 24, "…/Отдел_связи.xlsx"),
        ("tp/samples/podrazdeleniya/Отдел_связи.xlsx", 34, "…/podrazdeleniya/Отдел_связи.xlsx"),
        ("tp/samples/podrazdeleniya/Отдел_связи.xlsx", 30, "…/Отдел_связи.xlsx"),
        ("tp/samples/Очень_длинное_имя_отдела_связи.xlsx", 20, "…я_отдела_связи.xlsx"),
    ],
)
def test_shorten_keeps_the_end(name, limit, shown):
    assert shorten(name, limit) == shown
    assert len(shorten(name, limit)) <= limit


def test_shorten_keeps_what_tells_names_apart():
    same_end = ["tp/samples/a/Отдел_связи/perechen.xlsx", "tp/samples/b/Отдел_связи/perechen.xlsx"]
    shown = shorten_all(same_end, 24)
    assert shown == ["…amples/a…/perechen.xlsx", "…amples/b…/perechen.xlsx"]
    years = ["in/Отдел_связи_2024.xlsx", "in/Отдел_связи_2025.xlsx"]
    assert shorten_all(years, 12) == ["…и_2024.xlsx", "…и_2025.xlsx"]
    assert all(len(s) <= 24 for s in shown)


def test_shorten_counts_wide_characters_as_two_columns():
    from rich.cells import cell_len

    names = ["in/通信部门报告_2024.xlsx", "in/通信部门报告_2025.xlsx", "in/отдел/📞связь.xlsx"]
    for limit in (8, 12, 16, 20):
        shown = shorten_all(names, limit)
        assert all(cell_len(s) <= limit for s in shown), (limit, shown)
        assert len(set(shown)) == len(shown)
    assert shorten("in/通信部门报告.xlsx", 19) == "…/通信部门报告.xlsx"
    assert shorten("in/通信部门报告.xlsx", 16) == "…信部门报告.xlsx"
    assert shorten("in/通信部门报告.xlsx", 12) == "…门报告.xlsx"


@pytest.fixture
def deep(tmp_path) -> Path:
    """Two workbooks in a folder whose path alone is longer than a narrow terminal."""
    folder = tmp_path / "tp" / "samples" / "podrazdeleniya_departamenta_2025_goda"
    write_input(folder / "Отдел_связи.xlsx", [valid_row()])
    write_input(folder / "Отдел_кадров.xlsx", [valid_row(touchpoint="Портал учреждения")])
    return folder


def test_a_narrow_terminal_shows_the_end_of_each_name(deep, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    code, out, _ = run(["check", str(deep), "-o", str(tmp_path / "out")], capsys)
    assert code == 0
    summary = out.split("Результаты записаны")[0].splitlines()
    names = [line for line in summary if line.endswith(".xlsx")]
    assert names == [
        "…/podrazdeleniya_departamenta_2025_goda/Отдел_кадров.xlsx",
        "…/podrazdeleniya_departamenta_2025_goda/Отдел_связи.xlsx",
    ]
    assert max(len(line) for line in summary) <= 60
    assert not any(line.rstrip().endswith("…") for line in summary)


def test_a_wide_terminal_shows_whole_names(deep, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(["check", str(deep), "-o", str(tmp_path / "out")], capsys)
    assert code == 0
    rows = [line for line in out.splitlines() if "прочитан" in line]
    names = sorted(line.split("│")[1].strip() for line in rows)
    assert names == [f"{deep}/Отдел_кадров.xlsx", f"{deep}/Отдел_связи.xlsx"]


# ------------------------------------------------------------ 3. a folder of no workbooks


def test_a_folder_without_workbooks_says_what_it_found(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = Path("pusto")
    folder.mkdir()
    (folder / "readme.txt").write_text("x", encoding="utf-8")
    (folder / "~$x.xlsx").write_bytes(b"lock")
    code, out, err = run(["check", "pusto", "-o", "out"], capsys)
    assert code == 2
    assert "Ошибок нет" not in out
    assert err == (
        f"Ошибка: в папке «{folder}» нет файлов таблиц (.csv, .ods, .ots, .xls, .xlsb, .xlsm, "
        ".xlsx, .xlt, .xltm, .xltx); пропущено файлов: 2 "
        f"({folder}/readme.txt — не таблица (расширение .txt); {folder}/~$x.xlsx — файл "
        "блокировки Excel или LibreOffice (появляется, пока книга открыта))\n"
    )


@pytest.mark.parametrize("command", ["publish", "diff"])
def test_publish_and_diff_of_no_workbooks_say_why(command, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("pusto").mkdir()
    Path("pusto/readme.txt").write_text("x", encoding="utf-8")
    Path("pusto/~$x.xlsx").write_bytes(b"lock")
    argv = ["publish", "pusto"] if command == "publish" else ["diff", "pusto", "pusto"]
    code, _, err = run([*argv, "-o", "out"], capsys)
    assert code == 2
    assert err == (
        "Ошибка: Ни один входной файл не прочитан: «pusto/readme.txt» — не таблица (расширение "
        ".txt); «pusto/~$x.xlsx» — файл блокировки Excel или LibreOffice (появляется, пока "
        "книга открыта).\n"
    )


def test_a_lock_file_given_by_name_is_not_called_a_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("~$otdel.xlsx").write_bytes(b"lock")
    code, out, err = run(["check", "~$otdel.xlsx"], capsys)
    assert code == 2 and "Ошибок нет" not in out
    assert err.startswith("Ошибка: среди входных файлов («~$otdel.xlsx») нет таблиц (.csv, .ods, ")
    assert err.endswith(
        "пропущено файлов: 1 (~$otdel.xlsx — файл блокировки Excel или LibreOffice "
        "(появляется, пока книга открыта))\n"
    )


def test_nothing_readable_gives_no_verdict_on_the_data(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(b"garbage")
    code, out, err = run(["merge", str(folder), "-o", str(tmp_path / "out")], capsys)
    assert code == 2
    assert "Ошибок нет" not in out and "Найдены ошибки" not in out
    assert "ни один входной файл не удалось прочитать (не прочитано: 1)" in err


# ------------------------------------------------------------ 4. publish: its files, its parts


def test_publish_names_its_files_and_explains_the_parts(submissions, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "pub"
    code, stdout, _ = run(["publish", str(submissions), "-o", str(out)], capsys)
    assert code == 0
    lines = stdout.splitlines()
    published = int(re.search(r"Строк опубликовано: (\d+)", stdout)[1])
    parts = [
        int(n) for n in re.findall(r"^  Точки взаимодействия с \w+ клиентом: (\d+)$", stdout, re.M)
    ]
    both = sum(parts) - published
    assert len(parts) == 2 and both > 0  # the data has a row for both clients
    assert (
        f"Строк, относящихся к обоим клиентам (внешнему и внутреннему), — {both}: каждая вошла "
        f"в обе части Перечня, поэтому части в сумме ({parts[0]} + {parts[1]} = {sum(parts)}) "
        f"больше числа опубликованных строк ({published})."
    ) in lines
    both_line = next(i for i, line in enumerate(lines) if "обоим клиентам" in line)
    assert lines[both_line - 2].startswith("  Точки взаимодействия с внешним клиентом: ")
    assert lines[both_line - 1].startswith("  Точки взаимодействия с внутренним клиентом: ")
    start = lines.index(f"Файлы публикации записаны в папку {out}")
    assert lines[start + 1 :] == [
        "  perechen.html — страница Перечня для сайта",
        "  perechen.xlsx — Перечень по форме приложения (для приказа и печати)",
        "  perechen.json — открытые данные (JSON)",
        "  perechen.csv — открытые данные (CSV)",
        "  publication_report.xlsx — внутренний отчет: что не вошло в публикацию и почему, "
        "что уточнено и скрыто",
        "  publication.json — то же для программ (JSON)",
    ]
    for line in lines[start + 1 :]:
        assert (out / line.split(" — ")[0].strip()).is_file()


def test_publish_without_rows_for_both_clients_says_nothing_of_it(tmp_path, capsys):
    write_input(tmp_path / "in" / "a.xlsx", [valid_row()])
    code, stdout, _ = run(["publish", str(tmp_path / "in"), "-o", str(tmp_path / "pub")], capsys)
    assert code == 0 and "Строк опубликовано: 1," in stdout
    assert "обоим клиентам" not in stdout


# ------------------------------------------------------------ 5. names shown, never obeyed

HOSTILE = {
    "[link=mailto:x@y.ru]a.xlsx": "[link=mailto:x@y.ru]a.xlsx",
    "[bold]b.xlsx": "[bold]b.xlsx",
    "\x1b[2Jc.xlsx": "\\x1b[2Jc.xlsx",
    "\x1b]0;okno\x07d.xlsx": "\\x1b]0;okno\\x07d.xlsx",
    "\x1b]8;;http:\x1b\\e.xlsx": "\\x1b]8;;http:\\x1b\\e.xlsx",
    "\x9bf.xlsx": "\\x9bf.xlsx",
    "\u202eg.xlsx": "\\u202eg.xlsx",
}


def test_safe_writes_out_every_control_character():
    assert safe("a\x1b[2Jb\x07\x9b\u202e\u2066\n") == "a\\x1b[2Jb\\x07\\x9b\\u202e\\u2066\\x0a"
    assert safe("строка 1\nстрока 2\x1b", lines=True) == "строка 1\nстрока 2\\x1b"


@pytest.fixture
def hostile(tmp_path) -> Path:
    folder = tmp_path / "in"
    for i, name in enumerate(HOSTILE):
        write_input(folder / name, [valid_row(touchpoint=f"Портал услуг {i}")])
    (folder / "\x1b[31mslomannyj.xlsx").write_bytes(b"garbage")
    (folder / "\x1b]0;x\x07.txt").write_text("x", encoding="utf-8")
    return folder


@pytest.mark.parametrize("columns", ["200", "60"])
@pytest.mark.parametrize("command", ["check", "merge", "publish", "diff"])
def test_hostile_names_are_shown_not_obeyed(
    command, columns, hostile, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("COLUMNS", columns)
    inputs = [str(hostile)] * (2 if command == "diff" else 1)
    code, out, err = run([command, *inputs, "-o", str(tmp_path / "out")], capsys)
    assert code == 1
    shown = out + err
    for bad in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert bad not in shown
    assert "\\x1b[31mslomannyj.xlsx" in shown  # the unreadable one, with its reason
    if command == "check":  # the table of check names every file
        flat = "".join(shown.split())
        for written in HOSTILE.values():
            assert written in flat, written


def test_the_progress_line_shows_names_escaped(hostile, tmp_path, capsys, monkeypatch):
    import tpcheck.terminal as terminal

    shown: list[str] = []

    class Recording(terminal.Progress):
        def update(self, task, **values):
            if values.get("description"):
                shown.append(values["description"])
            super().update(task, **values)

    monkeypatch.setattr(terminal, "_interactive", lambda: True)
    monkeypatch.setattr(terminal, "Progress", Recording)
    code, out, err = run(["merge", str(hostile), "-o", str(tmp_path / "out")], capsys)
    assert code == 1 and len(shown) == len(HOSTILE) + 2
    assert not any(bad in line for line in shown for bad in ("\x1b", "\x07", "\x9b", "\u202e"))
    assert any(line.endswith("\\[bold]b.xlsx") for line in shown)  # rich shows «[bold]b.xlsx»
    assert "\x1b" not in out + err


@pytest.mark.parametrize("columns", [30, 45, 60, 68, 69, 70, 90, 130])
def test_the_summary_fits_the_terminal(columns, deep, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(columns))
    (deep / "readme_o_tom_kak_zapolnyat_perechen_tochek_vzaimodejstviya.txt").write_text("x")
    code, out, _ = run(["check", str(deep), "-o", str(tmp_path / "out")], capsys)
    assert code == 0
    summary = out.split("Не прочитаны или пропущены")[0].splitlines()
    assert max(len(line.rstrip()) for line in summary) <= columns
    for name in ("Отдел_связи.xlsx", "Отдел_кадров.xlsx"):  # each file's own name is whole
        assert sum(name in line for line in summary) == 1, (name, summary)


@pytest.mark.skipif(os.sep == "\\", reason="a backslash separates folders on Windows")
def test_a_backslash_is_part_of_the_name_not_a_folder():
    name = safe("samples/podrazdeleniya/\x1b]8;;http:\x1b\\e.xlsx")  # \x1b\ (ST) in the name
    assert shorten(name, 30) == "…/\\x1b]8;;http:\\x1b\\e.xlsx"


def test_the_register_lines_show_names_escaped(hostile, tmp_path, capsys):
    argv = ["merge", str(hostile), "-o", str(tmp_path / "out"), "--register", str(tmp_path / "r")]
    code, out, err = run(argv, capsys)
    assert code == 1
    intake = [line for line in out.splitlines() if line.startswith("Записано в реестр версий")]
    assert len(intake) == len(HOSTILE)
    assert any("«\\x1b[2Jc.xlsx»" in line for line in intake)
    for bad in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert bad not in out + err
