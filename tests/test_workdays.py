"""The deadline of п. 5.5: 10 working days after the change, by the Russian production calendar.

Every expected date below was counted by hand against the Government's decrees on transferred
days off and the production calendars of consultant.ru:
* 2024 — постановление Правительства РФ от 10.08.2023 № 1314 «О переносе выходных дней в 2024
  году»: 6 Jan → 10 May, 7 Jan → 31 Dec, Sat 27 Apr → Mon 29 Apr, Sat 2 Nov → Tue 30 Apr,
  Sat 28 Dec → Mon 30 Dec (so 27 Apr, 2 Nov and 28 Dec 2024 were working Saturdays);
  https://www.consultant.ru/law/ref/calendar/proizvodstvennye/2024/
* 2025 — постановление Правительства РФ от 04.10.2024 № 1335 «О переносе выходных дней в 2025
  году»: 4 Jan → 2 May, 5 Jan → 31 Dec, 23 Feb → 8 May, 8 Mar → 13 Jun, Sat 1 Nov → Mon 3 Nov
  (1 Nov 2025 was a working Saturday);
  https://www.consultant.ru/law/ref/calendar/proizvodstvennye/2025/
* 2026 — постановление Правительства РФ от 24.09.2025 «О переносе выходных дней в 2026 году»:
  3 Jan → 9 Jan, 4 Jan → 31 Dec (holidays 31 Dec 2025 – 11 Jan 2026);
  https://www.consultant.ru/law/ref/calendar/proizvodstvennye/2026/
The count starts on the day after the change (art. 191 of the Civil Code).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tpcheck.diff import workdays
from tpcheck.diff.workdays import publication_deadline

D = dt.date.fromisoformat

DEADLINES = [
    # changed on, published by, what the case shows
    # 26-27 Dec, working Sat 28 Dec, then 30 Dec 2024 – 8 Jan 2025 off, 9-17 Jan: the case
    ("2024-12-25", "2025-01-17", "New Year holidays, working Saturday 28.12.2024"),
    # a change on a holiday: the count starts on the next working day, 9 Jan
    ("2025-01-01", "2025-01-22", "change made during the New Year holidays"),
    # 26, 29, 30 Dec; 31 Dec 2025 – 11 Jan 2026 off; 12-20 Jan
    ("2025-12-25", "2026-01-20", "New Year 2026: 31 Dec and 9 Jan transferred days off"),
    # working Sat 27 Apr counts; 29 Apr – 1 May off, 9-10 May off
    ("2024-04-26", "2024-05-16", "May holidays 2024 with the working Saturday 27.04"),
    # 1-4 May and 8-11 May 2025 off (2 May from 4 Jan, 8 May from 23 Feb)
    ("2025-04-28", "2025-05-16", "May holidays 2025"),
    # working Sat 2 Nov counts, 4 Nov off
    ("2024-10-28", "2024-11-11", "working Saturday 02.11.2024, 4 November"),
    # working Sat 1 Nov counts, 3 and 4 Nov off
    ("2025-10-27", "2025-11-11", "working Saturday 01.11.2025, 3-4 November"),
    # Fri 23 Feb 2024 off
    ("2024-02-19", "2024-03-05", "23 February on a Friday"),
    # Sun 23 Feb 2025 moved to 8 May: Mon 24 Feb is a working day
    ("2025-02-20", "2025-03-06", "23 February on a Sunday, transferred to May"),
    # Fri 8 Mar 2024 off
    ("2024-03-04", "2024-03-19", "8 March"),
    # Sat 8 Mar 2025 moved to 13 Jun: Mon 10 Mar works, 12-13 Jun off
    ("2025-06-09", "2025-06-25", "12 June with the day transferred from 8 March"),
    # Wed 12 Jun 2024 off
    ("2024-06-10", "2024-06-25", "12 June midweek"),
]


@pytest.mark.parametrize(("changed_on", "expected", "case"), DEADLINES)
def test_deadline_by_the_production_calendar(changed_on, expected, case):
    deadline = publication_deadline(D(changed_on), 10)
    assert (deadline.date, deadline.confirmed) == (D(expected), True), case


def test_working_saturdays_and_transferred_days_off_come_from_the_library():
    calendar = workdays.russian_calendar()
    working = [D(d) for d in ("2024-04-27", "2024-11-02", "2024-12-28", "2025-11-01")]
    off = [D(d) for d in ("2024-12-30", "2024-12-31", "2025-05-02", "2025-05-08", "2025-11-03")]
    assert [calendar.is_working_day(d) for d in working] == [True] * 4
    assert [calendar.is_working_day(d) for d in off] == [False] * 5


def test_a_year_without_known_transfers_is_flagged(monkeypatch):
    monkeypatch.setattr(workdays, "last_year_with_transfers", lambda: 2024)
    deadline = publication_deadline(D("2024-12-25"), 10)
    assert deadline.unconfirmed_years == (2025,)
    assert "нет переносов выходных дней на 2025 г." in deadline.note()
    assert deadline.to_dict()["calendar_confirmed"] is False


def test_the_installed_calendar_knows_the_transfers_of_the_tested_years():
    assert workdays.last_year_with_transfers() >= 2026


def test_days_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        publication_deadline(D("2025-01-10"), 0)
