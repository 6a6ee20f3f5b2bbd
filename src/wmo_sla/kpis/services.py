# SPDX-License-Identifier: EUPL-1.2
"""KPI computation runs: read the stored state, run the pure engine, store the figures.

A run stores its as-of date, parameters, definition versions and a fingerprint of its inputs
(messages, contract definition, survey imports); the same inputs give identical figures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

import polars as pl

from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.services import audit_log
from wmo_sla.contracts.models import AgbCode, Holiday, Product, Tariff
from wmo_sla.core.transitions import check_transition
from wmo_sla.engine.calendar import WorkdayCalendar
from wmo_sla.engine.enrich import EnrichParams, enrich_figures
from wmo_sla.engine.figures import FigureParams, trajectory_figures
from wmo_sla.engine.figures_cost import k10_observed_expected
from wmo_sla.engine.figures_monthly import monthly_figures
from wmo_sla.engine.figures_process import ProcessParams, process_figures
from wmo_sla.engine.figures_scaling import ScalingParams, scaling_figures
from wmo_sla.engine.figures_survey import k13_tevredenheid
from wmo_sla.engine.figures_survival import k5_kaplan_meier
from wmo_sla.engine.intensity import TARIFF_SCHEMA
from wmo_sla.engine.members import MemberParams, member_units
from wmo_sla.engine.state import DerivedState, derive_state
from wmo_sla.engine.trajectories import TrajectoryParams, build_trajectories
from wmo_sla.ingest.models import RawMessage

from .models import RUN_TRANSITIONS, ComputationRun, ComputationRunEvent, Figure, RunStatus
from .registry import FIGURES, KPIS
from .selectors import fact_frames, norms_frame, survey_fingerprint, survey_responses_frame
from .unit_store import store_unit_frames

Progress = Callable[[str], None]

DEFAULT_PARAMETERS: dict[str, Any] = {
    "gap_days": 1,
    "stop_grace_werkdagen": 5,
    "recidive_window_days": 365,
    "recidive_half_window_days": 182,
    "definitief_after_months": 6,
    "small_numbers_min": 5,
    "small_numbers_marked_below": 20,
    "scaling_epsilon": 0.10,  # K3/K4: minimal relative change of intensity (ε)
}


def run_transition(*, run: ComputationRun, to: RunStatus, note: str = "") -> None:
    check_transition(RUN_TRANSITIONS, run.status, to)
    now = timezone.now()
    ComputationRunEvent.objects.create(
        run=run, timestamp=now, from_status=run.status, to_status=to, note=note[:500]
    )
    run.status = to
    run.finished_at = now
    run.error = note if to == RunStatus.FAILED else ""
    run.save(update_fields=["status", "finished_at", "error"])


def _canonical_agb() -> dict[str, str]:
    """AGB code → the first (lowest) AGB code of its aanbieder; unknown codes map to themselves."""
    mapping: dict[str, str] = {}
    first: dict[int, str] = {}
    for code, aanbieder_id in AgbCode.objects.order_by("code").values_list("code", "aanbieder_id"):
        first.setdefault(aanbieder_id, code)
        mapping[code] = first[aanbieder_id]
    return mapping


def _map_agb(state: DerivedState, mapping: dict[str, str]) -> DerivedState:
    def remap(frame: pl.DataFrame) -> pl.DataFrame:
        if "aanbieder_agb" not in frame.columns or not mapping:
            return frame
        return frame.with_columns(pl.col("aanbieder_agb").replace(mapping))

    return DerivedState(**{name: remap(frame) for name, frame in state.frames().items()})


def _map_survey_agb(responses: pl.DataFrame, mapping: dict[str, str]) -> pl.DataFrame:
    if not mapping or responses.is_empty():
        return responses
    return responses.with_columns(pl.col("aanbieder_agb").replace(mapping))


def _products_frame() -> pl.DataFrame:
    rows = list(
        Product.objects.values_list("categorie", "code", "product_group", "referentiegroep__code")
    )
    return pl.DataFrame(
        rows,
        schema={
            "categorie": pl.Utf8,
            "productcode": pl.Utf8,
            "product_group": pl.Utf8,
            "referentiegroep": pl.Utf8,
        },
        orient="row",
    ).unique(subset=["categorie", "productcode"], keep="first", maintain_order=True)


def _tariffs_frame() -> pl.DataFrame:
    """Contract tariffs per product and year (engine.intensity.TARIFF_SCHEMA), in euros."""
    rows = [
        (categorie, code, year, float(price), price_per)
        for categorie, code, year, price, price_per in Tariff.objects.order_by(
            "product__contract_id", "product_id", "year"
        ).values_list("product__categorie", "product__code", "year", "price", "price_per")
    ]
    return pl.DataFrame(rows, schema=TARIFF_SCHEMA, orient="row").unique(
        subset=["categorie", "productcode", "year"], keep="first", maintain_order=True
    )


def _calendar() -> WorkdayCalendar:
    return WorkdayCalendar(
        Holiday.objects.filter(calendar__code="atw").values_list("date", flat=True)
        or Holiday.objects.values_list("date", flat=True)
    )


def input_fingerprint(parameters: dict[str, Any], as_of: dt.date) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps(parameters, sort_keys=True).encode())
    digest.update(as_of.isoformat().encode())
    # Every message's sha256 in order, fed in chunks (the same digest as one update per sha).
    qn = connection.ops.quote_name
    table = qn(RawMessage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn('sha256')} FROM {table} ORDER BY {qn('sha256')}")  # noqa: S608
        while rows := cursor.fetchmany(100_000):
            digest.update("".join(sha for (sha,) in rows).encode())
    from wmo_sla.contracts.services import contract_definition_dump

    digest.update(contract_definition_dump().encode())
    digest.update(survey_fingerprint().encode())
    return digest.hexdigest()


def compute_figures(
    *,
    as_of: dt.date,
    parameters: dict[str, Any],
    progress: Progress | None = None,
    units: dict[str, pl.DataFrame] | None = None,
) -> pl.DataFrame:
    """The pure part of a run, from the database state to the enriched figure frame.

    ``units``, when given, is filled with the frames the figures came from (the drill-down,
    ``engine.members.member_units``), for :func:`kpis_compute` to store with the run.
    """
    say = progress or (lambda _message: None)
    say("Gegevens lezen")
    state = _map_agb(derive_state(fact_frames()), _canonical_agb())
    calendar = _calendar()
    products = _products_frame()
    say("Trajecten bouwen")
    trajectories = build_trajectories(
        state,
        products,
        TrajectoryParams(
            as_of=as_of,
            gap_days=parameters["gap_days"],
            stop_grace_werkdagen=parameters["stop_grace_werkdagen"],
            workday_deadline=lambda e: calendar.add_werkdagen_expr(
                e, parameters["stop_grace_werkdagen"]
            ),
        ),
    )
    say("Kengetallen berekenen")
    process_params = ProcessParams(as_of=as_of)
    process = process_figures(state, trajectories, calendar, process_params)
    figure_params = FigureParams(
        as_of=as_of,
        gap_days=parameters["gap_days"],
        recidive_window_days=parameters["recidive_window_days"],
        recidive_half_window_days=parameters["recidive_half_window_days"],
    )
    figures = trajectory_figures(trajectories.trajectories, figure_params)
    # K3/K4 (rate over K2a of `figures`), K5km, K10oe (engine/figures_{scaling,survival,cost}).
    tariffs = _tariffs_frame()
    scaling_params = ScalingParams(
        as_of=as_of, gap_days=parameters["gap_days"], epsilon=parameters["scaling_epsilon"]
    )
    more = [
        scaling_figures(state, trajectories, products, tariffs, scaling_params, active=figures),
        k5_kaplan_meier(trajectories.trajectories, as_of),
        k10_observed_expected(state, trajectories, tariffs),
    ]
    # Monthly series (region level, a subset) for the SPC charts; labels 2024M03.
    monthly = monthly_figures(state, trajectories, calendar, figure_params, process_params)
    responses = _map_survey_agb(survey_responses_frame(), _canonical_agb())
    survey = k13_tevredenheid(responses, as_of)
    if units is not None:
        member_params = MemberParams(
            as_of=as_of,
            gap_days=parameters["gap_days"],
            recidive_window_days=parameters["recidive_window_days"],
            recidive_half_window_days=parameters["recidive_half_window_days"],
            days_per_period_unit=process_params.days_per_period_unit,
            scaling_epsilon=parameters["scaling_epsilon"],
        )
        units.update(
            member_units(
                state,
                trajectories,
                calendar,
                member_params,
                responses,
                process_params,
                products=products,
                tariffs=tariffs,
            )
        )
    say("Intervallen, normen en signalen")
    return enrich_figures(
        pl.concat([figures, process, *more, monthly, survey], how="diagonal_relaxed"),
        norms_frame(),
        EnrichParams(
            as_of=as_of,
            definitief_after_months=parameters["definitief_after_months"],
            small_numbers_min=parameters["small_numbers_min"],
            small_numbers_marked_below=parameters["small_numbers_marked_below"],
        ),
    )


def kpis_compute(
    *,
    as_of: dt.date | None = None,
    parameters: dict[str, Any] | None = None,
    actor: Any = None,
    progress: Progress | None = None,
) -> ComputationRun:
    as_of = as_of or timezone.localdate()
    params = {**DEFAULT_PARAMETERS, **(parameters or {})}
    started = time.perf_counter()
    run = ComputationRun.objects.create(
        created_at=timezone.now(),
        as_of=as_of,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        parameters=params,
        definition_versions={code: k.version for code, k in KPIS.items()},
        input_fingerprint=input_fingerprint(params, as_of),
    )
    ComputationRunEvent.objects.create(
        run=run, timestamp=run.created_at, to_status=RunStatus.RUNNING
    )
    try:
        units: dict[str, pl.DataFrame] = {}
        figures = compute_figures(as_of=as_of, parameters=params, progress=progress, units=units)
        if progress:
            progress("Opslaan")
        with transaction.atomic():
            count = _store(run, figures)
            store_unit_frames(run=run, units=units)
            ComputationRun.objects.filter(pk=run.pk).update(
                figure_count=count, seconds=time.perf_counter() - started
            )
            run.refresh_from_db()
            run_transition(run=run, to=RunStatus.COMPLETED)
    except Exception as exc:
        run.refresh_from_db()
        run_transition(run=run, to=RunStatus.FAILED, note=f"{type(exc).__name__}: {exc}")
        raise
    audit_log(
        action=AuditAction.KPIS_COMPUTED,
        actor=run.actor,
        obj=run,
        extra={"as_of": as_of.isoformat(), "figures": run.figure_count},
    )
    return run


_COLUMNS = [
    "run_id",
    "kpi",
    "aanbieder_agb",
    "aanbieder_id",
    "referentiegroep",
    "gemeente",
    "period",
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
    "n",
    "norm",
    "norm_niet_gehaald",
    "signaal",
    "kleine_aantallen",
    "status",
    "definition_version",
]


def _store(run: ComputationRun, figures: pl.DataFrame) -> int:
    aanbieder_of = dict(AgbCode.objects.values_list("code", "aanbieder_id"))
    versions = {code: f.version for code, f in FIGURES.items()}
    frame = figures.with_columns(
        pl.lit(run.pk).alias("run_id"),
        pl.col("aanbieder_agb")
        .replace_strict(aanbieder_of, default=None, return_dtype=pl.Int64)
        .alias("aanbieder_id"),
        pl.col("kpi")
        .replace_strict(versions, default=1, return_dtype=pl.Int64)
        .alias("definition_version"),
    ).select(_COLUMNS)
    qn = connection.ops.quote_name
    table = qn(Figure._meta.db_table)
    names = ", ".join(qn(c) for c in _COLUMNS)
    marks = ", ".join(["%s"] * len(_COLUMNS))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - identifiers are ours
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY, as the ingest writer does: one stream instead of a statement per row.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in frame.iter_rows():
                    copy.write_row(row)
        else:
            for chunk in frame.iter_slices(20_000):
                cursor.executemany(sql, chunk.rows())
    return frame.height
