"""Issue 15: the work of a read is bounded by the cells a file really holds, not by what its
markup claims — repeated ODS cells, sheets whose far cell makes a big rectangle, merged ranges
written many times — per file and per run (numbers in :class:`tpcheck.reading.Limits`,
stated in SECURITY.md). Beyond a bound the file is one ``file-too-large`` finding naming the
file and the sheet; the other files are read.

No timing asserts: the subprocess timeouts only guard against a hang; memory is measured in
a forked child with a wide margin below what the defect cost (1.6 GB).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

import tpcheck
from tpcheck.reading import DEFAULT_LIMITS, Limits

from .read_helpers import (
    HEADERS,
    codes,
    in_forked_child,
    quiet,
    rewrite_part,
    table,
    write_book,
)

HANG = 120  # seconds: only a hang reaches it
SHEET1 = "xl/worksheets/sheet1.xml"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forked children (POSIX)")


def repeated_ods(path: Path, rows: int, columns: int) -> Path:
    """An ODS of ~1.5 KB: the template's header, then one cell repeated *columns* × *rows*."""
    cells = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{h}</text:p></table:table-cell>'
        for h in HEADERS
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Перечень">'
        f"<table:table-row>{cells}</table:table-row>"
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{columns}"'
        ' office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
        ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2"><manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return path


def far_sheets(path: Path, count: int, data: bool = False) -> Path:
    """*count* sheets each holding A1 and CV80000 (8 million cells of rectangle, two filled),
    after a «Перечень» with the template's header and two rows when *data*."""
    book = xlsxwriter.Workbook(str(path))
    if data:
        sheet = book.add_worksheet("Перечень")
        for number, values in enumerate([HEADERS, quiet(1), quiet(2)]):
            for col, value in enumerate(values):
                if value is not None:
                    sheet.write_string(number, col, value)
    for index in range(count):
        sheet = book.add_worksheet(f"S{index}")
        sheet.write("A1", "a")
        sheet.write("CV80000", "b")
    book.close()
    return path


def cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TPCHECK_LANG": "ru"}
    return subprocess.run(
        [sys.executable, "-m", "tpcheck", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=HANG,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


def findings(frame, file: str) -> list[tuple[str, str]]:
    return [(i.code, i.message) for i in frame.tpcheck.issues if i.file.endswith(file)]


# ------------------------------------------------------------------ repeated ODS cells


def test_a_repeated_ods_cell_beyond_the_data_bound_is_refused_by_check(tmp_path):
    """200 columns × 39,000 rows from one cell: within the dense reader's rectangle, but a
    data block four times the file's bound — refused, nothing validated or written of it."""
    path = repeated_ods(tmp_path / "повтор.ods", rows=39_000, columns=200)
    assert path.stat().st_size < 2048
    done = cli("check", path, "-o", tmp_path / "out", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    (info,) = report["files"]
    assert info["status"] == "unreadable"
    (found,) = [i for i in report["issues"] if i["severity"] != "notice"]
    assert found["code"] == "file-too-large"
    assert "повтор.ods»" in found["message"]
    assert "«Перечень»" in found["message"]
    assert "39 000 строк × 200 граф" in found["message"]
    assert "допустимо 2 000 000 в одном файле" in found["message"]
    assert sum(p.stat().st_size for p in (tmp_path / "out").rglob("*")) < 2_000_000


def test_a_repeated_ods_cell_loses_no_other_file(tmp_path):
    repeated_ods(tmp_path / "повтор.ods", rows=39_000, columns=200)
    write_book(tmp_path / "good.xlsx", [quiet(1), quiet(2)])
    frame = tpcheck.read(tmp_path)
    assert table(frame, "number") == [(3, "1"), (4, "2")]
    assert [code for code, _ in findings(frame, "повтор.ods")] == ["file-too-large"]


def test_a_data_block_within_the_bound_is_read(tmp_path):
    """The same file one size smaller than the bound is read whole (nothing lost)."""
    repeated_ods(tmp_path / "повтор.ods", rows=9_000, columns=200)  # 1.8 million cells
    frame = tpcheck.read(tmp_path / "повтор.ods")
    assert len(frame) == 9_000
    assert frame.tpcheck.files[0].status == "ok"


def test_the_data_bound_is_the_limits_number(tmp_path):
    path = write_book(tmp_path / "a.xlsx", [quiet(n) for n in range(1, 11)])
    columns = len(HEADERS)
    exact = Limits(max_data_cells=10 * columns)
    assert len(tpcheck.read(path, limits=exact)) == 10
    frame = tpcheck.read(path, limits=Limits(max_data_cells=10 * columns - 1))
    assert len(frame) == 0
    ((code, message),) = findings(frame, "a.xlsx")
    assert code == "file-too-large"
    assert f"10 строк × {columns} граф" in message


def test_a_csv_submission_is_bounded_too(tmp_path):
    path = tmp_path / "a.csv"
    lines = [";".join(HEADERS)] + [";".join(v or "" for v in quiet(n)) for n in range(1, 11)]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert len(tpcheck.read(path)) == 10
    frame = tpcheck.read(path, limits=Limits(max_data_cells=10 * len(HEADERS) - 1))
    assert [code for code, _ in findings(frame, "a.csv")] == ["file-too-large"]


# ------------------------------------------------------------------ sheets looked at for a header


def test_sixteen_sheets_with_a_far_cell_are_looked_at_by_their_first_rows(tmp_path):
    """Each sheet's rectangle is 8 million cells: materialised to look for a header, they
    cost 1.6 GB. Only their first rows are read now."""
    path = far_sheets(tmp_path / "листы.xlsx", 16)
    frame, _, grown = in_forked_child(lambda: tpcheck.read(path, workers=0))
    assert [i.code for i in frame.tpcheck.issues] == ["sheet-not-found"]
    assert grown < 400 * 1024, f"{grown // 1024} MB"


def test_far_sheets_beside_the_data_sheet_do_not_cost_its_rows(tmp_path):
    path = far_sheets(tmp_path / "листы.xlsx", 16, data=True)
    frame, _, grown = in_forked_child(lambda: tpcheck.read(path, workers=0))
    assert table(frame, "number") == [(2, "1"), (3, "2")]
    assert codes(frame) == []
    assert frame.tpcheck.files[0].ignored_sheets == [f"S{i}" for i in range(16)]
    assert grown < 600 * 1024, f"{grown // 1024} MB"


def test_a_sheet_not_read_is_counted_on_its_first_rows_beyond_the_file_bound(tmp_path):
    junk = [[f"заметка {n}", n] for n in range(1, 201)]
    path = write_book(tmp_path / "a.xlsx", [quiet(1)], others={"Черновик": junk})
    whole = tpcheck.read(path)
    (item,) = whole.tpcheck.issues
    assert item.code == "sheet-not-read"
    assert "(200)" in item.message
    tight = Limits(max_file_cells=(3 + 60) * len(HEADERS))
    frame = tpcheck.read(path, limits=tight)
    assert len(frame) == 1
    (item,) = frame.tpcheck.issues
    assert item.code == "sheet-not-read"
    assert "(не менее 60)" in item.message


def test_the_sheets_of_a_workbook_are_bounded(tmp_path):
    path = write_book(tmp_path / "a.xlsx", [quiet(1)], first=["А", "Б", "В"])
    assert len(tpcheck.read(path, limits=Limits(max_sheets=4))) == 1
    frame = tpcheck.read(path, limits=Limits(max_sheets=3))
    ((code, message),) = findings(frame, "a.xlsx")
    assert code == "file-too-large"
    assert "в книге 4 листов (допустимо 3)" in message


# ------------------------------------------------------------------ merged ranges


def _with_merges(tmp_path, refs: list[str]) -> Path:
    source = write_book(tmp_path / "base.xlsx", [quiet(n) for n in range(1, 5)])
    merges = f'<mergeCells count="{len(refs)}">'.encode()
    merges += b"".join(f'<mergeCell ref="{ref}"/>'.encode() for ref in refs) + b"</mergeCells>"
    return rewrite_part(
        source,
        tmp_path / "merged.xlsx",
        SHEET1,
        lambda xml: xml.replace(b"</sheetData>", b"</sheetData>" + merges),
    )


def test_the_same_merged_range_written_600_times_counts_once(tmp_path):
    path = _with_merges(tmp_path, ["A2:Q1001"] * 600)
    frame = tpcheck.read(path, workers=0)
    assert table(frame, "number") == [(3, "1"), (4, "2"), (5, "3"), (6, "4")]


def test_overlapping_merged_ranges_are_refused(tmp_path):
    """600 different ranges over the same rows: each would fill 17,000 cells again."""
    refs = [f"A{2 + n}:Q{1001 + n}" for n in range(600)]
    frame = tpcheck.read(_with_merges(tmp_path, refs), workers=0)
    ((code, message),) = findings(frame, "merged.xlsx")
    assert code == "file-too-large"
    assert "объединенные диапазоны на листе «Перечень»" in message


def test_the_merged_ranges_of_a_sheet_are_bounded(tmp_path):
    refs = [f"R{n}:S{n}" for n in range(1, 12)]
    path = _with_merges(tmp_path, refs)
    assert len(tpcheck.read(path, limits=Limits(max_merged_ranges=11))) == 4
    frame = tpcheck.read(path, limits=Limits(max_merged_ranges=10))
    ((code, message),) = findings(frame, "merged.xlsx")
    assert code == "file-too-large"
    assert "на листе «Перечень» 11 объединенных диапазонов (допустимо 10)" in message


# ------------------------------------------------------------------ per run


def test_the_run_is_bounded_and_keeps_the_files_before_the_bound(tmp_path):
    for name in ("a", "b", "c"):
        write_book(tmp_path / f"{name}.xlsx", [quiet(f"{name}{n}") for n in range(1, 11)])
    one = 10 * len(HEADERS)
    frame = tpcheck.read(tmp_path, limits=Limits(max_run_cells=2 * one))
    assert sorted(set(frame["source_file"].map(lambda p: Path(p).name))) == ["a.xlsx", "b.xlsx"]
    assert len(frame) == 20
    ((code, message),) = findings(frame, "c.xlsx")
    assert code == "file-too-large"
    assert f"допустимо {2 * one} за один запуск" in message
    assert "проверьте его отдельно" in message
    status = {Path(info.path).name: info.status for info in frame.tpcheck.files}
    assert status == {"a.xlsx": "ok", "b.xlsx": "ok", "c.xlsx": "unreadable"}


def test_the_bounds_are_stated_in_security_md():
    text = (Path(__file__).parent.parent / "SECURITY.md").read_text(encoding="utf-8")
    limits = DEFAULT_LIMITS
    for number in (
        limits.max_cells,
        limits.max_sparse_cells,
        limits.max_file_cells,
        limits.max_data_cells,
        limits.max_run_cells,
        limits.max_sheets,
        limits.max_merged_ranges,
        limits.header_rows,
        limits.head_rows,
    ):
        assert f"{number:,}".replace(",", " ") in text, number
