# SPDX-License-Identifier: EUPL-1.2
"""Plain data of the simulated region: persons, products, toewijzingen, messages, records.

Nothing here knows XML; :mod:`xml_writer` renders these objects. Mutable dataclasses are used
while the simulation runs; after :func:`simulation.simulate` returns they are read only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar


@dataclass(frozen=True, slots=True, kw_only=True)
class Relation:
    """A related person (Relatie in WMO301): name and contact data, all fictitious."""

    soort: str  # LDT_SoortRelatie
    geslacht: str
    achternaam: str
    voorvoegsel: str | None
    voornamen: str
    voorletters: str
    straat: str
    huisnummer: int
    postcode: str
    plaats: str
    telefoon: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    bsn: str
    geboortedatum: date
    geslacht: str  # COD046: 1 man, 2 vrouw
    achternaam: str
    voorvoegsel: str | None
    partner_achternaam: str | None
    partner_voorvoegsel: str | None
    naamgebruik: str  # LDT_NaamGebruik
    voornamen: str
    voorletters: str
    straat: str
    huisnummer: int
    huisletter: str | None
    postcode: str
    plaats: str
    telefoon: str
    email: str | None
    relation: Relation | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductInfo:
    categorie: str
    code: str
    eenheid: str  # WJ756
    group: str  # product group (KPIS.md)
    rank: int  # intensity_rank from the contract
    description: str
    tariffs: dict[int, int]  # year -> eurocent per eenheid

    def tariff(self, year: int) -> int:
        return self.tariffs[year]


@dataclass(slots=True, kw_only=True)
class Version:
    """One state of a toewijzing as decided by the gemeente (Toewijzingsdatum + -tijd)."""

    toewijzingsdatum: date
    toewijzingstijd: str  # HH:MM:SS
    einddatum: date
    reden: str | None  # WMO002 RedenWijziging; None on the first version
    referentie: str | None  # ReferentieAanbieder when answering a VOT/VOW
    dagtekening: date  # of the 301 that carried this version first

    @property
    def key(self) -> tuple[date, str]:
        return (self.toewijzingsdatum, self.toewijzingstijd)


@dataclass(slots=True, kw_only=True)
class Episode:
    """Actual delivery of a toewijzing, inclusive; end None = still delivering at the cut-off."""

    start: date
    end: date | None = None


@dataclass(slots=True, kw_only=True, eq=False)
class Toewijzing:
    uid: int
    client: int
    gemeente: str
    agb: str
    aanbieder: str
    product: ProductInfo
    volume: int  # per week (Frequentie 2)
    ingangsdatum: date
    versions: list[Version] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    nummer: int = 0  # assigned after the simulation, per gemeente

    frequentie: ClassVar[str] = "2"

    @property
    def einddatum(self) -> date:
        return self.versions[-1].einddatum

    @property
    def deleted(self) -> bool:
        return self.versions[-1].reden == "13"

    @property
    def first_dagtekening(self) -> date:
        return self.versions[0].dagtekening

    def intensity(self) -> int:
        """Expected cost per week in eurocent (KPIS.md K3/K4), tariff of the Ingangsdatum year."""
        return self.volume * self.product.tariff(self.ingangsdatum.year)


# --- messages ----------------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True, eq=False)
class Message:
    code: ClassVar[str] = ""  # "301", "305", …
    berichtcode: ClassVar[str] = ""  # COD002
    dagtekening: date
    afzender: str
    ontvanger: str
    seq: int
    aanbieder: str
    identificatie: str = ""

    @property
    def kind(self) -> str:
        return f"WMO{self.code}"


@dataclass(slots=True, kw_only=True)
class SnapshotItem:
    toewijzing: Toewijzing
    version: Version
    changed: bool


@dataclass(slots=True, kw_only=True, eq=False)
class Wmo301(Message):
    code: ClassVar[str] = "301"
    berichtcode: ClassVar[str] = "414"
    person: Person
    changes: list[tuple[Toewijzing, Version]]
    items: list[SnapshotItem] = field(default_factory=list)  # filled in by the snapshot pass


@dataclass(slots=True, kw_only=True)
class StartItem:
    toewijzing: Toewijzing
    begindatum: date
    status: str  # StatusAanlevering 1 or 3


@dataclass(slots=True, kw_only=True, eq=False)
class Wmo305(Message):
    code: ClassVar[str] = "305"
    berichtcode: ClassVar[str] = "418"
    person: Person
    items: list[StartItem]


@dataclass(slots=True, kw_only=True)
class StopItem:
    toewijzing: Toewijzing
    begindatum: date
    reden: str  # WMO588
    einddatum: date
    status: str


@dataclass(slots=True, kw_only=True, eq=False)
class Wmo307(Message):
    code: ClassVar[str] = "307"
    berichtcode: ClassVar[str] = "420"
    person: Person
    items: list[StopItem]


@dataclass(slots=True, kw_only=True, eq=False)
class Wmo315(Message):
    code: ClassVar[str] = "315"
    berichtcode: ClassVar[str] = "444"
    person: Person
    referentie: str
    product: ProductInfo
    volume: int
    ingangsdatum: date
    einddatum: date
    verwijzer_type: str
    verwijzer_naam: str | None


@dataclass(slots=True, kw_only=True)
class NewProductRequest:
    product: ProductInfo
    ingangsdatum: date
    einddatum: date
    volume: int


@dataclass(slots=True, kw_only=True, eq=False)
class Wmo317(Message):
    code: ClassVar[str] = "317"
    berichtcode: ClassVar[str] = "480"
    person: Person
    referentie: str
    reden_verzoek: str
    ongewijzigd: list[Toewijzing]
    te_wijzigen: list[tuple[Toewijzing, date, date]]  # toewijzing, GewensteIngangsdatum, Einddatum
    nieuw: list[NewProductRequest]


@dataclass(slots=True, kw_only=True, eq=False)
class Wmo319(Message):
    code: ClassVar[str] = "319"
    berichtcode: ClassVar[str] = "482"
    referentie: str
    antwoord: str  # 1 afgewezen, 2 in onderzoek
    reden_afwijzing: str | None


@dataclass(slots=True, kw_only=True)
class Prestatie:
    toewijzing: Toewijzing
    begindatum: date
    einddatum: date
    volume: int
    tarief: int  # eurocent per eenheid
    debet: bool
    referentie: str = ""
    vorige: Prestatie | None = None  # the debit a credit reverses

    @property
    def bedrag(self) -> int:
        return self.volume * self.tarief


@dataclass(slots=True, kw_only=True, eq=False)
class Wmo323(Message):
    code: ClassVar[str] = "323"
    berichtcode: ClassVar[str] = "484"
    gemeente: str
    periode_begin: date
    periode_eind: date
    declaratienummer: str
    clients: dict[str, list[Prestatie]]  # bsn -> prestaties

    def totaal(self) -> int:
        """Σ debet − Σ credit in eurocent (may be negative)."""
        total = 0
        for prestaties in self.clients.values():
            for p in prestaties:
                total += p.bedrag if p.debet else -p.bedrag
        return total


# --- records for the manifest ------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class StartRecord:
    """A start (305 status 1) of a delivery episode; first_sent None = never sent (missing)."""

    toewijzing: Toewijzing
    aanbieder: str
    begindatum: date
    reference: date  # max(Begindatum, Dagtekening of the first 301 of the toewijzing)
    first_sent: date | None
    last_message: date | None
    corrected: bool = False
    missing: bool = False
    restart: bool = False


@dataclass(slots=True, kw_only=True)
class StopRecord:
    toewijzing: Toewijzing
    aanbieder: str
    reden: str
    einddatum: date
    reference: date  # Einddatum, or the date a temporary stop became definitive
    first_sent: date | None
    corrected: bool = False
    missing: bool = False


@dataclass(slots=True, kw_only=True)
class Trajectory:
    """Ground truth of one client's care at one provider within one product group."""

    client: int
    aanbieder: str
    group: str
    gemeente: str
    kind: str  # nieuw | terugkeer | overname
    opening: Toewijzing
    anchor: date
    norm_in_days: bool
    begin: date | None = None
    wait: int | None = None  # werkdagen (or calendar days when norm_in_days)
    retroactive: bool = False
    end: date | None = None
    reason: str | None = None
    stop_sent: bool = False
    start_message: bool = False
    toewijzingen: list[Toewijzing] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class ScalingRecord:
    aanbieder: str
    direction: str  # op | af | gelijk
    via_vow: bool
    old: Toewijzing
    new: Toewijzing
