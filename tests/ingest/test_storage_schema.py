# SPDX-License-Identifier: EUPL-1.2
"""The storage keeps what matters after the index diet (docs/benchmarks.md § Ingest): a fact can
never point at a message that is not stored, and the drill-down's lookup of one client's facts
still goes through an index instead of reading whole tables."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

import pytest

from wmo_sla.ingest.constants import BatchSource
from wmo_sla.ingest.models import AanleveringFact, ClientFact, PrestatieFact, ToewijzingFact
from wmo_sla.ingest.services import batch_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("model", [ClientFact, ToewijzingFact, AanleveringFact, PrestatieFact])
def test_a_fact_for_a_message_that_is_not_stored_is_refused(model) -> None:
    batch_create(source=BatchSource.CLI)  # a non-empty database besides the fact tables
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    # The smallest row the table accepts: every NOT NULL column gets a value of its type.
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.null:
            continue
        columns.append(qn(field.column))
        internal = field.get_internal_type()
        if field.column == "message_sha":
            values.append("0" * 64)
        elif internal in ("DateField",):
            values.append("2024-01-01")
        elif internal in ("TimeField",):
            values.append("12:00:00")
        elif internal in ("BigIntegerField", "PositiveSmallIntegerField", "IntegerField"):
            values.append(1)
        elif internal == "BooleanField":
            values.append(False)
        else:
            values.append("x")
    marks = ", ".join(["%s"] * len(values))
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
            values,
        )
    assert not model.objects.exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's")
@pytest.mark.parametrize("model", [ToewijzingFact, AanleveringFact, PrestatieFact])
def test_the_drilldown_finds_one_clients_facts_through_an_index(model) -> None:
    queryset = model.objects.filter(
        aanbieder_agb__in=["99000101", "99000102"],
        client_key="0" * 32,
        gemeente="0505",
        toewijzing_nummer=100545,
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING INDEX" in plan, plan
    assert f"SCAN {model._meta.db_table}" not in plan.replace('"', ""), plan
