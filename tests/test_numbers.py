"""«№» written as numbers: only a plain whole number becomes one, anything else stays as typed."""

from __future__ import annotations

import pytest

from tpcheck.output.numbers import as_number, as_numbers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        (" 12 ", 12),
        ("0", 0),
        (7, 7),
        (3.0, 3),
        ("999999999999999", 999999999999999),
        ("1000000000000000", "1000000000000000"),  # past Excel's 15 digits: kept as text
        ("01", "01"),  # a leading zero the clerk typed is kept
        ("1а", "1а"),
        ("12.1", "12.1"),
        ("-1", "-1"),
        ("1 2", "1 2"),
        ("", ""),
        (None, None),
        (2.5, 2.5),
        ("١٢", "١٢"),  # digits of another script are not a number Excel reads
        ("1١", "1١"),
    ],
)
def test_as_number(value, expected):
    got = as_number(value)
    assert got == expected and type(got) is type(expected)


def test_as_numbers_keeps_the_order_and_the_texts():
    assert as_numbers(["3", "1а", None, "10"]) == [3, "1а", None, 10]
