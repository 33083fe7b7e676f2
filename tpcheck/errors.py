"""tpcheck's exceptions: for broken usage only. Problems found in the clerks' files are
:class:`tpcheck.findings.Issue` records, never exceptions.

Each class's docstring says how to fix what raised it; the CLI prints ``Ошибка: <message>`` and
exits with code 2.

Language: an exception raised with a text *key* of data/texts.toml (``InputError(key=...,
values=...)``) keeps both languages: ``str(exc)`` is Russian, as the library's default, and
``exc.message("en")`` is English — the CLI shows ``exc.message(lang)``. The library functions
therefore need no ``lang`` to raise. An exception raised with a plain message says it in every
language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .i18n import DEFAULT_LANG, text

__all__ = ["ClassifiersError", "InputError", "OutputError", "TpcheckError"]


class TpcheckError(Exception):
    """Base class of tpcheck's exceptions."""

    def __init__(
        self, message: str = "", *, key: str | None = None, values: Mapping[str, Any] | None = None
    ) -> None:
        self.key = key
        self.values = dict(values or {})
        super().__init__(text(key, DEFAULT_LANG, **self.values) if key else message)

    def message(self, lang: str | None = None) -> str:
        """The message in *lang* (Russian by default)."""
        return text(self.key, lang or DEFAULT_LANG, **self.values) if self.key else str(self)


class ClassifiersError(TpcheckError):
    """The classifiers or columns file is malformed: fix the entry the message names (see
    docs/classifiers.md for the keys each list accepts)."""


class InputError(TpcheckError):
    """The inputs cannot be used at all (no such file, nothing readable among them): check the
    paths given on the command line."""


class OutputError(TpcheckError):
    """An output cannot be written (it would overwrite an input, or the folder is not writable):
    choose another output path."""
