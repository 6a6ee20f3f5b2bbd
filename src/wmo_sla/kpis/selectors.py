# SPDX-License-Identifier: EUPL-1.2
"""Reads for KPI runs, figures, norms and survey results."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet

import polars as pl

from wmo_sla.contracts.constants import NormStatus
from wmo_sla.contracts.models import Norm

from .models import ComputationRun, Figure, RunStatus, SurveyImport, SurveyResponse


def latest_run() -> ComputationRun | None:
    return (
        ComputationRun.objects.filter(status=RunStatus.COMPLETED)
        .order_by("-created_at", "-id")
        .first()
    )


def figures_of(*, run: ComputationRun) -> QuerySet[Figure]:
    return Figure.objects.filter(run=run)


def norms_frame() -> pl.DataFrame:
    """The norms in force: only ``vastgesteld`` ones reach the computation (proposals never do)."""
    rows = list(
        Norm.objects.filter(status=NormStatus.APPROVED).values_list(
            "kpi_code", "referentiegroep__code", "year", "value", "direction", "kind"
        )
    )
    return pl.DataFrame(
        [(k, r, y, float(v), d, kind) for k, r, y, v, d, kind in rows],
        schema={
            "kpi": pl.Utf8,
            "referentiegroep": pl.Utf8,
            "year": pl.Int32,
            "norm": pl.Float64,
            "direction": pl.Utf8,
            "norm_kind": pl.Utf8,
        },
        orient="row",
    )


def survey_fingerprint() -> str:
    digest = hashlib.sha256()
    for sha in SurveyImport.objects.order_by("sha256").values_list("sha256", flat=True):
        digest.update(sha.encode())
    return digest.hexdigest()


def survey_responses_frame() -> pl.DataFrame:
    rows = list(SurveyResponse.objects.values_list("aanbieder_agb", "period", "score", "gemeente"))
    return pl.DataFrame(
        rows,
        schema={
            "aanbieder_agb": pl.Utf8,
            "period": pl.Utf8,
            "score": pl.Int64,
            "gemeente": pl.Utf8,
        },
        orient="row",
    )
