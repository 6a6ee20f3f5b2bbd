# SPDX-License-Identifier: EUPL-1.2
"""K13 from survey responses, with the expected values worked out by hand."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from wmo_sla.engine.figures_survey import k13_tevredenheid


def _responses(rows: list[tuple[str, str, int, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "aanbieder_agb": pl.Utf8,
            "period": pl.Utf8,
            "score": pl.Int64,
            "gemeente": pl.Utf8,
        },
        orient="row",
    )


def _row(frame: pl.DataFrame, kpi: str, gemeente: str) -> dict[str, object]:
    hit = frame.filter((pl.col("kpi") == kpi) & (pl.col("gemeente") == gemeente))
    assert hit.height == 1
    return hit.row(0, named=True)


def test_mean_interval_and_share_of_sevens():
    scores = [8, 6, 7, 9, 5]  # mean 7.0, sd = sqrt(2.5) = 1.5811; t(0.975, 4) = 2.7764
    frame = k13_tevredenheid(
        _responses(
            [("99000101", "2024H1", s, "0505" if i < 3 else "") for i, s in enumerate(scores)]
        )
    )
    regio = _row(frame, "K13", "regio")
    assert regio["n"] == 5 and regio["value"] == pytest.approx(7.0)
    half = 2.7764451 * 1.5811388 / 5**0.5
    assert regio["ci_low"] == pytest.approx(7.0 - half, abs=1e-4)
    assert regio["ci_high"] == pytest.approx(7.0 + half, abs=1e-4)
    assert _row(frame, "K13p", "regio")["value"] == pytest.approx(3 / 5)
    # Only the three answers with a gemeente count for Dordrecht: 8, 6, 7.
    dordrecht = _row(frame, "K13", "0505")
    assert (dordrecht["n"], dordrecht["value"]) == (3, pytest.approx(7.0))
    assert set(frame["referentiegroep"]) == {"alle"}
    assert set(frame["period"]) == {"2024H1"}


def test_single_answer_has_no_interval_and_empty_input_is_empty():
    one = k13_tevredenheid(_responses([("99000101", "2024", 9, "")]))
    k13 = _row(one, "K13", "regio")
    assert k13["value"] == 9 and k13["ci_low"] is None
    assert k13_tevredenheid(_responses([])).is_empty()


def test_periods_after_the_as_of_date_are_left_out():
    responses = _responses(
        [
            ("99000101", "2024", 8, ""),
            ("99000101", "2024H2", 7, ""),
            ("99000101", "2025", 9, ""),
            ("99000101", "2025Q1", 6, ""),
        ]
    )
    kept = k13_tevredenheid(responses, dt.date(2024, 12, 31))
    assert sorted(set(kept["period"].to_list())) == ["2024", "2024H2"]
    # A period that has started by the as-of date is in (a run mid-year sees that year).
    mid = k13_tevredenheid(responses, dt.date(2025, 1, 1))
    assert sorted(set(mid["period"].to_list())) == ["2024", "2024H2", "2025", "2025Q1"]
    assert set(k13_tevredenheid(responses)["period"].to_list()) == {
        "2024",
        "2024H2",
        "2025",
        "2025Q1",
    }


@pytest.mark.parametrize(
    ("label", "start"),
    [
        ("2024", "2024-01-01"),
        ("2024H2", "2024-07-01"),
        ("2024Q3", "2024-07-01"),
        ("2024M11", "2024-11-01"),
    ],
)
def test_period_start_expression_matches_period_bounds(label, start):
    from wmo_sla.engine.periods import period_bounds, period_start_expr

    value = pl.DataFrame({"p": [label]}).select(period_start_expr(pl.col("p")))[0, 0]
    assert value.isoformat() == start == period_bounds(label)[0].isoformat()
