"""The outputs as data: file names, the consolidated sheet's extra headers, the colours of the
cells, charts and HTML pages (the only place a colour is written) and the labels of every report
in Russian and English (``tpcheck/data/outputs.toml``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..findings import LANGS

__all__ = ["Labels", "OutputSpec", "output_spec"]


class Labels:
    """The labels of one language: ``labels["col_file"]`` → «Файл»; ``labels.format("remarks_title",
    file=…)`` fills a template."""

    def __init__(self, table: dict[str, dict[str, str]], lang: str):
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
        self.lang = lang
        self._table = table

    def __getitem__(self, key: str) -> str:
        return self._table[key][self.lang]

    def format(self, key: str, **values: Any) -> str:
        return self[key].format(**values)

    def severity(self, severity: str) -> str:
        return self[f"severity_{severity}"]

    def status(self, status: str) -> str:
        return self._table.get(f"status_{status}", {}).get(self.lang, status)


@dataclass(frozen=True)
class OutputSpec:
    files: dict[str, str]
    consolidated: dict[str, str]
    colors: dict[str, str]
    chart_colors: tuple[str, ...]
    page_colors: dict[str, str]
    report_page_colors: dict[str, str]
    label_table: dict[str, dict[str, str]]

    def labels(self, lang: str = "ru") -> Labels:
        return Labels(self.label_table, lang)

    @property
    def provenance_headers(self) -> dict[str, str]:
        """``{"source_file": "Файл", "source_sheet": "Лист", "source_row": "Строка"}``: how the
        consolidated sheet names the frame's provenance columns."""
        return {
            key: self.consolidated[key] for key in ("source_file", "source_sheet", "source_row")
        }


@cache
def output_spec() -> OutputSpec:
    """``tpcheck/data/outputs.toml``, loaded once and checked."""
    text = resources.files("tpcheck.data").joinpath("outputs.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    labels = data["labels"]
    for key, value in labels.items():
        if set(value) != set(LANGS):
            raise ValueError(f"outputs.toml: label {key!r} must have exactly {LANGS}")
    return OutputSpec(
        files=dict(data["files"]),
        consolidated=dict(data["consolidated"]),
        colors=dict(data["colors"]),
        chart_colors=tuple(data["chart"]["series"]),
        page_colors=dict(data["page_colors"]),
        report_page_colors=dict(data["report_page_colors"]),
        label_table=labels,
    )
