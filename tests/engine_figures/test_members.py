# SPDX-License-Identifier: EUPL-1.2
"""The drill-down is honest: for every figure code, the members stored with a run reproduce the
figure's numerator, denominator and value (generated small region, through the database)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import polars as pl
import pytest

from tests.conftest import EXAMPLE_CONTRACT
from wmo_sla.contracts.models import AgbCode
from wmo_sla.contracts.services import contract_definition_load
from wmo_sla.engine.members import (
    NOT_TRACEABLE,
    FigureKey,
    MemberParams,
    UnsupportedFigure,
    is_traceable,
    members,
    reproduce,
    units_needed,
)
from wmo_sla.ingest.services import ingest_paths
from wmo_sla.kpis.models import Figure, RunUnitFrame
from wmo_sla.kpis.services import kpis_compute
from wmo_sla.kpis.survey import survey_import
from wmo_sla.kpis.unit_store import unit_frames_of

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 12, 31)
PER_CODE = 12  # figures checked per code (spread over gemeenten, regio and period kinds)


@pytest.fixture
def run(small_region, tmp_path):
    contract_definition_load(path=EXAMPLE_CONTRACT)
    ingest_paths(paths=[small_region])
    agbs = sorted(AgbCode.objects.values_list("code", flat=True))[:2]
    lines = ["agb_code;periode;cijfer;gemeente"]
    for i in range(30):
        gemeente = "0505" if i % 3 else ""
        lines.append(f"{agbs[i % 2]};2023;{1 + (i * 7) % 10};{gemeente}")
    survey = tmp_path / "tevredenheid.csv"
    survey.write_text("\n".join(lines) + "\n", encoding="utf-8")
    survey_import(path=survey)
    return kpis_compute(as_of=AS_OF)


def _close(mine: float | None, stored: float | None) -> bool:
    if mine is None or stored is None:
        return mine is None and stored is None
    return abs(mine - stored) <= 1e-6 * max(1.0, abs(stored))


def _sample(figures: list[Figure]) -> list[Figure]:
    """Deterministic spread: regio and gemeente, every period kind, several aanbieders."""
    figures = sorted(
        figures, key=lambda f: (f.gemeente == "regio", f.period, f.aanbieder_agb, f.pk)
    )
    if len(figures) <= PER_CODE:
        return figures
    step = len(figures) / PER_CODE
    return [figures[int(i * step)] for i in range(PER_CODE)]


def test_members_reproduce_every_stored_figure(run):
    params = MemberParams(
        as_of=run.as_of,
        gap_days=run.parameters["gap_days"],
        recidive_window_days=run.parameters["recidive_window_days"],
        recidive_half_window_days=run.parameters["recidive_half_window_days"],
    )
    by_code: dict[str, list[Figure]] = defaultdict(list)
    for figure in Figure.objects.filter(run=run):
        by_code[figure.kpi].append(figure)
    codes = set(by_code)
    # Every computed code is traced.
    assert not NOT_TRACEABLE
    assert {c for c in codes if not is_traceable(c)} == set()
    traced = sorted(codes)
    expected = {"K1", "K1n", "K2", "K2a", "K2s", "K2r", "K5", "K5m", "K6", "K6m", "K6p", "K8"}
    expected |= {"K9", "K9d", "K10", "K10w", "K11s", "K11e", "K11c", "K11l", "K11ms", "K11me"}
    expected |= {"K12-z", "K13", "K13p", "K7", "K7v", "K2z"}
    expected |= {"K3", "K4", "K5km", "K10oe"}
    assert expected <= set(traced), expected - set(traced)

    failures = []
    checked = 0
    cache: dict[tuple[str, tuple[str, ...]], dict[str, pl.DataFrame]] = {}
    for code in traced:
        for figure in _sample(by_code[code]):
            kinds = units_needed(code)
            units = cache.get((figure.aanbieder_agb, kinds))
            if units is None:
                units = unit_frames_of(run=run, aanbieder_agb=figure.aanbieder_agb, kinds=kinds)
                assert units is not None
                cache[(figure.aanbieder_agb, kinds)] = units
            key = FigureKey(
                figure.kpi,
                figure.aanbieder_agb,
                figure.referentiegroep,
                figure.gemeente,
                figure.period,
            )
            rows = members(units, key, params)
            mine = reproduce(rows, code)
            stored = (figure.numerator, figure.denominator, figure.value)
            checked += 1
            if not all(_close(a, b) for a, b in zip(mine, stored, strict=True)):
                failures.append((key, mine, stored))
            # A figure of n units has members; counts and shares list exactly those units.
            if figure.n and code not in ("K13", "K13p", "K10w"):
                assert rows.height > 0, key
    assert failures == []
    assert checked >= 3 * len(expected)


def test_members_of_one_figure_are_real_units_with_flags(run):
    figure = (
        Figure.objects.filter(run=run, kpi="K8", gemeente="regio", denominator__gt=0)
        .order_by("-denominator", "pk")
        .first()
    )
    units = unit_frames_of(run=run, aanbieder_agb=figure.aanbieder_agb, kinds=["trajectories"])
    key = FigureKey("K8", figure.aanbieder_agb, figure.referentiegroep, "regio", figure.period)
    rows = members(units, key, MemberParams(as_of=run.as_of))
    assert rows.height == figure.denominator
    assert rows["in_numerator"].sum() == figure.numerator
    assert set(rows["unit"]) == {"traject"}
    assert rows["trajectory_id"].n_unique() == rows.height
    assert set(rows["reason"]) <= {"19", "21", "22", "23"}
    # Pseudonymised keys only: 32 hex characters, never a BSN (9 digits).
    assert all(len(k) > 9 and not k.isdigit() for k in rows["client_key"])


def test_run_stores_units_per_aanbieder_and_never_mixes_them(run):
    stored = RunUnitFrame.objects.filter(run=run)
    assert stored.filter(kind="trajectories").count() >= 2
    for frame in stored.filter(kind="trajectories"):
        units = unit_frames_of(run=run, aanbieder_agb=frame.aanbieder_agb, kinds=["trajectories"])
        assert set(units["trajectories"]["aanbieder_agb"]) <= {frame.aanbieder_agb}
        assert units["trajectories"].height == frame.rows
    assert unit_frames_of(run=run, aanbieder_agb="00000000", kinds=["trajectories"])[
        "trajectories"
    ].is_empty()


def test_codes_without_members_are_refused_clearly():
    with pytest.raises(UnsupportedFigure):
        units_needed("K99")
    assert is_traceable("K12-19") and is_traceable("K2z") and not is_traceable("K3x")
    assert units_needed("K3") == ("scaling", "trajectories")
    assert units_needed("K10oe") == ("k10oe_lines",)


def _members_of(run, figure: Figure) -> pl.DataFrame:
    units = unit_frames_of(
        run=run, aanbieder_agb=figure.aanbieder_agb, kinds=units_needed(figure.kpi)
    )
    assert units is not None
    key = FigureKey(
        figure.kpi, figure.aanbieder_agb, figure.referentiegroep, figure.gemeente, figure.period
    )
    return members(units, key, MemberParams(as_of=run.as_of))


def test_rates_survival_and_cost_figures_list_their_units(run):
    # K3/K4: the events are changes of a toewijzing in the numerator, the active trajectories
    # (exactly the K2a members) in the denominator; value = 100 × events ÷ active.
    for code, label in (("K3", "afschaling"), ("K4", "opschaling")):
        figure = (
            Figure.objects.filter(run=run, kpi=code, numerator__gt=0)
            .order_by("-numerator", "pk")
            .first()
        )
        assert figure is not None, code
        rows = _members_of(run, figure)
        events = rows.filter(pl.col("in_numerator"))
        assert events.height == figure.numerator
        assert set(events["unit"]) == {"wijziging"} and set(events["reason"]) == {label}
        assert events["toewijzing_nummer"].null_count() == 0
        changes = events["measure"].drop_nulls()
        assert (changes <= -10 + 1e-6).all() if code == "K3" else (changes >= 10 - 1e-6).all()
        active = rows.filter(pl.col("in_denominator"))
        assert set(active["unit"]) == {"traject"} and active.height == figure.denominator
        k2a = Figure.objects.get(
            run=run,
            kpi="K2a",
            aanbieder_agb=figure.aanbieder_agb,
            referentiegroep=figure.referentiegroep,
            gemeente=figure.gemeente,
            period=figure.period,
        )
        assert active.height == k2a.value
        assert _close(reproduce(rows, code)[2], figure.value)

    # K5km: the whole start cohort, ended (event) or censored, and the median recomputed from it.
    km = [f for f in Figure.objects.filter(run=run, kpi="K5km", n__gte=5).order_by("pk")]
    assert km
    censored_seen = False
    for figure in km:
        rows = _members_of(run, figure)
        assert rows.height == figure.n
        assert set(rows["detail"]) <= {"geëindigd", "gecensureerd op de peildatum"}
        assert (rows["date"].dt.year().cast(pl.Utf8) == figure.period).all()
        censored_seen |= bool((~rows["in_numerator"]).any())
        assert _close(reproduce(rows, "K5km")[2], figure.value), figure
    assert censored_seen  # the test covers censoring, not just a plain median

    # K10oe: declared lines with observed (measure) and expected euros summing to the figure.
    figure = Figure.objects.filter(run=run, kpi="K10oe").order_by("-n", "pk").first()
    rows = _members_of(run, figure)
    counted = rows.filter(pl.col("in_numerator"))
    assert set(rows["unit"]) == {"declaratie"}
    assert counted["client_key"].n_unique() == figure.n
    assert _close(counted["measure"].sum(), figure.numerator)
    assert _close(counted["expected"].sum(), figure.denominator)
    assert (
        rows.filter(~pl.col("in_numerator"))["expected"].null_count()
        == rows.filter(~pl.col("in_numerator")).height
    )


def test_kaplan_meier_median_by_hand():
    from wmo_sla.engine.members import MEMBER_SCHEMA, kaplan_meier_median

    def cohort(items: list[tuple[int, bool]]) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "measure": [float(d) for d, _ in items],
                "in_numerator": [e for _, e in items],
                "in_denominator": [True] * len(items),
                "weight": [1] * len(items),
            },
            schema={
                c: MEMBER_SCHEMA[c] for c in ("measure", "in_numerator", "in_denominator", "weight")
            },
        )

    # 10 (event), 20 (censored), 30, 40, 50 (events): S(10)=0.8, S(30)=0.8·2/3≈0.533,
    # S(40)=0.533·1/2≈0.267 ≤ 0.5 → median 40 (a plain median of the events would say 40 too,
    # of all durations 30: the censored one matters).
    assert (
        kaplan_meier_median(cohort([(10, True), (20, False), (30, True), (40, True), (50, True)]))
        == 40
    )
    # Exactly half ended at 10: S(10) = 0.5 counts as reached.
    assert kaplan_meier_median(cohort([(10, True), (10, True), (60, False), (70, False)])) == 10
    # Fewer than half ended: no median.
    assert kaplan_meier_median(cohort([(10, True), (60, False), (70, False)])) is None


def test_a_run_that_predates_a_kind_is_not_traced_for_it(run):
    RunUnitFrame.objects.filter(run=run, kind="scaling").delete()
    agb = RunUnitFrame.objects.filter(run=run, kind="trajectories").first().aanbieder_agb
    assert unit_frames_of(run=run, aanbieder_agb=agb, kinds=units_needed("K3")) is None
    assert unit_frames_of(run=run, aanbieder_agb=agb, kinds=["trajectories"]) is not None
