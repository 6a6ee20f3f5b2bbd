# SPDX-License-Identifier: EUPL-1.2
"""Delivery episodes and trajectories (KPIS.md § Units and building blocks), pure Polars.

``build_trajectories(state, products, params)`` turns a :class:`~wmo_sla.engine.state.DerivedState`
into four frames (see :class:`Trajectories`). The rules, each §3 edge case of kpi-research and the
choices where KPIS.md is silent are written down in ``docs/trajectories.md``; in short:

- **Episode.** One per effective WMO305 (the start key), paired with the WMO307s that carry the same
  key: a temporary stop (20) closes the delivery, a definitive stop (≠ 20) ends it for good (both
  may exist for one start, TR413/TR415). A stop without a matching start still gives an episode
  (its key carries the Begindatum; ``start_bericht`` is false). A current toewijzing without any
  aanlevering but with approved declarations gets one episode with the first declared
  ProductPeriode begin as start (``start_afgeleid``). Aanleveringen of deleted or unknown
  toewijzingen are ignored.
- **Product group / referentiegroep** come from the ``products`` map on the toewijzing's
  (categorie, productcode); a product not in the map falls back to product_group = referentiegroep
  = categorie.
- **Chaining** (gaps and islands per client × AGB × product group, sorted by Begindatum): an
  episode continues the trajectory when it starts no later than the running maximum of the
  previous episodes' *reach*. Reach = definitive Einddatum + G; for an episode without a definitive
  stop (open, or temporarily stopped) reach = its toewijzing's Einddatum + G, or unbounded for an
  open-ended toewijzing. So overlaps merge, re-indications within G continue, and a restart after
  a temporary stop continues for as long as the toewijzing runs.
- **End.** Every episode not *superseded* (a later-starting episode in the same trajectory
  supersedes an open or temporarily stopped one) contributes: a definitive stop its Einddatum
  (``stop``); otherwise the toewijzing Einddatum once its deadline (Einddatum + the grace in
  werkdagen) has passed at ``as_of``, or when a later trajectory in the same group exists
  (``vermoedelijk``); otherwise nothing is known (``open``). Any open contribution keeps the
  trajectory open; else end = the latest contribution.

Everything is set-based (joins, group-bys, window functions over sorted frames), so the same state
in any row order gives identical frames.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import polars as pl

from wmo_sla.engine.state import START_KEY, TOEWIJZING_KEY, DerivedState

__all__ = [
    "EPISODE_COLUMNS",
    "TRAJECTORY_COLUMNS",
    "Trajectories",
    "TrajectoryParams",
    "build_trajectories",
    "calendar_day_deadline",
]

TEMPORARY_REASON = "20"
TRANSFER_REASON = "38"
TRANSFER_REDEN_WIJZIGING = "09"
GROUP_KEY = ["client_key", "aanbieder_agb", "product_group"]
_UNBOUNDED = 10**9  # reach of an episode that no date can exceed (days since 1970-01-01)
_EPISODE_ORDER = ["begindatum", "gemeente", "toewijzing_nummer", "categorie", "productcode"]

Deadline = Callable[[pl.Expr], pl.Expr]


def calendar_day_deadline(werkdagen: int) -> Deadline:
    """Fallback deadline: ``werkdagen`` werkdagen ≈ 7 calendar days per 5 (5 → Einddatum + 7).

    Ignores holidays. Pass ``WorkdayCalendar.add_werkdagen_expr`` (engine.calendar) through
    :attr:`TrajectoryParams.workday_deadline` for the exact werkdag deadline.
    """
    days = (werkdagen // 5) * 7 + werkdagen % 5

    def deadline(einddatum: pl.Expr) -> pl.Expr:
        return einddatum + pl.duration(days=days)

    return deadline


@dataclass(frozen=True, kw_only=True)
class TrajectoryParams:
    """Parameters of the trajectory construction (KPIS.md: G is configurable).

    ``as_of`` is the cut-off date of the data. ``workday_deadline`` maps a toewijzing Einddatum
    (Date expression) to the date after which a missing stop counts as *vermoedelijke uitstroom*
    (the ``stop_grace_werkdagen``-th werkdag after it); None = :func:`calendar_day_deadline`.
    ``nieuw_lookback_days`` is the K1 look-back for *nieuw* vs *herhaald*.
    """

    as_of: date
    gap_days: int = 1
    stop_grace_werkdagen: int = 5
    workday_deadline: Deadline | None = None
    nieuw_lookback_days: int = 365

    def deadline(self, einddatum: pl.Expr) -> pl.Expr:
        hook = self.workday_deadline or calendar_day_deadline(self.stop_grace_werkdagen)
        return hook(einddatum)


EPISODE_COLUMNS = [
    "episode_id",
    "trajectory_id",
    "client_key",
    "aanbieder_agb",
    "gemeente",
    "toewijzing_nummer",
    "categorie",
    "productcode",
    "product_group",
    "referentiegroep",
    "begindatum",
    "einddatum",
    "stop_reason",
    "temporary",
    "definitief_einddatum",
    "definitief_reden",
    "start_afgeleid",
    "start_bericht",
    "source",
    "start_dagtekening",
    "stop_dagtekening",
    "declaratie_referenties",
]

TRAJECTORY_COLUMNS = [
    "trajectory_id",
    "client_key",
    "aanbieder_agb",
    "gemeente",
    "product_group",
    "referentiegroep",
    "start",
    "end",
    "end_reason",
    "end_kind",
    "end_reden_wijziging",
    "start_afgeleid",
    "temporary_stop_days",
    "n_episodes",
    "opening_gemeente",
    "opening_toewijzing_nummer",
    "opening_first_ingangsdatum",
    "opening_first_einddatum",
    "opening_first_toewijzingsdatum",
    "opening_first_dagtekening",
    "toewijzingen",
    "instroom_kind",
]


@dataclass(frozen=True)
class Trajectories:
    """The output frames; column lists in ``docs/trajectories.md`` § Output."""

    episodes: pl.DataFrame  # one row per delivery episode, with its trajectory_id
    trajectories: pl.DataFrame  # one row per trajectory
    niet_gestart: pl.DataFrame  # current toewijzingen without start, stop or declaration
    toewijzing_links: pl.DataFrame  # (gemeente, toewijzing_nummer) → trajectory_id, once each

    def frames(self) -> dict[str, pl.DataFrame]:
        return {
            "episodes": self.episodes,
            "trajectories": self.trajectories,
            "niet_gestart": self.niet_gestart,
            "toewijzing_links": self.toewijzing_links,
        }


# --- inputs ------------------------------------------------------------------------------------


def _product_map(products: pl.DataFrame) -> pl.DataFrame:
    """(categorie, productcode) → product_group, referentiegroep; one row per product."""
    return (
        products.select(
            pl.col("categorie").cast(pl.Utf8),
            pl.col("productcode").cast(pl.Utf8),
            pl.col("product_group").cast(pl.Utf8),
            pl.col("referentiegroep").cast(pl.Utf8),
        )
        .sort(["categorie", "productcode", "product_group", "referentiegroep"])
        .unique(["categorie", "productcode"], keep="first", maintain_order=True)
    )


def _toewijzingen(state: DerivedState, products: pl.DataFrame) -> pl.DataFrame:
    """Current toewijzingen with their product group (fallback: the categorie)."""
    return (
        state.toewijzingen.select(
            "gemeente",
            "toewijzing_nummer",
            "client_key",
            "aanbieder_agb",
            pl.col("categorie").alias("tw_categorie"),
            pl.col("productcode").alias("tw_productcode"),
            pl.col("ingangsdatum").alias("tw_ingangsdatum"),
            pl.col("einddatum").alias("tw_einddatum"),
            pl.col("toewijzingsdatum").alias("tw_toewijzingsdatum"),
            pl.col("reden_wijziging").alias("tw_reden_wijziging"),
            "first_dagtekening",
            "first_ingangsdatum",
            "first_einddatum",
            "first_toewijzingsdatum",
        )
        .join(
            _product_map(products),
            left_on=["tw_categorie", "tw_productcode"],
            right_on=["categorie", "productcode"],
            how="left",
        )
        .with_columns(
            pl.col("product_group").fill_null(pl.col("tw_categorie")),
            pl.col("referentiegroep").fill_null(pl.col("tw_categorie")),
        )
    )


def _message_episodes(state: DerivedState) -> pl.DataFrame:
    """One row per start key: the WMO305 (if any) with its temporary and definitive stop."""
    starts = state.starts.select(
        *START_KEY, pl.col("first_dagtekening").alias("start_dagtekening")
    ).with_columns(pl.lit(True).alias("start_bericht"))
    stops = state.stops.sort([*START_KEY, "einddatum", "reden_beeindiging"])
    temporary = (
        stops.filter(pl.col("reden_beeindiging") == TEMPORARY_REASON)
        .group_by(START_KEY)
        .agg(
            pl.col("einddatum").max().alias("tijdelijk_einddatum"),
            pl.col("first_dagtekening").min().alias("tijdelijk_dagtekening"),
        )
    )
    definitive = (
        stops.filter(pl.col("reden_beeindiging") != TEMPORARY_REASON)
        .group_by(START_KEY, maintain_order=True)
        .agg(
            pl.col("einddatum").last().alias("definitief_einddatum"),
            pl.col("reden_beeindiging").last().alias("definitief_reden"),
            pl.col("first_dagtekening").last().alias("definitief_dagtekening"),
        )
    )
    return (
        starts.join(temporary, on=START_KEY, how="full", coalesce=True)
        .join(definitive, on=START_KEY, how="full", coalesce=True)
        .with_columns(
            pl.col("start_bericht").fill_null(False),
            pl.lit(False).alias("start_afgeleid"),
            pl.when(pl.col("start_bericht"))
            .then(pl.lit("305"))
            .otherwise(pl.lit("307"))
            .alias("source"),
            pl.lit(None, dtype=pl.List(pl.Utf8)).alias("declaratie_referenties"),
        )
    )


def _derived_episodes(state: DerivedState, messages: pl.DataFrame) -> pl.DataFrame:
    """Missing start: one episode per toewijzing without aanleveringen but with approved
    declarations whose net amount for the ProductPeriode is positive (a fully credited line does
    not count); start = the first such ProductPeriode begin."""
    key = ["gemeente", "aanbieder_agb", "client_key", "toewijzing_nummer"]
    periods = (
        state.prestaties.group_by([*key, "periode_begin", "periode_eind"])
        .agg(
            pl.col("netto_bedrag").sum().alias("netto"),
            pl.col("referentienummer").unique().sort().alias("refs"),
        )
        .filter(pl.col("netto") > 0)
    )
    return (
        periods.join(messages.select(TOEWIJZING_KEY).unique(), on=TOEWIJZING_KEY, how="anti")
        .group_by(key)
        .agg(
            pl.col("periode_begin").min().alias("begindatum"),
            pl.col("refs")
            .list.explode(keep_nulls=False, empty_as_null=False)
            .unique()
            .sort()
            .alias("declaratie_referenties"),
        )
        .with_columns(
            pl.lit(False).alias("start_bericht"),
            pl.lit(True).alias("start_afgeleid"),
            pl.lit("323").alias("source"),
        )
    )


def _episodes(state: DerivedState, tw: pl.DataFrame) -> pl.DataFrame:
    messages = _message_episodes(state)
    derived = _derived_episodes(state, messages)
    join_key = ["gemeente", "toewijzing_nummer", "client_key", "aanbieder_agb"]
    from_messages = messages.join(tw, on=join_key, how="inner")
    from_declarations = derived.join(tw, on=join_key, how="inner").with_columns(
        pl.col("tw_categorie").alias("categorie"), pl.col("tw_productcode").alias("productcode")
    )
    episodes = pl.concat([from_messages, from_declarations], how="diagonal_relaxed")
    definitive = pl.col("definitief_einddatum").is_not_null()
    temporary = pl.col("tijdelijk_einddatum").is_not_null()
    # Latest date an open or temporarily stopped episode can run to: its toewijzing's Einddatum.
    implicit_end = pl.max_horizontal("tw_einddatum", "begindatum", "tijdelijk_einddatum")
    return episodes.with_columns(
        pl.coalesce("tijdelijk_einddatum", "definitief_einddatum").alias("einddatum"),
        pl.when(temporary)
        .then(pl.lit(TEMPORARY_REASON))
        .otherwise(pl.col("definitief_reden"))
        .alias("stop_reason"),
        temporary.alias("temporary"),
        definitive.alias("is_definitief"),
        pl.when(definitive)
        .then(pl.max_horizontal("definitief_einddatum", "begindatum"))
        .alias("definitief_eind"),
        pl.when(~definitive & pl.col("tw_einddatum").is_not_null())
        .then(implicit_end)
        .alias("implicit_end"),
        pl.coalesce("definitief_dagtekening", "tijdelijk_dagtekening").alias("stop_dagtekening"),
    )


# --- chaining ----------------------------------------------------------------------------------


def _days(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.Int64)


def _chain(episodes: pl.DataFrame, params: TrajectoryParams) -> pl.DataFrame:
    """Gaps and islands: ``traj_seq`` numbers the trajectories within each group."""
    g = params.gap_days
    reach = (
        pl.when(pl.col("is_definitief"))
        .then(_days(pl.col("definitief_eind")) + g)
        .when(pl.col("implicit_end").is_not_null())
        .then(_days(pl.col("implicit_end")) + g)
        .otherwise(pl.lit(_UNBOUNDED, dtype=pl.Int64))
    )
    # Delivery cover for the temporary-stop gaps: 2·day + 1 when the cover ends in a temporary
    # stop, so one running maximum gives both the cover end and whether a gap after it counts.
    cover_day = (
        pl.when(pl.col("temporary"))
        .then(_days(pl.col("tijdelijk_einddatum")))
        .when(pl.col("is_definitief"))
        .then(_days(pl.col("definitief_eind")))
        .when(pl.col("implicit_end").is_not_null())
        .then(_days(pl.col("implicit_end")))
        .otherwise(pl.lit(_UNBOUNDED, dtype=pl.Int64))
    )
    ordered = episodes.sort([*GROUP_KEY, *_EPISODE_ORDER]).with_columns(
        reach.alias("_reach"),
        (cover_day * 2 + pl.col("temporary").cast(pl.Int64)).alias("_cover"),
        _days(pl.col("begindatum")).alias("_begin"),
    )
    prev_reach = pl.col("_reach").cum_max().shift(1).over(GROUP_KEY)
    new_trajectory = prev_reach.is_null() | (pl.col("_begin") > prev_reach)
    return ordered.with_columns(
        new_trajectory.cast(pl.Int64).cum_sum().over(GROUP_KEY).alias("traj_seq")
    )


# --- trajectories ------------------------------------------------------------------------------

_TRAJ_KEY = [*GROUP_KEY, "traj_seq"]


def _contributions(chained: pl.DataFrame, params: TrajectoryParams) -> pl.DataFrame:
    """Per episode: its contribution to the trajectory end (kind, date, reason)."""
    as_of = pl.lit(params.as_of, dtype=pl.Date)
    superseded = pl.col("begindatum") < pl.col("begindatum").max().over(_TRAJ_KEY)
    later_trajectory = pl.col("traj_seq") < pl.col("traj_seq").max().over(GROUP_KEY)
    overdue = params.deadline(pl.col("implicit_end")) < as_of
    kind = (
        pl.when(pl.col("is_definitief"))
        .then(pl.lit("stop"))
        .when(superseded)
        .then(pl.lit(None, dtype=pl.Utf8))
        .when(pl.col("implicit_end").is_not_null() & (overdue | later_trajectory))
        .then(pl.lit("vermoedelijk"))
        .otherwise(pl.lit("open"))
    )
    return chained.with_columns(kind.alias("_c_kind")).with_columns(
        pl.when(pl.col("_c_kind") == "stop")
        .then(pl.col("definitief_eind"))
        .when(pl.col("_c_kind") == "vermoedelijk")
        .then(pl.col("implicit_end"))
        .alias("_c_end"),
        pl.when(pl.col("_c_kind") == "stop").then(pl.col("definitief_reden")).alias("_c_reason"),
        pl.when(pl.col("_c_kind") == "stop")
        .then(2)
        .when(pl.col("_c_kind") == "vermoedelijk")
        .then(1)
        .alias("_c_rank"),
    )


def _trajectory_rows(chained: pl.DataFrame, params: TrajectoryParams) -> pl.DataFrame:
    contrib = _contributions(chained, params)
    as_of_days = _days(pl.lit(params.as_of, dtype=pl.Date))
    prev_cover = pl.col("_cover").cum_max().shift(1).over(_TRAJ_KEY)
    inner_gap = (
        pl.when((prev_cover % 2) == 1)
        .then((pl.col("_begin") - prev_cover // 2 - 1).clip(lower_bound=0))
        .otherwise(0)
        .fill_null(0)
    )
    contrib = contrib.with_columns(inner_gap.alias("_gap"))
    last_by = [pl.col("_c_end"), pl.col("_c_rank"), pl.col("_c_reason")]
    rows = contrib.group_by(_TRAJ_KEY, maintain_order=True).agg(
        pl.col("begindatum").first().alias("start"),
        pl.col("gemeente").first().alias("opening_gemeente"),
        pl.col("toewijzing_nummer").first().alias("opening_toewijzing_nummer"),
        pl.col("referentiegroep").first(),
        pl.col("start_afgeleid").first(),
        pl.col("first_ingangsdatum").first().alias("opening_first_ingangsdatum"),
        pl.col("first_einddatum").first().alias("opening_first_einddatum"),
        pl.col("first_toewijzingsdatum").first().alias("opening_first_toewijzingsdatum"),
        pl.col("first_dagtekening").first().alias("opening_first_dagtekening"),
        pl.len().alias("n_episodes"),
        pl.col("toewijzing_nummer").unique().sort().alias("toewijzingen"),
        (pl.col("_c_kind") == "open").any().alias("_open"),
        pl.col("_c_end").sort_by(last_by, nulls_last=False).last().alias("_end"),
        pl.col("_c_kind").sort_by(last_by, nulls_last=False).last().alias("_end_kind"),
        pl.col("_c_reason").sort_by(last_by, nulls_last=False).last().alias("end_reason"),
        pl.col("tw_reden_wijziging").sort_by(last_by, nulls_last=False).last().alias("_end_rw"),
        pl.col("tw_reden_wijziging").is_in([TRANSFER_REDEN_WIJZIGING]).any().alias("_rw09"),
        pl.col("tw_einddatum").max().alias("_tw_end_max"),
        pl.col("_gap").sum().alias("_inner_gaps"),
        pl.col("_cover").max().alias("_final_cover"),
    )
    end = pl.when(~pl.col("_open")).then(pl.col("_end"))
    end_days = pl.when(pl.col("_open")).then(as_of_days).otherwise(_days(pl.col("_end")))
    trailing = (
        pl.when((pl.col("_final_cover") % 2) == 1)
        .then((end_days - pl.col("_final_cover") // 2).clip(lower_bound=0))
        .otherwise(0)
    )
    return rows.with_columns(
        end.alias("end"),
        pl.when(pl.col("_open"))
        .then(pl.lit("open"))
        .otherwise(pl.col("_end_kind"))
        .alias("end_kind"),
        pl.when(~pl.col("_open") & (pl.col("_end_kind") == "stop"))
        .then(pl.col("end_reason"))
        .alias("end_reason"),
        pl.when(~pl.col("_open")).then(pl.col("_end_rw")).alias("end_reden_wijziging"),
        (pl.col("_inner_gaps") + trailing).cast(pl.Int64).alias("temporary_stop_days"),
        pl.concat_str([*GROUP_KEY, pl.col("start").dt.strftime("%Y%m%d")], separator="|").alias(
            "trajectory_id"
        ),
    ).with_columns(pl.col("opening_gemeente").alias("gemeente"))


def _instroom(trajectories: pl.DataFrame, params: TrajectoryParams) -> pl.DataFrame:
    """K1 split: overname (previous trajectory at another AGB ended with 38 or RedenWijziging 09
    within G days), else herhaald (a trajectory in the group active in the look-back), else
    nieuw."""
    g = params.gap_days
    base = trajectories.select(
        "trajectory_id", "client_key", "product_group", "aanbieder_agb", "start"
    )
    others = trajectories.select(
        "client_key",
        "product_group",
        pl.col("trajectory_id").alias("o_id"),
        pl.col("aanbieder_agb").alias("o_agb"),
        pl.col("start").alias("o_start"),
        pl.col("end").alias("o_end"),
        pl.col("end_reason").alias("o_reason"),
        pl.col("_rw09").alias("o_rw09"),
        pl.col("_tw_end_max").alias("o_tw_end"),
    )
    pairs = base.join(others, on=["client_key", "product_group"], how="inner").filter(
        (pl.col("o_id") != pl.col("trajectory_id")) & (pl.col("o_start") < pl.col("start"))
    )
    o_end_eff = pl.coalesce(pl.col("o_end"), pl.when(pl.col("o_rw09")).then(pl.col("o_tw_end")))
    overname = (
        (pl.col("o_agb") != pl.col("aanbieder_agb"))
        & ((pl.col("o_reason") == TRANSFER_REASON) | pl.col("o_rw09"))
        & (pl.col("start") <= o_end_eff + pl.duration(days=g))
    ).fill_null(False)
    lookback = pl.col("start") - pl.duration(days=params.nieuw_lookback_days)
    herhaald = pl.col("o_end").is_null() | (pl.col("o_end") >= lookback)
    flags = pairs.group_by("trajectory_id").agg(
        overname.any().alias("_overname"), herhaald.any().alias("_herhaald")
    )
    return trajectories.join(flags, on="trajectory_id", how="left").with_columns(
        pl.when(pl.col("_overname").fill_null(False))
        .then(pl.lit("overname"))
        .when(pl.col("_herhaald").fill_null(False))
        .then(pl.lit("herhaald"))
        .otherwise(pl.lit("nieuw"))
        .alias("instroom_kind")
    )


# --- entry point -------------------------------------------------------------------------------


def build_trajectories(
    state: DerivedState, products: pl.DataFrame, params: TrajectoryParams
) -> Trajectories:
    """Episodes, trajectories, niet-gestarte toewijzingen and toewijzing → trajectory links."""
    tw = _toewijzingen(state, products)
    episodes = _episodes(state, tw)
    chained = _chain(episodes, params)
    rows = _instroom(_trajectory_rows(chained, params), params)
    trajectories = rows.select(TRAJECTORY_COLUMNS).sort(
        ["client_key", "aanbieder_agb", "product_group", "start"]
    )
    ids = rows.select(*_TRAJ_KEY, "trajectory_id")
    episode_frame = (
        chained.join(ids, on=_TRAJ_KEY, how="left")
        .with_columns(
            pl.concat_str(
                [
                    pl.col("gemeente"),
                    pl.col("toewijzing_nummer").cast(pl.Utf8),
                    pl.col("categorie"),
                    pl.col("productcode"),
                    pl.col("begindatum").dt.strftime("%Y%m%d"),
                    pl.col("source"),
                ],
                separator="|",
            ).alias("episode_id")
        )
        .select(EPISODE_COLUMNS)
        .sort(["client_key", "aanbieder_agb", "product_group", *_EPISODE_ORDER])
    )
    first_episode = episode_frame.sort(
        ["gemeente", "toewijzing_nummer", "begindatum", "trajectory_id"]
    )
    links = (
        first_episode.group_by(TOEWIJZING_KEY, maintain_order=True)
        .agg(
            pl.col("trajectory_id").first(),
            pl.col("client_key").first(),
            pl.col("aanbieder_agb").first(),
            pl.col("product_group").first(),
        )
        .join(
            trajectories.select(
                pl.col("opening_gemeente").alias("gemeente"),
                pl.col("opening_toewijzing_nummer").alias("toewijzing_nummer"),
                "trajectory_id",
                pl.lit(True).alias("opens_trajectory"),
            ),
            on=[*TOEWIJZING_KEY, "trajectory_id"],
            how="left",
        )
        .with_columns(pl.col("opens_trajectory").fill_null(False))
        .sort(TOEWIJZING_KEY)
    )
    niet_gestart = (
        tw.join(episode_frame.select(TOEWIJZING_KEY).unique(), on=TOEWIJZING_KEY, how="anti")
        .select(
            "gemeente",
            "toewijzing_nummer",
            "client_key",
            "aanbieder_agb",
            pl.col("tw_categorie").alias("categorie"),
            pl.col("tw_productcode").alias("productcode"),
            "product_group",
            "referentiegroep",
            pl.col("tw_ingangsdatum").alias("ingangsdatum"),
            pl.col("tw_einddatum").alias("einddatum"),
            pl.col("tw_toewijzingsdatum").alias("toewijzingsdatum"),
            pl.col("tw_reden_wijziging").alias("reden_wijziging"),
            "first_dagtekening",
            "first_ingangsdatum",
            "first_einddatum",
            "first_toewijzingsdatum",
        )
        .sort(TOEWIJZING_KEY)
    )
    return Trajectories(
        episodes=episode_frame,
        trajectories=trajectories,
        niet_gestart=niet_gestart,
        toewijzing_links=links,
    )
