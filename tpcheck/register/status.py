"""What ``tpcheck status`` shows: per subdivision its last report and the changes awaiting
approval (п. 5.3 ground, date reported, deadline of п. 5.5, overdue), and the versions with their
acts, deadlines and publications — :class:`Status`, with ``write`` (status.xlsx, status.html) and
a notebook rendering.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diff.model import EDITORIAL
from ..diff.workdays import publication_deadline
from ..output.atomic import atomic_paths, output_paths
from ..output.config import output_spec
from .columns import SUBDIVISION_COLUMNS, VERSION_COLUMNS
from .status_write import tables_html, write_html, write_xlsx

if TYPE_CHECKING:
    from .model import Register

__all__ = ["OUTPUT_FILES", "SUBDIVISION_COLUMNS", "VERSION_COLUMNS", "Status", "build_status"]

OUTPUT_FILES = {"xlsx": "status.xlsx", "html": "status.html"}


#: The columns of each table (keys of :attr:`Status.subdivisions` / :attr:`Status.versions`,
#: labelled by ``register_col_<key>`` of outputs.toml).
def _date(value: str | None) -> str:
    return "" if not value else dt.date.fromisoformat(value).strftime("%d.%m.%Y")


@dataclass
class Status:
    """``subdivisions`` and ``versions``: lists of rows (dicts of display texts, plus ``late``:
    whether the row is overdue) in the order shown."""

    today: dt.date
    register: Path
    subdivisions: list[dict[str, Any]]
    versions: list[dict[str, Any]]
    lang: str = "ru"

    @property
    def labels(self):
        return output_spec().labels(self.lang)

    @property
    def title(self) -> str:
        return self.labels.format("register_title", date=f"{self.today:%d.%m.%Y}")

    def headers(self, columns: tuple[str, ...]) -> list[str]:
        return [self.labels[f"register_col_{key}"] for key in columns]

    @property
    def summary(self) -> dict[str, Any]:
        pending = [r for r in self.subdivisions if r["change"] and r["_pending"]]
        return {
            "versions": len(self.versions),
            "latest": self.versions[-1]["version"] if self.versions else None,
            "pending": len(pending),
            "overdue": sum(r["late"] for r in pending),
            "versions_late": sum(r["late"] for r in self.versions),
        }

    def summary_text(self) -> str:
        s = self.summary
        lines = [
            self.title,
            self.labels.format(
                "register_summary",
                versions=s["versions"],
                latest=s["latest"] or "—",
                pending=s["pending"],
                overdue=s["overdue"],
            ),
        ]
        for columns, rows in (
            (SUBDIVISION_COLUMNS, self.subdivisions),
            (VERSION_COLUMNS, self.versions),
        ):
            lines.append("")
            lines.append(" | ".join(self.headers(columns)))
            for row in rows:
                mark = "!! " if row["late"] else ""
                lines.append(mark + " | ".join(str(row[k] or "—") for k in columns))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "summary": self.summary,
            "subdivisions": [
                {k: r[k] for k in (*SUBDIVISION_COLUMNS, "late")} for r in self.subdivisions
            ],
            "versions": [{k: r[k] for k in (*VERSION_COLUMNS, "late")} for r in self.versions],
        }

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write status.xlsx and status.html into *out_dir* (created if needed), all or none."""
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        paths = output_paths(out_dir, OUTPUT_FILES, ())
        with atomic_paths(paths) as temporary:
            write_xlsx(self, temporary["xlsx"])
            write_html(self, temporary["html"])
        return paths

    def __repr__(self) -> str:
        return f"<Status {json.dumps(self.summary)}>"

    def _repr_html_(self) -> str:
        return tables_html(self)


# ------------------------------------------------------------------ building


def _ground(register: Register, codes: str, lang: str) -> str:
    out = []
    for code in codes.split(","):
        if code == EDITORIAL:
            out.append(output_spec().labels(lang)["register_editorial"])
        else:
            entry = register.classifiers["update_ground"].by_code(code)
            out.append(f"{entry.label} ({entry.clause})")
    return "; ".join(out)


def _versions(register: Register, today: dt.date, labels) -> list[dict[str, Any]]:
    rows = []
    for v in register.versions().to_dict("records"):
        deadline, published = v["deadline"], v["published_on"]
        late = False
        if deadline is None:
            in_time = labels["register_no_deadline"]
        elif published is None:
            in_time = labels["register_not_published"]
            late = today > dt.date.fromisoformat(deadline)
        elif published <= deadline:
            in_time = labels["register_yes"]
        else:
            in_time, late = labels["register_late"], True
        rows.append(
            {
                "version": int(v["number"]),
                "act": v["act"],
                "approved_on": _date(v["approved_on"]),
                "rows": f"{v['rows']} / {v['rows_published']}",
                "forced": v["force_reason"] or "",
                "deadline": _date(deadline),
                "published_on": _date(published) or labels["register_not_published"],
                "in_time": in_time,
                "late": late,
            }
        )
    return rows


def build_status(register: Register, today: dt.date) -> Status:
    """The status of *register* on *today*."""
    lang = register.lang
    labels = output_spec().labels(lang)
    days = int(register.classifiers.meta.get("publication_deadline_days", 10))
    latest = register.latest()
    db = register.db
    known: set[str] = set()
    if latest is not None:
        row = db.execute("SELECT subdivisions FROM versions WHERE number = ?", (latest,)).fetchone()
        known = set(json.loads(row[0]))
    known |= {r[0] for r in db.execute("SELECT DISTINCT subdivision FROM submissions")}
    rows: list[dict[str, Any]] = []
    for subdivision in sorted(known):
        last = db.execute(
            "SELECT * FROM submissions WHERE subdivision = ? ORDER BY received_on DESC, id DESC "
            "LIMIT 1",
            (subdivision,),
        ).fetchone()
        base = {
            "subdivision": subdivision,
            "last_report": _date(last["received_on"]) if last else labels["register_no_report"],
            "file": last["file_name"] if last else "",
            "reported_by": (last["reported_by"] if last else "") or "",
            "change": "",
            "touchpoint": "",
            "activity": "",
            "fields": "",
            "ground": "",
            "reported_on": "",
            "deadline": "",
            "overdue": "",
            "late": False,
            "_pending": False,
        }
        pending = last is not None and last["against_version"] == latest and latest is not None
        changes = []
        if pending:
            changes = db.execute(
                "SELECT * FROM changes WHERE submission = ? ORDER BY id", (last["id"],)
            ).fetchall()
            first = dict(
                db.execute(
                    "SELECT c.signature, MIN(s.received_on) FROM changes c JOIN submissions s "
                    "ON s.id = c.submission WHERE s.subdivision = ? AND s.against_version = ? "
                    "GROUP BY c.signature",
                    (subdivision, latest),
                ).fetchall()
            )
        if not changes:
            if latest is None:
                base["change"] = labels["register_no_version"]
            elif last is not None:
                base["change"] = labels["register_no_changes"]
            rows.append(base)
            continue
        for change in changes:
            reported = dt.date.fromisoformat(first[change["signature"]])
            deadline = publication_deadline(reported, days).date if change["posting"] else None
            late = deadline is not None and today > deadline
            fields = ", ".join(f["header"] for f in json.loads(change["fields"]))
            rows.append(
                {
                    **base,
                    "change": labels[f"register_kind_{change['kind']}"],
                    "touchpoint": change["touchpoint"] or "",
                    "activity": change["activity"] or "",
                    "fields": fields,
                    "ground": _ground(register, change["grounds"], lang),
                    "reported_on": f"{reported:%d.%m.%Y}",
                    "deadline": "" if deadline is None else f"{deadline:%d.%m.%Y}",
                    "overdue": labels["register_yes"] if late else "",
                    "late": late,
                    "_pending": True,
                }
            )
    return Status(today, register.path, rows, _versions(register, today, labels), lang)
