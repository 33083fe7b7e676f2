"""The classifiers of the regulation and the column specification, loaded from data.

``tpcheck/data/classifiers.toml`` holds the lists of the Порядок (directions п. 3.5, needs п. 3.7,
touchpoint types, requirements п. 4.2, …); ``tpcheck/data/columns.toml`` holds the columns of the
template. :func:`load_classifiers` reads both, applies a department's override file, and checks
everything loudly: an unknown key, a duplicate code, a missing label or a dangling reference raises
:class:`~tpcheck.errors.ClassifiersError` naming the entry.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ClassifiersError
from .text import match_key, similar

__all__ = [
    "LIST_KEYS",
    "ClassifierList",
    "Classifiers",
    "Column",
    "Entry",
    "Sheets",
    "default_classifiers",
    "load_classifiers",
]

#: The lists a classifiers file must have, and the keys each list's entries accept besides
#: ``code``, ``label``, ``clause`` and ``synonyms`` (with the type each must have).
LIST_KEYS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "direction": {"restored": bool, "note": str, "clients": list},
    "need": {"other": bool},
    "channel": {},
    "touchpoint_type": {
        "channel": str,
        "requirements": list,
        "location": str,
        "other": bool,
        "restored": bool,
        "note": str,
        "extension": str,  # not in the Порядок: why; off unless `enabled`
        "enabled": bool,
    },
    "location": {"pattern": str, "label_en": str},
    "client": {"section_title": str, "publish_in": list, "alternative_expected": bool},
    "activity_kind": {"alternative_expected": bool},  # п. 3.8 4): false — none is expected
    "operator": {},
    "basis_kind": {"needs_requisites": bool},
    "yes_no": {},
    "update_ground": {"registry": bool, "fields": list},
    "requirement": {
        "group": str,
        "kind": str,
        "unit": str,
        "limit": (int, float),
        "limit_warning": bool,  # beyond the limit is a warning (a target, not a rule)
        "types": list,  # the touchpoint types (codes) it is expected of, when not every one
        "restored": bool,
        "note": str,
    },
}
_ENTRY_KEYS: dict[str, type | tuple[type, ...]] = {
    "code": (str, int),
    "label": str,
    "clause": str,
    "synonyms": list,
    "remove": bool,  # only in an override file: drop the entry with this code
    # words that may mean this entry or another: such a value is asked about (value-ambiguous)
    "ambiguous": list,
}
_META_KEYS = {
    "regulation": str,
    "order": str,
    "organization": str,
    "organization_short": str,
    "list_title": str,
    "publication_title": str,
    "publication_deadline_days": int,
    "publication_deadline_clause": str,
}
_COLUMN_KEYS: dict[str, type | tuple[type, ...]] = {
    "key": str,
    "header": str,
    "required": bool,
    "classifier": str,
    "multi": bool,
    "width": (int, float),
    "max_length": int,
    "clause": str,
    "hint": str,
    "example": str,
    "synonyms": list,
}
_SHEET_KEYS = {
    "data": str,
    "requirements": str,
    "instructions": str,
    "lists": str,
    "example_marker": str,
    "rows_prepared": int,
}
_REQUIREMENT_KINDS = ("yes_no", "number")
_CHANNEL_ANY = "any"
_HINT_LIMIT = 255  # Excel refuses a longer input message
_NUMBERED = re.compile(r"^(?:пп?\s*\.?|пункт|подпункт|№)?\s*(\d{1,3})\s*[).]?$")
_NUMBER_THEN_LABEL = re.compile(r"^(\d{1,3})\s*[).]\s*(.+)$")


@dataclass(frozen=True)
class Entry:
    """One value of a classifier: its stable ``code``, canonical ``label``, ``clause`` and the
    ``synonyms`` accepted for it; list-specific keys (a touchpoint type's ``channel``, a
    requirement's ``limit`` …) are in ``extra`` and read with :meth:`get`."""

    code: str
    label: str
    clause: str
    synonyms: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.extra.get(key, default)


class ClassifierList:
    """The entries of one classifier, with matching of what clerks type."""

    def __init__(self, name: str, title: str, clause: str, entries: tuple[Entry, ...]):
        self.name = name
        self.title = title
        self.clause = clause
        self.entries = entries
        self._by_code = {e.code: e for e in entries}
        self._by_label = {e.label: e for e in entries}
        self._numeric = all(e.code.isdigit() for e in entries)
        self._keys: dict[str, Entry] = {}
        for entry in entries:
            for text in (entry.label, *entry.synonyms):
                self._keys.setdefault(match_key(text), entry)
            if not self._numeric:
                self._keys.setdefault(match_key(entry.code), entry)
        self._cache: dict[str, Entry | None] = {}
        self._spellings = list(self._keys)  # the match keys of every label, synonym and code

    def __repr__(self) -> str:
        return f"<ClassifierList {self.name}: {len(self.entries)} entries>"

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def labels(self) -> list[str]:
        return [e.label for e in self.entries]

    @property
    def codes(self) -> list[str]:
        return [e.code for e in self.entries]

    def by_code(self, code: str) -> Entry:
        return self._by_code[code]

    def by_label(self, label: str) -> Entry:
        return self._by_label[label]

    def match(self, text: object) -> Entry | None:
        """The entry *text* names — by code (``"1"``, ``"1)"``, ``"п. 1"``), label or synonym,
        ignoring case, ё/е, spaces, trailing punctuation and Latin look-alikes — or None."""
        raw = str(text)
        if raw in self._cache:
            return self._cache[raw]
        key = match_key(raw)
        entry = self._keys.get(key)
        if entry is None and self._numeric:
            numbered = _NUMBERED.match(key)
            if numbered:
                entry = self._by_code.get(numbered.group(1))
            else:
                # "1) получение информации": the label decides, the number must agree with it.
                prefixed = _NUMBER_THEN_LABEL.match(key)
                if prefixed:
                    candidate = self._keys.get(match_key(prefixed.group(2)))
                    if candidate is not None and candidate.code == prefixed.group(1):
                        entry = candidate
        if len(self._cache) < 100_000:
            self._cache[raw] = entry
        return entry

    def split(self, text: object) -> list[tuple[str, Entry | None]]:
        """Split a multi-value cell into ``(piece, entry or None)`` pairs.

        Pieces are separated by ``;`` and line breaks; a comma separates pieces only where the
        pieces are codes or known labels, never inside a label («представление заявления,
        обращения, запроса, документов» stays whole). Unknown neighbouring fragments are kept
        together as one unknown piece.
        """
        pieces: list[tuple[str, Entry | None]] = []
        for chunk in re.split(r"[;\n]+", str(text)):
            chunk = chunk.strip()
            if not match_key(chunk):
                continue
            entry = self.match(chunk)
            if entry is not None or "," not in chunk:
                pieces.append((chunk, entry))
                continue
            pieces.extend(self._split_commas([f.strip() for f in chunk.split(",")]))
        return pieces

    def _split_commas(self, fragments: list[str]) -> list[tuple[str, Entry | None]]:
        count = len(fragments)
        # best[i]: (unmatched fragments, pieces, segmentation) for fragments[i:]
        best: list[tuple[int, int, list[tuple[int, int, Entry | None]]]] = [(0, 0, [])] * (
            count + 1
        )
        for start in range(count - 1, -1, -1):
            rest = best[start + 1]
            options = [(rest[0] + 1, rest[1] + 1, [(start, start + 1, None), *rest[2]])]
            for end in range(start + 1, count + 1):
                entry = self.match(", ".join(fragments[start:end]))
                if entry is not None:
                    tail = best[end]
                    options.append((tail[0], tail[1] + 1, [(start, end, entry), *tail[2]]))
            best[start] = min(options, key=lambda option: (option[0], option[1]))
        pieces: list[tuple[str, Entry | None]] = []
        pending: list[str] = []
        for start, end, entry in best[0][2]:
            text = ", ".join(fragments[start:end])
            if entry is None:
                if text:
                    pending.append(text)
                continue
            if pending:
                pieces.append((", ".join(pending), None))
                pending = []
            pieces.append((text, entry))
        if pending:
            pieces.append((", ".join(pending), None))
        return pieces

    def ambiguous(self, text: object) -> list[str]:
        """The labels *text* may mean when it is one of the entries' ``ambiguous`` words (a
        «приказ» may be a normative act or an internal one): asked about, never guessed."""
        key = match_key(text)
        if not key:
            return []
        return [
            entry.label
            for entry in self.entries
            if any(match_key(word) == key for word in entry.get("ambiguous", ()))
        ]

    def suggest(self, text: object, limit: int = 3, margin: float | None = None) -> list[str]:
        """The labels closest to *text*, best first (for «возможно, имелось в виду …»): at most
        *limit* labels one of whose spellings (label, synonym or code) is :func:`~.text.similar`
        to *text*, ranked by their closest spelling. With *margin*, only the labels about as
        close as the best one: ``suggest("получение консультацыи", margin=0.05)`` gives
        «получение консультации» alone, not its more distant neighbours too. When nothing is
        that similar, the labels one of whose spellings contains *text* or is contained in it
        (4 letters on)."""
        key = match_key(text)
        if not key:
            return []
        best: dict[str, float] = {}  # label → the similarity of its closest spelling
        for spelling, score in similar(key, self._spellings):
            best.setdefault(self._keys[spelling].label, score)
        if best:
            ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
            if margin is not None:
                top = ranked[0][1]
                ranked = [(label, score) for label, score in ranked if score >= top - margin]
            return [label for label, _ in ranked[:limit]]
        labels: list[str] = []
        if len(key) >= 4:
            for spelling, entry in self._keys.items():
                if (key in spelling or spelling in key) and entry.label not in labels:
                    labels.append(entry.label)
        return labels[:limit]


@dataclass(frozen=True)
class Column:
    """One column of a template sheet (see ``tpcheck/data/columns.toml``)."""

    key: str
    header: str
    required: bool = False
    classifier: str | None = None
    multi: bool = False
    width: float = 20
    max_length: int = 32767
    clause: str = ""
    hint: str = ""
    example: str = ""
    synonyms: tuple[str, ...] = ()

    @property
    def template_header(self) -> str:
        """The header as printed in the template: required ones end with « *»."""
        return f"{self.header} *" if self.required else self.header


@dataclass(frozen=True)
class Sheets:
    """Names of the template's sheets and its prepared size."""

    data: str
    requirements: str
    instructions: str
    lists: str
    example_marker: str
    rows_prepared: int


class Classifiers:
    """Every list of the regulation and the template's columns, as one checked object.

    ``classifiers["need"]`` is the :class:`ClassifierList` of п. 3.7; ``classifiers.columns`` the
    columns of «Перечень»; ``classifiers.digest`` a hash that changes when any value changes.
    """

    def __init__(
        self,
        meta: Mapping[str, Any],
        lists: Mapping[str, ClassifierList],
        columns: tuple[Column, ...],
        requirement_columns: tuple[Column, ...],
        sheets: Sheets,
        sources: tuple[str, ...],
        canonical: Mapping[str, Any],
        registry_columns: tuple[Column, ...] = (),
        extensions: Mapping[str, tuple[Entry, ...]] | None = None,
    ):
        self.meta = dict(meta)
        self.lists = dict(lists)
        self.columns = columns
        self.requirement_columns = requirement_columns
        # the registry of processes' columns (п. 3.1); not part of the digest, which names what
        # the Перечень's template and its checks depend on
        self.registry_columns = registry_columns
        self.sheets = sheets
        #: the extension entries left out (list name → entries): documented, not offered
        self.extensions = dict(extensions or {})
        self.sources = sources
        self._canonical = canonical
        payload = json.dumps(canonical, ensure_ascii=False, sort_keys=True).encode()
        self.digest = hashlib.sha256(payload).hexdigest()

    def __repr__(self) -> str:
        return f"<Classifiers {', '.join(self.lists)} from {', '.join(self.sources)}>"

    def __getitem__(self, name: str) -> ClassifierList:
        return self.lists[name]

    def column(self, key: str) -> Column:
        for column in (*self.columns, *self.requirement_columns):
            if column.key == key:
                return column
        raise KeyError(key)

    def registry_column(self, key: str) -> Column:
        """The ``[[registry_column]]`` *key* (the registry of processes, п. 3.1)."""
        for column in self.registry_columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def with_extensions(self, codes: Iterable[str]) -> Classifiers:
        """These classifiers (the same override file) with the extension entries *codes*
        switched on (``tpcheck template --extension api``)."""
        codes = tuple(codes)
        if not codes:
            return self
        override = self.sources[2] if len(self.sources) > 2 else None
        return load_classifiers(override, extensions=codes)

    def to_dict(self) -> dict[str, Any]:
        """The loaded classifiers and columns as plain data (what :attr:`digest` hashes)."""
        return json.loads(json.dumps(self._canonical, ensure_ascii=False))


# ------------------------------------------------------------------------------ loading


def _read_toml(path: Path | str, what: str) -> dict[str, Any]:
    try:
        if isinstance(path, Path | str) and str(path).startswith("package:"):
            name = str(path).removeprefix("package:")
            text = resources.files("tpcheck.data").joinpath(name).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ClassifiersError(f"Файл {what} не найден: {path}") from None
    except UnicodeDecodeError as exc:
        raise ClassifiersError(f"Файл {what} {path} не в кодировке UTF-8: {exc}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ClassifiersError(f"Файл {what} {path} не читается как TOML: {exc}") from None


def _check_keys(
    where: str, data: Mapping[str, Any], allowed: Mapping[str, type | tuple[type, ...]]
) -> None:
    for key, value in data.items():
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            raise ClassifiersError(f"{where}: неизвестный ключ «{key}» (допустимы: {known})")
        expected = allowed[key]
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            names = (
                "/".join(t.__name__ for t in expected)
                if isinstance(expected, tuple)
                else expected.__name__
            )
            raise ClassifiersError(
                f"{where}: ключ «{key}» должен быть типа {names}, а не {type(value).__name__}"
            )


def _entry_name(name: str, index: int, raw: Mapping[str, Any]) -> str:
    code = raw.get("code")
    label = f" (code = {code!r})" if code is not None else ""
    return f"[[{name}]] № {index + 1}{label}"


def _merge_lists(base: dict[str, Any], override: dict[str, Any], source: str) -> None:
    """Apply an override file to the parsed base data, in place."""
    unknown = (
        set(override)
        - set(LIST_KEYS)
        - {"meta", "lists", "column", "requirement_column", "registry_column", "sheets", "replace"}
    )
    if unknown:
        raise ClassifiersError(
            f"{source}: неизвестный раздел «{sorted(unknown)[0]}» "
            f"(допустимы: meta, lists, sheets, column, requirement_column, registry_column, "
            "replace, "
            f"{', '.join(LIST_KEYS)})"
        )
    replace = override.get("replace", [])
    if not isinstance(replace, list) or not all(name in LIST_KEYS for name in replace):
        raise ClassifiersError(
            f"{source}: replace должен быть списком названий классификаторов из: "
            f"{', '.join(LIST_KEYS)}"
        )
    for section in ("meta", "sheets", "lists"):
        for key, value in override.get(section, {}).items():
            target = base.setdefault(section, {})
            if isinstance(value, dict) and isinstance(target.get(key), dict):
                target[key].update(value)
            else:
                target[key] = value
    for name in LIST_KEYS:
        if name not in override:
            continue
        entries = [] if name in replace else base.get(name, [])
        positions = {str(e.get("code")): i for i, e in enumerate(entries)}
        seen: dict[str, str] = {}
        for index, raw in enumerate(override[name]):
            where = f"{source}: {_entry_name(name, index, raw)}"
            if "code" not in raw:
                raise ClassifiersError(f"{where}: нет ключа «code»")
            code = str(raw["code"])
            if code in seen:
                raise ClassifiersError(f"{where}: код {code!r} повторяется (уже у {seen[code]})")
            seen[code] = _entry_name(name, index, raw)
            if raw.get("remove"):
                if code not in positions:
                    raise ClassifiersError(f"{where}: удаляется код {code!r}, которого нет")
                entries[positions.pop(code)] = None
                continue
            if code in positions:
                entries[positions[code]] = {**entries[positions[code]], **raw}
            else:
                positions[code] = len(entries)
                entries.append(dict(raw))
        base[name] = [e for e in entries if e is not None]
    for section in ("column", "requirement_column", "registry_column"):
        existing = {c.get("key"): c for c in base.get(section, [])}
        for index, raw in enumerate(override.get(section, [])):
            key = raw.get("key")
            if key not in existing:
                raise ClassifiersError(
                    f"{source}: [[{section}]] № {index + 1}: столбца с key = {key!r} нет; "
                    f"переопределить можно только существующие: {', '.join(map(str, existing))}"
                )
            existing[key].update(raw)


def _build_list(name: str, raw_entries: list[Any], info: Mapping[str, Any]) -> ClassifierList:
    if not raw_entries:
        raise ClassifiersError(f"Классификатор «{name}» пуст: нужен хотя бы один [[{name}]]")
    allowed = {**_ENTRY_KEYS, **LIST_KEYS[name]}
    entries: list[Entry] = []
    codes: dict[str, str] = {}
    keys: dict[str, str] = {}
    for index, raw in enumerate(raw_entries):
        where = _entry_name(name, index, raw)
        if not isinstance(raw, dict):
            raise ClassifiersError(f"{where}: ожидается таблица [[{name}]]")
        _check_keys(where, raw, allowed)
        for required in ("code", "label", "clause"):
            if not str(raw.get(required, "")).strip():
                raise ClassifiersError(f"{where}: нет ключа «{required}» или он пуст")
        code = str(raw["code"]).strip()
        if code in codes:
            raise ClassifiersError(f"{where}: код {code!r} повторяется (уже у {codes[code]})")
        codes[code] = where
        synonyms = tuple(raw.get("synonyms", ()))
        if not all(isinstance(s, str) and s.strip() for s in synonyms):
            raise ClassifiersError(f"{where}: synonyms должен быть списком непустых строк")
        for text in (raw["label"], *synonyms):
            key = match_key(text)
            if keys.get(key, where) != where:
                raise ClassifiersError(
                    f"{where}: «{text}» совпадает с названием или синонимом {keys[key]} — "
                    "значение было бы неоднозначным"
                )
            keys[key] = where
        extra = {k: v for k, v in raw.items() if k in LIST_KEYS[name] or k == "ambiguous"}
        for key in ("requirements", "clients", "publish_in", "fields", "ambiguous", "types"):
            if key in extra:
                extra[key] = tuple(extra[key])
        entries.append(Entry(code, raw["label"].strip(), raw["clause"].strip(), synonyms, extra))
    for entry in entries:
        for text in entry.get("ambiguous", ()):
            if match_key(text) in keys:
                raise ClassifiersError(
                    f"[[{name}]] code = {entry.code!r}: ambiguous «{text}» совпадает с названием "
                    f"или синонимом {keys[match_key(text)]} — такое значение не было бы спрошено"
                )
    return ClassifierList(name, info.get("title", name), info.get("clause", ""), tuple(entries))


def _check_references(lists: Mapping[str, ClassifierList]) -> None:
    channels = {e.code for e in lists["channel"]} | {_CHANNEL_ANY}
    groups = {e.get("group") for e in lists["requirement"]}
    locations = {e.code for e in lists["location"]}
    for index, entry in enumerate(lists["touchpoint_type"]):
        where = f"[[touchpoint_type]] № {index + 1} (code = {entry.code!r})"
        if entry.get("channel") not in channels:
            raise ClassifiersError(
                f"{where}: channel = {entry.get('channel')!r}, а допустимы: {sorted(channels)}"
            )
        for group in entry.get("requirements", ()):
            if group not in groups:
                raise ClassifiersError(
                    f"{where}: requirements называет подпункт {group!r}, которого нет среди "
                    f"[[requirement]] (group)"
                )
        if entry.get("location") is not None and entry.get("location") not in locations:
            raise ClassifiersError(
                f"{where}: location = {entry.get('location')!r}, а допустимы: {sorted(locations)}"
            )
    for index, entry in enumerate(lists["requirement"]):
        where = f"[[requirement]] № {index + 1} (code = {entry.code!r})"
        if not entry.get("group"):
            raise ClassifiersError(f"{where}: нет ключа «group» (подпункт п. 4.2)")
        if entry.get("kind") not in _REQUIREMENT_KINDS:
            raise ClassifiersError(
                f"{where}: kind = {entry.get('kind')!r}, а допустимы: {list(_REQUIREMENT_KINDS)}"
            )
        if entry.get("kind") == "number" and (entry.get("limit") is None or not entry.get("unit")):
            raise ClassifiersError(f'{where}: для kind = "number" нужны limit и unit')
    for index, entry in enumerate(lists["location"]):
        try:
            re.compile(entry.get("pattern", ""))
        except re.error as exc:
            raise ClassifiersError(
                f"[[location]] № {index + 1} (code = {entry.code!r}): pattern не является "
                f"регулярным выражением: {exc}"
            ) from None
    clients = {e.code for e in lists["client"]}
    for index, entry in enumerate(lists["client"]):
        unknown = [code for code in entry.get("publish_in", ()) if code not in clients]
        if unknown:
            raise ClassifiersError(
                f"[[client]] № {index + 1} (code = {entry.code!r}): publish_in называет клиента "
                f"{unknown[0]!r}, которого нет среди [[client]] (code)"
            )
    for index, entry in enumerate(lists["basis_kind"]):
        if entry.get("needs_requisites") is None:
            raise ClassifiersError(
                f"[[basis_kind]] № {index + 1} (code = {entry.code!r}): нет ключа "
                "«needs_requisites» (нужны ли реквизиты документа)"
            )


def _build_columns(
    section: str, raw_columns: list[Any], lists: Mapping[str, ClassifierList]
) -> tuple[Column, ...]:
    columns: list[Column] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(raw_columns):
        where = f"[[{section}]] № {index + 1} (key = {raw.get('key')!r})"
        _check_keys(where, raw, _COLUMN_KEYS)
        for required in ("key", "header"):
            if not str(raw.get(required, "")).strip():
                raise ClassifiersError(f"{where}: нет ключа «{required}» или он пуст")
        classifier = raw.get("classifier")
        if classifier is not None and classifier not in lists:
            raise ClassifiersError(
                f"{where}: classifier = {classifier!r}, а есть: {', '.join(lists)}"
            )
        if len(raw.get("hint", "")) > _HINT_LIMIT:
            raise ClassifiersError(
                f"{where}: hint длиннее {_HINT_LIMIT} символов ({len(raw['hint'])}) — Excel не "
                "покажет такую подсказку"
            )
        for text in (raw["key"], match_key(raw["header"])):
            if text in seen:
                raise ClassifiersError(f"{where}: {text!r} повторяется (уже у {seen[text]})")
            seen[text] = where
        values = {**raw, "synonyms": tuple(raw.get("synonyms", ()))}
        columns.append(Column(**values))
    if not columns:
        raise ClassifiersError(f"Нет ни одного [[{section}]]")
    return tuple(columns)


def load_classifiers(
    path: str | Path | None = None, *, extensions: Iterable[str] = ()
) -> Classifiers:
    """Load the built-in classifiers and columns, with the override file at *path* applied.

    The override file has the layout of ``tpcheck/data/classifiers.toml``: an entry whose code
    exists replaces the keys it gives, a new code adds an entry, ``remove = true`` drops one,
    ``replace = ["need"]`` replaces a whole list; ``[meta]`` and ``[[column]]`` (by ``key``)
    change the organization's name and the template's headers and hints.

    An entry with ``extension`` (a value the Порядок does not name, such as the type «СМЭВ,
    API») is left out unless ``enabled = true`` or its code is among *extensions*; an unknown
    code there is a :class:`ClassifiersError` naming the extensions there are.
    """
    wanted = tuple(sorted(set(extensions)))
    if path is None and not wanted:
        return default_classifiers()
    return _load(None if path is None else str(Path(path)), wanted)


@cache
def default_classifiers() -> Classifiers:
    """The classifiers of приказ № 134 as shipped (loaded once)."""
    return _load(None)


def _switch_extensions(
    data: dict[str, Any], wanted: tuple[str, ...]
) -> dict[str, list[dict[str, Any]]]:
    """Drop from *data* the extension entries that are not switched on; return them by list."""
    off: dict[str, list[dict[str, Any]]] = {}
    known: set[str] = set()
    for name in LIST_KEYS:
        kept = []
        for raw in data.get(name, []):
            if isinstance(raw, dict) and raw.get("extension"):
                code = str(raw.get("code", "")).strip()
                known.add(code)
                if not raw.get("enabled") and code not in wanted:
                    off.setdefault(name, []).append(raw)
                    continue
            kept.append(raw)
        if name in data:
            data[name] = kept
    unknown = [code for code in wanted if code not in known]
    if unknown:
        there = ", ".join(sorted(known)) or "нет ни одного"
        raise ClassifiersError(
            f"Расширения «{unknown[0]}» нет в классификаторах (записи с ключом extension: {there})"
        )
    return off


def _load(override: str | None, extensions: tuple[str, ...] = ()) -> Classifiers:
    data = _read_toml("package:classifiers.toml", "классификаторов")
    data.update(_read_toml("package:columns.toml", "столбцов"))
    sources = ["tpcheck/data/classifiers.toml", "tpcheck/data/columns.toml"]
    if override is not None:
        _merge_lists(data, _read_toml(override, "классификаторов"), override)
        sources.append(override)
    _check_keys("[meta]", data.get("meta", {}), _META_KEYS)
    _check_keys("[sheets]", data.get("sheets", {}), _SHEET_KEYS)
    missing = [name for name in LIST_KEYS if name not in data]
    if missing:
        raise ClassifiersError(f"Нет классификатора «{missing[0]}» ([[{missing[0]}]])")
    infos = data.get("lists", {})
    off = _switch_extensions(data, extensions)
    lists = {name: _build_list(name, data[name], infos.get(name, {})) for name in LIST_KEYS}
    switched_off = {
        name: _build_list(name, raws, infos.get(name, {})).entries for name, raws in off.items()
    }
    _check_references(lists)
    columns = _build_columns("column", data.get("column", []), lists)
    requirement_columns = _build_columns(
        "requirement_column", data.get("requirement_column", []), lists
    )
    registry_columns = _build_columns("registry_column", data.get("registry_column", []), lists)
    keys = {column.key for column in columns}
    for index, entry in enumerate(lists["update_ground"]):
        for key in entry.get("fields", ()):
            if key not in keys:
                raise ClassifiersError(
                    f"[[update_ground]] № {index + 1} (code = {entry.code!r}): fields называет "
                    f"графу {key!r}, которой нет среди [[column]] (key)"
                )
    missing_sheets = set(_SHEET_KEYS) - set(data.get("sheets", {}))
    if missing_sheets:
        raise ClassifiersError(f"[sheets]: нет ключа «{sorted(missing_sheets)[0]}»")
    canonical = {
        "meta": data.get("meta", {}),
        "sheets": data["sheets"],
        "lists": {
            name: {
                "title": lst.title,
                "clause": lst.clause,
                "entries": [
                    {
                        "code": e.code,
                        "label": e.label,
                        "clause": e.clause,
                        "synonyms": list(e.synonyms),
                        **{k: v for k, v in e.extra.items()},
                    }
                    for e in lst
                ],
            }
            for name, lst in lists.items()
        },
        "columns": [c.__dict__ | {"synonyms": list(c.synonyms)} for c in columns],
        "requirement_columns": [
            c.__dict__ | {"synonyms": list(c.synonyms)} for c in requirement_columns
        ],
    }
    return Classifiers(
        data.get("meta", {}),
        lists,
        columns,
        requirement_columns,
        Sheets(**data["sheets"]),
        tuple(sources),
        canonical,
        registry_columns=registry_columns,
        extensions=switched_off,
    )
