"""Analysing a document stream in forked worker processes, for rebuilds.

The Polish lemmatiser is most of a rebuild's CPU, and it is pure: a chunk of documents
goes in, rows or bulk bodies come out. Every engine's rebuild reads the catalogue in the
calling thread (the database connection stays there), hands chunks to a pool of forked
workers and writes the results in order while the next chunks are analysed. From a
`DocumentStream` (what `rebuild_search_index` passes) the chunks go out as plain rows
(`RowChunk`) and the workers build the documents too: building them is pure Python, and
a chunk of rows is cheaper to send than a chunk of documents.

A rebuild writes every indexing backend in ONE pass (`rebuild_together`): the catalogue
is read once, each chunk's documents are built and analysed once (`AnalysedChunk`), and
each backend's `RebuildPlan` formats what it writes from the same analysed groups, in
the same worker. Until every backend has finished its new index, none replaces its
serving one; if any step fails, every backend's half-built index is thrown away.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TypeVar

from ..documents import (
    CHUNK_SIZE,
    AnalysedChunk,
    DocumentStream,
    RowChunk,
    SearchDocument,
    iter_chunks,
)

R = TypeVar("R")

logger = logging.getLogger(__name__)

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


# One pass for every indexing backend --------------------------------------------------


class RebuildPlan:
    """One backend's part of a rebuild, in the steps `rebuild_together` runs.

    `begin()` prepares an empty new index beside the serving one. `analyse(chunk)` is a
    picklable, pure function (no database writes; set by `begin`, it may name the new
    index) run in the worker processes over an `AnalysedChunk`; its result is passed to
    `write(result)` in the calling process, which adds to `written`. `finish()` does
    what can still fail before the new index may serve (its indexes, settings,
    refresh); `commit()` makes it the serving one; `cleanup()` runs once every backend
    has committed (drop the old index, optimize, VACUUM). `abort()` throws the half-built
    index away, before `commit()`, leaving the serving one as it was; it is called for
    a plan whose `begin()` failed too, so it must cope with a half-done begin.
    """

    #: The backend's name (the command's output lines, error messages).
    name = ""
    #: Worker processes wanted for the analysis, and documents per chunk.
    workers = 1
    chunk_size = CHUNK_SIZE
    analyse: Callable[[AnalysedChunk], object]

    def __init__(self, backend=None) -> None:
        self.written = 0
        self.backend = backend
        if backend is not None:
            self.name = backend.name
            self.workers = backend.index_workers

    def begin(self) -> None:
        pass

    def write(self, result) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        pass

    def commit(self) -> None:
        pass

    def cleanup(self) -> None:
        pass

    def abort(self) -> None:
        pass


def _analyse_for(analysers: tuple, documents: list[SearchDocument]) -> tuple[dict, list]:
    """In a worker: a chunk's documents analysed once, then each plan's result from the
    same analysed groups; the surface forms once for all."""
    chunk = AnalysedChunk.of(documents)
    return chunk.forms, [analyse(chunk) for analyse in analysers]


def _step(plan: RebuildPlan, method: Callable, *args) -> None:
    """Run one plan step; an exception it raises names the plan (`failed_plan`)."""
    try:
        method(*args)
    except BaseException as exc:
        if getattr(exc, "failed_plan", None) is None:
            exc.failed_plan = plan.name  # type: ignore[attr-defined]
        raise


def rebuild_together(plans: list[RebuildPlan], documents: Iterable[SearchDocument]) -> list[int]:
    """Rebuild every plan's index from ONE pass over `documents`; returns each plan's
    count, in order.

    Each chunk is analysed once in the forked workers (`analysed_chunks`), into every
    plan's result; the calling process records the surface forms and hands each plan
    its result. The steps that can fail run for all plans before any new index serves:
    `finish` (the last plan first, so a database's swap, which locks its live tables
    until the commit, comes right before it), then `commit` in order (the database
    backend, first in `indexing_backends`, before the engine's alias swap). An
    exception before the commits aborts every plan begun: every old index keeps
    serving, nothing half-built is left. A commit that fails aborts the plans not yet
    committed (those committed keep their complete new index)."""
    from .. import analysis

    begun: list[RebuildPlan] = []
    committed: list[RebuildPlan] = []
    try:
        for plan in plans:
            begun.append(plan)
            _step(plan, plan.begin)
        analyse = partial(_analyse_for, tuple(plan.analyse for plan in plans))
        workers = max(plan.workers for plan in plans)
        size = min(plan.chunk_size for plan in plans)
        for forms, results in analysed_chunks(analyse, documents, workers, size):
            analysis.record_form_map(forms)
            for plan, result in zip(plans, results, strict=True):
                _step(plan, plan.write, result)
        for plan in reversed(plans):
            _step(plan, plan.finish)
        for plan in plans:
            _step(plan, plan.commit)
            committed.append(plan)
    except BaseException:
        for plan in reversed(begun):
            if plan not in committed:
                try:
                    plan.abort()
                except Exception:
                    logger.exception("Could not throw away %s's half-built index", plan.name)
        raise
    for plan in plans:
        _step(plan, plan.cleanup)
    return [plan.written for plan in plans]
