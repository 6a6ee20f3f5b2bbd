# SPDX-License-Identifier: EUPL-1.2
"""Due dates, opening dates and periods of an obligation (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from wmo_sla.reporting.schedule import (
    DueRuleSpec,
    ScheduleError,
    check_period,
    check_rule,
    due_date,
    open_periods,
    opens_on,
    previous_period,
)

SIX_WEEKS = DueRuleSpec("H", "na_periode", due_days=42)
DECEMBER = DueRuleSpec("Y", "vaste_datum", due_month=11, due_day=30, open_days_before_due=61)


def test_six_weeks_after_the_half_year():
    assert due_date(SIX_WEEKS, "2024H1") == dt.date(2024, 8, 11)
    assert due_date(SIX_WEEKS, "2024H2") == dt.date(2025, 2, 11)
    assert opens_on(SIX_WEEKS, "2024H1") == dt.date(2024, 7, 1)


def test_complaints_before_1_december_open_two_months_earlier():
    assert due_date(DECEMBER, "2024") == dt.date(2024, 11, 30)
    assert opens_on(DECEMBER, "2024") == dt.date(2024, 9, 30)


def test_open_periods_stop_at_today():
    assert open_periods(SIX_WEEKS, "2023H2", None, dt.date(2024, 6, 30)) == ["2023H2"]
    assert open_periods(SIX_WEEKS, "2023H2", None, dt.date(2024, 7, 1)) == ["2023H2", "2024H1"]
    assert open_periods(SIX_WEEKS, "2023H2", "2023H2", dt.date(2025, 7, 1)) == ["2023H2"]
    assert open_periods(DECEMBER, "2023", None, dt.date(2024, 9, 29)) == ["2023"]
    assert open_periods(DECEMBER, "2023", None, dt.date(2024, 9, 30)) == ["2023", "2024"]


@pytest.mark.parametrize(("label", "kind"), [("2024Q1", "H"), ("2024", "H"), ("2024H1", "Y")])
def test_period_of_the_wrong_type_is_refused(label, kind):
    with pytest.raises(ScheduleError, match="past niet bij deze rapportage"):
        check_period(label, kind)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (DueRuleSpec("H", "na_periode"), "aantal dagen"),
        (DueRuleSpec("Y", "vaste_datum", due_month=2, due_day=29), "geen datum die elk jaar"),
        (DueRuleSpec("H", "vaste_datum", due_month=11, due_day=30), "alleen bij een jaar"),
        (DueRuleSpec("Y", "vaste_datum", due_month=11), "dag en de maand"),
    ],
)
def test_incomplete_or_impossible_rules_are_refused(spec, message):
    with pytest.raises(ScheduleError, match=message):
        check_rule(spec)


def test_previous_period():
    assert previous_period("2024H1") == "2023H2"
    assert previous_period("2024H2") == "2024H1"
    assert previous_period("2024") == "2023"
