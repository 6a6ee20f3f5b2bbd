# SPDX-License-Identifier: EUPL-1.2
"""Client lifecycles as plain data: toewijzingen, deliveries and the messages they cause.

One :class:`ClientSim` per client walks through time: request → (VOT) → toewijzing → start after
a waiting time → extensions (OP380), re-indications (OP257, optionally after a VOW), temporary
stops and restarts → a definitive end (WMO588 reason) → possibly a transfer (overname) or a
return months later. Every gemeente decision is a :class:`~.model.Version` carried by a WMO301;
every start and stop goes through the provider's persona (late, missing, corrected).

Randomness: one ``random.Random(seed)`` draws the BSNs and a 64-bit seed per client; each client
then uses its own ``random.Random``. Nothing depends on time, hashing or set order.

Nothing is emitted with a Dagtekening after ``date_to``; a decision after the cut-off is not
taken at all, so the truth (toewijzing versions, deliveries) matches what the messages say.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from .bsn import generate_bsns
from .model import (
    Episode,
    Message,
    NewProductRequest,
    Person,
    ProductInfo,
    ScalingRecord,
    StartItem,
    StartRecord,
    StopItem,
    StopRecord,
    Toewijzing,
    Trajectory,
    Version,
    Wmo301,
    Wmo305,
    Wmo307,
    Wmo315,
    Wmo317,
    Wmo319,
)
from .names import make_person
from .region import Group, Provider, Region

DAY = timedelta(days=1)
GOAL_REASONS = ("19", "21", "22", "23")
EARLY_REASONS = ("21", "22", "23")
SECOND_GROUP_SHARE = 0.12  # clients with concurrent care in a second product group
EXIT_MARGIN = timedelta(days=60)
EXTERNAL_REDEN = {"02": "02", "31": "07", "39": "06"}  # stop reason -> RedenWijziging
#: Gemeente population weights (thousands) for choosing where a new client lives.
GEMEENTE_WEIGHTS = {
    "0482": 20.0,
    "0505": 120.0,
    "0512": 38.0,
    "0523": 22.0,
    "0531": 32.0,
    "1978": 45.0,
    "0590": 32.0,
    "0610": 25.0,
    "0642": 45.0,
}


@dataclass(slots=True, kw_only=True)
class Overname:
    decision: date
    ingang: date


@dataclass(slots=True, kw_only=True)
class Outcome:
    kind: str  # none | overname | terugkeer | opnieuw
    when: date | None = None
    provider: str | None = None
    overname: Overname | None = None


@dataclass(slots=True, kw_only=True)
class SimulationResult:
    region: Region
    date_from: date
    date_to: date
    seed: int
    persons: list[Person]
    toewijzingen: list[Toewijzing]
    messages: list[Message]
    trajectories: list[Trajectory]
    starts: list[StartRecord]
    stops: list[StopRecord]
    scalings: list[ScalingRecord]
    counters: dict[str, dict[str, int]]  # aanbieder -> counter name -> count
    client_seeds: list[int] = field(default_factory=list)


class Simulation:
    def __init__(self, region: Region, *, date_from: date, date_to: date, seed: int) -> None:
        self.region = region
        self.date_from = date_from
        self.date_to = date_to
        self.seed = seed
        self.messages: list[Message] = []
        self.toewijzingen: list[Toewijzing] = []
        self.trajectories: list[Trajectory] = []
        self.starts: list[StartRecord] = []
        self.stops: list[StopRecord] = []
        self.scalings: list[ScalingRecord] = []
        self.persons: list[Person] = []
        self.counters: dict[str, dict[str, int]] = {name: {} for name in region.providers}
        self._seq = 0
        self._uid = 0

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def next_uid(self) -> int:
        self._uid += 1
        return self._uid

    def emit(self, message: Message) -> bool:
        if message.dagtekening > self.date_to:
            return False
        self.messages.append(message)
        return True

    def count(self, aanbieder: str, name: str, n: int = 1) -> None:
        bucket = self.counters[aanbieder]
        bucket[name] = bucket.get(name, 0) + n

    def run(
        self, clients: int, progress: Callable[[int, int], None] | None = None
    ) -> SimulationResult:
        master = random.Random(self.seed)  # noqa: S311 - deterministic simulation, not security
        bsns = generate_bsns(master, clients)
        seeds = [master.getrandbits(64) for _ in range(clients)]
        step = max(1, clients // 200)
        for index in range(clients):
            rng = random.Random(seeds[index])  # noqa: S311 - deterministic simulation
            ClientSim(self, index, bsns[index], rng).run()
            if progress is not None and ((index + 1) % step == 0 or index + 1 == clients):
                progress(index + 1, clients)
        return SimulationResult(
            region=self.region,
            date_from=self.date_from,
            date_to=self.date_to,
            seed=self.seed,
            persons=self.persons,
            toewijzingen=self.toewijzingen,
            messages=self.messages,
            trajectories=self.trajectories,
            starts=self.starts,
            stops=self.stops,
            scalings=self.scalings,
            counters=self.counters,
            client_seeds=seeds,
        )


def _first_of_next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _fmt_time(seconds: int) -> str:
    seconds = min(seconds, 24 * 3600 - 1)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _parse_time(text: str) -> int:
    hours, minutes, seconds = (int(part) for part in text.split(":"))
    return hours * 3600 + minutes * 60 + seconds


class ClientSim:
    """The whole history of one client."""

    def __init__(self, sim: Simulation, index: int, bsn: str, rng: random.Random) -> None:
        self.sim = sim
        self.index = index
        self.bsn = bsn
        self.rng = rng
        self.region = sim.region
        self.cal = sim.region.calendar
        self.to = sim.date_to
        self.times: dict[date, int] = {}
        self.refs = 0
        self.last_activity = sim.date_from
        self.toewijzingen: list[Toewijzing] = []
        self.gemeente = ""
        self.exit: tuple[date, str] | None = None  # death, move or Wlz: ends all care
        self.exit_decided: date | None = None  # the gemeente's WMO301 about that exit
        self.secondary = False  # simulating the second, concurrent line of care
        self.person: Person

    # --- small helpers -----------------------------------------------------------------------

    def _activity(self, day: date) -> None:
        self.last_activity = max(self.last_activity, day)

    def _lag(self, on_time: float) -> int:
        if self.rng.random() < on_time:
            return self.rng.choice((0, 1, 1, 2, 2, 2, 3, 3, 4, 5))
        return self.rng.randint(6, 30)

    def _time_for(self, day: date) -> int:
        last = self.times.get(day)
        if last is None:
            value = 8 * 3600 + self.rng.randint(0, 8 * 3600)
        else:
            value = min(last + self.rng.randint(60, 1200), 24 * 3600 - 1)
        self.times[day] = value
        return value

    def _ref(self, kind: str) -> str:
        self.refs += 1
        return f"{kind}-{self.index:06d}-{self.refs:03d}"

    def _choose_weighted(self, names: list[str], weights: list[float]) -> str | None:
        if not names:
            return None
        return self.rng.choices(names, weights=weights)[0]

    def _choose_provider(self, group: str, exclude: str | None = None) -> str | None:
        names = [n for n in self.region.groups[group].providers if n != exclude]
        weights = [self.region.providers[n].persona.size_weight for n in names]
        return self._choose_weighted(names, weights)

    def _choose_product(self, group: Group) -> ProductInfo:
        products = list(group.products)
        top = max(p.rank for p in products)
        if group.params.norm_in_days:  # residential care: mostly the full product
            weights = [1.0 if p.rank == top else 0.2 for p in products]
        else:
            weights = [1.0 / p.rank for p in products]
        return self.rng.choices(products, weights=weights)[0]

    def _choose_volume(self, product: ProductInfo) -> int:
        if product.eenheid == "14":
            return 7
        if product.eenheid == "16":
            return self.rng.choice((1, 2, 2, 3, 4, 4, 5, 6, 8))
        return self.rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6))

    def _sample_wait(self, provider: Provider, group: Group) -> int:
        persona = provider.persona
        params = group.params
        if params.norm_in_days:
            if self.rng.random() < persona.wait_within_norm:
                return int(self.rng.triangular(7, params.norm, persona.wait_mode_days_bw))
            return self.rng.randint(params.norm + 1, params.norm + 110)
        if self.rng.random() < persona.wait_within_norm:
            return round(self.rng.triangular(0, params.norm, persona.wait_mode_werkdagen))
        return self.rng.randint(params.norm + 1, params.norm + 25)

    def _choose_reason(self, provider: Provider, group: Group) -> str:
        params = group.params
        u = self.rng.random()
        for code, probability in (
            ("02", params.p_death),
            ("31", params.p_move),
            ("39", params.p_wlz),
            ("36", params.p_gemeente),
            ("38", provider.persona.transfer_out_share),
        ):
            if u < probability:
                return code
            u -= probability
        if self.rng.random() < provider.persona.early_end_share:
            return self.rng.choices(EARLY_REASONS, weights=(4, 2, 4))[0]
        return "19"

    def _rescale(self, current: Toewijzing, direction: str) -> tuple[ProductInfo, int] | None:
        """New product and volume at least 10 % up or down in expected cost per week."""
        group = self.region.groups[current.product.group]
        product, volume = current.product, current.volume
        year = current.ingangsdatum.year
        options: list[tuple[ProductInfo, int]] = []
        if product.eenheid != "14":
            if direction == "op":
                options.append((product, max(volume + 1, math.ceil(volume * 1.4))))
            elif volume >= 2:
                options.append((product, max(1, math.floor(volume * 0.65))))
        ranks = [p for p in group.products if p.eenheid == product.eenheid and p is not product]
        if direction == "op":
            ranks = [p for p in ranks if p.rank > product.rank]
        else:
            ranks = [p for p in ranks if p.rank < product.rank]
        if ranks:
            pick = min if direction == "op" else max
            options.append((pick(ranks, key=lambda p: p.rank), volume))
        old = volume * product.tariff(year)
        if direction == "op":
            good = [(p, v) for p, v in options if p.tariff(year) * v >= old * 1.1]
        else:
            good = [(p, v) for p, v in options if p.tariff(year) * v <= old * 0.9]
        if not good:
            return None
        return self.rng.choice(good)

    # --- gemeente decisions --------------------------------------------------------------------

    def _new_toewijzing(
        self, provider: Provider, product: ProductInfo, volume: int, ingang: date
    ) -> Toewijzing:
        return Toewijzing(
            uid=self.sim.next_uid(),
            client=self.index,
            gemeente=self.gemeente,
            agb=provider.agb_by_group[product.group],
            aanbieder=provider.name,
            product=product,
            volume=volume,
            ingangsdatum=ingang,
        )

    def _decide(
        self,
        day: date,
        changes: list[tuple[Toewijzing, date, str | None, str | None]],
    ) -> date | None:
        """One gemeente decision, carried by one WMO301 on the same day. None: after cut-off."""
        for tw, _, _, _ in changes:
            if tw.versions:
                day = max(day, tw.versions[-1].toewijzingsdatum)
        if day > self.to:
            return None
        seconds = self._time_for(day)
        for tw, _, _, _ in changes:
            if tw.versions and tw.versions[-1].toewijzingsdatum == day:
                seconds = max(seconds, _parse_time(tw.versions[-1].toewijzingstijd) + 60)
        self.times[day] = seconds
        time_text = _fmt_time(seconds)
        applied: list[tuple[Toewijzing, Version]] = []
        for tw, einddatum, reden, referentie in changes:
            version = Version(
                toewijzingsdatum=day,
                toewijzingstijd=time_text,
                einddatum=einddatum,
                reden=reden,
                referentie=referentie,
                dagtekening=day,
            )
            if not tw.versions:
                self.sim.toewijzingen.append(tw)
                self.toewijzingen.append(tw)
            tw.versions.append(version)
            applied.append((tw, version))
        first = changes[0][0]
        self.sim.emit(
            Wmo301(
                dagtekening=day,
                afzender=first.gemeente,
                ontvanger=first.agb,
                seq=self.sim.next_seq(),
                aanbieder=first.aanbieder,
                person=self.person,
                changes=applied,
            )
        )
        self._activity(day)
        return day

    def _lingering(
        self, agb: str, group: str, ingang: date
    ) -> list[tuple[Toewijzing, date, str | None, str | None]]:
        """Earlier toewijzingen at this provider and group still valid at ``ingang`` (OP259)."""
        out: list[tuple[Toewijzing, date, str | None, str | None]] = []
        for tw in self.toewijzingen:
            if tw.agb != agb or tw.product.group != group or tw.deleted:
                continue
            if tw.einddatum < ingang:
                continue
            delivered = [e.end or e.start for e in tw.episodes]
            last = max(delivered) if delivered else tw.ingangsdatum
            out.append((tw, max(last, tw.ingangsdatum), "05", None))
        return out

    # --- provider messages ---------------------------------------------------------------------

    def _emit305(self, tw: Toewijzing, day: date, items: list[tuple[date, str]]) -> bool:
        ok = self.sim.emit(
            Wmo305(
                dagtekening=day,
                afzender=tw.agb,
                ontvanger=tw.gemeente,
                seq=self.sim.next_seq(),
                aanbieder=tw.aanbieder,
                person=self.person,
                items=[StartItem(toewijzing=tw, begindatum=b, status=s) for b, s in items],
            )
        )
        if ok:
            self._activity(day)
        return ok

    def _emit307(
        self, tw: Toewijzing, day: date, begin: date, reden: str, items: list[tuple[date, str]]
    ) -> bool:
        ok = self.sim.emit(
            Wmo307(
                dagtekening=day,
                afzender=tw.agb,
                ontvanger=tw.gemeente,
                seq=self.sim.next_seq(),
                aanbieder=tw.aanbieder,
                person=self.person,
                items=[
                    StopItem(toewijzing=tw, begindatum=begin, reden=reden, einddatum=e, status=s)
                    for e, s in items
                ],
            )
        )
        if ok:
            self._activity(day)
        return ok

    def _start(
        self,
        tw: Toewijzing,
        begin: date,
        provider: Provider,
        *,
        restart: bool = False,
        force_missing: bool = False,
    ) -> StartRecord:
        persona = provider.persona
        record = StartRecord(
            toewijzing=tw,
            aanbieder=provider.name,
            begindatum=begin,
            reference=max(begin, tw.first_dagtekening),
            first_sent=None,
            last_message=None,
            restart=restart,
        )
        self.sim.starts.append(record)
        if force_missing or self.rng.random() < persona.missing_start:
            record.missing = True
            return record
        sent = self.cal.add(record.reference, self._lag(persona.start_on_time))
        if self.rng.random() < persona.correction_share:
            wrong = begin + timedelta(days=self.rng.choice((-7, -3, -2, -1, 1, 2, 3, 7)))
            if wrong >= tw.ingangsdatum:
                sent = max(sent, wrong)
                if not self._emit305(tw, sent, [(wrong, "1")]):
                    return record
                record.first_sent = sent
                fixed = self.cal.add(sent, self.rng.randint(2, 12))
                record.last_message = fixed  # later stops wait for the correction
                record.corrected = self._emit305(tw, fixed, [(wrong, "3"), (begin, "1")])
                return record
        if self._emit305(tw, sent, [(begin, "1")]):
            record.first_sent = sent
        record.last_message = sent
        return record

    def _stop(
        self,
        tw: Toewijzing,
        start: StartRecord | None,
        einddatum: date,
        reden: str,
        provider: Provider,
        *,
        known: date | None = None,
    ) -> StopRecord | None:
        if start is None or start.missing or start.first_sent is None:
            return None
        assert start.last_message is not None
        persona = provider.persona
        definitive = reden != "20"
        record = StopRecord(
            toewijzing=tw,
            aanbieder=provider.name,
            reden=reden,
            einddatum=einddatum,
            reference=known or einddatum,
            first_sent=None,
        )
        if definitive:
            self.sim.stops.append(record)
            if self.rng.random() < persona.missing_stop:
                record.missing = True
                return record
        sent = self.cal.add(record.reference, self._lag(persona.stop_on_time))
        sent = max(sent, self.cal.add(start.last_message, 1))
        # a wrong first Einddatum must not precede a temporary stop (TR414): no correction then
        if definitive and known is None and self.rng.random() < persona.correction_share / 2:
            wrong = einddatum - timedelta(days=self.rng.randint(1, 7))
            if wrong >= start.begindatum:
                if self._emit307(tw, sent, start.begindatum, reden, [(wrong, "1")]):
                    record.first_sent = sent
                fixed = self.cal.add(sent, self.rng.randint(2, 12))
                items = [(wrong, "3"), (einddatum, "1")]
                record.corrected = self._emit307(tw, fixed, start.begindatum, reden, items)
                start.last_message = fixed
                return record
        if self._emit307(tw, sent, start.begindatum, reden, [(einddatum, "1")]):
            record.first_sent = sent
        start.last_message = sent
        return record

    # --- the client --------------------------------------------------------------------------

    def run(self) -> None:
        rng = self.rng
        groups = list(self.region.groups.values())
        group = rng.choices(groups, weights=[g.params.new_client_weight for g in groups])[0]
        weights = [GEMEENTE_WEIGHTS.get(cbs, 30.0) for cbs in group.gemeenten]
        self.gemeente = rng.choices(group.gemeenten, weights=weights)[0]
        self.person = make_person(
            rng,
            bsn=self.bsn,
            gemeente=self.gemeente,
            plaats=self.region.gemeenten.get(self.gemeente, "Onbekend"),
            age_range=group.params.age_range,
            reference=self.sim.date_from,
        )
        self.sim.persons.append(self.person)
        span = max(1, (self.to - self.sim.date_from).days - 20)
        request = self.sim.date_from + timedelta(days=rng.randint(0, span))
        provider = self._choose_provider(group.code)
        # concurrent care in a second product group (e.g. dagbesteding next to begeleiding),
        # preferably at the same provider, so its WMO301s carry both toewijzingen (OP087)
        second: tuple[str, str | None, date] | None = None
        options = [
            g.code
            for g in groups
            if g.code != group.code and self.gemeente in g.gemeenten and not g.params.norm_in_days
        ]
        if options and not group.params.norm_in_days and rng.random() < SECOND_GROUP_SHARE:
            other = rng.choice(options)
            same = provider in self.region.groups[other].providers and rng.random() < 0.8
            second = (
                other,
                provider if same else self._choose_provider(other),
                request + timedelta(days=rng.randint(0, 120)),
            )
        # the two lines of care never share a product group
        used = self._life(group.code, provider, request, avoid={second[0]} if second else set())
        if second is not None:
            self.secondary = True
            self._life(*second, avoid=used)
        self._close_after_exit()

    def _close_after_exit(self) -> None:
        """After a death, move or Wlz the gemeente ends every toewijzing still running."""
        if self.exit is None or self.exit_decided is None:
            return
        day, reason = self.exit
        reden = EXTERNAL_REDEN[reason]
        by_agb: dict[str, list[tuple[Toewijzing, date, str | None, str | None]]] = {}
        for tw in self.toewijzingen:
            if tw.deleted or tw.einddatum <= day or tw.versions[-1].reden == reden:
                continue
            einde = max([day, tw.ingangsdatum, *(e.end or e.start for e in tw.episodes)])
            if einde < tw.einddatum:
                by_agb.setdefault(tw.agb, []).append((tw, einde, reden, None))
        for agb in sorted(by_agb):
            self._decide(self.exit_decided, by_agb[agb])

    def _life(
        self, group: str, provider: str | None, request: date, *, avoid: set[str]
    ) -> set[str]:
        """Consecutive trajectories in one line of care: transfers, returns, second tries.

        Returns the product groups the line used; ``avoid``: groups it must not switch to.
        """
        rng = self.rng
        used = {group}
        kind = "nieuw"
        overname: Overname | None = None
        for _ in range(40):
            if provider is None or request > self.to:
                break
            if self.exit is not None and request >= self.exit[0] - EXIT_MARGIN:
                break  # (second line) no new request shortly before a known death or move
            outcome = self._trajectory(
                self.region.providers[provider], group, request, kind, overname
            )
            overname = None
            if outcome.kind == "none" or outcome.when is None:
                break
            request = outcome.when
            if outcome.kind == "overname":
                provider, kind, overname = outcome.provider, "overname", outcome.overname
            elif outcome.kind == "terugkeer":
                kind = "terugkeer"
                group = self._maybe_switch_group(group, avoid)
                used.add(group)
                eligible = self.region.groups[group].providers
                if provider not in eligible or rng.random() < 0.4:
                    provider = self._choose_provider(group)
            else:  # opnieuw: another provider for the same request
                provider = self._choose_provider(group, exclude=provider) or provider
        return used

    def _maybe_switch_group(self, group: str, avoid: set[str]) -> str:
        if self.rng.random() >= 0.15:
            return group
        options = [
            g.code
            for g in self.region.groups.values()
            if g.code != group and g.code not in avoid and self.gemeente in g.gemeenten
        ]
        return self.rng.choice(options) if options else group

    def _trajectory(
        self,
        provider: Provider,
        group_code: str,
        request: date,
        kind: str,
        overname: Overname | None,
    ) -> Outcome:
        rng = self.rng
        cal = self.cal
        persona = provider.persona
        group = self.region.groups[group_code]
        params = group.params
        product = self._choose_product(group)
        volume = self._choose_volume(product)
        plan = timedelta(days=rng.choice(params.plan_days))
        agb = provider.agb_by_group[group_code]
        referentie: str | None = None
        retro_allowed = False

        # request → decision
        if overname is not None:
            decision, ingang = overname.decision, overname.ingang
        elif rng.random() < persona.vot_share:
            vot_day = cal.add(request, rng.randint(0, 3))
            referentie = self._ref("VOT")
            ingang = request
            sent = self.sim.emit(
                Wmo315(
                    dagtekening=vot_day,
                    afzender=agb,
                    ontvanger=self.gemeente,
                    seq=self.sim.next_seq(),
                    aanbieder=provider.name,
                    person=self.person,
                    referentie=referentie,
                    product=product,
                    volume=volume,
                    ingangsdatum=ingang,
                    einddatum=ingang + plan - DAY,
                    verwijzer_type=rng.choice(("01", "02", "02", "06")),
                    verwijzer_naam=None,
                )
            )
            if not sent:
                return Outcome(kind="none")
            self._activity(vot_day)
            self.sim.count(provider.name, "vot")
            u = rng.random()
            if u < 0.05:
                answer_day = cal.add(vot_day, rng.randint(1, 5))
                self._emit319(provider, agb, answer_day, referentie, "1", rng.choice("2477"))
                self.sim.count(provider.name, "vot_afgewezen")
                if rng.random() < 0.5:
                    return Outcome(kind="opnieuw", when=answer_day + timedelta(rng.randint(14, 42)))
                return Outcome(kind="none")
            if u < 0.08:
                answer_day = cal.add(vot_day, rng.randint(1, 5))
                self._emit319(provider, agb, answer_day, referentie, "2", None)
                decision = cal.add(vot_day, rng.randint(10, 35))
            else:
                slow = rng.random() < 0.1
                decision = cal.add(vot_day, rng.randint(6, 10) if slow else rng.randint(1, 5))
            retro_allowed = True
        else:
            decision = cal.add(request, rng.randint(3, 15))
            u = rng.random()
            if u < 0.7:
                ingang = decision
            elif u < 0.9:
                ingang = decision + timedelta(days=rng.randint(1, 14))
            else:
                ingang = _first_of_next_month(decision)

        if self.exit is not None and decision >= self.exit[0]:
            return Outcome(kind="none")
        opening = self._new_toewijzing(provider, product, volume, ingang)
        changes: list[tuple[Toewijzing, date, str | None, str | None]] = [
            (opening, ingang + plan - DAY, None, referentie)
        ]
        changes += self._lingering(agb, group_code, ingang)
        if overname is None and referentie is None and rng.random() < 0.015:
            # a mistake: first the wrong product (or volume), deleted a few days later (13)
            others = [p for p in group.products if p is not product]
            wrong = self._new_toewijzing(
                provider,
                rng.choice(others) if others else product,
                volume if others else volume + 1,
                ingang,
            )
            first = [(wrong, ingang + plan - DAY, None, None), *changes[1:]]
            if self._decide(decision, first) is None:
                return Outcome(kind="none")
            decision = cal.add(decision, rng.randint(1, 4))
            changes = [(wrong, wrong.ingangsdatum, "13", None), changes[0]]
            self.sim.count(provider.name, "verwijderd_13")
        if self._decide(decision, changes) is None:
            return Outcome(kind="none")
        decision = opening.versions[0].toewijzingsdatum
        trajectory = Trajectory(
            client=self.index,
            aanbieder=provider.name,
            group=group_code,
            gemeente=self.gemeente,
            kind=kind,
            opening=opening,
            anchor=max(decision, ingang),
            norm_in_days=params.norm_in_days,
            toewijzingen=[opening],
        )
        self.sim.trajectories.append(trajectory)

        # niet gestart
        if overname is None and rng.random() < persona.not_started_share:
            self.sim.count(provider.name, "niet_gestart")
            withdraw = decision + timedelta(days=rng.randint(40, 100))
            if rng.random() < 0.5:
                einde = max(ingang, min(opening.einddatum, withdraw))
                self._decide(withdraw, [(opening, einde, "05", None)])
            if rng.random() < 0.5:
                return Outcome(kind="opnieuw", when=withdraw + timedelta(rng.randint(7, 30)))
            return Outcome(kind="none")

        # start
        anchor = trajectory.anchor
        if overname is not None and rng.random() < 0.8:
            begin = ingang
        elif retro_allowed and ingang < decision and rng.random() < 0.3:
            begin = ingang + timedelta(days=rng.randint(0, (decision - ingang).days - 1))
        else:
            wait = self._sample_wait(provider, group)
            begin = anchor + timedelta(days=wait) if params.norm_in_days else cal.add(anchor, wait)
        begin = max(ingang, min(begin, opening.einddatum - timedelta(days=14)))
        if self.exit is not None and begin > self.exit[0]:
            exit_day, exit_reason = self.exit  # the client left before care could start
            einde = max(ingang, exit_day)
            ending = (opening, einde, EXTERNAL_REDEN[exit_reason], None)
            self._decide(exit_day + timedelta(days=rng.randint(1, 20)), [ending])
            return Outcome(kind="none")
        if begin > self.to:
            return Outcome(kind="none")
        trajectory.begin = begin
        if begin < anchor:
            trajectory.wait, trajectory.retroactive = 0, True
        elif params.norm_in_days:
            trajectory.wait = (begin - anchor).days
        else:
            trajectory.wait = cal.between(anchor, begin)

        # the plan: natural duration, reason, scaling, temporary stop
        median = params.duration_median * persona.duration_factor
        natural = int(min(3650, max(30, median * math.exp(rng.gauss(0, 0.55)))))
        reason = self._choose_reason(provider, group)
        if reason in EARLY_REASONS:
            length = max(14, int(natural * rng.uniform(0.2, 0.7)))
        elif reason == "19":
            length = natural
        else:
            length = max(14, int(natural * rng.uniform(0.1, 1.0)))
        end = begin + timedelta(days=length - 1)
        at_einddatum = reason == "19" and rng.random() < 0.5
        if self.secondary and reason in EXTERNAL_REDEN:
            reason = "19"  # only the first line of care draws death, moves and Wlz …
        if self.exit is not None and self.exit[0] <= end:
            end, reason = self.exit  # … and they end the second line on the same day
            at_einddatum = False
        span = (end - begin).days
        scale_date: date | None = None
        direction = ""
        if span > 150:
            u = rng.random()
            if u < persona.upscale_share:
                direction = "op"
            elif u < persona.upscale_share + persona.downscale_share:
                direction = "af"
            if direction:
                scale_date = begin + timedelta(days=rng.randint(60, span - 45))
        temp_date: date | None = None
        if span > 120 and rng.random() < persona.temp_stop_share:
            temp_date = begin + timedelta(days=rng.randint(30, span - 45))
            if scale_date is not None and abs((scale_date - temp_date).days) < 90:
                scale_date = None

        current = opening
        episode = Episode(start=begin)
        current.episodes.append(episode)
        start = self._start(current, begin, provider)
        trajectory.start_message = start.first_sent is not None
        paused = False
        restart_date: date | None = None
        temp_stop_day: date | None = None

        while True:
            einddatum = current.einddatum
            # care on Einddatum + 1 needs a decision first: the boundary wins ties
            events: list[tuple[date, int, str]] = [(einddatum + DAY, 0, "grens"), (end, 1, "end")]
            if scale_date is not None:
                events.append((scale_date, 2, "schaal"))
            if temp_date is not None and not paused:
                events.append((temp_date, 3, "tijdelijk"))
            if paused and restart_date is not None:
                events.append((restart_date, 4, "herstart"))
            when, _, what = min(events)

            if what == "grens":  # care continues after the toewijzing's Einddatum
                if at_einddatum and end <= einddatum + plan / 2:
                    end = einddatum
                    continue
                decided = max(
                    einddatum - timedelta(days=rng.randint(5, 40)),
                    current.versions[-1].toewijzingsdatum,
                )
                late = einddatum + timedelta(days=rng.randint(1, 20))
                if not paused and late <= self.to and rng.random() < 0.1:
                    # herindicatie after the Einddatum passed: a new toewijzing (same omvang)
                    successor = self._new_toewijzing(
                        provider, current.product, current.volume, einddatum + DAY
                    )
                    successor_end = einddatum + plan
                    answered = self._decide(late, [(successor, successor_end, None, None)])
                    if answered is None:
                        break
                    self.sim.count(provider.name, "herindicatie_nieuw_nummer")
                    self.sim.scalings.append(
                        ScalingRecord(
                            aanbieder=provider.name,
                            direction="gelijk",
                            via_vow=False,
                            old=current,
                            new=successor,
                        )
                    )
                    trajectory.toewijzingen.append(successor)
                    episode.end = einddatum
                    self._stop(current, start, einddatum, "19", provider)
                    current = successor
                    episode = Episode(start=einddatum + DAY)
                    current.episodes.append(episode)
                    start = self._start(current, einddatum + DAY, provider)
                    continue
                if decided > self.to:
                    break
                if self._decide(decided, [(current, einddatum + plan, "04", None)]) is None:
                    break
                self.sim.count(provider.name, "verlenging_04")
                continue

            if when > self.to:
                break

            if what == "end":
                return self._finish(
                    provider,
                    trajectory,
                    current,
                    episode,
                    start,
                    reason,
                    end,
                    temp_stop_day if paused else None,
                )

            if what == "schaal":
                scale_date = None
                result = self._scale(provider, trajectory, current, start, when, direction, plan)
                if result is None:
                    continue
                if isinstance(result, str):  # "stop": the decision falls after the cut-off
                    break
                new_toewijzing, new_begin = result
                episode.end = new_begin - DAY
                current = new_toewijzing
                episode = Episode(start=new_begin)
                current.episodes.append(episode)
                start = self._start(current, new_begin, provider)
                continue

            if what == "tijdelijk":
                temp_date = None
                episode.end = when
                temp_stop_day = when
                self._stop(current, start, when, "20", provider)
                self.sim.count(provider.name, "tijdelijke_stop")
                paused = True
                if rng.random() < 0.7:
                    restart = when + timedelta(days=rng.randint(14, 60))
                    if restart < end - timedelta(days=14):
                        restart_date = restart
                        continue
                # no restart: the stop becomes definitive weeks later (Einddatum stays, casus 2)
                restart_date = None
                if reason == "38":
                    reason = "23"
                end = when + timedelta(days=rng.randint(10, 40))
                continue

            if what == "herstart":
                paused = False
                restart_date = None
                episode = Episode(start=when)
                current.episodes.append(episode)
                missing = start.missing or start.first_sent is None
                start = self._start(current, when, provider, restart=True, force_missing=missing)
                self.sim.count(provider.name, "herstart")
                continue
        return Outcome(kind="none")

    def _emit319(
        self,
        provider: Provider,
        agb: str,
        day: date,
        referentie: str,
        antwoord: str,
        reden: str | None,
    ) -> None:
        if self.sim.emit(
            Wmo319(
                dagtekening=day,
                afzender=self.gemeente,
                ontvanger=agb,
                seq=self.sim.next_seq(),
                aanbieder=provider.name,
                referentie=referentie,
                antwoord=antwoord,
                reden_afwijzing=reden,
            )
        ):
            self._activity(day)
            self.sim.count(provider.name, "antwoord_319")

    def _scale(
        self,
        provider: Provider,
        trajectory: Trajectory,
        current: Toewijzing,
        start: StartRecord,
        when: date,
        direction: str,
        plan: timedelta,
    ) -> tuple[Toewijzing, date] | str | None:
        rng = self.rng
        cal = self.cal
        choice = self._rescale(current, direction)
        if choice is None:
            return None
        product, volume = choice
        begin = when
        referentie: str | None = None
        via_vow = rng.random() < provider.persona.vow_share
        last_decision = current.versions[-1].toewijzingsdatum
        if via_vow:
            asked = max(when - timedelta(days=rng.randint(15, 40)), last_decision + DAY)
            referentie = self._ref("VOW")
            sent = self.sim.emit(
                Wmo317(
                    dagtekening=asked,
                    afzender=current.agb,
                    ontvanger=current.gemeente,
                    seq=self.sim.next_seq(),
                    aanbieder=provider.name,
                    person=self.person,
                    referentie=referentie,
                    reden_verzoek=rng.choice(("1", "2")),
                    ongewijzigd=[],
                    te_wijzigen=[(current, current.ingangsdatum, begin - DAY)],
                    nieuw=[
                        NewProductRequest(
                            product=product,
                            ingangsdatum=begin,
                            einddatum=begin + plan - DAY,
                            volume=volume,
                        )
                    ],
                )
            )
            if not sent:
                return "stop"
            self._activity(asked)
            self.sim.count(provider.name, "vow")
            u = rng.random()
            if u < 0.12:
                answer = cal.add(asked, rng.randint(1, 5))
                self._emit319(provider, current.agb, answer, referentie, "1", rng.choice("1247"))
                self.sim.count(provider.name, "vow_afgewezen")
                return None
            if u < 0.20:
                answer = cal.add(asked, rng.randint(1, 5))
                self._emit319(provider, current.agb, answer, referentie, "2", None)
                decided = cal.add(asked, rng.randint(10, 35))
            else:
                decided = cal.add(asked, rng.randint(1, 5))
            if decided >= begin:
                begin = decided + timedelta(days=rng.randint(1, 7))
            reden = "12"
        else:
            decided = max(when - timedelta(days=rng.randint(5, 30)), last_decision)
            reden = "05"
        if begin > current.einddatum or begin > self.to:
            return None
        successor = self._new_toewijzing(provider, product, volume, begin)
        answered = self._decide(
            decided,
            [
                (current, begin - DAY, reden, referentie),
                (successor, begin + plan - DAY, None, referentie),
            ],
        )
        if answered is None:
            return "stop"
        self.sim.scalings.append(
            ScalingRecord(
                aanbieder=provider.name,
                direction=direction,
                via_vow=via_vow,
                old=current,
                new=successor,
            )
        )
        trajectory.toewijzingen.append(successor)
        self._stop(current, start, begin - DAY, "37" if reden == "12" else "36", provider)
        return successor, begin

    def _finish(
        self,
        provider: Provider,
        trajectory: Trajectory,
        current: Toewijzing,
        episode: Episode,
        start: StartRecord,
        reason: str,
        end: date,
        temp_stop_day: date | None,
    ) -> Outcome:
        """The definitive end. ``temp_stop_day``: the stop follows a temporary stop (casus 2)."""
        rng = self.rng
        cal = self.cal
        if temp_stop_day is None:
            episode.end = end
            stop_end = end
            known: date | None = None
        else:
            stop_end = temp_stop_day
            known = end  # the day it became known that the stop is definitive
        trajectory.end = stop_end
        trajectory.reason = reason
        last_decision = current.versions[-1].toewijzingsdatum
        outcome = Outcome(kind="none")

        if reason == "38":
            other = self._choose_provider(trajectory.group, exclude=provider.name)
            if other is None:
                reason = trajectory.reason = "23"
            else:
                decided = max(end - timedelta(days=rng.randint(3, 20)), last_decision)
                if self._decide(decided, [(current, end, "09", None)]) is None:
                    return outcome
                record = self._stop(current, start, stop_end, "38", provider, known=known)
                trajectory.stop_sent = bool(record and record.first_sent)
                self.sim.count(provider.name, "overstap_uit")
                overname = Overname(
                    decision=current.versions[-1].toewijzingsdatum, ingang=end + DAY
                )
                return Outcome(kind="overname", when=end, provider=other, overname=overname)

        if reason == "36":
            decided = max(end - timedelta(days=rng.randint(5, 30)), last_decision)
            reden = "08" if rng.random() < 0.6 else "05"
            self._decide(decided, [(current, end, reden, None)])
            record = self._stop(current, start, stop_end, "36", provider, known=known)
            trajectory.stop_sent = bool(record and record.first_sent)
            return outcome

        record = self._stop(current, start, stop_end, reason, provider, known=known)
        trajectory.stop_sent = bool(record and record.first_sent)
        if reason in EXTERNAL_REDEN:
            decided = end + timedelta(days=rng.randint(1, 20))
            answered = self._decide(decided, [(current, end, EXTERNAL_REDEN[reason], None)])
            if self.exit is None:
                self.exit = (end, reason)
                self.exit_decided = answered
            return outcome

        # goal-type end (19, 21, 22, 23)
        sent = record.first_sent if record is not None else None
        if sent is not None and end < current.einddatum and rng.random() < 0.5:
            self._decide(cal.add(sent, rng.randint(1, 10)), [(current, end, "05", None)])
        persona = provider.persona
        if rng.random() < persona.recidive_share:
            back = end + timedelta(days=rng.randint(30, 240))
        elif rng.random() < 0.05:
            back = end + timedelta(days=rng.randint(400, 700))
        else:
            return outcome
        back = max(back, self.last_activity + DAY)
        return Outcome(kind="terugkeer", when=back)


def simulate(
    region: Region,
    *,
    clients: int,
    date_from: date,
    date_to: date,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    return Simulation(region, date_from=date_from, date_to=date_to, seed=seed).run(
        clients, progress
    )
