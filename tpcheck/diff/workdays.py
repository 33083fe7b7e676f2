"""Working days by the Russian production calendar, for the deadline of п. 5.5.

The calendar is the ``holidays`` library's for Russia (``holidays.country_holidays("RU")``): the
non-working public holidays of art. 112 of the Labour Code and the transfers of days off made each
year by a decree of the Government, which the library stores with their sources (consultant.ru).
A transfer from a Saturday or Sunday makes that day a working day (``weekend_workdays``: for
example 2024-11-02 and 2025-11-01), a transfer to a weekday makes it a day off (2025-11-03).

The library only knows the transfers of the years whose decree it has seen; for a later year the
count rests on the holidays and weekends alone and :func:`publication_deadline` says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import holidays

__all__ = ["Deadline", "last_year_with_transfers", "publication_deadline", "russian_calendar"]


@cache
def russian_calendar() -> holidays.HolidayBase:
    """The production calendar of Russia (public holidays, transferred days off and working
    Saturdays), filled year by year as dates are asked for."""
    return holidays.country_holidays("RU")


@cache
def last_year_with_transfers() -> int | None:
    """The last year for which the installed ``holidays`` knows the Government's decree on
    transferred days off (None when the library does not say)."""
    module = getattr(holidays, "countries", None)
    russia = getattr(getattr(module, "russia", None), "RussiaStaticHolidays", None)
    transfers = getattr(russia, "special_public_holidays", None)
    if not isinstance(transfers, dict) or not transfers:
        return None
    return max(transfers)


@dataclass(frozen=True)
class Deadline:
    """The date by which the new version must be on the site: ``days`` working days after
    ``changed_on`` (the count starts on the next day, art. 191 of the Civil Code)."""

    changed_on: dt.date
    days: int
    date: dt.date
    #: The years of the count for which the calendar has no decree on transfers (then the date
    #: rests on holidays and weekends only and must be checked by hand).
    unconfirmed_years: tuple[int, ...] = ()

    @property
    def confirmed(self) -> bool:
        return not self.unconfirmed_years

    def note(self, lang: str = "ru") -> str | None:
        """A warning when the calendar lacks a year's transfers, else None."""
        if self.confirmed:
            return None
        years = ", ".join(str(y) for y in self.unconfirmed_years)
        version = getattr(holidays, "__version__", "?")
        if lang == "en":
            return (
                f"holidays {version} does not know the transferred days off of {years}: the date "
                "counts public holidays and weekends only; check it against the production "
                "calendar."
            )
        return (
            f"В библиотеке holidays {version} нет переносов выходных дней на {years} г.: срок "
            "посчитан только по праздникам и выходным — сверьте его с производственным календарем."
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "changed_on": self.changed_on.isoformat(),
            "working_days": self.days,
            "publish_by": self.date.isoformat(),
            "calendar": f"holidays {getattr(holidays, '__version__', '?')}, RU",
            "calendar_confirmed": self.confirmed,
            "calendar_note": self.note(),
        }


def publication_deadline(changed_on: dt.date, days: int) -> Deadline:
    """The *days*-th working day after *changed_on* by the Russian production calendar.

    >>> publication_deadline(dt.date(2024, 12, 25), 10).date
    datetime.date(2025, 1, 17)
    """
    if days < 1:
        raise ValueError(f"days must be positive, not {days}")
    try:
        when = russian_calendar().get_nth_working_day(changed_on, days)
    except (OverflowError, ValueError):  # beyond 9999-12-31, the last date there is
        from ..errors import InputError
        from ..i18n import resolve_lang, text

        raise InputError(
            text("diff.date_out_of_range", resolve_lang(), date=changed_on.isoformat(), days=days)
        ) from None
    known = last_year_with_transfers()
    unconfirmed = tuple(
        year for year in range(changed_on.year, when.year + 1) if known is None or year > known
    )
    return Deadline(changed_on, days, when, unconfirmed)
