"""`manage.py load_demo [--once]`: the demo catalogue of Mszczonów, idempotent."""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _
from tqdm import tqdm

from archive.audit import RecordedCommand
from archive.demo import is_loaded, load_demo
from archive.demo.items import ITEMS


class Command(RecordedCommand):
    help = _(
        "Load the demo catalogue of Mszczonów: published items of every type with placeholder "
        "images, places, people, subjects and collections, three lesson packs and two "
        "stories. Running it again brings the demo records back to the same state and adds "
        "nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help=_("do nothing if the demo catalogue is already loaded (for start-up scripts)"),
        )

    def handle(self, *args, once, verbosity, **options):
        try:
            already_loaded = once and is_loaded()
        except DatabaseError as exc:
            raise CommandError(
                _("The database is not ready (run `manage.py migrate` first): %(error)s")
                % {"error": exc},
                returncode=1,
            ) from exc
        if already_loaded:
            if verbosity:
                self.stdout.write(_("The demo catalogue is already loaded; nothing to do."))
            return
        show_progress = verbosity > 0 and sys.stderr.isatty()

        def progress(items):
            return tqdm(
                items, total=len(ITEMS), desc=_("Demo items"), unit="", disable=not show_progress
            )

        try:
            result = load_demo(progress=progress)
        except (ValidationError, DatabaseError, ValueError, OSError) as exc:
            raise CommandError(
                _("The demo catalogue could not be loaded; nothing was changed: %(error)s")
                % {"error": exc},
                returncode=1,
            ) from exc
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Demo catalogue: %(items)d items (%(created)d created, %(updated)d "
                        "updated, %(unchanged)d unchanged); %(added)d images added, "
                        "%(removed)d removed."
                    )
                    % {
                        "items": result.items,
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                        "added": result.images_added,
                        "removed": result.images_removed,
                    }
                )
            )
