# SPDX-License-Identifier: EUPL-1.2
"""Parse messages in worker processes while the main process writes to the database.

Results come back in input order, and at most ``window`` chunks are in flight, so memory stays flat
however large the input is. Workers get the pseudonymisation key and the XSD directory once, at
start-up; they never touch the database. Workers read the files themselves (the main process only
names them), and return an accepted message as the rows to insert (:func:`writer.prepare`), so the
writing process does little more than hand rows to the database.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from .iwmo import ParsedMessage, Pseudonymizer, RejectedMessage, SchemaSet, parse_message
from .sources import SourceItem, load
from .writer import PreparedMessage, compressed, prepare

# (name, result, the item when it could not be read at all: result None)
Result = tuple[str, PreparedMessage | RejectedMessage | None, SourceItem | None]

_worker_pseudonymizer: Pseudonymizer | None = None
_worker_schemas: SchemaSet | None = None


def _init_worker(key: bytes, xsd_dir: str | None) -> None:
    global _worker_pseudonymizer, _worker_schemas
    _worker_pseudonymizer = Pseudonymizer(key)
    _worker_schemas = SchemaSet.from_directory(Path(xsd_dir)) if xsd_dir else None


def _parse_chunk(fields: list[tuple[str, bytes | None, str | None, str | None]]) -> list[Result]:
    """Items arrive and results leave as plain tuples: cheaper to send than dataclasses."""
    assert _worker_pseudonymizer is not None
    out: list[Result] = []
    for name, data, error, path in fields:
        item = load(SourceItem(name, data, error, path))
        if item.data is None:
            out.append((item.name, None, item))
            continue
        result = parse_message(
            item.data, pseudonymizer=_worker_pseudonymizer, schemas=_worker_schemas
        )
        # Build the rows and compress here, in parallel, rather than in the writing process.
        if isinstance(result, ParsedMessage):
            prepared: PreparedMessage | RejectedMessage = prepare(result)
        elif result.stored_xml is not None:
            prepared = RejectedMessage(
                result.sha256,
                result.size,
                result.header,
                result.problems,
                compressed(result.stored_xml),
            )
        else:
            prepared = result
        out.append((item.name, prepared, None))
    return out


def parse_in_workers(
    items: Iterable[SourceItem],
    *,
    key: bytes,
    xsd_dir: str | None,
    workers: int,
    chunk_size: int = 200,
    window: int | None = None,
) -> Iterator[Result]:
    window = window or workers * 3
    context = multiprocessing.get_context("fork")
    iterator = iter(items)
    with context.Pool(workers, initializer=_init_worker, initargs=(key, xsd_dir)) as pool:
        pending: deque[multiprocessing.pool.AsyncResult[list[Result]]] = deque()
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                chunk = [(i.name, i.data, i.error, i.path) for i in islice(iterator, chunk_size)]
                if not chunk:
                    exhausted = True
                    break
                pending.append(pool.apply_async(_parse_chunk, (chunk,)))
            if not pending:
                break
            yield from pending.popleft().get()
