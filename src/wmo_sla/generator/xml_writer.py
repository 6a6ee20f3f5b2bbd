# SPDX-License-Identifier: EUPL-1.2
"""Render the simulated messages as iWmo 3.2 XML (string templates, validated by the tests).

Message elements live in the ``wmoNNN`` namespace; the children of shared composite types
(BerichtIdentificatie, Product, Omvang, Naam, Adres, ProductPeriode, …) live in the basisschema
namespace (prefix ``iwmo``), exactly as the XSDs in shared/reference/iwmo/xsd require. Output is
UTF-8 with an XML declaration, two-space indentation and ``\\n`` line ends.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from .model import (
    Message,
    Person,
    ProductInfo,
    Relation,
    Wmo301,
    Wmo305,
    Wmo307,
    Wmo315,
    Wmo317,
    Wmo319,
    Wmo323,
)

NS_BASIS = "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema"
XSD_VERSIE = "1.0.0"


def message_namespace(code: str) -> str:
    return f"http://www.istandaarden.nl/iwmo/3_2/wmo{code}/schema"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Doc:
    """Tiny indenting writer; ``m`` = message prefix, ``b`` = basisschema prefix."""

    __slots__ = ("depth", "lines", "m")

    def __init__(self, code: str) -> None:
        self.m = f"wmo{code}"
        self.lines: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>']
        self.lines.append(
            f'<{self.m}:Bericht xmlns:{self.m}="{message_namespace(code)}" xmlns:iwmo="{NS_BASIS}">'
        )
        self.depth = 1

    def open(self, name: str, *, basis: bool = False) -> None:
        prefix = "iwmo" if basis else self.m
        self.lines.append(f"{'  ' * self.depth}<{prefix}:{name}>")
        self.depth += 1

    def close(self, name: str, *, basis: bool = False) -> None:
        self.depth -= 1
        prefix = "iwmo" if basis else self.m
        self.lines.append(f"{'  ' * self.depth}</{prefix}:{name}>")

    def leaf(self, name: str, value: str | int | date, *, basis: bool = False) -> None:
        prefix = "iwmo" if basis else self.m
        text = value.isoformat() if isinstance(value, date) else _esc(str(value))
        self.lines.append(f"{'  ' * self.depth}<{prefix}:{name}>{text}</{prefix}:{name}>")

    def finish(self) -> str:
        self.lines.append(f"</{self.m}:Bericht>")
        return "\n".join(self.lines) + "\n"


def _header(doc: _Doc, message: Message) -> None:
    doc.open("Header")
    doc.leaf("BerichtCode", message.berichtcode)
    doc.leaf("BerichtVersie", "3")
    doc.leaf("BerichtSubversie", "2")
    doc.leaf("Afzender", message.afzender)
    doc.leaf("Ontvanger", message.ontvanger)
    doc.open("BerichtIdentificatie")
    doc.leaf("Identificatie", message.identificatie, basis=True)
    doc.leaf("Dagtekening", message.dagtekening, basis=True)
    doc.close("BerichtIdentificatie")
    doc.open("XsdVersie")
    doc.leaf("BasisschemaXsdVersie", XSD_VERSIE, basis=True)
    doc.leaf("BerichtXsdVersie", XSD_VERSIE, basis=True)
    doc.close("XsdVersie")
    doc.close("Header")


def _surname(doc: _Doc, element: str, achternaam: str, voorvoegsel: str | None) -> None:
    doc.open(element, basis=True)
    doc.leaf("Achternaam", achternaam, basis=True)
    if voorvoegsel:
        doc.leaf("Voorvoegsel", voorvoegsel, basis=True)
    doc.close(element, basis=True)


def _short_name(doc: _Doc, person: Person) -> None:
    doc.open("Naam")
    _surname(doc, "Geslachtsnaam", person.achternaam, person.voorvoegsel)
    doc.leaf("Voornamen", person.voornamen, basis=True)
    doc.leaf("Voorletters", person.voorletters, basis=True)
    doc.close("Naam")


def _client_identity(doc: _Doc, person: Person) -> None:
    doc.leaf("Bsn", person.bsn)
    doc.open("Geboortedatum")
    doc.leaf("Datum", person.geboortedatum, basis=True)
    doc.close("Geboortedatum")
    doc.leaf("Geslacht", person.geslacht)


def _address(
    doc: _Doc, straat: str, huisnummer: int, huisletter: str | None, postcode: str, plaats: str
) -> None:
    doc.open("Adres")
    doc.open("Huis", basis=True)
    doc.leaf("Huisnummer", huisnummer, basis=True)
    if huisletter:
        doc.leaf("Huisletter", huisletter, basis=True)
    doc.close("Huis", basis=True)
    doc.leaf("Postcode", postcode, basis=True)
    doc.leaf("Straatnaam", straat, basis=True)
    doc.leaf("Plaatsnaam", plaats, basis=True)
    doc.leaf("LandCode", "NL", basis=True)
    doc.close("Adres")


def _phone(doc: _Doc, number: str) -> None:
    doc.open("Telefoon")
    doc.open("Telefoon01", basis=True)
    doc.leaf("Telefoonnummer", number, basis=True)
    doc.leaf("Landnummer", "0031", basis=True)
    doc.close("Telefoon01", basis=True)
    doc.close("Telefoon")


def _relation(doc: _Doc, relation: Relation) -> None:
    doc.open("Relaties")
    doc.open("Relatie")
    doc.leaf("Nummer", "1")
    doc.leaf("Volgorde", "1")
    doc.leaf("Soort", relation.soort)
    doc.leaf("Geslacht", relation.geslacht)
    doc.open("Naam")
    _surname(doc, "Geslachtsnaam", relation.achternaam, relation.voorvoegsel)
    doc.leaf("Voornamen", relation.voornamen, basis=True)
    doc.leaf("Voorletters", relation.voorletters, basis=True)
    doc.leaf("NaamGebruik", "1", basis=True)
    doc.close("Naam")
    doc.open("Contact")
    doc.leaf("Soort", "02")
    _address(doc, relation.straat, relation.huisnummer, None, relation.postcode, relation.plaats)
    _phone(doc, relation.telefoon)
    doc.close("Contact")
    doc.close("Relatie")
    doc.close("Relaties")


def _product(doc: _Doc, product: ProductInfo) -> None:
    doc.open("Product")
    doc.leaf("Categorie", product.categorie, basis=True)
    doc.leaf("Code", product.code, basis=True)
    doc.close("Product")


def _omvang(doc: _Doc, volume: int, eenheid: str, frequentie: str) -> None:
    doc.open("Omvang")
    doc.leaf("Volume", volume, basis=True)
    doc.leaf("Eenheid", eenheid, basis=True)
    doc.leaf("Frequentie", frequentie, basis=True)
    doc.close("Omvang")


def render_301(message: Wmo301) -> str:
    doc = _Doc("301")
    _header(doc, message)
    person = message.person
    doc.open("Client")
    _client_identity(doc, person)
    doc.open("Naam")
    _surname(doc, "Geslachtsnaam", person.achternaam, person.voorvoegsel)
    if person.partner_achternaam:
        _surname(doc, "Partnernaam", person.partner_achternaam, person.partner_voorvoegsel)
    doc.leaf("Voornamen", person.voornamen, basis=True)
    doc.leaf("Voorletters", person.voorletters, basis=True)
    doc.leaf("NaamGebruik", person.naamgebruik, basis=True)
    doc.close("Naam")
    if person.relation is not None:
        _relation(doc, person.relation)
    doc.open("Contactgegevens")
    doc.open("Contact")
    doc.leaf("Soort", "01")
    _address(
        doc, person.straat, person.huisnummer, person.huisletter, person.postcode, person.plaats
    )
    _phone(doc, person.telefoon)
    if person.email:
        doc.leaf("Emailadres", person.email)
    doc.close("Contact")
    doc.close("Contactgegevens")
    doc.open("ToegewezenProducten")
    for item in message.items:
        tw, version = item.toewijzing, item.version
        doc.open("ToegewezenProduct")
        doc.leaf("ToewijzingNummer", tw.nummer)
        if item.changed and version.referentie:
            doc.leaf("ReferentieAanbieder", version.referentie)
        _product(doc, tw.product)
        doc.leaf("Toewijzingsdatum", version.toewijzingsdatum)
        doc.leaf("Toewijzingstijd", version.toewijzingstijd)
        doc.leaf("Ingangsdatum", tw.ingangsdatum)
        doc.leaf("Einddatum", version.einddatum)
        if item.changed and version.reden:
            doc.leaf("RedenWijziging", version.reden)
        _omvang(doc, tw.volume, tw.product.eenheid, tw.frequentie)
        doc.close("ToegewezenProduct")
    doc.close("ToegewezenProducten")
    doc.close("Client")
    return doc.finish()


def render_305(message: Wmo305) -> str:
    doc = _Doc("305")
    _header(doc, message)
    doc.open("Client")
    _client_identity(doc, message.person)
    _short_name(doc, message.person)
    doc.open("StartProducten")
    for item in message.items:
        tw = item.toewijzing
        doc.open("StartProduct")
        doc.leaf("ToewijzingNummer", tw.nummer)
        _product(doc, tw.product)
        doc.leaf("ToewijzingIngangsdatum", tw.ingangsdatum)
        doc.leaf("Begindatum", item.begindatum)
        doc.leaf("StatusAanlevering", item.status)
        doc.close("StartProduct")
    doc.close("StartProducten")
    doc.close("Client")
    return doc.finish()


def render_307(message: Wmo307) -> str:
    doc = _Doc("307")
    _header(doc, message)
    doc.open("Client")
    _client_identity(doc, message.person)
    _short_name(doc, message.person)
    doc.open("StopProducten")
    for item in message.items:
        tw = item.toewijzing
        doc.open("StopProduct")
        doc.leaf("ToewijzingNummer", tw.nummer)
        _product(doc, tw.product)
        doc.leaf("ToewijzingIngangsdatum", tw.ingangsdatum)
        doc.leaf("Begindatum", item.begindatum)
        doc.leaf("RedenBeeindiging", item.reden)
        doc.leaf("Einddatum", item.einddatum)
        doc.leaf("StatusAanlevering", item.status)
        doc.close("StopProduct")
    doc.close("StopProducten")
    doc.close("Client")
    return doc.finish()


def render_315(message: Wmo315) -> str:
    doc = _Doc("315")
    _header(doc, message)
    doc.open("Client")
    _client_identity(doc, message.person)
    _short_name(doc, message.person)
    doc.open("AangevraagdeProducten")
    doc.open("AangevraagdProduct")
    doc.leaf("ReferentieAanbieder", message.referentie)
    _product(doc, message.product)
    doc.leaf("ToewijzingIngangsdatum", message.ingangsdatum)
    doc.leaf("ToewijzingEinddatum", message.einddatum)
    _omvang(doc, message.volume, message.product.eenheid, "2")
    doc.open("Verwijzer")
    doc.leaf("Type", message.verwijzer_type, basis=True)
    if message.verwijzer_naam:
        doc.leaf("Naam", message.verwijzer_naam, basis=True)
    doc.close("Verwijzer")
    doc.close("AangevraagdProduct")
    doc.close("AangevraagdeProducten")
    doc.close("Client")
    return doc.finish()


def render_317(message: Wmo317) -> str:
    doc = _Doc("317")
    _header(doc, message)
    doc.open("Client")
    doc.leaf("Bsn", message.person.bsn)
    doc.open("Verzoek")
    doc.leaf("ReferentieAanbieder", message.referentie)
    doc.leaf("RedenVerzoek", message.reden_verzoek)
    if message.ongewijzigd:
        doc.open("OngewijzigdeProducten")
        for tw in message.ongewijzigd:
            doc.open("OngewijzigdProduct")
            doc.leaf("ToewijzingNummer", tw.nummer)
            doc.close("OngewijzigdProduct")
        doc.close("OngewijzigdeProducten")
    if message.te_wijzigen:
        doc.open("TeWijzigenProducten")
        for tw, gewenst, einde in message.te_wijzigen:
            doc.open("TeWijzigenProduct")
            doc.leaf("ToewijzingNummer", tw.nummer)
            doc.leaf("GewensteIngangsdatum", gewenst)
            doc.leaf("Einddatum", einde)
            doc.close("TeWijzigenProduct")
        doc.close("TeWijzigenProducten")
    if message.nieuw:
        doc.open("NieuweProducten")
        for request in message.nieuw:
            doc.open("NieuwProduct")
            _product(doc, request.product)
            doc.leaf("GewensteIngangsdatum", request.ingangsdatum)
            doc.leaf("Einddatum", request.einddatum)
            _omvang(doc, request.volume, request.product.eenheid, "2")
            doc.close("NieuwProduct")
        doc.close("NieuweProducten")
    doc.close("Verzoek")
    doc.close("Client")
    return doc.finish()


def render_319(message: Wmo319) -> str:
    doc = _Doc("319")
    _header(doc, message)
    doc.open("Antwoord")
    doc.leaf("ReferentieAanbieder", message.referentie)
    doc.leaf("VerzoekAntwoord", message.antwoord)
    if message.reden_afwijzing:
        doc.leaf("RedenAfwijzingVerzoek", message.reden_afwijzing)
    doc.close("Antwoord")
    return doc.finish()


def render_323(message: Wmo323) -> str:
    doc = _Doc("323")
    _header(doc, message)
    doc.open("Declaratie")
    doc.leaf("DeclaratieNummer", message.declaratienummer)
    doc.open("DeclaratiePeriode")
    doc.leaf("Begindatum", message.periode_begin, basis=True)
    doc.leaf("Einddatum", message.periode_eind, basis=True)
    doc.close("DeclaratiePeriode")
    doc.leaf("DeclaratieDagtekening", message.dagtekening)
    total = message.totaal()
    doc.open("TotaalIngediendBedrag")
    doc.leaf("TotaalBedrag", abs(total), basis=True)
    doc.leaf("DebetCredit", "D" if total >= 0 else "C", basis=True)
    doc.close("TotaalIngediendBedrag")
    doc.open("Clienten")
    for bsn, prestaties in message.clients.items():
        doc.open("Client")
        doc.leaf("Bsn", bsn)
        doc.open("Prestaties")
        for p in prestaties:
            tw = p.toewijzing
            doc.open("Prestatie")
            doc.open("ProductReferentie")
            doc.leaf("ReferentieNummer", p.referentie, basis=True)
            if p.vorige is not None:
                doc.leaf("VorigReferentieNummer", p.vorige.referentie, basis=True)
            doc.close("ProductReferentie")
            doc.leaf("ToewijzingNummer", tw.nummer)
            doc.leaf("ProductCategorie", tw.product.categorie)
            doc.leaf("ProductCode", tw.product.code)
            doc.open("ProductPeriode")
            doc.leaf("Begindatum", p.begindatum, basis=True)
            doc.leaf("Einddatum", p.einddatum, basis=True)
            doc.close("ProductPeriode")
            doc.leaf("GeleverdVolume", p.volume)
            doc.leaf("Eenheid", tw.product.eenheid)
            doc.leaf("ProductTarief", p.tarief)
            doc.open("IngediendBedrag")
            doc.leaf("Bedrag", p.bedrag, basis=True)
            doc.leaf("DebetCredit", "D" if p.debet else "C", basis=True)
            doc.close("IngediendBedrag")
            doc.close("Prestatie")
        doc.close("Prestaties")
        doc.close("Client")
    doc.close("Clienten")
    doc.close("Declaratie")
    return doc.finish()


_RENDERERS: dict[type[Message], Callable[..., str]] = {
    Wmo301: render_301,
    Wmo305: render_305,
    Wmo307: render_307,
    Wmo315: render_315,
    Wmo317: render_317,
    Wmo319: render_319,
    Wmo323: render_323,
}


def render(message: Message) -> str:
    """The complete XML document of one message (str; encode as UTF-8)."""
    return _RENDERERS[type(message)](message)
