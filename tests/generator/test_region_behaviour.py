# SPDX-License-Identifier: EUPL-1.2
"""A full 12-provider region in memory: every lifecycle pattern occurs and the personas show."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from wmo_sla.generator.finalize import finalize
from wmo_sla.generator.manifest import build_manifest
from wmo_sla.generator.model import Wmo301, Wmo305, Wmo307, Wmo319, Wmo323
from wmo_sla.generator.region import load_region
from wmo_sla.generator.simulation import SimulationResult, simulate

from .parsing import CONTRACT


@pytest.fixture(scope="module")
def region_result() -> SimulationResult:
    region = load_region(
        CONTRACT, providers=12, date_from=date(2022, 1, 1), date_to=date(2024, 12, 31)
    )
    result = simulate(
        region, clients=2500, date_from=date(2022, 1, 1), date_to=date(2024, 12, 31), seed=2
    )
    finalize(result)
    return result


@pytest.fixture(scope="module")
def realised(region_result) -> dict[str, dict]:
    manifest = build_manifest(
        region_result, clients=2500, providers=12, contract_sha256="-", message_counts={}, files=0
    )
    return {entry["persona"]: entry["realised"] for entry in manifest["providers"].values()}


def test_every_lifecycle_pattern_occurs(region_result):
    redenen: Counter[str] = Counter()
    stops: Counter[str] = Counter()
    statuses: Counter[tuple[str, str]] = Counter()
    answers: Counter[str] = Counter()
    credits = resent = 0
    for m in region_result.messages:
        if isinstance(m, Wmo301):
            redenen.update(i.version.reden for i in m.items if i.changed and i.version.reden)
            resent += sum(1 for i in m.items if not i.changed)
        elif isinstance(m, Wmo305):
            statuses.update(("305", i.status) for i in m.items)
        elif isinstance(m, Wmo307):
            stops.update(i.reden for i in m.items)
            statuses.update(("307", i.status) for i in m.items)
        elif isinstance(m, Wmo319):
            answers[m.antwoord] += 1
        elif isinstance(m, Wmo323):
            credits += sum(1 for lines in m.clients.values() for p in lines if not p.debet)
    assert set(redenen) >= {"02", "04", "05", "06", "07", "08", "09", "12", "13"}, redenen
    assert set(stops) >= {"02", "19", "20", "21", "22", "23", "31", "36", "37", "38", "39"}
    assert statuses[("305", "3")] and statuses[("307", "3")]
    assert answers["1"] and answers["2"]
    assert credits and resent
    kinds = Counter(t.kind for t in region_result.trajectories)
    assert kinds["nieuw"] and kinds["overname"] and kinds["terugkeer"]
    assert any(t.retroactive for t in region_result.trajectories)
    assert any(s.missing for s in region_result.starts)
    assert any(s.restart for s in region_result.starts)
    groups = {t.group for t in region_result.trajectories}
    assert groups == {"02", "07", "15"}


def test_personas_show_in_the_realised_figures(realised):
    """Extremes among providers with enough trajectories (small ones are too noisy)."""
    traj = {p: realised[p]["trajectories"]["total"] for p in realised}
    assert traj["klein"] == min(traj.values())
    assert traj["stabiel-groot"] == max(traj.values())
    big = [p for p in realised if traj[p] > 150]
    assert len(big) >= 9

    def figure(getter) -> dict[str, float]:
        return {p: getter(realised[p]) for p in big}

    early = figure(lambda r: r["early_end_share"])
    assert early["vroegtijdig"] == max(early.values())
    assert early["voorbeeldig"] < early["stabiel-groot"] and early["voorbeeldig"] < 0.1
    waits = figure(lambda r: r["wait"]["share_within_norm"])
    assert waits["trage-starter"] == min(waits.values()) < 0.75
    on_time = figure(lambda r: r["start_messages"]["share_on_time"])
    assert on_time["late-berichten"] == min(on_time.values()) < 0.7
    assert on_time["voorbeeldig"] > 0.95
    up = figure(lambda r: r["reindications"].get("op", 0) / r["trajectories"]["total"])
    assert up["opschaler"] == max(up.values())
    down = figure(lambda r: r["reindications"].get("af", 0) / r["trajectories"]["total"])
    assert down["afschaler"] == max(down.values())
    recidive = figure(lambda r: r["recidive"]["share"])
    assert recidive["draaideur"] == max(recidive.values())
    missing = figure(lambda r: r["stop_messages"]["missing"] / r["trajectories"]["total"])
    assert missing["late-berichten"] == max(missing.values())
    transfers = figure(lambda r: r["ends_by_reason"].get("38", 0) / r["trajectories"]["total"])
    assert transfers["overstappers"] == max(transfers.values())
