"""The Excel templates, generated from the classifiers: the Перечень's (:mod:`.perechen`) and
the registry of processes' (:mod:`.registry`)."""

from .perechen import make_template
from .registry import make_registry_template

__all__ = ["make_registry_template", "make_template"]
