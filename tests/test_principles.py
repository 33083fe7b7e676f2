"""п. 3.8 as warnings about a whole service, judged across every file sent:
``no-digital-touchpoint`` (3.8 2)) and ``no-offline-alternative`` (3.8 3), 4))."""

from __future__ import annotations

from pathlib import Path

import tpcheck
from tpcheck.classifiers import load_classifiers
from tpcheck.findings import issue_types
from tpcheck.reading import pool

from .frames import SERVICE_WIDE, frame_from_files, valid_row
from .read_helpers import quiet, write_book

SERVICE = "Консультирование по вопросам пожарной безопасности"
SITE = {"activity": SERVICE}  # valid_row: the Department's site, digital
RECEPTION = {
    "activity": SERVICE,
    "touchpoint": "Личный прием в отделе",
    "touchpoint_type": "личный прием в Департаменте, учреждении",
    "channel": "оффлайн",
    "location": "г. Кемерово, пр. Советский, 60",
}
PHONE = {
    "activity": SERVICE,
    "touchpoint": "Телефон отдела",
    "touchpoint_type": "телефонная связь, кол-центр, горячая линия",
    "channel": "оффлайн",
    "location": "+7 (3842) 58-00-00",
}
BOT = {
    "activity": SERVICE,
    "touchpoint": "Чат-бот в Telegram",
    "touchpoint_type": "чат-бот, персональный чат в мессенджере или социальной сети",
    "channel": "цифровая",
    "location": "https://t.me/dchs_bot",
}


def rows(*overrides: dict) -> list[dict]:
    return [valid_row(**{"number": str(n), **o}) for n, o in enumerate(overrides, start=1)]


def found(files: dict[str, list[dict]], classifiers=None, lang: str = "ru") -> list:
    frame = frame_from_files(files, classifiers=classifiers)
    report = tpcheck.validate(frame, lang=lang)
    return [i for i in report.records if i.code in SERVICE_WIDE]


def where(issues) -> list[tuple]:
    return [(i.file, i.row, i.cell, i.code, i.severity) for i in issues]


def test_the_two_codes_are_warnings_of_clause_3_8():
    types = issue_types()
    assert {code: (types[code].severity, types[code].clause) for code in SERVICE_WIDE} == {
        "no-digital-touchpoint": ("warning", "п. 3.8 2)"),
        "no-offline-alternative": ("warning", "п. 3.8 4)"),
    }


def test_a_service_with_offline_touchpoints_only_has_no_digital_one():
    (issue,) = found({"a.xlsx": rows(RECEPTION, PHONE)})
    assert where([issue]) == [("a.xlsx", 3, "C3", "no-digital-touchpoint", "warning")]
    assert issue.value == SERVICE
    assert issue.message == (
        f"У «{SERVICE}» нет ни одной цифровой точки взаимодействия: все точки (2, во всех "
        "присланных файлах) — оффлайн: «Личный прием в отделе»; «Телефон отдела». "
        "По п. 3.8 2) онлайн-каналы — преимущественные."
    )
    assert "добавьте такую точку строкой" in issue.suggestion


def test_a_service_with_digital_touchpoints_only_has_no_alternative():
    (issue,) = found({"a.xlsx": rows(SITE, BOT)})
    assert where([issue]) == [("a.xlsx", 3, "C3", "no-offline-alternative", "warning")]
    assert "«Официальный сайт Департамента»; «Чат-бот в Telegram»" in issue.message
    assert "по здоровью, возрасту" in issue.message


def test_one_digital_and_one_offline_touchpoint_satisfy_both_principles():
    assert found({"a.xlsx": rows(SITE, PHONE)}) == []
    assert found({"a.xlsx": rows(BOT, RECEPTION, PHONE)}) == []


def test_a_service_is_judged_across_the_files_of_the_department():
    """The site kept by one subdivision and the reception by another serve the service well."""
    assert found({"a.xlsx": rows(SITE), "b.xlsx": rows(RECEPTION)}) == []
    # all offline in two files: each file is told, at its first row of the service
    issues = found(
        {"a.xlsx": rows(RECEPTION), "b.xlsx": rows(PHONE, {**RECEPTION, "touchpoint": "Прием 2"})}
    )
    assert where(issues) == [
        ("a.xlsx", 3, "C3", "no-digital-touchpoint", "warning"),
        ("b.xlsx", 3, "C3", "no-digital-touchpoint", "warning"),
    ]
    assert all("(3, во всех присланных файлах)" in i.message for i in issues)


def test_a_touchpoint_sent_by_two_files_is_counted_once():
    issues = found({"a.xlsx": rows(RECEPTION, PHONE), "b.xlsx": rows({**PHONE, "number": "7"})})
    assert len(issues) == 2
    assert all(
        "(2, во всех присланных файлах) — оффлайн: «Личный прием в отделе»; «Телефон отдела»."
        in i.message
        for i in issues
    )


def test_services_are_told_apart_by_their_name_compared_loosely():
    other = {**BOT, "activity": "Прием сообщений о нарушениях"}
    loose = {**RECEPTION, "activity": SERVICE.upper() + " "}
    issues = found({"a.xlsx": rows(SITE, other, loose)})
    assert where(issues) == [("a.xlsx", 4, "C4", "no-offline-alternative", "warning")]


def test_the_type_decides_the_channel_when_it_implies_one():
    """A site marked «оффлайн» is still digital (and channel-mismatch says so)."""
    site_as_offline = {**SITE, "channel": "оффлайн"}
    assert found({"a.xlsx": rows(site_as_offline, RECEPTION)}) == []
    (issue,) = found({"a.xlsx": rows(site_as_offline, BOT)})
    assert issue.code == "no-offline-alternative"
    # a phone may be either: the row says which
    (issue,) = found({"a.xlsx": rows(SITE, {**PHONE, "channel": "цифровая"})})
    assert issue.code == "no-offline-alternative"


def test_a_row_of_unknown_channel_leaves_the_service_unjudged():
    unknown = {**PHONE, "channel": None}
    assert found({"a.xlsx": rows(RECEPTION, unknown)}) == []
    assert found({"a.xlsx": rows(SITE, unknown)}) == []


def test_no_alternative_is_expected_of_a_digital_service_or_of_staff_only():
    assert found({"a.xlsx": rows({**SITE, "activity_kind": "сервис"}, BOT)}) == []
    internal = {"client": "внутренний"}
    assert found({"a.xlsx": rows({**SITE, **internal}, {**BOT, **internal})}) == []
    # one row for external clients too: the alternative is expected again
    (issue,) = found({"a.xlsx": rows({**SITE, **internal}, {**BOT, "client": "внешний"})})
    assert issue.code == "no-offline-alternative"
    # a digital service still wants a digital touchpoint
    (issue,) = found({"a.xlsx": rows({**RECEPTION, "activity_kind": "сервис"})})
    assert issue.code == "no-digital-touchpoint"


def test_an_override_file_says_of_whom_no_alternative_is_expected(tmp_path):
    override = tmp_path / "mine.toml"
    override.write_text(
        '[[activity_kind]]\ncode = "function"\nalternative_expected = false\n', encoding="utf-8"
    )
    assert found({"a.xlsx": rows(SITE, BOT)}, classifiers=load_classifiers(override)) == []
    assert len(found({"a.xlsx": rows(SITE, BOT)})) == 1


def test_many_touchpoints_are_named_up_to_five_and_in_english():
    many = [{**BOT, "touchpoint": f"Бот {n}"} for n in range(1, 8)]
    (issue,) = found({"a.xlsx": rows(*many)}, lang="en")
    assert issue.message.startswith(
        f"All touchpoints of «{SERVICE}» (7, in every file sent) are digital: «Бот 1»; «Бот 2»; "
        "«Бот 3»; «Бот 4»; «Бот 5» and 2 more."
    )


def test_a_re_merge_from_the_cache_judges_the_service_on_every_file_again(tmp_path, monkeypatch):
    """The rule is cross-file: a cached file's warning goes when another file adds the missing
    digital touchpoint, though the cached file itself was not read again."""
    inbox = tmp_path / "inbox"
    reception = quiet(
        1,
        activity=SERVICE,
        activity_kind="услуга",
        **{k: RECEPTION[k] for k in ("touchpoint", "touchpoint_type", "channel", "location")},
    )
    write_book(inbox / "a.xlsx", [reception])
    write_book(inbox / "b.xlsx", [quiet(1)])
    cache = tmp_path / "cache"
    first = tpcheck.merge([inbox], cache=cache)
    first.write(tmp_path / "out", workers=1)  # the cache is kept with the outputs
    assert [(i.code, i.cell) for i in first.report.records if i.code in SERVICE_WIDE] == [
        ("no-digital-touchpoint", "C3")
    ]
    write_book(inbox / "b.xlsx", [quiet(1), quiet(2, activity=SERVICE, activity_kind="услуга")])
    read, real_run = [], pool.run_in_workers

    def run_in_workers(jobs, *args, **kwargs):
        jobs = list(jobs)
        read.extend(Path(job.path).name for job in jobs)
        return real_run(jobs, *args, **kwargs)

    monkeypatch.setattr(pool, "run_in_workers", run_in_workers)
    again = tpcheck.merge([inbox], cache=cache)
    assert read == ["b.xlsx"]  # a.xlsx came from the cache
    assert [i for i in again.report.records if i.code in SERVICE_WIDE] == []
