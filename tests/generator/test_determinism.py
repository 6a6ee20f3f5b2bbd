# SPDX-License-Identifier: EUPL-1.2
"""Same arguments, same bytes; another seed, other bytes; re-generating in place is allowed."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from wmo_sla.generator import GeneratorError, generate_region

from .parsing import CONTRACT


def _generate(out: Path, seed: int) -> None:
    generate_region(
        out_dir=out,
        contract_yaml=CONTRACT,
        clients=60,
        providers=3,
        date_from=date(2023, 1, 1),
        date_to=date(2023, 12, 31),
        seed=seed,
    )


def _tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_same_seed_gives_byte_identical_trees_and_another_seed_does_not(tmp_path):
    _generate(tmp_path / "a", seed=11)
    _generate(tmp_path / "b", seed=11)
    _generate(tmp_path / "c", seed=12)
    assert _tree_hash(tmp_path / "a") == _tree_hash(tmp_path / "b")
    assert _tree_hash(tmp_path / "a") != _tree_hash(tmp_path / "c")


def test_regenerating_into_an_earlier_generation_replaces_it(tmp_path):
    out = tmp_path / "out"
    _generate(out, seed=12)
    first = _tree_hash(out)
    _generate(out, seed=11)
    _generate(out, seed=12)
    assert _tree_hash(out) == first


def test_a_foreign_non_empty_folder_is_refused(tmp_path):
    (tmp_path / "notities.txt").write_text("van iemand anders", encoding="utf-8")
    with pytest.raises(GeneratorError, match="niet leeg"):
        _generate(tmp_path, seed=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notities.txt"]
