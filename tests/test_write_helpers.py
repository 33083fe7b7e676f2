"""Small helpers of the writers, table by table: the text of a column of cells, and the runs of
rows the п. 4.2 matrix greys by one conditional format each."""

from __future__ import annotations

import pytest

from tpcheck.write.matrix import _ranges
from tpcheck.write.xlsx import MAX_CELL, cell_text, safe_texts

NAN = float("nan")


@pytest.mark.parametrize(
    "values",
    [
        [],
        [None, NAN, ""],
        ["a", None, "б", "", NAN],
        ["a", 5, 2.5, ["x", "y"], None],  # not all texts: cell by cell
        ["x" * (MAX_CELL + 10), "b"],  # too long for a cell: cut
        ["bad \ud800 surrogate", "ok"],  # a lone surrogate cannot be written: replaced
    ],
)
def test_safe_texts_is_cell_text_of_each_value(values):
    assert safe_texts(values) == [cell_text(v) for v in values]


@pytest.mark.parametrize(
    ("top", "bottom", "skip", "runs"),
    [
        (3, 10, set(), [(3, 10)]),
        (3, 10, {3}, [(4, 10)]),
        (3, 10, {10}, [(3, 9)]),
        (3, 10, {5, 6, 8}, [(3, 4), (7, 7), (9, 10)]),
        (3, 10, {1, 2, 11}, [(3, 10)]),  # rows outside top…bottom do not matter
        (3, 5, {3, 4, 5}, []),
        (3, 3, set(), [(3, 3)]),
        (3, 2, set(), []),  # an empty range
    ],
)
def test_ranges_are_the_runs_without_the_skipped_rows(top, bottom, skip, runs):
    assert _ranges(0, top, bottom, skip) == runs


def test_the_collector_is_paused_for_a_block_and_restored_after_it():
    import gc

    import pytest

    from tpcheck.gcpause import paused_gc

    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():  # nested: the outer block's pause holds after the inner one ends
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("a failure inside the block")
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
