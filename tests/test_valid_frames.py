"""Valid submissions — generated from the classifiers — give no issue at all."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

import tpcheck

from .frames import flatten
from .strategies import Submission, every_value_submission, submissions


def _assert_no_issues(submission: Submission, lang: str = "ru") -> None:
    report = tpcheck.validate(
        submission.frame(), lang=lang, roster=submission.roster, registry=submission.registry
    )
    assert (
        flatten(
            report,
            ["file", "row", "field", "code", "value", "message"],
            severities=("error", "warning"),
        )
        == []
    )
    assert report.valid
    assert report.summary["rows"] == submission.rows
    assert report.extra["missing_subdivisions"] == []


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(submissions())
def test_every_generated_valid_submission_has_no_issues(submission):
    _assert_no_issues(submission)


def test_every_spelling_of_every_classifier_value_is_valid():
    submission = every_value_submission()
    assert submission.rows > 300
    _assert_no_issues(submission)
    _assert_no_issues(submission, lang="en")
