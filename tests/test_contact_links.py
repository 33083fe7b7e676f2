"""Work contacts on the public page: phone numbers as tel:, e-mail addresses as mailto: links."""

from __future__ import annotations

import pytest

from tpcheck.findings import Report
from tpcheck.output.links import contact_links, tel_href
from tpcheck.publish.model import Publication
from tpcheck.publish.screen import MASK

from .frames import frame_from_files, valid_row


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+7 (3842) 00-00-00", '<a href="tel:+73842000000">+7 (3842) 00-00-00</a>'),
        ("8 (3842) 58-00-00", '<a href="tel:+73842580000">8 (3842) 58-00-00</a>'),
        ("8-800-100-00-00", '<a href="tel:+78001000000">8-800-100-00-00</a>'),
        ("8 (38452) 2-11-11", '<a href="tel:+73845221111">8 (38452) 2-11-11</a>'),
        (
            "тел. 8 (3842) 58-00-01, 8 (3842) 58-00-02",
            'тел. <a href="tel:+73842580001">8 (3842) 58-00-01</a>, '
            '<a href="tel:+73842580002">8 (3842) 58-00-02</a>',
        ),
        ("priem@dchs42.ru.", '<a href="mailto:priem@dchs42.ru">priem@dchs42.ru</a>.'),
        ("https://t.me/dchs42", '<a href="https://t.me/dchs42">https://t.me/dchs42</a>'),
        ("+7 913 000", "+7 913 000"),  # too short: not a number to call
        ("8 (3842) 58-00-011", "8 (3842) 58-00-011"),  # one digit too many
        ("каб. 214, 12.01.2024", "каб. 214, 12.01.2024"),
        ("<b>a@b.ru</b>", '&lt;b&gt;<a href="mailto:a@b.ru">a@b.ru</a>&lt;/b&gt;'),
        ('x"@y.ru', "x&quot;@y.ru"),  # a quote is no part of an address
        ("", ""),
    ],
)
def test_contact_links(text, expected):
    assert contact_links(text) == expected


@pytest.mark.parametrize(
    ("phone", "href"),
    [("+7 (3842) 00-00-00", "tel:+73842000000"), ("8 800 1000000", "tel:+78001000000"),
     ("112", None), ("9 (3842) 00-00-00", None)],
)  # fmt: skip
def test_tel_href(phone, href):
    assert tel_href(phone) == href


def test_the_public_page_links_work_contacts_and_keeps_masked_ones_masked(tmp_path):
    frame = frame_from_files(
        {
            "a.xlsx": [
                valid_row(
                    touchpoint="Горячая линия",
                    touchpoint_type="телефон",
                    location="8 (3842) 58-00-00, priem@dchs42.ru",
                ),
                valid_row(touchpoint="Телефон", location="Иванова А. С., +7 913 123-45-67"),
            ]
        }
    )
    publication = Publication.from_frame(frame, Report())
    page = publication.write(tmp_path)["html"].read_text(encoding="utf-8")
    assert '<a href="tel:+73842580000">8 (3842) 58-00-00</a>' in page
    assert '<a href="mailto:priem@dchs42.ru">priem@dchs42.ru</a>' in page
    assert MASK in page and "123-45-67" not in page and "tel:+7913" not in page
