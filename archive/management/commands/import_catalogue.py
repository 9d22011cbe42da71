"""`manage.py import_catalogue FILE [--dry-run] [--user USERNAME]`: load a CSV/XLSX catalogue,
all rows or none; with --user, as that person, with their rights (docs/roles.md)."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from archive.audit import RecordedCommand
from archive.importing import import_catalogue
from media.filesystem import StorageWriteError


class Command(RecordedCommand):
    help = _(
        "Import catalogue items from a CSV (UTF-8) or XLSX file. Every row is checked first; "
        "if any row is bad, nothing is written and every problem is listed. "
        "The format is described in docs/import-format.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the CSV or XLSX file to import"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("check the file and report problems, but write nothing"),
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help=_(
                "import as this user: rows they may not write (publishing without the "
                "publishing right, say) are refused; without it the import runs as the system"
            ),
        )

    def handle(self, *args, file, dry_run, user=None, **options):
        if user is not None:
            user = self.find_user(user)
        try:
            result = import_catalogue(file, dry_run=dry_run, progress=True, user=user)
        except StorageWriteError as exc:
            # A full or read-only MEDIA_ROOT: the import undid itself (media/filesystem.py).
            raise CommandError(exc.message, returncode=1) from exc
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                ngettext(
                    "%(count)d problem found; nothing was imported.",
                    "%(count)d problems found; nothing was imported.",
                    len(result.errors),
                )
                % {"count": len(result.errors)},
                returncode=1,
            )
        if dry_run:
            self.stdout.write(
                _(
                    "Dry run: all %(rows)d rows are valid (%(created)d would be created, "
                    "%(updated)d updated); nothing was written."
                )
                % {"rows": result.rows, "created": result.created, "updated": result.updated}
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Imported %(rows)d rows: %(created)d created, %(updated)d updated, "
                        "%(images)d images."
                    )
                    % {
                        "rows": result.rows,
                        "created": result.created,
                        "updated": result.updated,
                        "images": result.images,
                    }
                )
            )

    @staticmethod
    def find_user(username: str):
        model = get_user_model()
        found = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
        if found is None:
            raise CommandError(_("There is no user “%(user)s”.") % {"user": username})
        if not found.is_active:
            raise CommandError(_("The user “%(user)s” is not active.") % {"user": username})
        return found
