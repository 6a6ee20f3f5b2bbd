# SPDX-License-Identifier: EUPL-1.2
"""Small lxml helpers shared by the parser and the XSD validator (private).

lxml ships no type information, so elements are typed as ``Any`` here; every value that leaves
these helpers is converted to a plain Python type.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from lxml import etree

Element = Any  # lxml.etree._Element

IWMO_BASIS_NS = "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema"
MAX_DEPTH = 64

_thread_local = threading.local()


def hardened_parser() -> Any:
    """A per-thread lxml parser that resolves no entities, loads no DTD and uses no network.

    Comments and processing instructions are dropped: they are not part of an iWmo message and
    a comment could carry personal data into the stored copy. lxml parsers must not be shared
    between threads, hence one per thread.
    """
    parser = getattr(_thread_local, "parser", None)
    if parser is None:
        parser = new_hardened_parser()
        _thread_local.parser = parser
    return parser


def new_hardened_parser() -> Any:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        remove_blank_text=True,
        collect_ids=False,
    )


def local_name(tag: object) -> str:
    """``{ns}Name`` → ``Name``; comments and other non-elements give ""."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def element_path(element: Element) -> str:
    """``/Bericht/Client/StartProducten/StartProduct[2]/Begindatum``: local names, with a 1-based
    index only where siblings of the same name repeat. Only used on the (rare) problem path."""
    parts: list[str] = []
    current = element
    while current is not None:
        tag = current.tag
        name = local_name(tag)
        parent = current.getparent()
        if parent is not None:
            same = [child for child in parent if child.tag == tag]
            if len(same) > 1:
                name = f"{name}[{same.index(current) + 1}]"
        parts.append(name)
        current = parent
    return "/" + "/".join(reversed(parts))


_STEP = re.compile(r"^(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*|\*)(?:\[(\d+)\])?$")


def find_by_libxml2_path(root: Element, path: str | None) -> Element | None:
    """Locate the element that a libxml2 node path (``/p:Bericht/p:Client/p:Bsn`` or ``/*/*[2]``)
    points to. Returns None when the path cannot be followed."""
    if not path or not path.startswith("/"):
        return None
    steps = path[1:].split("/")
    match = _STEP.match(steps[0])
    if match is None or (match.group(1) not in ("*", local_name(root.tag))):
        return None
    current = root
    for step in steps[1:]:
        match = _STEP.match(step)
        if match is None:
            return None
        name, index_text = match.group(1), match.group(2)
        index = int(index_text) if index_text else 1
        candidates = [
            child
            for child in current
            if isinstance(child.tag, str) and (name == "*" or local_name(child.tag) == name)
        ]
        if not 1 <= index <= len(candidates):
            return None
        current = candidates[index - 1]
    return current


def find_by_line(root: Element, line: int, tag: str | None) -> Element | None:
    """Best effort: the element with ``tag`` starting on ``line``, else the last element that
    starts on or before that line."""
    best = None
    for element in root.iter():
        source_line = element.sourceline
        if source_line is None:
            continue
        if source_line == line and (tag is None or element.tag == tag):
            return element
        if source_line <= line:
            best = element
        else:
            break
    return best
