"""benchmarks/run.py --quick runs end to end and prints its table (figures are not checked:
speed is measured by the benchmarks, not by tests)."""

from __future__ import annotations

import subprocess
import sys

import tpcheck

from .conftest import ROOT


def test_quick_benchmark_prints_the_table(tmp_path):
    before = (ROOT / "BENCHMARKS.md").read_bytes() if (ROOT / "BENCHMARKS.md").exists() else None
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--quick",
            "--data",
            str(tmp_path / "data"),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert (
        "| workbooks × rows | pipeline | phase | seconds | × floor | × hand | rows/s "
        in "\n".join(lines)
    )
    rows = [line.split("|")[1:-1] for line in lines if line.startswith("| 3 × 20 |")]
    shown = {(cells[1].strip(), cells[2].strip()) for cells in rows}
    assert {("floor", "read"), ("floor", "write"), ("floor", "total")} <= shown
    assert {("hand", "read"), ("hand", "validate"), ("hand", "write"), ("hand", "total")} <= shown
    for cells in rows:
        if cells[1].strip() in ("floor", "hand"):
            assert float(cells[3]) >= 0 and cells[4].strip().endswith("×")
    if hasattr(tpcheck, "merge"):
        assert ("merge", "total") in shown
        assert {("tpcheck", "read"), ("tpcheck", "validate"), ("tpcheck", "write")} <= shown
    else:
        assert "tpcheck.merge is not there yet" in done.stdout
    # peak memory is measured for every pipeline that ran
    peaks = [cells[7].strip() for cells in rows if cells[2].strip() == "total"]
    assert peaks and all(int(peak) > 0 for peak in peaks)
    # a quick run leaves BENCHMARKS.md alone and writes only where it was told
    after = (ROOT / "BENCHMARKS.md").read_bytes() if (ROOT / "BENCHMARKS.md").exists() else None
    assert after == before
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["3x20"]
