"""The search outbox: indexing work written with the change, drained after commit.

A change to anything an item's search document shows writes an `OutboxEntry` in the same
transaction (see search/signals.py), and `transaction.on_commit` enqueues the drain task.
Draining reads the *current* state of each item: published → indexed, otherwise (draft,
deleted) → removed. So entries are idempotent and can be replayed in any number; if the
engine is down they stay, with `attempts` and `last_error`, until a later drain succeeds.

Code that writes items without model signals (bulk_create, queryset.update, raw SQL) must
call `enqueue_items(pks)` in the same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from archive.bulk import insert_rows

from .backends.base import BackendUnavailable, SearchBackend, indexing_backends
from .documents import iter_documents
from .models import OutboxEntry

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


@dataclass
class DrainReport:
    indexed: int = 0
    deleted: int = 0
    remaining: int = 0
    error: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.error)


def enqueue_items(pks: Iterable[int], action: str = OutboxEntry.Action.INDEX) -> int:
    """Record that these items must be (re)indexed or removed; drains after commit.

    The one call for bulk writers (importer, demo loader): pass every item pk written.
    """
    # A plain INSERT (archive/bulk.py): the importer writes one entry per item it writes.
    written = insert_rows(
        OutboxEntry,
        ["item_id"],
        ((int(pk),) for pk in dict.fromkeys(pks)),
        constants={
            "identifier": "",
            "action": action,
            "attempts": 0,
            "last_error": "",
            "created": timezone.now(),
        },
    )
    if written:
        schedule_drain()
    return written


def enqueue_deleted(item_id: int, identifier: str) -> None:
    """Record that an item was deleted, so the index forgets it."""
    OutboxEntry.objects.create(
        item_id=item_id, identifier=identifier, action=OutboxEntry.Action.DELETE
    )
    schedule_drain()


def schedule_drain() -> None:
    """Enqueue the drain task once the current transaction commits.

    Several saves in one transaction schedule several drains; the first does the work
    and the others find an empty outbox (one cheap query each).
    """
    transaction.on_commit(_enqueue_drain)


def _enqueue_drain() -> None:
    from .tasks import drain_search_outbox

    drain_search_outbox.enqueue()


def pending_count() -> int:
    return OutboxEntry.objects.count()


def drain(backends: list[SearchBackend] | None = None, batch_size: int = BATCH_SIZE) -> DrainReport:
    """Apply pending entries to every indexing backend, oldest first, in batches.

    Stops at the first unreachable engine, leaving that batch (and the rest) in the outbox
    with `attempts` incremented and the error recorded.
    """
    backends = backends if backends is not None else indexing_backends()
    report = DrainReport()
    last_pk = 0
    while True:
        entries = list(
            OutboxEntry.objects.filter(pk__gt=last_pk)
            .order_by("pk")[:batch_size]
            .values("pk", "item_id")
        )
        if not entries:
            break
        entry_pks = [e["pk"] for e in entries]
        item_ids = {e["item_id"] for e in entries}
        documents = list(iter_documents(item_ids))
        gone = item_ids - {d.id for d in documents}
        try:
            for backend in backends:
                backend.delete(gone)
                backend.index(documents)
        except (BackendUnavailable, OperationalError) as exc:
            report.error = f"{type(exc).__name__}: {exc}"[:2000]
            logger.warning("Search indexing postponed, engine unavailable: %s", report.error)
            OutboxEntry.objects.filter(pk__in=entry_pks).update(
                attempts=F("attempts") + 1, last_error=report.error
            )
            break
        OutboxEntry.objects.filter(pk__in=entry_pks).delete()
        report.indexed += len(documents)
        report.deleted += len(gone)
        last_pk = entry_pks[-1]
    report.remaining = pending_count()
    return report
