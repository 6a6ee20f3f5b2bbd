# SPDX-License-Identifier: EUPL-1.2
"""K13 from survey responses, with the expected values worked out by hand."""

from __future__ import annotations

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
