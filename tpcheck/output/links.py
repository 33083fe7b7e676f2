"""Work contacts as links on a page: web addresses, e-mail addresses (``mailto:``) and phone
numbers (``tel:``) in the forms clerks write them — «+7 (3842) 00-00-00», «8 (3842) 58-00-00»,
«8-800-100-00-00». Everything else is escaped text; a phone number is linked only when it has
the eleven digits of a full Russian number, so a date, a room or a short code never becomes one."""

from __future__ import annotations

import re

from .htmlpage import escape

__all__ = ["contact_links", "tel_href"]

_CONTACT = re.compile(
    r"(?P<url>https?://[^\s<>\"'«»]+)"
    r"|(?P<mail>(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    r"\.[A-Za-zа-яА-ЯёЁ]{2,})"
    r"|(?P<phone>(?<![\w+])(?:\+7|8)[\s\u00a0-]*(?:"
    + "|".join(
        rf"\(?[\s\u00a0]*\d{{{area}}}[\s\u00a0]*\)?(?:[\s\u00a0-]*\d){{{10 - area}}}"
        for area in (3, 4, 5)
    )
    + r")(?!\w))"
)


def tel_href(phone: str) -> str | None:
    """``tel:+7…`` for a full Russian number (11 digits starting with 7 or 8), else None."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) != 11 or digits[0] not in "78":
        return None
    return f"tel:+7{digits[1:]}"


def contact_links(text: str | None) -> str:
    """Escaped *text* with its web addresses, e-mail addresses and phone numbers as links."""
    if not text:
        return ""
    out, last = [], 0
    for match in _CONTACT.finditer(text):
        shown = match.group(0)
        if match.lastgroup == "url":
            shown = shown.rstrip(".,;:)")
            href = shown
        elif match.lastgroup == "mail":
            href = f"mailto:{shown}"
        else:
            href = tel_href(shown)
            if href is None:
                continue
        out.append(escape(text[last : match.start()]))
        out.append(f'<a href="{escape(href)}">{escape(shown)}</a>')
        last = match.start() + len(shown)
    out.append(escape(text[last:]))
    return "".join(out)
