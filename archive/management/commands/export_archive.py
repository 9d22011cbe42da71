"""`manage.py export_archive DIR`: a full backup (records, media originals, checksums)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from archive.backup import BackupError, export_archive


class Command(BaseCommand):
    help = _(
        "Back up the whole catalogue into a new or empty folder: every record (drafts too) as "
        "JSON Lines, every media original byte for byte, a SHA256SUMS file and a manifest. "
        "`import_archive` restores it into an empty database. See docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help=_("the folder to write the backup to"))

    def handle(self, *args, directory, verbosity, **options):
        try:
            result = export_archive(directory, progress=verbosity > 0)
        except (BackupError, DatabaseError, OSError) as exc:
            raise CommandError(
                _("The backup could not be written; nothing was left behind: %(error)s")
                % {"error": exc},
                returncode=1,
            ) from exc
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Backed up %(records)d records and %(files)d media files "
                        "(%(bytes)d bytes) to %(directory)s."
                    )
                    % {
                        "records": sum(result.counts.values()),
                        "files": result.media_files,
                        "bytes": result.media_bytes,
                        "directory": directory,
                    }
                )
            )
