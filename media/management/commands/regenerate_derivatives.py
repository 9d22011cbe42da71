"""Produce the public derivatives and zoom tiles of images again (after a settings change,
a restore from backup, or with a task backend that does not run tasks)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from PIL import UnidentifiedImageError
from tqdm import tqdm

from media import derivatives
from media.models import MediaFile


class Command(BaseCommand):
    help = gettext_lazy(
        "Produce the WebP/JPEG derivatives and IIIF tiles of every image (only missing files "
        "unless --force). Exits 1 if any image could not be processed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("write every file again, even those already stored"),
        )
        parser.add_argument(
            "--item",
            action="append",
            default=[],
            metavar="IDENTIFIER",
            help=_("only the images of this item (may repeat)"),
        )
        parser.add_argument(
            "--no-progress", action="store_true", help=_("do not show a progress bar")
        )

    def handle(self, *args, force, item, no_progress, **options):
        images = MediaFile.objects.filter(kind=MediaFile.Kind.IMAGE).order_by("pk")
        if item:
            images = images.filter(item__identifier__in=item)
        total = images.count()
        written, failed = 0, []
        bar = tqdm(
            images.iterator(chunk_size=200),
            total=total,
            unit=_("image"),
            desc=_("Derivatives"),
            disable=no_progress or None,
            file=self.stderr,
        )
        for media in bar:
            if not force and not derivatives.missing_files(
                media.checksum, media.width, media.height
            ):
                continue
            try:
                written += len(derivatives.generate(media, force=force))
            except (OSError, UnidentifiedImageError, ValueError) as exc:
                failed.append(f"{media.item.identifier} ({media.display_name}): {exc}")
        self.stdout.write(
            ngettext(
                "%(count)d image checked; %(written)d files written.",
                "%(count)d images checked; %(written)d files written.",
                total,
            )
            % {"count": total, "written": written}
        )
        if failed:
            for line in failed:
                self.stderr.write(line)
            raise CommandError(
                ngettext(
                    "%(count)d image could not be processed.",
                    "%(count)d images could not be processed.",
                    len(failed),
                )
                % {"count": len(failed)},
                returncode=1,
            )
