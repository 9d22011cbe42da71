"""`manage.py export_catalogue FILE`: the whole catalogue as CSV or XLSX, in the import format."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.exporting import ExportError, export_catalogue


class Command(BaseCommand):
    help = _(
        "Export every catalogue item (drafts too) to a CSV or XLSX file in the import format; "
        "the first image of each item is copied into a folder <name>_media next to the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("where to write: a path ending in .csv or .xlsx"))

    def handle(self, *args, file, **options):
        try:
            result = export_catalogue(file, progress=True)
        except (ExportError, OSError) as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Exported %(items)d items and %(images)d images to %(file)s.")
                % {"items": result.items, "images": result.images, "file": file}
            )
        )
