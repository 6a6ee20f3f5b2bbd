# SPDX-License-Identifier: EUPL-1.2
"""Ingest as a user experiences it: nothing lost, nothing twice, no client identity stored."""

from __future__ import annotations

import re
import zipfile
import zlib

from django.db import transaction

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wmo_sla.engine.state import derive_state
from wmo_sla.ingest.constants import BatchSource, BatchStatus
from wmo_sla.ingest.models import (
    AanleveringFact,
    IngestBatch,
    PrestatieFact,
    QuarantinedMessage,
    RawMessage,
    ToewijzingFact,
)
from wmo_sla.ingest.selectors import fact_frames, unknown_parties
from wmo_sla.ingest.services import batch_create, ingest_paths, run_batch
from wmo_sla.ingest.sources import SourceItem

pytestmark = pytest.mark.django_db

BSN_PATTERN = re.compile(rb"<[^>]*Bsn>(\d{9})<")


def _ingest_items(items: list[tuple[str, bytes]]):
    batch = batch_create(source=BatchSource.CLI)
    return run_batch(batch=batch, items=[SourceItem(n, d) for n, d in items])


def _state():
    return {name: frame for name, frame in derive_state(fact_frames()).frames().items()}


def _assert_same_state(a: dict[str, pl.DataFrame], b: dict[str, pl.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].equals(b[name]), f"derived frame {name} differs"


def test_generated_region_is_ingested_completely(small_region, region_files):
    report = ingest_paths(paths=[small_region])
    assert report.messages == len(region_files)
    assert report.accepted + report.rejected == report.messages
    assert report.rejected == 0, report.rejections[:3]
    assert RawMessage.objects.count() == report.accepted
    assert ToewijzingFact.objects.exists() and AanleveringFact.objects.exists()
    assert PrestatieFact.objects.exists()
    batch = IngestBatch.objects.get(pk=report.batch_id)
    assert batch.status == BatchStatus.COMPLETED
    assert [e.to_status for e in batch.events.all()] == ["wachtrij", "bezig", "klaar"]
    assert report.report_path is not None and report.report_path.exists()


def test_second_ingest_changes_nothing(small_region):
    ingest_paths(paths=[small_region])
    before = _state()
    counts = (RawMessage.objects.count(), ToewijzingFact.objects.count())
    again = ingest_paths(paths=[small_region])
    assert again.accepted == 0
    assert again.duplicates == again.messages
    assert (RawMessage.objects.count(), ToewijzingFact.objects.count()) == counts
    _assert_same_state(before, _state())


def test_no_bsn_name_or_address_is_stored(small_region, region_files):
    bsns = {m for _, data in region_files for m in BSN_PATTERN.findall(data)}
    assert bsns, "the generated traffic should carry BSNs"
    ingest_paths(paths=[small_region])
    stored = b"".join(
        zlib.decompress(bytes(x)) for x in RawMessage.objects.values_list("stored_xml", flat=True)
    )
    for bsn in list(bsns)[:200]:
        assert bsn not in stored
    for tag in (
        b"Achternaam",
        b"Voornamen",
        b"Straatnaam",
        b"Telefoonnummer",
        b"Emailadres",
        b"Postcode",
    ):
        assert tag not in stored
    facts = b"".join(
        k.encode() for k in ToewijzingFact.objects.values_list("client_key", flat=True)
    )
    for bsn in list(bsns)[:200]:
        assert bsn not in facts


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_same_state_in_any_order_and_any_split(region_files, data, monkeypatch_chunk):
    """Property: any permutation, with repeats, split over several batches → the same state."""
    reference = _run_isolated(lambda: _ingest_items(region_files))
    order = data.draw(st.permutations(range(len(region_files))))
    repeats = data.draw(st.lists(st.integers(0, len(region_files) - 1), max_size=20))
    cut = data.draw(st.integers(0, len(region_files)))
    items = [region_files[i] for i in order] + [region_files[i] for i in repeats]

    def shuffled():
        _ingest_items(items[:cut])
        _ingest_items(items[cut:])

    _assert_same_state(reference, _run_isolated(shuffled))


class _Rollback(Exception):
    pass


def _run_isolated(action) -> dict[str, pl.DataFrame]:
    """Run ``action`` in a savepoint, capture the derived state, then roll everything back."""
    captured: dict[str, pl.DataFrame] = {}
    try:
        with transaction.atomic():
            action()
            captured.update(_state())
            raise _Rollback
    except _Rollback:
        pass
    return captured


@pytest.fixture
def monkeypatch_chunk(settings):
    settings.WMO_SLA_INGEST_CHUNK_SIZE = 97


def test_one_bad_message_does_not_stop_the_good_ones(region_files):
    good = region_files[:30]
    bad_xml = region_files[0][1].replace(b"<", b"<<", 1)
    report = _ingest_items([*good[:15], ("kapot.xml", bad_xml), *good[15:]])
    assert report.accepted == 30
    assert report.rejected == 1
    [q] = QuarantinedMessage.objects.all()
    assert q.file_name == "kapot.xml"
    assert q.problems[0]["rule"].startswith("XML")


def test_rejected_message_leaves_no_facts(region_files):
    name, data = next((n, d) for n, d in region_files if "WMO305" in n)
    broken = re.sub(rb"<(\w+:)?StatusAanlevering>1<", rb"<\1StatusAanlevering>2<", data, count=1)
    assert broken != data
    report = _ingest_items([(name, broken)])
    assert report.rejected == 1
    assert not RawMessage.objects.exists()
    assert not AanleveringFact.objects.exists()
    assert report.rejections[0].problems[0]["rule"] == "CS058"


def test_zip_archive_and_unknown_parties(tmp_path, region_files):
    archive = tmp_path / "week.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in region_files[:50]:
            z.writestr(name, data)
    report = ingest_paths(paths=[archive])
    assert report.accepted == 50
    # No contract definition is loaded in this test: every party is unknown but still ingested.
    kinds = {u.kind for u in unknown_parties()}
    assert kinds == {"aanbieder", "gemeente"}
    assert report.unknown_aanbieders and report.unknown_gemeenten


def test_same_identificatie_with_other_content_is_rejected(region_files):
    name, data = next((n, d) for n, d in region_files if "WMO305" in n)
    _ingest_items([(name, data)])
    altered = data.replace(b"</", b" </", 1)  # other bytes, same header identification
    report = _ingest_items([("ander.xml", altered)])
    assert report.rejected == 1
    assert report.rejections[0].problems[0]["rule"] == "TR056"
    assert RawMessage.objects.count() == 1


def test_batch_history_is_append_only_and_transitions_are_checked(region_files):
    from wmo_sla.core.transitions import InvalidTransition
    from wmo_sla.ingest.services import batch_transition

    report = _ingest_items(region_files[:3])
    batch = IngestBatch.objects.get(pk=report.batch_id)
    with pytest.raises(InvalidTransition):
        batch_transition(batch=batch, to=BatchStatus.RUNNING)
