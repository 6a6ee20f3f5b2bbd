# SPDX-License-Identifier: EUPL-1.2
"""Code lists used by the contract master data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractKind(models.TextChoices):
    IB = "IB", _("Individuele Begeleiding")
    BW = "BW", _("Beschermd Wonen")
    BEGELEIDING = "BEG", _("Begeleiding / Dagbesteding")


class Eenheid(models.TextChoices):
    """iWmo code list WJ756 (Eenheid)."""

    MINUUT = "01", _("Minuut")
    UUR = "04", _("Uur")
    ETMAAL = "14", _("Etmaal")
    DAGDEEL = "16", _("Dagdeel (4 uur)")
    STUKS_OUTPUT = "82", _("Stuks (output)")
    EURO = "83", _("Euro's")
    STUKS_INSPANNING = "84", _("Stuks (inspanning)")


class NormKind(models.TextChoices):
    CONTRACT = "contract", _("Contractnorm")
    HISTORISCH = "historisch", _("Historische norm")


class NormDirection(models.TextChoices):
    """Which side of the norm is good."""

    MAX = "max", _("Maximum: lager is beter")
    MIN = "min", _("Minimum: hoger is beter")


class NormStatus(models.TextChoices):
    PROPOSED = "voorgesteld", _("Voorgesteld")
    APPROVED = "vastgesteld", _("Vastgesteld")


class NormMethod(models.TextChoices):
    """How a historical norm is derived from the figures of the two previous years (KPIS.md)."""

    POOLED = "pooled", _("Gepoold")
    P75 = "p75", _("P75 (n ≥ 20)")
    P90 = "p90", _("P90 (n ≥ 20)")


class NormProposalStatus(models.TextChoices):
    """Status of a derived historical norm proposal (see ``NORM_PROPOSAL_TRANSITIONS``)."""

    PROPOSED = "voorgesteld", _("Voorgesteld")
    APPROVED = "vastgesteld", _("Vastgesteld")
    REJECTED = "afgewezen", _("Afgewezen")
    SUPERSEDED = "vervallen", _("Vervallen (vervangen door een nieuw voorstel)")


#: The allowed status changes of a norm proposal; ``""`` is "not yet created".
NORM_PROPOSAL_TRANSITIONS: dict[str, frozenset[str]] = {
    "": frozenset({NormProposalStatus.PROPOSED}),
    NormProposalStatus.PROPOSED: frozenset(
        {
            NormProposalStatus.APPROVED,
            NormProposalStatus.REJECTED,
            NormProposalStatus.SUPERSEDED,
        }
    ),
    NormProposalStatus.APPROVED: frozenset(),
    NormProposalStatus.REJECTED: frozenset(),
    NormProposalStatus.SUPERSEDED: frozenset(),
}


class IndexationMethod(models.TextChoices):
    NONE = "geen", _("Geen indexatie")
    CAO_CPI_SEPTEMBER = (
        "gemiddelde-cao-cpi-september",
        _("Gemiddelde van CBS cao-lonen (sector Q) en CBS CPI-jaarmutatie, septembercijfers"),
    )
