"""Analysing a document stream in forked worker processes, for rebuilds.

The Polish lemmatiser is most of a rebuild's CPU, and it is pure: a chunk of documents
goes in, rows or bulk bodies come out. Every engine's rebuild reads the catalogue in the
calling thread (the database connection stays there), hands chunks to a pool of forked
workers and writes the results in order while the next chunks are analysed. From a
`DocumentStream` (what `rebuild_search_index` passes) the chunks go out as plain rows
(`RowChunk`) and the workers build the documents too: building them is pure Python, and
a chunk of rows is cheaper to send than a chunk of documents.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TypeVar

from ..documents import DocumentStream, RowChunk, SearchDocument, iter_chunks

R = TypeVar("R")

# The parent's database connections, as a forked worker inherited them (see `_own_database`).
_inherited: list = []


def _own_database() -> None:
    """In a forked worker: never touch the parent's database connections. Their sockets
    are shared with the parent, so a query from here (analysis re-checks the proper-name
    vocabulary now and then), or closing one, would break the parent's session
    ("protocol synchronization was lost"). They are kept referenced, so never closed
    from here, and Django opens this process's own connection if one is needed."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            _inherited.append(conn.connection)
            conn.connection = None


def default_workers() -> int:
    """Worker processes for a rebuild when `index_workers` is not set: the CPU count,
    up to 4."""
    return min(multiprocessing.cpu_count() or 1, 4)


def _from_rows(analyse: Callable[[list[SearchDocument]], R], chunk: RowChunk) -> R:
    """`analyse` over the documents of a chunk of rows (built here, in the worker)."""
    return analyse(chunk.documents())


def analysed_chunks(
    analyse: Callable[[list[SearchDocument]], R],
    documents: Iterable[SearchDocument],
    workers: int,
    size: int | None = None,
) -> Iterator[R]:
    """`analyse(chunk)` for each chunk of the stream, in order, in bounded memory.

    The first chunk is analysed here (this warms the lemma caches the workers inherit
    when they are forked, just before its result is yielded: before the caller starts
    any thread); the others in a pool of `workers` forked processes, at most
    `2 × workers` at a time. A stream of one chunk, or `workers` ≤ 1, is analysed
    here. `analyse` must be a picklable module-level function (or a partial of one)
    that writes nothing to the database; what it reads (the proper-name vocabulary)
    comes through each worker's own connection. A `DocumentStream` is read as chunks
    of rows whose documents are built where they are analysed."""
    chunks: Iterator
    if isinstance(documents, DocumentStream):
        chunks = documents.row_chunks(size)
        analyse = partial(_from_rows, analyse)
    else:
        chunks = iter_chunks(documents, size) if size else iter_chunks(documents)
    first = next(chunks, None)
    if first is None:
        return
    result = analyse(first)
    second = next(chunks, None)
    pool = None
    if second is not None and workers > 1:
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_own_database)
    try:
        yield result
        if second is None:
            return
        if pool is None:
            yield analyse(second)
            for chunk in chunks:
                yield analyse(chunk)
            return
        pending: deque = deque([pool.apply_async(analyse, (second,))])
        for chunk in chunks:
            pending.append(pool.apply_async(analyse, (chunk,)))
            while len(pending) >= 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
