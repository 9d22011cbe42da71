"""Rebuild the search index from every published item, streamed in chunks."""

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive.models import Item
from search.backends.base import BackendUnavailable, indexing_backends
from search.backends.parallel import rebuild_together
from search.documents import iter_documents
from search.models import OutboxEntry


class Command(BaseCommand):
    help = "Rebuild the search index: stream every published item into the search backend(s)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )

    def handle(self, *args, no_progress=False, **options):
        # Entries written before the rebuild starts are covered by it.
        covered = OutboxEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        total = Item.objects.published().count()
        backends = indexing_backends()
        # Every backend with a rebuild plan is rebuilt in ONE pass over the catalogue
        # (each chunk analysed once, for all of them: backends/parallel.py); a backend
        # without one is rebuilt after them, on its own.
        planned = [(b, plan) for b in backends if (plan := b.rebuild_plan()) is not None]
        if planned:
            self._rebuild(planned, total, no_progress)
        for backend in backends:
            if all(backend is not b for b, _plan in planned):
                self._rebuild([(backend, None)], total, no_progress)
        OutboxEntry.objects.filter(pk__lte=covered).delete()

    def _rebuild(self, backends: list, total: int, no_progress: bool) -> None:
        """Rebuild these (backend, plan) pairs from one stream of the catalogue."""
        started = time.perf_counter()
        names = [backend.name for backend, _plan in backends]
        progress = tqdm(
            total=total,
            unit=" items",
            desc=f"Indexing ({', '.join(names)})",
            disable=no_progress or None,
            file=self.stderr._out,
        )
        # The stream itself, not a wrapper around it: the rebuild reads it as chunks of
        # rows and builds the documents in its worker processes.
        documents = iter_documents()
        documents.on_chunk = progress.update
        try:
            if backends[0][1] is None:
                counts = [backends[0][0].rebuild(documents)]
            else:
                counts = rebuild_together([plan for _backend, plan in backends], documents)
        except BackendUnavailable as exc:
            name = getattr(exc, "failed_plan", None) or ", ".join(names)
            raise CommandError(f"Search backend {name} is unavailable: {exc}") from exc
        finally:
            progress.close()
        elapsed = max(time.perf_counter() - started, 1e-9)
        for name, count in zip(names, counts, strict=True):
            self.stdout.write(
                f"{name}: indexed {count} published items in {elapsed:.1f} s "
                f"({count / elapsed:,.0f} items/s)."
            )
