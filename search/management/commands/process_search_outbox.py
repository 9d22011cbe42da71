"""Drain the search outbox once, or keep draining it (the production indexing worker)."""

import time

from django.core.management.base import BaseCommand, CommandError

from search import outbox


class Command(BaseCommand):
    help = (
        "Apply pending search outbox entries to the search backend(s). With --loop, keep "
        "running and retry every --interval seconds (the production indexing worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Run until interrupted.")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds between drains (with --loop)."
        )

    def handle(self, *args, loop=False, interval=2.0, **options):
        while True:
            report = outbox.drain()
            if report.indexed or report.deleted or report.failed or not loop:
                self.stdout.write(
                    f"Indexed {report.indexed}, removed {report.deleted}, "
                    f"{report.remaining} waiting."
                )
            if not loop:
                if report.failed:
                    raise CommandError(f"Search backend unavailable: {report.error}")
                return
            try:
                time.sleep(max(interval, 0.1))
            except KeyboardInterrupt:
                return
