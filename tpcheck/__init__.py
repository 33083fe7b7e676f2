"""tpcheck — the Перечень точек взаимодействия of приказ ДЧС Кузбасса № 134 as an Excel workflow.

Library first: ``make_template``, ``read``, ``validate``, ``merge``, ``check``, ``publish``,
``diff``; the ``tpcheck`` command calls each under the same name.
"""

from .classifiers import Classifiers, load_classifiers
from .diff import Diff, diff
from .errors import ClassifiersError, InputError, OutputError, TpcheckError
from .findings import FileInfo, Issue, Report
from .merge import Result, check, merge
from .publish import Publication, publish
from .reading import read
from .reading.registry import load_registry, load_roster
from .register import Register, RegisterError
from .templates import make_registry_template, make_template
from .validation import validate
from .version import __version__

__all__ = [
    "Classifiers",
    "ClassifiersError",
    "Diff",
    "FileInfo",
    "InputError",
    "Issue",
    "OutputError",
    "Publication",
    "Register",
    "RegisterError",
    "Report",
    "Result",
    "TpcheckError",
    "__version__",
    "check",
    "diff",
    "load_classifiers",
    "load_registry",
    "load_roster",
    "make_registry_template",
    "make_template",
    "merge",
    "publish",
    "read",
    "validate",
]


def __dir__() -> list[str]:
    """The public API only (the submodules stay importable, but are not listed)."""
    return sorted(__all__)
