"""Media files attached to catalogue items, with the text that makes them accessible."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from archive.models import Item, Status, localized

from .validation import inspect_upload


def original_path(instance: MediaFile, filename: str) -> str:
    """Originals are stored by checksum, so a name never collides or reveals a path."""
    return f"originals/{instance.checksum[:2]}/{instance.checksum}{PurePosixPath(filename).suffix}"


class MediaFile(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("image")
        AUDIO = "audio", _("audio")
        VIDEO = "video", _("video")
        DOCUMENT = "document", _("document")

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="media_files", verbose_name=_("item")
    )
    file = models.FileField(_("file"), upload_to=original_path, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, editable=False)
    alt_text = models.CharField(
        _("alt-text"),
        max_length=500,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it. Required to publish."),
    )
    alt_text_en = models.CharField(_("alt-text (English)"), max_length=500, blank=True)
    long_description = models.TextField(_("long description"), blank=True)
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    caption_en = models.CharField(_("caption (English)"), max_length=500, blank=True)
    credit = models.CharField(_("credit"), max_length=300, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    checksum = models.CharField(_("SHA-256"), max_length=64, db_index=True, editable=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("media file")
        verbose_name_plural = _("media files")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.original_name or PurePosixPath(self.file.name or "").name or f"#{self.pk}"

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE

    @property
    def display_alt_text(self) -> str:
        return localized(self, "alt_text")

    @property
    def display_caption(self) -> str:
        return localized(self, "caption")

    def inspect_file(self) -> None:
        """Check a newly attached file and record what it is (kind, size, checksum)."""
        if (
            not self.file
            or getattr(self.file, "_committed", True)
            or getattr(self.file, "_inspected", False)
        ):
            return
        inspection = inspect_upload(self.file)
        self.kind = inspection.kind
        self.width, self.height = inspection.width, inspection.height
        self.checksum, self.size = inspection.checksum, inspection.size
        if not self.original_name:
            self.original_name = PurePosixPath(self.file.name).name[:255]
        # The stored name takes the extension of what the file really is.
        self.file.name = f"upload{inspection.extension}"
        self.file._inspected = True

    def clean(self):
        try:
            self.inspect_file()
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        if (
            self.item_id
            and self.item.status == Status.PUBLISHED
            and self.is_image
            and not self.alt_text.strip()
        ):
            raise ValidationError(
                {"alt_text": _("An image of a published item needs alt-text.")},
                code="missing_alt_text",
            )

    def save(self, *args, **kwargs):
        self.inspect_file()
        super().save(*args, **kwargs)


@receiver(post_delete, sender=MediaFile, dispatch_uid="media_delete_original")
def delete_original(sender, instance: MediaFile, **kwargs) -> None:
    """Remove the stored file once the row is really gone (also on cascades from Item)."""
    storage, name = instance.file.storage, instance.file.name

    def remove() -> None:
        if name and not MediaFile.objects.filter(file=name).exists():
            storage.delete(name)

    transaction.on_commit(remove)
