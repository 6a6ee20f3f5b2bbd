# SPDX-License-Identifier: EUPL-1.2
"""Report periods, due dates and opening dates (pure; no ORM).

- Periods use the labels of :mod:`wmo_sla.engine.periods`: half year ``2024H1``, year ``2024``.
- Due date ("uiterste datum", the last day that is on time):
  ``na_periode`` = last day of the period + N days (six weeks after the half year: N = 42);
  ``vaste_datum`` = a fixed day and month in the year of the period (complaints "voor 1 december":
  30 November).
- A period opens for drafts and submission on the day after it ends, or — when
  ``open_days_before_due`` is set — that many days before the due date (never before the period
  starts). The complaints report of 2024 is due 30 November 2024, before the year ends, so it
  needs such an opening window.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from wmo_sla.engine.periods import period_bounds

_HALF = re.compile(r"^(\d{4})H([12])$")
_YEAR = re.compile(r"^(\d{4})$")


class ScheduleError(ValueError):
    """A period label or due rule that does not fit; the message is Dutch."""


@dataclass(frozen=True)
class DueRuleSpec:
    period_type: str  # "H" or "Y"
    due_rule: str  # "na_periode" or "vaste_datum"
    due_days: int | None = None
    due_month: int | None = None
    due_day: int | None = None
    open_days_before_due: int | None = None


def check_period(label: str, period_type: str) -> None:
    """Raise :class:`ScheduleError` when ``label`` is not a period of ``period_type``."""
    pattern = _HALF if period_type == "H" else _YEAR
    if not pattern.match(label):
        example = "2024H1 of 2024H2" if period_type == "H" else "2024"
        kind = "een halfjaar" if period_type == "H" else "een jaar"
        raise ScheduleError(
            f"Periode {label!r} past niet bij deze rapportage; verwacht {kind}, "
            f"bijvoorbeeld {example}."
        )


def check_rule(spec: DueRuleSpec) -> None:
    """Raise :class:`ScheduleError` when the due rule is incomplete or impossible."""
    if spec.period_type not in ("H", "Y"):
        raise ScheduleError("Kies halfjaar of jaar als periode.")
    if spec.due_rule == "na_periode":
        if spec.due_days is None:
            raise ScheduleError("Vul het aantal dagen na afloop van de periode in.")
    elif spec.due_rule == "vaste_datum":
        if spec.due_month is None or spec.due_day is None:
            raise ScheduleError("Vul de dag en de maand van de vaste datum in.")
        try:
            dt.date(2023, spec.due_month, spec.due_day)  # a non-leap year: no 29 February
        except ValueError:
            raise ScheduleError(
                f"{spec.due_day}-{spec.due_month} is geen datum die elk jaar bestaat."
            ) from None
        if spec.period_type == "H":
            raise ScheduleError(
                "Een vaste datum past alleen bij een jaarrapportage; gebruik voor een halfjaar "
                "een aantal dagen na afloop."
            )
    else:
        raise ScheduleError("Kies een termijnregel.")


def due_date(spec: DueRuleSpec, label: str) -> dt.date:
    """The last day on which the report of period ``label`` is on time."""
    check_period(label, spec.period_type)
    _start, end = period_bounds(label)
    if spec.due_rule == "na_periode":
        return end + dt.timedelta(days=spec.due_days or 0)
    assert spec.due_month is not None and spec.due_day is not None
    return dt.date(end.year, spec.due_month, spec.due_day)


def opens_on(spec: DueRuleSpec, label: str) -> dt.date:
    """The first day on which a draft can be saved and the report submitted."""
    start, end = period_bounds(label)
    if spec.open_days_before_due is None:
        return end + dt.timedelta(days=1)
    return max(start, due_date(spec, label) - dt.timedelta(days=spec.open_days_before_due))


def period_sequence(period_type: str, first: str, last: str) -> list[str]:
    """Every label of ``period_type`` from ``first`` to ``last`` (inclusive)."""
    check_period(first, period_type)
    check_period(last, period_type)
    labels: list[str] = []
    year = int(first[:4])
    while year <= int(last[:4]):
        candidates = [f"{year}H1", f"{year}H2"] if period_type == "H" else [str(year)]
        labels += [c for c in candidates if _key(first) <= _key(c) <= _key(last)]
        year += 1
    return labels


def _key(label: str) -> tuple[int, int]:
    return int(label[:4]), int(label[5]) if len(label) > 4 else 0


def open_periods(spec: DueRuleSpec, first: str, last: str | None, today: dt.date) -> list[str]:
    """The periods from ``first`` that have opened by ``today`` (and are not after ``last``)."""
    check_period(first, spec.period_type)
    final = last or (f"{today.year}H2" if spec.period_type == "H" else str(today.year))
    if _key(final) < _key(first):
        return []
    return [
        p for p in period_sequence(spec.period_type, first, final) if opens_on(spec, p) <= today
    ]


def previous_period(label: str) -> str:
    """The period before ``label`` of the same type (2024H1 → 2023H2, 2024 → 2023)."""
    if _HALF.match(label):
        year, half = int(label[:4]), int(label[5])
        return f"{year - 1}H2" if half == 1 else f"{year}H1"
    return str(int(label) - 1)
