# SPDX-License-Identifier: EUPL-1.2
"""stored_xml keeps what the KPIs need and nothing that identifies a person."""

from __future__ import annotations

import pytest
from lxml import etree

from tests.ingest.iwmo._support import (
    REFERENCE,
    fixture_bytes,
    needs_reference,
    parse_ok,
    parse_rejected,
)
from wmo_sla.ingest.iwmo import Pseudonymizer

IWMO = "{http://www.istandaarden.nl/iwmo/3_2/basisschema/schema}"
WMO301 = "{http://www.istandaarden.nl/iwmo/3_2/wmo301/schema}"

PERSONAL_301 = [
    b"999900031",  # BSN
    b"1948-03-15",  # full birth date
    b"03-15",
    b"Vliegenthart",
    b"Geertruida",
    b"Zonneveld",
    b"Wilhelmina",
    b"Klaverweg",
    b"Lindelaan",
    b"3011AB",
    b"3012CD",
    b"Rotterdam",
    b"0612345678",
    b"0101234567",
    b"example.org",
    b"@",
    b"Fries",
    b"1975",  # the relation's birth year
    b"Naam",
    b"Commentaar",
    b"Contactgegevens",
    b"Relatie",
    b"Communicatie",
    b"WettelijkeVertegenwoordiging",
    b"DatumGebruik",
    b"Telefoon",
    b"Adres",
    b"Emailadres",
]


@pytest.mark.parametrize("needle", PERSONAL_301, ids=lambda b: b.decode())
def test_301_stored_xml_has_no_personal_data(needle: bytes, pseudonymizer: Pseudonymizer) -> None:
    data = fixture_bytes("wmo301_toewijzing.xml")
    assert needle in data  # the fixture really contains it
    assert needle not in parse_ok(data, pseudonymizer).stored_xml


def test_301_stored_xml_keeps_what_is_needed(pseudonymizer: Pseudonymizer) -> None:
    parsed = parse_ok(fixture_bytes("wmo301_toewijzing.xml"), pseudonymizer)
    assert parsed.stored_xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = etree.fromstring(parsed.stored_xml)
    client = root.find(f"{WMO301}Client")
    assert client is not None
    assert client.findtext(f"{WMO301}Bsn") == pseudonymizer.client_key("999900031")
    assert client.findtext(f"{WMO301}Geboortedatum/{IWMO}Datum") == "1948"
    assert client.findtext(f"{WMO301}Geslacht") == "2"
    numbers = [e.text for e in root.iter(f"{WMO301}ToewijzingNummer")]
    assert numbers == ["1001", "1002", "1003"]
    assert root.findtext(f"{WMO301}Header/{WMO301}Afzender") == "0599"


@needs_reference
def test_example_301_relations_and_contacts_are_gone(pseudonymizer: Pseudonymizer) -> None:
    data = (REFERENCE / "examples" / "WMO301.xml").read_bytes()
    stored = parse_ok(data, pseudonymizer).stored_xml
    for needle in (b"Jansen", b"Mentor", b"Straatweg", b"a@b.com", b"0101234567", b"Deens", b"Wit"):
        assert needle in data
        assert needle not in stored
    assert b"<iwmo:Datum>1967</iwmo:Datum>" in stored


def test_315_verwijzer_name_and_comments_are_gone(pseudonymizer: Pseudonymizer) -> None:
    data = fixture_bytes("wmo315_vot.xml")
    stored = parse_ok(data, pseudonymizer).stored_xml
    assert b"Pieterse" not in stored and b"Wilhelmina" not in stored
    assert b"<iwmo:ZorgverlenerCode>01234567</iwmo:ZorgverlenerCode>" in stored


def test_323_bsns_are_replaced_by_their_keys(pseudonymizer: Pseudonymizer) -> None:
    stored = parse_ok(fixture_bytes("wmo323_declaratie.xml"), pseudonymizer).stored_xml
    for bsn in ("999900031", "999900043"):
        assert bsn.encode() not in stored
        assert pseudonymizer.client_key(bsn).encode() in stored


def test_personal_data_in_unexpected_places_is_removed_too(pseudonymizer: Pseudonymizer) -> None:
    # Without XSD validation a sender could put a name or comment anywhere; blanking goes by
    # element name, not by position. XML comments are dropped by the parser.
    data = fixture_bytes("wmo305_start.xml").replace(
        b"<wmo305:StatusAanlevering>1</wmo305:StatusAanlevering>",
        b"<wmo305:StatusAanlevering>1</wmo305:StatusAanlevering>"
        b"<wmo305:Commentaar>Bel Piet Puk</wmo305:Commentaar>"
        b"<!-- client Piet Puk, bsn 999900031 -->"
        b"<wmo305:Adres>Dorpsstraat 1</wmo305:Adres>",
    )
    parsed = parse_ok(data, pseudonymizer)
    assert b"Puk" not in parsed.stored_xml
    assert b"Dorpsstraat" not in parsed.stored_xml
    assert b"999900031" not in parsed.stored_xml


def test_rejected_messages_are_blanked_as_well(pseudonymizer: Pseudonymizer) -> None:
    data = fixture_bytes("wmo305_start.xml").replace(
        b"<wmo305:StatusAanlevering>3<", b"<wmo305:StatusAanlevering>2<"
    )
    rejected = parse_rejected(data, pseudonymizer)
    assert rejected.stored_xml is not None
    assert b"999900031" not in rejected.stored_xml
    assert b"Vliegenthart" not in rejected.stored_xml
    assert b"<iwmo:Datum>1948</iwmo:Datum>" in rejected.stored_xml


def test_unparseable_messages_are_not_stored(pseudonymizer: Pseudonymizer) -> None:
    data = fixture_bytes("wmo305_start.xml").replace(b"</wmo305:Client>", b"</wmo305:Klant>")
    rejected = parse_rejected(data, pseudonymizer)
    assert rejected.stored_xml is None


def test_nothing_survives_inside_a_bsn_or_geboortedatum(pseudonymizer: Pseudonymizer) -> None:
    data = (
        fixture_bytes("wmo305_start.xml")
        .replace(
            b"<wmo305:Bsn>999900031</wmo305:Bsn>",
            b"<wmo305:Bsn>999900031<wmo305:X>Piet Puk</wmo305:X></wmo305:Bsn>",
        )
        .replace(
            b"<iwmo:Datum>1948-03-15</iwmo:Datum>",
            b"<iwmo:Datum>1948-03-15</iwmo:Datum><iwmo:X>Puk</iwmo:X>",
        )
    )
    parsed = parse_ok(data, pseudonymizer)
    assert b"Puk" not in parsed.stored_xml
    assert b"<iwmo:Datum>1948</iwmo:Datum></wmo305:Geboortedatum>" in parsed.stored_xml
