# SPDX-License-Identifier: EUPL-1.2
"""Who a message is between, and the identity it is stored under. Shared by the ingest writer and
the database-free fact frames (``wmo_sla.engine.frames``), so both store messages the same way."""

from __future__ import annotations

from .records import MessageType, ParsedMessage

#: Message types the gemeente sends: Afzender is the gemeente, Ontvanger the aanbieder.
FROM_GEMEENTE: frozenset[MessageType] = frozenset(
    {
        MessageType.WMO301,
        MessageType.WMO302,
        MessageType.WMO306,
        MessageType.WMO308,
        MessageType.WMO319,
        MessageType.WMO325,
    }
)


def message_parties(message: ParsedMessage) -> tuple[str, str]:
    """(gemeente, aanbieder AGB code) of a message, whatever its direction."""
    header = message.header
    if header.message_type in FROM_GEMEENTE:
        return header.afzender, header.ontvanger
    return header.ontvanger, header.afzender


def storage_identity(message: ParsedMessage) -> tuple[str, str, str]:
    """(afzender, BerichtCode, identificatie) a message is stored under; unique per sender and
    BerichtCode (TR056). A retour copies the original header, so it is keyed by its own
    identification (IdentificatieRetour)."""
    h = message.header
    if h.original_berichtcode:
        return (h.afzender, h.berichtcode, h.identificatie_retour or h.identificatie)
    return (h.afzender, h.berichtcode, h.identificatie)
