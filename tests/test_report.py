"""The Report that validate returns: report.json keys (DESIGN §7), the issues DataFrame, valid,
the reader's issues carried, counts."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import tpcheck
from tpcheck.findings import ISSUE_FIELDS, Issue
from tpcheck.frame import empty_frame

from .frames import flatten, frame_from_files, others
from .rows import frame_of, submission

SECTION_5 = (
    "code",
    "severity",
    "clause",
    "file",
    "sheet",
    "row",
    "column",
    "cell",
    "value",
    "message",
    "suggestion",
)


def test_report_json_has_the_contract_keys():
    frame = frame_of({"channel": "оффлайн"}, {"needs": "1; 10", "touchpoint": "Телеграм"})
    data = tpcheck.validate(frame).to_dict()
    assert {"files", "issues", "summary"} <= set(data)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    (info,) = data["files"]
    assert {"path": "a.xlsx", "status": "ok", "rows": 2}.items() <= info.items()
    # the warning: п. 3.8 4), the service «Информирование населения …» has only digital points
    assert (info["errors"], info["warnings"], info["notices"]) == (2, 1, 1)
    for item in data["issues"]:
        assert set(SECTION_5) <= set(item)
    assert [(i["row"], i["cell"], i["code"]) for i in others(data["issues"])] == [
        (3, "H3", "channel-mismatch"),
        (4, "J4", "value-code"),  # «1; 10» read as labels: a notice, counted apart
        (4, "Q4", "other-need-without-note"),
    ]
    used = "получение информации; другие удовлетворяемые потребности клиента"
    assert others(data["issues"])[1]["used"] == used
    summary = data["summary"]
    assert (
        summary["rows"],
        summary["rows_with_errors"],
        summary["errors"],
        summary["warnings"],
    ) == (2, 2, 2, 1)
    assert summary["by_code"] == {
        "channel-mismatch": 1,
        "no-offline-alternative": 1,
        "other-need-without-note": 1,
        "value-code": 1,
    }


def test_issues_dataframe_and_valid():
    report = tpcheck.validate(frame_of({"channel": "оффлайн"}))
    assert list(report.issues.columns) == list(ISSUE_FIELDS)
    assert report.issues[["row", "field", "code"]].values.tolist() == [
        [3, "activity", "no-offline-alternative"],  # п. 3.8 4): the service has only its site
        [3, "channel", "channel-mismatch"],
    ]
    assert str(report.issues["row"].dtype) == "Int64"
    assert not report.valid
    warnings_only = tpcheck.validate(frame_of({"location": "нет"}))
    assert flatten(warnings_only, ["code", "severity"], severities=("error", "warning")) == [
        ["location-mismatch", "warning"]
    ]
    assert warnings_only.valid
    assert tpcheck.validate(frame_of()).valid


def test_the_reader_s_issues_are_in_the_report():
    frame = frame_of({"client": "граждане РФ"})
    unreadable = Issue("file-unreadable", "error", "п. 3.3 2)", file="b.xlsx", message="…")
    frame.tpcheck.issues.append(unreadable)
    report = tpcheck.validate(frame)
    assert flatten(report, ["file", "code"], severities=("error", "warning")) == [
        ["a.xlsx", "value-not-in-list"],
        ["b.xlsx", "file-unreadable"],
    ]
    assert frame.tpcheck.issues == [unreadable]  # validate does not change the frame's context


def test_rows_with_errors_counts_rows_of_the_perechen_only():
    frame = frame_of(
        {"channel": "оффлайн", "client": "граждане РФ"},
        {"touchpoint": "Сайт 2"},
        requirements=[{"row_ref": "9", "requirement": "4.2.1а", "value": "да"}],
    )
    report = tpcheck.validate(frame)
    assert report.summary["errors"] == 3
    assert report.summary["rows_with_errors"] == 1


def test_several_files_in_input_order():
    a, a_req = submission({"client": "x"})
    b, b_req = submission({"client": "y", "touchpoint": "Сайт"})
    frame = frame_from_files({"b.xlsx": b, "a.xlsx": a}, {"b.xlsx": b_req, "a.xlsx": a_req})
    report = tpcheck.validate(frame)
    assert flatten(report, ["file", "value"], severities=("error", "warning")) == [
        ["b.xlsx", "y"],
        ["a.xlsx", "x"],
    ]
    assert report.file_counts() == {  # a warning each: п. 3.8 4), the one service is all digital
        "b.xlsx": {"errors": 1, "warnings": 1, "notices": 0},
        "a.xlsx": {"errors": 1, "warnings": 1, "notices": 0},
    }


def test_an_empty_frame_has_no_issues():
    report = tpcheck.validate(empty_frame())
    assert (len(report), report.rows, report.valid) == (0, 0, True)


def test_lang_must_be_known():
    with pytest.raises(ValueError, match="lang must be one of"):
        tpcheck.validate(frame_of(), lang="de")


def test_validate_does_not_change_the_frame():
    frame = frame_of({"needs": "1; 99"}, {"touchpoint": "x"})
    before = frame.copy(deep=True)
    tpcheck.validate(frame, roster=["Отдел кадров"])
    pd.testing.assert_frame_equal(frame, before)


def test_a_frame_without_originals_reports_the_values_themselves():
    frame = frame_of({"client": "граждане РФ", "needs": "1; 99"})
    frame = frame.drop(columns=[c for c in frame.columns if c.endswith("_raw")])
    report = tpcheck.validate(frame)
    assert flatten(report, ["field", "code", "value"], severities=("error", "warning")) == [
        ["client", "value-not-in-list", "граждане РФ"],
        ["needs", "value-not-in-list", "99"],
    ]
