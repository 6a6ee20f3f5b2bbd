# SPDX-License-Identifier: EUPL-1.2
"""Write the rendered messages: one file per message under ``<yyyy-mm>/`` of its Dagtekening.

File name: ``<WMOnnn>-<afzender>-<identificatie>.xml``. An output folder must be empty, or hold
an earlier generation (recognised by its manifest.json); then only the earlier generated files
(month folders with WMO*.xml names) and the manifest are removed before writing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from .model import Message
from .region import GeneratorError
from .xml_writer import render

MANIFEST_NAME = "manifest.json"
GENERATOR_NAME = "wmo-sla generate"
MONTH_DIR = re.compile(r"^\d{4}-\d{2}$")
MESSAGE_FILE = re.compile(r"^WMO\d{3}-\d+-[A-Za-z0-9]+\.xml$")


def relative_path(message: Message) -> str:
    return (
        f"{message.dagtekening:%Y-%m}/{message.kind}-{message.afzender}-{message.identificatie}.xml"
    )


def _is_our_manifest(path: Path) -> bool:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("generator") == GENERATOR_NAME


def check_out_dir(out_dir: Path) -> None:
    """Raise when ``out_dir`` is a file, or a non-empty folder without an earlier generation."""
    if out_dir.exists() and not out_dir.is_dir():
        raise GeneratorError(f"{out_dir} bestaat al en is geen map.")
    if not out_dir.exists() or not any(out_dir.iterdir()):
        return
    if not _is_our_manifest(out_dir / MANIFEST_NAME):
        raise GeneratorError(
            f"De uitvoermap {out_dir} is niet leeg en bevat geen eerdere generatie "
            f"({MANIFEST_NAME}); kies een lege of nieuwe map."
        )


def prepare_out_dir(out_dir: Path) -> None:
    """Create ``out_dir``, or remove the files of an earlier generation from it."""
    check_out_dir(out_dir)
    if not out_dir.exists():
        out_dir.mkdir(parents=True)
        return
    manifest = out_dir / MANIFEST_NAME
    if not manifest.exists():
        return
    for month in sorted(out_dir.iterdir()):
        if not (month.is_dir() and MONTH_DIR.match(month.name)):
            continue
        for file in sorted(month.iterdir()):
            if file.is_file() and MESSAGE_FILE.match(file.name):
                file.unlink()
        if not any(month.iterdir()):
            month.rmdir()
    manifest.unlink()


def write_messages(
    out_dir: Path,
    messages: Sequence[Message],
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write every message; return the number of bytes written."""
    made: set[str] = set()
    total = 0
    step = max(1, len(messages) // 200)
    for index, message in enumerate(messages, start=1):
        relative = relative_path(message)
        folder = relative[:7]
        if folder not in made:
            (out_dir / folder).mkdir(exist_ok=True)
            made.add(folder)
        data = render(message).encode("utf-8")
        with open(out_dir / relative, "wb") as handle:
            handle.write(data)
        total += len(data)
        if progress is not None and (index % step == 0 or index == len(messages)):
            progress(index, len(messages))
    return total
