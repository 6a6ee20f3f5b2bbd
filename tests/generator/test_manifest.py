# SPDX-License-Identifier: EUPL-1.2
"""manifest.json matches the files: counts per type, persona assignment, realised counts."""

from __future__ import annotations

from collections import Counter

from wmo_sla.contracts.yaml_schema import parse_contract_definition
from wmo_sla.generator.personas import PERSONAS

from .parsing import CONTRACT

G2A = {"301", "319"}  # gemeente -> aanbieder; the others go aanbieder -> gemeente


def test_counts_per_type_match_the_files(small_region):
    manifest = small_region.manifest
    counted = Counter(f"WMO{m.code}" for m in small_region.messages)
    assert manifest["messages"] == {k: counted.get(k, 0) for k in manifest["messages"]}
    assert manifest["files"] == len(small_region.messages) == small_region.summary.files
    assert small_region.summary.messages == manifest["messages"]
    assert (small_region.out / "manifest.json").read_text(encoding="utf-8").endswith("}\n")


def test_persona_assignment_and_agb_codes(small_region):
    manifest = small_region.manifest
    definition = parse_contract_definition(CONTRACT.read_text(encoding="utf-8"), file="c")
    names = [a.name for a in definition.aanbieders]
    assert sorted(manifest["providers"]) == sorted(names[:4])
    for index, name in enumerate(names):
        assert manifest["personas_by_position"][name]["persona"] == PERSONAS[index].key
        assert manifest["personas_by_position"][name]["selected"] == (index < 4)
    owner = {}
    for name, entry in manifest["providers"].items():
        assert entry["persona"] == PERSONAS[entry["index"]].key
        assert entry["planted"]["key"] == entry["persona"]
        for code in entry["agb_by_group"].values():
            assert code in entry["agb_codes"]
            owner[code] = name
    used = {m.ontvanger if m.code in G2A else m.afzender for m in small_region.messages}
    assert used <= set(owner), used - set(owner)


def test_realised_counts_match_the_messages(small_region):
    providers = small_region.manifest["providers"].values()
    status: Counter[tuple[str, str | None]] = Counter()
    for m in small_region.of("305"):
        for el in m.all("m:Client/m:StartProducten/m:StartProduct"):
            status["start", m.x(el, "m:StatusAanlevering")] += 1
    for m in small_region.of("307"):
        for el in m.all("m:Client/m:StopProducten/m:StopProduct"):
            kind = "temp" if m.x(el, "m:RedenBeeindiging") == "20" else "stop"
            status[kind, m.x(el, "m:StatusAanlevering")] += 1
    sent_starts = sum(p["realised"]["start_messages"]["sent"] for p in providers)
    assert sent_starts == status["start", "1"] - status["start", "3"]
    sent_stops = sum(p["realised"]["stop_messages"]["sent"] for p in providers)
    assert sent_stops == status["stop", "1"] - status["stop", "3"]
    ends = sum(sum(p["realised"]["ends_by_reason"].values()) for p in providers)
    assert 0 < ends <= sent_stops
    prestaties = sum(
        len(m.all("m:Declaratie/m:Clienten/m:Client/m:Prestaties/m:Prestatie"))
        for m in small_region.of("323")
    )
    assert prestaties == small_region.manifest["region"]["declarations"]["prestaties"]
    assert prestaties == sum(p["realised"]["declarations"]["prestaties"] for p in providers)
    for p in providers:
        realised = p["realised"]
        by_year = realised["by_year"].values()
        assert sum(y.get("starts_sent", 0) for y in by_year) == realised["start_messages"]["sent"]
        assert sum(y.get("wait_started", 0) for y in by_year) == realised["wait"]["started"]
        assert (
            sum(g["trajectories"]["total"] for g in realised["by_group"].values())
            == (realised["trajectories"]["total"])
        )
