# SPDX-License-Identifier: EUPL-1.2
"""iWmo 3.2 message parsing and validation: pure Python + lxml, no Django.

``parse_message(data, pseudonymizer=..., schemas=...)`` turns one message into a
:class:`ParsedMessage` (typed records, PII-blanked XML) or a :class:`RejectedMessage` (problems).
"""

from wmo_sla.ingest.iwmo.parser import DEFAULT_MAX_BYTES, NAMESPACES, parse_message
from wmo_sla.ingest.iwmo.pseudonym import Pseudonymizer, bsn_is_valid, mask_bsn
from wmo_sla.ingest.iwmo.records import (
    BERICHTCODES,
    Antwoord,
    ClientInfo,
    Declaratie,
    DeclaratieAntwoord,
    Header,
    MessageType,
    ParsedMessage,
    Prestatie,
    Problem,
    RejectedMessage,
    Retour,
    StartProduct,
    StopProduct,
    Toewijzing,
    Verzoek,
)
from wmo_sla.ingest.iwmo.xsd import SchemaError, SchemaSet

__all__ = [
    "BERICHTCODES",
    "DEFAULT_MAX_BYTES",
    "NAMESPACES",
    "Antwoord",
    "ClientInfo",
    "Declaratie",
    "DeclaratieAntwoord",
    "Header",
    "MessageType",
    "ParsedMessage",
    "Prestatie",
    "Problem",
    "Pseudonymizer",
    "RejectedMessage",
    "Retour",
    "SchemaError",
    "SchemaSet",
    "StartProduct",
    "StopProduct",
    "Toewijzing",
    "Verzoek",
    "bsn_is_valid",
    "mask_bsn",
    "parse_message",
]
