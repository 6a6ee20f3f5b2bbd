# SPDX-License-Identifier: EUPL-1.2
"""Retours (302/306/308) and the declaratie-antwoord (325): identification and rejection."""

from __future__ import annotations

from datetime import date

from tests.ingest.iwmo._support import fixture_bytes, parse_ok
from wmo_sla.ingest.iwmo import MessageType, Pseudonymizer, Retour


def test_306_without_retourcodes_is_an_approval(pseudonymizer: Pseudonymizer) -> None:
    parsed = parse_ok(fixture_bytes("wmo306_retour_goedgekeurd.xml"), pseudonymizer)
    header = parsed.header
    assert header.message_type is MessageType.WMO306
    assert (header.berichtcode, header.original_berichtcode) == ("419", "418")
    # The header is a copy of the 305's: identificatie and parties are those of the original.
    assert (header.identificatie, header.dagtekening) == ("T305-0001", date(2025, 1, 10))
    assert (header.afzender, header.ontvanger) == ("12345678", "0599")
    assert (header.identificatie_retour, header.dagtekening_retour) == (
        "R306-0001",
        date(2025, 1, 13),
    )
    assert parsed.retour == Retour(rejected=False, codes=())
    assert parsed.clients == () and parsed.starts == ()


def test_306_with_a_rejecting_retourcode(pseudonymizer: Pseudonymizer) -> None:
    parsed = parse_ok(fixture_bytes("wmo306_retour_afgekeurd.xml"), pseudonymizer)
    assert parsed.retour == Retour(rejected=True, codes=("0200", "0233", "9063"))
    # The echoed client is pseudonymised like everywhere else; the echoed starts are not new starts.
    assert [c.client_key for c in parsed.clients] == [pseudonymizer.client_key("999900031")]
    assert parsed.starts == ()
    assert b"999900031" not in parsed.stored_xml
    assert b"Vliegenthart" not in parsed.stored_xml


def test_306_with_only_harmless_codes_is_not_rejected(pseudonymizer: Pseudonymizer) -> None:
    data = fixture_bytes("wmo306_retour_afgekeurd.xml").replace(b">9063<", b">0200<")
    parsed = parse_ok(data, pseudonymizer)
    assert parsed.retour == Retour(rejected=False, codes=("0200", "0233"))


def test_302_keeps_the_gemeente_as_afzender(pseudonymizer: Pseudonymizer) -> None:
    parsed = parse_ok(fixture_bytes("wmo302_retour_goedgekeurd.xml"), pseudonymizer)
    assert (parsed.header.afzender, parsed.header.ontvanger) == ("0599", "12345678")
    assert (parsed.header.original_berichtcode, parsed.header.identificatie) == ("414", "T301-0001")
    assert parsed.retour == Retour(rejected=False, codes=())


def test_325_with_a_rejected_prestatie(pseudonymizer: Pseudonymizer) -> None:
    parsed = parse_ok(fixture_bytes("wmo325_declaratieantwoord.xml"), pseudonymizer)
    header = parsed.header
    assert (header.berichtcode, header.original_berichtcode) == ("485", "484")
    # Same convention as the retours: identificatie is the 323's, the 325's own id is *_retour.
    assert (header.identificatie, header.dagtekening) == ("T323-0002", date(2025, 3, 5))
    assert (header.identificatie_retour, header.dagtekening_retour) == (
        "T325-0001",
        date(2025, 3, 12),
    )
    antwoord = parsed.declaratie_antwoord
    assert antwoord is not None
    assert antwoord.declaratienummer == "DEC202502"
    assert antwoord.rejected_referentienummers == ("P2025-0203",)
    assert antwoord.codes == ("0200", "8187")
    assert (antwoord.totaal_toegekend, antwoord.totaal_toegekend_debet_credit) == (30000, "D")
    assert (antwoord.totaal_ingediend, antwoord.totaal_ingediend_debet_credit) == (42500, "D")
    assert antwoord.rejected is False  # the declaration as a whole was processed
    assert [c.client_key for c in parsed.clients] == [pseudonymizer.client_key("999900043")]


def test_325_fully_granted_lists_no_prestaties(pseudonymizer: Pseudonymizer) -> None:
    data = fixture_bytes("wmo325_declaratieantwoord.xml")
    start = data.index(b"<wmo325:Clienten>")
    end = data.index(b"</wmo325:Clienten>") + len(b"</wmo325:Clienten>")
    data = data[:start] + data[end:]
    data = data.replace(b"<iwmo:TotaalBedrag>30000<", b"<iwmo:TotaalBedrag>42500<")
    parsed = parse_ok(data, pseudonymizer)
    antwoord = parsed.declaratie_antwoord
    assert antwoord is not None
    assert antwoord.rejected_referentienummers == ()
    assert antwoord.totaal_toegekend == 42500
    assert parsed.clients == ()


def test_325_refused_as_a_whole(pseudonymizer: Pseudonymizer) -> None:
    data = fixture_bytes("wmo325_declaratieantwoord.xml")
    start = data.index(b"<wmo325:DeclaratieAntwoord>")
    end = data.index(b"</wmo325:DeclaratieAntwoord>") + len(b"</wmo325:DeclaratieAntwoord>")
    data = data[:start] + data[end:]
    data = data.replace(b"<wmo325:RetourCode>0200<", b"<wmo325:RetourCode>0001<", 1)
    parsed = parse_ok(data, pseudonymizer)
    antwoord = parsed.declaratie_antwoord
    assert antwoord is not None
    assert antwoord.rejected is True
    assert (antwoord.declaratienummer, antwoord.totaal_toegekend) == ("", None)
    assert antwoord.codes == ("0001",)
