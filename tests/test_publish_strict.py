"""Open data parsed strictly: no bare NaN in JSON, no «nan»/«None» text in CSV — on the test
fixture and on the samples, whatever pandas version builds the frame (issue 16)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tpcheck.publish.model import Publication, publish
from tpcheck.publish.opendata import OPEN_DATA_FIELDS, csv_text, json_text, plain

from . import publish_data as data
from .conftest import ROOT

AS_OF = dt.date(2026, 1, 15)
MISSING_WORDS = {"nan", "NaN", "None", "<NA>", "NaT"}


def _refuse(constant: str) -> None:
    raise ValueError(f"non-standard JSON constant {constant}")


def _assert_strict(paths: dict[str, Path]) -> None:
    for key in ("json", "report"):
        json.loads(paths[key].read_text(encoding="utf-8"), parse_constant=_refuse)
    text = paths["csv"].read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [f.name for f in OPEN_DATA_FIELDS]
    assert all(len(row) == len(rows[0]) for row in rows)
    cells = {cell for row in rows[1:] for cell in row}
    cells |= {part for cell in cells for part in cell.split("; ")}
    assert cells & MISSING_WORDS == set()


def test_open_data_of_the_fixture_parses_strictly(tmp_path):
    frame = data.frame()
    publication = Publication.from_frame(frame, data.report(frame), as_of=AS_OF)
    paths = publication.write(tmp_path)
    _assert_strict(paths)
    records = json.loads(paths["json"].read_text(encoding="utf-8"))["records"]
    # a missing value is null in JSON and an empty cell in CSV, never dropped
    assert any(r["needs_other"] is None for r in records)
    assert all(set(r) == {f.name for f in OPEN_DATA_FIELDS} for r in records)


def test_open_data_of_the_samples_parses_strictly(tmp_path):
    publication = publish(ROOT / "samples", as_of=AS_OF)
    _assert_strict(publication.write(tmp_path / "out"))
    records = publication.records()
    assert records, "the samples publish some rows"
    assert all(
        value is None or isinstance(value, str | int | list)
        for record in records
        for value in record.values()
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (float("nan"), None),
        (np.float64("nan"), None),
        (pd.NA, None),
        (pd.NaT, None),
        (np.int64(3), 3),
        (np.float64(2.5), 2.5),
        (np.bool_(True), True),
        ("текст", "текст"),
        (["а", float("nan"), pd.NA], ["а", None, None]),
        (("а",), ["а"]),
    ],
)
def test_plain(value, expected):
    result = plain(value)
    assert result == expected
    assert type(result) is type(expected)


def test_a_missing_text_of_any_kind_is_null_in_json_and_empty_in_csv():
    records = [
        {"touchpoint": "Сайт", "location": float("nan"), "needs": ["а", pd.NA]},
        {"touchpoint": pd.NA, "location": None, "needs": []},
    ]
    text = json_text({"records": records})
    assert json.loads(text, parse_constant=_refuse)["records"] == [
        {"touchpoint": "Сайт", "location": None, "needs": ["а", None]},
        {"touchpoint": None, "location": None, "needs": []},
    ]
    lines = csv_text(records).split("\r\n")
    assert lines[1].split(";")[8:12] == ["Сайт", "", "", ""]
    assert lines[2].split(";")[8:12] == ["", "", "", ""]


def test_json_refuses_infinity_rather_than_writing_it():
    with pytest.raises(ValueError):
        json_text({"x": float("inf")})
