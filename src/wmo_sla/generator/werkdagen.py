# SPDX-License-Identifier: EUPL-1.2
"""Werkdag arithmetic for the generator (KPIS.md § Werkdag). Pure; precomputed, bisect-based.

Elapsed werkdagen from A to B = the number of werkdagen in (A, B]; "the N-th werkdag after A" is
the date where that count reaches N. Both match the KPI definitions, so a lag planted here is the
lag a KPI computes later.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, timedelta


class WerkdagCalendar:
    """Monday–Friday minus the given holidays, between ``first`` and ``last`` (inclusive)."""

    def __init__(self, holidays: Iterable[date], first: date, last: date) -> None:
        skip = set(holidays)
        ordinals: list[int] = []
        day = first
        one = timedelta(days=1)
        while day <= last:
            if day.weekday() < 5 and day not in skip:
                ordinals.append(day.toordinal())
            day += one
        self.first = first
        self.last = last
        self._ordinals = ordinals
        self._holidays = frozenset(skip)

    def is_werkdag(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays

    def add(self, day: date, n: int) -> date:
        """The n-th werkdag after ``day`` (n = 0 returns ``day`` itself)."""
        if n <= 0:
            return day
        index = bisect_right(self._ordinals, day.toordinal()) + n - 1
        if index >= len(self._ordinals):
            raise ValueError(f"{day} + {n} werkdagen valt buiten de kalender (tot {self.last})")
        return date.fromordinal(self._ordinals[index])

    def between(self, start: date, end: date) -> int:
        """Number of werkdagen in (start, end]; negative when end lies before start."""
        if end < start:
            return -self.between(end, start)
        return bisect_right(self._ordinals, end.toordinal()) - bisect_right(
            self._ordinals, start.toordinal()
        )
