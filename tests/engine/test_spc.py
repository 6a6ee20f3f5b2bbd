# SPDX-License-Identifier: EUPL-1.2
"""SPC analysis of a monthly series: each made-up sequence triggers exactly the intended rule.

Every sequence alternates around its centre (so no rule fires by accident) and then plants one
pattern; the limits quoted in the comments are those the XmR formula gives for that sequence.
"""

from __future__ import annotations

import pytest

from wmo_sla.engine.spc import MIN_POINTS, SpcFinding, spc_analysis


def _labels(count: int) -> list[str]:
    return [f"{2023 + i // 12}M{i % 12 + 1:02d}" for i in range(count)]


def _findings(values: list[float]) -> tuple[SpcFinding, ...]:
    result = spc_analysis(_labels(len(values)), values)
    assert result is not None
    return result.findings


def test_common_cause_variation_has_no_findings() -> None:
    result = spc_analysis(_labels(16), [10.0, 12.0] * 8)
    assert result is not None
    assert result.limits.mean == 11.0
    assert result.limits.lower == pytest.approx(11 - 2.66 * 2)
    assert result.findings == () and not result.special_cause


def test_a_point_outside_the_process_limits() -> None:
    # mean 12, upper limit 17.3 (the moving ranges of 20 and 18 are screened out).
    values = [10.0, 12.0] * 4 + [10.0, 30.0] + [10.0, 12.0] * 4
    assert _findings(values) == (SpcFinding("buiten_grenzen", "2023M10", "2023M10", 1, 1),)


def test_runs_of_seven_or_more_on_one_side_of_the_mean() -> None:
    values = [9.2, 10.8] * 4 + [11.2, 12.8] * 4  # mean 11: eight below, then eight above
    assert _findings(values) == (
        SpcFinding("run", "2023M01", "2023M08", 8, -1),
        SpcFinding("run", "2023M09", "2024M04", 8, 1),
    )
    # Six on one side is not a run.
    assert _findings([9.2, 10.8] * 3 + [11.2, 12.8] * 3 + [9.2, 12.8] * 2) == ()


def test_trends_of_seven_rising_or_falling_points() -> None:
    rising = [10.2, 10.5, 10.8, 11.1, 11.4, 11.7, 12.0]
    assert _findings([10.0, 12.0] * 4 + rising + [10.0, 12.0]) == (
        SpcFinding("trend", "2023M09", "2024M03", 7, 1),
    )
    assert _findings([10.0, 12.0] * 4 + rising[::-1] + [12.0, 10.0]) == (
        SpcFinding("trend", "2023M09", "2024M03", 7, -1),
    )
    # Six rising points are not a trend (Making Data Count: 7).
    assert _findings([10.0, 12.0] * 4 + rising[:6] + [10.0, 12.0, 10.0]) == ()


def test_a_rise_then_a_fall_are_two_trends_sharing_the_turning_point() -> None:
    up = [9.0, 9.5, 10.0, 10.5, 11.0, 11.5, 12.0]
    values = [10.0, 12.0] * 4 + up + up[::-1][1:] + [12.0, 10.0]
    assert _findings(values) == (
        SpcFinding("trend", "2023M09", "2024M03", 7, 1),
        SpcFinding("trend", "2024M03", "2024M09", 7, -1),
    )


def test_two_out_of_three_near_the_limits_on_one_side() -> None:
    # mean 11.34, "close" above 13.31: 13.4 _ 13.4 are two of three, all above the mean.
    above = [10.5, 11.5] * 6 + [13.4, 12.9, 13.4] + [10.5, 11.5, 10.5]
    assert _findings(above) == (SpcFinding("twee_van_drie", "2024M01", "2024M03", 2, 1),)
    below = [10.5, 11.5] * 6 + [8.3, 9.0, 8.3] + [11.5, 10.5, 11.5]
    assert _findings(below) == (SpcFinding("twee_van_drie", "2024M01", "2024M03", 2, -1),)


def test_too_few_points_give_no_chart() -> None:
    assert MIN_POINTS == 15
    assert spc_analysis(_labels(14), [10.0, 12.0] * 7) is None
    assert spc_analysis(_labels(15), [10.0, 12.0] * 7 + [10.0]) is not None
    assert spc_analysis(_labels(4), [1.0, 2.0, 3.0, 4.0], min_points=4) is not None


def test_labels_and_values_must_match() -> None:
    with pytest.raises(ValueError, match="even lang"):
        spc_analysis(_labels(3), [1.0, 2.0])
