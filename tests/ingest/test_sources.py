# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from wmo_sla.ingest.sources import SourceError, count_candidates, iter_paths


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
