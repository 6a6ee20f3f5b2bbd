# SPDX-License-Identifier: EUPL-1.2
"""Lifecycle invariants a user of the generated traffic would notice, read back from the files."""

from __future__ import annotations

import calendar
import itertools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest

from wmo_sla.contracts.yaml_schema import parse_contract_definition

from .conftest import SMALL_FROM, SMALL_TO
from .parsing import CONTRACT, Msg

ToewijzingKey = tuple[str, int]  # (gemeente, ToewijzingNummer)


@dataclass
class TwState:
    bsn: str
    agb: str
    categorie: str
    code: str
    ingang: date
    einde: date
    reden: str | None
    stamp: tuple[date, str]
    volume: int
    eenheid: str
    frequentie: str


def _states(region) -> dict[ToewijzingKey, list[tuple[Msg, TwState]]]:
    """Every ToegewezenProduct of every 301, per toewijzing, in file (send) order."""
    out: dict[ToewijzingKey, list[tuple[Msg, TwState]]] = defaultdict(list)
    for m in _ordered(region.of("301")):
        for el in m.all("m:Client/m:ToegewezenProducten/m:ToegewezenProduct"):
            key = (m.afzender, int(m.x(el, "m:ToewijzingNummer") or "0"))
            out[key].append(
                (
                    m,
                    TwState(
                        bsn=m.bsn or "",
                        agb=m.ontvanger,
                        categorie=m.x(el, "m:Product/b:Categorie") or "",
                        code=m.x(el, "m:Product/b:Code") or "",
                        ingang=m.date_of(el, "m:Ingangsdatum"),
                        einde=m.date_of(el, "m:Einddatum"),
                        reden=m.x(el, "m:RedenWijziging"),
                        stamp=(
                            m.date_of(el, "m:Toewijzingsdatum"),
                            m.x(el, "m:Toewijzingstijd") or "",
                        ),
                        volume=int(m.x(el, "m:Omvang/b:Volume") or "0"),
                        eenheid=m.x(el, "m:Omvang/b:Eenheid") or "",
                        frequentie=m.x(el, "m:Omvang/b:Frequentie") or "",
                    ),
                )
            )
    return out


def _ordered(messages: list[Msg]) -> list[Msg]:
    return sorted(messages, key=lambda m: (m.dagtekening, m.afzender, m.identificatie))


def _final(states: dict[ToewijzingKey, list[tuple[Msg, TwState]]]) -> dict[ToewijzingKey, TwState]:
    return {
        key: max((s for _, s in versions), key=lambda s: s.stamp)
        for key, versions in states.items()
    }


@pytest.fixture(scope="module")
def toewijzingen(small_region):
    return _states(small_region)


@pytest.fixture(scope="module")
def final(toewijzingen):
    return _final(toewijzingen)


def test_no_message_outside_the_period(small_region):
    assert min(m.dagtekening for m in small_region.messages) >= SMALL_FROM
    assert max(m.dagtekening for m in small_region.messages) <= SMALL_TO


def test_file_layout_and_unique_identifications(small_region):
    seen: set[tuple[str, str, str]] = set()
    for m in small_region.messages:
        assert m.path.parent.name == f"{m.dagtekening:%Y-%m}"
        assert m.path.name == f"WMO{m.code}-{m.afzender}-{m.identificatie}.xml"
        assert 1 <= len(m.identificatie) <= 12
        key = (m.afzender, m.code, m.identificatie)
        assert key not in seen
        seen.add(key)


def test_301_dates_reasons_and_versions(toewijzingen):
    reasons: Counter[str] = Counter()
    for key, versions in toewijzingen.items():
        owners = {(s.bsn, s.agb, s.categorie, s.code, s.ingang) for _, s in versions}
        assert len(owners) == 1, f"{key}: één cliënt, aanbieder, product en Ingangsdatum"
        previous = None
        for m, s in versions:
            assert s.stamp[0] <= m.dagtekening, f"{key}: Toewijzingsdatum na Dagtekening (TR134)"
            assert s.einde >= s.ingang, f"{key}: Einddatum voor Ingangsdatum (CS003)"
            assert s.frequentie == "2" and s.volume >= 1
            if s.reden == "13":
                assert s.einde == s.ingang, (
                    f"{key}: RedenWijziging 13 vereist Einddatum = Ingangsdatum"
                )
            if s.reden:
                reasons[s.reden] += 1
            if previous is not None:
                assert s.stamp >= previous, f"{key}: Toewijzingsdatum/-tijd loopt terug"
            previous = s.stamp
    assert reasons["04"] > 0 and reasons["05"] > 0  # extensions (OP380) and shortenings


def test_each_301_carries_all_current_toewijzingen(small_region, toewijzingen):
    """OP087: a 301 holds every toewijzing of the client at that provider that is still current."""
    state: dict[ToewijzingKey, TwState] = {}
    by_party: dict[tuple[str, str, str], set[ToewijzingKey]] = defaultdict(set)
    resent = 0
    for m in _ordered(small_region.of("301")):
        party = (m.afzender, m.ontvanger, m.bsn or "")
        carried = {
            (m.afzender, int(m.x(el, "m:ToewijzingNummer") or "0"))
            for el in m.all("m:Client/m:ToegewezenProducten/m:ToegewezenProduct")
        }
        for key in by_party[party]:
            s = state[key]
            if s.reden != "13" and s.einde >= m.dagtekening:
                assert key in carried, f"{m.path.name} mist toewijzing {key}"
        for key in carried:
            for msg, s in toewijzingen[key]:
                if msg is m:
                    if key in state and state[key].stamp == s.stamp and s.reden is None:
                        resent += 1  # unchanged, re-sent with its own date and time (IV099)
                    state[key] = s
            by_party[party].add(key)
    assert resent > 0, "geen enkele ongewijzigde toewijzing opnieuw meegestuurd"


def test_no_stacking_of_the_same_product(final):
    """OP259: no two live toewijzingen of one product at one provider overlap."""
    by_product: dict[tuple[str, str, str], list[TwState]] = defaultdict(list)
    for s in final.values():
        if s.reden != "13":
            by_product[(s.bsn, s.agb, s.code)].append(s)
    for key, periods in by_product.items():
        periods.sort(key=lambda s: s.ingang)
        for a, b in itertools.pairwise(periods):
            assert b.ingang > a.einde, f"{key}: overlappende toewijzingen"


def _items(messages: list[Msg], element: str) -> list[tuple[Msg, object]]:
    return [(m, el) for m in _ordered(messages) for el in m.all(element)]


def test_starts_follow_their_toewijzing(small_region, toewijzingen, final):
    retroactive = 0
    for m, el in _items(small_region.of("305"), "m:Client/m:StartProducten/m:StartProduct"):
        key = (m.ontvanger, int(m.x(el, "m:ToewijzingNummer") or "0"))
        assert key in final, f"{m.path.name}: start zonder toewijzing"
        versions = toewijzingen[key]
        first_301 = min(msg.dagtekening for msg, _ in versions)
        s = final[key]
        begin = m.date_of(el, "m:Begindatum")
        assert s.agb == m.afzender and s.bsn == m.bsn
        assert m.x(el, "m:Product/b:Code") == s.code
        assert m.date_of(el, "m:ToewijzingIngangsdatum") == s.ingang
        assert begin >= s.ingang, f"{m.path.name}: Begindatum voor Ingangsdatum"
        assert begin <= s.einde and s.reden != "13"
        assert begin <= m.dagtekening, f"{m.path.name}: Begindatum na Dagtekening (TR134)"
        assert m.dagtekening >= first_301, f"{m.path.name}: start voor de toewijzing verstuurd"
        if begin < versions[0][1].stamp[0]:
            retroactive += 1  # terugwerkende kracht: started before the toewijzing was decided
    assert retroactive > 0


def test_stops_match_a_start_and_corrections_delete_an_earlier_delivery(small_region, final):
    starts: dict[tuple[str, int, date], date] = {}  # current start key -> Dagtekening
    deleted_starts: set[tuple[str, int, date]] = set()
    events = [
        (m, el, "305")
        for m, el in _items(small_region.of("305"), "m:Client/m:StartProducten/m:StartProduct")
    ]
    events += [
        (m, el, "307")
        for m, el in _items(small_region.of("307"), "m:Client/m:StopProducten/m:StopProduct")
    ]
    events.sort(key=lambda e: (e[0].dagtekening, e[0].code, e[0].identificatie))
    stops: dict[tuple[str, int, date, str, date], bool] = {}
    temporary: dict[tuple[str, int, date], date] = {}
    definitive: Counter[tuple[str, int, date]] = Counter()
    counts: Counter[str] = Counter()
    for m, el, code in events:
        nummer = int(m.x(el, "m:ToewijzingNummer") or "0")
        begin = m.date_of(el, "m:Begindatum")
        status = m.x(el, "m:StatusAanlevering")
        start_key = (m.ontvanger, nummer, begin)
        if code == "305":
            if status == "3":
                assert start_key in starts, (
                    f"{m.path.name}: verwijdering zonder eerdere start (9063)"
                )
                del starts[start_key]
                deleted_starts.add(start_key)
                counts["start-3"] += 1
            else:
                assert status == "1"
                assert start_key not in starts and start_key not in deleted_starts  # TR074
                starts[start_key] = m.dagtekening
            continue
        reden = m.x(el, "m:RedenBeeindiging") or ""
        einde = m.date_of(el, "m:Einddatum")
        assert begin <= einde <= m.dagtekening, f"{m.path.name}: datums (TR134)"
        assert einde <= final[(m.ontvanger, nummer)].einde
        stop_key = (*start_key, reden, einde)
        if status == "3":
            assert stops.pop(stop_key, None) is not None, (
                f"{m.path.name}: verwijderde stop onbekend"
            )
            counts["stop-3"] += 1
            if reden != "20":
                definitive[start_key] -= 1
            continue
        assert start_key in starts, f"{m.path.name}: stop zonder bijbehorende start"
        assert m.dagtekening > starts[start_key], f"{m.path.name}: stop niet na de start"
        stops[stop_key] = True
        if reden == "20":
            assert start_key not in temporary, f"{m.path.name}: tweede tijdelijke stop (9413)"
            temporary[start_key] = einde
        else:
            if start_key in temporary:
                assert einde >= temporary[start_key], f"{m.path.name}: stop voor tijdelijke (9414)"
            definitive[start_key] += 1
            assert definitive[start_key] == 1, f"{m.path.name}: tweede definitieve stop (9415)"
    assert counts["start-3"] > 0, "geen gecorrigeerde start in de kleine regio"
    assert temporary, "geen tijdelijke stop in de kleine regio"


def _tariffs() -> dict[tuple[str, str, int], int]:
    definition = parse_contract_definition(CONTRACT.read_text(encoding="utf-8"), file=str(CONTRACT))
    out = {}
    for product in definition.products:
        for tariff in product.tariffs:
            out[(product.categorie, product.code, tariff.year)] = int(tariff.price * Decimal(100))
    return out


def test_declarations(small_region, final):
    tariffs = _tariffs()
    numbers: set[tuple[str, str]] = set()
    references: dict[tuple[str, str], tuple[str, date, date, int, str]] = {}
    credits = 0
    for m in _ordered(small_region.of("323")):
        decl = m.root.find("m:Declaratie", namespaces=m.ns)
        begin = m.date_of(decl, "m:DeclaratiePeriode/b:Begindatum")
        end = m.date_of(decl, "m:DeclaratiePeriode/b:Einddatum")
        assert begin.day == 1 and end.day == calendar.monthrange(begin.year, begin.month)[1]
        assert (end.year, end.month) == (begin.year, begin.month)
        assert m.date_of(decl, "m:DeclaratieDagtekening") == m.dagtekening > end
        number = m.x(decl, "m:DeclaratieNummer") or ""
        assert (m.afzender, number) not in numbers
        numbers.add((m.afzender, number))
        total = 0
        for client in decl.findall("m:Clienten/m:Client", namespaces=m.ns):
            bsn = m.x(client, "m:Bsn") or ""
            for p in client.findall("m:Prestaties/m:Prestatie", namespaces=m.ns):
                key = (m.ontvanger, int(m.x(p, "m:ToewijzingNummer") or "0"))
                s = final[key]
                assert s.bsn == bsn and s.agb == m.afzender and s.reden != "13"
                p_begin = m.date_of(p, "m:ProductPeriode/b:Begindatum")
                p_end = m.date_of(p, "m:ProductPeriode/b:Einddatum")
                assert s.ingang <= p_begin <= p_end <= s.einde, f"{m.path.name}: buiten toewijzing"
                assert (p_begin.year, p_begin.month) == (p_end.year, p_end.month)
                assert p_end <= end
                volume = int(m.x(p, "m:GeleverdVolume") or "0")
                tarief = int(m.x(p, "m:ProductTarief") or "0")
                bedrag = int(m.x(p, "m:IngediendBedrag/b:Bedrag") or "0")
                assert tarief == tariffs[(s.categorie, s.code, p_begin.year)]
                assert bedrag == volume * tarief and m.x(p, "m:Eenheid") == s.eenheid
                days = (p_end - p_begin).days + 1
                assert 1 <= volume <= math.ceil(s.volume * days / 7)
                reference = m.x(p, "m:ProductReferentie/b:ReferentieNummer") or ""
                assert (m.afzender, reference) not in references
                line = (str(key), p_begin, p_end, bedrag, bsn)
                references[(m.afzender, reference)] = line
                previous = m.x(p, "m:ProductReferentie/b:VorigReferentieNummer")
                sign = m.x(p, "m:IngediendBedrag/b:DebetCredit")
                if sign == "C":
                    credits += 1
                    assert previous and references[(m.afzender, previous)] == line
                    total -= bedrag
                else:
                    assert sign == "D" and previous is None
                    total += bedrag
        stated = int(m.x(decl, "m:TotaalIngediendBedrag/b:TotaalBedrag") or "0")
        sign = m.x(decl, "m:TotaalIngediendBedrag/b:DebetCredit")
        assert (stated if sign == "D" else -stated) == total
    assert credits > 0


def test_requests_are_answered_with_their_reference(small_region):
    echoed = set()
    for m in small_region.of("301"):
        for el in m.all("m:Client/m:ToegewezenProducten/m:ToegewezenProduct/m:ReferentieAanbieder"):
            echoed.add(el.text)
    for m in small_region.of("319"):
        echoed.add(m.x(m.root, "m:Antwoord/m:ReferentieAanbieder"))
    answered_by = SMALL_TO - timedelta(days=60)  # later requests may be answered after --to
    for m in small_region.of("315"):
        for ref in m.all(
            "m:Client/m:AangevraagdeProducten/m:AangevraagdProduct/m:ReferentieAanbieder"
        ):
            if m.dagtekening < answered_by:
                assert ref.text in echoed, f"{m.path.name}: VOT zonder antwoord"
    for m in small_region.of("317"):
        ref = m.x(m.root, "m:Client/m:Verzoek/m:ReferentieAanbieder")
        if m.dagtekening < answered_by:
            assert ref in echoed, f"{m.path.name}: VOW zonder antwoord"


def test_nothing_starts_after_a_death(small_region, toewijzingen, final):
    """Death (02) ends every line of care of the client; nothing new starts afterwards."""
    current: dict[tuple[str, int, date, date], str] = {}  # death stops after corrections
    for m, el in _items(small_region.of("307"), "m:Client/m:StopProducten/m:StopProduct"):
        if m.x(el, "m:RedenBeeindiging") == "02":
            key = (m.afzender, int(m.x(el, "m:ToewijzingNummer") or "0"),
                   m.date_of(el, "m:Begindatum"), m.date_of(el, "m:Einddatum"))  # fmt: skip
            if m.x(el, "m:StatusAanlevering") == "3":
                current.pop(key, None)
            else:
                current[key] = m.bsn or ""
    deaths: dict[str, date] = {}  # the gemeente's 02 decision wins: after a temporary stop
    for s in final.values():  # the provider's stop keeps the last day of delivery (casus 2)
        if s.reden == "02":
            deaths[s.bsn] = min(s.einde, deaths.get(s.bsn, s.einde))
    from_stops: dict[str, date] = {}
    for (_, _, _, day), bsn in current.items():
        from_stops[bsn] = min(day, from_stops.get(bsn, day))
    for bsn, day in from_stops.items():
        deaths.setdefault(bsn, day)
    assert deaths
    for m, el in _items(small_region.of("305"), "m:Client/m:StartProducten/m:StartProduct"):
        if m.bsn in deaths:
            assert m.date_of(el, "m:Begindatum") <= deaths[m.bsn], m.path.name
    for key, versions in toewijzingen.items():
        first = versions[0][1]
        if first.bsn not in deaths:
            continue
        death = deaths[first.bsn]
        assert first.stamp[0] <= death, f"{key}: toewijzing na het overlijden"
        s = final[key]
        if s.reden != "13" and death < SMALL_TO - timedelta(days=30):  # gemeente informed
            assert s.einde <= max(death, s.ingang), f"{key}: loopt door na het overlijden"
