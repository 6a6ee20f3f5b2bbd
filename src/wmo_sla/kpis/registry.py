# SPDX-License-Identifier: EUPL-1.2
"""The KPI registry: one place that names every figure code of KPIS.md (version 1).

Pure data; no ORM. The codes are a public interface (export, API): keep them stable. A change of
definition is a new ``version``, never a silent edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    COUNT = "aantal"
    SHARE = "aandeel"  # 0–1, numerator ÷ denominator
    RATE_PER_100 = "per 100"
    DAYS = "dagen"
    WERKDAGEN = "werkdagen"
    EURO = "euro"
    RATIO = "verhouding"
    SCORE = "cijfer"


class Direction(StrEnum):
    HIGHER_IS_BETTER = "hoger-is-beter"
    LOWER_IS_BETTER = "lager-is-beter"
    CONTEXT = "context"  # no good or bad side: shown for the dialogue only


@dataclass(frozen=True, slots=True)
class FigureDefinition:
    code: str
    kpi: str  # the KPI it belongs to, e.g. "K2" for "K2v"
    name_nl: str
    name_en: str
    unit: Unit
    direction: Direction
    version: int = 1


# Final RedenBeeindiging codes (WMO588) that K12 reports, definitive ends only (20 is temporary).
K12_REASONS: tuple[str, ...] = ("02", "19", "21", "22", "23", "31", "36", "37", "38", "39")

_C = Direction.CONTEXT
_H = Direction.HIGHER_IS_BETTER
_L = Direction.LOWER_IS_BETTER

_FIGURES: tuple[FigureDefinition, ...] = (
    FigureDefinition("K1", "K1", "Instroom", "Inflow", Unit.COUNT, _C),
    FigureDefinition("K1n", "K1", "Instroom nieuw", "Inflow new", Unit.COUNT, _C),
    FigureDefinition("K1h", "K1", "Instroom herhaald", "Inflow repeated", Unit.COUNT, _C),
    FigureDefinition("K1o", "K1", "Instroom overname", "Inflow transfer", Unit.COUNT, _C),
    FigureDefinition("K2", "K2", "Uitstroom", "Outflow", Unit.COUNT, _C),
    FigureDefinition("K2v", "K2", "Uitstroom volgens plan", "Outflow as planned", Unit.COUNT, _C),
    FigureDefinition("K2x", "K2", "Uitstroom voortijdig", "Outflow premature", Unit.COUNT, _C),
    FigureDefinition("K2e", "K2", "Uitstroom extern", "Outflow external", Unit.COUNT, _C),
    FigureDefinition("K2o", "K2", "Uitstroom overstap", "Outflow transfer", Unit.COUNT, _C),
    FigureDefinition(
        "K2g", "K2", "Uitstroom gemeente/administratief", "Outflow municipal", Unit.COUNT, _C
    ),
    FigureDefinition(
        "K2z", "K2", "Uitstroom zonder stopbericht", "Outflow without stop message", Unit.COUNT, _C
    ),
    FigureDefinition("K2s", "K2", "Stand op laatste dag", "Active on last day", Unit.COUNT, _C),
    FigureDefinition("K2a", "K2", "Actief in periode", "Active in period", Unit.COUNT, _C),
    FigureDefinition("K2r", "K2", "Uitstroompercentage", "Outflow rate", Unit.SHARE, _C),
    FigureDefinition("K3", "K3", "Afschaling", "Down-scaling", Unit.RATE_PER_100, _H),
    FigureDefinition("K4", "K4", "Opschaling", "Up-scaling", Unit.RATE_PER_100, _C),
    FigureDefinition("K5", "K5", "Gemiddelde duur", "Mean duration", Unit.DAYS, _C),
    FigureDefinition("K5m", "K5", "Mediane duur", "Median duration", Unit.DAYS, _C),
    FigureDefinition(
        "K5km", "K5", "Kaplan–Meier-mediaan duur", "Kaplan–Meier median duration", Unit.DAYS, _C
    ),
    FigureDefinition("K5n", "K5", "Gemiddelde netto duur", "Mean net duration", Unit.DAYS, _C),
    FigureDefinition("K6", "K6", "Gestart binnen de norm", "Started within norm", Unit.SHARE, _H),
    FigureDefinition("K6m", "K6", "Mediane wachttijd", "Median waiting time", Unit.WERKDAGEN, _L),
    FigureDefinition("K6p", "K6", "P90 wachttijd", "P90 waiting time", Unit.WERKDAGEN, _L),
    FigureDefinition(
        "K7", "K7", "Mediane doorlooptijd t.o.v. besluit", "Median actual/planned", Unit.RATIO, _C
    ),
    FigureDefinition("K7v", "K7", "Aandeel verlengd", "Share extended", Unit.SHARE, _C),
    FigureDefinition("K7e", "K7", "Aandeel vroegtijdig", "Share early", Unit.SHARE, _C),
    FigureDefinition("K8", "K8", "Beëindigd zonder doelen", "Ended without goals", Unit.SHARE, _L),
    FigureDefinition("K8u", "K8", "Uitval", "Drop-out", Unit.SHARE, _L),
    FigureDefinition("K9", "K9", "Recidive (365 dagen)", "Recurrence (365 days)", Unit.SHARE, _L),
    FigureDefinition("K9h", "K9", "Recidive (182 dagen)", "Recurrence (182 days)", Unit.SHARE, _L),
    FigureDefinition("K9d", "K9", "Duurzame uitstroom", "Sustained outflow", Unit.SHARE, _H),
    FigureDefinition("K10", "K10", "Kosten per cliënt", "Cost per client", Unit.EURO, _C),
    FigureDefinition(
        "K10w", "K10", "Kosten per cliënt per 4 weken", "Cost per client per 4 weeks", Unit.EURO, _C
    ),
    FigureDefinition(
        "K10oe", "K10", "Werkelijke ÷ verwachte kosten", "Observed ÷ expected cost", Unit.RATIO, _C
    ),
    FigureDefinition(
        "K11s", "K11", "Startberichten tijdig", "Start messages on time", Unit.SHARE, _H
    ),
    FigureDefinition(
        "K11e", "K11", "Stopberichten tijdig", "Stop messages on time", Unit.SHARE, _H
    ),
    FigureDefinition(
        "K11ms", "K11", "Ontbrekende startberichten", "Missing start messages", Unit.SHARE, _L
    ),
    FigureDefinition(
        "K11me", "K11", "Ontbrekende stopberichten", "Missing stop messages", Unit.SHARE, _L
    ),
    FigureDefinition("K11c", "K11", "Correctiepercentage", "Correction rate", Unit.SHARE, _L),
    FigureDefinition(
        "K11l",
        "K11",
        "Mediane doorlooptijd bericht",
        "Median message lead time",
        Unit.WERKDAGEN,
        _L,
    ),
    *(
        FigureDefinition(
            f"K12-{reason}",
            "K12",
            f"Uitstroomreden {reason}",
            f"Outflow reason {reason}",
            Unit.SHARE,
            _C,
        )
        for reason in K12_REASONS
    ),
    FigureDefinition(
        "K12-z",
        "K12",
        "Uitstroom zonder stopbericht",
        "Outflow without stop message",
        Unit.SHARE,
        _C,
    ),
    FigureDefinition("K13", "K13", "Cliënttevredenheid", "Client satisfaction", Unit.SCORE, _H),
    FigureDefinition("K13p", "K13", "Aandeel cijfer ≥ 7", "Share of scores ≥ 7", Unit.SHARE, _H),
)

FIGURES: dict[str, FigureDefinition] = {figure.code: figure for figure in _FIGURES}


def figure(code: str) -> FigureDefinition:
    """Return the definition of a figure code; raises KeyError for an unknown code."""
    return FIGURES[code]


def is_known_code(code: str) -> bool:
    return code in FIGURES


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    default: str
    description_nl: str


@dataclass(frozen=True, slots=True)
class KpiDefinition:
    """One KPI of KPIS.md version 1: the text shown next to every figure and in docs/kpis.md."""

    code: str
    name_nl: str
    name_en: str
    definition_nl: str
    definition_en: str
    norm_nl: str
    parameters: tuple[Parameter, ...] = ()
    version: int = 1


_G = Parameter("gap_days", "1", "G: maximale onderbreking in kalenderdagen binnen één traject")
_EPSILON = Parameter(
    "scaling_epsilon", "0.10", "ε: minimale relatieve verandering in intensiteit (grens telt mee)"
)

KPIS: dict[str, KpiDefinition] = {
    k.code: k
    for k in (
        KpiDefinition(
            "K1",
            "Instroom",
            "Inflow",
            "Aantal trajecten dat in de periode start, per aanbieder × referentiegroep. Uitgesplitst "
            "naar nieuw (geen traject in de productgroep bij welke aanbieder ook in de 365 dagen "
            "ervoor), herhaald en overname (vorig traject bij een andere aanbieder eindigde met reden "
            "38 of RedenWijziging 09 binnen G dagen); een overname telt niet ook als herhaald.",
            "Trajectories starting in the period; split new, repeated and transfer.",
            "Geen norm (context).",
            (_G,),
        ),
        KpiDefinition(
            "K2",
            "Uitstroom",
            "Outflow",
            "Trajecten die in de periode definitief eindigen, per redengroep: volgens plan (19), "
            "voortijdig (21, 22, 23), extern (02, 31, 39), overstap (38), gemeente/administratief "
            "(36, 37) en zonder stopbericht (toewijzing meer dan 5 werkdagen geleden geëindigd, start "
            "bekend, geen definitieve stop: vermoedelijke uitstroom op de Einddatum van de "
            "toewijzing). Ook de stand op de laatste dag en het aantal actieve trajecten in de "
            "periode; uitstroompercentage = uitstroom ÷ actief in periode.",
            "Trajectories ending definitively in the period, by reason group; stock; active; rate.",
            "Geen norm (context).",
            (_G,),
        ),
        KpiDefinition(
            "K3",
            "Afschaling",
            "Down-scaling",
            "Gebeurtenissen waarbij toewijzing A van een cliënt bij deze aanbieder binnen dezelfde "
            "productgroep wordt gevolgd door een nieuwe toewijzing B met Ingangsdatum A < "
            "Ingangsdatum B ≤ Einddatum A + G en een intensiteit die minstens ε lager is; bij "
            "Frequentie 6 (totaal) of een budget worden ook opeenvolgende versies van dezelfde "
            "toewijzing vergeleken als het volume of budget wijzigt. Intensiteit = verwachte kosten "
            "per week (volume per week × contracttarief van het product in het jaar van de "
            "Ingangsdatum; budget ÷ weken geldigheid), zonder tarief uren per week (minuut ÷ 60, "
            "dagdeel × 4, etmaal × 24). Niet geteld: RedenWijziging 03, 10, 11, 14. Datum: "
            "Ingangsdatum B (bij een versie: de Toewijzingsdatum). Per 100 trajecten die in de "
            "periode actief zijn (teller = aantal gebeurtenissen).",
            "Events of a lighter re-indication, per 100 active trajectories.",
            "Alleen richting: meer afschaling is gunstig.",
            (_G, _EPSILON),
        ),
        KpiDefinition(
            "K4",
            "Opschaling",
            "Up-scaling",
            "Als K3, maar met een intensiteit die minstens ε hoger is. Per 100 trajecten die in de "
            "periode actief zijn.",
            "Events of a heavier re-indication, per 100 active trajectories.",
            "Geen norm (context).",
            (_G, _EPSILON),
        ),
        KpiDefinition(
            "K5",
            "Gemiddelde duur",
            "Duration",
            "(a) Gemiddelde en mediaan van einde − start + 1 dagen over trajecten die in de periode "
            "eindigen met een definitief stopbericht (vermoedelijke uitstroom apart); (b) "
            "Kaplan–Meier-mediaan over trajecten die in het jaar starten (alleen jaarcijfers), "
            "lopende trajecten gecensureerd op de peildatum; een einde zonder stopbericht telt als "
            "einde; zolang de helft niet is beëindigd is er geen mediaan. Ook de netto duur zonder "
            "tijdelijke onderbrekingen.",
            "Mean and median duration of ended trajectories; Kaplan–Meier median; net duration.",
            "Afgeleid uit historie.",
            (_G,),
        ),
        KpiDefinition(
            "K6",
            "Wachttijd",
            "Waiting time",
            "Voor elke toewijzing die een nieuw traject opent of niet gestart is: werkdagen van het "
            "anker = max(Toewijzingsdatum, Ingangsdatum) tot de eerste Begindatum (0 bij een start "
            "vóór het anker: terugwerkende kracht). KPI = % gestart binnen de norm; ook mediaan en "
            "P90. Niet gestart en termijn verstreken telt als niet binnen de norm. Cohort = "
            "toewijzingen met het anker in de periode.",
            "Share of new-trajectory assignments started within the norm; median and P90 wait.",
            "IB/Begeleiding 10 werkdagen, Beschermd wonen 13 weken (91 dagen); ≥ 90 % binnen de norm.",
            (Parameter("share_norm", "0.90", "vereist aandeel binnen de norm"),),
        ),
        KpiDefinition(
            "K7",
            "Doorlooptijd t.o.v. besluit",
            "Duration vs decision",
            "Voor trajecten die in de periode eindigen en waarvan de openende toewijzing een "
            "Einddatum had: R = werkelijke duur ÷ geplande duur (Einddatum − Ingangsdatum + 1 van de "
            "eerste versie). Mediaan R, % R > 1 (verlengd), % R < 0,5 (vroegtijdig).",
            "Actual ÷ planned duration of ended trajectories.",
            "Afgeleid uit historie.",
        ),
        KpiDefinition(
            "K8",
            "Beëindigd zonder doelen",
            "Ended without reaching goals",
            "Trajecten die in de periode definitief eindigen met reden 21, 22 of 23, gedeeld door "
            "die met reden 19, 21, 22 of 23. Variant K8u (uitval): alleen 21 en 22.",
            "Share of definitive ends with reason 21/22/23 among 19/21/22/23.",
            "≤ 10 %.",
        ),
        KpiDefinition(
            "K9",
            "Recidive",
            "Recurrence",
            "Cohort: trajecten die in de periode definitief eindigen met reden 19, 21, 22 of 23 en "
            "waarvan de cliënt op die einddatum geen ander actief traject had. Gebeurtenis: een nieuw "
            "traject voor dezelfde cliënt in een gemonitorde productgroep bij welke aanbieder ook, "
            "meer dan G en hoogstens W dagen na het einde (W = 365; K9h: 182). Pas getoond als het "
            "hele venster voorbij is. Duurzame uitstroom K9d = 1 − K9.",
            "Return into support within W days after a definitive end.",
            "≤ 10 %.",
            (_G, Parameter("window_days", "365", "W: venster voor terugkeer")),
        ),
        KpiDefinition(
            "K10",
            "Kosten per cliënt",
            "Cost per client",
            "Som van het netto goedgekeurde gedeclareerde bedrag (debet − credit; door WMO325 "
            "afgewezen regels eruit) van prestaties met een ProductPeriode in de periode (naar rato "
            "van dagen bij overlap), gedeeld door het aantal cliënten met zo'n prestatie. Ook per "
            "cliënt per 4 weken in zorg en werkelijke ÷ verwachte kosten: het gedeclareerde bedrag "
            "gedeeld door het toegewezen volume per week × het tarief van het jaar van de "
            "ProductPeriode over dezelfde dagen (binnen de geldigheid van de toewijzing); "
            "ProductPeriodes zonder bekend tarief of met een netto bedrag ≤ 0 tellen aan geen "
            "van beide kanten mee.",
            "Net approved declared amount per client; per 4 weeks; observed ÷ expected.",
            "Afgeleid uit historie, geïndexeerd met de tarieven.",
        ),
        KpiDefinition(
            "K11",
            "Administratief proces",
            "Administrative process",
            "% WMO305 verzonden binnen 5 werkdagen na de referentiedatum = max(Begindatum, "
            "Dagtekening van de eerste WMO301 met die toewijzing) (OP271); % definitieve WMO307 "
            "binnen 5 werkdagen na de Einddatum. Verzonden = Dagtekening van de eerste aanlevering "
            "van die sleutel. Ook mediaan en P90 doorlooptijd, % ontbrekende starts en stops en het "
            "correctiepercentage (aandeel aanleveringen dat later is verwijderd).",
            "Timeliness of start and stop messages; missing messages; corrections.",
            "≥ 95 % tijdig.",
            (Parameter("deadline_werkdagen", "5", "termijn in werkdagen"),),
        ),
        KpiDefinition(
            "K12",
            "Uitstroomredenen",
            "Outflow reasons",
            "Verdeling van de laatste RedenBeeindiging over definitieve beëindigingen (groepen van "
            "K2 en de zeven categorieën van het memo), vergeleken met de eigen halfjaarrapportage van "
            "de aanbieder.",
            "Distribution of final stop reasons over definitive ends.",
            "Geen norm (gesprek).",
        ),
        KpiDefinition(
            "K13",
            "Cliënttevredenheid",
            "Client satisfaction",
            "Gemiddeld rapportcijfer (1–10) uit de ingelezen onderzoeksresultaten van de aanbieder, "
            "met n, 95 %-interval (t) en % cijfers ≥ 7. Niet getoond bij n < 10.",
            "Mean 1–10 score from survey results; share ≥ 7.",
            "IB ≥ 7; Beschermd wonen (Gouda) ≥ 6.",
        ),
    )
}


def kpi_of(code: str) -> KpiDefinition:
    """The KPI a figure code belongs to (``K8u`` → K8, ``K12-19`` → K12)."""
    return KPIS[FIGURES[code].kpi]
