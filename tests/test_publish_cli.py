"""``tpcheck publish`` and ``tpcheck diff`` on the command line, and end to end from workbooks."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import tpcheck
from tpcheck.classifiers import default_classifiers
from tpcheck.cli import main, parse_date
from tpcheck.output.config import output_spec
from tpcheck.output.kind import CONSOLIDATED, mark

from . import publish_data as data
from .conftest import ROOT


def write_workbook(
    path: Path,
    rows: list[dict],
    provenance: list[tuple] | None = None,
    *,
    consolidated: bool = False,
) -> Path:
    """A workbook laid out as the template: headers in row 1, the example row 2, data from row 3
    (with *provenance*, the consolidated workbook's «Файл», «Лист», «Строка» columns too, and
    its document property when *consolidated*)."""
    columns = default_classifiers().columns
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = default_classifiers().sheets.data
    headers = [c.template_header for c in columns]
    if provenance is not None:
        headers += list(output_spec().provenance_headers.values())
    sheet.append(headers)
    if provenance is None:
        sheet.append(
            [default_classifiers().sheets.example_marker] + [c.example for c in columns[1:]]
        )
    for index, row in enumerate(rows):
        values = [row.get(c.key) for c in columns]
        if provenance is not None:
            values += list(provenance[index])
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text as the clerk typed it, not a formula
    if consolidated:
        mark(book, CONSOLIDATED)
    book.save(path)
    return path


@pytest.fixture
def submissions(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, rows in data.rows().items():
        write_workbook(folder / name, rows)
    return folder


# ------------------------------------------------------------------ usage errors (no pipeline)


@pytest.mark.parametrize("bad", ["31.02.2025", "2024/12/25", "25.12.24", "2024-1-5", "завтра"])
def test_a_bad_date_is_a_usage_error(bad, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["diff", "a", "b", "--changed-on", bad])
    assert stopped.value.code == 2
    assert f"«{bad}» — не дата; укажите ее как ДД.ММ.ГГГГ или ГГГГ-ММ-ДД" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("25.12.2024", dt.date(2024, 12, 25)),
        ("5.1.2025", dt.date(2025, 1, 5)),
        ("2024-12-25", dt.date(2024, 12, 25)),
        (" 29.02.2024 ", dt.date(2024, 2, 29)),
    ],
)
def test_dates_as_tpcheck_prints_them_and_as_iso(written, date):
    assert parse_date(written) == date


def test_a_missing_input_is_a_usage_error(tmp_path, capsys):
    assert main(["publish", str(tmp_path / "nothing"), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == f"Ошибка: Нет такого файла или папки: «{tmp_path}/nothing».\n"


def test_publish_needs_an_output_folder(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["publish", "in"])
    assert stopped.value.code == 2
    assert "-o/--output" in capsys.readouterr().err


def test_python_m_tpcheck_diff_runs(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "tpcheck", "diff", "a", "b", "--changed-on", "2025-02-30"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert (done.returncode, done.stderr.splitlines()[-1]) == (
        2,
        "Ошибка: аргумент --changed-on: «2025-02-30» — не дата; укажите ее как ДД.ММ.ГГГГ или "
        "ГГГГ-ММ-ДД, например 17.01.2025",
    )


# ------------------------------------------------------------------ end to end


def test_publish_from_the_subdivisions_files(submissions, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["publish", str(submissions), "-o", str(out), "--as-of", "2026-01-15"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "perechen.csv",
        "perechen.html",
        "perechen.json",
        "perechen.xlsx",
        "publication.json",
        "publication_report.xlsx",
    ]
    report = json.loads((out / "publication.json").read_text(encoding="utf-8"))
    assert report["excluded"] == []
    assert [(Path(n["file"]).name, n["row"], n["code"]) for n in report["notices"]] == [
        (data.CONTROL, 4, "publish-channel-settled")
    ]
    assert report["summary"]["rows_published"] == 9
    printed = capsys.readouterr().out
    assert "Строк опубликовано: 9, не вошли из-за ошибок: 0." in printed
    assert "вид точки по ее типу — 1" in printed


def test_publish_strict_leaves_every_row_with_an_error_out(submissions, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["publish", str(submissions), "-o", str(out), "--as-of", "2026-01-15", "--strict"]
    assert main(argv) == 1
    report = json.loads((out / "publication.json").read_text(encoding="utf-8"))
    left_out = {(Path(e["file"]).name, e["row"]) for e in report["excluded"]}
    assert left_out == {(data.STAFF, 5), (data.CONTROL, 4)}
    assert report["summary"]["rows_published"] == 7
    printed = capsys.readouterr().out
    assert "Строк опубликовано: 7, не вошли из-за ошибок: 2." in printed
    # each row held back is named on the terminal with its file, row and reason
    assert f"  Не вошла: {data.CONTROL}, строка 4: " in printed


def test_publish_from_a_consolidated_workbook_names_the_original_rows(tmp_path):
    rows, origins = [], []
    for name, file_rows in data.rows().items():
        for offset, row in enumerate(file_rows):
            rows.append(row)
            origins.append((name, "Перечень", 3 + offset))
    merged = write_workbook(tmp_path / "svod.xlsx", rows, provenance=origins, consolidated=True)
    publication = tpcheck.publish(merged, strict=True)
    assert {(e["file"], e["row"]) for e in publication.to_dict()["excluded"]} == {
        (data.STAFF, 5),
        (data.CONTROL, 4),
    }
    assert publication.summary["rows_published"] == 7


def test_diff_of_two_folders(submissions, tmp_path, capsys):
    new = tmp_path / "new"
    new.mkdir()
    rows = data.rows()
    rows[data.INFO][1]["needs"] = "1; 2"
    for name, file_rows in rows.items():
        write_workbook(new / name, file_rows)
    out = tmp_path / "diff"
    code = main(["diff", str(submissions), str(new), "--changed-on", "2024-12-25", "-o", str(out)])
    assert code == 0  # every row is published (issue 16), so every row is compared
    payload = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    assert [(c["kind"], c["grounds"], c["touchpoint"]) for c in payload["changes"]] == [
        ("changed", ["3"], "Сообщество Департамента во ВКонтакте")
    ]
    assert payload["deadline"]["publish_by"] == "2025-01-17"
    assert "не позднее 17.01.2025" in capsys.readouterr().out


def test_diff_with_registries_on_the_command_line(submissions, tmp_path, capsys):
    services = sorted({row["activity"] for rows in data.rows().values() for row in rows})
    old = tmp_path / "reestr_old.csv"
    new = tmp_path / "reestr_new.csv"
    old.write_text("direction;activity\n" + "".join(f"6;{s}\n" for s in services), "utf-8")
    new.write_text(old.read_text("utf-8") + "6;Оповещение населения\n", "utf-8")
    out = tmp_path / "diff"
    argv = ["diff", str(submissions), str(submissions), "--changed-on", "2024-12-25"]
    code = main([*argv, "-o", str(out), "--registry-old", str(old), "--registry-new", str(new)])
    assert code == 0  # every row is published (issue 16), so every row is compared
    payload = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    assert payload["changes"] == []
    assert [(c["kind"], c["activity"]) for c in payload["registry_changes"]] == [
        ("included", "Оповещение населения")
    ]
    assert payload["summary"]["by_ground"]["1"] == 1
    text = capsys.readouterr().out
    assert "Включены в реестр (1): Оповещение населения" in text
    # the Перечень itself did not change: no deadline of п. 5.5 (issue 17)
    assert payload["deadline"] is None and "срок п. 5.5 не установлен" in text
