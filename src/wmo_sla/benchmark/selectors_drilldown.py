# SPDX-License-Identifier: EUPL-1.2
"""Reads for the drill-down: from a figure to its members, a trajectory and its messages.

Everything starts at a figure the user may see (``benchmark.selectors.figures_for``): the
municipality any aanbieder's, an aanbieder-gebruiker only its own. A figure with n < 5 has no
members for an aanbieder-gebruiker (``value_hidden_for``). Units are read from the run's stored
frames of the figure's aanbieder only (``kpis.unit_store``), and messages from the immutable fact
tables, restricted to the aanbieder's AGB codes, the trajectory's client and toewijzingen, and
to messages received before the run started — so an old run shows what it saw.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

import polars as pl

from wmo_sla.contracts.models import AgbCode
from wmo_sla.engine.members import (
    FigureKey,
    MemberParams,
    UnsupportedFigure,
    members,
    units_needed,
)
from wmo_sla.ingest.models import AanleveringFact, PrestatieFact, RawMessage, ToewijzingFact
from wmo_sla.kpis.models import ComputationRun, Figure
from wmo_sla.kpis.unit_store import unit_frames_of

from .selectors import figures_for, value_hidden_for


def drilldown_figure(*, user: Any, figure_id: int) -> Figure | None:
    """The figure with ``figure_id`` if ``user`` may see it (any run), else None."""
    figure = Figure.objects.select_related("run", "aanbieder").filter(pk=figure_id).first()
    if figure is None:
        return None
    if not figures_for(user=user, run=figure.run).filter(pk=figure.pk).exists():
        return None
    return figure


def members_hidden(*, user: Any, figure: Figure) -> bool:
    """n < 5: the members are for the municipality only (KPIS.md § small numbers)."""
    return value_hidden_for(user, figure)


def member_params(run: ComputationRun) -> MemberParams:
    p = run.parameters or {}
    defaults = MemberParams(as_of=run.as_of)
    return MemberParams(
        as_of=run.as_of,
        gap_days=p.get("gap_days", defaults.gap_days),
        recidive_window_days=p.get("recidive_window_days", defaults.recidive_window_days),
        recidive_half_window_days=p.get(
            "recidive_half_window_days", defaults.recidive_half_window_days
        ),
        scaling_epsilon=p.get("scaling_epsilon", defaults.scaling_epsilon),
    )


@dataclass
class FigureMembers:
    """The members of a figure; ``available`` is False for a run stored without units."""

    available: bool
    rows: pl.DataFrame = field(default_factory=pl.DataFrame)
    refs: dict[str, int] = field(default_factory=dict)  # trajectory_id → trajectory_ref


def figure_members(*, figure: Figure) -> FigureMembers:
    """Raises UnsupportedFigure for a code without a member definition."""
    kinds = units_needed(figure.kpi)
    units = unit_frames_of(
        run=figure.run,
        aanbieder_agb=figure.aanbieder_agb,
        kinds=sorted({*kinds, "trajectories"}),
    )
    if units is None:
        return FigureMembers(available=False)
    key = FigureKey(
        figure.kpi, figure.aanbieder_agb, figure.referentiegroep, figure.gemeente, figure.period
    )
    rows = members(units, key, member_params(figure.run))
    ids = set(rows["trajectory_id"].drop_nulls().to_list())
    refs = {
        tid: ref
        for ref, tid in enumerate(units["trajectories"]["trajectory_id"].to_list())
        if tid in ids
    }
    return FigureMembers(available=True, rows=rows, refs=refs)


def short_client_key(client_key: str | None) -> str:
    """The pseudonymised client key, shortened for display (never a BSN)."""
    return f"{client_key[:8]}…" if client_key else "–"


# --- one trajectory ------------------------------------------------------------------------------


@dataclass
class TrajectoryDetail:
    ref: int
    row: dict[str, Any]
    episodes: list[dict[str, Any]]
    versions: list[ToewijzingFact]
    aanleveringen: list[AanleveringFact]
    prestaties: list[PrestatieFact]
    messages: list[RawMessage]


def _agb_codes(figure: Figure) -> list[str]:
    if figure.aanbieder_id is None:
        return [figure.aanbieder_agb]
    codes = list(
        AgbCode.objects.filter(aanbieder_id=figure.aanbieder_id).values_list("code", flat=True)
    )
    return codes or [figure.aanbieder_agb]


def trajectory_detail(*, figure: Figure, trajectory_ref: int) -> TrajectoryDetail | None:
    """Trajectory number ``trajectory_ref`` of the figure's aanbieder in the figure's run."""
    units = unit_frames_of(
        run=figure.run,
        aanbieder_agb=figure.aanbieder_agb,
        kinds=["trajectories", "episodes"],
    )
    if units is None or not 0 <= trajectory_ref < units["trajectories"].height:
        return None
    row = units["trajectories"].row(trajectory_ref, named=True)
    if row["aanbieder_agb"] != figure.aanbieder_agb:  # defence in depth: never another's
        return None
    episodes = units["episodes"].filter(pl.col("trajectory_id") == row["trajectory_id"])
    keys = {
        (g, n)
        for g, n in episodes.select("gemeente", "toewijzing_nummer").iter_rows()
        if n is not None
    }
    if row.get("opening_toewijzing_nummer") is not None:
        keys.add((row["opening_gemeente"], row["opening_toewijzing_nummer"]))
    scope = Q(
        aanbieder_agb__in=_agb_codes(figure),
        client_key=row["client_key"],
        message__received_at__lte=figure.run.created_at,
    )
    if keys:
        which = Q()
        for gemeente, nummer in sorted(keys):
            which |= Q(gemeente=gemeente, toewijzing_nummer=nummer)
        scope &= which
    else:
        scope &= Q(pk__in=[])
    versions = list(
        ToewijzingFact.objects.filter(scope).order_by(
            "gemeente", "toewijzing_nummer", "toewijzingsdatum", "toewijzingstijd", "pk"
        )
    )
    aanleveringen = list(
        AanleveringFact.objects.filter(scope).order_by("dagtekening", "kind", "begindatum", "pk")
    )
    prestaties = list(
        PrestatieFact.objects.filter(scope).order_by("periode_begin", "referentienummer", "pk")
    )
    shas = {f.message_id for f in [*versions, *aanleveringen, *prestaties]}
    messages = list(
        RawMessage.objects.filter(sha256__in=shas)
        .defer("stored_xml")
        .order_by("dagtekening", "message_type", "pk")
    )
    return TrajectoryDetail(
        ref=trajectory_ref,
        row=row,
        episodes=episodes.sort("begindatum").to_dicts(),
        versions=versions,
        aanleveringen=aanleveringen,
        prestaties=prestaties,
        messages=messages,
    )


def trajectory_message(*, detail: TrajectoryDetail, message_id: int) -> RawMessage | None:
    """A message of the trajectory (by id); any other message id is None."""
    if message_id not in {m.pk for m in detail.messages}:
        return None
    return RawMessage.objects.filter(pk=message_id).first()


def message_xml(message: RawMessage) -> str:
    """The stored (blanked) XML of a message, decompressed."""
    data = bytes(message.stored_xml)
    try:
        return zlib.decompress(data).decode("utf-8", errors="replace")
    except zlib.error:
        return data.decode("utf-8", errors="replace")


__all__ = [
    "FigureMembers",
    "TrajectoryDetail",
    "UnsupportedFigure",
    "drilldown_figure",
    "figure_members",
    "member_params",
    "members_hidden",
    "message_xml",
    "short_client_key",
    "trajectory_detail",
    "trajectory_message",
]
