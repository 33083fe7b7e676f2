"""tpcheck's own outputs among the files found in a folder (issues 15 and 16).

Every workbook tpcheck writes names its kind in the document property ``tpcheck-kind``
(:mod:`tpcheck.output.kind`). In a folder, the outputs that never hold a submission (the error
report, the publication and its internal report, the change report, the register's status) and
the return and fixed copies nobody has saved since tpcheck wrote them are skipped, each with the
notice ``file-own-output``; a folder holding a consolidated workbook is read from it alone (every
other file below it skipped with ``file-beside-consolidated``). A file named by the user is
always read. The kinds found are kept, so that the provenance columns are restored only from a
consolidated workbook tpcheck wrote (:func:`tpcheck.pipeline.restore_provenance`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..findings import Issue, issue
from ..i18n import text
from ..output.kind import CONSOLIDATED, NOT_SUBMISSIONS, RETURNED, kind_of, saved_since_written
from .discover import Candidate

__all__ = ["OwnOutputs", "sort_own"]


@dataclass
class OwnOutputs:
    """``kinds``: shown path → kind of every tpcheck workbook met; ``skips``: index of a
    candidate not to read → (reason shown in report.json, its notice)."""

    kinds: dict[str, str] = field(default_factory=dict)
    skips: dict[int, tuple[str, Issue]] = field(default_factory=dict)


def sort_own(candidates: Sequence[Candidate], lang: str) -> OwnOutputs:
    """Recognise tpcheck's outputs among *candidates* (those not already skipped)."""
    found = OwnOutputs()
    for candidate in candidates:
        if candidate.skip is None and candidate.unreadable is None:
            kind = kind_of(candidate.real)
            if kind is not None:
                found.kinds[candidate.path] = kind
    consolidated: dict[str, str] = {}  # folder as given → its first consolidated workbook
    for candidate in candidates:
        root = candidate.root
        if root is not None and found.kinds.get(candidate.path) == CONSOLIDATED:
            consolidated.setdefault(root, candidate.path)
    for index, candidate in enumerate(candidates):
        if candidate.skip is not None or candidate.explicit or candidate.root is None:
            continue
        kind = found.kinds.get(candidate.path)
        if kind == CONSOLIDATED:
            continue
        book = consolidated.get(candidate.root)
        if book is not None:
            reason = text("reading.beside_consolidated", lang, consolidated=book)
            notice = issue(
                "file-beside-consolidated",
                lang=lang,
                file=candidate.path,
                folder=candidate.root,
                consolidated=book,
            )
            found.skips[index] = (reason, notice)
        elif kind in NOT_SUBMISSIONS or (
            kind in RETURNED and not saved_since_written(candidate.real)
        ):
            name = text(f"reading.kind.{kind}", lang)
            reason = text("reading.own_output", lang, kind=name)
            found.skips[index] = (
                reason,
                issue("file-own-output", lang=lang, file=candidate.path, kind=name),
            )
    return found
