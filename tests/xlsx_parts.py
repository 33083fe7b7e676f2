"""Compare workbooks part by part, the way XlsxWriter's own tests do: unzip both, drop the parts'
timestamps (and other per-run values), sort relationship files, and compare each XML part.

Set TPCHECK_REGEN_GOLDEN=1 to rewrite a golden file from what the code makes now (then review the
diff before committing it).
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

REGENERATE = os.environ.get("TPCHECK_REGEN_GOLDEN") == "1"

_VOLATILE = [
    re.compile(r"<dcterms:created[^>]*>.*?</dcterms:created>"),
    re.compile(r"<dcterms:modified[^>]*>.*?</dcterms:modified>"),
    re.compile(r"<cp:lastModifiedBy>.*?</cp:lastModifiedBy>"),
    re.compile(r"<AppVersion>.*?</AppVersion>"),
]


def _normalise(name: str, data: bytes) -> str | bytes:
    if not (name.endswith(".xml") or name.endswith(".rels") or name.endswith(".vml")):
        return data
    text = data.decode("utf-8")
    for pattern in _VOLATILE:
        text = pattern.sub("", text)
    if name.endswith(".rels"):
        # relationship order is not meaningful
        head, _, _rest = text.partition("<Relationship ")
        items = sorted(re.findall(r"<Relationship [^>]*/>", text))
        text = head + "".join(items)
    return text


def parts(path: str | Path) -> dict[str, str | bytes]:
    """The normalised parts of a workbook, by name."""
    with zipfile.ZipFile(path) as archive:
        return {name: _normalise(name, archive.read(name)) for name in sorted(archive.namelist())}


def assert_same_workbook(made: str | Path, golden: str | Path) -> None:
    """Assert that *made* equals *golden* part by part; with TPCHECK_REGEN_GOLDEN=1 copy *made*
    over *golden* instead."""
    golden = Path(golden)
    if REGENERATE or not golden.exists():
        if not REGENERATE:
            raise AssertionError(
                f"golden file {golden} is missing; run with TPCHECK_REGEN_GOLDEN=1 to create it"
            )
        golden.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(made, golden)
        return
    got, expected = parts(made), parts(golden)
    assert sorted(got) == sorted(expected), "the workbooks have different parts"
    for name in expected:
        assert got[name] == expected[name], f"part {name} differs from the golden file {golden}"


def printed_widths(sheet) -> list[float]:
    """The width in characters of every used column of *sheet* (openpyxl groups equal neighbours;
    the file stores the width with its 5 pixels of padding, 7 pixels a character)."""
    widths = [8.43] * sheet.max_column
    for dimension in sheet.column_dimensions.values():
        if dimension.width:
            for col in range(dimension.min, min(dimension.max, sheet.max_column) + 1):
                widths[col - 1] = (dimension.width * 7 - 5) / 7
    return widths
