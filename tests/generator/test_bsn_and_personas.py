# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import random
from datetime import date

from wmo_sla.generator.bsn import generate_bsns, is_valid_bsn
from wmo_sla.generator.personas import PERSONAS, assign_personas
from wmo_sla.generator.werkdagen import WerkdagCalendar


def test_eleven_check():
    assert is_valid_bsn("999900006")  # the BSN of the official examples
    assert is_valid_bsn("111222333")
    assert not is_valid_bsn("999900007")
    assert not is_valid_bsn("12345678")
    assert not is_valid_bsn("000000000")


def test_generated_bsns_are_valid_distinct_and_fictitious():
    bsns = generate_bsns(random.Random(3), 5000)
    assert len(set(bsns)) == 5000
    assert all(is_valid_bsn(b) and b.startswith("999") for b in bsns)
    assert generate_bsns(random.Random(3), 10) == generate_bsns(random.Random(3), 10)


def test_every_bsn_in_the_files_passes_the_eleven_check(small_region):
    bsns = {m.bsn for m in small_region.messages if m.bsn}
    for message in small_region.of("323"):
        bsns.update(e.text or "" for e in message.all("m:Declaratie/m:Clienten/m:Client/m:Bsn"))
    assert len(bsns) > 100
    assert all(is_valid_bsn(bsn) for bsn in bsns), sorted(b for b in bsns if not is_valid_bsn(b))


def test_personas_are_varied_and_assigned_by_position():
    keys = [p.key for p in PERSONAS]
    assert len(set(keys)) == len(keys) == 12
    for persona in PERSONAS:
        for name, value in persona.planted().items():
            if isinstance(value, float) and name != "size_weight" and name != "duration_factor":
                assert 0 <= value <= 1, (persona.key, name)
    early = {p.key: p.early_end_share for p in PERSONAS}
    assert early["vroegtijdig"] == 0.30
    assert min(p.wait_within_norm for p in PERSONAS) < 0.7  # a slow starter
    assert min(p.start_on_time for p in PERSONAS) < 0.6  # a late messenger
    assert min(p.size_weight for p in PERSONAS) < 0.5  # a small provider
    names = [f"A{i}" for i in range(14)]
    assigned = assign_personas(names)
    assert assigned["A0"] is PERSONAS[0] and assigned["A12"] is PERSONAS[0]
    assert assign_personas(names) == assigned


def test_werkdagen_follow_the_kpi_definition():
    koningsdag = date(2024, 4, 27)  # a Saturday; holidays on weekends change nothing
    cal = WerkdagCalendar([date(2024, 5, 9), koningsdag], date(2024, 1, 1), date(2024, 12, 31))
    thursday = date(2024, 5, 2)
    assert cal.add(thursday, 0) == thursday
    assert cal.add(thursday, 1) == date(2024, 5, 3)
    assert cal.add(thursday, 2) == date(2024, 5, 6)  # over the weekend
    assert cal.add(date(2024, 5, 8), 1) == date(2024, 5, 10)  # Hemelvaartsdag skipped
    assert cal.between(thursday, date(2024, 5, 6)) == 2
    assert cal.between(date(2024, 5, 4), date(2024, 5, 5)) == 0  # (Sat, Sun]
    for n in range(0, 30):
        assert cal.between(thursday, cal.add(thursday, n)) == n
