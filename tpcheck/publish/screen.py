"""The personal-data and internal-address screen of the publication (152-ФЗ), run before
anything is written for the site.

Every free-text field of the published rows is searched for:

* ``name`` — a person's name: a surname with initials («Иванова А. С.», «А. С. Иванова») or a
  full name with a patronymic («Иванова Анна Сергеевна»);
* ``mobile`` — a mobile number (+7 9xx …, 8 9xx …); a work number of a city code
  («+7 (3842) 00-00-00») is not one;
* ``email`` — a personal address: a mailbox on a public mail service (mail.ru, yandex.ru,
  gmail.com …) whose local part is not a shared one (``priemnaya``, ``info``, ``office`` …); an
  address on the Department's own domain is never flagged;
* ``document`` — a СНИЛС-like (``123-456-789 01``) or passport-like (``32 10 123456``) number;
* ``internal`` — an internal host: a name in ``.local``, ``.lan``, ``.corp``, ``.internal``,
  ``.intranet``, a private IP address (10.…, 172.16–31.…, 192.168.…, 127.…), a single-label
  host in a link (``http://portal/``).

The rule: the matched fragment (not the whole cell) is replaced by «[скрыто]» in every output
meant for the site, and each hit is a finding (``published-personal-data``) with its file, sheet,
row and column, listed in the internal report. A fragment the authorized person has checked and
accepts is written, one a line, in an allow-list file (``publish --allow-list FILE``): it is then
published as is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..findings import Issue, issue

__all__ = ["MASK", "SCREENED_FIELDS", "Hit", "find", "read_allow_list", "screen"]

MASK = "[скрыто]"
#: The free-text fields of the open data that are screened.
SCREENED_FIELDS = (
    "activity",
    "touchpoint",
    "touchpoint_type",
    "location",
    "needs_other",
    "procedure",
    "operator",
    "basis",
)
PUBLIC_MAIL = frozenset(
    [
        "mail.ru",
        "bk.ru",
        "list.ru",
        "inbox.ru",
        "internet.ru",
        "yandex.ru",
        "ya.ru",
        "yandex.com",
        "narod.ru",
        "rambler.ru",
        "gmail.com",
        "googlemail.com",
        "icloud.com",
        "me.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "proton.me",
        "protonmail.com",
    ]
)
SHARED_MAILBOXES = frozenset(
    [
        "priemnaya",
        "priem",
        "reception",
        "info",
        "office",
        "kanc",
        "kancelyariya",
        "secretary",
        "sekretar",
        "press",
        "pressa",
        "mail",
        "post",
        "pochta",
        "admin",
        "support",
        "help",
        "hotline",
        "obrashcheniya",
        "obr",
        "dchs",
        "uchebka",
        "umc",
        "kadry",
        "hr",
        "noreply",
        "no-reply",
    ]
)
_UPPER, _LOWER = "А-ЯЁ", "а-яё"
_INITIAL = rf"[{_UPPER}]\.\s?"
_SURNAME = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_PATRONYMIC = rf"[{_UPPER}][{_LOWER}]+(?:ович|евич|ьич|инич|овна|евна|ична|инична)"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "name",
        re.compile(
            rf"\b{_SURNAME}\s+{_INITIAL}{_INITIAL}?(?![{_LOWER}])"
            rf"|(?<![{_LOWER}{_UPPER}]){_INITIAL}{_INITIAL}?{_SURNAME}\b"
            rf"|\b{_SURNAME}\s+[{_UPPER}][{_LOWER}]+\s+{_PATRONYMIC}\b"
            rf"|\b[{_UPPER}][{_LOWER}]+\s+{_PATRONYMIC}\s+{_SURNAME}\b"
        ),
    ),
    (
        "mobile",
        re.compile(r"(?:\+7|(?<!\d)8)[\s(\-]*9\d{2}[\s)\-]*\d{3}[\s\-]*\d{2}[\s\-]*\d{2}(?!\d)"),
    ),
    ("email", re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")),
    (
        "document",
        re.compile(r"(?<!\d)(?:\d{3}-\d{3}-\d{3}[ \-]\d{2}|\d{2} ?\d{2} №? ?\d{6})(?!\d)"),
    ),
    (
        "internal",
        re.compile(
            r"(?i)\b(?:[a-z0-9\-]+\.)+(?:local|lan|corp|internal|intranet|localdomain)\b"
            r"|(?<![\d.])(?:10\.\d{1,3}|127\.\d{1,3}|192\.168|172\.(?:1[6-9]|2\d|3[01]))"
            r"\.\d{1,3}\.\d{1,3}(?![\d.])"
            r"|(?i:https?://)[a-z0-9\-]+(?=[:/]|$|\s)"
        ),
    ),
)


@dataclass(frozen=True)
class Hit:
    """One fragment the screen found: its ``kind`` (see the module's text) and ``text``."""

    kind: str
    text: str


def _personal_mail(address: str) -> bool:
    local, _, domain = address.lower().partition("@")
    return domain in PUBLIC_MAIL and local not in SHARED_MAILBOXES


def find(text: str, allowed: Iterable[str] = ()) -> list[Hit]:
    """The fragments of *text* to withhold, in order; those in *allowed* are not."""
    allowed = set(allowed)
    hits = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            fragment = match.group(0).strip()
            if kind == "email" and not _personal_mail(fragment):
                continue
            if fragment in allowed or fragment.lower() in allowed:
                continue
            hits.append(Hit(kind, fragment))
    return hits


def read_allow_list(path: str | Path | None) -> frozenset[str]:
    """The accepted fragments, one a line (blank lines and lines starting with # skipped)."""
    if path is None:
        return frozenset()
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    return frozenset(
        line.strip() for line in lines if line.strip() and not line.strip().startswith("#")
    )


def _mask(value: str, hits: list[Hit]) -> str:
    for hit in sorted(hits, key=lambda h: -len(h.text)):
        value = value.replace(hit.text, MASK)
    return value


def screen(
    rows: pd.DataFrame,
    column_headers: dict[str, str],
    allowed: Iterable[str] = (),
    lang: str = "ru",
) -> tuple[pd.DataFrame, list[Issue]]:
    """*rows* (the published rows) with every hit masked, and a finding per hit and cell (a row
    published in two parts is reported once)."""
    allowed = frozenset(allowed)
    rows = rows.copy()
    findings: list[Issue] = []
    seen: set[tuple] = set()
    for field in SCREENED_FIELDS:
        if field not in rows:
            continue
        values = list(rows[field])
        for position, value in enumerate(values):
            if not isinstance(value, str) or not value:
                continue
            hits = find(value, allowed)
            if not hits:
                continue
            values[position] = _mask(value, hits)
            record = rows.iloc[position]
            for hit in hits:
                key = (record["source_file"], record["source_row"], field, hit.text)
                if key in seen:
                    continue
                seen.add(key)
                findings.append(
                    issue(
                        "published-personal-data",
                        file=record["source_file"],
                        sheet=record["source_sheet"],
                        row=int(record["source_row"]),
                        column=column_headers.get(field, field),
                        field=field,
                        value=hit.text,
                        kind=_KIND_TEXT[hit.kind]["en" if lang == "en" else "ru"],
                        lang=lang,
                    )
                )
        rows[field] = pd.Series(values, index=rows.index, dtype=object)
    return rows, findings


_KIND_TEXT = {
    "name": {"ru": "имя человека", "en": "a person's name"},
    "mobile": {"ru": "номер мобильного телефона", "en": "a mobile number"},
    "email": {"ru": "личный адрес электронной почты", "en": "a personal e-mail address"},
    "document": {"ru": "номер документа (СНИЛС, паспорт)", "en": "a document number"},
    "internal": {"ru": "внутренний адрес сети Департамента", "en": "an internal address"},
}
