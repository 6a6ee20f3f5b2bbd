# SPDX-License-Identifier: EUPL-1.2
"""Typed records for one parsed iWmo 3.2 message. Pure: no Django, no ORM, no I/O.

Amounts are integers in eurocent, exactly as in the XML. Codes (categorie, eenheid, reden, …) stay
strings because leading zeros matter ("01" is not "1"). ``client_key`` is the pseudonym of the BSN
(see :mod:`wmo_sla.ingest.iwmo.pseudonym`); no record ever holds a BSN.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from typing import Literal

Severity = Literal["error", "warning"]


class MessageType(StrEnum):
    WMO301 = "WMO301"
    WMO302 = "WMO302"
    WMO305 = "WMO305"
    WMO306 = "WMO306"
    WMO307 = "WMO307"
    WMO308 = "WMO308"
    WMO315 = "WMO315"
    WMO317 = "WMO317"
    WMO319 = "WMO319"
    WMO323 = "WMO323"
    WMO325 = "WMO325"

    @property
    def berichtcode(self) -> str:
        """COD002 BerichtCode of this message type ("414" for WMO301)."""
        return BERICHTCODES[self]

    @property
    def number(self) -> str:
        """The three digits of the type ("301"), as used in the namespace ``wmo301``."""
        return self.value[3:]

    @property
    def is_retour(self) -> bool:
        """True for the retour messages 302/306/308 and the declaratie-antwoord 325."""
        return self in ORIGINAL_OF

    @property
    def original(self) -> MessageType | None:
        """The message this one answers (WMO305 for WMO306), or None for an original message."""
        return ORIGINAL_OF.get(self)

    @classmethod
    def from_berichtcode(cls, code: str) -> MessageType | None:
        return _BY_BERICHTCODE.get(code)


BERICHTCODES: dict[MessageType, str] = {
    MessageType.WMO301: "414",
    MessageType.WMO302: "415",
    MessageType.WMO305: "418",
    MessageType.WMO306: "419",
    MessageType.WMO307: "420",
    MessageType.WMO308: "421",
    MessageType.WMO315: "444",
    MessageType.WMO317: "480",
    MessageType.WMO319: "482",
    MessageType.WMO323: "484",
    MessageType.WMO325: "485",
}
_BY_BERICHTCODE: dict[str, MessageType] = {code: mt for mt, code in BERICHTCODES.items()}

ORIGINAL_OF: dict[MessageType, MessageType] = {
    MessageType.WMO302: MessageType.WMO301,
    MessageType.WMO306: MessageType.WMO305,
    MessageType.WMO308: MessageType.WMO307,
    MessageType.WMO325: MessageType.WMO323,
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding. ``rule`` is a short stable code, ``path`` an element path such as
    ``/Bericht/Client/StartProducten/StartProduct[2]/StatusAanlevering`` and ``message`` Dutch text
    for the user (never a BSN in clear)."""

    rule: str
    path: str
    message: str
    severity: Severity = "error"


@dataclass(frozen=True, slots=True)
class Header:
    """The message header.

    For the retours 302/306/308 the header is a copy of the original message's header: its
    ``identificatie``/``dagtekening`` are those of the ORIGINAL message and the retour's own
    identification is in ``identificatie_retour``/``dagtekening_retour``. For the 325 the same
    convention is applied: ``identificatie``/``dagtekening`` come from ``DeclaratieIdentificatie``
    (= the 323's BerichtIdentificatie) and the 325's own BerichtIdentificatie goes into the
    ``*_retour`` fields. ``berichtcode`` is always the code of this message itself (419 for a 306);
    ``original_berichtcode`` is the code of the message it answers (418 for a 306).
    """

    message_type: MessageType
    berichtcode: str
    versie: int
    subversie: int
    afzender: str
    ontvanger: str
    identificatie: str
    dagtekening: date
    identificatie_retour: str | None = None
    dagtekening_retour: date | None = None
    original_berichtcode: str | None = None


@dataclass(frozen=True, slots=True)
class ClientInfo:
    client_key: str
    birth_year: int | None
    gender: str | None  # COD046: "0" onbekend, "1" man, "2" vrouw


@dataclass(frozen=True, slots=True)
class Toewijzing:
    """One ToegewezenProduct of a WMO301."""

    client_key: str
    toewijzing_nummer: int
    categorie: str | None
    productcode: str | None
    toewijzingsdatum: date
    toewijzingstijd: time
    ingangsdatum: date
    einddatum: date | None
    reden_wijziging: str | None
    volume: int | None
    eenheid: str | None
    frequentie: str | None
    budget: int | None
    referentie_aanbieder: str | None


@dataclass(frozen=True, slots=True)
class StartProduct:
    """One StartProduct of a WMO305 (retours 306 give only their codes, see :class:`Retour`)."""

    client_key: str
    toewijzing_nummer: int | None
    categorie: str | None
    productcode: str | None
    toewijzing_ingangsdatum: date | None
    begindatum: date
    status_aanlevering: str


@dataclass(frozen=True, slots=True)
class StopProduct:
    """One StopProduct of a WMO307. ``reden_beeindiging`` "20" is a temporary stop."""

    client_key: str
    toewijzing_nummer: int | None
    categorie: str | None
    productcode: str | None
    toewijzing_ingangsdatum: date | None
    begindatum: date
    reden_beeindiging: str
    einddatum: date
    status_aanlevering: str


@dataclass(frozen=True, slots=True)
class Prestatie:
    """One Prestatie of a WMO323. ``bedrag`` and ``tarief`` in eurocent; ``debet_credit`` "D"/"C"."""

    client_key: str
    referentienummer: str
    vorig_referentienummer: str | None
    toewijzing_nummer: int
    categorie: str
    productcode: str
    periode_begin: date
    periode_eind: date
    geleverd_volume: int
    eenheid: str
    tarief: int | None
    bedrag: int
    debet_credit: str


@dataclass(frozen=True, slots=True)
class Declaratie:
    declaratienummer: str
    periode_begin: date
    periode_eind: date
    dagtekening: date
    totaal_bedrag: int
    debet_credit: str
    prestaties: tuple[Prestatie, ...]


@dataclass(frozen=True, slots=True)
class Verzoek:
    """A VOT product (315: one per AangevraagdProduct) or a VOW product (317: one per
    TeWijzigenProduct/NieuwProduct). For 315 the dates are ToewijzingIngangsdatum/-Einddatum,
    for 317 GewensteIngangsdatum/Einddatum; ``reden_verzoek`` is only filled for 317 and
    ``toewijzing_nummer`` only for a 317 TeWijzigenProduct."""

    client_key: str
    kind: Literal["VOT", "VOW"]
    referentie_aanbieder: str
    categorie: str | None
    productcode: str | None
    ingangsdatum: date | None
    einddatum: date | None
    volume: int | None
    eenheid: str | None
    frequentie: str | None
    reden_verzoek: str | None
    toewijzing_nummer: int | None = None
    budget: int | None = None


@dataclass(frozen=True, slots=True)
class Antwoord:
    """The Antwoord of a WMO319: ``verzoek_antwoord`` "1" afgewezen, "2" in onderzoek."""

    referentie_aanbieder: str
    verzoek_antwoord: str
    reden_afwijzing: str | None


@dataclass(frozen=True, slots=True)
class Retour:
    """A retour 302/306/308. ``rejected`` is True when any RetourCode anywhere in the message is
    something else than 0200 (geen opmerking) or 0233 (niet beoordeeld). ``codes`` holds the
    distinct codes in document order."""

    rejected: bool
    codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DeclaratieAntwoord:
    """A WMO325. It lists only rejected prestaties (OP303); ``rejected_referentienummers`` are
    their ReferentieNummers. ``codes`` are the distinct RetourCodes of the whole message in
    document order. ``declaratienummer`` is "" and the totals are None when the 325 has no
    DeclaratieAntwoord (the whole declaration was refused on header level, e.g. 0001);
    ``rejected`` tells whether the whole declaration was refused. Totals in eurocent as in the XML,
    with their own D/C indicator."""

    declaratienummer: str
    rejected_referentienummers: tuple[str, ...]
    codes: tuple[str, ...]
    totaal_toegekend: int | None
    totaal_toegekend_debet_credit: str | None = None
    totaal_ingediend: int | None = None
    totaal_ingediend_debet_credit: str | None = None
    rejected: bool = False


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    header: Header
    sha256: str  # hex of the ORIGINAL bytes
    stored_xml: bytes  # PII blanked
    clients: tuple[ClientInfo, ...]
    toewijzingen: tuple[Toewijzing, ...] = ()
    starts: tuple[StartProduct, ...] = ()
    stops: tuple[StopProduct, ...] = ()
    declaratie: Declaratie | None = None
    verzoeken: tuple[Verzoek, ...] = ()
    antwoord: Antwoord | None = None
    retour: Retour | None = None
    declaratie_antwoord: DeclaratieAntwoord | None = None
    warnings: tuple[Problem, ...] = ()
    size: int = 0  # bytes of the original message
    # 317 only: the ToewijzingNummers listed as OngewijzigdProduct (TR349: a VOW lists all).
    ongewijzigde_toewijzingen: tuple[int, ...] = ()

    @property
    def message_type(self) -> MessageType:
        return self.header.message_type


@dataclass(frozen=True, slots=True)
class RejectedMessage:
    """A message that is refused as a whole. ``stored_xml`` is the blanked XML when the input was
    well-formed and could be blanked; otherwise None (unblanked bytes are never kept)."""

    sha256: str
    size: int
    header: Header | None
    problems: tuple[Problem, ...]
    stored_xml: bytes | None

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def rules(self) -> tuple[str, ...]:
        """The distinct rules of the problems, in order; handy in tests and logs."""
        return tuple(dict.fromkeys(p.rule for p in self.problems))
