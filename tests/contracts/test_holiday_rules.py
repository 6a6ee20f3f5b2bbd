# SPDX-License-Identifier: EUPL-1.2
"""The Algemene termijnenwet calendar that werkdagen are counted with."""

from __future__ import annotations

from datetime import date

import pytest

from wmo_sla.contracts.holiday_rules import algemene_termijnenwet, koningsdag


def _as_dict(years: list[int]) -> dict[date, str]:
    return dict(algemene_termijnenwet(years))


def test_easter_2024_goede_vrijdag_and_tweede_paasdag() -> None:
    holidays = _as_dict([2024])
    assert holidays[date(2024, 3, 29)] == "Goede Vrijdag"
    assert holidays[date(2024, 4, 1)] == "Tweede Paasdag"
    # Easter Sunday itself is a Sunday and not listed; the Thursday before Easter is a werkdag.
    assert date(2024, 3, 31) not in holidays
    assert date(2024, 3, 28) not in holidays


def test_full_list_2024() -> None:
    assert algemene_termijnenwet([2024]) == [
        (date(2024, 1, 1), "Nieuwjaarsdag"),
        (date(2024, 3, 29), "Goede Vrijdag"),
        (date(2024, 4, 1), "Tweede Paasdag"),
        (date(2024, 4, 27), "Koningsdag"),
        (date(2024, 5, 5), "Bevrijdingsdag"),
        (date(2024, 5, 9), "Hemelvaartsdag"),
        (date(2024, 5, 20), "Tweede Pinksterdag"),
        (date(2024, 12, 25), "Eerste Kerstdag"),
        (date(2024, 12, 26), "Tweede Kerstdag"),
    ]


def test_koningsdag_2025_moves_to_saturday_26_april() -> None:
    # 27 April 2025 is a Sunday, so Koningsdag is Saturday 26 April.
    assert date(2025, 4, 27).weekday() == 6
    holidays = _as_dict([2025])
    assert holidays[date(2025, 4, 26)] == "Koningsdag"
    assert date(2025, 4, 27) not in holidays
    assert koningsdag(2024) == date(2024, 4, 27)


def test_bevrijdingsdag_2023_is_included_though_not_a_lustrum_year() -> None:
    assert 2023 % 5 != 0
    assert _as_dict([2023])[date(2023, 5, 5)] == "Bevrijdingsdag"


def test_christmas_and_new_year() -> None:
    holidays = _as_dict([2023, 2024])
    assert holidays[date(2023, 12, 25)] == "Eerste Kerstdag"
    assert holidays[date(2023, 12, 26)] == "Tweede Kerstdag"
    assert holidays[date(2024, 1, 1)] == "Nieuwjaarsdag"


def test_two_holidays_on_one_date_give_one_entry() -> None:
    # In 2016 Hemelvaartsdag fell on 5 May: a calendar holds one row per date.
    entries = algemene_termijnenwet([2016])
    assert len(entries) == 8
    assert dict(entries)[date(2016, 5, 5)] == "Bevrijdingsdag / Hemelvaartsdag"


def test_many_years_sorted_unique() -> None:
    entries = algemene_termijnenwet(range(2015, 2036))
    days = [day for day, _ in entries]
    assert days == sorted(set(days))
    assert len(entries) == 21 * 9 - 1  # 2016: Hemelvaartsdag on 5 May


def test_years_before_koningsdag_are_refused() -> None:
    with pytest.raises(ValueError, match="2013"):
        algemene_termijnenwet([2013])
