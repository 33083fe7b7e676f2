"""Actualization (п. 5.3–5.5): what changed between two versions of the Перечень, on which ground
of п. 5.3, and by which date the new version must be on the site.

Both versions are laid out as for publication (:class:`~tpcheck.publish.model.Publication`): only
rows without errors count, as only they are published. A touchpoint is the same across versions
when (see docs/publish.md, «Как узнается та же точка»):

1. its direction, service/function and touchpoint are equal after :func:`~tpcheck.text.match_key`
   (case, ё/е, spaces, quotes and trailing punctuation do not matter) — rows with the same key are
   paired in their order;
2. else, among the rows left over, two of those three agree and the other fields are alike
   (similarity at least :data:`RENAME_THRESHOLD`): a renamed service, a renamed touchpoint or a
   direction corrected is a change of that field, not a removal and an addition. The most similar
   pairs are taken first.

Each change gets the grounds of п. 5.3 from the ``update_ground`` classifier: the ground marked
``registry`` when a service/function appears or disappears with the touchpoint, the grounds whose
``fields`` changed (type or вид → 2, needs → 3); anything else is an editorial change.

With the registry of processes of either version (``registry_old``, ``registry_new``), the
ground marked ``registry`` is named precisely: a service is included when the new registry has
it and the old one does not, excluded the other way round (services compared by
:func:`~tpcheck.text.match_key` of their names). Each inclusion and exclusion is a change of its
own (:class:`RegistryChange`, under that ground) even when no touchpoint row changed, and a
touchpoint added or removed for a service in both registries is not under that ground. A version
given without its registry is represented by the services of its Перечень.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from ..classifiers import Classifiers
from ..i18n import text
from ..output.atomic import atomic_paths, locked_output, output_paths
from ..output.deprecation import warn_out_dir
from ..pipeline import resolve_classifiers
from ..publish.model import Publication, publish
from ..reading.registry import load_registry
from ..text import match_key, strip_clause_suffix
from .labels import EDITORIAL, EDITORIAL_LABEL, INFERRED_PREFIX, KIND_LABELS, REGISTRY_LABELS
from .workdays import Deadline, publication_deadline
from .write import changes_table_html, write_html, write_xlsx

__all__ = [
    "APPENDIX_FIELDS",
    "EDITORIAL",
    "IDENTITY",
    "RENAME_THRESHOLD",
    "Change",
    "Diff",
    "FieldChange",
    "RegistryChange",
    "diff",
]

#: The fields that identify a touchpoint across versions.
IDENTITY = ("direction", "activity", "touchpoint")
#: The least similarity of the other fields for two leftover rows to be one touchpoint.
RENAME_THRESHOLD = 0.8
#: The fields the appendix form shows on the site (п. 5.2), unless the classifiers' ``[meta]``
#: ``appendix_fields`` says otherwise: a change in other fields alone (the responsible subdivision,
#: the basis, the note …) is editorial and sets no deadline of п. 5.5.
APPENDIX_FIELDS = (
    "direction",
    "activity",
    "activity_kind",
    "client",
    "touchpoint",
    "touchpoint_type",
    "channel",
    "location",
    "needs",
    "procedure",
)
#: The category of a change that is none of the grounds of п. 5.3.
OUTPUT_FILES = {"xlsx": "changes.xlsx", "html": "changes.html", "json": "changes.json"}


@dataclass(frozen=True)
class FieldChange:
    """One field of a touchpoint that changed: its key, header, old and new value (as text)."""

    key: str
    header: str
    old: str | None
    new: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.key, "header": self.header, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class Change:
    """A touchpoint added, removed or changed, with the п. 5.3 grounds it falls under."""

    kind: str
    grounds: tuple[str, ...]
    direction: str | None
    activity: str | None
    touchpoint: str | None
    fields: tuple[FieldChange, ...] = ()
    old_source: tuple[str, int] | None = None
    new_source: tuple[str, int] | None = None
    matched_by: str | None = None
    #: Grounds of ``grounds`` inferred rather than seen: without the registries of processes,
    #: ground 1 is guessed from the service appearing in (or leaving) the Перечень itself.
    inferred: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "grounds": list(self.grounds),
            "inferred_grounds": list(self.inferred),
            "direction": self.direction,
            "activity": self.activity,
            "touchpoint": self.touchpoint,
            "fields": [f.to_dict() for f in self.fields],
            "old_source": _source_dict(self.old_source),
            "new_source": _source_dict(self.new_source),
            "matched_by": self.matched_by,
        }


@dataclass(frozen=True)
class RegistryChange:
    """A service/function included in the registry of processes (``kind="included"``) or
    excluded from it (``"excluded"``): ground 1 of п. 5.3 by itself."""

    kind: str
    direction: str | None
    activity: str
    subdivision: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "direction": self.direction,
            "activity": self.activity,
            "subdivision": self.subdivision,
        }


#: A registry as the diff sees it: match key of the service → (direction, name, subdivision).
_Services = dict[str, tuple[str | None, str, str | None]]


def _registry_services(frame: Any) -> _Services:
    services: _Services = {}
    for record in frame.to_dict("records"):
        activity = _display(record, "activity")
        if activity:
            services.setdefault(
                match_key(activity),
                (_display(record, "direction"), activity, _display(record, "subdivision")),
            )
    return services


def _registry_changes(old: _Services, new: _Services) -> list[RegistryChange]:
    out = [RegistryChange("included", *new[key]) for key in new if key not in old]
    out += [RegistryChange("excluded", *old[key]) for key in old if key not in new]
    return out


def _source_dict(source: tuple[str, int] | None) -> dict[str, Any] | None:
    return None if source is None else {"file": source[0], "row": source[1]}


# ------------------------------------------------------------------ comparing values


def _value(record: dict[str, Any], key: str) -> Any:
    value = record.get(key)
    if isinstance(value, list | tuple):
        return frozenset(match_key(v) for v in value)
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return match_key(value)


def _display(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value) or None
    if value is None or (isinstance(value, float) and value != value):
        return None
    return str(value)


def _similarity(a: Any, b: Any, free_text: bool) -> float:
    if a == b:
        return 1.0
    if isinstance(a, frozenset) and isinstance(b, frozenset):
        return len(a & b) / len(a | b) if a | b else 1.0
    if free_text and a and b:
        return difflib.SequenceMatcher(None, a, b).ratio()
    return 0.0


class _Matcher:
    def __init__(self, classifiers: Classifiers):
        self.compared = tuple(c.key for c in classifiers.columns if c.key != "number")
        self.others = tuple(k for k in self.compared if k not in IDENTITY)
        self.free_text = {c.key for c in classifiers.columns if c.classifier is None}

    def key(self, record: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(_value(record, k) for k in IDENTITY)

    def score(self, old: dict[str, Any], new: dict[str, Any]) -> float:
        total = sum(
            _similarity(_value(old, k), _value(new, k), k in self.free_text) for k in self.others
        )
        return total / len(self.others) if self.others else 1.0

    def pair(
        self, old: list[dict[str, Any]], new: list[dict[str, Any]]
    ) -> tuple[list[tuple[int, int, str]], list[int], list[int]]:
        """Pairs (old index, new index, how) and the unpaired indices of each side."""
        by_key: dict[tuple[Any, ...], list[int]] = {}
        for index, record in enumerate(new):
            by_key.setdefault(self.key(record), []).append(index)
        pairs: list[tuple[int, int, str]] = []
        left_old: list[int] = []
        for index, record in enumerate(old):
            waiting = by_key.get(self.key(record))
            if waiting:
                pairs.append((index, waiting.pop(0), "key"))
            else:
                left_old.append(index)
        left_new = sorted(i for waiting in by_key.values() for i in waiting)
        candidates = []
        for i in left_old:
            for j in left_new:
                agree = sum(a == b for a, b in zip(self.key(old[i]), self.key(new[j]), strict=True))
                if agree < len(IDENTITY) - 1:
                    continue
                score = self.score(old[i], new[j])
                if score >= RENAME_THRESHOLD:
                    candidates.append((-score, i, j))
        taken_old: set[int] = set()
        taken_new: set[int] = set()
        for _, i, j in sorted(candidates):
            if i in taken_old or j in taken_new:
                continue
            taken_old.add(i)
            taken_new.add(j)
            pairs.append((i, j, "similarity"))
        return (
            sorted(pairs),
            [i for i in left_old if i not in taken_old],
            [j for j in left_new if j not in taken_new],
        )


# ------------------------------------------------------------------ the diff


class Diff:
    """The changes between two versions of the Перечень: :attr:`changes`, the date of the change
    and the :attr:`deadline` of п. 5.5 (None when nothing changed), :meth:`write`."""

    def __init__(
        self,
        changes: list[Change],
        *,
        old: Publication,
        new: Publication,
        changed_on: dt.date,
        classifiers: Classifiers,
        lang: str = "ru",
        registry_changes: list[RegistryChange] | None = None,
    ):
        self.changes = changes
        self.old = old
        self.new = new
        self.changed_on = changed_on
        self.classifiers = classifiers
        self.lang = lang
        #: None when no registry was given; else the services included and excluded
        self.registry_changes = registry_changes
        days = int(classifiers.meta.get("publication_deadline_days", 10))
        self.days = days
        #: None, or the date each change was reported (п. 5.4), in the order of :attr:`changes`:
        #: then each change's deadline counts from its own date (see :meth:`change_deadline`)
        self.reported: list[dt.date] | None = None
        self.inputs: tuple[Path, ...] = ()

    def posting(self, change: Change) -> bool:
        """Whether *change* alters what the site shows — a touchpoint added or removed, a field
        of the appendix form, a ground of п. 5.3 — and so sets a deadline of п. 5.5. A change
        in internal fields only is listed, without a deadline; so is a registry change alone
        (the Перечень did not change)."""
        if change.kind != "changed" or any(g != EDITORIAL for g in change.grounds):
            return True
        shown = set(self.classifiers.meta.get("appendix_fields", APPENDIX_FIELDS))
        return any(f.key in shown for f in change.fields)

    def change_deadline(self, index: int) -> Deadline | None:
        """The deadline of the *index*-th change (None when it does not alter the site)."""
        change = self.changes[index]
        if not self.posting(change):
            return None
        when = self.changed_on if self.reported is None else self.reported[index]
        return publication_deadline(when, self.days)

    @property
    def deadline(self) -> Deadline | None:
        """The earliest deadline of the changes that alter the site; None when there is none."""
        found = [self.change_deadline(i) for i in range(len(self.changes))]
        found = [d for d in found if d is not None]
        return min(found, key=lambda d: (d.date, d.changed_on)) if found else None

    @classmethod
    def between(
        cls,
        old: Publication,
        new: Publication,
        *,
        changed_on: dt.date | None = None,
        classifiers: Classifiers | None = None,
        lang: str = "ru",
        registry_old: Any = None,
        registry_new: Any = None,
    ) -> Diff:
        """Compare two publications; *registry_old* / *registry_new*: the registry of processes
        of each version (what :func:`~tpcheck.reading.registry.load_registry` accepts),
        when known."""
        classifiers = classifiers or new.classifiers
        registries = None
        registry_changes = None
        if registry_old is not None or registry_new is not None:
            registries = (
                _services_of(registry_old, old, classifiers),
                _services_of(registry_new, new, classifiers),
            )
            registry_changes = _registry_changes(*registries)
        return cls(
            _changes(old, new, classifiers, registries),
            old=old,
            new=new,
            changed_on=changed_on or dt.date.today(),
            classifiers=classifiers,
            lang=lang,
            registry_changes=registry_changes,
        )

    # ------------------------------------------------------------------ views
    def ground_label(self, code: str) -> str:
        if code == EDITORIAL:
            return EDITORIAL_LABEL
        entry = self.classifiers["update_ground"].by_code(code)
        return f"{entry.label} ({entry.clause})"

    def change_grounds(self, change: Change) -> list[str]:
        """The grounds of *change* as a person reads them: one inferred rather than seen is
        introduced by «вероятно» (it is a guess, not a fact)."""
        return [
            f"{INFERRED_PREFIX} {self.ground_label(code)}"
            if code in change.inferred
            else self.ground_label(code)
            for code in change.grounds
        ]

    @property
    def grounds(self) -> list[dict[str, str]]:
        """The grounds of п. 5.3 and the editorial category, in order."""
        out = [
            {"code": e.code, "label": e.label, "clause": e.clause}
            for e in self.classifiers["update_ground"]
        ]
        return [*out, {"code": EDITORIAL, "label": EDITORIAL_LABEL, "clause": ""}]

    @property
    def summary(self) -> dict[str, Any]:
        kinds = {kind: sum(c.kind == kind for c in self.changes) for kind in KIND_LABELS}
        by_ground = {
            g["code"]: sum(g["code"] in c.grounds for c in self.changes) for g in self.grounds
        }
        registry: dict[str, Any] = {}
        if self.registry_changes is not None:
            ground = _registry_ground(self.classifiers)
            if ground is not None:
                by_ground[ground] += len(self.registry_changes)
            registry = {
                f"registry_{kind}": sum(c.kind == kind for c in self.registry_changes)
                for kind in REGISTRY_LABELS
            }
        return {
            "changes": len(self.changes),
            **kinds,
            **registry,
            "by_ground": by_ground,
            "old_rows": self.old.summary["rows_published"],
            "new_rows": self.new.summary["rows_published"],
            "old_rows_excluded": self.old.summary["rows_excluded"],
            "new_rows_excluded": self.new.summary["rows_excluded"],
        }

    def to_dict(self) -> dict[str, Any]:
        """changes.json."""
        return {
            "title": f"Изменения: {self.new.title}",
            "changed_on": self.changed_on.isoformat(),
            "deadline": None if self.deadline is None else self.deadline.to_dict(),
            "deadline_clause": self.classifiers.meta.get("publication_deadline_clause"),
            "summary": self.summary,
            "grounds": self.grounds,
            "changes": [self._change_dict(i) for i in range(len(self.changes))],
            **(
                {}
                if self.registry_changes is None
                else {"registry_changes": [c.to_dict() for c in self.registry_changes]}
            ),
        }

    def _change_dict(self, index: int) -> dict[str, Any]:
        change = self.changes[index]
        deadline = self.change_deadline(index)
        extra: dict[str, Any] = {"posting": self.posting(change)}
        if self.reported is not None:
            extra["reported_on"] = self.reported[index].isoformat()
            extra["publish_by"] = None if deadline is None else deadline.date.isoformat()
        return {**change.to_dict(), **extra}

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write changes.xlsx, changes.html and changes.json into *out_dir*, all or none."""
        from ..publish.opendata import write_json

        paths = output_paths(out_dir, OUTPUT_FILES, self.inputs)
        folder = next(iter(paths.values())).parent
        # all or none; changes.json, the run's record, last: never beside another run's files
        with locked_output(folder), atomic_paths(paths, last="json") as temporary:
            write_xlsx(self, temporary["xlsx"])
            write_html(self, temporary["html"])
            write_json(temporary["json"], self.to_dict())
        return paths

    def deadline_text(self, lang: str | None = None) -> str:
        """The deadline of п. 5.5 in *lang* (default Russian, as in the written changes report,
        with the calendar's note in the diff's ``lang`` as before)."""
        deadline = self.deadline
        note = deadline.note(lang or self.lang) if deadline is not None else None
        lang = lang or "ru"
        if deadline is None and (self.changes or self.registry_changes):
            return text("diff.not_published_data", lang)
        if deadline is None:
            return text("diff.no_changes", lang)
        clause = self.classifiers.meta.get("publication_deadline_clause", "п. 5.5")
        line = text(
            "diff.deadline",
            lang,
            changed_on=f"{deadline.changed_on:%d.%m.%Y}",
            date=f"{deadline.date:%d.%m.%Y}",
            days=deadline.days,
            clause=clause,
        )
        return f"{line} {note}" if note else line

    def summary_text(self, lang: str | None = None) -> str:
        """The terminal summary in *lang* (default Russian: the written changes report quotes
        it); the grounds of п. 5.3 and the activities are the classifiers' own Russian words."""
        lang = lang or "ru"
        s = self.summary
        lines = [
            text(
                "diff.changes",
                lang,
                changes=s["changes"],
                added=s["added"],
                removed=s["removed"],
                changed=s["changed"],
            )
        ]
        for ground in self.grounds:
            count = s["by_ground"][ground["code"]]
            if count and ground["code"] == EDITORIAL:
                lines.append(text("diff.editorial", lang, count=count))
            elif count:
                entry = self.classifiers["update_ground"].by_code(ground["code"])
                lines.append(
                    text("diff.ground", lang, label=entry.label, clause=entry.clause, count=count)
                )
        lines.extend(self.registry_lines(lang))
        lines.append(self.deadline_text(lang))
        excluded = s["old_rows_excluded"] + s["new_rows_excluded"]
        if excluded:
            lines.append(
                text("diff.excluded", lang, old=s["old_rows_excluded"], new=s["new_rows_excluded"])
            )
        return "\n".join(lines)

    def registry_lines(self, lang: str | None = None) -> list[str]:
        """«Включены в реестр: …» / «Исключены из реестра: …» (nothing without registries)."""
        lang = lang or "ru"
        lines = []
        for kind in REGISTRY_LABELS:
            names = [c.activity for c in self.registry_changes or () if c.kind == kind]
            if names:
                shown = "; ".join(names) if lang == "ru" else "; ".join(f"«{n}»" for n in names)
                lines.append(text(f"diff.registry_{kind}", lang, count=len(names), names=shown))
        return lines

    def __repr__(self) -> str:
        deadline = None if self.deadline is None else self.deadline.date.isoformat()
        return f"<Diff changes={len(self.changes)} deadline={deadline}>"

    def _repr_html_(self) -> str:

        return changes_table_html(self)


def _registry_ground(classifiers: Classifiers) -> str | None:
    return next((e.code for e in classifiers["update_ground"] if e.get("registry")), None)


def _services_of(registry: Any, version: Publication, classifiers: Classifiers) -> _Services:
    """The services of a version's registry, or of its Перечень when the registry is not given."""
    if registry is None:
        return _registry_services(version.source)
    if not isinstance(registry, pd.DataFrame) or "activity" not in registry.columns:
        registry = load_registry(registry, classifiers)
    return _registry_services(registry)


def _changes(
    old: Publication,
    new: Publication,
    classifiers: Classifiers,
    registries: tuple[_Services, _Services] | None = None,
) -> list[Change]:
    matcher = _Matcher(classifiers)
    old_rows = old.source.to_dict("records")
    new_rows = new.source.to_dict("records")
    pairs, removed, added = matcher.pair(old_rows, new_rows)
    headers = {c.key: strip_clause_suffix(c.header) for c in classifiers.columns}
    ground_fields = [(e.code, set(e.get("fields", ()))) for e in classifiers["update_ground"]]
    registry = _registry_ground(classifiers)

    def service(record: dict[str, Any]) -> tuple[Any, Any]:
        return (_value(record, "direction"), _value(record, "activity"))

    def moved(record: dict[str, Any], into: int) -> bool:
        """With registries: the record's service is in registry *into* (0 old, 1 new) only."""
        assert registries is not None
        key = _value(record, "activity")
        return key in registries[into] and key not in registries[1 - into]

    old_services = {service(r) for r in old_rows} | {service(new_rows[j]) for _, j, _ in pairs}
    new_services = {service(r) for r in new_rows} | {service(old_rows[i]) for i, _, _ in pairs}
    changes: list[Change] = []
    for i, j, how in pairs:
        a, b = old_rows[i], new_rows[j]
        fields = tuple(
            FieldChange(k, headers[k], _display(a, k), _display(b, k))
            for k in matcher.compared
            if _value(a, k) != _value(b, k)
        )
        if not fields:
            continue
        keys = {f.key for f in fields}
        grounds = tuple(code for code, covered in ground_fields if covered & keys)
        renamed = registries is not None and "activity" in keys
        if renamed and registry is not None and (moved(a, 0) or moved(b, 1)):
            grounds = (registry, *grounds)
        changes.append(_change("changed", grounds, b, fields, a, b, how))

    def ground_1(record: dict[str, Any], into: int) -> tuple[str, ...]:
        """Ground 1 for a row removed (*into* 0) or added (1) with its service: the service left
        (entered) the registry, or, without registries, the other version's Перечень."""
        if registry is None:
            return ()
        if registries is None:
            moves = service(record) not in (new_services, old_services)[into]
        else:
            moves = moved(record, into)
        return (registry,) if moves else ()

    guessed = ground_1 if registries is None else (lambda record, into: ())
    for i in removed:
        record = old_rows[i]
        change = _change("removed", ground_1(record, 0), record, (), record, None)
        changes.append(replace(change, inferred=guessed(record, 0)))
    for j in added:
        record = new_rows[j]
        change = _change("added", ground_1(record, 1), record, (), None, record)
        changes.append(replace(change, inferred=guessed(record, 1)))
    direction_order = {e.label: i for i, e in enumerate(classifiers["direction"])}
    changes.sort(
        key=lambda c: (
            direction_order.get(c.direction or "", len(direction_order)),
            match_key(c.activity or ""),
            match_key(c.touchpoint or ""),
            list(KIND_LABELS).index(c.kind),
        )
    )
    return changes


def _change(
    kind: str,
    grounds: Iterable[str],
    record: dict[str, Any],
    fields: tuple[FieldChange, ...],
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    how: str | None = None,
) -> Change:
    grounds = tuple(grounds) or (EDITORIAL,)
    return Change(
        kind=kind,
        grounds=grounds,
        direction=_display(record, "direction"),
        activity=_display(record, "activity"),
        touchpoint=_display(record, "touchpoint"),
        fields=fields,
        old_source=None if old is None else (str(old["source_file"]), int(old["source_row"])),
        new_source=None if new is None else (str(new["source_file"]), int(new["source_row"])),
        matched_by=how,
    )


def _version(
    value: Any, classifiers: Classifiers, lang: str
) -> tuple[Publication, tuple[Path, ...]]:
    if isinstance(value, Publication):
        return value, value.inputs
    publication = publish(value, classifiers=classifiers, lang=lang)
    return publication, publication.inputs


def diff(
    old: str | Path | Iterable[str | Path] | Publication,
    new: str | Path | Iterable[str | Path] | Publication,
    *,
    changed_on: dt.date | None = None,
    classifiers: Classifiers | str | Path | None = None,
    lang: str = "ru",
    out_dir: str | Path | None = None,
    registry_old: str | Path | pd.DataFrame | None = None,
    registry_new: str | Path | pd.DataFrame | None = None,
) -> Diff:
    """Compare two versions of the Перечень (consolidated workbooks, the subdivisions' files or
    folders, or :class:`~tpcheck.publish.model.Publication` objects): the touchpoints added,
    removed and changed, each with its п. 5.3 grounds, and the date by which the new version
    must be published (``publication_deadline_days`` working days after *changed_on*, default
    today). ``.write(folder)`` of the returned :class:`Diff` writes changes.xlsx, changes.html
    and changes.json; *out_dir* (deprecated, for one release) writes them at once.

    *registry_old*, *registry_new*: the registry of processes of each version (a path or a
    DataFrame, as :func:`~tpcheck.reading.registry.load_registry` takes); with either,
    ground 1 of п. 5.3
    is the inclusion or exclusion of a service in the registry (see the module's docstring)."""
    if out_dir is not None:
        warn_out_dir("diff", lang)
    resolved = resolve_classifiers(classifiers)
    old_version, old_inputs = _version(old, resolved, lang)
    new_version, new_inputs = _version(new, resolved, lang)
    result = Diff.between(
        old_version,
        new_version,
        changed_on=changed_on,
        classifiers=resolved,
        lang=lang,
        registry_old=None if registry_old is None else load_registry(registry_old, resolved),
        registry_new=None if registry_new is None else load_registry(registry_new, resolved),
    )
    result.inputs = (*old_inputs, *new_inputs)
    if out_dir is not None:
        result.write(out_dir)
    return result
