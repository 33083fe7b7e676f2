"""The personal-data and internal-address screen (152-ФЗ): what it flags and what it must not."""

from __future__ import annotations

import json

import openpyxl
import pytest

import tpcheck
from tpcheck.findings import Report
from tpcheck.publish.model import Publication
from tpcheck.publish.screen import MASK, find, read_allow_list

from .conftest import ROOT
from .frames import frame_from_files, valid_row


@pytest.mark.parametrize(
    ("text", "hits"),
    [
        # personal names
        ("Ответственный: Иванова А. С.", [("name", "Иванова А. С.")]),
        ("звонить А.С. Иванову", [("name", "А.С. Иванову")]),
        ("Петров-Водкин К.С.", [("name", "Петров-Водкин К.С.")]),
        ("Иванова Анна Сергеевна, каб. 5", [("name", "Иванова Анна Сергеевна")]),
        ("Анна Сергеевна Иванова", [("name", "Анна Сергеевна Иванова")]),
        # mobile numbers
        ("+7 913 123-45-67", [("mobile", "+7 913 123-45-67")]),
        ("тел. 8 (905) 111 22 33", [("mobile", "8 (905) 111 22 33")]),
        ("+79131234567", [("mobile", "+79131234567")]),
        # personal mail on public services
        ("ivanova.anna@mail.ru", [("email", "ivanova.anna@mail.ru")]),
        ("petrov1980@gmail.com", [("email", "petrov1980@gmail.com")]),
        # document numbers
        ("СНИЛС 123-456-789 01", [("document", "123-456-789 01")]),
        ("паспорт 32 10 123456", [("document", "32 10 123456")]),
        # internal hosts
        ("http://portal.dchs.local", [("internal", "portal.dchs.local")]),
        ("files.dchs.lan/share", [("internal", "files.dchs.lan")]),
        ("https://sed.corp/", [("internal", "sed.corp")]),
        ("\\\\10.0.12.5\\docs", [("internal", "10.0.12.5")]),
        ("http://192.168.1.10:8080/", [("internal", "192.168.1.10")]),
        ("172.20.0.1", [("internal", "172.20.0.1")]),
        ("http://portal/hr", [("internal", "http://portal")]),
        # the Department's work phones, shared and official addresses: never flagged
        ("+7 (3842) 00-00-00", []),
        ("8 (3842) 58-00-00", []),
        ("+7 3842 58 00 00", []),
        ("priemnaya@dchs.kuzbass.ru", []),
        ("priemnaya@mail.ru", []),
        ("info@yandex.ru", []),
        ("ivanov@dchs.kuzbass.ru", []),
        ("https://dchs.kuzbass.ru", []),
        ("https://vk.com/dchs_kuzbass", []),
        ("172.32.0.1", []),
        ("Отдел кадров, кабинет 214", []),
        ("Федеральный закон от 09.02.2009 № 8-ФЗ", []),
        ("Постановление Правительства РФ от 27.09.2011 № 797", []),
        ("Начальник отдела А. Н. Ч.", []),
        ("Прием граждан по вторникам", []),
    ],
)
def test_find(text, hits):
    assert [(h.kind, h.text) for h in find(text)] == hits


def test_an_allowed_fragment_is_not_flagged():
    assert find("Иванова А. С.", {"Иванова А. С."}) == []
    assert [h.text for h in find("Иванова А. С., Петров Б. В.", {"Иванова А. С."})] == [
        "Петров Б. В."
    ]


def test_read_allow_list(tmp_path):
    path = tmp_path / "allow.txt"
    path.write_text("# проверено 20.01.2026\nИванова А. С.\n\nhttp://portal\n", encoding="utf-8")
    assert read_allow_list(path) == {"Иванова А. С.", "http://portal"}
    assert read_allow_list(None) == frozenset()


def test_the_publication_masks_each_hit_and_reports_its_cell(tmp_path):
    frame = frame_from_files(
        {
            "a.xlsx": [
                valid_row(procedure="Запись у Ивановой А. С. по телефону +7 913 123-45-67"),
                valid_row(touchpoint="Телефон", location="+7 (3842) 00-00-00"),
            ]
        }
    )
    publication = Publication.from_frame(frame, Report())
    procedure = publication.records()[0]["procedure"]
    assert procedure == f"Запись у {MASK} по телефону {MASK}"
    assert publication.records()[1]["location"] == "+7 (3842) 00-00-00"
    assert [(s.row, s.field, s.value) for s in publication.screened] == [
        (3, "procedure", "Ивановой А. С."),
        (3, "procedure", "+7 913 123-45-67"),
    ]
    paths = publication.write(tmp_path)
    sheet = openpyxl.load_workbook(paths["xlsx"]).worksheets[0]
    texts = {"xlsx": " ".join(str(c.value) for row in sheet.iter_rows() for c in row)}
    for key in ("html", "csv", "json"):
        texts[key] = paths[key].read_bytes().decode("utf-8-sig")
    for key, text in texts.items():
        assert "123-45-67" not in text and "Ивановой" not in text, key
        assert MASK in text, key
    report = json.loads(paths["report"].read_text(encoding="utf-8"))
    assert [s["value"] for s in report["screened"]] == ["Ивановой А. С.", "+7 913 123-45-67"]


def test_on_the_samples_the_intranet_address_is_withheld(tmp_path):
    publication = tpcheck.publish(ROOT / "samples")
    publication.write(tmp_path / "out")
    assert "portal.dchs.local" in {s.value for s in publication.screened}
    page = (tmp_path / "out" / "perechen.html").read_text(encoding="utf-8")
    assert "portal.dchs.local" not in page
    allow = tmp_path / "allow.txt"
    allow.write_text("portal.dchs.local\n", encoding="utf-8")
    allowed = tpcheck.publish(ROOT / "samples", allow_list=allow)
    assert "portal.dchs.local" not in {s.value for s in allowed.screened}
