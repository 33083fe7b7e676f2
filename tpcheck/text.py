"""Text clean-up shared by every stage: what a cell shows, and the key values are matched on.

Two levels:

* :func:`clean` — what tpcheck keeps as the value of a text cell: invisible characters (zero-width
  spaces, direction marks, control characters, lone surrogates) removed, every kind of space folded
  into one ordinary space, ends trimmed. Line breaks inside a cell are kept.
* :func:`match_key` — what values are compared on when matched against a classifier or a header:
  :func:`clean`, then case folded, ё → е, Latin look-alike letters inside Cyrillic words replaced by
  their Cyrillic twins, quotes and dashes unified, line breaks folded, trailing punctuation dropped.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate

from rapidfuzz import process
from rapidfuzz.distance import Indel

__all__ = [
    "INVISIBLE",
    "SIMILAR",
    "all_clean",
    "clean",
    "match_key",
    "match_keys",
    "similar",
    "strip_clause_suffix",
]

#: Characters that render as nothing (or change direction) and are removed from every cell.
INVISIBLE = frozenset(
    "\u00ad"  # soft hyphen
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width space/non-joiner/joiner, word joiner, BOM
    "\u200e\u200f\u061c"  # left-to-right, right-to-left, Arabic letter marks
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # isolates
)

_CONTROL = {c for c in range(0x20) if chr(c) not in "\n\t"} | {0x7F} | set(range(0x80, 0xA0))
_DELETE = {c: None for c in _CONTROL} | {ord(c): None for c in INVISIBLE}
_DELETE[ord("\r")] = "\n"
_DELETE[ord("\t")] = " "
_SPACES = re.compile(r"[^\S\n]+")
_LINE_ENDS = re.compile(r" *\n *")
_SURROGATES = re.compile("[\ud800-\udfff]")

# Latin letters that look like Cyrillic ones (after case folding). Upper-case look-alikes such as
# B, H, M, T, K fold to b, h, m, t, k, which map to в, н, м, т, к.
_LOOKALIKES = str.maketrans("aeopcxykmthb", "аеорсхукмтнв")
_CYRILLIC = re.compile("[а-яё]")
_WORD = re.compile(r"[^\W\d_]+")
_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "'": '"', "’": '"'})
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-"})
_LATIN_LOOKALIKE = re.compile("[aeopcxykmthb]")
_UNIFIED = re.compile("[" + re.escape("".join(map(chr, {**_QUOTES, **_DASHES}))) + "]")
_LOOKALIKE_OR_UNIFIED = re.compile(f"{_LATIN_LOOKALIKE.pattern}|{_UNIFIED.pattern}")
_TRAILING = re.compile(r"[\s.,;:!?]+$")
_LEADING = re.compile(r"^[\s,;:•·*\-]+")
# What the two above remove from a text whose only white space is the ordinary space
_TRAILING_CHARS = " .,;:!?"
_LEADING_CHARS = " ,;:•·*-"
_CLAUSE_SUFFIX = re.compile(
    r"\s*[(\[]?\s*(?:п\.|пп\.|пункт|подпункт)\s*\d+(?:\.\d+)*(?:\s*[а-я]\))?"
    r"(?:\s*,\s*\d+(?:\.\d+)*)*\s*[)\]]?\s*$"
)


def clean(value: str) -> str:
    """Return *value* as tpcheck keeps it: no invisible or control characters, one space between
    words, trimmed; line breaks kept (``\\r\\n`` becomes ``\\n``)."""
    if not value:
        return value
    if value.isprintable() and "  " not in value and value[0] != " " and value[-1] != " ":
        # Nothing to remove or fold (the common case, checked in C): no control, invisible or
        # non-ASCII space characters, no line breaks, no repeated or outer spaces.
        return value
    text = value.replace("\r\n", "\n").translate(_DELETE)
    if _SURROGATES.search(text):
        text = _SURROGATES.sub("\ufffd", text)
    text = _SPACES.sub(" ", text)
    if "\n" in text:
        text = _LINE_ENDS.sub("\n", text).strip("\n ")
    return text.strip()


def all_clean(texts: Iterable[str]) -> bool:
    """True exactly when every one of *texts* (non-empty texts) takes the fast path of
    :func:`clean`, which then gives it back as it is. Told at once for a whole column by C loops
    over the texts joined by one space: a text that is not printable, has two spaces in a row or
    a space at either end leaves its mark in the joined string (a space at a text's end meets
    the joining space)."""
    joined = " ".join(texts)
    return (
        joined.isprintable()
        and "  " not in joined
        and not joined.startswith(" ")
        and not joined.endswith(" ")
    )


def _fix_lookalikes(word: re.Match[str]) -> str:
    token = word.group(0)
    if _CYRILLIC.search(token):
        return token.translate(_LOOKALIKES)
    return token


def match_key(value: object) -> str:
    """The form values are compared on: ``match_key(" Пoлучение  информации.")`` (with a Latin
    «o») equals ``match_key("получение информации")``."""
    text = clean(str(value)).casefold().replace("ё", "е")
    text = unicodedata.normalize("NFC", text)
    if _LATIN_LOOKALIKE.search(text):  # the translations below are identities otherwise
        text = _WORD.sub(_fix_lookalikes, text)
    if _UNIFIED.search(text):
        text = text.translate(_QUOTES).translate(_DASHES)
    text = text.replace("\n", " ")
    text = _TRAILING.sub("", _LEADING.sub("", text))
    return " ".join(text.split())


def match_keys(values: Iterable[object]) -> list[str]:
    """``[match_key(value) for value in values]``, a column at a time: when every text is clean
    (:func:`all_clean`: printable, so its only white space is single inner spaces and it has no
    line break), case folding and NFC run once over the texts joined by line breaks; look-alike
    letters, quotes and dashes are dealt with in the texts that have them, found by one search
    of the joined text; the ends are trimmed by ``str.strip``. Otherwise each value goes through
    :func:`match_key`. A text given more than once is keyed once."""
    texts = [str(value) for value in values]
    distinct = list(dict.fromkeys(texts))
    if len(distinct) < len(texts):  # a repeated text (№ 1, 2, … in every file): one key, shared
        made = dict(zip(distinct, match_keys(distinct), strict=True))
        return [made[text] for text in texts]
    if not texts or not all(texts) or not all_clean(texts):
        return [match_key(text) for text in texts]
    joined = unicodedata.normalize("NFC", "\n".join(texts).casefold().replace("ё", "е"))
    lines = joined.split("\n")
    if len(lines) != len(texts):  # pragma: no cover - a line break made by the steps above
        return [match_key(text) for text in texts]
    marks = [found.start() for found in _LOOKALIKE_OR_UNIFIED.finditer(joined)]
    if marks:
        # the texts that have look-alikes, quotes or dashes, one by one (translate is slow on a
        # long text and the look-alikes are fixed word by word)
        starts = [0, *(end + index + 1 for index, end in enumerate(accumulate(map(len, lines))))]
        for index in sorted({bisect_right(starts, mark) - 1 for mark in marks}):
            line = lines[index]
            if _LATIN_LOOKALIKE.search(line):
                line = _WORD.sub(_fix_lookalikes, line)
            if _UNIFIED.search(line):
                line = line.translate(_QUOTES).translate(_DASHES)
            lines[index] = line
    # _LEADING, then _TRAILING: the only white space left is the ordinary space
    return [line.lstrip(_LEADING_CHARS).rstrip(_TRAILING_CHARS) for line in lines]


#: How similar two match keys must be for one to be suggested for the other.
SIMILAR = 0.6


def similar(
    key: str, choices: Iterable[str], limit: int | None = None, cutoff: float = SIMILAR
) -> list[tuple[str, float]]:
    """The *choices* (match keys) at least *cutoff* similar to *key* (a match key), with their
    similarity, most similar first (then in the order of *choices*); at most *limit*.

    The similarity is the normalised Indel similarity of rapidfuzz: 1 − (letters to insert and
    delete to turn one into the other) / (the letters of both), computed in C++ — a few
    microseconds against a whole classifier list. A typo costs two of them:
    ``similar("получение консультацыи", ["получение консультации"])`` ≈ 0.95."""
    if not isinstance(choices, list | tuple):  # a mapping would be matched on its values
        choices = list(choices)
    found = process.extract(
        key, choices, scorer=Indel.normalized_similarity, score_cutoff=cutoff, limit=limit
    )
    return [(choice, score) for choice, score, _ in found]


def strip_clause_suffix(header: str) -> str:
    """Drop a trailing clause reference and required-mark from a header:
    ``"Направление деятельности (п. 3.5) *"`` → ``"Направление деятельности"``."""
    text = header.rstrip(" *")
    previous = None
    while previous != text:
        previous = text
        text = _CLAUSE_SUFFIX.sub("", text).rstrip(" *")
    return text


_DAY_FIRST = re.compile(r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})$")


def parse_date(value: str) -> dt.date:
    """A date as a clerk writes it (ДД.ММ.ГГГГ, the way tpcheck prints dates) or as ГГГГ-ММ-ДД;
    ``ValueError`` for anything else, including impossible days such as 31.02.2025."""
    value = value.strip()
    day_first = _DAY_FIRST.match(value)
    if day_first:
        return dt.date(int(day_first["year"]), int(day_first["month"]), int(day_first["day"]))
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(value)
    return dt.date.fromisoformat(value)
