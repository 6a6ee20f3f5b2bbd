# SPDX-License-Identifier: EUPL-1.2
"""After the simulation: numbers, WMO301 snapshots (OP087), declarations and identifications.

- ToewijzingNummer: per gemeente, in order of the first Toewijzingsdatum/-tijd, from 100001.
  Numbers overlap between gemeenten on purpose: the key is (gemeente, ToewijzingNummer).
- Each WMO301 carries every toewijzing of the client at that provider that is current at its
  Dagtekening (Einddatum ≥ Dagtekening, not deleted) plus the ones changed by this decision;
  unchanged ones are re-sent with their current Toewijzingsdatum/-tijd and no RedenWijziging.
- BerichtIdentificatie: per sender and message type, in Dagtekening order: ``<type><7 digits>``.
- ReferentieNummer (WMO323): per AGB code in send order, ``<AGB><8 digits>``.
"""

from __future__ import annotations

from .declarations import build_declarations
from .model import Message, SnapshotItem, Toewijzing, Wmo301, Wmo323
from .simulation import SimulationResult


def number_toewijzingen(toewijzingen: list[Toewijzing]) -> None:
    ordered = sorted(toewijzingen, key=lambda tw: (tw.gemeente, tw.versions[0].key, tw.uid))
    next_number: dict[str, int] = {}
    for tw in ordered:
        tw.versions.sort(key=lambda v: v.key)
        number = next_number.get(tw.gemeente, 100001)
        tw.nummer = number
        next_number[tw.gemeente] = number + 1


def fill_snapshots(result: SimulationResult) -> None:
    by_client_agb: dict[tuple[int, str], list[Toewijzing]] = {}
    for tw in result.toewijzingen:
        by_client_agb.setdefault((tw.client, tw.agb), []).append(tw)
    for message in result.messages:
        if not isinstance(message, Wmo301):
            continue
        event_key = message.changes[0][1].key
        changed = {id(tw): version for tw, version in message.changes}
        items: list[SnapshotItem] = []
        for tw in by_client_agb[(message.changes[0][0].client, message.ontvanger)]:
            if id(tw) in changed:
                items.append(SnapshotItem(toewijzing=tw, version=changed[id(tw)], changed=True))
                continue
            current = None
            for version in tw.versions:
                if version.key <= event_key:
                    current = version
                else:
                    break
            if current is None or current.reden == "13":
                continue
            if current.einddatum >= message.dagtekening:
                items.append(SnapshotItem(toewijzing=tw, version=current, changed=False))
        items.sort(key=lambda item: item.toewijzing.nummer)
        message.items = items


def assign_identifications(messages: list[Message]) -> None:
    messages.sort(key=lambda m: (m.dagtekening, m.seq))
    counters: dict[tuple[str, str], int] = {}
    references: dict[str, int] = {}
    for message in messages:
        key = (message.afzender, message.code)
        counters[key] = counters.get(key, 0) + 1
        message.identificatie = f"{message.code}{counters[key]:07d}"
        if isinstance(message, Wmo323):
            for bsn in sorted(message.clients):
                lines = message.clients[bsn]
                lines.sort(
                    key=lambda p: (p.toewijzing.nummer, p.begindatum, p.debet)
                )  # credits first
                for line in lines:
                    references[message.afzender] = references.get(message.afzender, 0) + 1
                    line.referentie = f"{message.afzender}{references[message.afzender]:08d}"
            message.clients = dict(sorted(message.clients.items()))


def finalize(result: SimulationResult) -> None:
    number_toewijzingen(result.toewijzingen)
    fill_snapshots(result)
    result.messages.extend(build_declarations(result))
    assign_identifications(result.messages)
