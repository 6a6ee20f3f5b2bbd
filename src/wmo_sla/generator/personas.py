# SPDX-License-Identifier: EUPL-1.2
"""Provider personas: planted behaviour parameters the KPIs should recover.

Each aanbieder of the contract gets one persona, by its position in the contract file (the
first aanbieder the first persona, and so on, cycling when a contract lists more than twelve).
The assignment does not depend on the seed, so the demo always tells the same story: a large
stable provider, a model provider, one with about 30 % early endings, a slow starter, a late
messenger, a small provider, …

All shares are probabilities per trajectory or per message; see docs/generator.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace


@dataclass(frozen=True, slots=True, kw_only=True)
class Persona:
    key: str
    label: str  # Dutch, for the manifest and the docs
    size_weight: float = 1.0  # relative share of new clients among eligible providers
    wait_within_norm: float = 0.92  # K6: share of starts within the norm (10 werkdagen / 91 days)
    wait_mode_werkdagen: int = 5  # most likely wait within the norm (IB, dagbesteding)
    wait_mode_days_bw: int = 35  # most likely wait within the norm (beschermd wonen, days)
    duration_factor: float = 1.0  # × the product group's median trajectory duration
    early_end_share: float = 0.12  # K8: share of {21,22,23} among {19,21,22,23} endings
    start_on_time: float = 0.93  # K11s: 305 within 5 werkdagen of the reference date
    stop_on_time: float = 0.90  # K11e: definitive 307 within 5 werkdagen of Einddatum
    missing_start: float = 0.02  # no 305 at all (derived start from the declarations)
    missing_stop: float = 0.04  # no definitive 307
    correction_share: float = 0.03  # 305 sent with a wrong Begindatum, corrected by 3 then 1
    temp_stop_share: float = 0.06  # trajectories with a temporary stop (reden 20)
    transfer_out_share: float = 0.04  # ends by overstap to another provider (38 / 09)
    recidive_share: float = 0.10  # K9: goal-type end followed by a new trajectory within 365 d
    upscale_share: float = 0.08  # K4: trajectories with a re-indication upwards
    downscale_share: float = 0.10  # K3: trajectories with a re-indication downwards
    vot_share: float = 0.25  # new toewijzingen preceded by a WMO315 from this provider
    vow_share: float = 0.40  # re-indications requested by this provider via WMO317
    not_started_share: float = 0.02  # toewijzingen never started (niet gestart)
    credit_share: float = 0.01  # declared prestaties later credited

    def planted(self) -> dict[str, float | int | str]:
        return dict(sorted(asdict(self).items()))


BASE = Persona(key="basis", label="Gemiddelde aanbieder")

PERSONAS: tuple[Persona, ...] = (
    replace(BASE, key="stabiel-groot", label="Grote, stabiele aanbieder", size_weight=2.2),
    replace(
        BASE,
        key="voorbeeldig",
        label="Voorbeeldige aanbieder: snel, tijdig, weinig uitval",
        wait_within_norm=0.97,
        wait_mode_werkdagen=3,
        early_end_share=0.05,
        start_on_time=0.99,
        stop_on_time=0.98,
        missing_start=0.005,
        missing_stop=0.01,
        correction_share=0.01,
        recidive_share=0.05,
        downscale_share=0.15,
    ),
    replace(
        BASE,
        key="vroegtijdig",
        label="Veel voortijdige beëindigingen (ca. 30 %)",
        early_end_share=0.30,
        duration_factor=0.8,
        recidive_share=0.18,
    ),
    replace(
        BASE,
        key="trage-starter",
        label="Trage starter: lange wachttijden",
        wait_within_norm=0.60,
        wait_mode_werkdagen=9,
        wait_mode_days_bw=75,
        not_started_share=0.06,
    ),
    replace(
        BASE,
        key="late-berichten",
        label="Late berichtgever: start- en stopberichten vaak te laat of ontbrekend",
        start_on_time=0.55,
        stop_on_time=0.50,
        missing_start=0.08,
        missing_stop=0.15,
        correction_share=0.08,
    ),
    replace(BASE, key="klein", label="Kleine aanbieder", size_weight=0.25),
    replace(
        BASE,
        key="lange-trajecten",
        label="Lange trajecten, weinig uitstroom",
        duration_factor=1.8,
        early_end_share=0.08,
        upscale_share=0.15,
    ),
    replace(
        BASE,
        key="correcties",
        label="Veel correcties, tijdelijke stops en creditdeclaraties",
        correction_share=0.15,
        temp_stop_share=0.20,
        credit_share=0.05,
    ),
    replace(
        BASE,
        key="opschaler",
        label="Schaalt vaak op",
        upscale_share=0.30,
        downscale_share=0.03,
    ),
    replace(
        BASE,
        key="draaideur",
        label="Draaideur: korte trajecten, veel terugkeer",
        duration_factor=0.55,
        recidive_share=0.35,
        early_end_share=0.18,
    ),
    replace(
        BASE,
        key="afschaler",
        label="Herstelgericht: schaalt vaak af, weinig terugkeer",
        downscale_share=0.35,
        upscale_share=0.03,
        early_end_share=0.07,
        recidive_share=0.04,
    ),
    replace(
        BASE,
        key="overstappers",
        label="Veel overstappen naar een andere aanbieder",
        transfer_out_share=0.20,
        missing_stop=0.10,
    ),
)


def assign_personas(aanbieders: Sequence[str]) -> dict[str, Persona]:
    """Persona per aanbieder name, by position in the contract (cycling after twelve)."""
    return {name: PERSONAS[index % len(PERSONAS)] for index, name in enumerate(aanbieders)}
