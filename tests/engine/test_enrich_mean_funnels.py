# SPDX-License-Identifier: EUPL-1.2
"""Mean funnels for durations, costs (log scale) and K13 (natural scale) in the enrichment.

KPIS.md § Norms and signals: "Durations and costs: log-scale mean funnel with pooled SD";
formulas in docs/kpis-statistics.md (kpi-research §5.4 with the overdispersion of §5.3).
"""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
import pytest

from tests.engine_figures.test_process_figures import _state
from tests.engine_figures.test_process_figures import _traj as _process_traj
from tests.engine_figures.test_trajectory_figures import _traj
from wmo_sla.engine.enrich import EnrichParams, enrich_figures
from wmo_sla.engine.figures import FigureParams, trajectory_figures
from wmo_sla.engine.figures_process import ProcessParams, k10_kosten
from wmo_sla.engine.stats import log_mean_funnel_limits, mean_funnel_limits, mean_overdispersion

D = dt.date
GROUP = {"referentiegroep": "IB-REG", "gemeente": "0505", "period": "2024Q1"}


def _figure(kpi: str, agb: str, value: float, n: int, **extra: float | None) -> dict[str, object]:
    return {
        "kpi": kpi,
        "aanbieder_agb": agb,
        **GROUP,
        "numerator": value * n,
        "denominator": float(n),
        "value": value,
        "n": n,
        "log_mean": None,
        "log_sd": None,
        "sd": None,
        **extra,
    }


def _norms(kpi: str, value: float, direction: str) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "kpi": kpi,
                "referentiegroep": "IB-REG",
                "year": 2024,
                "norm": value,
                "direction": direction,
                "norm_kind": "historisch",
            }
        ],
        schema_overrides={"year": pl.Int32},
    )


def _enrich(rows: list[dict[str, object]], norms: pl.DataFrame) -> pl.DataFrame:
    figures = pl.DataFrame(
        rows,
        schema_overrides={
            "numerator": pl.Float64,
            "denominator": pl.Float64,
            "value": pl.Float64,
            "n": pl.Int64,
            "log_mean": pl.Float64,
            "log_sd": pl.Float64,
            "sd": pl.Float64,
        },
    )
    return enrich_figures(figures, norms, EnrichParams(as_of=D(2025, 12, 31)))


def test_k5_emits_mean_and_sd_of_log_days() -> None:
    ends = [D(2024, 1, 10), D(2024, 2, 1), D(2024, 3, 15)]
    rows = [
        {
            "client_key": f"c{i}",
            "start": D(2023, 6, 1),
            "end": e,
            "end_reason": "19",
            "end_kind": "stop",
        }
        for i, e in enumerate(ends)
    ]
    figures = trajectory_figures(_traj(rows), FigureParams(as_of=D(2024, 12, 31)))
    k5 = figures.filter(
        (pl.col("kpi") == "K5") & (pl.col("period") == "2024Q1") & (pl.col("gemeente") == "0505")
    ).row(0, named=True)
    logs = [math.log((e - D(2023, 6, 1)).days + 1) for e in ends]
    mean = sum(logs) / 3
    assert k5["log_mean"] == pytest.approx(mean)
    assert k5["log_sd"] == pytest.approx(math.sqrt(sum((v - mean) ** 2 for v in logs) / 2))
    # other figures carry no log columns
    assert figures.filter(pl.col("kpi") == "K5m")["log_mean"].is_null().all()


def test_k10_emits_mean_of_log_cost_per_client() -> None:
    def line(client: str, nr: int, begin: dt.date, end: dt.date, cents: int) -> dict[str, object]:
        return {
            "client_key": client,
            "toewijzing_nummer": nr,
            "periode_begin": begin,
            "periode_eind": end,
            "netto_bedrag": cents,
        }

    state = _state(
        prestaties=[
            line("A", 20, D(2024, 3, 1), D(2024, 3, 31), 7000),
            line("B", 21, D(2024, 3, 1), D(2024, 3, 31), 24800),
        ]
    )
    trajectories = _process_traj(
        [
            {"trajectory_id": "tA", "client_key": "A", "start": D(2024, 3, 1)},
            {"trajectory_id": "tB", "client_key": "B", "start": D(2024, 1, 1)},
        ],
        links=[
            {"toewijzing_nummer": 20, "trajectory_id": "tA"},
            {"toewijzing_nummer": 21, "trajectory_id": "tB"},
        ],
    )
    figures = k10_kosten(state, trajectories, ProcessParams(as_of=D(2024, 4, 30)))
    q1 = figures.filter(
        (pl.col("kpi") == "K10") & (pl.col("period") == "2024Q1") & (pl.col("gemeente") != "regio")
    ).row(0, named=True)
    assert q1["value"] == pytest.approx((70 + 248) / 2)
    assert q1["log_mean"] == pytest.approx((math.log(70) + math.log(248)) / 2)


def _k5_group() -> list[dict[str, object]]:
    # six providers: geometric means around 200 days, one far above; log SD 0.6 everywhere
    spec = [
        ("a", 190.0, 40),
        ("b", 210.0, 35),
        ("c", 205.0, 50),
        ("d", 195.0, 30),
        ("e", 200.0, 45),
        ("f", 420.0, 40),
    ]
    return [
        _figure("K5", agb, geo * math.exp(0.18), n, log_mean=math.log(geo), log_sd=0.6)
        for agb, geo, n in spec
    ]


def test_log_mean_funnel_for_durations_against_the_scalar_formulas() -> None:
    rows = _k5_group()
    out = _enrich(rows, _norms("K5", 250.0, "max"))
    # expected: pooled σ = 0.6; log target μ₀ = log(250) − σ²/2; τ² (DerSimonian–Laird) on logs
    sigma = 0.6
    logs = [r["log_mean"] for r in rows]
    ns = [r["n"] for r in rows]
    tau2 = mean_overdispersion(logs, ns, sigma).tau2  # type: ignore[arg-type]
    target = math.exp(math.log(250.0) - sigma**2 / 2)
    for row in rows:
        got = out.filter(pl.col("aanbieder_agb") == row["aanbieder_agb"]).row(0, named=True)
        lim = log_mean_funnel_limits(row["n"], target, sigma, tau2)  # type: ignore[arg-type]
        assert lim is not None
        geo = math.exp(row["log_mean"])  # type: ignore[arg-type]
        expected = "signaal" if geo > lim.upper_998 else "let op" if geo > lim.upper_95 else "geen"
        assert got["signaal"] == expected
        # the flag "norm niet gehaald" stays on the figure's own scale: mean vs norm
        assert got["norm_niet_gehaald"] == (row["value"] > 250.0)
        assert got["value"] == pytest.approx(row["value"])
    assert out.filter(pl.col("aanbieder_agb") == "f")["signaal"].item() == "signaal"
    assert out.filter(pl.col("aanbieder_agb") == "a")["signaal"].item() == "geen"


def test_duration_better_than_a_maximum_norm_is_no_signal() -> None:
    out = _enrich(_k5_group(), _norms("K5", 1000.0, "max"))
    assert set(out["signaal"]) == {"geen"}
    assert set(out["norm_niet_gehaald"]) == {False}


def test_duration_without_a_norm_or_without_spread_has_no_signal() -> None:
    no_sd = [{**r, "log_sd": None} for r in _k5_group()]
    assert set(_enrich(no_sd, _norms("K5", 100.0, "max"))["signaal"]) == {"geen"}
    assert set(_enrich(_k5_group(), _norms("K8", 0.1, "max"))["signaal"]) == {"geen"}


def test_k13_mean_funnel_with_the_pooled_respondent_sd() -> None:
    rows = [
        _figure("K13", "a", 7.4, 60, sd=1.5),
        _figure("K13", "b", 6.0, 80, sd=1.6),
        _figure("K13", "c", 6.7, 25, sd=1.4),
    ]
    out = _enrich(rows, _norms("K13", 7.0, "min"))
    sigma = math.sqrt((59 * 1.5**2 + 79 * 1.6**2 + 24 * 1.4**2) / (59 + 79 + 24))
    for row in rows:
        got = out.filter(pl.col("aanbieder_agb") == row["aanbieder_agb"]).row(0, named=True)
        lim = mean_funnel_limits(row["n"], 7.0, sigma)  # type: ignore[arg-type]
        assert lim is not None
        value = row["value"]
        expected = (
            "signaal" if value < lim.lower_998 else "let op" if value < lim.lower_95 else "geen"  # type: ignore[operator]
        )
        assert got["signaal"] == expected
    assert out.filter(pl.col("aanbieder_agb") == "b")["signaal"].item() == "signaal"
    assert out.filter(pl.col("aanbieder_agb") == "c")["signaal"].item() == "geen"  # n = 25


def test_frames_without_the_funnel_input_columns_still_enrich() -> None:
    rows = [
        {k: v for k, v in r.items() if k not in ("log_mean", "log_sd", "sd")} for r in _k5_group()
    ]
    out = _enrich(rows, _norms("K5", 250.0, "max"))
    assert out.height == 6 and set(out["signaal"]) == {"geen"}
