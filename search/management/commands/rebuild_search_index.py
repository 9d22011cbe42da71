"""Rebuild the search index from every published item, streamed in chunks."""

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive.models import Item
from search.backends.base import BackendUnavailable, indexing_backends
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
        for backend in indexing_backends():
            started = time.perf_counter()
            progress = tqdm(
                total=total,
                unit=" items",
                desc=f"Indexing ({backend.name})",
                disable=no_progress or None,
                file=self.stderr._out,
            )
            # The stream itself, not a wrapper around it: the backends read it as chunks
            # of rows and build the documents in their worker processes.
            documents = iter_documents()
            documents.on_chunk = progress.update
            try:
                count = backend.rebuild(documents)
            except BackendUnavailable as exc:
                raise CommandError(f"Search backend {backend.name} is unavailable: {exc}") from exc
            finally:
                progress.close()
            elapsed = max(time.perf_counter() - started, 1e-9)
            self.stdout.write(
                f"{backend.name}: indexed {count} published items in {elapsed:.1f} s "
                f"({count / elapsed:,.0f} items/s)."
            )
        OutboxEntry.objects.filter(pk__lte=covered).delete()
