"""The approval act of the Перечень (п. 5.1) in the heading of the page and the workbook, or
«проект» without it; the page no longer calls the Перечень an appendix to приказ № 134."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from tpcheck.cli import main
from tpcheck.publish.html import publication_html
from tpcheck.publish.model import Publication

from . import publish_data as data
from .conftest import ROOT

ACT = "приказ Департамента от 20.01.2026 № 15"


def _publication(approved_by: str | None) -> Publication:
    frame = data.frame()
    return Publication.from_frame(
        frame, data.report(frame), as_of=dt.date(2026, 1, 15), approved_by=approved_by
    )


@pytest.mark.parametrize(
    ("approved_by", "shown", "absent"),
    [
        (None, "Проект: Перечень еще не утвержден", ACT),
        ("  ", "Проект: Перечень еще не утвержден", ACT),
        (ACT, f"Утвержден: {ACT}", "Проект"),
    ],
)
def test_the_page_and_the_workbook_show_the_act_or_draft(approved_by, shown, absent, tmp_path):
    publication = _publication(approved_by)
    page = publication_html(publication)
    assert shown in page and absent not in page
    paths = publication.write(tmp_path)
    sheet = openpyxl.load_workbook(paths["xlsx"]).worksheets[0]
    assert sheet["B1"].value.startswith(shown)
    opened = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert opened["approved_by"] == (ACT if approved_by == ACT else None)
    assert opened["status"].startswith(shown)


def test_the_page_does_not_call_the_list_an_appendix_to_the_order():
    page = publication_html(_publication(None))
    assert "), приложение;" not in page
    assert "По форме приложения к Порядку ведения перечня" in page


def test_cli_passes_the_approval_act(tmp_path, capsys):
    out = tmp_path / "out"
    main(["publish", str(ROOT / "samples"), "-o", str(out), "--approved-by", ACT])
    assert f"Утвержден: {ACT}" in (out / "perechen.html").read_text(encoding="utf-8")
