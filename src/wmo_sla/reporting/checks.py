# SPDX-License-Identifier: EUPL-1.2
"""The check of reported uitstroomredenen against the iWmo-derived outflow (pure; no ORM).

Per referentiegroep the reported total is compared with K2 (definitive ends in the half year,
vermoedelijke uitstroom included) and four categories with their one-to-one RedenBeeindiging
(WMO588) shares of K12: doelen bereikt ↔ 19, overleden ↔ 02, andere aanbieder ↔ 38, Wlz ↔ 39.
The other categories (andere maatwerkvoorziening, verhuisd buiten de regio, overig) have no
unambiguous code and are not compared. A difference larger than
``max(tolerance_abs, tolerance_pct % × iWmo count)`` is a warning; a warning needs an explanation
before the report can be submitted (never a silent pass).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

# Memo category → K12 figure code with the same meaning (KPIS.md, K12).
CATEGORY_K12: dict[str, str] = {
    "doelen_bereikt": "K12-19",
    "overleden": "K12-02",
    "andere_aanbieder": "K12-38",
    "wlz": "K12-39",
}
CATEGORY_LABELS: dict[str, str] = {
    "totaal": "totale uitstroom",
    "doelen_bereikt": "doelen bereikt",
    "overleden": "overleden",
    "andere_aanbieder": "andere aanbieder",
    "wlz": "Wlz",
}


@dataclass(frozen=True)
class Finding:
    referentiegroep: str
    category: str  # "totaal" or a key of CATEGORY_K12
    reported: int
    derived: int
    allowed: float
    hidden: bool  # the iWmo count may not be shown to this user (n < 5 for a provider)

    @property
    def difference(self) -> int:
        return self.reported - self.derived

    @property
    def over_tolerance(self) -> bool:
        return abs(self.difference) > self.allowed

    def message(self) -> str:
        label = CATEGORY_LABELS.get(self.category, self.category)
        if self.hidden:
            return (
                f"{self.referentiegroep}, {label}: u meldt {self.reported}; dat wijkt meer dan de "
                "tolerantie af van wat uit de iWmo-berichten volgt."
            )
        return (
            f"{self.referentiegroep}, {label}: u meldt {self.reported}, uit de iWmo-berichten "
            f"volgen er {self.derived} (verschil {self.difference:+d}, toegestaan "
            f"{self.allowed:g})."
        )


@dataclass(frozen=True)
class CheckResult:
    available: bool  # False: no computation covers the period; nothing could be compared
    run_id: int | None
    findings: tuple[Finding, ...]
    note: str = ""

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.over_tolerance)

    def as_json(self) -> dict[str, Any]:
        return {
            "available": self.available,
            "run_id": self.run_id,
            "note": self.note,
            "findings": [
                {**asdict(f), "over_tolerance": f.over_tolerance, "message": f.message()}
                for f in self.findings
            ],
        }


def allowed_difference(derived: int, tolerance_abs: int, tolerance_pct: int) -> float:
    return max(float(tolerance_abs), tolerance_pct / 100 * derived)


def compare_outflow(
    reported: Mapping[str, Mapping[str, int]],
    derived: Mapping[str, Mapping[str, int]],
    *,
    tolerance_abs: int,
    tolerance_pct: int,
    hidden: frozenset[str] = frozenset(),
) -> tuple[Finding, ...]:
    """Findings per referentiegroep (reported groups; a group without iWmo ends counts 0).

    ``reported``: group → {"totaal": n, category: n}; ``derived``: group → {"totaal": K2 count,
    category: K12 count}; ``hidden``: groups whose iWmo counts the user may not see.
    """
    findings: list[Finding] = []
    for group in sorted(reported):
        counts = reported[group]
        iwmo = derived.get(group, {})
        for category in ("totaal", *CATEGORY_K12):
            value = int(iwmo.get(category, 0))
            findings.append(
                Finding(
                    referentiegroep=group,
                    category=category,
                    reported=int(counts.get(category, 0)),
                    derived=value,
                    allowed=allowed_difference(value, tolerance_abs, tolerance_pct),
                    hidden=group in hidden,
                )
            )
    return tuple(findings)
