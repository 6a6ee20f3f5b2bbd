# SPDX-License-Identifier: EUPL-1.2
"""Messages that are refused as a whole: each case checks rule, path and the Dutch message."""

from __future__ import annotations

import time
from datetime import date

import pytest
from lxml import etree

from tests.ingest.iwmo._support import fixture_bytes, only_problem, parse_ok, parse_rejected
from wmo_sla.ingest.iwmo import Pseudonymizer, SchemaSet
from wmo_sla.ingest.iwmo._tree import hardened_parser

START = "wmo305_start.xml"
STOP = "wmo307_stop.xml"
TOEWIJZING = "wmo301_toewijzing.xml"
DECLARATIE = "wmo323_declaratie.xml"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE bericht [<!ENTITY geheim SYSTEM "file:///etc/passwd">]>
<wmo305:Bericht xmlns:wmo305="http://www.istandaarden.nl/iwmo/3_2/wmo305/schema">&geheim;</wmo305:Bericht>
"""


def _replace(name: str, old: bytes, new: bytes) -> bytes:
    data = fixture_bytes(name)
    assert old in data, old
    return data.replace(old, new, 1)


# --- XML level -------------------------------------------------------------------------------


def test_not_well_formed_xml_reports_the_line(pseudonymizer: Pseudonymizer) -> None:
    data = _replace(START, b"</wmo305:Geslacht>", b"</wmo305:Geslachtt>")
    line = data[: data.index(b"</wmo305:Geslachtt>")].count(b"\n") + 1
    rejected = parse_rejected(data, pseudonymizer)
    problem = only_problem(rejected, "XML")
    assert problem.path == "/"
    assert "geen goedgevormde XML" in problem.message
    assert f"regel {line}" in problem.message
    assert "Geslacht" in problem.message
    assert rejected.header is None and rejected.stored_xml is None
    assert b"999900031".decode() not in problem.message


def test_empty_input(pseudonymizer: Pseudonymizer) -> None:
    problem = only_problem(parse_rejected(b"  \n", pseudonymizer), "XML")
    assert "leeg" in problem.message


def test_billion_laughs_is_refused_quickly_without_expansion(pseudonymizer: Pseudonymizer) -> None:
    started = time.perf_counter()
    rejected = parse_rejected(BILLION_LAUGHS, pseudonymizer)
    assert time.perf_counter() - started < 0.5
    problem = only_problem(rejected, "XML-DOCTYPE")
    assert problem.path == "/"
    assert "DOCTYPE" in problem.message and "geweigerd" in problem.message
    assert rejected.stored_xml is None


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_doctype_in_a_wide_encoding_is_refused_too(
    encoding: str, pseudonymizer: Pseudonymizer
) -> None:
    text = BILLION_LAUGHS.decode().replace('<?xml version="1.0"?>', "")
    data = text.encode(encoding)
    started = time.perf_counter()
    rejected = parse_rejected(data, pseudonymizer)
    assert time.perf_counter() - started < 0.5
    only_problem(rejected, "XML-DOCTYPE")


def test_external_entity_is_not_resolved(pseudonymizer: Pseudonymizer) -> None:
    rejected = parse_rejected(XXE, pseudonymizer)
    problem = only_problem(rejected, "XML-DOCTYPE")
    assert "root:" not in problem.message
    # And the parser itself, should a DOCTYPE ever get past the byte check, leaves it unresolved.
    root = etree.fromstring(XXE, hardened_parser())
    assert b"root:" not in etree.tostring(root)
    assert (root.text or "") == ""


def test_too_large_is_refused_before_parsing(pseudonymizer: Pseudonymizer) -> None:
    data = fixture_bytes(START)
    rejected = parse_rejected(data, pseudonymizer, max_bytes=1000)
    problem = only_problem(rejected, "XML-SIZE")
    assert str(len(data)) in problem.message and "1000" in problem.message
    assert rejected.size == len(data) and rejected.stored_xml is None
    # The default limit is the 25 MB of OP179.
    assert parse_ok(data, pseudonymizer).size == len(data)


@pytest.mark.parametrize("depth", [70, 300])
def test_too_deep_is_refused(depth: int, pseudonymizer: Pseudonymizer) -> None:
    nested = b"<wmo305:X>" * depth + b"</wmo305:X>" * depth
    data = _replace(START, b"</wmo305:Client>", nested + b"</wmo305:Client>")
    problem = only_problem(parse_rejected(data, pseudonymizer), "XML-DIEPTE")
    assert "genest" in problem.message


def test_depth_just_within_the_limit_is_fine(pseudonymizer: Pseudonymizer) -> None:
    # Bericht/Client + 62 = 64 levels: unknown elements, but not too deep (no XSD given).
    nested = b"<wmo305:X>" * 62 + b"</wmo305:X>" * 62
    parse_ok(_replace(START, b"</wmo305:Client>", nested + b"</wmo305:Client>"), pseudonymizer)


# --- identification --------------------------------------------------------------------------


def test_iwmo_2_message(pseudonymizer: Pseudonymizer) -> None:
    rejected = parse_rejected(fixture_bytes("iwmo20_wmo305.xml"), pseudonymizer)
    problem = only_problem(rejected, "STANDARD")
    assert problem.path == "/Bericht"
    assert "iWmo 2.x-bericht" in problem.message
    assert "http://www.istandaarden.nl/iwmo/2_0/wmo305/schema" in problem.message
    assert "alleen iWmo 3.2" in problem.message
    assert rejected.stored_xml is None


def test_iwmo_2_1_and_3_1(pseudonymizer: Pseudonymizer) -> None:
    data = fixture_bytes("iwmo20_wmo305.xml")
    problem = only_problem(
        parse_rejected(data.replace(b"/2_0/", b"/2_1/"), pseudonymizer), "STANDARD"
    )
    assert "iWmo 2.x" in problem.message
    problem = only_problem(
        parse_rejected(data.replace(b"/2_0/", b"/3_1/"), pseudonymizer), "STANDARD"
    )
    assert "iWmo 3.1-bericht" in problem.message


def test_ijw_message(pseudonymizer: Pseudonymizer) -> None:
    problem = only_problem(
        parse_rejected(fixture_bytes("ijw32_jw305.xml"), pseudonymizer), "STANDARD"
    )
    assert "iJw-bericht (jeugdzorg" in problem.message
    assert "ijw/3_2/jw305" in problem.message


def test_unsupported_iwmo_3_2_type(pseudonymizer: Pseudonymizer) -> None:
    data = fixture_bytes(START).replace(b"/wmo305/", b"/wmo316/")
    problem = only_problem(parse_rejected(data, pseudonymizer), "BERICHTTYPE")
    assert "WMO316" in problem.message and "niet ingelezen" in problem.message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"<html><body>hallo</body></html>", ["geen namespace", "html"]),
        (b'<Bericht xmlns="urn:iets:anders"/>', ["Onbekende namespace", "urn:iets:anders"]),
    ],
)
def test_not_an_istandaard(data: bytes, words: list[str], pseudonymizer: Pseudonymizer) -> None:
    problem = only_problem(parse_rejected(data, pseudonymizer), "STANDARD")
    for word in words:
        assert word in problem.message


def test_root_element_is_not_bericht(pseudonymizer: Pseudonymizer) -> None:
    data = fixture_bytes(START).replace(b"wmo305:Bericht", b"wmo305:Brief")
    problem = only_problem(parse_rejected(data, pseudonymizer), "STANDARD")
    assert problem.path == "/Brief"
    assert "begint met Bericht" in problem.message


def test_unknown_berichtcode(pseudonymizer: Pseudonymizer) -> None:
    data = _replace(START, b">418<", b">999<")
    rejected = parse_rejected(data, pseudonymizer)
    problem = only_problem(rejected, "BERICHTCODE")
    assert problem.path == "/Bericht/Header/BerichtCode"
    assert "Onbekende BerichtCode '999'" in problem.message and "418" in problem.message
    # An iWmo 3.2 namespace: the message is still kept, blanked, for the user to inspect.
    assert rejected.stored_xml is not None and b"999900031" not in rejected.stored_xml


def test_berichtcode_of_another_type(pseudonymizer: Pseudonymizer) -> None:
    problem = only_problem(
        parse_rejected(_replace(START, b">418<", b">414<"), pseudonymizer), "BERICHTCODE"
    )
    assert "hoort bij WMO301" in problem.message and "WMO305" in problem.message


def test_wrong_berichtversie(pseudonymizer: Pseudonymizer) -> None:
    data = _replace(START, b"<wmo305:BerichtVersie>3<", b"<wmo305:BerichtVersie>2<")
    rejected = parse_rejected(data, pseudonymizer)
    problem = only_problem(rejected, "HEADER-VERSIE")
    assert problem.path == "/Bericht/Header/BerichtVersie"
    assert "BerichtVersie 2" in problem.message and "iWmo 3.2" in problem.message
    assert rejected.header is None


def test_wrong_berichtsubversie(pseudonymizer: Pseudonymizer) -> None:
    data = _replace(START, b"<wmo305:BerichtSubversie>2<", b"<wmo305:BerichtSubversie>1<")
    problem = only_problem(parse_rejected(data, pseudonymizer), "HEADER-VERSIE")
    assert problem.path == "/Bericht/Header/BerichtSubversie"


def test_afzender_must_be_an_agb_code_for_a_305(pseudonymizer: Pseudonymizer) -> None:
    data = _replace(START, b"<wmo305:Afzender>12345678<", b"<wmo305:Afzender>0599<")
    problem = only_problem(parse_rejected(data, pseudonymizer), "HEADER-AFZENDER")
    assert problem.path == "/Bericht/Header/Afzender"
    assert "AGB-code" in problem.message and "8 cijfers" in problem.message


def test_afzender_must_be_a_gemeente_for_a_301(pseudonymizer: Pseudonymizer) -> None:
    data = _replace(TOEWIJZING, b"<wmo301:Afzender>0599<", b"<wmo301:Afzender>599<")
    problem = only_problem(parse_rejected(data, pseudonymizer), "HEADER-AFZENDER")
    assert "gemeentecode" in problem.message and "4 cijfers" in problem.message


# --- own business rules ----------------------------------------------------------------------


def test_bad_bsn(pseudonymizer: Pseudonymizer, schemas: SchemaSet) -> None:
    data = fixture_bytes(START).replace(b"999900031", b"999990018")
    for kwargs in ({}, {"schemas": schemas}):  # the XSD accepts any 9 digits
        rejected = parse_rejected(data, pseudonymizer, **kwargs)
        problem = only_problem(rejected, "BSN-11PROEF")
        assert problem.path == "/Bericht/Client/Bsn"
        assert "*******18" in problem.message and "11-proef" in problem.message
        for p in rejected.problems:
            assert "999990018" not in p.message and "999990018" not in p.path
        assert rejected.stored_xml is not None and b"999990018" not in rejected.stored_xml


def test_bsn_of_the_wrong_length_is_masked_in_the_xsd_message(
    pseudonymizer: Pseudonymizer, schemas: SchemaSet
) -> None:
    data = fixture_bytes(START).replace(b"999900031", b"12345678")
    rejected = parse_rejected(data, pseudonymizer, schemas=schemas)
    assert {p.rule for p in rejected.problems} == {"XSD", "BSN-11PROEF"}
    for problem in rejected.problems:
        assert problem.path == "/Bericht/Client/Bsn"
        assert "12345678" not in problem.message
        assert "*******78" in problem.message


def test_bad_bsn_in_the_second_client_of_a_declaration(pseudonymizer: Pseudonymizer) -> None:
    data = _replace(DECLARATIE, b"999900043", b"999900044")
    problem = only_problem(parse_rejected(data, pseudonymizer), "BSN-11PROEF")
    assert problem.path == "/Bericht/Declaratie/Clienten/Client[2]/Bsn"
    assert "*******44" in problem.message


def test_status_aanlevering_2(pseudonymizer: Pseudonymizer, schemas: SchemaSet) -> None:
    data = _replace(START, b"<wmo305:StatusAanlevering>3<", b"<wmo305:StatusAanlevering>2<")
    rejected = parse_rejected(data, pseudonymizer, schemas=schemas)  # the XSD accepts 2
    problem = only_problem(rejected, "CS058")
    assert problem.path == "/Bericht/Client/StartProducten/StartProduct[2]/StatusAanlevering"
    assert "StatusAanlevering '2'" in problem.message and "alleen 1" in problem.message
    assert rejected.header is not None and rejected.header.identificatie == "T305-0001"


def test_status_aanlevering_9_in_a_stop(pseudonymizer: Pseudonymizer) -> None:
    data = _replace(STOP, b"<wmo307:StatusAanlevering>1<", b"<wmo307:StatusAanlevering>9<")
    problem = only_problem(parse_rejected(data, pseudonymizer), "CS058")
    assert problem.path == "/Bericht/Client/StopProducten/StopProduct/StatusAanlevering"
    assert "WMO307" in problem.message


def test_einddatum_before_ingangsdatum(pseudonymizer: Pseudonymizer) -> None:
    data = _replace(TOEWIJZING, b"<wmo301:Einddatum>2025-06-30<", b"<wmo301:Einddatum>2025-01-05<")
    problem = only_problem(parse_rejected(data, pseudonymizer), "CS003")
    assert problem.path == "/Bericht/Client/ToegewezenProducten/ToegewezenProduct[1]/Einddatum"
    assert "Toewijzing 1001" in problem.message
    assert "2025-01-05" in problem.message and "2025-01-06" in problem.message


def test_reden_wijziging_13_needs_einddatum_equal_to_ingangsdatum(
    pseudonymizer: Pseudonymizer,
) -> None:
    # 1003 runs 2025-01-01 .. 2025-12-31: "verwijderd" is not allowed with that period.
    data = _replace(TOEWIJZING, b"<wmo301:RedenWijziging>05<", b"<wmo301:RedenWijziging>13<")
    problem = only_problem(parse_rejected(data, pseudonymizer), "CS335")
    assert problem.path == "/Bericht/Client/ToegewezenProducten/ToegewezenProduct[3]/RedenWijziging"
    assert "RedenWijziging 13" in problem.message and "Toewijzing 1003" in problem.message
    # With Einddatum = Ingangsdatum it is the correct way to delete an assignment.
    data = data.replace(b"<wmo301:Einddatum>2025-12-31<", b"<wmo301:Einddatum>2025-01-01<")
    parsed = parse_ok(data, pseudonymizer)
    assert parsed.toewijzingen[2].reden_wijziging == "13"


def test_reden_wijziging_13_without_einddatum(pseudonymizer: Pseudonymizer) -> None:
    data = _replace(TOEWIJZING, b"<wmo301:RedenWijziging>04<", b"<wmo301:RedenWijziging>13<")
    problem = only_problem(parse_rejected(data, pseudonymizer), "CS335")
    assert "Einddatum is leeg" in problem.message


def test_reden_wijziging_01_is_only_a_warning(pseudonymizer: Pseudonymizer) -> None:
    data = _replace(TOEWIJZING, b"<wmo301:RedenWijziging>04<", b"<wmo301:RedenWijziging>01<")
    parsed = parse_ok(data, pseudonymizer)
    (warning,) = parsed.warnings
    assert (warning.rule, warning.severity) == ("CS336", "warning")
    assert warning.path == "/Bericht/Client/ToegewezenProducten/ToegewezenProduct[2]/RedenWijziging"
    assert "vervallen" in warning.message
    assert parsed.toewijzingen[1].reden_wijziging == "01"


def test_stop_einddatum_before_begindatum(pseudonymizer: Pseudonymizer) -> None:
    data = _replace(STOP, b"<wmo307:Einddatum>2025-03-14<", b"<wmo307:Einddatum>2025-01-07<")
    problem = only_problem(parse_rejected(data, pseudonymizer), "CS003")
    assert problem.path == "/Bericht/Client/StopProducten/StopProduct/Einddatum"
    assert "ligt voor Begindatum 2025-01-08" in problem.message


def test_stop_begindatum_must_be_a_date(pseudonymizer: Pseudonymizer) -> None:
    data = _replace(STOP, b"<wmo307:Begindatum>2025-01-08<", b"<wmo307:Begindatum>08-01-2025<")
    problem = only_problem(parse_rejected(data, pseudonymizer), "TR382")
    assert problem.path == "/Bericht/Client/StopProducten/StopProduct/Begindatum"
    assert "geen geldige datum" in problem.message
    data = _replace(STOP, b"<wmo307:Begindatum>2025-01-08</wmo307:Begindatum>", b"")
    problem = only_problem(parse_rejected(data, pseudonymizer), "TR382")
    assert "ontbreekt" in problem.message


def test_unreadable_date(pseudonymizer: Pseudonymizer) -> None:
    data = _replace(START, b"<wmo305:Begindatum>2025-01-08<", b"<wmo305:Begindatum>2025-02-30<")
    problem = only_problem(parse_rejected(data, pseudonymizer), "DATUM")
    assert problem.path == "/Bericht/Client/StartProducten/StartProduct[1]/Begindatum"
    assert "'2025-02-30' is geen geldige datum" in problem.message


def test_declaratieperiode_must_be_a_calendar_month(pseudonymizer: Pseudonymizer) -> None:
    data = _replace(
        DECLARATIE,
        b"<iwmo:Begindatum>2025-02-01</iwmo:Begindatum>\n      <iwmo:Einddatum>2025-02-28<",
        b"<iwmo:Begindatum>2025-02-01</iwmo:Begindatum>\n      <iwmo:Einddatum>2025-03-15<",
    )
    rejected = parse_rejected(data, pseudonymizer)
    problem = only_problem(rejected, "CS340")
    assert problem.path == "/Bericht/Declaratie/DeclaratiePeriode"
    assert "2025-02-01 t/m 2025-03-15 is geen kalendermaand" in problem.message


def test_productperiode_after_the_declaratieperiode(pseudonymizer: Pseudonymizer) -> None:
    data = _replace(DECLARATIE, b"<iwmo:Einddatum>2025-02-14<", b"<iwmo:Einddatum>2025-03-02<")
    problem = only_problem(parse_rejected(data, pseudonymizer), "PRODUCTPERIODE")
    assert problem.path == (
        "/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[2]/ProductPeriode"
    )
    assert "P2025-0202" in problem.message and "2025-03-02" in problem.message
    assert "loopt door na de DeclaratiePeriode 2025-02-01 t/m 2025-02-28" in problem.message


def test_productperiode_before_the_declaratieperiode_is_a_late_claim(
    pseudonymizer: Pseudonymizer,
) -> None:
    # IV090: care delivered in January may still be declared with the February declaration.
    data = _replace(
        DECLARATIE,
        b"<iwmo:Begindatum>2025-02-10</iwmo:Begindatum>\n              <iwmo:Einddatum>2025-02-28<",
        b"<iwmo:Begindatum>2025-01-10</iwmo:Begindatum>\n              <iwmo:Einddatum>2025-01-31<",
    )
    parsed = parse_ok(data, pseudonymizer)
    assert parsed.declaratie is not None
    late = parsed.declaratie.prestaties[2]
    assert (late.periode_begin, late.periode_eind) == (date(2025, 1, 10), date(2025, 1, 31))


def test_productperiode_einddatum_before_begindatum(pseudonymizer: Pseudonymizer) -> None:
    data = _replace(DECLARATIE, b"<iwmo:Einddatum>2025-02-14<", b"<iwmo:Einddatum>2025-02-02<")
    problem = only_problem(parse_rejected(data, pseudonymizer), "CS003")
    assert problem.path.endswith("/Prestatie[2]/ProductPeriode")
    assert "P2025-0202" in problem.message


def test_wrong_total_is_a_warning(pseudonymizer: Pseudonymizer) -> None:
    data = _replace(DECLARATIE, b"<iwmo:TotaalBedrag>42500<", b"<iwmo:TotaalBedrag>48500<")
    parsed = parse_ok(data, pseudonymizer)
    (warning,) = parsed.warnings
    assert (warning.rule, warning.severity) == ("TR358", "warning")
    assert warning.path == "/Bericht/Declaratie/TotaalIngediendBedrag"
    assert "€ 485,00" in warning.message and "€ 425,00" in warning.message


def test_all_errors_are_reported_together(pseudonymizer: Pseudonymizer) -> None:
    data = fixture_bytes(START).replace(b"999900031", b"999990018")
    data = data.replace(b"<wmo305:StatusAanlevering>3<", b"<wmo305:StatusAanlevering>2<")
    rejected = parse_rejected(data, pseudonymizer)
    assert rejected.rules == ("BSN-11PROEF", "CS058")
    assert len(rejected.errors) == 2


# --- XSD against own rules -------------------------------------------------------------------


def test_missing_begindatum_with_and_without_xsd(
    pseudonymizer: Pseudonymizer, schemas: SchemaSet
) -> None:
    data = _replace(START, b"<wmo305:Begindatum>2025-01-08</wmo305:Begindatum>", b"")
    rejected = parse_rejected(data, pseudonymizer, schemas=schemas)
    problem = only_problem(rejected, "XSD")
    assert problem.path == "/Bericht/Client/StartProducten/StartProduct[1]/StatusAanlevering"
    assert "XSD-schema WMO305.xsd" in problem.message
    assert "Begindatum" in problem.message and "regel" in problem.message
    # Without the XSD our own extraction notices it as well (a start needs its Begindatum).
    rejected = parse_rejected(data, pseudonymizer)
    problem = only_problem(rejected, "VERPLICHT")
    assert problem.path == "/Bericht/Client/StartProducten/StartProduct[1]/Begindatum"
    assert "Begindatum ontbreekt" in problem.message


def test_xsd_only_violation_is_accepted_without_xsd(
    pseudonymizer: Pseudonymizer, schemas: SchemaSet
) -> None:
    # Product after ToewijzingIngangsdatum: wrong order for the XSD, harmless for our rules.
    data = fixture_bytes(STOP)
    product = data[data.index(b"<wmo307:Product>") : data.index(b"</wmo307:Product>") + 17]
    data = data.replace(product, b"").replace(
        b"</wmo307:ToewijzingIngangsdatum>", b"</wmo307:ToewijzingIngangsdatum>" + product
    )
    problem = only_problem(parse_rejected(data, pseudonymizer, schemas=schemas), "XSD")
    assert problem.path == "/Bericht/Client/StopProducten/StopProduct/Product"
    assert parse_ok(data, pseudonymizer).stops[0].productcode == "02A01"


def test_xsd_problems_carry_paths_in_minified_messages(
    pseudonymizer: Pseudonymizer, schemas: SchemaSet
) -> None:
    data = _replace(START, b"<wmo305:StatusAanlevering>3<", b"<wmo305:StatusAanlevering>4<")
    data = b"".join(line.strip() for line in data.splitlines())  # one line
    rejected = parse_rejected(data, pseudonymizer, schemas=schemas)
    assert rejected.rules == ("XSD", "CS058")  # 4 is outside the XSD enumeration and CS058
    problem = rejected.problems[0]
    assert problem.path == "/Bericht/Client/StartProducten/StartProduct[2]/StatusAanlevering"
    assert "The value '4' is not an element of the set {'1', '2', '3', '9'}" in problem.message
    assert "(regel 1)" in problem.message
