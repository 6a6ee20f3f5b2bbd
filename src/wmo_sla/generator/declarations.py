# SPDX-License-Identifier: EUPL-1.2
"""Monthly WMO323 declarations from the simulated deliveries.

One declaration per AGB code × gemeente × calendar month with at least one prestatie; one
Prestatie per client × toewijzing × product × month (IV089), its ProductPeriode clipped to the
delivered days of that month (and so to the toewijzing). GeleverdVolume follows the Omvang
(volume per week × delivered days ÷ 7 × a utilisation of 80–100 %, never above the assigned
volume; etmaal = delivered days). ProductTarief is the contract tariff of that year. A few debit
lines (persona ``credit_share``) are credited one to three months later with VorigReferentieNummer,
most of them followed by a corrected, lower debit line.

A declaration is sent 1–8 werkdagen after its month; one whose Dagtekening would fall after the
cut-off is not sent, so the last month is normally not declared yet.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from .model import Prestatie, Toewijzing, Wmo323
from .simulation import SimulationResult

SEQ_BASE = 1_000_000_000  # declarations sort after the other messages of the same day


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def _delivered_by_month(
    tw: Toewijzing, cut_off: date
) -> dict[tuple[int, int], tuple[date, date, int]]:
    """(year, month) -> (first day, last day, number of days) delivered, up to the cut-off."""
    months: dict[tuple[int, int], tuple[date, date, int]] = {}
    for episode in tw.episodes:
        start = episode.start
        end = min(episode.end or cut_off, cut_off)
        while start <= end:
            stop = min(end, _month_end(start.year, start.month))
            key = (start.year, start.month)
            days = (stop - start).days + 1
            if key in months:
                first, last, count = months[key]
                months[key] = (min(first, start), max(last, stop), count + days)
            else:
                months[key] = (start, stop, days)
            start = stop + timedelta(days=1)
    return months


class _Declarations:
    def __init__(self, result: SimulationResult) -> None:
        self.result = result
        self.cal = result.region.calendar
        self.by_key: dict[tuple[str, str, int, int], Wmo323 | None] = {}
        self.counter = 0

    def get(self, tw: Toewijzing, year: int, month: int) -> Wmo323 | None:
        key = (tw.agb, tw.gemeente, year, month)
        if key in self.by_key:
            return self.by_key[key]
        seed = f"{self.result.seed}:323:{tw.agb}:{tw.gemeente}:{year}-{month}"
        keyed = random.Random(seed)  # noqa: S311 - deterministic simulation, not security
        period_end = _month_end(year, month)
        day = self.cal.add(period_end, keyed.randint(1, 8))
        declaration: Wmo323 | None = None
        if day <= self.result.date_to:
            self.counter += 1
            declaration = Wmo323(
                dagtekening=day,
                afzender=tw.agb,
                ontvanger=tw.gemeente,
                seq=SEQ_BASE + self.counter,
                aanbieder=tw.aanbieder,
                gemeente=tw.gemeente,
                periode_begin=date(year, month, 1),
                periode_eind=period_end,
                declaratienummer=f"D{year % 100:02d}{month:02d}{tw.gemeente}{tw.agb[-3:]}",
                clients={},
            )
        self.by_key[key] = declaration
        return declaration


def build_declarations(result: SimulationResult) -> list[Wmo323]:
    rng = random.Random(f"{result.seed}:declaraties")  # noqa: S311 - deterministic simulation
    personas = {name: p.persona for name, p in result.region.providers.items()}
    decls = _Declarations(result)
    for tw in result.toewijzingen:
        if not tw.episodes or tw.deleted:
            continue
        bsn = result.persons[tw.client].bsn
        persona = personas[tw.aanbieder]
        months = _delivered_by_month(tw, result.date_to)
        for (year, month), (first, last, days) in sorted(months.items()):
            declaration = decls.get(tw, year, month)
            if declaration is None:
                continue
            if tw.product.eenheid == "14":  # etmaal: the delivered days (volume 7 per week)
                volume = round(days * tw.volume / 7)
            else:
                exact = tw.volume * days / 7
                volume = min(max(1, round(exact * rng.uniform(0.8, 1.0))), math.ceil(exact))
            volume = max(1, volume)
            debit = Prestatie(
                toewijzing=tw,
                begindatum=first,
                einddatum=last,
                volume=volume,
                tarief=tw.product.tariff(first.year),
                debet=True,
            )
            declaration.clients.setdefault(bsn, []).append(debit)
            if rng.random() >= persona.credit_share:
                continue
            later_year, later_month = _add_months(year, month, rng.randint(1, 3))
            later = decls.get(tw, later_year, later_month)
            if later is None:
                continue
            credit = Prestatie(
                toewijzing=tw,
                begindatum=first,
                einddatum=last,
                volume=volume,
                tarief=debit.tarief,
                debet=False,
                vorige=debit,
            )
            lines = later.clients.setdefault(bsn, [])
            lines.append(credit)
            if volume > 1 and rng.random() < 0.6:
                corrected = volume - rng.randint(1, max(1, volume // 5))
                lines.append(
                    Prestatie(
                        toewijzing=tw,
                        begindatum=first,
                        einddatum=last,
                        volume=corrected,
                        tarief=debit.tarief,
                        debet=True,
                    )
                )
    return [d for d in decls.by_key.values() if d is not None]
