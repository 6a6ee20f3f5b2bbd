# SPDX-License-Identifier: EUPL-1.2
"""The columnar copy of the facts (kpis.fact_cache, ADR 0011) always gives what the database holds:
new rows are added, and a copy that no longer matches (a row deleted or changed, a part missing)
is rebuilt from the database instead of being used."""

from __future__ import annotations

import datetime as dt
import json

from django.db import transaction
from django.utils import timezone

import pytest

from wmo_sla.ingest.constants import BatchSource
from wmo_sla.ingest.models import IngestBatch, RawMessage, RetourFact
from wmo_sla.ingest.selectors import fact_frames as ingest_fact_frames
from wmo_sla.kpis import fact_cache, selectors
from wmo_sla.kpis.selectors import fact_frames

# The copy is only used outside a transaction, so these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    directory = tmp_path / "facts"
    monkeypatch.setattr(fact_cache, "cache_dir", lambda: directory)
    return directory


@pytest.fixture
def reads(monkeypatch):
    """The database reads of fact tables: (table, after_id) per call."""
    calls: list[tuple[str, int]] = []
    real = selectors.fact_table

    def recording(table, schema, *, after_id=0):
        calls.append((table, after_id))
        return real(table, schema, after_id=after_id)

    monkeypatch.setattr(selectors, "fact_table", recording)
    return calls


def _message(n: int) -> RawMessage:
    batch = IngestBatch.objects.first() or IngestBatch.objects.create(
        source=BatchSource.CLI, created_at=timezone.now()
    )
    return RawMessage.objects.create(
        sha256=f"{n:064x}",
        message_type="WMO302",
        berichtcode="415",
        afzender="0505",
        ontvanger="12345678",
        identificatie=f"ID{n}",
        dagtekening=dt.date(2024, 1, n % 28 + 1),
        stored_xml=b"",
        received_at=timezone.now(),
        batch=batch,
        file_name=f"m{n}.xml",
    )


def _retour(message: RawMessage, n: int, *, rejected: bool = True) -> RetourFact:
    return RetourFact.objects.create(
        message=message,
        original_afzender="12345678",
        original_berichtcode="414",
        original_identificatie=f"O{n}",
        rejected=rejected,
        dagtekening=dt.date(2024, 2, n % 28 + 1),
    )


def _assert_equals_database(frames) -> None:
    expected = ingest_fact_frames()
    for name in expected.__dataclass_fields__:
        assert getattr(frames, name).equals(getattr(expected, name)), name


def _retour_parts(cache) -> list[str]:
    manifest = json.loads((cache / "manifest.json").read_text())
    return manifest["tables"]["retours"]["parts"]


def test_copy_is_written_used_and_extended_with_new_rows(cache, reads):
    messages = [_message(n) for n in range(1, 6)]
    for n, message in enumerate(messages[:3]):
        _retour(message, n, rejected=n % 2 == 0)

    _assert_equals_database(fact_frames())  # written: every table read in full
    assert (cache / "manifest.json").exists()
    assert {after for _, after in reads} == {0}

    reads.clear()
    _assert_equals_database(fact_frames())  # used: only rows after the copy's last id are read
    assert reads and all(after > 0 for table, after in reads if "retour" in table)

    _retour(messages[3], 3)
    _retour(messages[4], 4, rejected=False)
    reads.clear()
    frames = fact_frames()
    _assert_equals_database(frames)
    assert frames.retours["rejected"].to_list() == [True, False, True, True, False]
    assert len(_retour_parts(cache)) == 2  # the new rows became a second part
    assert ("ingest_retourfact", 0) not in reads


def test_copy_that_no_longer_matches_is_rebuilt(cache, reads):
    messages = [_message(n) for n in range(1, 5)]
    retours = [_retour(m, n) for n, m in enumerate(messages)]
    fact_frames()

    # a row deleted and another added: the newest id differs, the count does not
    retours[1].delete()
    _retour(messages[1], 9)
    reads.clear()
    _assert_equals_database(fact_frames())
    assert ("ingest_retourfact", 0) in reads

    # the same number of rows, but the last row now belongs to another message
    RetourFact.objects.filter(pk=RetourFact.objects.order_by("-id")[0].pk).update(
        message=messages[0]
    )
    reads.clear()
    _assert_equals_database(fact_frames())
    assert ("ingest_retourfact", 0) in reads

    # a part of the copy is gone
    for part in _retour_parts(cache):
        (cache / part).unlink()
    reads.clear()
    _assert_equals_database(fact_frames())
    assert ("ingest_retourfact", 0) in reads
    assert all((cache / part).exists() for part in _retour_parts(cache))


def test_copy_is_not_used_inside_a_transaction(cache):
    _retour(_message(1), 1)
    with transaction.atomic():
        _retour(_message(2), 2)  # not committed yet: must never end up in the copy
        frames = fact_frames()
        assert frames.retours.height == 2
        transaction.set_rollback(True)
    assert not cache.exists()
    _assert_equals_database(fact_frames())
    assert fact_frames().retours.height == 1


def test_a_copy_that_cannot_be_written_does_not_stop_the_run(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setattr(fact_cache, "cache_dir", lambda: blocker / "facts")
    _retour(_message(1), 1)
    _assert_equals_database(fact_frames())
    _assert_equals_database(fact_frames())
