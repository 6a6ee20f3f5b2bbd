# SPDX-License-Identifier: EUPL-1.2
"""Trajectories: one hand-computed scenario per kpi-research §3 row (XML fixtures parsed with the
pure parser) plus Hypothesis properties. Dates in the comments are worked out by hand."""

from __future__ import annotations

import functools
import random
from datetime import date, time, timedelta
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wmo_sla.engine.calendar import WorkdayCalendar
from wmo_sla.engine.frames import FACT_SCHEMAS
from wmo_sla.engine.state import DerivedState, FactFrames, derive_state
from wmo_sla.engine.trajectories import (
    EPISODE_COLUMNS,
    TRAJECTORY_COLUMNS,
    Trajectories,
    TrajectoryParams,
    build_trajectories,
    calendar_day_deadline,
)

from .support import FIXTURES, key, state_from_dir

A, B = "99000101", "99000111"
BSN = ["999990007", "999990019", "999990020", "999990032"]
D = date.fromisoformat

PRODUCTS = pl.DataFrame(
    {
        "categorie": ["02", "02", "02", "02", "07"],
        "productcode": ["H300", "H150", "H152", "H300N", "H531"],
        "product_group": ["02", "02", "02", "02", "07"],
        "referentiegroep": ["IB-REG", "IB-REG", "IB-SPEC", "IB-REG", "DB"],
    }
)


@functools.cache
def _state(scenario: str) -> DerivedState:
    return state_from_dir(FIXTURES / scenario)


def run(scenario: str, as_of: str = "2024-12-31", **kwargs: Any) -> Trajectories:
    return build_trajectories(
        _state(scenario), PRODUCTS, TrajectoryParams(as_of=D(as_of), **kwargs)
    )


def rows(result: Trajectories, bsn: str, agb: str = A) -> list[dict[str, Any]]:
    frame = result.trajectories.filter(
        (pl.col("client_key") == key(bsn)) & (pl.col("aanbieder_agb") == agb)
    ).sort("product_group", "start")
    return frame.to_dicts()


def one(result: Trajectories, bsn: str, agb: str = A) -> dict[str, Any]:
    found = rows(result, bsn, agb)
    assert len(found) == 1, found
    return found[0]


def check(row: dict[str, Any], **expected: Any) -> None:
    for name, value in expected.items():
        if name in ("start", "end", "opening_first_einddatum", "opening_first_toewijzingsdatum"):
            value = None if value is None else D(value)
        assert row[name] == value, (name, row[name], value, row)


# --- §3 rows -----------------------------------------------------------------------------------


def test_deleted_toewijzing_is_ignored_completely() -> None:
    r = run("deleted_toewijzing")
    assert rows(r, BSN[0]) == []  # toewijzing 1001 deleted by RW 13; its start is ignored
    assert r.episodes.filter(pl.col("toewijzing_nummer") == 1001).is_empty()
    assert r.niet_gestart.is_empty()
    assert r.toewijzing_links["toewijzing_nummer"].to_list() == [1002]
    check(one(r, BSN[1]), start="2024-02-01", end="2024-06-30", end_kind="stop", end_reason="19",
          instroom_kind="nieuw", n_episodes=1, temporary_stop_days=0)  # fmt: skip


def test_administrative_correction_uses_latest_version() -> None:
    # v1 (02-01 10:00) Einddatum 30-06; v2 RW 14 (05-01) Einddatum 31-03; no stop message
    t = one(run("administratieve_correctie"), BSN[0])
    check(t, start="2024-01-08", end="2024-03-31", end_kind="vermoedelijk", end_reason=None,
          end_reden_wijziging="14", opening_first_einddatum="2024-06-30", n_episodes=1)  # fmt: skip


def test_contract_change_with_new_product_code_continues() -> None:
    # 3001 (H300) ends 31-12-2023 with RW 03, no stop; 3002 (H300N, same group) starts 01-01-2024
    t = one(run("contractwijziging"), BSN[0])
    check(t, start="2023-01-09", end=None, end_kind="open", n_episodes=2,
          toewijzingen=[3001, 3002], referentiegroep="IB-REG", instroom_kind="nieuw")  # fmt: skip


def test_reindication_continues_within_gap() -> None:
    r = run("herindicatie")
    check(one(r, BSN[0]), start="2024-01-10", end="2024-09-30", end_reason="19", end_kind="stop",
          n_episodes=2, toewijzingen=[4001, 4002], temporary_stop_days=0)  # fmt: skip
    # the second client restarts on 04-05, 4 days after 30-04: G = 1 → two trajectories
    first, second = rows(r, BSN[1])
    check(first, start="2024-01-10", end="2024-04-30", end_reason="37", instroom_kind="nieuw")
    check(second, start="2024-05-04", end="2024-09-30", end_reason="19", instroom_kind="herhaald")
    links = r.toewijzing_links.filter(pl.col("toewijzing_nummer").is_in([4011, 4012]))
    assert links["opens_trajectory"].to_list() == [True, True]
    # G = 31 (sensitivity setting): one trajectory, the gap is not a temporary-stop gap
    wide = run("herindicatie", gap_days=31)
    check(one(wide, BSN[1]), start="2024-01-10", end="2024-09-30", n_episodes=2,
          temporary_stop_days=0)  # fmt: skip


def test_verlenging_extends_the_toewijzing() -> None:
    # Einddatum 31-03 extended to 30-09 (RW 04); no stop
    check(one(run("verlenging", "2024-06-30"), BSN[0]), start="2024-01-15", end_kind="open")
    t = one(run("verlenging"), BSN[0])
    check(t, end="2024-09-30", end_kind="vermoedelijk", end_reden_wijziging="04",
          opening_first_einddatum="2024-03-31")  # fmt: skip


def test_temporary_stop() -> None:
    r = run("tijdelijke_stop")
    # 08-01 → 20 on 01-03, restart 02-04, 19 on 31-08: gap 02-03..01-04 = 31 days
    check(one(r, BSN[0]), start="2024-01-08", end="2024-08-31", end_kind="stop", end_reason="19",
          n_episodes=2, temporary_stop_days=31)  # fmt: skip
    # 20 on 31-05, definitive 21 on 15-07 for the same start (casus 3): 45 days not delivered
    check(one(r, BSN[1]), start="2024-02-01", end="2024-07-15", end_reason="21", n_episodes=1,
          temporary_stop_days=45)  # fmt: skip
    episode = r.episodes.filter(pl.col("toewijzing_nummer") == 6002).to_dicts()[0]
    assert (episode["einddatum"], episode["stop_reason"], episode["temporary"]) == (
        D("2024-05-31"),
        "20",
        True,
    )
    assert (episode["definitief_einddatum"], episode["definitief_reden"]) == (D("2024-07-15"), "21")
    # 20 on 30-06, nothing after, open-ended toewijzing: stays open; gap to as_of = 184 days
    check(one(r, BSN[2]), end=None, end_kind="open", temporary_stop_days=184)
    # same on a toewijzing ending 30-09: vermoedelijk at 30-09; gap 01-07..30-09 = 92 days
    check(one(r, BSN[3]), end="2024-09-30", end_kind="vermoedelijk", temporary_stop_days=92)


def test_correction_of_start_and_stop_uses_final_values() -> None:
    r = run("correctie_start_stop")
    check(one(r, BSN[0]), start="2024-01-12", end="2024-05-31", end_reason="23", n_episodes=1)
    episode = r.episodes.to_dicts()[0]
    assert episode["start_dagtekening"] == D("2024-01-20")  # the corrected key was first sent then
    assert episode["stop_dagtekening"] == D("2024-06-10")


def test_missing_start_derives_start_from_declarations() -> None:
    r = run("ontbrekende_start")
    # January debit fully credited → first declared period is February
    check(one(r, BSN[0]), start="2024-02-01", end_kind="open", start_afgeleid=True)
    derived = r.episodes.filter(pl.col("toewijzing_nummer") == 8001).to_dicts()[0]
    assert (derived["source"], derived["start_bericht"]) == ("323", False)
    assert derived["declaratie_referenties"] == ["R8001-02"]
    # derived start, toewijzing ended 31-03, no stop: vermoedelijk
    check(one(r, BSN[1]), start="2024-01-15", end="2024-03-31", end_kind="vermoedelijk",
          start_afgeleid=True)  # fmt: skip
    # a stop without a start: episode from the stop key (Begindatum 15-01)
    check(one(r, BSN[2]), start="2024-01-15", end="2024-03-29", end_reason="19",
          start_afgeleid=False)  # fmt: skip
    orphan = r.episodes.filter(pl.col("toewijzing_nummer") == 8003).to_dicts()[0]
    assert (orphan["source"], orphan["start_bericht"]) == ("307", False)
    # neither start nor declaration: niet gestart, not a trajectory
    assert rows(r, BSN[3]) == []
    assert r.niet_gestart["toewijzing_nummer"].to_list() == [8004]
    assert sorted(r.toewijzing_links["toewijzing_nummer"].to_list()) == [8001, 8002, 8003]


def test_missing_stop_is_vermoedelijk_after_the_grace() -> None:
    # toewijzing ends Fri 03-05-2024; fallback deadline = +7 calendar days = 10-05
    check(one(run("ontbrekende_stop", "2024-05-10"), BSN[0]), end=None, end_kind="open")
    check(one(run("ontbrekende_stop", "2024-05-11"), BSN[0]), end="2024-05-03",
          end_kind="vermoedelijk", end_reason=None)  # fmt: skip
    # werkdag hook: 6, 7, 8, (9 Hemelvaart), 10, 13 May → 5th werkdag = Mon 13-05
    calendar = WorkdayCalendar.algemene_termijnenwet(2024, 2024)

    def hook(e: pl.Expr) -> pl.Expr:
        return calendar.add_werkdagen_expr(e, 5)

    check(
        one(run("ontbrekende_stop", "2024-05-13", workday_deadline=hook), BSN[0]), end_kind="open"
    )
    check(one(run("ontbrekende_stop", "2024-05-14", workday_deadline=hook), BSN[0]),
          end_kind="vermoedelijk")  # fmt: skip


def test_transfer_between_providers() -> None:
    r = run("overstap")
    check(one(r, BSN[0], A), end="2024-05-31", end_reason="38", instroom_kind="nieuw")
    check(one(r, BSN[0], B), start="2024-06-01", end_kind="open", instroom_kind="overname")
    # reason 19 but RW 09 on the old toewijzing: still an overname
    check(one(r, BSN[1], A), end_reason="19")
    check(one(r, BSN[1], B), instroom_kind="overname")
    # 38, but the new provider starts 10-06: more than G days → herhaald, not overname
    check(one(r, BSN[2], B), start="2024-06-10", instroom_kind="herhaald")


@pytest.mark.parametrize(
    ("scenario", "reason", "reden_wijziging"),
    [
        ("pgb", "36", "08"),
        ("verhuizing", "31", "07"),
        ("wlz", "39", "06"),
        ("overlijden", "02", "02"),
    ],
)
def test_external_ends(scenario: str, reason: str, reden_wijziging: str) -> None:
    r = run(scenario)
    check(one(r, BSN[0]), start="2024-01-08", end="2024-04-15", end_kind="stop", end_reason=reason)
    check(one(r, BSN[1]), end="2024-04-30", end_kind="vermoedelijk", end_reason=None,
          end_reden_wijziging=reden_wijziging)  # fmt: skip


def test_retroactive_toewijzing() -> None:
    t = one(run("terugwerkende_kracht", "2024-06-30"), BSN[0])
    check(t, start="2024-02-05", end_kind="open", opening_first_toewijzingsdatum="2024-03-15")
    assert t["opening_first_dagtekening"] == D("2024-03-15")
    assert t["opening_first_ingangsdatum"] == D("2024-02-01")


def test_stacking_merges_into_one_trajectory() -> None:
    t = one(run("stapeling"), BSN[0])
    check(t, start="2024-01-08", end="2024-09-30", end_reason="19", n_episodes=2,
          toewijzingen=[16001, 16002], temporary_stop_days=0)  # fmt: skip


def test_product_groups_referentiegroep_and_instroom() -> None:
    r = run("productgroepen_instroom")
    ib_1, ib_2, db = rows(r, BSN[0])
    # H152 (IB-SPEC) → H300 (IB-REG) without a stop in between: one trajectory, IB-SPEC
    check(ib_1, product_group="02", start="2023-01-04", end="2023-12-31", referentiegroep="IB-SPEC",
          n_episodes=2, instroom_kind="nieuw")  # fmt: skip
    check(ib_2, product_group="02", start="2024-09-02", end_kind="open", instroom_kind="herhaald")
    check(db, product_group="07", referentiegroep="DB", end="2023-12-31", instroom_kind="nieuw")
    check(one(r, BSN[1], B), start="2022-01-03", end="2022-03-31")
    ib, opvang = rows(r, BSN[1], A)
    # previous IB trajectory ended 31-03-2022, more than 365 days before 01-05-2023
    check(ib, start="2023-05-01", end="2023-12-31", end_kind="vermoedelijk", instroom_kind="nieuw")
    check(opvang, product_group="16", referentiegroep="16")  # not in the map: the categorie


def test_schemas() -> None:
    r = run("tijdelijke_stop")
    assert r.trajectories.columns == TRAJECTORY_COLUMNS
    assert r.episodes.columns == EPISODE_COLUMNS
    assert r.toewijzing_links.columns == [
        "gemeente", "toewijzing_nummer", "trajectory_id", "client_key", "aanbieder_agb",
        "product_group", "opens_trajectory",
    ]  # fmt: skip
    t = r.trajectories.to_dicts()[0]
    assert t["trajectory_id"] == f"{t['client_key']}|{A}|02|{t['start']:%Y%m%d}"


def test_calendar_day_deadline() -> None:
    frame = pl.DataFrame({"d": [D("2024-05-03")]})
    out = frame.select(calendar_day_deadline(5)(pl.col("d")))["d"].to_list()
    assert out == [D("2024-05-10")]


# --- properties ----------------------------------------------------------------------------------

_BASE = date(2023, 1, 1)
_PRODUCTS = [("02", "H300"), ("02", "H150"), ("07", "H531"), ("16", "X99")]
_KINDS = ["start", "start+stop", "start+20", "start+20+stop", "stop", "decl"]


@st.composite
def fact_frames(draw: st.DrawFn) -> FactFrames:
    """A few clients with random toewijzingen, starts, (temporary) stops, restarts, corrections
    and declarations; dates drawn independently, so overlaps and gaps of every kind occur."""
    tw_rows: list[tuple[Any, ...]] = []
    al_rows: list[tuple[Any, ...]] = []
    pr_rows: list[tuple[Any, ...]] = []
    nummer = 0
    for client in range(draw(st.integers(1, 3))):
        ck = f"client{client}"
        for _ in range(draw(st.integers(1, 5))):
            nummer += 1
            agb = draw(st.sampled_from([A, B]))
            cat, code = draw(st.sampled_from(_PRODUCTS))
            ingang = _BASE + timedelta(days=draw(st.integers(0, 500)))
            length = draw(st.one_of(st.none(), st.integers(0, 300)))
            eind = None if length is None else ingang + timedelta(days=length)
            rw = draw(st.sampled_from(["", "", "04", "05", "09", "13"]))
            if rw == "13":
                eind = ingang
            tw_rows.append(("m", "0505", agb, ck, nummer, cat, code, ingang, time(10), ingang,
                            eind, rw, 4, "04", "2", None, "", ingang))  # fmt: skip
            begin = ingang + timedelta(days=draw(st.integers(-5, 40)))
            for _ in range(draw(st.integers(0, 2))):
                kind = draw(st.sampled_from(_KINDS))
                dag = begin + timedelta(days=3)
                if "start" in kind:
                    al_rows.append(("m", "start", agb, "0505", ck, nummer, cat, code, ingang,
                                    begin, None, "", "1", dag))  # fmt: skip
                    if draw(st.booleans()) and draw(st.booleans()):  # a deleted start
                        al_rows.append(("m", "start", agb, "0505", ck, nummer, cat, code, ingang,
                                        begin, None, "", "3", dag))  # fmt: skip
                end = begin + timedelta(days=draw(st.integers(0, 200)))
                if "20" in kind:
                    al_rows.append(("m", "stop", agb, "0505", ck, nummer, cat, code, ingang,
                                    begin, end, "20", "1", end))  # fmt: skip
                    end = end + timedelta(days=draw(st.integers(0, 60)))
                if kind.endswith("stop"):
                    reason = draw(st.sampled_from(["19", "21", "38", "02"]))
                    al_rows.append(("m", "stop", agb, "0505", ck, nummer, cat, code, ingang,
                                    begin, end, reason, "1", end))  # fmt: skip
                if kind == "decl":
                    pr_rows.append(("m", agb, "0505", "DN", ck, f"R{nummer}-{begin}", "", nummer,
                                    cat, code, begin, end, 1, "04", 100, 100, "D", end))  # fmt: skip
                begin = end + timedelta(days=draw(st.integers(0, 90)))

    def frame(name: str, data: list[tuple[Any, ...]]) -> pl.DataFrame:
        return pl.DataFrame(data, schema=FACT_SCHEMAS[name], orient="row")

    return FactFrames(
        messages=frame("messages", []),
        toewijzingen=frame("toewijzingen", tw_rows),
        aanleveringen=frame("aanleveringen", al_rows),
        prestaties=frame("prestaties", pr_rows),
        retours=frame("retours", []),
        prestatie_afwijzingen=frame("prestatie_afwijzingen", []),
    )


_PROPERTY_PRODUCTS = PRODUCTS.filter(pl.col("productcode") != "H152")


def _shuffled(facts: FactFrames, seed: int) -> FactFrames:
    def shuffle(frame: pl.DataFrame) -> pl.DataFrame:
        order = list(range(frame.height))
        random.Random(seed).shuffle(order)
        return frame[order]

    return FactFrames(
        messages=shuffle(facts.messages),
        toewijzingen=shuffle(facts.toewijzingen),
        aanleveringen=shuffle(facts.aanleveringen),
        prestaties=shuffle(facts.prestaties),
        retours=shuffle(facts.retours),
        prestatie_afwijzingen=shuffle(facts.prestatie_afwijzingen),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=fact_frames(), seed=st.integers(0, 2**32), gap=st.sampled_from([1, 1, 31]),
       as_of=st.integers(200, 1000))  # fmt: skip
def test_properties(facts: FactFrames, seed: int, gap: int, as_of: int) -> None:
    params = TrajectoryParams(as_of=_BASE + timedelta(days=as_of), gap_days=gap)
    result = build_trajectories(derive_state(facts), _PROPERTY_PRODUCTS, params)
    again = build_trajectories(derive_state(_shuffled(facts, seed)), _PROPERTY_PRODUCTS, params)
    # order independence
    for name, frame in result.frames().items():
        assert frame.equals(again.frames()[name]), name
    trajectories, episodes = result.trajectories, result.episodes
    # every episode belongs to exactly one existing trajectory, and the counts agree
    assert episodes["trajectory_id"].null_count() == 0
    assert set(episodes["trajectory_id"]) == set(trajectories["trajectory_id"])
    assert trajectories["trajectory_id"].is_unique().all()
    counts = episodes.group_by("trajectory_id").len()
    joined = trajectories.join(counts, on="trajectory_id")
    assert (joined["n_episodes"] == joined["len"]).all()
    # end ≥ start; open ⇔ no end; temporary days non-negative
    closed = trajectories.filter(pl.col("end").is_not_null())
    assert (closed["end"] >= closed["start"]).all()
    assert (trajectories["end"].is_null() == (trajectories["end_kind"] == "open")).all()
    assert (trajectories["temporary_stop_days"] >= 0).all()
    # no two trajectories of one client × provider × product group overlap
    ordered = trajectories.sort("client_key", "aanbieder_agb", "product_group", "start")
    nxt = ordered.with_columns(
        pl.col("start")
        .shift(-1)
        .over(["client_key", "aanbieder_agb", "product_group"])
        .alias("nxt")
    ).filter(pl.col("nxt").is_not_null())
    assert nxt["end"].null_count() == 0
    assert (nxt["nxt"] > nxt["end"]).all()
    # links: each toewijzing with an episode exactly once; niet gestart ones never
    linked = result.toewijzing_links
    assert linked.select("gemeente", "toewijzing_nummer").is_unique().all()
    with_episode = episodes.select("gemeente", "toewijzing_nummer").unique()
    assert linked.height == with_episode.height
    assert linked.join(result.niet_gestart, on=["gemeente", "toewijzing_nummer"]).is_empty()
    assert set(trajectories["instroom_kind"]) <= {"nieuw", "herhaald", "overname"}
