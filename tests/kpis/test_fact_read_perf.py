# SPDX-License-Identifier: EUPL-1.2
"""The KPI run's set-based read of the stored facts gives exactly what the ingest read gives
(same columns, dtypes, values, nulls and row order), and the faster fingerprint is the same digest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import connection

import pytest

from tests.conftest import EXAMPLE_CONTRACT
from wmo_sla.contracts.services import contract_definition_dump, contract_definition_load
from wmo_sla.engine.state import derive_state
from wmo_sla.ingest.models import PrestatieAfwijzingFact, RawMessage, RetourFact
from wmo_sla.ingest.selectors import fact_frames as ingest_fact_frames
from wmo_sla.ingest.services import ingest_paths
from wmo_sla.kpis.selectors import fact_frames, survey_fingerprint
from wmo_sla.kpis.services import DEFAULT_PARAMETERS, input_fingerprint

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(small_region):
    contract_definition_load(path=EXAMPLE_CONTRACT)
    ingest_paths(paths=[small_region])
    # The generated region has no retours or rejected declaration lines; add some so that the
    # boolean column and those tables are compared with rows in them too.
    first, second = RawMessage.objects.order_by("id")[:2]
    for message, rejected in ((first, True), (second, False)):
        RetourFact.objects.create(
            message=message,
            original_afzender="0505",
            original_berichtcode="414",
            original_identificatie=f"ID{message.pk}",
            rejected=rejected,
            dagtekening=dt.date(2023, 2, 28),
        )
    PrestatieAfwijzingFact.objects.create(
        message=first, aanbieder_agb="12345678", declaratienummer="D1", referentienummer="R1"
    )


def test_fact_frames_equal_the_ingest_read(loaded):
    expected = ingest_fact_frames()
    got = fact_frames()
    for name in expected.__dataclass_fields__:
        want, have = getattr(expected, name), getattr(got, name)
        assert have.schema == want.schema, name
        assert have.height == want.height > 0, name
        if connection.vendor == "sqlite":
            assert have.equals(want), f"{name} differs"  # both in rowid (= id) order
        else:
            # the ingest read has no ORDER BY (heap order); ours is in id order
            assert have.sort(have.columns).equals(want.sort(want.columns)), f"{name} differs"
    # and the engine derives the same state from both
    mine, theirs = derive_state(got).frames(), derive_state(expected).frames()
    for name in theirs:
        assert mine[name].equals(theirs[name]), f"derived {name} differs"
    # nulls (e.g. a start without einddatum) survive as nulls, not as empty text or an error
    nulls = sum(
        getattr(got, name).null_count().sum_horizontal().item()
        for name in expected.__dataclass_fields__
    )
    assert nulls > 0
    assert got.retours["rejected"].to_list() == [True, False]


def test_fact_frames_of_an_empty_database_have_the_schema():
    got = fact_frames()
    expected = ingest_fact_frames()
    for name in expected.__dataclass_fields__:
        assert getattr(got, name).schema == getattr(expected, name).schema
        assert getattr(got, name).is_empty()


def test_input_fingerprint_is_the_per_message_digest(loaded):
    as_of = dt.date(2024, 3, 31)
    digest = hashlib.sha256()
    digest.update(json.dumps(DEFAULT_PARAMETERS, sort_keys=True).encode())
    digest.update(as_of.isoformat().encode())
    for sha in RawMessage.objects.order_by("sha256").values_list("sha256", flat=True):
        digest.update(sha.encode())
    digest.update(contract_definition_dump().encode())
    digest.update(survey_fingerprint().encode())
    assert input_fingerprint(dict(DEFAULT_PARAMETERS), as_of) == digest.hexdigest()
