# SPDX-License-Identifier: EUPL-1.2
"""Parsed iWmo messages → :class:`~wmo_sla.engine.state.FactFrames`, without a database.

This mirrors what the ingest writer stores (``ingest/writer.py::_add_facts``) and what
``ingest/selectors.py::fact_frames()`` reads back: the same columns, the same dtypes and the same
conventions (an absent code is stored as ``""``, an absent date as null). It is pure: no Django,
no I/O. Tests and benchmarks use it to run the engine on XML files directly.

Duplicates behave as in the database: a message with the same (afzender, berichtcode,
identificatie) as an earlier one is skipped (first one wins), as the writer does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from typing import Any

import polars as pl

from wmo_sla.engine.state import FactFrames
from wmo_sla.ingest.iwmo import ParsedMessage
from wmo_sla.ingest.iwmo.identity import message_parties, storage_identity

__all__ = ["FACT_SCHEMAS", "fact_frames_from_messages"]

_S, _I, _D, _T, _B = pl.Utf8, pl.Int64, pl.Date, pl.Time, pl.Boolean

#: Column names and dtypes per fact frame, as in ``ingest/selectors.py::fact_frames()``.
FACT_SCHEMAS: dict[str, dict[str, Any]] = {
    "messages": {
        "sha256": _S,
        "message_type": _S,
        "berichtcode": _S,
        "afzender": _S,
        "ontvanger": _S,
        "identificatie": _S,
        "dagtekening": _D,
    },
    "toewijzingen": {
        "message_sha": _S,
        "gemeente": _S,
        "aanbieder_agb": _S,
        "client_key": _S,
        "toewijzing_nummer": _I,
        "categorie": _S,
        "productcode": _S,
        "toewijzingsdatum": _D,
        "toewijzingstijd": _T,
        "ingangsdatum": _D,
        "einddatum": _D,
        "reden_wijziging": _S,
        "volume": _I,
        "eenheid": _S,
        "frequentie": _S,
        "budget": _I,
        "referentie_aanbieder": _S,
        "dagtekening": _D,
    },
    "aanleveringen": {
        "message_sha": _S,
        "kind": _S,
        "aanbieder_agb": _S,
        "gemeente": _S,
        "client_key": _S,
        "toewijzing_nummer": _I,
        "categorie": _S,
        "productcode": _S,
        "toewijzing_ingangsdatum": _D,
        "begindatum": _D,
        "einddatum": _D,
        "reden_beeindiging": _S,
        "status_aanlevering": _S,
        "dagtekening": _D,
    },
    "prestaties": {
        "message_sha": _S,
        "aanbieder_agb": _S,
        "gemeente": _S,
        "declaratienummer": _S,
        "client_key": _S,
        "referentienummer": _S,
        "vorig_referentienummer": _S,
        "toewijzing_nummer": _I,
        "categorie": _S,
        "productcode": _S,
        "periode_begin": _D,
        "periode_eind": _D,
        "geleverd_volume": _I,
        "eenheid": _S,
        "tarief": _I,
        "bedrag": _I,
        "debet_credit": _S,
        "dagtekening": _D,
    },
    "retours": {
        "message_sha": _S,
        "original_afzender": _S,
        "original_berichtcode": _S,
        "original_identificatie": _S,
        "rejected": _B,
    },
    "prestatie_afwijzingen": {
        "message_sha": _S,
        "aanbieder_agb": _S,
        "declaratienummer": _S,
        "referentienummer": _S,
    },
}

Row = tuple[str | int | date | time | bool | None, ...]


def _s(value: str | None) -> str:
    return "" if value is None else value


def _add(rows: dict[str, list[Row]], m: ParsedMessage) -> None:
    sha, h = m.sha256, m.header
    gemeente, agb = message_parties(m)
    identity = storage_identity(m)
    rows["messages"].append(
        (sha, str(h.message_type), identity[1], h.afzender, h.ontvanger, identity[2], h.dagtekening)
    )
    dag = h.dagtekening
    for t in m.toewijzingen:
        rows["toewijzingen"].append(
            (
                sha,
                gemeente,
                agb,
                t.client_key,
                t.toewijzing_nummer,
                _s(t.categorie),
                _s(t.productcode),
                t.toewijzingsdatum,
                t.toewijzingstijd,
                t.ingangsdatum,
                t.einddatum,
                _s(t.reden_wijziging),
                t.volume,
                _s(t.eenheid),
                _s(t.frequentie),
                t.budget,
                _s(t.referentie_aanbieder),
                dag,
            )
        )
    for s in m.starts:
        rows["aanleveringen"].append(
            (
                sha,
                "start",
                agb,
                gemeente,
                s.client_key,
                s.toewijzing_nummer,
                _s(s.categorie),
                _s(s.productcode),
                s.toewijzing_ingangsdatum,
                s.begindatum,
                None,
                "",
                s.status_aanlevering,
                dag,
            )
        )
    for p in m.stops:
        rows["aanleveringen"].append(
            (
                sha,
                "stop",
                agb,
                gemeente,
                p.client_key,
                p.toewijzing_nummer,
                _s(p.categorie),
                _s(p.productcode),
                p.toewijzing_ingangsdatum,
                p.begindatum,
                p.einddatum,
                p.reden_beeindiging,
                p.status_aanlevering,
                dag,
            )
        )
    if m.declaratie is not None:
        d = m.declaratie
        for pr in d.prestaties:
            rows["prestaties"].append(
                (
                    sha,
                    agb,
                    gemeente,
                    d.declaratienummer,
                    pr.client_key,
                    pr.referentienummer,
                    _s(pr.vorig_referentienummer),
                    pr.toewijzing_nummer,
                    pr.categorie,
                    pr.productcode,
                    pr.periode_begin,
                    pr.periode_eind,
                    pr.geleverd_volume,
                    pr.eenheid,
                    pr.tarief,
                    pr.bedrag,
                    pr.debet_credit,
                    dag,
                )
            )
    if m.retour is not None:
        rows["retours"].append(
            (sha, h.afzender, _s(h.original_berichtcode), h.identificatie, m.retour.rejected)
        )
    if m.declaratie_antwoord is not None:
        da = m.declaratie_antwoord
        for ref in da.rejected_referentienummers:
            rows["prestatie_afwijzingen"].append((sha, h.afzender, da.declaratienummer, ref))


def fact_frames_from_messages(messages: Iterable[ParsedMessage]) -> FactFrames:
    """The fact frames of ``messages`` (parsed messages only; rejected ones are not facts)."""
    rows: dict[str, list[Row]] = {name: [] for name in FACT_SCHEMAS}
    seen: set[tuple[str, str, str]] = set()
    for m in messages:
        identity = storage_identity(m)
        if identity in seen:
            continue
        seen.add(identity)
        _add(rows, m)
    frames = {
        name: pl.DataFrame(rows[name], schema=schema, orient="row")
        for name, schema in FACT_SCHEMAS.items()
    }
    return FactFrames(**frames)
