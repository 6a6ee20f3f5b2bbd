# SPDX-License-Identifier: EUPL-1.2
"""Fictitious Dutch-looking persons: names, addresses, phone numbers, e-mail.

Real iWmo messages carry personal data (Naam, Contactgegevens, Relaties); the generator fills
them so the ingest's blanking is exercised. Every combination is made up: street names are
generic, house numbers random, phone numbers use the 06-9999 block, e-mail uses example.com
(RFC 2606). Postcode number ranges roughly follow the gemeenten of the demo region.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from .model import Person, Relation

FIRST_NAMES_M = (
    "Jan", "Pieter", "Kees", "Henk", "Willem", "Bram", "Daan", "Sem", "Lucas", "Thijs",
    "Ruben", "Jeroen", "Mohamed", "Ahmet", "Stefan", "Martijn", "Gerrit", "Hendrik", "Koen",
    "Bas", "Niels", "Joost", "Anton", "Cor", "Dirk", "Emre", "Finn", "Gijs", "Hugo", "Ivo",
    "Jesse", "Lars", "Milan", "Noah", "Olaf", "René", "Sander", "Teun", "Wouter", "Youssef",
)  # fmt: skip
FIRST_NAMES_F = (
    "Anna", "Maria", "Sanne", "Lotte", "Emma", "Julia", "Fleur", "Anouk", "Ingrid", "Petra",
    "Fatima", "Ayşe", "Marloes", "Eline", "Femke", "Joke", "Wilma", "Henny", "Noor", "Sara",
    "Tessa", "Yara", "Zoë", "Bea", "Carla", "Dewi", "Esther", "Gerda", "Hanneke", "Iris",
    "Janneke", "Karin", "Linda", "Mirjam", "Nathalie", "Olga", "Priya", "Roos", "Tineke", "Vera",
)  # fmt: skip
SURNAMES = (
    ("Jansen", None), ("Vries", "de"), ("Bakker", None), ("Visser", None), ("Smit", None),
    ("Meijer", None), ("Boer", "de"), ("Mulder", None), ("Groot", "de"), ("Bos", None),
    ("Vos", None), ("Peters", None), ("Hendriks", None), ("Dijk", "van"), ("Leeuwen", "van"),
    ("Dekker", None), ("Brouwer", None), ("Wit", "de"), ("Dijkstra", None), ("Smits", None),
    ("Graaf", "de"), ("Meer", "van der"), ("Linden", "van der"), ("Kok", None), ("Jacobs", None),
    ("Haan", "de"), ("Vermeulen", None), ("Heuvel", "van den"), ("Veen", "van der"),
    ("Berg", "van den"), ("Wijk", "van"), ("Dam", "van"), ("Yılmaz", None), ("Kaya", None),
    ("Kramer", None), ("Schouten", None), ("Prins", None), ("Huisman", None), ("Molenaar", None),
    ("Zwart", None), ("Beek", "van"), ("Wal", "van der"), ("Rijn", "van"), ("Koster", None),
    ("Verbeek", None), ("Postma", None), ("Kuipers", None), ("Hoekstra", None), ("Bruijn", "de"),
    ("Ruiter", "de"), ("Laan", "van der"), ("Sluis", "van der"), ("Timmermans", None),
    ("Groen", None), ("Lange", "de"), ("Maas", None), ("Schipper", None), ("Bosch", "van den"),
)  # fmt: skip
STREETS = (
    "Lindelaan", "Kastanjestraat", "Molenweg", "Dorpsstraat", "Kerkstraat", "Schoolstraat",
    "Beukenlaan", "Merelstraat", "Sleutelbloem", "Julianastraat", "Oranjelaan", "Dijkweg",
    "Havenkade", "Rivierdijk", "Populierenlaan", "Zonnebloemstraat", "Eikenhof", "Vlietweg",
    "Wilgenhof", "Parallelweg", "Bernhardstraat", "Klaverweide", "Spoorstraat", "Marktplein",
    "Noordeinde", "Zuideinde", "Lijsterbeslaan", "Buitenwaard", "Singel", "Polderweg",
)  # fmt: skip
#: First postcode digits per CBS code of the demo region; other codes get a generic range.
POSTCODE_RANGES: dict[str, tuple[int, int]] = {
    "0482": (2951, 2954),
    "0505": (3311, 3319),
    "0512": (4201, 4208),
    "0523": (3371, 3373),
    "0531": (3341, 3344),
    "1978": (2964, 2977),
    "0590": (3351, 3356),
    "0610": (3361, 3364),
    "0642": (3331, 3335),
}
LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
RELATION_KINDS = ("14", "15", "12", "16", "21")  # bewindvoerder, mentor, partner, kind, cliëntond.


def _initials(voornamen: str) -> str:
    return "".join(part[0] for part in voornamen.split())[:6]


def _postcode(rng: random.Random, gemeente: str) -> str:
    low, high = POSTCODE_RANGES.get(gemeente, (1000, 9999))
    return f"{rng.randint(low, high)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}"


def _phone(rng: random.Random) -> str:
    return f"069999{rng.randint(0, 9999):04d}"


def _first_names(rng: random.Random, geslacht: str) -> str:
    pool = FIRST_NAMES_M if geslacht == "1" else FIRST_NAMES_F
    names = [rng.choice(pool)]
    if rng.random() < 0.35:
        second = rng.choice(pool)
        if second != names[0]:
            names.append(second)
    return " ".join(names)


def _email_part(text: str) -> str:
    table = str.maketrans("ëéèïşı", "eeeisi")
    return "".join(ch for ch in text.lower().translate(table) if ch.isalnum())


def make_person(
    rng: random.Random,
    *,
    bsn: str,
    gemeente: str,
    plaats: str,
    age_range: tuple[int, int],
    reference: date,
) -> Person:
    geslacht = "1" if rng.random() < 0.47 else "2"
    age = rng.randint(*age_range)
    geboortedatum = reference - timedelta(days=age * 365 + rng.randint(0, 364))
    achternaam, voorvoegsel = rng.choice(SURNAMES)
    voornamen = _first_names(rng, geslacht)
    partner: tuple[str, str | None] | None = None
    naamgebruik = "1"
    if age > 25 and rng.random() < 0.25:
        partner = rng.choice(SURNAMES)
        naamgebruik = rng.choice(("2", "3", "4"))
    email: str | None = None
    if rng.random() < 0.6:
        email = (
            f"{_email_part(voornamen.split()[0])}.{_email_part(achternaam)}"
            f"{rng.randint(1, 99)}@example.com"
        )
    relation: Relation | None = None
    if rng.random() < 0.15:
        r_geslacht = "1" if rng.random() < 0.5 else "2"
        r_achternaam, r_voorvoegsel = rng.choice(SURNAMES)
        r_voornamen = _first_names(rng, r_geslacht)
        relation = Relation(
            soort=rng.choice(RELATION_KINDS),
            geslacht=r_geslacht,
            achternaam=r_achternaam,
            voorvoegsel=r_voorvoegsel,
            voornamen=r_voornamen,
            voorletters=_initials(r_voornamen),
            straat=rng.choice(STREETS),
            huisnummer=rng.randint(1, 250),
            postcode=_postcode(rng, gemeente),
            plaats=plaats,
            telefoon=_phone(rng),
        )
    return Person(
        bsn=bsn,
        geboortedatum=geboortedatum,
        geslacht=geslacht,
        achternaam=achternaam,
        voorvoegsel=voorvoegsel,
        partner_achternaam=partner[0] if partner else None,
        partner_voorvoegsel=partner[1] if partner else None,
        naamgebruik=naamgebruik,
        voornamen=voornamen,
        voorletters=_initials(voornamen),
        straat=rng.choice(STREETS),
        huisnummer=rng.randint(1, 250),
        huisletter=rng.choice(("A", "B", "C")) if rng.random() < 0.1 else None,
        postcode=_postcode(rng, gemeente),
        plaats=plaats,
        telefoon=_phone(rng),
        email=email,
        relation=relation,
    )
