# SPDX-License-Identifier: EUPL-1.2
"""Which figures a user may see. Every page, export and API of figures reads through here.

- The municipality (``VIEW_BENCHMARK``) sees every figure of a run.
- An aanbieder-gebruiker sees only its own aanbieder's figures, and never the value of a figure
  with n < ``SMALL_NUMBERS_HIDDEN_BELOW`` (KPIS.md § Small numbers: "not shown to anyone but the
  municipality"); peers only ever reach providers as anonymous aggregates.
- Anyone else sees nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from wmo_sla.accounts.roles import Capability, has_capability
from wmo_sla.kpis.models import ComputationRun, Figure
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
