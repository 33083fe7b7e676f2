"""Shared fixtures: the repository root, tool availability, workbook builders."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REQUIRE_TOOLS = os.environ.get("TPCHECK_REQUIRE_TOOLS") == "1"


def need_tool(name: str, *candidates: str) -> str:
    """Path of the first of *candidates* on PATH; skip the test (fail in CI) when none is."""
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    message = f"{name} is not installed ({', '.join(candidates)} not on PATH)"
    if REQUIRE_TOOLS:
        pytest.fail(message + " but TPCHECK_REQUIRE_TOOLS=1")
    pytest.skip(message)


def soffice_convert(source: Path, fmt: str, outdir: Path) -> Path:
    """Convert *source* with LibreOffice headless to *fmt* (``ods``, ``xlsx``, ``xls``) in
    *outdir*; every call gets its own profile so that parallel tests do not collide."""
    soffice = need_tool("LibreOffice", "soffice", "libreoffice")
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / f".lo-profile-{os.getpid()}-{source.stem}"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    result = outdir / f"{source.stem}.{fmt.split(':')[0]}"
    assert result.exists(), f"soffice did not write {result}"
    return result


def run_chromium(folder: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run headless Chromium with *args* (``--screenshot=…``, ``--dump-dom``, a page's URI…)
    and a profile of its own in *folder*; skip the test (fail in CI) when Chromium is missing."""
    chromium = need_tool("Chromium", "chromium", "chromium-browser", "google-chrome")
    return subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={folder / 'profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture(autouse=True)
def _terminal_width(monkeypatch):
    """Every test sees a 120-column terminal, whatever the shell running pytest has: the
    terminal output (tpcheck.terminal_text.width) follows $COLUMNS. Tests of a narrow or wide
    terminal set COLUMNS themselves."""
    monkeypatch.setenv("COLUMNS", "120")
