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
