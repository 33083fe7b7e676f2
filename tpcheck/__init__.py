"""tpcheck — the Перечень точек взаимодействия of приказ ДЧС Кузбасса № 134 as an Excel workflow.

Library first: ``make_template``, ``read``, ``validate``, ``merge``, ``check``, ``publish``,
``diff``; the ``tpcheck`` command calls each under the same name.
"""

from .classifiers import Classifiers, load_classifiers
from .errors import ClassifiersError, InputError, OutputError, TpcheckError
from .findings import FileInfo, Issue, Report
from .merge import Result, check, merge
from .template import make_template

__version__ = "0.1.0"

__all__ = [
    "Classifiers",
    "ClassifiersError",
    "FileInfo",
    "InputError",
    "Issue",
    "OutputError",
    "Report",
    "Result",
    "TpcheckError",
    "__version__",
    "check",
    "load_classifiers",
    "make_template",
    "merge",
]
