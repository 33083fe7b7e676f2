"""The register of versions of the Перечень (п. 3.3, 5.1–5.5): :class:`Register`.

A folder the authorized person keeps (``./perechen_versii`` by default) holding the database
(:mod:`.schema`) and a read-only copy of every approved workbook (:mod:`.store`). It records

* the versions approved by an act of the Department (п. 5.1): :meth:`Register.approve`;
* their publications on the site (п. 5.2): :meth:`Register.publish`;
* the subdivisions' reports of changes (п. 5.4), each file received with what it changes against
  the latest approved version: :meth:`Register.intake`;

and computes from them the deadlines of п. 5.5: :meth:`Register.status`, :meth:`Register.diff`.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..classifiers import Classifiers
from ..diff.model import Diff
from ..errors import TpcheckError
from ..i18n import text
from ..pipeline import resolve_classifiers
from ..publish.model import Publication, publish
from . import schema
from .changes import signature, subdivision_of, submission_diff
from .properties import reported_by
from .store import place, sha256_of, stored_name

if TYPE_CHECKING:
    from ..merge import Result
    from .status import Status

__all__ = ["DEFAULT_REGISTER", "Register", "RegisterError"]

#: Where the register is kept when no folder is given.
DEFAULT_REGISTER = "perechen_versii"


class RegisterError(TpcheckError):
    """The register cannot do what was asked (a workbook with blocking findings, an unknown
    version, a stored workbook altered by hand, a register of a newer tpcheck): the message
    says which and what to do."""


def _iso(value: dt.date | str) -> str:
    return (
        value.isoformat()
        if isinstance(value, dt.date)
        else dt.date.fromisoformat(value).isoformat()
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Register:
    """The register in the folder *path* (created on first use).

    >>> register = tpcheck.Register("perechen_versii")                      # doctest: +SKIP
    >>> register.approve("svod/perechen_svodny.xlsx", act="приказ … № 12",
    ...                  date="2026-01-15")                                  # doctest: +SKIP
    >>> register.status(today="2026-02-01")                                 # doctest: +SKIP
    """

    def __init__(
        self,
        path: str | Path = DEFAULT_REGISTER,
        *,
        classifiers: Classifiers | str | Path | None = None,
        lang: str = "ru",
    ):
        self.path = Path(path)
        self.lang = lang
        self.classifiers = resolve_classifiers(classifiers)
        if self.path.exists() and not self.path.is_dir():
            raise RegisterError(text("register.not_a_folder", lang, path=self.path))
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            self.db = schema.connect(self.path / schema.DATABASE)
        except ValueError as exc:
            raise RegisterError(
                text("register.newer_schema", lang, path=self.path, found=exc.args[0])
            ) from None
        except sqlite3.DatabaseError as exc:
            raise RegisterError(
                text("register.broken", lang, path=self.path / schema.DATABASE, reason=exc)
            ) from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Register {self.path} versions={len(self.versions())}>"

    # ------------------------------------------------------------------ versions
    def versions(self) -> pd.DataFrame:
        """Every approved version with its act, date, sha256, counts and first publication."""
        rows = self.db.execute(
            "SELECT v.number, v.act, v.approved_on, v.file, v.source_name, v.sha256, v.rows, "
            "v.rows_published, v.rows_held_back, v.errors, v.warnings, v.forced, v.force_reason, "
            "v.deadline, (SELECT MIN(p.published_on) FROM publications p "
            "WHERE p.version = v.number) AS published_on FROM versions v ORDER BY v.number"
        ).fetchall()
        columns = [
            "number", "act", "approved_on", "file", "source_name", "sha256", "rows",
            "rows_published", "rows_held_back", "errors", "warnings", "forced", "force_reason",
            "deadline", "published_on",
        ]  # fmt: skip
        return _frame(rows, columns)

    def latest(self) -> int | None:
        """The number of the latest approved version (None before the first)."""
        return self.db.execute("SELECT MAX(number) FROM versions").fetchone()[0]

    def _version_row(self, number: int | None) -> sqlite3.Row:
        number = self.latest() if number is None else number
        row = None
        if number is not None:
            row = self.db.execute("SELECT * FROM versions WHERE number = ?", (number,)).fetchone()
        if row is None:
            if number is None:
                raise RegisterError(text("register.no_versions", self.lang, path=self.path))
            raise RegisterError(text("register.no_such_version", self.lang, number=number))
        return row

    def workbook(self, number: int | None = None) -> Path:
        """The stored workbook of version *number* (default: the latest), checked against its
        sha256."""
        row = self._version_row(number)
        path = self.path / row["file"]
        if not path.is_file() or sha256_of(path) != row["sha256"]:
            raise RegisterError(
                text("register.altered", self.lang, number=row["number"], path=path)
            )
        return path

    def verify(self) -> list[int]:
        """The versions whose stored workbook is missing or altered (empty when all are intact)."""
        bad = []
        for number in self.versions()["number"]:
            try:
                self.workbook(int(number))
            except RegisterError:
                bad.append(int(number))
        return bad

    def publication(self, number: int | None = None) -> Publication:
        """Version *number* (default: the latest) laid out for publication."""
        row = self._version_row(number)
        result = publish(self.workbook(row["number"]), classifiers=self.classifiers, lang=self.lang)
        result.as_of = dt.date.fromisoformat(row["approved_on"])
        result.approval = {"act": row["act"], "version": row["number"]}
        return result

    def approve(
        self,
        consolidated: str | Path,
        *,
        act: str,
        date: dt.date | str,
        force: bool = False,
        reason: str | None = None,
    ) -> dict[str, Any]:
        """Record *consolidated* (a workbook of ``tpcheck merge``) as the next version, approved
        by *act* on *date*; its copy is kept read-only. A workbook with blocking findings (rows
        the publication would hold back) is refused unless *force* with a *reason*, which is
        recorded. Returns the version's record."""
        source = Path(consolidated)
        if not source.is_file():
            raise RegisterError(text("register.no_file", self.lang, path=source))
        if not act.strip():
            raise RegisterError(text("register.no_act", self.lang))
        if force and not (reason or "").strip():
            raise RegisterError(text("register.force_without_reason", self.lang))
        approved_on = _iso(date)
        candidate = publish(source, classifiers=self.classifiers, lang=self.lang)
        held = candidate.excluded
        if len(held) and not force:
            first = held.iloc[0]
            where = f"{first['file']}" + ("" if pd.isna(first["row"]) else f", {int(first['row'])}")
            raise RegisterError(
                text(
                    "register.blocking",
                    self.lang,
                    path=source,
                    count=len(held),
                    first=where,
                    codes=", ".join(first["codes"]),
                )
            )
        previous = self.latest()
        if previous is not None:
            row = self._version_row(previous)
            if row["approved_on"] > approved_on:
                raise RegisterError(
                    text(
                        "register.date_before",
                        self.lang,
                        date=approved_on,
                        number=previous,
                        previous=row["approved_on"],
                    )
                )
            if row["sha256"] == sha256_of(source):
                raise RegisterError(text("register.same_workbook", self.lang, number=previous))
        deadline = None
        if previous is not None:
            changes = self._diff(self.publication(previous), candidate, previous, approved_on)
            deadline = None if changes.deadline is None else changes.deadline.date.isoformat()
        summary = candidate.report.summary
        subdivisions = _names(candidate.source.get("subdivision", ()))
        with schema.transaction(self.db):
            if self.latest() != previous:
                raise RegisterError(text("register.raced", self.lang))
            number = (previous or 0) + 1
            name = stored_name(number, source)
            digest = place(source, self.path, name)
            try:
                self.db.execute(
                    "INSERT INTO versions (number, act, approved_on, file, source_name, sha256, "
                    "rows, rows_published, rows_held_back, errors, warnings, forced, "
                    "force_reason, deadline, subdivisions, recorded_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        number, act.strip(), approved_on, name, str(source), digest,
                        int(candidate.summary["rows_read"]),
                        int(candidate.summary["rows_published"]), len(held),
                        int(summary["errors"]), int(summary["warnings"]), int(bool(force)),
                        (reason or "").strip() or None, deadline,
                        json.dumps(subdivisions, ensure_ascii=False), _now(),
                    ),
                )  # fmt: skip
            except BaseException:
                (self.path / name).unlink()  # not recorded: the number is free again
                raise
        return self.versions().set_index("number").loc[number].to_dict() | {"number": number}

    # ------------------------------------------------------------------ publication
    def publish(
        self,
        out_dir: str | Path,
        *,
        version: int | None = None,
        published_on: dt.date | str | None = None,
    ) -> Publication:
        """Write the publication of *version* (default: the latest) into *out_dir*, its heading
        naming the act and the version, and record the date it is published (default: today)."""
        row = self._version_row(version)
        result = self.publication(row["number"])
        when = _iso(published_on or dt.date.today())
        if when < row["approved_on"]:
            raise RegisterError(
                text("register.published_before", self.lang, date=when, number=row["number"])
            )
        result.write(out_dir)
        with schema.transaction(self.db):
            self.db.execute(
                "INSERT INTO publications (version, published_on, out_dir, recorded_at) "
                "VALUES (?, ?, ?, ?)",
                (row["number"], when, str(out_dir), _now()),
            )
        return result

    # ------------------------------------------------------------------ intake (п. 5.4)
    def intake(self, result: Result, *, received_on: dt.date | str | None = None) -> pd.DataFrame:
        """Record every file *result* (of :func:`tpcheck.merge`) read as a submission: its
        subdivision, name, sha256, the date received (*received_on*, else the file's date),
        who reported it when the file says so, and what it changes against the latest approved
        version. Returns the records made (one row per file)."""
        files = [info for info in result.report.files if info.status == "ok"]
        for _attempt in range(5):
            latest = self.latest()
            version = None if latest is None else self.publication(latest)
            prepared = [self._prepare(info.path, result, version, received_on) for info in files]
            with schema.transaction(self.db):
                if self.latest() != latest:
                    continue  # a version was approved meanwhile: compare with it instead
                ids = [
                    self._insert(entry, latest) for entry in prepared if self._new(entry, latest)
                ]
            return self.intake_log().set_index("id").loc[ids].reset_index()
        raise RegisterError(text("register.raced", self.lang))

    def _prepare(
        self, path: str, result: Result, version: Publication | None, received_on: Any
    ) -> dict[str, Any]:
        frame = result.frame[result.frame["source_file"] == path]
        file = Path(path)
        if received_on is not None:
            when, how = _iso(received_on), "option"
        else:
            when = dt.date.fromtimestamp(file.stat().st_mtime).isoformat()
            how = "file"
        changes = submission_diff(version, frame, result.report, path, self.classifiers, self.lang)
        return {
            "subdivision": subdivision_of(frame, path),
            "file_name": file.name,
            "sha256": sha256_of(file),
            "received_on": when,
            "date_source": how,
            "reported_by": reported_by(file),
            "rows": len(frame),
            "changes": [(c, changes.posting(c)) for c in changes.changes],
        }

    def _new(self, entry: dict[str, Any], against: int | None) -> bool:
        """False for a file already recorded (same subdivision and sha256, same version): a
        folder merged again is not a new report."""
        found = self.db.execute(
            "SELECT 1 FROM submissions WHERE subdivision = ? AND sha256 = ? "
            "AND against_version IS ?",
            (entry["subdivision"], entry["sha256"], against),
        ).fetchone()
        return found is None

    def _insert(self, entry: dict[str, Any], against: int | None) -> int:
        cursor = self.db.execute(
            "INSERT INTO submissions (subdivision, file_name, sha256, received_on, date_source, "
            "against_version, rows, recorded_at, reported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry["subdivision"], entry["file_name"], entry["sha256"], entry["received_on"],
                entry["date_source"], against, entry["rows"], _now(), entry["reported_by"],
            ),
        )  # fmt: skip
        submission = cursor.lastrowid
        for change, posting in entry["changes"]:
            item = change.to_dict()
            self.db.execute(
                "INSERT INTO changes (submission, kind, grounds, direction, activity, touchpoint, "
                "fields, posting, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    submission, change.kind, ",".join(change.grounds), change.direction,
                    change.activity, change.touchpoint,
                    json.dumps(item["fields"], ensure_ascii=False), int(posting),
                    signature(item),
                ),
            )  # fmt: skip
        return int(submission)

    def intake_log(self) -> pd.DataFrame:
        """Every submission received, oldest first, with the number of changes it reports."""
        rows = self.db.execute(
            "SELECT s.*, (SELECT COUNT(*) FROM changes c WHERE c.submission = s.id) AS changes "
            "FROM submissions s ORDER BY s.received_on, s.id"
        ).fetchall()
        columns = [d[0] for d in self.db.execute("SELECT * FROM submissions LIMIT 0").description]
        return _frame(rows, [*columns, "changes"])

    def reported_dates(self, against: int) -> dict[str, dt.date]:
        """signature of a change → the first date it was reported against version *against*."""
        rows = self.db.execute(
            "SELECT c.signature, MIN(s.received_on) FROM changes c "
            "JOIN submissions s ON s.id = c.submission WHERE s.against_version IS ? "
            "GROUP BY c.signature",
            (against,),
        ).fetchall()
        return {sig: dt.date.fromisoformat(day) for sig, day in rows}

    # ------------------------------------------------------------------ diff, status
    def _diff(self, old: Publication, new: Publication, against: int, fallback: str) -> Diff:
        result = Diff.between(
            old, new, changed_on=dt.date.fromisoformat(fallback), classifiers=self.classifiers,
            lang=self.lang,
        )  # fmt: skip
        dates = self.reported_dates(against)
        result.reported = [dates.get(signature(c), result.changed_on) for c in result.changes]
        return result

    def diff(self, old: int, new: int) -> Diff:
        """The changes from version *old* to version *new*; each change dated by the day it was
        reported (the intake log), or, when no subdivision reported it, the approval of *new*."""
        row = self._version_row(new)
        self._version_row(old)
        return self._diff(self.publication(old), self.publication(new), old, row["approved_on"])

    def status(self, today: dt.date | str | None = None) -> Status:
        """The table the authorized person works from (see :class:`~.status.Status`)."""
        from .status import build_status

        return build_status(self, dt.date.fromisoformat(_iso(today or dt.date.today())))


def _frame(rows: list[sqlite3.Row], columns: list[str]) -> pd.DataFrame:
    """Rows of the database as a frame; a NULL stays None (not NaN)."""
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns, dtype=object)
    return frame.where(frame.notna(), None)


def _names(values: Iterable[Any]) -> list[str]:
    return sorted({str(v).strip() for v in values if isinstance(v, str) and v.strip()})
