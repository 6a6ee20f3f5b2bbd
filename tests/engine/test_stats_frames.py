# SPDX-License-Identifier: EUPL-1.2
"""The set-based funnel frames give the same numbers as the scalar per-group computation.

``_reference_*`` below is the former implementation of ``proportion_funnel_frame`` and
``mean_funnel_frame`` (a Python loop over the groups calling the scalar functions of
``wmo_sla.engine.stats``), kept verbatim as the oracle. The frames are compared on generated data
with many groups (few and many providers, zero numerators, x = n, n = 0, n < 5, large n) within
1e-9, and the known values of kpi-research §5.2 are checked through the frame.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import polars as pl
import pytest

from wmo_sla.engine import stats
from wmo_sla.engine.stats import (
    LIMIT_COLUMNS,
    FunnelLimits,
    exact_binomial_funnel_limits,
    exact_binomial_limits_frame,
    funnel_limits_frame,
    log_mean_funnel_limits,
    mean_funnel_limits,
    mean_overdispersion,
    norm_niet_gehaald_expr,
    proportion_funnel_frame,
    proportion_funnel_limits,
    proportion_overdispersion,
    signal_expr,
    small_numbers_expr,
)

TOL = 1e-9

# -- the former per-group implementation (oracle) ----------------------------------------------


def _partitions(df: pl.DataFrame, by: Sequence[str] | None) -> list[pl.DataFrame]:
    if not by or df.height == 0:
        return [df]
    return df.partition_by(list(by), maintain_order=True)


def _group_target(part: pl.DataFrame, target: float | str) -> float:
    if isinstance(target, str):
        values = part.get_column(target).drop_nulls().unique().to_list()
        if len(values) != 1:
            raise ValueError(f"target column {target!r} must hold one value per group")
        return float(values[0])
    return float(target)


def _add_flags(part: pl.DataFrame, n_col: str, norm: float, direction: str | None) -> pl.DataFrame:
    return part.with_columns(
        signal_expr(pl.col("value"), pl.col(n_col), direction).alias("signal"),
        norm_niet_gehaald_expr(pl.col("value"), pl.lit(norm), direction or "").alias(
            "norm_niet_gehaald"
        ),
        small_numbers_expr(pl.col(n_col)).alias("small_numbers"),
    )


def _reference_proportion(
    df: pl.DataFrame,
    *,
    numerator_col: str,
    denominator_col: str,
    target: float | str,
    direction: str | None = None,
    by: Sequence[str] | None = None,
) -> pl.DataFrame:
    out: list[pl.DataFrame] = []
    for part in _partitions(df, by):
        theta = _group_target(part, target)
        sub = part.filter(pl.col(denominator_col) > 0)
        x = [int(v) for v in sub.get_column(numerator_col).to_list()]
        n = [int(v) for v in sub.get_column(denominator_col).to_list()]
        arcsine = len(n) >= stats.MIN_PROVIDERS_FOR_OVERDISPERSION
        tau2 = proportion_overdispersion(x, n).tau2 if arcsine else 0.0
        method = "arcsinus" if arcsine else "binomiaal-exact"

        def limits_of(
            k: int, theta: float = theta, tau2: float = tau2, providers: int = len(n)
        ) -> FunnelLimits | None:
            return proportion_funnel_limits(k, theta, tau2=tau2, n_providers=providers)

        part = part.with_columns(
            pl.when(pl.col(denominator_col) > 0)
            .then(pl.col(numerator_col) / pl.col(denominator_col))
            .alias("value"),
            pl.lit(tau2).alias("tau2"),
            pl.lit(method).alias("funnel_method"),
        )
        part = funnel_limits_frame(part, n_col=denominator_col, limits_of=limits_of)
        out.append(_add_flags(part, denominator_col, theta, direction))
    return pl.concat(out, how="vertical") if out else df


def _reference_mean(
    df: pl.DataFrame,
    *,
    value_col: str,
    n_col: str,
    target: float | str,
    sd: float | str,
    log_scale: bool = False,
    offset: float = 0.0,
    direction: str | None = None,
    by: Sequence[str] | None = None,
    overdispersion: bool = True,
) -> pl.DataFrame:
    out: list[pl.DataFrame] = []
    for part in _partitions(df, by):
        theta = _group_target(part, target)
        sigma = _group_target(part, sd)
        sub = part.filter((pl.col(n_col) > 0) & pl.col(value_col).is_not_null())
        vals = [float(v) for v in sub.get_column(value_col).to_list()]
        ns = [int(v) for v in sub.get_column(n_col).to_list()]
        ys = [math.log(v + offset) for v in vals] if log_scale else vals
        use_od = overdispersion and len(ns) >= stats.MIN_PROVIDERS_FOR_OVERDISPERSION
        tau2 = mean_overdispersion(ys, ns, sigma).tau2 if use_od else 0.0
        method = "log-gemiddelde" if log_scale else "gemiddelde"

        def limits_of(
            k: int, theta: float = theta, sigma: float = sigma, tau2: float = tau2
        ) -> FunnelLimits | None:
            if log_scale:
                return log_mean_funnel_limits(k, theta, sigma, tau2, offset)
            return mean_funnel_limits(k, theta, sigma, tau2)

        part = part.with_columns(
            pl.when(pl.col(n_col) > 0).then(pl.col(value_col)).alias("value"),
            pl.lit(tau2).alias("tau2"),
            pl.lit(method).alias("funnel_method"),
        )
        part = funnel_limits_frame(part, n_col=n_col, limits_of=limits_of)
        out.append(_add_flags(part, n_col, theta, direction))
    return pl.concat(out, how="vertical") if out else df


# -- generated data ----------------------------------------------------------------------------


def _proportion_data(seed: int, groups: int = 160) -> pl.DataFrame:
    rng = random.Random(seed)
    rows = []
    for g in range(groups):
        providers = rng.choice([1, 2, 3, 4, 5, 6, 9, 14, 30])
        theta = rng.choice([0.0, 0.02, 0.1, 0.3, 0.5, 0.9, 0.95, 1.0])
        spread = rng.choice([0.0, 0.05, 0.3])  # heterogeneity: 0.3 gives large τ²
        big = rng.random() < 0.15
        for p in range(providers):
            n = rng.choice([0, 1, 3, 4, 5, 12, 20, 57, 100, 400])
            if big:
                n = rng.choice([2_000, 15_000, 120_000])
            share = min(1.0, max(0.0, rng.gauss(0.25, spread)))
            x = sum(rng.random() < share for _ in range(n)) if n < 500 else round(n * share)
            kind = rng.random()
            if kind < 0.07:
                x = 0
            elif kind < 0.12:
                x = n
            rows.append(
                {
                    "kpi": f"K{g % 3}",
                    "gemeente": f"g{g}",
                    "agb": f"a{p}",
                    "x": x,
                    "n": n,
                    "norm": theta,
                }
            )
    return pl.DataFrame(rows).with_row_index("row_id")


def _assert_same(new: pl.DataFrame, old: pl.DataFrame, value_columns: Sequence[str]) -> None:
    assert new.height == old.height
    joined = new.join(old, on="row_id", suffix="_old")
    assert joined.height == new.height
    for col in ("funnel_method", "signal", "norm_niet_gehaald", "small_numbers"):
        diff = joined.filter(pl.col(col).ne_missing(pl.col(f"{col}_old")))
        assert diff.is_empty(), f"{col} differs:\n{diff}"
    for col in value_columns:
        a, b = pl.col(col), pl.col(f"{col}_old")
        diff = joined.filter(
            (a.is_null() != b.is_null()) | ((a - b).abs() > TOL * pl.max_horizontal(1.0, b.abs()))
        )
        assert diff.is_empty(), f"{col} differs:\n{diff.select('row_id', col, f'{col}_old')}"


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("direction", [None, "lager-is-beter", "hoger-is-beter"])
def test_proportion_frame_equals_per_group_reference(seed: int, direction: str | None) -> None:
    df = _proportion_data(seed)
    kwargs: dict[str, object] = {
        "numerator_col": "x",
        "denominator_col": "n",
        "target": "norm",
        "direction": direction,
        "by": ["kpi", "gemeente"],
    }
    new = proportion_funnel_frame(df, **kwargs)  # type: ignore[arg-type]
    old = _reference_proportion(df, **kwargs)  # type: ignore[arg-type]
    assert new.columns == old.columns
    assert new["row_id"].to_list() == df["row_id"].to_list()  # rows keep their order
    assert set(new["funnel_method"]) == {"arcsinus", "binomiaal-exact"}
    assert new.filter(pl.col("tau2") > 0).height > 0  # overdispersion happens in the data
    _assert_same(new, old, ["value", "tau2", *LIMIT_COLUMNS])


def test_proportion_frame_without_groups_and_with_a_number_as_target() -> None:
    df = _proportion_data(7, groups=1).with_columns(pl.lit(0.1).alias("norm"))
    for frame in (df, df.head(3)):
        new = proportion_funnel_frame(frame, numerator_col="x", denominator_col="n", target=0.1)
        old = _reference_proportion(frame, numerator_col="x", denominator_col="n", target=0.1)
        _assert_same(new, old, ["value", "tau2", *LIMIT_COLUMNS])


def _mean_data(seed: int, groups: int = 120) -> pl.DataFrame:
    rng = random.Random(seed)
    rows = []
    for g in range(groups):
        providers = rng.choice([1, 3, 4, 5, 8, 25])
        target = rng.choice([30.0, 200.0, 1500.0])
        sd = rng.choice([0.0, 0.3, 0.9])
        for p in range(providers):
            n = rng.choice([0, 1, 2, 6, 25, 300])
            value = None if rng.random() < 0.05 else target * math.exp(rng.gauss(0, 0.4))
            rows.append({"g": g, "agb": f"a{p}", "v": value, "n": n, "norm": target, "sd": sd})
    return pl.DataFrame(rows).with_row_index("row_id")


@pytest.mark.parametrize("log_scale", [False, True])
@pytest.mark.parametrize("direction", [None, "lager-is-beter"])
def test_mean_frame_equals_per_group_reference(log_scale: bool, direction: str | None) -> None:
    df = _mean_data(11)
    kwargs: dict[str, object] = {
        "value_col": "v",
        "n_col": "n",
        "target": "norm",
        "sd": "sd",
        "log_scale": log_scale,
        "direction": direction,
        "by": ["g"],
    }
    new = stats.mean_funnel_frame(df, **kwargs)  # type: ignore[arg-type]
    old = _reference_mean(df, **kwargs)  # type: ignore[arg-type]
    assert new.columns == old.columns
    assert new.filter(pl.col("tau2") > 0).height > 0
    _assert_same(new, old, ["value", "tau2", *LIMIT_COLUMNS])


# -- the exact binomial table ------------------------------------------------------------------


def test_exact_binomial_frame_equals_the_scalar_limits() -> None:
    pairs = [
        (n, t)
        for n in (1, 2, 3, 4, 5, 20, 50, 100, 997, 25_000)
        for t in (0.0, 0.001, 0.1, 0.5, 0.9, 0.999, 1.0)
    ]
    table = exact_binomial_limits_frame(
        pl.DataFrame(pairs, schema={"n": pl.Int64, "theta": pl.Float64}, orient="row")
    )
    assert table.height == len(pairs)
    for row in table.iter_rows(named=True):
        lim = exact_binomial_funnel_limits(row["n"], row["theta"])
        assert lim is not None
        for c in LIMIT_COLUMNS:
            assert row[c] == pytest.approx(getattr(lim, c), abs=TOL), (row, c)


# -- known values through the frame (kpi-research §5.2) ---------------------------------------


def _frame_for(rows: list[tuple[int, int]], norm: float = 0.10) -> pl.DataFrame:
    """One group of fewer than 5 providers (exact binomial limits)."""
    return proportion_funnel_frame(
        pl.DataFrame(rows, schema={"x": pl.Int64, "n": pl.Int64}, orient="row"),
        numerator_col="x",
        denominator_col="n",
        target=norm,
        direction="lager-is-beter",
    )


def test_known_values_theta_10_percent() -> None:
    out = _frame_for([(2, 20), (10, 100)])
    n20, n100 = out.row(0, named=True), out.row(1, named=True)
    assert n20["funnel_method"] == "binomiaal-exact"
    assert n20["upper_95"] == pytest.approx(0.228, abs=5e-4)
    assert n20["upper_998"] == pytest.approx(0.335, abs=5e-4)
    assert n100["upper_95"] == pytest.approx(0.158, abs=5e-4)
    assert n100["upper_998"] == pytest.approx(0.198, abs=5e-4)
    # 3/20 = 15 % is above the norm but not an alarm (kpi-research §5.2); 5/20 = 25 % is "let op"
    flags = _frame_for([(3, 20), (5, 20), (7, 20)])
    assert flags["norm_niet_gehaald"].to_list() == [True, True, True]
    assert flags["signal"].to_list() == ["geen", "let op", "signaal"]


def test_zero_numerators_full_numerators_and_n_below_5() -> None:
    out = _frame_for([(0, 20), (4, 4), (0, 3), (2, 0)])
    zero, full, small, empty = out.iter_rows(named=True)
    assert zero["value"] == 0.0 and zero["lower_95"] == 0.0 and zero["signal"] == "geen"
    assert full["value"] == 1.0 and full["signal"] == "signaal"
    assert small["small_numbers"] == "onderdrukt" and small["upper_95"] is not None
    assert empty["value"] is None and empty["upper_95"] is None and empty["signal"] == "geen"
    # the same with 5+ providers: arcsine scale, τ² finite with 0 and n numerators
    many = proportion_funnel_frame(
        pl.DataFrame({"x": [0, 0, 10, 10, 5], "n": [10, 10, 10, 10, 10]}),
        numerator_col="x",
        denominator_col="n",
        target=0.5,
    )
    assert set(many["funnel_method"]) == {"arcsinus"}
    tau2 = many["tau2"][0]
    assert math.isfinite(tau2) and tau2 == pytest.approx(
        proportion_overdispersion([0, 0, 10, 10, 5], [10] * 5).tau2, abs=TOL
    )


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="0 <= x <= n"):
        _frame_for([(5, 4)])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        _frame_for([(1, 4)], norm=1.5)
    two_norms = pl.DataFrame({"g": [1, 1], "x": [1, 2], "n": [5, 5], "norm": [0.1, 0.2]})
    with pytest.raises(ValueError, match="one value per group"):
        proportion_funnel_frame(
            two_norms, numerator_col="x", denominator_col="n", target="norm", by=["g"]
        )
