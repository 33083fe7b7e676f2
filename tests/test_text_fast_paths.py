"""The fast paths of tpcheck.text (text that needs no cleaning, no look-alike letters, no quotes or
dashes) give exactly what the full computation gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from tpcheck import text as T
from tpcheck.reading import columns as C
from tpcheck.reading.sheet import display


def reference_clean(value: str) -> str:
    """clean() without its fast path."""
    if not value:
        return value
    text = value.translate(T._DELETE)
    if T._SURROGATES.search(text):
        text = T._SURROGATES.sub("\ufffd", text)
    text = T._SPACES.sub(" ", text)
    if "\n" in text:
        text = T._LINE_ENDS.sub("\n", text).strip("\n ")
    return text.strip()


def reference_match_key(value: object) -> str:
    """match_key() without its fast paths."""
    text = reference_clean(str(value)).casefold().replace("ё", "е")
    text = unicodedata.normalize("NFC", text)
    text = T._WORD.sub(T._fix_lookalikes, text)
    text = text.translate(T._QUOTES).translate(T._DASHES).replace("\n", " ")
    text = T._TRAILING.sub("", T._LEADING.sub("", text))
    return " ".join(text.split())


# Cyrillic and Latin letters, digits, punctuation, quotes, dashes, spaces of every kind, a few
# invisible and control characters. No carriage return: text with one never takes a fast path,
# and its handling is the business of clean() alone.
ALPHABET = st.sampled_from(
    list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЕЁКМНОРСТХ")
    + list("aeopcxykmthbABEKMHOPCTXYz")
    + list("0123456789.,;:!?()-*•")
    + list("«»“”„'’‐‑‒–—―−\"")
    + [" ", "  ", "\n", "\t", "\u00a0", "\u2009", "\u200b", "\u00ad", "\x07", "\ufeff", "\x85"]
)
texts = st.lists(ALPHABET, max_size=30).map("".join)
#: any printable text: letters, marks, numbers, punctuation and symbols of every script, spaces
PRINTABLE = st.text(
    st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"))
    | st.just(" "),
    min_size=1,
    max_size=12,
)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_clean_equals_the_full_computation(text):
    assert T.clean(text) == reference_clean(text)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_match_key_equals_the_full_computation(text):
    assert T.match_key(text) == reference_match_key(text)


def test_the_fast_path_takes_only_clean_text():
    for text in ("получение информации", "ЕПГУ, РПГУ", "№ 1", "https://t.me/x"):
        assert T.clean(text) is text  # returned as it is, nothing computed
    for text in ("a  b", " a", "a ", "a\tb", "a\u00a0b", "a\u200bb", "a\x07"):
        assert T.clean(text) != text, repr(text)


def _takes_fast_path(text: str) -> bool:
    return text.isprintable() and "  " not in text and text[0] != " " and text[-1] != " "


@settings(max_examples=400, deadline=None)
@given(st.lists(texts.filter(bool), max_size=6))
def test_all_clean_tells_whether_every_text_takes_the_fast_path(column):
    assert T.all_clean(column) == all(_takes_fast_path(text) for text in column)
    if T.all_clean(column):
        assert all(T.clean(text) is text for text in column)


def test_all_clean_sees_a_space_at_the_edge_of_any_text():
    assert T.all_clean(["а б", "в"]) and T.all_clean([])
    for column in (["а ", "б"], ["а", " б"], ["а", "б "], [" а"], ["а  б"], ["а", "б\nв"]):
        assert not T.all_clean(column), column


@settings(max_examples=400, deadline=None)
@given(st.lists(texts, max_size=8, unique=True))
def test_a_free_text_column_is_shown_and_cleaned_as_cell_by_cell(cells):
    """The reader's column fast path (tpcheck.reading.columns) equals display() and clean()
    cell by cell: blank cells shown as None, cleaned texts None when nothing is left."""
    shown, normalised = C._free_text(list(cells), texts=True)
    expected = [display(cell) for cell in cells]
    assert shown == expected
    assert normalised == [None if text is None else (T.clean(text) or None) for text in expected]


@settings(max_examples=400, deadline=None)
@given(st.lists(texts, max_size=12) | st.lists(texts.map(T.clean), max_size=12))
def test_match_keys_of_a_column_equal_each_match_key(column):
    """match_keys joins a clean column and works on it at once; any column gives what each value
    alone gives (a column that is not all clean goes value by value)."""
    assert T.match_keys(column) == [reference_match_key(value) for value in column]


@settings(max_examples=200, deadline=None)
@given(st.lists(PRINTABLE.map(T.clean).filter(bool), min_size=1))
def test_match_keys_of_any_clean_text_equal_each_match_key(column):
    """The joined path on any printable characters Unicode has (case folding that lengthens,
    combining marks next to the joints, other scripts)."""
    assert T.all_clean(column)
    assert T.match_keys(column) == [T.match_key(value) for value in column]


def test_match_keys_takes_the_joined_path_on_a_clean_column(monkeypatch):
    column = ["Пoлучение информации.", "• «Сайт» — портал", "— ЕПГУ —", "телефон"]
    calls = []
    monkeypatch.setattr(T, "match_key", lambda value: calls.append(value) or "")
    expected = ["получение информации", '"сайт" - портал', "епгу -", "телефон"]
    assert T.match_keys(column) == expected
    assert calls == []


def test_match_keys_keys_a_repeated_text_once(monkeypatch):
    """№ 1, 2, … repeat in every file: each distinct text is keyed once and its key shared."""
    column = ["№ 1", "2", "№ 1", "Ёлка\n", "2", "Ёлка\n", ""]
    assert T.match_keys(column) == [T.match_key(value) for value in column]
    real, seen = T.match_key, []
    monkeypatch.setattr(T, "match_key", lambda value: seen.append(value) or real(value))
    keys = T.match_keys(column)
    assert sorted(seen) == sorted(set(column))  # the column is not clean: value by value
    assert keys[0] is keys[2] and keys[3] is keys[5]
