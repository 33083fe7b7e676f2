"""The deprecated ``out_dir`` of ``publish()`` and ``diff()``: every function that produces
outputs returns an object whose ``.write(folder)`` writes them; ``out_dir`` still writes for one
release, with a :class:`DeprecationWarning`."""

from __future__ import annotations

import warnings

from ..i18n import text

__all__ = ["warn_out_dir"]


def warn_out_dir(function: str, lang: str | None = None) -> None:
    """Warn the caller of ``tpcheck.<function>(…, out_dir=…)`` (two frames up) to use
    ``.write(folder)`` instead."""
    warnings.warn(
        text("api.out_dir_deprecated", lang, function=function), DeprecationWarning, stacklevel=3
    )
