# SPDX-License-Identifier: EUPL-1.2
"""Funnel limits as curves over n, for drawing a funnel plot (pure, no ORM, mypy strict).

The KPI computation (``engine.enrich`` → ``stats.proportion_funnel_frame``) flags each figure
against limits around the norm θ₀ of its group (KPI × referentiegroep × gemeente × period). To
draw those limits as lines, the plot needs the same limits at every n, computed with the same
method and the same τ². This module rebuilds the group's parameters from the stored figures of
that group and evaluates the limits on a grid of n, using only the public functions of
:mod:`wmo_sla.engine.stats`, so the curve at a provider's n is exactly the limit its flag used:

- I = providers in the group with n > 0; I ≥ ``MIN_PROVIDERS_FOR_OVERDISPERSION`` (5):
  arcsine-square-root limits with τ² = DerSimonian–Laird on Winsorised z-scores around the
  group's pooled value (``stats.proportion_overdispersion``); I < 5: τ² = 0 and exact binomial
  limits with interpolation (KPIS.md § Norms and signals; kpi-research §5.2, §5.3).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .stats import (
    MIN_PROVIDERS_FOR_OVERDISPERSION,
    FunnelLimits,
    FunnelMethod,
    proportion_funnel_limits,
    proportion_overdispersion,
)


@dataclass(frozen=True)
class ProportionFunnel:
    """The funnel of one group: its norm θ₀, τ², the number of providers I and the method."""

    target: float
    tau2: float
    n_providers: int
    method: FunnelMethod

    def limits(self, n: int) -> FunnelLimits | None:
        """The four limits at denominator ``n`` (None for n ≤ 0), as the computation uses them."""
        if n <= 0:
            return None
        return proportion_funnel_limits(
            n, self.target, tau2=self.tau2, n_providers=self.n_providers
        )


def proportion_funnel(counts: Iterable[tuple[int, int]], target: float) -> ProportionFunnel:
    """The group's funnel from its providers' (numerator, denominator) pairs and the norm θ₀.

    Pairs with denominator ≤ 0 do not count as providers (as in ``proportion_funnel_frame``).
    """
    pairs = [(x, n) for x, n in counts if n > 0]
    providers = len(pairs)
    if providers >= MIN_PROVIDERS_FOR_OVERDISPERSION:
        tau2 = proportion_overdispersion([x for x, _ in pairs], [n for _, n in pairs]).tau2
        return ProportionFunnel(target, tau2, providers, "arcsinus")
    return ProportionFunnel(target, 0.0, providers, "binomiaal-exact")


@dataclass(frozen=True)
class CurvePoint:
    n: int
    limits: FunnelLimits


def curve_ns(
    n_max: int, *, n_min: int = 1, steps: int = 60, include: Iterable[int] = ()
) -> list[int]:
    """Integer n from ``n_min`` to ``n_max``: every n up to 20, then about ``steps`` geometric
    steps (the limits change fastest at small n), plus the values in ``include`` (the providers'
    own n, so the curve passes exactly through the limit each flag used)."""
    n_min = max(1, n_min)
    n_max = max(n_max, n_min)
    ns = set(range(n_min, min(n_max, 20) + 1))
    if n_max > 20:
        start = max(20, n_min)
        ratio = (n_max / start) ** (1.0 / max(steps, 1))
        value = float(start)
        while value < n_max:
            ns.add(round(value))
            value *= ratio
        ns.add(n_max)
    ns.update(k for k in include if n_min <= k <= n_max)
    return sorted(ns)


def limit_curve(funnel: ProportionFunnel, ns: Sequence[int]) -> list[CurvePoint]:
    """The limits at each n of ``ns`` (n ≤ 0 skipped)."""
    points: list[CurvePoint] = []
    for n in ns:
        limits = funnel.limits(n)
        if limits is not None:
            points.append(CurvePoint(n, limits))
    return points


def counts_from_figures(
    rows: Iterable[tuple[float | None, float | None]],
) -> list[tuple[int, int]]:
    """(numerator, denominator) floats as stored with a figure → integer counts (null → skipped).

    Stored counts are rounded to 9 decimals; rounding to the nearest integer undoes that.
    """
    counts: list[tuple[int, int]] = []
    for numerator, denominator in rows:
        if numerator is None or denominator is None:
            continue
        if not (math.isfinite(numerator) and math.isfinite(denominator)):
            continue
        counts.append((round(numerator), round(denominator)))
    return counts
