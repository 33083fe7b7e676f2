"""The columns of the status tables, shared by the model (:mod:`.status`) and its writers
(:mod:`.status_write`)."""

__all__ = ["SUBDIVISION_COLUMNS", "VERSION_COLUMNS"]

SUBDIVISION_COLUMNS = (
    "subdivision",
    "last_report",
    "file",
    "reported_by",
    "change",
    "touchpoint",
    "activity",
    "fields",
    "ground",
    "reported_on",
    "deadline",
    "overdue",
)
VERSION_COLUMNS = (
    "version",
    "act",
    "approved_on",
    "rows",
    "forced",
    "deadline",
    "published_on",
    "in_time",
)
