"""Table-driven tests of the small helpers: text clean-up, match keys, A1 addresses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tpcheck.cells import a1, column_index, column_letter, parse_a1
from tpcheck.text import clean, match_key, strip_clause_suffix


@pytest.mark.parametrize(
    ("index", "letters"),
    [
        (0, "A"),
        (1, "B"),
        (25, "Z"),
        (26, "AA"),
        (27, "AB"),
        (51, "AZ"),
        (52, "BA"),
        (701, "ZZ"),
        (702, "AAA"),
        (16383, "XFD"),
    ],
)
def test_column_letters(index, letters):
    assert column_letter(index) == letters
    assert column_index(letters) == index
    assert column_index(letters.lower()) == index


@pytest.mark.parametrize(
    ("address", "row", "column"),
    [("A1", 1, 0), ("B3", 3, 1), ("$C$10", 10, 2), ("XFD1048576", 1048576, 16383), (" q7 ", 7, 16)],
)
def test_a1_round_trip(address, row, column):
    assert parse_a1(address) == (row, column)
    assert a1(row, column) == address.strip().replace("$", "").upper()


@pytest.mark.parametrize("bad", ["", "1A", "A0", "XFE1", "A1048577", "AAAA1", "А1"])
def test_bad_addresses_raise(bad):
    with pytest.raises(ValueError):
        parse_a1(bad)


@pytest.mark.parametrize(("index", "row"), [(-1, 1), (16384, 1), (0, 0), (0, 1048577)])
def test_out_of_sheet_raises(index, row):
    with pytest.raises(ValueError):
        a1(row, index)


@given(st.integers(min_value=0, max_value=16383))
def test_letters_round_trip(index):
    assert column_index(column_letter(index)) == index


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("  получение\u00a0\u00a0информации ", "получение информации"),
        ("цифро\u200bвая", "цифровая"),
        ("\u200fоффлайн\u200e", "оффлайн"),
        ("a\tb\r\nc", "a b\nc"),
        ("строка 1 \n  строка 2", "строка 1\nстрока 2"),
        ("x\x00y\x07z", "xyz"),
        ("\ud800текст", "\ufffdтекст"),
        ("", ""),
    ],
)
def test_clean(raw, cleaned):
    assert clean(raw) == cleaned


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Получение информации", "получение информации."),
        ("ПОЛУЧЕНИЕ  ИНФОРМАЦИИ", "получение информации"),
        ("Пoлучение информации", "получение информации"),  # Latin o
        ("CAЙT", "сайт"),  # Latin C, A, T
        ("личный приём", "личный прием"),
        ("«Мои документы»", '"мои документы"'),
        ("кол–центр", "кол-центр"),
        ("; оффлайн;", "оффлайн"),
    ],
)
def test_match_key_equal(a, b):
    assert match_key(a) == match_key(b)


def test_match_key_keeps_latin_words():
    assert match_key("e-mail") == "e-mail"
    assert match_key("Telegram") == "telegram"


@pytest.mark.parametrize(
    ("header", "stripped"),
    [
        ("Направление деятельности (п. 3.5) *", "Направление деятельности"),
        ("Удовлетворяемые потребности клиента (п. 3.7)", "Удовлетворяемые потребности клиента"),
        ("Вид точки (п. 4.1, 2.8, 2.9)", "Вид точки"),
        ("Основание п. 3.6", "Основание"),
        ("Клиент *", "Клиент"),
        ("Точка взаимодействия", "Точка взаимодействия"),
    ],
)
def test_strip_clause_suffix(header, stripped):
    assert strip_clause_suffix(header) == stripped
