# SPDX-License-Identifier: EUPL-1.2
"""Benchmark statistics for the KPI figures. Pure Python + Polars, no Django, no scipy.

Binding rules: KPIS.md § Norms and signals, § Small numbers, K13. Formulas: kpi-research §5
(cited per function as "§5.x"). Contents:

- distributions: normal CDF/quantile, regularised incomplete beta, beta/binomial/t quantiles;
- intervals for one figure: Wilson and Clopper–Pearson (§5.1), t-interval for a mean (K13);
- funnel limits around a norm θ₀ at 95 % (*let op*) and 99.8 % (*signaal*): exact binomial with
  interpolation (§5.2.1), arcsine square root with additive overdispersion τ² (§5.2.3, §5.3),
  means on the natural or the log scale with a pooled SD (§5.4);
- the flags of a figure: *norm niet gehaald*, the statistical signal, small-number marking (§5.7);
- XmR limits and the Making Data Count special-cause rules for a monthly series (§5.6);
- frame versions of the funnel and flag computations for many figures at once.

Conventions: proportions are in [0, 1]; "no estimate" is ``None`` (scalar) or null (frames), never
an exception, for n = 0. The two funnel levels are fixed by KPIS.md; the functions that take a
``level`` accept any level in (0, 1).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import polars as pl

# ---------------------------------------------------------------------------------------------
# Constants (KPIS.md § Norms and signals, § Small numbers)
# ---------------------------------------------------------------------------------------------

LEVEL_LET_OP = 0.95
LEVEL_SIGNAAL = 0.998
#: With fewer providers than this in a group, τ² = 0 and exact binomial limits (KPIS.md).
MIN_PROVIDERS_FOR_OVERDISPERSION = 5
#: Winsorisation of the z-scores before estimating τ² (10 % / 90 %, §5.3).
WINSOR_TRIM = 0.1
#: n below this: shown only to the municipality (KPIS.md § Small numbers).
SUPPRESS_BELOW = 5
#: n below this (and not suppressed): shown with its interval, marked *kleine aantallen*.
SMALL_BELOW = 20
#: K13: a satisfaction score is suppressed with fewer respondents than this.
K13_SUPPRESS_BELOW = 10

HIGHER_IS_BETTER = "hoger-is-beter"  # same values as wmo_sla.kpis.registry.Direction
LOWER_IS_BETTER = "lager-is-beter"

Signal = Literal["geen", "let op", "signaal"]
SmallNumbers = Literal["onderdrukt", "kleine aantallen", "voldoende"]
FunnelMethod = Literal["binomiaal-exact", "arcsinus", "gemiddelde", "log-gemiddelde"]

_SQRT2 = math.sqrt(2.0)
_SQRT2PI = math.sqrt(2.0 * math.pi)


# ---------------------------------------------------------------------------------------------
# Distributions
# ---------------------------------------------------------------------------------------------


def normal_cdf(x: float) -> float:
    """Φ(x) = ½·erfc(−x/√2)."""
    return 0.5 * math.erfc(-x / _SQRT2)


_ACKLAM_A = (
    -3.969683028665376e01,
    2.209460984245205e02,
    -2.759285104469687e02,
    1.383577518672690e02,
    -3.066479806614716e01,
    2.506628277459239e00,
)
_ACKLAM_B = (
    -5.447609879822406e01,
    1.615858368580409e02,
    -1.556989798598866e02,
    6.680131188771972e01,
    -1.328068155288572e01,
)
_ACKLAM_C = (
    -7.784894002430293e-03,
    -3.223964580411365e-01,
    -2.400758277161838e00,
    -2.549732539343734e00,
    4.374664141464968e00,
    2.938163982698783e00,
)
_ACKLAM_D = (
    7.784695709041462e-03,
    3.224671290700398e-01,
    2.445134137142996e00,
    3.754408661907416e00,
)


def normal_ppf(p: float) -> float:
    """Φ⁻¹(p): Acklam's rational approximation (relative error < 1.2e-9) refined by one Halley
    step on Φ(x) − p, which brings it to about machine precision.

    Regions: p < 0.02425 and p > 0.97575 use ``q = √(−2 ln p)`` (or of 1 − p) in a (6, 4)
    rational function; the centre uses ``q = p − ½``, ``r = q²`` in a (5, 5) rational function.
    Halley: ``e = Φ(x) − p``, ``u = e·√(2π)·exp(x²/2)``, ``x ← x − u/(1 + x·u/2)``.
    """
    if not 0.0 < p < 1.0:
        if p == 0.0:
            return -math.inf
        if p == 1.0:
            return math.inf
        raise ValueError(f"p must be in [0, 1], got {p}")
    a, b, c, d = _ACKLAM_A, _ACKLAM_B, _ACKLAM_C, _ACKLAM_D
    p_low = 0.02425
    if p < p_low or p > 1.0 - p_low:
        q = math.sqrt(-2.0 * math.log(p if p < p_low else 1.0 - p))
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / (
            (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0
        )
        if p > 1.0 - p_low:
            x = -x
    else:
        q = p - 0.5
        r = q * q
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        x /= ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0
    e = normal_cdf(x) - p
    u = e * _SQRT2PI * math.exp(x * x / 2.0)
    return x - u / (1.0 + x * u / 2.0)


def z_for_level(level: float) -> float:
    """Two-sided critical value z = Φ⁻¹(1 − (1 − level)/2): 1.959964 (95 %), 3.090232 (99.8 %)."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), got {level}")
    return normal_ppf(1.0 - (1.0 - level) / 2.0)


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of I_x(a, b) (Numerical Recipes ``betacf``, modified Lentz).

    Terms: d_{2m+1} = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)), d_{2m} = m(b−m)x / ((a+2m−1)(a+2m)).
    """
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = tiny if abs(d) < tiny else d
    d = 1.0 / d
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = tiny if abs(d) < tiny else d
        c = 1.0 + aa / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = tiny if abs(d) < tiny else d
        c = 1.0 + aa / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            return h
    raise ArithmeticError(f"incomplete beta did not converge (a={a}, b={b}, x={x})")


def betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta I_x(a, b) = B(x; a, b)/B(a, b), for a, b > 0.

    ``I_x = x^a (1−x)^b / (a·B(a, b)) · CF(a, b, x)`` when x < (a+1)/(a+b+2), else via the symmetry
    ``I_x(a, b) = 1 − I_{1−x}(b, a)`` (where the continued fraction converges fast); the
    prefactor uses ``math.lgamma``.
    """
    if a <= 0.0 or b <= 0.0:
        raise ValueError(f"a and b must be > 0, got a={a}, b={b}")
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def _bisect_increasing(f: Callable[[float], float], lo: float, hi: float) -> float:
    """Root of an increasing function on [lo, hi] by bisection (to the last representable bit)."""
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if f(mid) < 0.0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def beta_ppf(p: float, a: float, b: float) -> float:
    """Quantile of Beta(a, b): the x with I_x(a, b) = p, by bisection on [0, 1]."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if p == 0.0:
        return 0.0
    if p == 1.0:
        return 1.0
    return _bisect_increasing(lambda x: betainc(a, b, x) - p, 0.0, 1.0)


def binomial_cdf(r: int, n: int, theta: float) -> float:
    """P(R ≤ r) for R ~ Binomial(n, θ) = I_{1−θ}(n − r, r + 1) for 0 ≤ r < n."""
    if r < 0:
        return 0.0
    if r >= n:
        return 1.0
    if theta <= 0.0:
        return 1.0
    if theta >= 1.0:
        return 0.0
    return betainc(n - r, r + 1, 1.0 - theta)


def t_cdf(t: float, df: float) -> float:
    """Student t CDF: for t ≥ 0, 1 − ½·I_{df/(df+t²)}(df/2, ½); symmetric for t < 0."""
    if df <= 0:
        raise ValueError(f"df must be > 0, got {df}")
    tail = 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_ppf(p: float, df: float) -> float:
    """Student t quantile, by bisection on :func:`t_cdf` (bracket widened until it holds p)."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be in (0, 1), got {p}")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_ppf(1.0 - p, df)
    hi = max(1.0, normal_ppf(p))
    while t_cdf(hi, df) < p:
        hi *= 2.0
    return _bisect_increasing(lambda t: t_cdf(t, df) - p, 0.0, hi)


# ---------------------------------------------------------------------------------------------
# Intervals for a single figure (§5.1, K13)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    lower: float
    upper: float


def wilson_interval(x: int, n: int, level: float = LEVEL_LET_OP) -> Interval | None:
    """Wilson score interval (§5.1); None when n = 0.

    ``centre = (p̂ + z²/(2n)) / (1 + z²/n)``, ``half = z·√(p̂(1−p̂)/n + z²/(4n²)) / (1 + z²/n)``.
    """
    _check_count(x, n)
    if n == 0:
        return None
    z = z_for_level(level)
    p = x / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1.0 - p) / n + z * z / (4 * n * n)) / denom
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


def wilson_interval_exprs(
    x: pl.Expr, n: pl.Expr, level: float = LEVEL_LET_OP
) -> tuple[pl.Expr, pl.Expr]:
    """Vectorised :func:`wilson_interval` (lower, upper); x = 0 and x = n give exactly 0 and 1."""
    z = z_for_level(level)
    p = x / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * ((p * (1 - p) / n + z2 / (4 * n * n)).sqrt()) / denom
    lower = pl.when(x == 0).then(0.0).otherwise((centre - half).clip(0.0, 1.0))
    upper = pl.when(x == n).then(1.0).otherwise((centre + half).clip(0.0, 1.0))
    return lower, upper


def clopper_pearson_interval(x: int, n: int, level: float = LEVEL_LET_OP) -> Interval | None:
    """Exact (Clopper–Pearson) interval (§5.1); None when n = 0.

    ``lower = Beta⁻¹(α/2; x, n−x+1)`` (0 when x = 0), ``upper = Beta⁻¹(1−α/2; x+1, n−x)``
    (1 when x = n), α = 1 − level.
    """
    _check_count(x, n)
    if n == 0:
        return None
    alpha = 1.0 - level
    lower = 0.0 if x == 0 else beta_ppf(alpha / 2.0, x, n - x + 1)
    upper = 1.0 if x == n else beta_ppf(1.0 - alpha / 2.0, x + 1, n - x)
    return Interval(lower, upper)


def t_interval(mean: float, sd: float, n: int, level: float = LEVEL_LET_OP) -> Interval | None:
    """t-interval for a mean: ``mean ± t_{1−α/2, n−1}·sd/√n`` (K13); None when n < 2."""
    if n < 2:
        return None
    half = t_ppf(1.0 - (1.0 - level) / 2.0, n - 1) * sd / math.sqrt(n)
    return Interval(mean - half, mean + half)


@dataclass(frozen=True)
class MeanSummary:
    """n, mean, sample SD (n − 1) and t-interval; mean None for n = 0, sd/interval for n < 2."""

    n: int
    mean: float | None
    sd: float | None
    interval: Interval | None


def summarise_mean(values: Iterable[float], level: float = LEVEL_LET_OP) -> MeanSummary:
    """Mean with its t-interval (K13: mean score, n, 95 % CI (t))."""
    data = list(values)
    n = len(data)
    if n == 0:
        return MeanSummary(0, None, None, None)
    mean = math.fsum(data) / n
    if n < 2:
        return MeanSummary(n, mean, None, None)
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in data) / (n - 1))
    return MeanSummary(n, mean, sd, t_interval(mean, sd, n, level))


def _check_count(x: int, n: int) -> None:
    if n < 0 or x < 0 or x > n:
        raise ValueError(f"need 0 <= x <= n, got x={x}, n={n}")


# ---------------------------------------------------------------------------------------------
# Funnel limits (§5.2, §5.3, §5.4)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelLimits:
    """Control limits around the norm: 95 % (*let op*) and 99.8 % (*signaal*)."""

    lower_95: float
    upper_95: float
    lower_998: float
    upper_998: float


def binomial_funnel_limit(n: int, target: float, q: float) -> float:
    """Exact binomial control limit with interpolation (§5.2.1, Spiegelhalter 2005 appendix).

    ``r_q`` = smallest r with F(r) = P(R ≤ r | n, θ₀) ≥ q;
    ``α = (F(r_q) − q) / (F(r_q) − F(r_q − 1))``; limit = ``(r_q − α)/n``, clamped to [0, 1].
    """
    if n <= 0:
        raise ValueError(f"n must be > 0, got {n}")
    lo, hi = 0, n  # F(n) = 1 ≥ q, so r_q ∈ [0, n]
    while lo < hi:
        mid = (lo + hi) // 2
        if binomial_cdf(mid, n, target) >= q:
            hi = mid
        else:
            lo = mid + 1
    r = lo
    f_r = binomial_cdf(r, n, target)
    f_prev = binomial_cdf(r - 1, n, target)
    alpha = (f_r - q) / (f_r - f_prev)
    return min(1.0, max(0.0, (r - alpha) / n))


def _levels_q(level: float) -> tuple[float, float]:
    tail = (1.0 - level) / 2.0
    return tail, 1.0 - tail


def exact_binomial_funnel_limits(n: int, target: float) -> FunnelLimits | None:
    """§5.2.1 limits at 95 % (q = 0.025, 0.975) and 99.8 % (q = 0.001, 0.999); None for n = 0.

    θ₀ = 10 %: n = 20 → upper 22.8 % / 33.5 %; n = 100 → 15.8 % / 19.8 % (the values in
    kpi-research §5.2). Used with fewer than 5 providers in the group (KPIS.md), τ² = 0.
    """
    _check_target(target)
    if n <= 0:
        return None
    lo95, hi95 = _levels_q(LEVEL_LET_OP)
    lo998, hi998 = _levels_q(LEVEL_SIGNAAL)
    return FunnelLimits(
        binomial_funnel_limit(n, target, lo95),
        binomial_funnel_limit(n, target, hi95),
        binomial_funnel_limit(n, target, lo998),
        binomial_funnel_limit(n, target, hi998),
    )


def arcsine_funnel_limits(n: int, target: float, tau2: float = 0.0) -> FunnelLimits | None:
    """Arcsine-square-root limits with additive overdispersion (§5.2.3, §5.3); None for n = 0.

    ``y₀ = asin(√θ₀)``, ``s = 1/(2√n)``; limit = ``sin²(y₀ ± z·√(s² + τ²))`` with the argument
    clamped to [0, π/2] (so the limits stay in [0, 1] and monotone in n).
    """
    _check_target(target)
    if n <= 0:
        return None
    y0 = math.asin(math.sqrt(target))
    spread = math.sqrt(1.0 / (4.0 * n) + max(0.0, tau2))

    def back(y: float) -> float:
        return math.sin(min(math.pi / 2.0, max(0.0, y))) ** 2

    z95, z998 = z_for_level(LEVEL_LET_OP), z_for_level(LEVEL_SIGNAAL)
    return FunnelLimits(
        back(y0 - z95 * spread),
        back(y0 + z95 * spread),
        back(y0 - z998 * spread),
        back(y0 + z998 * spread),
    )


def proportion_funnel_limits(
    n: int, target: float, *, tau2: float = 0.0, n_providers: int | None = None
) -> FunnelLimits | None:
    """The KPIS.md rule: arcsine scale with τ²; with fewer than 5 providers in the group (or
    ``n_providers`` unknown), exact binomial limits and τ² = 0."""
    if _use_arcsine(n_providers):
        return arcsine_funnel_limits(n, target, tau2)
    return exact_binomial_funnel_limits(n, target)


def _use_arcsine(n_providers: int | None) -> bool:
    return n_providers is not None and n_providers >= MIN_PROVIDERS_FOR_OVERDISPERSION


def mean_funnel_limits(n: int, target: float, sd: float, tau2: float = 0.0) -> FunnelLimits | None:
    """Normal-theory funnel for a mean (§5.4): ``θ₀ ± z·√(σ²/n + τ²)``; None for n = 0.

    σ is the pooled within-provider SD of the group in the base period (:func:`pooled_sd`).
    """
    if n <= 0:
        return None
    spread = math.sqrt(sd * sd / n + max(0.0, tau2))
    z95, z998 = z_for_level(LEVEL_LET_OP), z_for_level(LEVEL_SIGNAAL)
    return FunnelLimits(
        target - z95 * spread, target + z95 * spread, target - z998 * spread, target + z998 * spread
    )


def log_mean_funnel_limits(
    n: int, target: float, sd_log: float, tau2: float = 0.0, offset: float = 0.0
) -> FunnelLimits | None:
    """Log-scale funnel for skewed quantities (durations, costs, waits; §5.4).

    The provider value is the geometric mean ``exp(mean(log(d + offset))) − offset``; σ is the
    pooled SD of ``log(d + offset)``; τ² is on the log scale. Limits
    ``exp(log(θ₀ + offset) ± z·√(σ²/n + τ²)) − offset``. ``offset`` (default 0) lets quantities
    that can be 0 (a wait of 0 werkdagen) use ``log(d + 1)``. None for n = 0.
    """
    if target + offset <= 0.0:
        raise ValueError("target + offset must be > 0 on the log scale")
    inner = mean_funnel_limits(n, math.log(target + offset), sd_log, tau2)
    if inner is None:
        return None
    return FunnelLimits(
        math.exp(inner.lower_95) - offset,
        math.exp(inner.upper_95) - offset,
        math.exp(inner.lower_998) - offset,
        math.exp(inner.upper_998) - offset,
    )


def pooled_sd(groups: Iterable[tuple[int, float]]) -> float | None:
    """Pooled within-group SD ``√(Σ(nᵢ−1)sᵢ² / Σ(nᵢ−1))`` from (nᵢ, sᵢ) pairs (§5.4).

    Groups with nᵢ < 2 carry no information; None when no group has nᵢ ≥ 2.
    """
    num = 0.0
    dof = 0
    for n, sd in groups:
        if n >= 2:
            num += (n - 1) * sd * sd
            dof += n - 1
    return math.sqrt(num / dof) if dof > 0 else None


def _check_target(target: float) -> None:
    if not 0.0 <= target <= 1.0:
        raise ValueError(f"a proportion target must be in [0, 1], got {target}")


# -- overdispersion (§5.3) ---------------------------------------------------------------------


@dataclass(frozen=True)
class Overdispersion:
    """Result of the DerSimonian–Laird estimate (§5.3)."""

    n_units: int  # I, the providers used
    phi: float  # mean of the squared Winsorised z-scores
    tau2: float  # additive between-provider variance on the analysis scale (0 = none)


def quantile_type7(values: Sequence[float], q: float) -> float:
    """Sample quantile with linear interpolation (R type 7, numpy's default)."""
    data = sorted(values)
    if not data:
        raise ValueError("no values")
    h = (len(data) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (h - lo) * (data[hi] - data[lo])


def winsorise(values: Sequence[float], trim: float = WINSOR_TRIM) -> list[float]:
    """Replace values below the ``trim`` / above the ``1 − trim`` quantile by that quantile."""
    if not values:
        return []
    low, high = quantile_type7(values, trim), quantile_type7(values, 1.0 - trim)
    return [min(high, max(low, v)) for v in values]


def dersimonian_laird(
    y: Sequence[float], s: Sequence[float], centre: float, trim: float = WINSOR_TRIM
) -> Overdispersion:
    """Additive overdispersion τ² (§5.3, as FunnelPlotR ``od_adjustment``).

    ``zᵢ = (yᵢ − y₀)/sᵢ``, Winsorised at the ``trim``/``1 − trim`` quantiles (type 7);
    ``φ = (1/I)·Σ(zᵢʷ)²``; if ``I·φ ≤ I − 1`` then τ² = 0, else
    ``τ² = (I·φ − (I − 1)) / (Σwᵢ − Σwᵢ²/Σwᵢ)`` with ``wᵢ = 1/sᵢ²``. Units with sᵢ ≤ 0 are skipped;
    fewer than 2 units give τ² = 0.
    """
    pairs = [(yi, si) for yi, si in zip(y, s, strict=True) if si > 0.0]
    units = len(pairs)
    if units < 2:
        return Overdispersion(units, 0.0, 0.0)
    z = winsorise([(yi - centre) / si for yi, si in pairs], trim)
    phi = math.fsum(zi * zi for zi in z) / units
    if units * phi <= units - 1:
        return Overdispersion(units, phi, 0.0)
    w = [1.0 / (si * si) for _, si in pairs]
    sw = math.fsum(w)
    denom = sw - math.fsum(wi * wi for wi in w) / sw
    tau2 = (units * phi - (units - 1)) / denom if denom > 0 else 0.0
    return Overdispersion(units, phi, tau2)


def proportion_overdispersion(
    x: Sequence[int], n: Sequence[int], centre: float | None = None, trim: float = WINSOR_TRIM
) -> Overdispersion:
    """τ² for proportions on the arcsine scale: ``yᵢ = asin(√(xᵢ/nᵢ))``, ``sᵢ = 1/(2√nᵢ)``.

    ``centre`` is the proportion the z-scores are taken around; default the pooled value
    Σx/Σn of the group (FunnelPlotR's target). τ² measures the spread *between providers*, so it
    is estimated around the group's own centre even when the limits are drawn around a contract
    norm. Providers with n = 0 are skipped. Zero numerators and x = n are valid (asin 0, π/2).
    """
    pairs = [(xi, ni) for xi, ni in zip(x, n, strict=True) if ni > 0]
    if not pairs:
        return Overdispersion(0, 0.0, 0.0)
    for xi, ni in pairs:
        _check_count(xi, ni)
    p0 = centre if centre is not None else sum(xi for xi, _ in pairs) / sum(ni for _, ni in pairs)
    _check_target(p0)
    return dersimonian_laird(
        [math.asin(math.sqrt(xi / ni)) for xi, ni in pairs],
        [1.0 / (2.0 * math.sqrt(ni)) for _, ni in pairs],
        math.asin(math.sqrt(p0)),
        trim,
    )


def mean_overdispersion(
    means: Sequence[float],
    n: Sequence[int],
    sd: float,
    centre: float | None = None,
    trim: float = WINSOR_TRIM,
) -> Overdispersion:
    """τ² for means (§5.4 with §5.3): ``sᵢ = σ/√nᵢ``; centre default the n-weighted mean.

    For the log-scale funnel pass the means of log(d + offset) and the pooled SD of those logs.
    """
    pairs = [(mi, ni) for mi, ni in zip(means, n, strict=True) if ni > 0]
    if not pairs or sd <= 0.0:
        return Overdispersion(len(pairs), 0.0, 0.0)
    c = centre if centre is not None else sum(m * k for m, k in pairs) / sum(k for _, k in pairs)
    return dersimonian_laird([m for m, _ in pairs], [sd / math.sqrt(k) for _, k in pairs], c, trim)


# ---------------------------------------------------------------------------------------------
# Flags of a figure (KPIS.md § Norms and signals, § Small numbers)
# ---------------------------------------------------------------------------------------------


def norm_niet_gehaald(value: float | None, norm: float | None, direction: str) -> bool | None:
    """True when the point estimate is on the wrong side of the norm (equal = gehaald).

    ``direction`` is ``"hoger-is-beter"`` (norm is a minimum, e.g. K6 ≥ 90 %) or
    ``"lager-is-beter"`` (a maximum, e.g. K8 ≤ 10 %); the values of
    ``wmo_sla.kpis.registry.Direction``. Any other direction (context figures), a missing value
    or a missing norm gives None.
    """
    if value is None or norm is None:
        return None
    if direction == HIGHER_IS_BETTER:
        return value < norm
    if direction == LOWER_IS_BETTER:
        return value > norm
    return None


def signal(
    value: float | None,
    n: int,
    limits: FunnelLimits | None,
    direction: str | None = None,
) -> Signal:
    """Statistical signal of a figure: outside the 99.8 % limits → "signaal", outside the 95 %
    limits → "let op", else "geen" (KPIS.md § Norms and signals).

    With ``direction`` "hoger-is-beter" only the lower side counts, with "lager-is-beter" only
    the upper side (a figure significantly *better* than the norm is no warning); any other
    value (None, context) checks both sides. n = 0, no value or no limits → "geen".
    """
    if n <= 0 or value is None or limits is None:
        return "geen"
    check_low = direction != LOWER_IS_BETTER
    check_high = direction != HIGHER_IS_BETTER
    if (check_low and value < limits.lower_998) or (check_high and value > limits.upper_998):
        return "signaal"
    if (check_low and value < limits.lower_95) or (check_high and value > limits.upper_95):
        return "let op"
    return "geen"


def small_numbers(
    n: int, suppress_below: int = SUPPRESS_BELOW, small_below: int = SMALL_BELOW
) -> SmallNumbers:
    """§5.7 / KPIS.md: n < 5 "onderdrukt" (municipality only), 5 ≤ n < 20 "kleine aantallen"
    (shown with its interval), else "voldoende". K13 uses ``suppress_below=10``."""
    if n < suppress_below:
        return "onderdrukt"
    if n < small_below:
        return "kleine aantallen"
    return "voldoende"


def visible(n: int, *, municipal: bool, suppress_below: int = SUPPRESS_BELOW) -> bool:
    """Whether a figure with denominator n may be shown to this user (municipality: always)."""
    return municipal or n >= suppress_below


# ---------------------------------------------------------------------------------------------
# SPC: XmR chart and Making Data Count rules (§5.6)
# ---------------------------------------------------------------------------------------------

XMR_LIMIT_FACTOR = 2.66  # 3/d₂ with d₂ = 1.128 for moving ranges of 2
XMR_SCREEN_FACTOR = 3.267  # D₄: moving ranges above 3.267 × their mean are screened out
RUN_LENGTH = 7  # points on one side of the mean
TREND_LENGTH = 7  # points steadily increasing or decreasing


@dataclass(frozen=True)
class XmRLimits:
    mean: float
    average_moving_range: float
    lower: float  # mean − 2.66·mR̄ (process limit, ≈ 3σ)
    upper: float
    lower_close: float  # mean − ⅔·2.66·mR̄ (≈ 2σ, "close to the limits")
    upper_close: float


def xmr_limits(values: Sequence[float]) -> XmRLimits | None:
    """XmR limits (§5.6): centre = mean; mR̄ = mean of |xₜ − xₜ₋₁| after removing the moving ranges
    above 3.267·mR̄ (NHSRplotthedots screening); limits = mean ± 2.66·mR̄; "close" = beyond
    ⅔ of that distance. None with fewer than 2 points."""
    if len(values) < 2:
        return None
    mean = math.fsum(values) / len(values)
    ranges = [abs(b - a) for a, b in itertools.pairwise(values)]
    amr = math.fsum(ranges) / len(ranges)
    kept = [r for r in ranges if r <= XMR_SCREEN_FACTOR * amr]
    amr = math.fsum(kept) / len(kept) if kept else amr
    width = XMR_LIMIT_FACTOR * amr
    return XmRLimits(
        mean, amr, mean - width, mean + width, mean - 2.0 * width / 3.0, mean + 2.0 * width / 3.0
    )


@dataclass(frozen=True)
class SpcPoint:
    """The special-cause rules that flag one point of the series."""

    value: float
    side: int  # +1 above the mean, −1 below, 0 on it
    outside: bool  # beyond a process limit
    run: bool  # part of ≥ RUN_LENGTH consecutive points on one side of the mean
    trend: bool  # part of ≥ TREND_LENGTH consecutive points strictly increasing or decreasing
    two_of_three: bool  # beyond ⅔ of the limit in a window of 3 with ≥ 2 such, same side

    @property
    def special_cause(self) -> bool:
        return self.outside or self.run or self.trend or self.two_of_three


def spc_special_causes(
    values: Sequence[float],
    limits: XmRLimits | None = None,
    *,
    run_length: int = RUN_LENGTH,
    trend_length: int = TREND_LENGTH,
) -> list[SpcPoint]:
    """Apply the Making Data Count rules (§5.6, as NHSRplotthedots ``ptd_calculate_point_type``).

    - outside: x > upper or x < lower;
    - run (shift): ``run_length`` consecutive points on the same side of the mean (a point on the
      mean breaks the run); every point of such a run is flagged;
    - trend: ``trend_length`` consecutive points each strictly above (below) the one before;
      every point of the trend is flagged;
    - two of three: a window of 3 consecutive points, all on the same side of the mean, with ≥ 2
      of them beyond ⅔ of the distance to the limit (outside points included); those are flagged.

    ``limits`` default to :func:`xmr_limits` of the series (fewer than 2 points: no flags).
    """
    lim = limits if limits is not None else xmr_limits(values)
    count = len(values)
    if lim is None:
        return [SpcPoint(v, 0, False, False, False, False) for v in values]
    side = [(v > lim.mean) - (v < lim.mean) for v in values]
    outside = [v > lim.upper or v < lim.lower for v in values]
    close = [v > lim.upper_close or v < lim.lower_close for v in values]

    run = [False] * count
    start = 0
    for i in range(1, count + 1):
        if i == count or side[i] != side[start] or side[i] == 0:
            if side[start] != 0 and i - start >= run_length:
                run[start:i] = [True] * (i - start)
            start = i

    trend = [False] * count
    step = [(b > a) - (b < a) for a, b in itertools.pairwise(values)]
    start = 0  # index into step; a block of equal non-zero steps [start, i) spans i - start + 1
    for i in range(1, len(step) + 1):
        if i == len(step) or step[i] != step[start]:
            if step[start] != 0 and i - start + 1 >= trend_length:
                trend[start : i + 1] = [True] * (i - start + 1)
            start = i

    two = [False] * count
    for i in range(count - 2):
        window = range(i, i + 3)
        if abs(sum(side[j] for j in window)) == 3 and sum(close[j] for j in window) >= 2:
            for j in window:
                two[j] = two[j] or close[j]

    return [
        SpcPoint(values[i], side[i], outside[i], run[i], trend[i], two[i]) for i in range(count)
    ]


# ---------------------------------------------------------------------------------------------
# Frames: many figures at once
# ---------------------------------------------------------------------------------------------

LIMIT_COLUMNS = ("lower_95", "upper_95", "lower_998", "upper_998")


def funnel_limits_frame(
    df: pl.DataFrame, *, n_col: str, limits_of: Callable[[int], FunnelLimits | None]
) -> pl.DataFrame:
    """Add the four :data:`LIMIT_COLUMNS` to ``df``, computing ``limits_of(n)`` once per distinct
    n (Python only per distinct denominator, then a join; null n or n = 0 give null limits)."""
    ns = sorted({int(v) for v in df.get_column(n_col).drop_nulls().to_list()})
    found = [limits_of(n) for n in ns]
    lookup = pl.DataFrame(
        {
            "__n": ns,
            **{c: [None if f is None else getattr(f, c) for f in found] for c in LIMIT_COLUMNS},
        },
        schema={"__n": pl.Int64, **{c: pl.Float64 for c in LIMIT_COLUMNS}},
    )
    return (
        df.with_columns(pl.col(n_col).cast(pl.Int64).alias("__n"))
        .join(lookup, on="__n", how="left", maintain_order="left")
        .drop("__n")
    )


def signal_expr(value: pl.Expr, n: pl.Expr, direction: str | None = None) -> pl.Expr:
    """Vectorised :func:`signal` over a frame that has the :data:`LIMIT_COLUMNS`."""
    low = direction != LOWER_IS_BETTER
    high = direction != HIGHER_IS_BETTER

    def outside(lower: str, upper: str) -> pl.Expr:
        cond = pl.lit(False)
        if low:
            cond = cond | (value < pl.col(lower)).fill_null(False)
        if high:
            cond = cond | (value > pl.col(upper)).fill_null(False)
        return cond & (n > 0).fill_null(False)

    return (
        pl.when(outside("lower_998", "upper_998"))
        .then(pl.lit("signaal"))
        .when(outside("lower_95", "upper_95"))
        .then(pl.lit("let op"))
        .otherwise(pl.lit("geen"))
    )


def norm_niet_gehaald_expr(value: pl.Expr, norm: pl.Expr, direction: str) -> pl.Expr:
    """Vectorised :func:`norm_niet_gehaald` (null for context directions or missing values)."""
    if direction == HIGHER_IS_BETTER:
        return value < norm
    if direction == LOWER_IS_BETTER:
        return value > norm
    return pl.lit(None, dtype=pl.Boolean)


def small_numbers_expr(
    n: pl.Expr, suppress_below: int = SUPPRESS_BELOW, small_below: int = SMALL_BELOW
) -> pl.Expr:
    """Vectorised :func:`small_numbers` (null n counts as 0: "onderdrukt")."""
    n0 = n.fill_null(0)
    return (
        pl.when(n0 < suppress_below)
        .then(pl.lit("onderdrukt"))
        .when(n0 < small_below)
        .then(pl.lit("kleine aantallen"))
        .otherwise(pl.lit("voldoende"))
    )


# -- set-based funnels: every group at once -----------------------------------------------------
#
# The frame functions below compute the funnel for all groups (e.g. KPI × referentiegroep ×
# gemeente × period) in a handful of Polars group-by/window expressions, never a Python loop per
# group. They give the same numbers as the scalar functions above (tests/engine/
# test_stats_frames.py compares them within 1e-9). Internal columns start with "__".

#: Exact binomial limits: the pmf is summed over r in [nθ − W·sd − 10, nθ + W·sd + 10]; the
#: probability outside that window is far below 1e-15, so the CDF is exact to rounding.
_BINOMIAL_WINDOW_SD = 12.0


def _keyed(df: pl.DataFrame, by: Sequence[str] | None) -> tuple[pl.DataFrame, list[str]]:
    """``df`` and the group keys; without ``by`` the whole frame is one group."""
    if by:
        return df, list(by)
    return df.with_columns(pl.lit(0, pl.Int8).alias("__group")), ["__group"]


def _group_constant(
    df: pl.DataFrame, keys: list[str], target: float | str, name: str
) -> pl.DataFrame:
    """Add the group's constant ``target`` (a number, or a column that must hold exactly one
    non-null value per group) as the Float64 column ``name``."""
    if not isinstance(target, str):
        return df.with_columns(pl.lit(float(target), pl.Float64).alias(name))
    per_group = df.group_by(keys).agg(pl.col(target).drop_nulls().unique().alias("__values"))
    if per_group.filter(pl.col("__values").list.len() != 1).height:
        raise ValueError(f"target column {target!r} must hold one value per group")
    lookup = per_group.select(*keys, pl.col("__values").list.first().cast(pl.Float64).alias(name))
    return df.join(lookup, on=keys, how="left", maintain_order="left", nulls_equal=True)


def _dersimonian_laird_frame(
    units: pl.DataFrame, keys: list[str], *, y: pl.Expr, s: pl.Expr, centre: pl.Expr, trim: float
) -> pl.DataFrame:
    """:func:`dersimonian_laird` for every group of ``units`` at once → keys, ``__I``, ``__tau2``.

    ``units`` holds one row per provider that counts (n > 0); ``centre`` is constant per group.
    """
    z = pl.col("__z")
    low = z.quantile(trim, "linear").over(keys)
    high = z.quantile(1.0 - trim, "linear").over(keys)
    w = 1.0 / (pl.col("__s") * pl.col("__s"))
    per_unit = units.with_columns(y.alias("__y"), s.alias("__s"), centre.alias("__c")).with_columns(
        ((pl.col("__y") - pl.col("__c")) / pl.col("__s")).alias("__z")
    )
    grouped = (
        per_unit.with_columns(z.clip(low, high).alias("__zw"), w.alias("__w"))
        .group_by(keys)
        .agg(
            pl.len().alias("__I"),
            (pl.col("__zw") * pl.col("__zw")).sum().alias("__ss"),
            pl.col("__w").sum().alias("__sw"),
            (pl.col("__w") * pl.col("__w")).sum().alias("__sw2"),
        )
    )
    units_f = pl.col("__I").cast(pl.Float64)
    phi = pl.col("__ss") / units_f
    denom = pl.col("__sw") - pl.col("__sw2") / pl.col("__sw")
    tau2 = (
        pl.when((pl.col("__I") >= 2) & (units_f * phi > units_f - 1.0) & (denom > 0.0))
        .then((units_f * phi - (units_f - 1.0)) / denom)
        .otherwise(0.0)
    )
    return grouped.select(*keys, pl.col("__I"), tau2.alias("__tau2"))


def exact_binomial_limits_frame(pairs: pl.DataFrame) -> pl.DataFrame:
    """:func:`exact_binomial_funnel_limits` for many (n, θ) pairs at once, vectorised.

    ``pairs`` has the columns ``n`` (> 0) and ``theta`` (in [0, 1]); returns one row per
    distinct pair with the :data:`LIMIT_COLUMNS`. The binomial pmf is built on a window of
    ±12 SD around nθ from the ratio ``p(r)/p(r−1) = (n−r+1)/r · θ/(1−θ)`` (cumulative sums on the
    log scale, no gamma function), normalised, and summed to the CDF F; then per q:
    ``r_q = min{r : F(r) ≥ q}``, ``α = (F(r_q) − q)/(F(r_q) − F(r_q − 1))``,
    limit = ``(r_q − α)/n`` clamped to [0, 1] (§5.2.1). θ = 0 and θ = 1 are the degenerate
    distributions (all limits 0; limit = (n − 1 + q)/n).
    """
    distinct = (
        pairs.select(pl.col("n").cast(pl.Int64), pl.col("theta").cast(pl.Float64))
        .unique()
        .filter(pl.col("n") > 0)
    )
    key = ["n", "theta"]
    qs = [*_levels_q(LEVEL_LET_OP), *_levels_q(LEVEL_SIGNAAL)]
    names = ["lower_95", "upper_95", "lower_998", "upper_998"]
    n_f = pl.col("n").cast(pl.Float64)
    theta = pl.col("theta")
    degenerate = distinct.filter((theta <= 0.0) | (theta >= 1.0)).select(
        *key,
        *[
            pl.when(theta <= 0.0)
            .then(0.0)
            .otherwise(((n_f - (1.0 - q)) / n_f).clip(0.0, 1.0))
            .alias(name)
            for name, q in zip(names, qs, strict=True)
        ],
    )
    interior = distinct.filter((theta > 0.0) & (theta < 1.0))
    mean = n_f * theta
    sd = (n_f * theta * (1.0 - theta)).sqrt()
    width = _BINOMIAL_WINDOW_SD * sd + 10.0
    r = pl.col("r")
    r_f = r.cast(pl.Float64)
    first = pl.col("__lo")
    log_ratio = (
        pl.when(r == first)
        .then(0.0)
        .otherwise((n_f - r_f + 1.0).log() - r_f.log() + theta.log() - (1.0 - theta).log())
    )
    table = (
        interior.with_columns(
            (mean - width).floor().clip(0.0, None).cast(pl.Int64).alias("__lo"),
            pl.min_horizontal((mean + width).ceil(), n_f).cast(pl.Int64).alias("__hi"),
        )
        .with_columns(pl.int_ranges(pl.col("__lo"), pl.col("__hi") + 1).alias("r"))
        .explode("r")
        .with_columns(log_ratio.cum_sum().over(key).alias("__lp"))
        .with_columns((pl.col("__lp") - pl.col("__lp").max().over(key)).exp().alias("__p"))
        .with_columns((pl.col("__p").cum_sum() / pl.col("__p").sum()).over(key).alias("__F"))
        .with_columns(pl.col("__F").shift(1).over(key).fill_null(0.0).alias("__Fprev"))
        .select(*key, "r", "__F", "__Fprev")
    )
    result = interior.select(key)
    for name, q in zip(names, qs, strict=True):
        hit = table.filter(pl.col("__F") >= q)
        hit = hit.filter(pl.col("r") == pl.col("r").min().over(key))
        alpha = (pl.col("__F") - q) / (pl.col("__F") - pl.col("__Fprev"))
        limit = ((pl.col("r").cast(pl.Float64) - alpha) / n_f).clip(0.0, 1.0)
        result = result.join(hit.select(*key, limit.alias(name)), on=key, how="left")
    return pl.concat([result.select(*key, *names), degenerate.select(*key, *names)])


def _arcsine_limit_exprs(n: pl.Expr, theta: pl.Expr, tau2: pl.Expr) -> list[pl.Expr]:
    """:func:`arcsine_funnel_limits` as expressions (n > 0)."""
    y0 = theta.sqrt().arcsin()
    spread = (1.0 / (4.0 * n.cast(pl.Float64)) + tau2.clip(0.0, None)).sqrt()

    def back(y: pl.Expr) -> pl.Expr:
        return y.clip(0.0, math.pi / 2.0).sin().pow(2)

    z95, z998 = z_for_level(LEVEL_LET_OP), z_for_level(LEVEL_SIGNAAL)
    return [
        back(y0 - z95 * spread).alias("lower_95"),
        back(y0 + z95 * spread).alias("upper_95"),
        back(y0 - z998 * spread).alias("lower_998"),
        back(y0 + z998 * spread).alias("upper_998"),
    ]


def _finish_funnel(
    frame: pl.DataFrame, original: Sequence[str], n_col: str, direction: str | None
) -> pl.DataFrame:
    """Add the flags around the group's norm ``__theta`` and drop the internal columns."""
    internal = [c for c in frame.columns if c.startswith("__") and c not in original]
    return frame.with_columns(
        signal_expr(pl.col("value"), pl.col(n_col), direction).alias("signal"),
        norm_niet_gehaald_expr(pl.col("value"), pl.col("__theta"), direction or "").alias(
            "norm_niet_gehaald"
        ),
        small_numbers_expr(pl.col(n_col)).alias("small_numbers"),
    ).drop(internal)


def proportion_funnel_frame(
    df: pl.DataFrame,
    *,
    numerator_col: str,
    denominator_col: str,
    target: float | str,
    direction: str | None = None,
    by: Sequence[str] | None = None,
    trim: float = WINSOR_TRIM,
) -> pl.DataFrame:
    """Funnel limits and flags for proportions, one row per provider, per group ``by``
    (KPIS.md § Norms and signals; §5.2, §5.3), for all groups at once.

    Per group: I = providers with n > 0. I ≥ 5: τ² by DerSimonian–Laird on the arcsine scale
    around the group's pooled value Σx/Σn (as :func:`proportion_overdispersion`) and arcsine
    limits; I < 5: τ² = 0 and exact binomial limits (:func:`exact_binomial_limits_frame`).
    ``target`` is the norm θ₀ (a number or a column constant within each group).
    Adds ``value`` (x/n, null for n = 0), ``tau2``, ``funnel_method``, the :data:`LIMIT_COLUMNS`,
    ``signal``, ``norm_niet_gehaald`` and ``small_numbers``; rows keep their order.
    Raises ValueError for a numerator outside [0, n] or a target outside [0, 1].
    """
    frame, keys = _keyed(df, by)
    frame = _group_constant(frame, keys, target, "__theta")
    x, n = pl.col(numerator_col), pl.col(denominator_col)
    counted = (n > 0).fill_null(False)
    bad = frame.filter(counted & (x.is_null() | (x < 0) | (x > n)))
    if bad.height:
        row = bad.row(0, named=True)
        raise ValueError(f"need 0 <= x <= n, got x={row[numerator_col]}, n={row[denominator_col]}")
    theta = pl.col("__theta")
    if frame.filter(n.is_not_null() & ~((theta >= 0.0) & (theta <= 1.0))).height:
        raise ValueError("a proportion target must be in [0, 1]")
    x_f, n_f = x.cast(pl.Float64), n.cast(pl.Float64)
    units = frame.filter(counted).select(*keys, x_f.alias("__x"), n_f.alias("__n"))
    pooled = pl.col("__x").sum().over(keys) / pl.col("__n").sum().over(keys)
    od = _dersimonian_laird_frame(
        units,
        keys,
        y=(pl.col("__x") / pl.col("__n")).sqrt().arcsin(),
        s=1.0 / (2.0 * pl.col("__n").sqrt()),
        centre=pooled.sqrt().arcsin(),
        trim=trim,
    )
    frame = frame.join(od, on=keys, how="left", maintain_order="left", nulls_equal=True)
    arcsine = pl.col("__I").fill_null(0) >= MIN_PROVIDERS_FOR_OVERDISPERSION
    frame = frame.with_columns(
        pl.when(counted).then(x / n).alias("value"),
        pl.when(arcsine).then(pl.col("__tau2")).otherwise(0.0).alias("tau2"),
        pl.when(arcsine)
        .then(pl.lit("arcsinus"))
        .otherwise(pl.lit("binomiaal-exact"))
        .alias("funnel_method"),
        n.cast(pl.Int64).alias("__nn"),
    )
    exact = exact_binomial_limits_frame(
        frame.filter(counted & ~arcsine).select(pl.col("__nn").alias("n"), theta.alias("theta"))
    ).rename({"n": "__nn", "theta": "__theta", **{c: f"__exact_{c}" for c in LIMIT_COLUMNS}})
    frame = frame.join(exact, on=["__nn", "__theta"], how="left", maintain_order="left")
    arc = _arcsine_limit_exprs(n, theta, pl.col("tau2"))
    frame = frame.with_columns(
        pl.when(counted & arcsine)
        .then(a)
        .when(counted)
        .then(pl.col(f"__exact_{c}"))
        .otherwise(None)
        .alias(c)
        for a, c in zip(arc, LIMIT_COLUMNS, strict=True)
    )
    return _finish_funnel(frame, df.columns, denominator_col, direction)


def mean_funnel_frame(
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
    trim: float = WINSOR_TRIM,
) -> pl.DataFrame:
    """Funnel limits and flags for means, per group ``by`` (§5.4), for all groups at once.

    ``value_col`` holds the provider's mean on the original scale: the arithmetic mean, or with
    ``log_scale`` the geometric mean ``exp(mean(log(d + offset))) − offset``. ``sd`` is the pooled
    SD on the analysis scale (of d, or of log(d + offset)), a number or a column constant per
    group. With ``overdispersion`` and I ≥ 5 providers, τ² by :func:`mean_overdispersion` on the
    analysis scale (centre: the n-weighted mean); else τ² = 0. Limits as
    :func:`mean_funnel_limits` / :func:`log_mean_funnel_limits`. Adds ``value``, ``tau2``,
    ``funnel_method``, the limits and flags; rows keep their order.
    """
    frame, keys = _keyed(df, by)
    frame = _group_constant(frame, keys, target, "__theta")
    frame = _group_constant(frame, keys, sd, "__sigma")
    n, v = pl.col(n_col), pl.col(value_col).cast(pl.Float64)
    theta, sigma = pl.col("__theta"), pl.col("__sigma")
    if log_scale and frame.filter(n.is_not_null() & (theta + offset <= 0.0)).height:
        raise ValueError("target + offset must be > 0 on the log scale")
    counted = (n > 0).fill_null(False)
    analysis = (v + offset).log() if log_scale else v
    units = frame.filter(counted & v.is_not_null()).select(
        *keys, analysis.alias("__m"), n.cast(pl.Float64).alias("__k"), sigma
    )
    centre = (pl.col("__m") * pl.col("__k")).sum().over(keys) / pl.col("__k").sum().over(keys)
    od = _dersimonian_laird_frame(
        units,
        keys,
        y=pl.col("__m"),
        s=pl.col("__sigma") / pl.col("__k").sqrt(),
        centre=centre,
        trim=trim,
    )
    frame = frame.join(od, on=keys, how="left", maintain_order="left", nulls_equal=True)
    use_od = (
        (pl.col("__I").fill_null(0) >= MIN_PROVIDERS_FOR_OVERDISPERSION) & (sigma > 0.0)
        if overdispersion
        else pl.lit(False)
    )
    tau2 = pl.when(use_od).then(pl.col("__tau2")).otherwise(0.0)
    centre_scale = (theta + offset).log() if log_scale else theta
    spread = (sigma * sigma / n.cast(pl.Float64) + pl.col("tau2").clip(0.0, None)).sqrt()
    z95, z998 = z_for_level(LEVEL_LET_OP), z_for_level(LEVEL_SIGNAAL)

    def back(e: pl.Expr) -> pl.Expr:
        return (e.exp() - offset) if log_scale else e

    bounds = [-z95, z95, -z998, z998]
    frame = frame.with_columns(
        pl.when(counted).then(v).alias("value"),
        tau2.alias("tau2"),
        pl.lit("log-gemiddelde" if log_scale else "gemiddelde").alias("funnel_method"),
    ).with_columns(
        pl.when(counted).then(back(centre_scale + b * spread)).alias(c)
        for b, c in zip(bounds, LIMIT_COLUMNS, strict=True)
    )
    return _finish_funnel(frame, df.columns, n_col, direction)
