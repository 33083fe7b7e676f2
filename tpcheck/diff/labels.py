"""The words of a change report: the kinds of change and of registry change, and the label of a
change on no ground of п. 5.3 — shared by the model (:mod:`.model`) and the writers
(:mod:`.write`)."""

from __future__ import annotations

__all__ = ["EDITORIAL", "EDITORIAL_LABEL", "INFERRED_PREFIX", "KIND_LABELS", "REGISTRY_LABELS"]

EDITORIAL = "editorial"
EDITORIAL_LABEL = "редакционное или иное изменение (не основание п. 5.3)"
#: Put before a ground the tool inferred rather than saw (ground 1 without the registries).
INFERRED_PREFIX = "вероятно"
KIND_LABELS = {"added": "добавлена", "removed": "исключена", "changed": "изменена"}
REGISTRY_LABELS = {"included": "Включены в реестр", "excluded": "Исключены из реестра"}
