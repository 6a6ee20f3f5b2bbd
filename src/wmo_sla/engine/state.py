# SPDX-License-Identifier: EUPL-1.2
"""Derive the current state of the iWmo traffic from the stored facts, as the standard says.

- A message rejected by a retour (302/306/308 with a rejecting retourcode) counts as never sent.
- A toewijzing's state is its version with the latest Toewijzingsdatum + Toewijzingstijd; a current
  version with RedenWijziging 13 (or 01) and Einddatum = Ingangsdatum deletes the toewijzing.
- A start or stop aanlevering with StatusAanlevering 3 deletes every aanlevering with the same
  logical key; a later 1 with a corrected key adds the corrected one.
- A declaration line rejected by a WMO325 is removed; credits count negative.

Everything is set-based and order-independent: the facts are a set, and each rule is a grouping or
an anti-join over that set, so the same facts in any order give identical frames.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

START_KEY = [
    "gemeente",
    "aanbieder_agb",
    "client_key",
    "toewijzing_nummer",
    "categorie",
    "productcode",
    "begindatum",
]
STOP_KEY = [*START_KEY, "reden_beeindiging", "einddatum"]
TOEWIJZING_KEY = ["gemeente", "toewijzing_nummer"]


@dataclass(frozen=True)
class FactFrames:
    """The stored facts, as read from the database (one frame per fact table)."""

    messages: (
        pl.DataFrame
    )  # sha256, message_type, berichtcode, afzender, identificatie, dagtekening
    toewijzingen: pl.DataFrame
    aanleveringen: pl.DataFrame
    prestaties: pl.DataFrame
    retours: (
        pl.DataFrame
    )  # original_afzender, original_berichtcode, original_identificatie, rejected
    prestatie_afwijzingen: pl.DataFrame  # aanbieder_agb, referentienummer


@dataclass(frozen=True)
class DerivedState:
    toewijzingen: pl.DataFrame  # current version per (gemeente, nummer), deletions removed
    deleted_toewijzingen: pl.DataFrame  # (gemeente, nummer) deleted by RedenWijziging 13/01
    starts: pl.DataFrame  # effective WMO305 aanleveringen, one row per logical key
    stops: pl.DataFrame  # effective WMO307 aanleveringen, one row per logical key
    deleted_aanleveringen: pl.DataFrame  # keys deleted by StatusAanlevering 3 (for K11c)
    prestaties: pl.DataFrame  # approved declaration lines, with signed amount
    rejected_messages: pl.DataFrame  # sha256 of messages rejected by a retour
    # Every distinct version of the current toewijzingen, oldest first (``version_seq`` 1, 2, …):
    # K3/K4 compare successive versions for Frequentie 6 and budgets (VERSION_COLUMNS).
    toewijzing_versions: pl.DataFrame = field(default_factory=pl.DataFrame)

    def frames(self) -> dict[str, pl.DataFrame]:
        return {
            "toewijzingen": self.toewijzingen,
            "deleted_toewijzingen": self.deleted_toewijzingen,
            "starts": self.starts,
            "stops": self.stops,
            "deleted_aanleveringen": self.deleted_aanleveringen,
            "prestaties": self.prestaties,
            "rejected_messages": self.rejected_messages,
            "toewijzing_versions": self.toewijzing_versions,
        }


def rejected_message_shas(messages: pl.DataFrame, retours: pl.DataFrame) -> pl.DataFrame:
    rejecting = retours.filter(pl.col("rejected")).select(
        pl.col("original_afzender").alias("afzender"),
        pl.col("original_berichtcode").alias("berichtcode"),
        pl.col("original_identificatie").alias("identificatie"),
    )
    return (
        messages.join(
            rejecting.unique(), on=["afzender", "berichtcode", "identificatie"], how="semi"
        )
        .select("sha256")
        .unique()
        .sort("sha256")
    )


def _without_rejected(frame: pl.DataFrame, rejected: pl.DataFrame) -> pl.DataFrame:
    return frame.join(rejected, left_on="message_sha", right_on="sha256", how="anti")


VERSION_COLUMNS = [
    *TOEWIJZING_KEY,
    "version_seq",
    "client_key",
    "aanbieder_agb",
    "categorie",
    "productcode",
    "toewijzingsdatum",
    "toewijzingstijd",
    "ingangsdatum",
    "einddatum",
    "reden_wijziging",
    "volume",
    "eenheid",
    "frequentie",
    "budget",
]


def _ranked_versions(toewijzingen: pl.DataFrame) -> pl.DataFrame:
    """Distinct versions per (gemeente, nummer), oldest first (Toewijzingsdatum + tijd)."""
    content = [c for c in toewijzingen.columns if c not in ("message_sha", "dagtekening")]
    versions = toewijzingen.group_by(content).agg(
        pl.col("dagtekening").min().alias("version_first_dagtekening")
    )
    order = ["toewijzingsdatum", "toewijzingstijd", *sorted(set(content) - set(TOEWIJZING_KEY))]
    return versions.sort([*TOEWIJZING_KEY, *order], nulls_last=False)


def _versions_of(ranked: pl.DataFrame, current: pl.DataFrame) -> pl.DataFrame:
    """Every version of the current toewijzingen, numbered 1, 2, … (``VERSION_COLUMNS``)."""
    return (
        ranked.join(current.select(TOEWIJZING_KEY), on=TOEWIJZING_KEY, how="semi")
        .with_columns(
            pl.int_range(1, pl.len() + 1, dtype=pl.Int64).over(TOEWIJZING_KEY).alias("version_seq")
        )
        .select(VERSION_COLUMNS)
    )


def current_toewijzingen(toewijzingen: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(current versions, deleted keys). Adds first_dagtekening and the first version's dates."""
    current, deleted, _ = _current_and_versions(toewijzingen)
    return current, deleted


def _current_and_versions(
    toewijzingen: pl.DataFrame,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(current versions, deleted keys, every version of the current ones)."""
    if toewijzingen.is_empty():
        empty = toewijzingen.drop("message_sha", strict=False)
        versions = empty.with_columns(pl.lit(None, pl.Int64).alias("version_seq"))
        return empty, toewijzingen.select(TOEWIJZING_KEY), versions.select(VERSION_COLUMNS)
    ranked = _ranked_versions(toewijzingen)
    first = ranked.group_by(TOEWIJZING_KEY, maintain_order=True).agg(
        pl.col("version_first_dagtekening").min().alias("first_dagtekening"),
        pl.col("ingangsdatum").first().alias("first_ingangsdatum"),
        pl.col("einddatum").first().alias("first_einddatum"),
        pl.col("toewijzingsdatum").first().alias("first_toewijzingsdatum"),
    )
    latest = ranked.group_by(TOEWIJZING_KEY, maintain_order=True).last()
    latest = latest.join(first, on=TOEWIJZING_KEY, how="left")
    is_deleted = pl.col("reden_wijziging").is_in(["13", "01"]) & (
        pl.col("einddatum") == pl.col("ingangsdatum")
    )
    deleted = latest.filter(is_deleted).select(TOEWIJZING_KEY).sort(TOEWIJZING_KEY)
    current = latest.filter(~is_deleted).drop("version_first_dagtekening").sort(TOEWIJZING_KEY)
    return current, deleted, _versions_of(ranked, current)


def effective_aanleveringen(
    aanleveringen: pl.DataFrame, kind: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(effective rows, deleted keys) for ``kind`` 'start' or 'stop'."""
    key = START_KEY if kind == "start" else STOP_KEY
    rows = aanleveringen.filter(pl.col("kind") == kind)
    deletes = rows.filter(pl.col("status_aanlevering") == "3").select(key).unique()
    adds = rows.filter(pl.col("status_aanlevering") == "1")
    grouped = adds.group_by(key).agg(
        pl.col("dagtekening").min().alias("first_dagtekening"),
        pl.col("toewijzing_ingangsdatum").max(),
    )
    effective = grouped.join(deletes, on=key, how="anti").sort(key)
    deleted = grouped.join(deletes, on=key, how="semi").sort(key)
    return effective, deleted


def approved_prestaties(prestaties: pl.DataFrame, afwijzingen: pl.DataFrame) -> pl.DataFrame:
    rejected = afwijzingen.select("aanbieder_agb", "referentienummer").unique()
    content = [c for c in prestaties.columns if c != "message_sha"]
    return (
        prestaties.join(rejected, on=["aanbieder_agb", "referentienummer"], how="anti")
        .select(content)
        .unique()
        .with_columns(
            pl.when(pl.col("debet_credit") == "C")
            .then(-pl.col("bedrag"))
            .otherwise(pl.col("bedrag"))
            .alias("netto_bedrag")
        )
        .sort(["aanbieder_agb", "referentienummer"])
    )


def derive_state(facts: FactFrames) -> DerivedState:
    rejected = rejected_message_shas(facts.messages, facts.retours)
    toewijzingen, deleted_tw, versions = _current_and_versions(
        _without_rejected(facts.toewijzingen, rejected)
    )
    aanleveringen = _without_rejected(facts.aanleveringen, rejected)
    starts, deleted_starts = effective_aanleveringen(aanleveringen, "start")
    stops, deleted_stops = effective_aanleveringen(aanleveringen, "stop")
    deleted_al = pl.concat(
        [
            deleted_starts.select(START_KEY).with_columns(pl.lit("start").alias("kind")),
            deleted_stops.select(START_KEY).with_columns(pl.lit("stop").alias("kind")),
        ]
    )
    prestaties = approved_prestaties(
        _without_rejected(facts.prestaties, rejected), facts.prestatie_afwijzingen
    )
    return DerivedState(
        toewijzingen=toewijzingen,
        deleted_toewijzingen=deleted_tw,
        starts=starts,
        stops=stops,
        deleted_aanleveringen=deleted_al,
        prestaties=prestaties,
        rejected_messages=rejected,
        toewijzing_versions=versions,
    )
