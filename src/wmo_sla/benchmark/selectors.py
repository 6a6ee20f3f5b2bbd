# SPDX-License-Identifier: EUPL-1.2
"""Which figures a user may see. Every page, export and API of figures reads through here.

- The municipality (``VIEW_BENCHMARK``) sees every figure of a run.
- An aanbieder-gebruiker sees only its own aanbieder's figures, and never the value of a figure
  with n < ``SMALL_NUMBERS_HIDDEN_BELOW`` (KPIS.md § Small numbers: "not shown to anyone but the
  municipality"); peers only ever reach providers as anonymous aggregates.
- Anyone else sees nothing.

:class:`VisibleFigure` is a figure as one user may see it (value withheld where it must be); the
overzicht, the funnel table and the profile show figures as such.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Self

from django.db.models import QuerySet

from wmo_sla.accounts.roles import Capability, has_capability
from wmo_sla.kpis.models import ComputationRun, Figure
from wmo_sla.kpis.registry import FIGURES, Direction, Unit
from wmo_sla.kpis.selectors import latest_run

# KPIS.md § Norms and signals, small numbers: n < 5 is shown to the municipality only.
SMALL_NUMBERS_HIDDEN_BELOW = 5


def current_run() -> ComputationRun | None:
    """The run the pages show: the latest completed computation."""
    return latest_run()


def sees_all_aanbieders(user: Any) -> bool:
    return has_capability(user, Capability.VIEW_BENCHMARK)


def figures_for(*, user: Any, run: ComputationRun | None) -> QuerySet[Figure]:
    """The figures of ``run`` that ``user`` may see (rows; values of small n: see below)."""
    if run is None:
        return Figure.objects.none()
    qs = Figure.objects.filter(run=run)
    if sees_all_aanbieders(user):
        return qs
    if has_capability(user, Capability.VIEW_OWN_AANBIEDER) and user.aanbieder_id:
        return qs.filter(aanbieder_id=user.aanbieder_id)
    return qs.none()


def value_hidden_for(user: Any, figure: Figure) -> bool:
    """Whether the value (and interval) of ``figure`` must be withheld from ``user``."""
    if sees_all_aanbieders(user):
        return False
    return (figure.n or 0) < SMALL_NUMBERS_HIDDEN_BELOW


class ValueHiddenFor:
    """:func:`value_hidden_for` of one user as a function of n, for pages that show many figures.

    Asked once per n below :data:`SMALL_NUMBERS_HIDDEN_BELOW` and once for all n at or above it
    (the answer depends on the user and on n < 5 only).
    """

    def __init__(self, user: Any) -> None:
        self.user = user
        self.cache: dict[int, bool] = {}

    def __call__(self, n: int | None) -> bool:
        key = min(n or 0, SMALL_NUMBERS_HIDDEN_BELOW)
        if key not in self.cache:
            self.cache[key] = value_hidden_for(self.user, Figure(n=key))
        return self.cache[key]


#: The columns a :class:`VisibleFigure` is built from: read ``.values(*VISIBLE_FIGURE_FIELDS)``.
VISIBLE_FIGURE_FIELDS: tuple[str, ...] = (
    "id",
    "kpi",
    "period",
    "value",
    "numerator",
    "denominator",
    "n",
    "ci_low",
    "ci_high",
    "norm",
    "norm_niet_gehaald",
    "signaal",
    "kleine_aantallen",
    "status",
)


@dataclass
class VisibleFigure:
    """One figure as a page may show it to one user (the overzicht's cells, the profile's rows).

    When the value is withheld from the user (``hidden``, see :func:`value_hidden_for`), so are
    everything that would give it away: the interval, numerator and denominator, and both flags
    (``norm_niet_gehaald`` None, ``signaal`` "geen"). n, the norm and the status stay.
    """

    figure_id: int
    kpi: str
    period: str
    value: float | None
    n: int
    ci_low: float | None
    ci_high: float | None
    norm: float | None
    norm_niet_gehaald: bool | None
    signaal: str
    kleine_aantallen: bool
    status: str
    hidden: bool  # value withheld from this user (never for VIEW_BENCHMARK)
    numerator: float | None
    denominator: float | None

    @classmethod
    def of(cls, row: Mapping[str, Any], *, hidden: bool) -> Self:
        """From a row of ``figures_for(...).values(*VISIBLE_FIGURE_FIELDS)``; ``hidden``: from
        :func:`value_hidden_for` / :class:`ValueHiddenFor` for the user who will see it."""
        return cls(
            figure_id=row["id"],
            kpi=row["kpi"],
            period=row["period"],
            value=None if hidden else row["value"],
            n=row["n"],
            ci_low=None if hidden else row["ci_low"],
            ci_high=None if hidden else row["ci_high"],
            norm=row["norm"],
            norm_niet_gehaald=None if hidden else row["norm_niet_gehaald"],
            signaal="geen" if hidden else row["signaal"],
            kleine_aantallen=row["kleine_aantallen"],
            status=row["status"],
            hidden=hidden,
            numerator=None if hidden else row["numerator"],
            denominator=None if hidden else row["denominator"],
        )

    @property
    def zeer_klein(self) -> bool:
        """n < 5: shown to the municipality only (KPIS.md § Small numbers)."""
        return self.n < SMALL_NUMBERS_HIDDEN_BELOW

    @property
    def name(self) -> str:
        return FIGURES[self.kpi].name_nl if self.kpi in FIGURES else self.kpi

    @property
    def unit(self) -> str:
        return FIGURES[self.kpi].unit.value

    @property
    def is_share(self) -> bool:
        return FIGURES[self.kpi].unit == Unit.SHARE

    @property
    def norm_sign(self) -> str:
        """ "≤" when the norm is a maximum, "≥" when a minimum (by the figure's direction)."""
        direction = FIGURES[self.kpi].direction
        if direction == Direction.LOWER_IS_BETTER:
            return "≤"
        if direction == Direction.HIGHER_IS_BETTER:
            return "≥"
        return ""
