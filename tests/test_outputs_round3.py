"""Issue 15, outputs: what the writers keep, refuse and leave behind (round 3).

Each test reproduces a defect found by an adversarial user on the writing side: marks, limits of
the xlsx format, the output folder's contents after a rerun or a failed one.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

import tpcheck
from tpcheck.cli import main
from tpcheck.reading.discover import discover
from tpcheck.write import consolidated, issues_table
from tpcheck.write.xlsx import MAX_LINKS, Links, Styles

from .read_helpers import HEADERS, quiet, write_book, xlsxwriter_book

# ------------------------------------------------------------------ extra-column headers


def test_extra_column_headers_that_look_like_formulas_keep_the_text_mark(tmp_path):
    inbox = tmp_path / "inbox"
    extras = ["=СУММ(A1:A2)", "@кто"]
    inbox.mkdir()
    width = len(HEADERS)
    far = {(0, width + i): text for i, text in enumerate(extras)}
    far.update({(1, width): "x", (1, width + 1): "y"})
    xlsxwriter_book(inbox / "a.xlsx", [quiet(1)], text=True, far=far)
    out = tmp_path / "out"
    tpcheck.merge(inbox).write(out, workers=1)

    def marks(path: Path, sheet: str) -> dict[str, bool]:
        book = openpyxl.load_workbook(path)
        found = {}
        for row in book[sheet].iter_rows(max_row=3):
            for cell in row:
                if cell.value in extras:
                    found[cell.value] = bool(cell.quotePrefix)
        return found

    expected = dict.fromkeys(extras, True)
    assert marks(out / "perechen_svodny.xlsx", "Перечень") == expected
    assert marks(next((out / "vozvrat").glob("*.xlsx")), "Перечень") == expected


# ------------------------------------------------------------------ text longer than a cell


def test_an_extra_column_text_longer_than_a_cell_is_a_finding(tmp_path):
    """openpyxl and Excel cut a cell at 32,767 characters; a CSV does not."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with open(inbox / "a.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow([*HEADERS, "Доп. сведения"])
        writer.writerow([*quiet(1), "ж" * 32_768])
        writer.writerow([*quiet(2), "ж" * 32_767])
    result = tpcheck.merge(inbox)
    found = [i for i in result.report.records if i.code == "text-too-long"]
    assert [(i.row, i.column, i.cell, i.severity) for i in found] == [
        (2, "Доп. сведения", "R2", "error")
    ]
    assert "32768" in found[0].message and "32767" in found[0].message


# ------------------------------------------------------------------ publish of nothing


@pytest.fixture
def good_publication(tmp_path) -> tuple[Path, dict[str, bytes]]:
    """A folder holding a publication of one row, and its files' contents."""
    inbox = tmp_path / "inbox"
    write_book(inbox / "a.xlsx", [quiet(1)])
    out = tmp_path / "pub"
    assert main(["publish", str(inbox), "-o", str(out)]) == 0
    return out, {p.name: p.read_bytes() for p in out.iterdir()}


def test_publishing_the_template_keeps_the_good_publication(good_publication, tmp_path, capsys):
    out, before = good_publication
    template = tmp_path / "shablon.xlsx"
    assert main(["template", "-o", str(template)]) == 0
    capsys.readouterr()
    assert main(["publish", str(template), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "нет ни одной строки сведений" in err and "shablon.xlsx" in err
    assert "--allow-empty" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_publishing_changes_xlsx_is_refused(good_publication, tmp_path, capsys):
    old, new = tmp_path / "old", tmp_path / "new"
    write_book(old / "a.xlsx", [quiet(1)])
    write_book(new / "a.xlsx", [quiet(1), quiet(2)])
    assert main(["diff", str(old), str(new), "-o", str(tmp_path / "d")]) == 0
    out, before = good_publication
    changes = next((tmp_path / "d").glob("*.xlsx"))
    capsys.readouterr()
    assert main(["publish", str(changes), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Публиковать нечего" in err and "changes.xlsx" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_an_empty_publication_when_asked_for(tmp_path, capsys):
    template = tmp_path / "shablon.xlsx"
    assert main(["template", "-o", str(template)]) == 0
    out = tmp_path / "pub"
    assert main(["publish", str(template), "-o", str(out), "--allow-empty"]) == 0
    assert (out / "publication.json").exists()
    with pytest.raises(tpcheck.InputError, match="нет ни одной строки"):
        tpcheck.publish(template)


# ------------------------------------------------------------------ outputs inside the inputs


@pytest.mark.parametrize("command", ["merge", "check", "publish"])
def test_an_output_folder_inside_the_input_folder_is_refused(command, tmp_path, capsys):
    inbox = tmp_path / "inbox"
    write_book(inbox / "a.xlsx", [quiet(1)])
    out = inbox / "svodka"
    assert main([command, str(inbox), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "внутри входной папки" in err and "Traceback" not in err
    assert not out.exists()
    assert sorted(p.name for p in inbox.iterdir()) == ["a.xlsx"]


def test_a_diff_output_inside_an_input_folder_is_refused(tmp_path, capsys):
    old, new = tmp_path / "old", tmp_path / "new"
    write_book(old / "a.xlsx", [quiet(1)])
    write_book(new / "a.xlsx", [quiet(1), quiet(2)])
    assert main(["diff", str(old), str(new), "-o", str(new / "d")]) == 2
    assert "внутри входной папки" in capsys.readouterr().err
    assert not (new / "d").exists()


def test_the_library_refuses_an_output_inside_the_input_folder(tmp_path):
    inbox = tmp_path / "inbox"
    write_book(inbox / "a.xlsx", [quiet(1)])
    with pytest.raises(tpcheck.OutputError, match="внутри входной папки"):
        tpcheck.merge(inbox).write(inbox / "deeper" / "out")


# ------------------------------------------------------------------ more findings than links


def _links(path: Path, sheet: str, column: int = 1) -> tuple[int, list[str]]:
    """Hyperlinks in *column* of *sheet*, and the texts of its cells without one."""
    book = openpyxl.load_workbook(path)
    links, plain = 0, []
    for (cell,) in book[sheet].iter_rows(min_col=column, max_col=column):
        if cell.hyperlink is not None:
            links += 1
        elif isinstance(cell.value, str) and "!" in cell.value:
            plain.append(cell.value)
    return links, plain


def test_findings_beyond_the_link_limit_keep_their_address_as_text(tmp_path, monkeypatch, capfd):
    monkeypatch.setattr("tpcheck.write.xlsx.MAX_LINKS", 3)
    inbox = tmp_path / "inbox"
    bad = {"direction": "не из списка", "client": "кто-то", "activity_kind": "иное"}
    write_book(inbox / "a.xlsx", [quiet(n, **bad) for n in range(1, 4)])
    result = tpcheck.merge(inbox)
    located = sum(1 for i in result.report.records if i.row is not None)
    assert located > 6
    out = tmp_path / "out"
    result.write(out, workers=1)
    copy = next((out / "vozvrat").glob("*.xlsx"))
    links, plain = _links(copy, "Замечания")
    assert links == 3 and len(plain) >= located - 3 - 2  # «Где» of the header's findings aside
    assert plain[0].startswith("Перечень!")
    links, plain = _links(out / "perechen_svodny.xlsx", "Ошибки")
    assert links == 3 and plain
    assert "URL" not in capfd.readouterr().err


def test_the_link_limit_is_the_one_of_xlsxwriter_and_nothing_is_printed(capfd):
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    sheet = book.add_worksheet()
    links = Links(sheet, Styles(book))
    for number in range(MAX_LINKS + 5):
        links.write(number, 0, ("Перечень", number, 1))
    assert links.count == MAX_LINKS == 65_530
    assert capfd.readouterr().err == ""  # xlsxwriter warns for every link beyond its limit


# ------------------------------------------------------------------ an unreadable sub-folder


def _unlisted(monkeypatch, folder: Path) -> None:
    """Listing *folder* fails as it does without the permission (tests run as root, whom
    ``chmod 000`` does not stop)."""
    real = os.scandir

    def scandir(path=".", *args):
        if Path(os.fsdecode(path)) == folder:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real(path, *args)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_sub_folder_is_listed_as_unreadable(tmp_path, monkeypatch, capsys):
    inbox = tmp_path / "inbox"
    write_book(inbox / "a.xlsx", [quiet(1)])
    write_book(inbox / "otdel" / "b.xlsx", [quiet(2)])
    _unlisted(monkeypatch, inbox / "otdel")
    out = tmp_path / "out"
    assert main(["merge", str(inbox), "-o", str(out)]) == 1
    terminal = capsys.readouterr().out
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    folder = str(inbox / "otdel")
    (info,) = [f for f in report["files"] if f["path"] == folder]
    assert (info["status"], info["reason"]) == ("unreadable", "нет доступа")
    (item,) = [i for i in report["issues"] if i["code"] == "folder-unreadable"]
    assert item["file"] == folder and "не вошли" in item["message"]
    assert report["summary"]["files_unreadable"] == 1
    assert re.search(r"не прочитано\W+1\b", terminal), terminal
    assert "otdel" in (out / "oshibki.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in (out / "vozvrat").iterdir()) == ["a_zamechaniya.xlsx"]


@pytest.mark.skipif(not hasattr(os, "setuid"), reason="POSIX users")
def test_a_folder_without_permission_is_unreadable_for_a_plain_user(tmp_path):
    """The real thing: ``chmod 000`` and a user it stops (as root: a forked child turned
    «nobody»)."""
    base = Path(tempfile.mkdtemp(prefix="tpcheck-perm-"))
    try:
        base.chmod(0o755)
        (base / "closed").mkdir()
        (base / "open.csv").write_text("x", encoding="utf-8")
        (base / "closed").chmod(0)

        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: a plain user, the listing sent back through the pipe
            try:
                if os.geteuid() == 0:
                    os.setgid(65534)
                    os.setuid(65534)
                found = [(Path(c.path).name, c.unreadable) for c in discover(base)]
                os.write(writing, json.dumps(found).encode())
            finally:
                os._exit(0)
        os.close(writing)
        with os.fdopen(reading, "rb") as pipe:
            found = [tuple(item) for item in json.loads(pipe.read() or b"null")]
        os.waitpid(pid, 0)
        assert found == [("closed", "EACCES"), ("open.csv", None)]
    finally:
        (base / "closed").chmod(0o755)
        shutil.rmtree(base)


# ------------------------------------------------------------------ more rows than a sheet holds


def test_a_sheet_holds_excels_rows_less_the_header():
    assert consolidated.MAX_DATA_ROWS == 1_048_576 - 1


def test_rows_beyond_a_sheet_continue_on_the_next_one(tmp_path, monkeypatch):
    monkeypatch.setattr(consolidated, "MAX_DATA_ROWS", 3)
    inbox = tmp_path / "inbox"
    rows = [quiet(n) for n in range(1, 8)]
    rows[4] = quiet(5, direction="не из списка")  # a finding on the second sheet
    write_book(inbox / "a.xlsx", rows)
    out = tmp_path / "out"
    tpcheck.merge(inbox).write(out, workers=1)
    book = openpyxl.load_workbook(out / "perechen_svodny.xlsx")
    names = ["Перечень", "Перечень (2)", "Перечень (3)"]
    assert book.sheetnames[:3] == names
    by_sheet = {}
    for name in names:
        sheet = book[name]
        header = [cell.value for cell in sheet[1]]
        assert header[0] == HEADERS[0]
        column = header.index("Строка") + 1
        by_sheet[name] = [sheet.cell(r, column).value for r in range(2, sheet.max_row + 1)]
    assert by_sheet == {names[0]: [3, 4, 5], names[1]: [6, 7, 8], names[2]: [9]}
    errors = book["Ошибки"]
    targets = [
        cell.hyperlink.location
        for (cell,) in errors.iter_rows(min_col=1, max_col=1)
        if cell.hyperlink is not None
    ]
    assert targets and all(t.startswith("'Перечень (2)'!") and t.endswith("3") for t in targets)
    marked = book["Перечень (2)"].cell(3, 2)  # B: the direction
    assert marked.comment is not None


# ------------------------------------------------------------------ one run's outputs


def _contents(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_a_rerun_with_fewer_files_leaves_no_stale_return_copy(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    for number, name in enumerate(("a", "b", "c"), start=1):
        write_book(inbox / f"{name}.xlsx", [quiet(number)])
    out = tmp_path / "out"
    assert main(["merge", str(inbox), "-o", str(out)]) == 0
    assert len(list((out / "vozvrat").iterdir())) == 3
    (out / "vozvrat" / "zametki_zamechaniya.xlsx").write_bytes(b"not tpcheck's")  # kept
    (out / "vozvrat" / "spisok.txt").write_text("not tpcheck's")
    (inbox / "b.xlsx").unlink()
    (inbox / "c.xlsx").unlink()
    capsys.readouterr()
    assert main(["merge", str(inbox), "-o", str(out)]) == 0
    left = sorted(p.name for p in (out / "vozvrat").iterdir())
    assert left == ["a_zamechaniya.xlsx", "spisok.txt", "zametki_zamechaniya.xlsx"]
    terminal = capsys.readouterr().out
    assert "Удалены файлы прежнего запуска, которых этот запуск не пишет" in terminal
    assert "vozvrat/b_zamechaniya.xlsx" in terminal and "vozvrat/c_zamechaniya.xlsx" in terminal
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["removed_return_copies"] == [
        "vozvrat/b_zamechaniya.xlsx",
        "vozvrat/c_zamechaniya.xlsx",
    ]


def test_check_keeps_a_return_copy_given_as_its_input(tmp_path):
    """A clerk checks the return copy they fixed, into the folder it lies in."""
    folder = tmp_path / "mine"
    write_book(folder / "a.xlsx", [quiet(1)])
    assert main(["check", str(folder / "a.xlsx"), "-o", str(folder)]) == 0
    fixed = folder / "a_zamechaniya.xlsx"
    before = fixed.read_bytes()
    main(["check", str(fixed), "-o", str(folder)])
    assert fixed.read_bytes() == before


def test_a_failed_write_leaves_the_previous_set_and_its_stale_copies(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    for number, name in enumerate(("a", "b"), start=1):
        write_book(inbox / f"{name}.xlsx", [quiet(number)])
    out = tmp_path / "out"
    tpcheck.merge(inbox).write(out, workers=1)
    before = _contents(out)
    (inbox / "b.xlsx").unlink()

    def broken(*args, **kwargs):
        raise RuntimeError("killed in the middle")

    monkeypatch.setattr("tpcheck.write.write_errors_csv", broken)
    result = tpcheck.merge(inbox)
    with pytest.raises(RuntimeError):
        result.write(out, workers=1)
    assert _contents(out) == before
    assert "removed_return_copies" not in result.report.summary  # nothing was removed


def test_a_run_stopped_while_moving_leaves_no_record_of_another_run(tmp_path, monkeypatch):
    """Stopped after the first files are in place: report.json of the earlier run is gone
    (it would describe files that are no longer its own), none of the new run is there."""
    inbox = tmp_path / "inbox"
    write_book(inbox / "a.xlsx", [quiet(1)])
    out = tmp_path / "out"
    tpcheck.merge(inbox).write(out, workers=1)
    assert (out / "report.json").exists()
    write_book(inbox / "b.xlsx", [quiet(2)])
    real = os.replace
    moved = []

    def replace(source, target):
        if len(moved) == 2:
            raise KeyboardInterrupt
        moved.append(Path(target).name)
        return real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        tpcheck.merge(inbox).write(out, workers=1)
    assert "report.json" not in moved
    assert not (out / "report.json").exists()
    assert not list(out.rglob("*.part"))


def test_a_sheet_holds_as_many_findings_as_excel_rows_less_the_header():
    assert issues_table.MAX_ISSUE_ROWS == 1_048_576 - 1


def test_findings_beyond_a_sheet_continue_on_the_next_one(tmp_path, monkeypatch):
    monkeypatch.setattr(issues_table, "MAX_ISSUE_ROWS", 8)
    inbox = tmp_path / "inbox"
    bad = {"direction": "не из списка", "client": "кто-то", "activity_kind": "иное"}
    write_book(inbox / "a.xlsx", [quiet(n, **bad) for n in range(1, 7)])
    result = tpcheck.merge(inbox)
    count = len(result.report.records)
    assert count > 16
    out = tmp_path / "out"
    result.write(out, workers=1)

    def sheets(path: Path, name: str, room: int, top: int) -> None:
        parts = -(-count // room)
        names = [name, *(f"{name} ({n})" for n in range(2, parts + 1))]
        book = openpyxl.load_workbook(path)
        assert [n for n in book.sheetnames if n.startswith(name)] == names, path.name
        sizes = [book[n].max_row - top - 1 for n in names]
        assert sizes == [room] * (parts - 1) + [count - room * (parts - 1)], path.name

    sheets(out / "perechen_svodny.xlsx", "Ошибки", 8, 0)
    sheets(out / "oshibki.xlsx", "Ошибки", 8, 0)
    sheets(out / "vozvrat" / "a_zamechaniya.xlsx", "Замечания", 4, 4)
    links, plain = _links(out / "vozvrat" / "a_zamechaniya.xlsx", "Замечания (2)")
    assert links == 4 and not plain  # the links of the second part, on its own rows
