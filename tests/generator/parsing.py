# SPDX-License-Identifier: EUPL-1.2
"""Read generated iWmo files back into plain records for the invariant tests (lxml)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree

BASIS = "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema"
REPO = Path(__file__).resolve().parents[2]
CONTRACT = REPO / "examples" / "contract-drechtsteden.yaml"
MESSAGE_CODES = ("301", "305", "307", "315", "317", "319", "323")


def xsd_dir() -> Path | None:
    """``$WMO_SLA_SHARED_DIR/reference/iwmo/xsd`` (or the variable itself), else ../shared."""
    override = os.environ.get("WMO_SLA_SHARED_DIR")
    candidates = []
    if override:
        candidates += [Path(override) / "reference" / "iwmo" / "xsd", Path(override)]
    candidates.append(REPO.parent / "shared" / "reference" / "iwmo" / "xsd")
    for candidate in candidates:
        if (candidate / "WMO301.xsd").is_file():
            return candidate
    return None


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@dataclass
class Msg:
    path: Path
    code: str
    afzender: str
    ontvanger: str
    identificatie: str
    dagtekening: date
    bsn: str | None
    root: etree._Element = field(repr=False)

    def x(self, element: etree._Element, path: str) -> str | None:
        """findtext with ``m:`` = message namespace and ``b:`` = basisschema."""
        return element.findtext(path, namespaces=self.ns)

    def all(self, path: str) -> list[etree._Element]:
        return self.root.findall(path, namespaces=self.ns)

    @property
    def ns(self) -> dict[str, str]:
        return {"m": f"http://www.istandaarden.nl/iwmo/3_2/wmo{self.code}/schema", "b": BASIS}

    def date_of(self, element: etree._Element, path: str) -> date:
        value = _d(self.x(element, path))
        assert value is not None, f"{self.path}: {path} ontbreekt"
        return value


def read_message(path: Path) -> Msg:
    root = etree.parse(str(path)).getroot()
    code = root.tag.split("/wmo")[1][:3]
    ns = {"m": f"http://www.istandaarden.nl/iwmo/3_2/wmo{code}/schema", "b": BASIS}
    dagtekening = root.findtext("m:Header/m:BerichtIdentificatie/b:Dagtekening", namespaces=ns)
    return Msg(
        path=path,
        code=code,
        afzender=root.findtext("m:Header/m:Afzender", namespaces=ns) or "",
        ontvanger=root.findtext("m:Header/m:Ontvanger", namespaces=ns) or "",
        identificatie=root.findtext(
            "m:Header/m:BerichtIdentificatie/b:Identificatie", namespaces=ns
        )
        or "",
        dagtekening=date.fromisoformat(dagtekening or ""),
        bsn=root.findtext("m:Client/m:Bsn", namespaces=ns),
        root=root,
    )


def read_tree(out_dir: Path) -> list[Msg]:
    return [read_message(p) for p in sorted(out_dir.glob("*/WMO*.xml"))]
