"""What holds a row back from the publication and what the publication settles (issue 16):
only a finding that makes a published cell wrong or empty holds a row back; the вид follows
the type; rows of one touchpoint are merged with the union of their needs."""

from __future__ import annotations

from pathlib import Path

import pytest

import tpcheck
from tpcheck.findings import Issue, Report, issue_types
from tpcheck.pipeline import load_inputs
from tpcheck.publish.model import Publication
from tpcheck.publish.settle import blocking

from .conftest import ROOT
from .frames import frame_from_files, valid_row


@pytest.mark.parametrize(
    ("code", "field", "holds"),
    [
        ("required-missing", "touchpoint", True),
        ("required-missing", "touchpoint_type", True),
        ("value-not-in-list", "touchpoint_type", True),
        ("value-not-in-list", "direction", True),
        ("value-not-in-list", "client", True),
        ("cell-error-value", "touchpoint", True),
        ("required-missing", "needs", False),
        ("required-missing", "procedure", False),
        ("basis-without-requisites", "basis", False),
        ("other-need-without-note", "note", False),
        ("channel-mismatch", "channel", False),
        ("duplicate-touchpoint", "touchpoint", False),  # merged instead
        ("other-type-without-note", "note", False),  # an error, but the type is published
        ("location-mismatch", "location", False),  # a warning
    ],
)
def test_blocking(code, field, holds):
    kind = issue_types()[code]
    problem = Issue(code, kind.severity, kind.clause, "a.xlsx", "Перечень", 3, field=field)
    assert blocking(problem) is holds


def test_a_row_with_no_touchpoint_or_type_is_held_back_even_when_the_report_misses_it():
    frame = frame_from_files(
        {
            "a.xlsx": [
                valid_row(touchpoint=None),
                valid_row(touchpoint_type=None, touchpoint="Сайт 2"),
                valid_row(touchpoint_type="голубиная почта", touchpoint="Сайт 3"),
                valid_row(touchpoint="Сайт 4", procedure=None),
            ]
        }
    )
    publication = Publication.from_frame(frame, Report())
    assert publication.excluded[["row", "codes"]].values.tolist() == [
        [3, ["required-missing"]],
        [4, ["required-missing"]],
        [5, ["value-not-in-list"]],
    ]
    assert publication.rows["touchpoint"].tolist() == ["Сайт 4"]


def test_rows_of_one_touchpoint_are_merged_with_the_union_of_their_needs():
    frame = frame_from_files(
        {
            "a.xlsx": [
                valid_row(needs="получение информации"),
                valid_row(touchpoint="Сайт Департамента", needs="получение информации"),
                valid_row(needs="предоставление обратной связи; получение информации"),
            ]
        }
    )
    publication = Publication.from_frame(frame, Report())
    assert publication.rows[["touchpoint", "needs"]].values.tolist() == [
        [
            "Официальный сайт Департамента",
            ["получение информации", "предоставление обратной связи"],
        ],
        ["Сайт Департамента", ["получение информации"]],
    ]
    assert [(n.code, n.row) for n in publication.notices] == [("publish-rows-merged", 5)]
    assert publication.summary["rows_merged"] == 1
    assert publication.summary["rows_read"] == 3


def test_the_same_touchpoint_in_two_files_is_not_merged():
    frame = frame_from_files({"a.xlsx": [valid_row()], "b.xlsx": [valid_row()]})
    publication = Publication.from_frame(frame, Report())
    assert len(publication.rows) == 2 and publication.notices == []


# ------------------------------------------------------------------ on the samples


@pytest.fixture(scope="module")
def samples() -> Publication:
    return tpcheck.publish(ROOT / "samples")


def test_on_the_samples_every_touchpoint_is_published_or_held_back_with_its_reason(samples):
    frame, _ = load_inputs(ROOT / "samples")
    published = {(Path(f).name, r) for f, r in samples.source[["source_file", "source_row"]].values}
    merged = {
        (Path(n.file).name, n.row) for n in samples.notices if n.code == "publish-rows-merged"
    }
    held = {(Path(e["file"]).name, e["row"]) for e in samples.to_dict()["excluded"]}
    read = {(Path(f).name, r) for f, r in frame[["source_file", "source_row"]].values}
    assert published | merged | held == read
    assert not (published & merged) and not (published & held) and not (merged & held)
    for record in samples.to_dict()["excluded"]:
        assert record["codes"] and record["messages"]
    assert samples.summary["rows_read"] == len(frame)


def test_on_the_samples_the_official_site_is_published_as_digital(samples):
    site = samples.rows[samples.rows["source_file"].str.endswith("infopolitika.xlsx")]
    site = site[site["source_row"] == 6]
    assert set(site["channel"]) == {"цифровая"} and len(site) >= 1
    assert ("publish-channel-settled", 6) in {(n.code, n.row) for n in samples.notices}


def test_on_the_samples_the_gosuslugi_row_has_the_needs_of_its_duplicate(samples):
    rows = samples.rows[samples.rows["touchpoint"] == "Подача заявления на Госуслугах"]
    rows = rows[rows["source_file"].str.endswith("pozharnaya_bezopasnost.xlsx")]
    assert len(rows) == 1
    assert [need.split(",")[0] for need in rows.iloc[0]["needs"]] == [
        "представление заявления",
        "получение информации о ходе рассмотрения заявления",
        "получение результата",
    ]


def test_the_type_other_is_published_with_its_note_as_the_explanation():
    frame = frame_from_files(
        {
            "a.xlsx": [
                valid_row(
                    touchpoint="Стенд",
                    touchpoint_type="иное (пояснить в примечании)",
                    note="информационный стенд в холле",
                )
            ]
        }
    )
    publication = Publication.from_frame(frame, Report())
    assert publication.records()[0]["touchpoint_type"] == "иное: информационный стенд в холле"
    assert "иное (пояснить" not in str(publication.records())


def test_the_type_other_without_a_note_is_an_error_at_validation():
    assert issue_types()["other-type-without-note"].severity == "error"
