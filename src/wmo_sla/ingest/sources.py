# SPDX-License-Identifier: EUPL-1.2
"""Where messages come from: single XML files, folders (recursive) and zip archives.

Streams one message at a time, so memory stays flat however large the input is: folders are walked
directory by directory (names sorted within each directory, which gives the same order as sorting
all paths, without ever holding the full list), and a file on disk is only named here; its bytes
are read by whoever parses it (:func:`load`), in the parser worker processes when there are any.
Zip archives are read member by member with limits against zip bombs. No ORM here.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MAX_MESSAGE_BYTES = 25 * 1024 * 1024  # OP179: an iWmo file is at most 25 MB
MAX_ZIP_MEMBERS = 2_000_000
MAX_ZIP_RATIO = 200  # uncompressed ÷ compressed per member


@dataclass(frozen=True, slots=True)
class SourceItem:
    """One candidate message, or a problem with the input itself (``error`` set, no ``data``).

    A file on disk may come with ``path`` set and ``data`` None: its bytes are read later, by
    :func:`load`, so that reading happens where the message is parsed."""

    name: str  # file name, or "archive.zip!member/path.xml"
    data: bytes | None
    error: str | None = None
    path: str | None = None


def load(item: SourceItem) -> SourceItem:
    """The item with its bytes read (for an item that names a file), or with the reason why they
    cannot be read. Other items are returned as they are."""
    if item.path is None or item.data is not None or item.error is not None:
        return item
    try:
        with open(item.path, "rb") as handle:
            data = _read_at_most(handle, MAX_MESSAGE_BYTES + 1)
    except OSError as exc:
        return SourceItem(item.name, None, f"bestand kan niet worden gelezen: {exc.strerror}")
    if len(data) > MAX_MESSAGE_BYTES:
        return SourceItem(
            item.name, None, "bestand is groter dan 25 MB; een iWmo-bestand is hoogstens 25 MB"
        )
    return SourceItem(item.name, data)


def _read_at_most(handle: BinaryIO, limit: int) -> bytes:
    """The first ``limit`` bytes of an open file (all of it when it is shorter).

    Asks for the size the file says it has (plus one byte, to see the end) instead of for
    ``limit`` at once: a read of 25 MB allocates a 25 MB buffer first, which cost about 40 µs per
    message (docs/benchmarks.md § Ingest). A file that is longer than its size says (a pipe, a
    file that grows) is read on up to ``limit``."""
    try:
        size = os.fstat(handle.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        size = limit
    data = handle.read(min(size, limit - 1) + 1)
    if size < len(data) < limit:
        data += handle.read(limit - len(data))
    return data


class SourceError(Exception):
    """The input cannot be read at all (missing path, not a zip, ...)."""


def _is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip" or zipfile.is_zipfile(path)


def _walk(directory: str) -> Iterator[str]:
    """Files under ``directory``, depth first with the names of each directory sorted: the same
    order as sorting all paths, but only one directory's names are held at a time. Symbolic links
    to directories are not followed (as ``Path.rglob``)."""
    with os.scandir(directory) as entries:
        listing = sorted(
            (entry.name, entry.is_dir(follow_symlinks=False), entry.is_file()) for entry in entries
        )
    for name, is_dir, is_file in listing:
        full = os.path.join(directory, name)
        if is_dir:
            yield from _walk(full)
        elif is_file:
            yield full


def count_candidates(paths: list[Path]) -> int:
    """Cheap count of candidate messages (for progress bars); reads zip directories only."""
    total = 0
    for path in paths:
        if path.is_dir():
            for child in _walk(str(path)):
                lowered = child.lower()
                if lowered.endswith(".xml"):
                    total += 1
                elif lowered.endswith(".zip"):
                    total += _count_file(Path(child))
        elif path.is_file():
            total += _count_file(path)
    return total


def _count_file(path: Path) -> int:
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                return sum(1 for info in archive.infolist() if not info.is_dir())
        except zipfile.BadZipFile:
            return 1
    return 1 if path.suffix.lower() == ".xml" else 0


def iter_paths(paths: list[Path]) -> Iterator[SourceItem]:
    for path in paths:
        if not path.exists():
            raise SourceError(f"{path}: bestand of map bestaat niet")
    for path in paths:
        if path.is_dir():
            for child in _walk(str(path)):
                lowered = child.lower()
                if lowered.endswith(".xml"):
                    # Read later, by load(): in the parser worker processes when there are any.
                    yield SourceItem(child, None, path=child)
                elif lowered.endswith(".zip"):
                    yield from iter_zip(Path(child), name=child)
                # Folders may hold other files (README, reports); only .xml and .zip are read.
        else:
            yield from _iter_file(path, explicit=True)


def _iter_file(path: Path, *, explicit: bool) -> Iterator[SourceItem]:
    suffix = path.suffix.lower()
    if suffix == ".zip" or (explicit and suffix != ".xml" and _is_zip(path)):
        yield from iter_zip(path, name=str(path))
        return
    if suffix != ".xml" and not explicit:
        return  # folders may hold other files (README, reports); only .xml and .zip are read
    yield SourceItem(str(path), None, path=str(path))


def iter_zip(source: Path | object, *, name: str) -> Iterator[SourceItem]:
    """Messages in a zip archive (``source`` is a path or a binary file object)."""
    try:
        archive = zipfile.ZipFile(source)  # type: ignore[arg-type]
    except zipfile.BadZipFile:
        yield SourceItem(name, None, "geen geldig zip-archief")
        return
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) > MAX_ZIP_MEMBERS:
            yield SourceItem(name, None, f"zip-archief bevat meer dan {MAX_ZIP_MEMBERS} bestanden")
            return
        for info in sorted(members, key=lambda i: i.filename):
            member_name = f"{name}!{info.filename}"
            if not info.filename.lower().endswith(".xml"):
                if info.filename.lower().endswith(".zip"):
                    yield SourceItem(member_name, None, "geneste zip-archieven worden niet gelezen")
                continue
            if info.file_size > MAX_MESSAGE_BYTES:
                yield SourceItem(
                    member_name, None, f"bestand is {info.file_size} bytes; hoogstens 25 MB"
                )
                continue
            if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO:
                yield SourceItem(member_name, None, "verdachte compressieverhouding (zip-bom)")
                continue
            with archive.open(info) as handle:
                data = handle.read(MAX_MESSAGE_BYTES + 1)
            if len(data) > MAX_MESSAGE_BYTES:
                yield SourceItem(member_name, None, "bestand is groter dan 25 MB")
                continue
            yield SourceItem(member_name, data)
