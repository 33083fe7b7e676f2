"""One place for translated text: every key of texts.toml, issues.toml and outputs.toml has
Russian and English with the same placeholders."""

from __future__ import annotations

import string

import pytest

from tpcheck.findings import issue_types
from tpcheck.i18n import LANGS, resolve_lang, text, texts
from tpcheck.output.config import output_spec


def _fields(template: str) -> set[str]:
    """The placeholders of *template*; ``{expected_en}`` counts as ``{expected}`` (a value given
    in each language)."""
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return {name.removesuffix("_en") for name in names}


#: The regulation's own terms, kept in Russian in English texts (as «п. 3.5» is).
REGULATION_TERMS = ("Перечень", "Перечня", "Порядок", "п.")


def _all_texts() -> dict[str, dict[str, str]]:
    found = {f"texts:{key}": value for key, value in texts().items()}
    found.update({f"outputs:{k}": v for k, v in output_spec().label_table.items()})
    for code, kind in issue_types().items():
        found[f"issues:{code}:title"] = dict(kind.title)
        found[f"issues:{code}:message"] = dict(kind.message)
        if kind.suggestion:
            found[f"issues:{code}:suggestion"] = dict(kind.suggestion)
    return found


def test_every_text_has_both_languages_with_the_same_placeholders():
    problems = []
    for key, value in _all_texts().items():
        if set(value) != set(LANGS):
            problems.append((key, "languages", sorted(value)))
        elif not all(value[lang].strip() for lang in LANGS):
            problems.append((key, "empty", value))
        elif _fields(value["ru"]) != _fields(value["en"]):
            problems.append((key, "placeholders", value))
    assert problems == []


def test_english_texts_have_no_cyrillic_outside_quotes():
    cyrillic = []
    for key, value in _all_texts().items():
        english = value["en"]
        # «…» quote data or the regulation's own terms; outside them English is English
        outside = "".join(
            part for i, part in enumerate(english.replace("»", "«").split("«")) if i % 2 == 0
        )
        for term in REGULATION_TERMS:
            outside = outside.replace(term, "")
        if any("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in outside):
            cyrillic.append(key)
    assert cyrillic == []


def test_text_and_language_resolution(monkeypatch):
    assert text("cli.template_written", "en", path="t.xlsx") == "Template written: t.xlsx"
    monkeypatch.delenv("TPCHECK_LANG", raising=False)
    assert resolve_lang() == "ru"
    monkeypatch.setenv("TPCHECK_LANG", "en")
    assert resolve_lang() == "en"
    assert resolve_lang("ru") == "ru"
    with pytest.raises(ValueError):
        resolve_lang("de")
