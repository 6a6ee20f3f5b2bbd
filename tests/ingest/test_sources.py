# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from wmo_sla.ingest import sources
from wmo_sla.ingest.sources import SourceError, SourceItem, count_candidates, iter_paths, load


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_folder_is_read_recursively_in_sorted_order_and_ignores_other_files(tmp_path):
    _write(tmp_path / "b" / "2.xml", b"<b/>")
    _write(tmp_path / "a.xml", b"<a/>")
    _write(tmp_path / "README.txt", b"not a message")
    items = list(iter_paths([tmp_path]))
    assert [Path(i.name).name for i in items] == ["a.xml", "2.xml"]
    assert count_candidates([tmp_path]) == 2


def test_zip_members_are_read_and_named_after_the_archive(tmp_path):
    archive = tmp_path / "berichten.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("x/2.xml", b"<two/>")
        z.writestr("1.xml", b"<one/>")
        z.writestr("lees-mij.txt", b"skip")
        z.writestr("binnen.zip", b"PK")
    items = list(iter_paths([archive]))
    assert [(i.name.split("!")[1], i.data, i.error) for i in items] == [
        ("1.xml", b"<one/>", None),
        ("binnen.zip", None, "geneste zip-archieven worden niet gelezen"),
        ("x/2.xml", b"<two/>", None),
    ]
    assert count_candidates([archive]) == 4


def test_zip_bomb_member_is_refused_without_reading_it(tmp_path):
    archive = tmp_path / "bom.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bom.xml", b"<a>" + b" " * 5_000_000 + b"</a>")
    [item] = list(iter_paths([archive]))
    assert item.data is None
    assert "zip-bom" in (item.error or "")


def test_not_a_zip_is_reported(tmp_path):
    fake = _write(tmp_path / "kapot.zip", b"this is not a zip")
    [item] = list(iter_paths([fake]))
    assert item.error == "geen geldig zip-archief"


def test_missing_path_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="bestaat niet"):
        list(iter_paths([tmp_path / "nope"]))


def test_files_in_folders_are_read_by_whoever_parses_them(tmp_path, monkeypatch):
    _write(tmp_path / "a.xml", b"<a/>")
    _write(tmp_path / "groot.xml", b"<b>" + b" " * 100 + b"</b>")
    first, big = list(iter_paths([tmp_path]))
    # The listing only names the file; load() reads it (in a parser worker when there are any).
    assert first.data is None and first.error is None and first.path is not None
    assert load(first) == SourceItem(first.name, b"<a/>")
    monkeypatch.setattr(sources, "MAX_MESSAGE_BYTES", 50)
    refused = load(big)
    assert refused.data is None
    assert "groter dan 25 MB" in (refused.error or "")


def test_a_file_that_disappears_before_it_is_read_is_reported_not_fatal(tmp_path):
    path = _write(tmp_path / "weg.xml", b"<a/>")
    [item] = list(iter_paths([tmp_path]))
    path.unlink()
    gone = load(item)
    assert gone.data is None
    assert (gone.error or "").startswith("bestand kan niet worden gelezen")


def test_folders_are_walked_lazily_not_listed_up_front(tmp_path):
    _write(tmp_path / "2024-01" / "1.xml", b"<a/>")
    _write(tmp_path / "2024-02" / "1.xml", b"<a/>")
    items = iter_paths([tmp_path])
    assert Path(next(items).name).parent.name == "2024-01"
    # A file that appears in a later folder while the first one is being read is still seen: the
    # contents of later folders were not listed before the first message was handed out.
    _write(tmp_path / "2024-02" / "2.xml", b"<a/>")
    assert [Path(i.name).name for i in items] == ["1.xml", "2.xml"]


def test_walk_order_is_the_order_of_sorting_all_paths(tmp_path):
    for name in ["b/2.xml", "a.xml", "a/z.xml", "a/b/c.xml", "A.xml", "a-b.xml", "b.zip.xml"]:
        _write(tmp_path / name, b"<a/>")
    expected = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert [Path(i.name) for i in iter_paths([tmp_path])] == expected
    assert count_candidates([tmp_path]) == len(expected)


def test_a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_MESSAGE_BYTES", 50)
    exact = _write(tmp_path / "exact.xml", b"<a>" + b"x" * 43 + b"</a>")
    over = _write(tmp_path / "over.xml", b"<a>" + b"x" * 44 + b"</a>")
    [exact_item, over_item] = list(iter_paths([tmp_path]))
    assert load(exact_item).data == exact.read_bytes()
    assert load(over_item).data is None
    assert over.stat().st_size == 51


def test_a_file_longer_than_its_size_says_is_read_to_the_end(tmp_path):
    # A named pipe reports size 0; the reader must not stop after the first byte.
    import os
    import threading

    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    message = b"<a>" + b"x" * 100_000 + b"</a>"

    def feed() -> None:
        with open(fifo, "wb") as handle:
            handle.write(message)

    writer = threading.Thread(target=feed)
    writer.start()
    item = load(SourceItem(str(fifo), None, path=str(fifo)))
    writer.join(timeout=10)
    assert item.data == message
