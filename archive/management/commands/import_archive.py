"""`manage.py import_archive DIR`: restore a full backup into an empty database, all or nothing."""

from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from archive.audit import RecordedCommand
from archive.backup import BackupError, import_archive


class Command(RecordedCommand):
    help = _(
        "Restore a backup made by `export_archive` into an empty database. The manifest, every "
        "checksum and every record are checked first; then everything is written in one "
        "transaction, with the original identifiers, keys and dates. If anything is wrong, "
        "nothing is written. See docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help=_("the backup folder to restore"))

    def handle(self, *args, directory, verbosity, **options):
        try:
            result = import_archive(directory, progress=verbosity > 0)
        except (BackupError, DatabaseError, OSError) as exc:
            raise CommandError(
                _("The backup was not restored; nothing was written: %(error)s") % {"error": exc},
                returncode=1,
            ) from exc
        if verbosity and (result.staging_completed or result.staging_removed):
            self.stdout.write(
                _(
                    "An earlier restore had been interrupted: %(completed)d of its files were "
                    "moved into place, %(removed)d left-overs removed."
                )
                % {"completed": result.staging_completed, "removed": result.staging_removed}
            )
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Restored %(records)d records and %(files)d media files; "
                        "%(items)d items queued for the search index."
                    )
                    % {
                        "records": sum(result.counts.values()),
                        "files": result.media_files,
                        "items": result.items_enqueued,
                    }
                )
            )
