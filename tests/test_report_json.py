"""report.json is written by a faster encoder than ``json.dumps(indent=2)``: the same text,
checked against json itself (the slow, obvious version stays as the oracle)."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import tpcheck
from tpcheck.write.reports import _default, indented_json, report_json

from .conftest import ROOT

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
keys = st.text() | st.integers() | st.booleans() | st.none()
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(keys, inner, max_size=4)
    ),
    max_leaves=30,
)


def oracle(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_default)


@given(values)
def test_the_same_text_as_json_dumps_with_an_indent(data):
    assert indented_json(data) == oracle(data)


def test_odd_values_go_through_the_same_default():
    data = {"n": np.int64(3), "x": [np.float64(1.5), ROOT], "e": {}, "l": []}
    assert indented_json(data) == oracle(data)


def test_report_json_of_the_samples_is_json_dumps_indented():
    report = tpcheck.merge([ROOT / "samples"]).report
    assert report_json(report) == oracle(report.to_dict()) + "\n"
