"""The words for the kinds of change, shared by the model and the writers of ``diff``."""

__all__ = ["KIND_LABELS", "REGISTRY_LABELS"]

KIND_LABELS = {"added": "добавлена", "removed": "исключена", "changed": "изменена"}
REGISTRY_LABELS = {"included": "Включены в реестр", "excluded": "Исключены из реестра"}
