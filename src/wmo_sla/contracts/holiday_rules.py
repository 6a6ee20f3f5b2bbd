# SPDX-License-Identifier: EUPL-1.2
"""Holiday rules for the werkdag calendar. Pure: no ORM, no settings.

The default rule is the *Algemene termijnenwet* (Atw, art. 3) as KPIS.md (§ Werkdag) reads it:
Nieuwjaarsdag, Goede Vrijdag, Tweede Paasdag, Koningsdag, 5 mei (every year, not only in lustrum
years), Hemelvaartsdag, Tweede Pinksterdag, Eerste and Tweede Kerstdag.

Notes on the reading:

- The Atw itself does not list Goede Vrijdag; KPIS.md does, so the default includes it. A contract
  that does not want it configures its own calendar (explicit dates in the contract file).
- Koningsdag is 27 April, or Saturday 26 April when the 27th is a Sunday (Wet viering Koningsdag).
  The rule is therefore only defined from 2014, the first Koningsdag; earlier years raise.
- Weekend days are not special here: a holiday on a Saturday or Sunday is still listed. Counting
  werkdagen (Monday–Friday minus these dates) is the caller's job.
- Easter Sunday and Whit Sunday are always Sundays and are not listed.
- Two holidays on one date (Hemelvaartsdag on 5 May, as in 2016) give one entry whose name joins
  both, because a calendar holds one row per date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from dateutil.easter import easter

RULE_ALGEMENE_TERMIJNENWET = "algemene-termijnenwet"
FIRST_SUPPORTED_YEAR = 2014  # the first Koningsdag


def koningsdag(year: int) -> date:
    """27 April, or 26 April when the 27th falls on a Sunday."""
    day = date(year, 4, 27)
    if day.weekday() == 6:  # Sunday
        return date(year, 4, 26)
    return day


def _holidays_of_year(year: int) -> list[tuple[date, str]]:
    if year < FIRST_SUPPORTED_YEAR:
        raise ValueError(
            f"De regel {RULE_ALGEMENE_TERMIJNENWET} is uitgewerkt vanaf {FIRST_SUPPORTED_YEAR}; "
            f"geef de feestdagen van {year} expliciet op."
        )
    easter_sunday = easter(year)
    return [
        (date(year, 1, 1), "Nieuwjaarsdag"),
        (easter_sunday - timedelta(days=2), "Goede Vrijdag"),
        (easter_sunday + timedelta(days=1), "Tweede Paasdag"),
        (koningsdag(year), "Koningsdag"),
        (date(year, 5, 5), "Bevrijdingsdag"),
        (easter_sunday + timedelta(days=39), "Hemelvaartsdag"),
        (easter_sunday + timedelta(days=50), "Tweede Pinksterdag"),
        (date(year, 12, 25), "Eerste Kerstdag"),
        (date(year, 12, 26), "Tweede Kerstdag"),
    ]


def algemene_termijnenwet(years: Iterable[int]) -> list[tuple[date, str]]:
    """The Atw holidays of the given years, sorted by date, one entry per date (Dutch names)."""
    by_date: dict[date, list[str]] = {}
    for year in sorted(set(years)):
        for day, name in _holidays_of_year(year):
            by_date.setdefault(day, []).append(name)
    return [(day, " / ".join(names)) for day, names in sorted(by_date.items())]


HolidayRule = Callable[[Iterable[int]], list[tuple[date, str]]]

#: The rules a contract file may name in ``holiday_calendars[].rule``.
RULES: dict[str, HolidayRule] = {RULE_ALGEMENE_TERMIJNENWET: algemene_termijnenwet}
