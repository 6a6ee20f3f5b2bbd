# SPDX-License-Identifier: EUPL-1.2
"""The records extracted from our own, internally coherent fixtures: the values a user checks."""

from __future__ import annotations

from datetime import date, time

import pytest

from tests.ingest.iwmo._support import fixture_bytes, parse_ok
from wmo_sla.ingest.iwmo import (
    Antwoord,
    ClientInfo,
    Header,
    MessageType,
    Pseudonymizer,
    SchemaSet,
    StartProduct,
    StopProduct,
    Toewijzing,
    Verzoek,
)

FIXTURES = [
    "wmo301_toewijzing.xml",
    "wmo302_retour_goedgekeurd.xml",
    "wmo305_start.xml",
    "wmo306_retour_goedgekeurd.xml",
    "wmo306_retour_afgekeurd.xml",
    "wmo307_stop.xml",
    "wmo315_vot.xml",
    "wmo317_vow.xml",
    "wmo319_antwoord.xml",
    "wmo323_declaratie.xml",
    "wmo325_declaratieantwoord.xml",
]


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_is_valid_and_clean(
    name: str, pseudonymizer: Pseudonymizer, schemas: SchemaSet
) -> None:
    data = fixture_bytes(name)
    parsed = parse_ok(data, pseudonymizer, schemas=schemas)
    assert parsed.warnings == ()
    assert parsed.header.message_type.number == name[3:6]


def test_header_of_a_301(pseudonymizer: Pseudonymizer) -> None:
    parsed = parse_ok(fixture_bytes("wmo301_toewijzing.xml"), pseudonymizer)
    assert parsed.header == Header(
        message_type=MessageType.WMO301,
        berichtcode="414",
        versie=3,
        subversie=2,
        afzender="0599",
        ontvanger="12345678",
        identificatie="T301-0001",
        dagtekening=date(2024, 12, 20),
    )
    assert parsed.message_type is MessageType.WMO301


def test_toewijzingen(pseudonymizer: Pseudonymizer) -> None:
    parsed = parse_ok(fixture_bytes("wmo301_toewijzing.xml"), pseudonymizer)
    key = pseudonymizer.client_key("999900031")
    assert parsed.clients == (ClientInfo(client_key=key, birth_year=1948, gender="2"),)
    specifiek, aspecifiek, generiek = parsed.toewijzingen
    assert specifiek == Toewijzing(
        client_key=key,
        toewijzing_nummer=1001,
        categorie="02",
        productcode="02A01",
        toewijzingsdatum=date(2024, 12, 20),
        toewijzingstijd=time(14, 5),
        ingangsdatum=date(2025, 1, 6),
        einddatum=date(2025, 6, 30),
        reden_wijziging=None,
        volume=3,
        eenheid="04",
        frequentie="2",
        budget=None,
        referentie_aanbieder="VOT-2024-0042",
    )
    # Aspecifiek: only a category, open-ended, extended (RedenWijziging 04).
    assert (aspecifiek.toewijzing_nummer, aspecifiek.categorie, aspecifiek.productcode) == (
        1002,
        "01",
        None,
    )
    assert (aspecifiek.einddatum, aspecifiek.reden_wijziging) == (None, "04")
    assert aspecifiek.volume is aspecifiek.eenheid is aspecifiek.frequentie is None
    assert aspecifiek.toewijzingstijd == time(14, 5, 30)
    # Generiek: no product, a budget in eurocent.
    assert (generiek.categorie, generiek.productcode, generiek.budget) == (None, None, 150000)
    assert (generiek.reden_wijziging, generiek.einddatum) == ("05", date(2025, 12, 31))


def test_starts(pseudonymizer: Pseudonymizer) -> None:
    parsed = parse_ok(fixture_bytes("wmo305_start.xml"), pseudonymizer)
    key = pseudonymizer.client_key("999900031")
    assert parsed.header.afzender == "12345678" and parsed.header.ontvanger == "0599"
    assert parsed.starts == (
        StartProduct(key, 1001, "02", "02A01", date(2025, 1, 6), date(2025, 1, 8), "1"),
        StartProduct(key, 1002, "01", None, date(2025, 1, 6), date(2025, 1, 7), "3"),
    )


def test_stops(pseudonymizer: Pseudonymizer) -> None:
    parsed = parse_ok(fixture_bytes("wmo307_stop.xml"), pseudonymizer)
    (stop,) = parsed.stops
    assert stop == StopProduct(
        client_key=pseudonymizer.client_key("999900031"),
        toewijzing_nummer=1001,
        categorie="02",
        productcode="02A01",
        toewijzing_ingangsdatum=date(2025, 1, 6),
        begindatum=date(2025, 1, 8),
        reden_beeindiging="20",
        einddatum=date(2025, 3, 14),
        status_aanlevering="1",
    )


def test_declaratie(pseudonymizer: Pseudonymizer) -> None:
    parsed = parse_ok(fixture_bytes("wmo323_declaratie.xml"), pseudonymizer)
    declaratie = parsed.declaratie
    assert declaratie is not None
    assert declaratie.declaratienummer == "DEC202502"
    assert (declaratie.periode_begin, declaratie.periode_eind) == (
        date(2025, 2, 1),
        date(2025, 2, 28),
    )
    assert declaratie.dagtekening == date(2025, 3, 5)
    assert (declaratie.totaal_bedrag, declaratie.debet_credit) == (42500, "D")
    first, credit, other = declaratie.prestaties
    assert first.client_key == credit.client_key == pseudonymizer.client_key("999900031")
    assert other.client_key == pseudonymizer.client_key("999900043")
    assert (first.referentienummer, first.vorig_referentienummer) == ("P2025-0201", None)
    assert (first.toewijzing_nummer, first.categorie, first.productcode) == (1001, "02", "02A01")
    assert (first.geleverd_volume, first.eenheid, first.tarief) == (12, "04", 3000)
    assert (first.bedrag, first.debet_credit) == (36000, "D")
    assert (credit.referentienummer, credit.vorig_referentienummer) == ("P2025-0202", "P2025-0101")
    assert (credit.periode_begin, credit.periode_eind) == (date(2025, 2, 3), date(2025, 2, 14))
    assert (credit.bedrag, credit.debet_credit) == (6000, "C")
    # Eenheid 83 (euro's): no tarief, the volume is in eurocent.
    assert (other.eenheid, other.tarief, other.geleverd_volume) == ("83", None, 12500)
    assert [c.client_key for c in parsed.clients] == [first.client_key, other.client_key]
    assert all(c.birth_year is None and c.gender is None for c in parsed.clients)


def test_verzoek_om_toewijzing(pseudonymizer: Pseudonymizer) -> None:
    parsed = parse_ok(fixture_bytes("wmo315_vot.xml"), pseudonymizer)
    assert parsed.verzoeken == (
        Verzoek(
            client_key=pseudonymizer.client_key("999900031"),
            kind="VOT",
            referentie_aanbieder="VOT-2024-0042",
            categorie="02",
            productcode="02A01",
            ingangsdatum=date(2025, 1, 6),
            einddatum=date(2025, 6, 30),
            volume=3,
            eenheid="04",
            frequentie="2",
            reden_verzoek=None,
        ),
    )


def test_verzoek_om_wijziging(pseudonymizer: Pseudonymizer) -> None:
    parsed = parse_ok(fixture_bytes("wmo317_vow.xml"), pseudonymizer)
    wijziging, nieuw = parsed.verzoeken
    assert (wijziging.kind, wijziging.referentie_aanbieder, wijziging.reden_verzoek) == (
        "VOW",
        "VOW-2025-0007",
        "2",
    )
    assert wijziging.toewijzing_nummer == 1001
    assert (wijziging.categorie, wijziging.productcode) == (None, None)
    assert (wijziging.ingangsdatum, wijziging.einddatum) == (date(2025, 7, 1), date(2025, 12, 31))
    assert (wijziging.volume, wijziging.eenheid, wijziging.frequentie) == (4, "04", "2")
    assert nieuw.toewijzing_nummer is None
    assert (nieuw.categorie, nieuw.productcode, nieuw.einddatum) == ("07", "07A02", None)
    assert (nieuw.volume, nieuw.eenheid) == (2, "16")
    assert parsed.ongewijzigde_toewijzingen == (1003,)


def test_antwoord(pseudonymizer: Pseudonymizer) -> None:
    parsed = parse_ok(fixture_bytes("wmo319_antwoord.xml"), pseudonymizer)
    assert parsed.antwoord == Antwoord("VOW-2025-0007", "1", "4")
    assert parsed.clients == ()
    assert (parsed.header.afzender, parsed.header.ontvanger) == ("0599", "12345678")


def test_sha256_is_of_the_original_bytes(pseudonymizer: Pseudonymizer) -> None:
    import hashlib

    data = fixture_bytes("wmo305_start.xml")
    parsed = parse_ok(data, pseudonymizer)
    assert parsed.sha256 == hashlib.sha256(data).hexdigest()
    assert parsed.stored_xml != data


def test_records_are_frozen(pseudonymizer: Pseudonymizer) -> None:
    parsed = parse_ok(fixture_bytes("wmo305_start.xml"), pseudonymizer)
    with pytest.raises(AttributeError):
        parsed.starts[0].begindatum = date(2000, 1, 1)  # type: ignore[misc]


def test_leading_zeros_and_whitespace_are_normalised(pseudonymizer: Pseudonymizer) -> None:
    data = fixture_bytes("wmo305_start.xml").replace(
        b"<wmo305:ToewijzingNummer>1001<", b"<wmo305:ToewijzingNummer>  0001001 <"
    )
    parsed = parse_ok(data, pseudonymizer)
    assert parsed.starts[0].toewijzing_nummer == 1001


@pytest.mark.parametrize("name", ["wmo301_toewijzing.xml", "wmo325_declaratieantwoord.xml"])
def test_results_survive_pickling(name: str, pseudonymizer: Pseudonymizer) -> None:
    # Worker processes send results back to the writer.
    import pickle

    parsed = parse_ok(fixture_bytes(name), pseudonymizer)
    assert pickle.loads(pickle.dumps(parsed)) == parsed  # noqa: S301 - our own data
