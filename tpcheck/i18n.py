"""One place for every translated text of tpcheck (Russian by default, English on ``--lang en``).

The texts live in data, each with both languages, and this module is the one way to reach them:

* ``data/issues.toml`` — the findings (title, message, suggestion of every issue code),
  read by :mod:`tpcheck.findings`;
* ``data/outputs.toml`` ``[labels]`` — the labels of the reports and workbooks,
  read by :mod:`tpcheck.output.config`;
* ``data/texts.toml`` — everything else a person reads: the command's help and errors, the
  terminal summaries, the notebook tables, the messages of exceptions — :func:`text`.

``text("cli.template_written", "en", path="t.xlsx")`` → ``"Template written: t.xlsx"``. A key
missing in either language is an error at load time, and ``tests/test_i18n.py`` checks that the
two languages of every key use the same ``{placeholders}``.

The command (tpcheck/cli.py) reads ``--lang`` (before or after the command) or ``TPCHECK_LANG``
from the command line before it builds its parser, so every ``--help`` is in that language;
argparse's own messages come from the ``[argparse]`` table. An exception of
:mod:`tpcheck.errors` raised with ``key=`` and ``values=`` keeps both languages: ``str(exc)`` is
Russian, ``exc.message(lang)`` the language asked for — the library raises it without a ``lang``.

Some outputs are Russian by regulation whatever ``--lang`` says: the publication for the site
(п. 5.2 posts the Перечень of a Russian executive body), the headers of the consolidated sheet
that tools read back, and the template the subdivisions fill. See :data:`RUSSIAN_ONLY`.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["DEFAULT_LANG", "LANGS", "RUSSIAN_ONLY", "resolve_lang", "text", "texts"]

LANGS = ("ru", "en")
DEFAULT_LANG = "ru"
#: The environment variable that sets the language when ``--lang`` / ``lang=`` is not given.
LANG_ENV = "TPCHECK_LANG"

#: Outputs that stay Russian whatever the language asked for, and why.
RUSSIAN_ONLY = {
    "publication": "the Перечень posted on the Department's site (п. 5.2) is in Russian",
    "template": "the template the subdivisions fill is the Department's form",
    "consolidated_headers": "the consolidated sheet's headers are data that tools read back",
}


def resolve_lang(lang: str | None = None) -> str:
    """*lang* if given, else ``$TPCHECK_LANG``, else Russian; an unknown one is a ValueError."""
    chosen = lang or os.environ.get(LANG_ENV) or DEFAULT_LANG
    if chosen not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {chosen!r}")
    return chosen


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, dict[str, str]]:
    flat: dict[str, dict[str, str]] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and set(value) <= set(LANGS) and value:
            if set(value) != set(LANGS):
                raise ValueError(f"texts.toml: {name!r} must have exactly {LANGS}")
            flat[name] = value
        elif isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            raise ValueError(f"texts.toml: {name!r} must be a table of {LANGS}")
    return flat


@cache
def texts() -> dict[str, dict[str, str]]:
    """Every key of ``data/texts.toml`` (dotted: ``cli.template_written``) → ``{ru, en}``."""
    raw = resources.files("tpcheck.data").joinpath("texts.toml").read_text(encoding="utf-8")
    return _flatten(tomllib.loads(raw))


def text(key: str, lang: str | None = None, /, **values: Any) -> str:
    """The text *key* in *lang* (see :func:`resolve_lang`), its ``{placeholders}`` filled."""
    template = texts()[key][resolve_lang(lang)]
    return template.format(**values) if values else template
