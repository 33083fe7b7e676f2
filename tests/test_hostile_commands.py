"""Issue 15: every command, not only ``merge``, given each hostile single file — a named pipe, a
far-corner workbook (calamine #693), a zip bomb and a link to itself — ends by itself with a
clear Russian message and its documented exit code (docs/cli.md: 0 no errors, 1 errors found,
2 nothing usable), never a traceback or a hang.

The commands run as a person runs them: ``python -m tpcheck …`` in a subprocess, with a timeout
only a hang reaches. ``diff`` gets a good file as OLD and the hostile one as NEW.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from .read_helpers import declare_size, far_corner, quiet, write_book
from .test_hostile_round2 import tpcheck_cli

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX: named pipes")

SHEET1 = "xl/worksheets/sheet1.xml"


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _bomb(path: Path) -> Path:
    source = write_book(path.with_name("source.xlsx"), [quiet(1)])
    return declare_size(source, path, SHEET1, 3_000_000_000)


def _loop(path: Path) -> Path:
    path.symlink_to(path.name)
    return path


#: hostile file → (how it is made, the exit codes the commands may end with)
HOSTILE: dict[str, tuple[Callable[[Path], Path], set[int]]] = {
    "named-pipe": (_fifo, {2}),
    "far-corner": (far_corner, {0, 1}),  # read (the far cell measured, not allocated)
    "zip-bomb": (_bomb, {2}),
    "link-to-itself": (_loop, {2}),
}
COMMANDS = ["check", "merge", "publish", "diff"]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", HOSTILE)
def test_every_command_ends_clearly_on_a_hostile_file(kind, command, tmp_path):
    make, codes = HOSTILE[kind]
    hostile = make(tmp_path / "x.xlsx")
    out = tmp_path / "out"
    if command == "diff":
        good = write_book(tmp_path / "good.xlsx", [quiet(1)])
        done = tpcheck_cli("diff", good, hostile.name, "-o", out, cwd=tmp_path)
    else:
        done = tpcheck_cli(command, hostile.name, "-o", out, cwd=tmp_path)
    assert done.returncode in codes, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr
    if done.returncode == 2:
        assert done.stderr.startswith("Ошибка: "), done.stderr
        # the file is named on the terminal, or in the report it points to
        said = done.stderr
        if (out / "report.json").exists():
            said += (out / "report.json").read_text(encoding="utf-8")
        assert "x.xlsx" in said, said
    else:
        assert out.is_dir()
        if command in ("check", "merge"):
            report = json.loads((out / "report.json").read_text(encoding="utf-8"))
            assert [f["status"] for f in report["files"]] == ["ok"]
