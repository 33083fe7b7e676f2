"""Hypothesis strategies that generate VALID submissions from the classifiers — reusable by the
tests of every stage (reader round trips, hostile inputs, writers).

A :class:`Submission` holds what clerks typed: per file the «Перечень» rows and the «Требования
п. 4.2» rows as cell texts keyed by column key (None for an empty cell), plus the roster of the
subdivisions that submitted and the registry of processes the rows name. Every value is valid by
the regulation as tpcheck reads it (tpcheck.validate finds nothing):

* every classifier value typed as clerks type it: canonical label, code (``3``, ``3)``,
  ``п. 3``), synonym, another case, ё for е, a Latin look-alike letter inside a Cyrillic word,
  repeated or non-breaking spaces, a trailing full stop;
* needs cells of one to four needs joined by ``;``, line breaks or commas (labels that contain
  commas included), «другие» only with a note;
* вид that fits the type, locations that fit the type's [[location]] pattern, requisites where the
  basis needs them, a note for the type «иное», directions with their clients;
* requirement rows for every touchpoint of a key type, applicable to its type, yes/no values
  meaning «да», numbers within the limit written as ``3``, ``1,5``, ``2 ч``;
* files numbered by № or not (then requirement rows name Excel rows).

``submissions()`` draws one; ``every_value_submission()`` is a fixed submission that uses every
spelling of every classifier value once. ``Submission.frame()`` builds the frame of the read
contract via tests/frames.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from hypothesis import strategies as st

from tpcheck.classifiers import ClassifierList, Classifiers, Entry, default_classifiers

from .frames import FIRST_DATA_ROW, frame_from_files

__all__ = [
    "Submission",
    "every_value_submission",
    "location_examples",
    "spellings",
    "submissions",
    "typed",
]

C = default_classifiers()

# Cyrillic letters and the Latin letters that look the same (lower case).
_LOOKALIKES = dict(zip("аеорсху", "aeopcxy", strict=True))
_WORD_TEXT = (
    "прием обращений граждан выдача справок лицензий консультирование населения "
    "информирование организаций аттестация учебных центров подготовка спасателей "
    "пожарный надзор реестр заявлений Кузбасс Кемерово Новокузнецк отдел управление "
    "сектор служба спасения безопасность водных объектов гражданская оборона"
)
_WORDS = tuple(_WORD_TEXT.split())

#: Values that fit each [[location]] pattern (checked against the pattern below).
LOCATIONS: dict[str, tuple[str, ...]] = {
    "url": (
        "https://dchs.kuzbass.ru",
        "https://dchs.kuzbass.ru/activity/appeals/",
        "www.kuzbass-mchs.ru",
        "https://t.me/dchs_kuzbass",
        "vk.com/dchs42",
        "госуслуги.рф",
        "https://www.gosuslugi.ru/600100",
    ),
    "phone": (
        "+7 (384) 258-12-34",
        "8-800-100-12-34",
        "8 (3842) 58-12-34",
        "112",
        "58-12-34",
        "+7 384 258 12 34, доб. 105",
    ),
    "email": (
        "priem@dchs.kuzbass.ru",
        "Электронная почта: info@kuzbass-mchs.ru",
        "otdel.kadrov@mail.ru",
    ),
}
_ADDRESSES = (
    "г. Кемерово, пр. Советский, 60, каб. 105",
    "650000, г. Кемерово, ул. Красная, 12",
    "по месту нахождения учреждения",
)


def location_examples(kind: str, classifiers: Classifiers = C) -> tuple[str, ...]:
    """The example locations of *kind* that fit its pattern in *classifiers*."""
    pattern = re.compile(classifiers["location"].by_code(kind).get("pattern"))
    return tuple(text for text in LOCATIONS.get(kind, ()) if pattern.search(text))


for _kind in C["location"].codes:  # every kind keeps examples that fit it
    assert location_examples(_kind), f"no example location fits [[location]] {_kind}"


def _base_spellings(entry: Entry, classifier: ClassifierList) -> list[str]:
    texts = [entry.label, *entry.synonyms]
    if entry.code.isdigit():
        texts += [entry.code, f"{entry.code})", f"п. {entry.code}", f"{entry.code}) {entry.label}"]
    else:
        texts.append(entry.code)
    return [text for text in texts if classifier.match(text) is entry]


_SPELLINGS: dict[tuple[str, str], list[str]] = {
    (name, entry.code): _base_spellings(entry, lst)
    for name, lst in C.lists.items()
    for entry in lst
}


def spellings(name: str, entry: Entry) -> list[str]:
    """The label, synonyms and code forms by which list *name* knows *entry*."""
    return _SPELLINGS[(name, entry.code)]


def _lookalike(text: str, index: int) -> str:
    """Replace one Cyrillic letter (the *index*-th replaceable one) by its Latin twin, inside a
    word that keeps at least one other Cyrillic letter (so the word still reads as Cyrillic)."""
    spots = []
    for word in re.finditer(r"[^\W\d_]+", text):
        cyrillic = [
            i for i, c in enumerate(word.group(), word.start()) if re.match("[а-яё]", c, re.I)
        ]
        if len(cyrillic) >= 2:
            spots += [i for i in cyrillic if text[i].lower() in _LOOKALIKES]
    if not spots:
        return text
    i = spots[index % len(spots)]
    twin = _LOOKALIKES[text[i].lower()]
    return text[:i] + (twin.upper() if text[i].isupper() else twin) + text[i + 1 :]


_VARIANTS = ("as is", "upper", "lower", "capitalize", "lookalike", "yo", "spaces", "nbsp", "dot")


def _variant(text: str, how: str, index: int) -> str:
    if how == "upper":
        return text.upper()
    if how == "lower":
        return text.lower()
    if how == "capitalize":
        return text[:1].upper() + text[1:]
    if how == "lookalike":
        return _lookalike(text, index)
    if how == "yo":
        return text.replace("е", "ё", 1)
    if how == "spaces":
        return "  " + text.replace(" ", "   ") + " "
    if how == "nbsp":
        return text.replace(" ", "\u00a0")
    if how == "dot":
        return text + "."
    return text


@st.composite
def typed(draw: st.DrawFn, name: str, entry: Entry) -> str:
    """*entry* of list *name* as a clerk may type it (always matched back to *entry*)."""
    base = draw(st.sampled_from(spellings(name, entry)))
    text = _variant(base, draw(st.sampled_from(_VARIANTS)), draw(st.integers(0, 20)))
    return text if C[name].match(text) is entry else base


def _entries(name: str, **where: Any) -> list[Entry]:
    return [e for e in C[name] if all(e.get(k) == v for k, v in where.items())]


_words = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6).map(" ".join)


@st.composite
def free_text(draw: st.DrawFn) -> str:
    """A free-text cell: Russian words, sometimes capitalised, quoted or with a number."""
    text = draw(_words)
    if draw(st.booleans()):
        text = text[:1].upper() + text[1:]
    if draw(st.booleans()):
        text = f"{text} «{draw(_words)}»"
    if draw(st.booleans()):
        text = f"{text} № {draw(st.integers(1, 999))}"
    return text


@st.composite
def needs_cell(draw: st.DrawFn, with_other: bool) -> tuple[str, bool]:
    """A needs cell and whether it names a need marked ``other``."""
    plain = _entries("need", other=None)
    chosen = draw(
        st.lists(st.sampled_from(plain), min_size=1, max_size=4, unique_by=lambda e: e.code)
    )
    if with_other:
        chosen.append(draw(st.sampled_from(_entries("need", other=True))))
    pieces = [draw(typed("need", entry)) for entry in chosen]
    separator = draw(st.sampled_from(["; ", ";", "\n", ", ", " ;\n"]))
    cell = separator.join(pieces)
    found = C["need"].split(cell)
    if any(e is None for _, e in found) or {e.code for _, e in found} != {e.code for e in chosen}:
        cell = "; ".join(entry.label for entry in chosen)
    return cell, with_other


@st.composite
def requirement_value(draw: st.DrawFn, entry: Entry) -> str:
    """A value of requirement *entry* that meets it: «да» typed somehow, or a number within the
    limit (``3``, ``1,5``, ``2 ч``, ``2 часа``)."""
    if entry.get("kind") == "yes_no":
        return draw(typed("yes_no", C["yes_no"].by_code("yes")))
    limit = float(entry.get("limit"))
    tenths = draw(st.integers(0, int(limit * 10)))
    number = f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths // 10},{tenths % 10}"
    if draw(st.booleans()):
        number = number.replace(",", ".")
    unit = entry.get("unit")
    suffix = draw(st.sampled_from(["", f" {unit}", f"\u00a0{unit}", f" {unit}."]))
    return number + suffix


@dataclass
class Submission:
    """What clerks sent: file → «Перечень» rows, file → «Требования п. 4.2» rows (cell texts);
    the roster of the subdivisions that sent them and the registry of the processes named."""

    files: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requirements: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    roster: list[str] = field(default_factory=list)
    registry: pd.DataFrame | None = None

    def frame(self) -> pd.DataFrame:
        return frame_from_files(self.files, self.requirements)

    @property
    def rows(self) -> int:
        return sum(len(rows) for rows in self.files.values())


@st.composite
def valid_row(
    draw: st.DrawFn, *, number: str | None, subdivision: str, activity: tuple[str, Entry], tag: str
) -> tuple[dict[str, Any], Entry]:
    """One valid «Перечень» row and its touchpoint type."""
    activity_name, direction = activity
    clients = [
        C["client"].by_code(c) for c in direction.get("clients", ()) if c in C["client"].codes
    ]
    client = draw(st.sampled_from(clients or list(C["client"])))
    kind = draw(st.sampled_from(list(C["touchpoint_type"])))
    channel_code = kind.get("channel")
    channel = draw(
        st.sampled_from(list(C["channel"]))
        if channel_code == "any"
        else st.just(C["channel"].by_code(channel_code))
    )
    location_kind = kind.get("location")
    if location_kind:
        location = draw(st.sampled_from(location_examples(location_kind)))
    else:
        location = draw(st.sampled_from([None, *_ADDRESSES]))
    needs, other_need = draw(needs_cell(with_other=draw(st.booleans())))
    basis_kind = draw(st.sampled_from(list(C["basis_kind"])))
    requisites = basis_kind.get("needs_requisites") or draw(st.booleans())
    needs_note = other_need or bool(kind.get("other"))
    row = {
        "number": number,
        "direction": draw(typed("direction", direction)),
        "activity": activity_name,
        "activity_kind": draw(
            typed("activity_kind", draw(st.sampled_from(list(C["activity_kind"]))))
        ),
        "client": draw(typed("client", client)),
        "touchpoint": f"{draw(free_text())} ({tag})",
        "touchpoint_type": draw(typed("touchpoint_type", kind)),
        "channel": draw(typed("channel", channel)),
        "location": location,
        "needs": needs,
        "procedure": draw(free_text()),
        "basis_kind": draw(typed("basis_kind", basis_kind)),
        "basis": draw(free_text()) if requisites else None,
        "operator": draw(typed("operator", draw(st.sampled_from(list(C["operator"]))))),
        "subdivision": subdivision,
        "demand_tracked": draw(
            st.one_of(
                st.none(), st.sampled_from(list(C["yes_no"])).flatmap(lambda e: typed("yes_no", e))
            )
        ),
        "note": draw(free_text()) if needs_note or draw(st.booleans()) else None,
    }
    return row, kind


@st.composite
def requirement_rows(draw: st.DrawFn, kind: Entry, row_ref: str) -> list[dict[str, Any]]:
    """A met requirement row for every sub-item of п. 4.2 expected of a touchpoint of type
    *kind* (the coverage rule asks for each one), in a drawn order."""
    groups = kind.get("requirements", ())
    pool = [
        entry
        for entry in C["requirement"]
        if entry.get("group") in groups and kind.code in entry.get("types", (kind.code,))
    ]
    chosen = draw(st.permutations(pool))
    return [
        {
            "row_ref": row_ref,
            "requirement": draw(typed("requirement", entry)),
            "value": draw(requirement_value(entry)),
            "comment": draw(st.one_of(st.none(), free_text())),
        }
        for entry in chosen
    ]


@st.composite
def submissions(draw: st.DrawFn, max_files: int = 3, max_rows: int = 6) -> Submission:
    """A valid submission of one to *max_files* files of one to *max_rows* rows each."""
    result = Submission()
    registry: list[dict[str, Any]] = []
    for f in range(draw(st.integers(1, max_files))):
        path = (
            f"{f + 1:02d}_{draw(st.sampled_from(['otdel', 'uchrezhdenie', 'Отдел кадров']))}.xlsx"
        )
        subdivision = f"{draw(free_text())} {f + 1}"
        numbered = draw(st.booleans())
        activities = [
            (f"{draw(free_text())} ({f + 1}.{a})", draw(st.sampled_from(list(C["direction"]))))
            for a in range(draw(st.integers(1, 3)))
        ]
        rows: list[dict[str, Any]] = []
        requirements: list[dict[str, Any]] = []
        for i in range(draw(st.integers(1, max_rows))):
            number = str(i + 1) if numbered else None
            activity = draw(st.sampled_from(activities))
            row, kind = draw(
                valid_row(number=number, subdivision=subdivision, activity=activity, tag=f"{f}.{i}")
            )
            rows.append(row)
            if kind.get("requirements"):
                if numbered:
                    ref = draw(st.sampled_from([number, f"№ {number}", f"{number}."]))
                else:
                    ref = str(FIRST_DATA_ROW + i)
                requirements += draw(requirement_rows(kind, ref))
        order = draw(st.permutations(range(len(requirements))))
        result.files[path] = rows
        result.requirements[path] = [requirements[k] for k in order]
        result.roster.append(subdivision)
        registry += [
            {
                "Направление деятельности": d.label,
                "Наименование услуги": name,
                "Подразделение": subdivision,
            }
            for name, d in activities
            if any(row["activity"] == name for row in rows)
        ]
    result.registry = pd.DataFrame(registry)
    return result


def every_value_submission() -> Submission:
    """One file using every spelling of every value of every list that a row can hold (and every
    requirement), each in a valid row."""
    rows: list[dict[str, Any]] = []
    requirements: list[dict[str, Any]] = []
    site = C["touchpoint_type"].by_code("site") if "site" in C["touchpoint_type"].codes else None
    default_kind = site or next(e for e in C["touchpoint_type"] if e.get("location") == "url")

    def add(kind: Entry | None = None, **cells: Any) -> None:
        kind = kind or default_kind
        number = str(len(rows) + 1)
        channel_code = kind.get("channel")
        channel = C["channel"].by_code(channel_code if channel_code != "any" else "digital")
        location_kind = kind.get("location")
        row = {
            "number": number,
            "direction": C["direction"].by_code("1").label,
            "activity": "Прием и рассмотрение заявлений",
            "activity_kind": C["activity_kind"].labels[0],
            "client": C["client"].labels[0],
            "touchpoint": f"Точка взаимодействия {number}",
            "touchpoint_type": kind.label,
            "channel": channel.label,
            "location": location_examples(location_kind)[0] if location_kind else None,
            "needs": C["need"].labels[0],
            "procedure": "Прием заявлений в рабочие дни",
            "basis_kind": C["basis_kind"].labels[0],
            "basis": "Федеральный закон от 27.07.2010 № 210-ФЗ",
            "operator": C["operator"].labels[0],
            "subdivision": "Отдел надзорной деятельности",
            "demand_tracked": None,
            "note": "Пояснение" if kind.get("other") else None,
            **cells,
        }
        if C["direction"].match(row["direction"]).get("clients"):
            allowed = C["direction"].match(row["direction"]).get("clients")
            row["client"] = C["client"].by_code(allowed[0]).label
        rows.append(row)
        for entry in C["requirement"]:  # every sub-item expected of the type (issue 16)
            if entry.get("group") not in kind.get("requirements", ()):
                continue
            if kind.code in entry.get("types", (kind.code,)):
                value = "да" if entry.get("kind") == "yes_no" else str(entry.get("limit"))
                requirements.append({"row_ref": number, "requirement": entry.label, "value": value})

    for name in ("direction", "activity_kind", "client", "operator", "yes_no"):
        key = {"yes_no": "demand_tracked"}.get(name, name)
        for entry in C[name]:
            for index, text in enumerate(spellings(name, entry)):
                for how in _VARIANTS:
                    variant = _variant(text, how, index)
                    if C[name].match(variant) is entry:
                        add(**{key: variant})
    for kind in C["touchpoint_type"]:
        for index, text in enumerate(spellings("touchpoint_type", kind)):
            add(kind, touchpoint_type=_variant(text, _VARIANTS[index % len(_VARIANTS)], index))
            channel_code = kind.get("channel")
            channels = (
                list(C["channel"])
                if channel_code == "any"
                else [C["channel"].by_code(channel_code)]
            )
            for channel in channels:
                for spelled in spellings("channel", channel):
                    add(kind, channel=spelled)
    for entry in C["need"]:
        note = "Какие именно" if entry.get("other") else None
        for text in spellings("need", entry):
            add(needs=text, note=note)
        add(needs=", ".join([C["need"].labels[0], entry.label]), note=note)
    for entry in C["basis_kind"]:
        for text in spellings("basis_kind", entry):
            add(basis_kind=text, basis=None if not entry.get("needs_requisites") else "Приказ № 1")
    for kind_code in LOCATIONS:
        kind = next(e for e in C["touchpoint_type"] if e.get("location") == kind_code)
        for example in location_examples(kind_code):
            add(kind, location=example)
    for entry in C["requirement"]:
        kind = next(
            e for e in C["touchpoint_type"] if entry.get("group") in e.get("requirements", ())
        )
        if entry.get("kind") == "yes_no":
            values = spellings("yes_no", C["yes_no"].by_code("yes"))
        else:
            limit, unit = entry.get("limit"), entry.get("unit")
            values = [str(limit), f"{limit} {unit}", f"{limit / 2:g}".replace(".", ","), "0"]
        for index, text in enumerate(spellings("requirement", entry)):
            for value in values:
                add(kind)
                number = rows[-1]["number"]
                requirements[:] = [  # this requirement spelled so; the others met as usual
                    r
                    for r in requirements
                    if r["row_ref"] != number or r["requirement"] != entry.label
                ]
                requirements.append(
                    {"row_ref": _variant(number, "dot", index), "requirement": text, "value": value}
                )
    return Submission(
        files={"every_value.xlsx": rows},
        requirements={"every_value.xlsx": requirements},
        roster=["Отдел надзорной деятельности"],
    )
