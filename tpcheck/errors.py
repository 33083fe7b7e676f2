"""tpcheck's exceptions: for broken usage only. Problems found in the clerks' files are
:class:`tpcheck.findings.Issue` records, never exceptions.

Each class's docstring says how to fix what raised it; the CLI prints ``Ошибка: <message>`` and
exits with code 2.
"""

from __future__ import annotations

__all__ = ["ClassifiersError", "InputError", "OutputError", "TpcheckError"]


class TpcheckError(Exception):
    """Base class of tpcheck's exceptions."""


class ClassifiersError(TpcheckError):
    """The classifiers or columns file is malformed: fix the entry the message names (see
    docs/classifiers.md for the keys each list accepts)."""


class InputError(TpcheckError):
    """The inputs cannot be used at all (no such file, nothing readable among them): check the
    paths given on the command line."""


class OutputError(TpcheckError):
    """An output cannot be written (it would overwrite an input, or the folder is not writable):
    choose another output path."""
