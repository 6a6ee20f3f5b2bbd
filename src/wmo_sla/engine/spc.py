# SPDX-License-Identifier: EUPL-1.2
"""SPC analysis of one monthly series for the aanbieder-profiel (XmR, Making Data Count).

Builds on :func:`wmo_sla.engine.stats.xmr_limits` and :func:`~wmo_sla.engine.stats.
spc_special_causes` (kpi-research §5.6, as NHSRplotthedots): centre = mean, process limits =
mean ± 2.66 × average moving range (moving ranges above 3.267 × their mean screened out), and the
four rule families:

- a point outside the process limits;
- a *run* (shift) of 7 consecutive points on one side of the mean;
- a *trend* of 7 consecutive points each higher (lower) than the one before;
- two out of three consecutive points beyond ⅔ of the distance to a limit, on the same side.

The lengths are Making Data Count's (7 and 7; NHSRplotthedots' defaults; kpi-research §5.6 and
issue #202: 6 belongs to run charts, 7 to SPC). The baseline is the whole series (no automatic
rebasing: the maintainers refuse it, §7). A chart is drawn only with at least :data:`MIN_POINTS`
points (Making Data Count's Excel tool asks for 12–20 baseline points; 15 is the middle).

This module turns the per-point flags into *findings*: one per special-cause episode, with the
labels of its first and last point, so a page can name them in words. Pure; no Django; mypy
strict.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .stats import RUN_LENGTH, TREND_LENGTH, SpcPoint, XmRLimits, spc_special_causes, xmr_limits

__all__ = ["MIN_POINTS", "Rule", "SpcFinding", "SpcResult", "spc_analysis"]

#: Fewer points than this: no SPC chart (the page says why).
MIN_POINTS = 15

Rule = Literal["buiten_grenzen", "run", "trend", "twee_van_drie"]


@dataclass(frozen=True)
class SpcFinding:
    """One special-cause episode: ``direction`` +1 = above the mean / rising, −1 = below / falling."""

    rule: Rule
    first: str
    last: str
    points: int
    direction: int


@dataclass(frozen=True)
class SpcResult:
    labels: tuple[str, ...]
    values: tuple[float, ...]
    limits: XmRLimits
    points: tuple[SpcPoint, ...]
    findings: tuple[SpcFinding, ...]
    run_length: int = RUN_LENGTH
    trend_length: int = TREND_LENGTH

    @property
    def special_cause(self) -> bool:
        return bool(self.findings)


def spc_analysis(
    labels: Sequence[str], values: Sequence[float], *, min_points: int = MIN_POINTS
) -> SpcResult | None:
    """XmR limits, per-point flags and findings of a series; None with fewer than ``min_points``
    points or when the limits cannot be computed. ``labels`` and ``values`` are in time order."""
    if len(labels) != len(values):
        raise ValueError("labels en waarden moeten even lang zijn")
    if len(values) < max(min_points, 2):
        return None
    limits = xmr_limits(values)
    if limits is None:
        return None
    points = spc_special_causes(values, limits)
    return SpcResult(
        labels=tuple(labels),
        values=tuple(values),
        limits=limits,
        points=tuple(points),
        findings=tuple(_findings(list(labels), list(values), points)),
    )


def _findings(labels: list[str], values: list[float], points: list[SpcPoint]) -> list[SpcFinding]:
    found: list[tuple[int, SpcFinding]] = []
    for i, p in enumerate(points):
        if p.outside:
            found.append((i, SpcFinding("buiten_grenzen", labels[i], labels[i], 1, p.side)))
    for start, end, side in _segments([p.run for p in points], [p.side for p in points]):
        found.append((start, SpcFinding("run", labels[start], labels[end], end - start + 1, side)))
    steps = [0] + [(b > a) - (b < a) for a, b in itertools.pairwise(values)]
    for start, end, direction in _trend_segments([p.trend for p in points], steps):
        found.append(
            (start, SpcFinding("trend", labels[start], labels[end], end - start + 1, direction))
        )
    for start, end, side in _segments(
        [p.two_of_three for p in points], [p.side for p in points], max_gap=2
    ):
        found.append(
            (
                start,
                SpcFinding(
                    "twee_van_drie", labels[start], labels[end], _count(points, start, end), side
                ),
            )
        )
    order = {"buiten_grenzen": 0, "run": 1, "trend": 2, "twee_van_drie": 3}
    return [f for _i, f in sorted(found, key=lambda x: (x[0], order[x[1].rule]))]


def _count(points: list[SpcPoint], start: int, end: int) -> int:
    return sum(1 for p in points[start : end + 1] if p.two_of_three)


def _segments(
    flags: list[bool], sides: list[int], *, max_gap: int = 1
) -> list[tuple[int, int, int]]:
    """Blocks of flagged points on the same side, allowing ``max_gap − 1`` unflagged points
    between two flagged ones: (first index, last index, side)."""
    segments: list[tuple[int, int, int]] = []
    current: list[int] = []
    for i, flagged in enumerate(flags):
        if not flagged:
            continue
        if current and (i - current[-1] > max_gap or sides[i] != sides[current[0]]):
            segments.append((current[0], current[-1], sides[current[0]]))
            current = []
        current.append(i)
    if current:
        segments.append((current[0], current[-1], sides[current[0]]))
    return segments


def _trend_segments(flags: list[bool], steps: list[int]) -> list[tuple[int, int, int]]:
    """Blocks of trend-flagged points that keep one direction; a turning point that ends a rising
    trend and starts a falling one belongs to both."""
    segments: list[tuple[int, int, int]] = []
    i, count = 0, len(flags)
    while i < count:
        if not flags[i]:
            i += 1
            continue
        start = i
        direction = steps[i + 1] if i + 1 < count else 0
        j = i + 1
        while j < count and flags[j] and steps[j] == direction:
            j += 1
        end = j - 1
        if end > start:
            segments.append((start, end, direction))
            i = end if (end + 1 < count and flags[end + 1]) else end + 1
        else:
            i += 1
    return segments
