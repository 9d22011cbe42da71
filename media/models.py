"""Media files attached to catalogue items, with the text that makes them accessible."""

from __future__ import annotations

import logging
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from archive import audit
from archive.models import Item, Status, localized

from . import derivatives
from .validation import inspect_upload, sha256_of, validate_webvtt

logger = logging.getLogger(__name__)


def original_path(instance: MediaFile, filename: str) -> str:
    """Originals are stored by checksum, so a name never collides or reveals a path."""
    return f"originals/{instance.checksum[:2]}/{instance.checksum}{PurePosixPath(filename).suffix}"


def captions_path(instance: MediaFile, filename: str) -> str:
    """Caption files are stored by the checksum of their own content."""
    checksum = sha256_of(instance.captions)
    return f"captions/{checksum[:2]}/{checksum}.vtt"


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
    long_description = models.TextField(
        _("long description"),
        blank=True,
        help_text=_("For maps, documents and detailed images: what a short alt-text cannot say."),
    )
    transcript = models.TextField(
        _("transcript"),
        blank=True,
        help_text=_(
            "Everything said (and important sounds) in a recording. Required to publish "
            "audio and video."
        ),
    )
    captions = models.FileField(
        _("captions (WebVTT)"),
        upload_to=captions_path,
        max_length=255,
        blank=True,
        validators=[validate_webvtt],
        help_text=_(
            "Timed captions for a video, as a WebVTT (.vtt) file. Required to publish video."
        ),
    )
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
    def has_alt_text(self) -> bool:
        """Whether the Polish alt-text says anything (see `has_meaningful_text`)."""
        from .accessibility import has_meaningful_text

        return has_meaningful_text(self.alt_text)

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
        if self.item_id:
            # Judge against the item as committed now, kept so until this write commits: a
            # concurrent publish waits for this save, or this save for the publish. (The
            # admin's item page checks its media against the item as it will be saved.)
            try:
                committed = Item.objects.for_write(self.item_id)
            except Item.DoesNotExist:
                raise ValidationError({"item": _("This item no longer exists.")}) from None
            if not getattr(self.item, "_media_checked", False):
                self.item = committed
        if (
            self.item_id
            and self.item.status == Status.PUBLISHED
            and self.is_image
            and not self.has_alt_text
        ):
            raise ValidationError(
                {"alt_text": _("An image of a published item needs alt-text.")},
                code="missing_alt_text",
            )
        if self.item_id and self.item.status == Status.PUBLISHED:
            from .accessibility import media_problems

            errors: dict[str, list[str]] = {}
            for problem in media_problems(self, self.item):
                if problem.is_error:
                    errors.setdefault(problem.field, []).append(problem.message)
            if errors:
                raise ValidationError(errors, code="inaccessible")

    def save(self, *args, **kwargs):
        self.inspect_file()
        super().save(*args, **kwargs)


def _remove_when_unused(instance: MediaFile, name: str, captions: str, checksum: str) -> None:
    """After the commit, delete an original, its captions and its derivatives and tiles
    unless another row still uses them (duplicates share files)."""
    storage = instance.file.storage

    def remove() -> None:
        try:
            if name and not MediaFile.objects.filter(file=name).exists():
                storage.delete(name)
            if captions and not MediaFile.objects.filter(captions=captions).exists():
                storage.delete(captions)
            if checksum and not MediaFile.objects.filter(checksum=checksum).exists():
                derivatives.delete_generated(checksum, storage=storage)
        except OSError as exc:
            # The row is gone (committed): the answer must say so, not 503. The files stay
            # where no URL reaches them (served only for a row); the log says which.
            logger.warning("Files of deleted media %s kept, storage failed: %s", name, exc)

    transaction.on_commit(remove)


audit.register(MediaFile)


@receiver(post_init, sender=MediaFile, dispatch_uid="media_remember_stored")
def remember_stored(sender, instance: MediaFile, **kwargs) -> None:
    """Remember what is stored, so a save can tell a replaced file from an unchanged one."""
    # Raw values only: touching a deferred field here would cost a query per row.
    values = instance.__dict__
    instance._stored = tuple(
        getattr(values.get(field), "name", values.get(field)) or ""
        for field in ("file", "captions", "checksum")
    )


@receiver(post_save, sender=MediaFile, dispatch_uid="media_after_save")
def after_save(sender, instance: MediaFile, created: bool, raw: bool = False, **kwargs) -> None:
    """A new or replaced image gets its derivatives; a replaced file's leftovers go."""
    if raw:
        return
    old_name, old_captions, old_checksum = getattr(instance, "_stored", ("", "", ""))
    new = (instance.file.name or "", instance.captions.name or "", instance.checksum)
    instance._stored = new
    replaced = not created and old_name and old_name != new[0]
    if replaced or (old_captions and old_captions != new[1]):
        _remove_when_unused(
            instance,
            old_name if replaced else "",
            old_captions if old_captions != new[1] else "",
            old_checksum if replaced and old_checksum != new[2] else "",
        )
    if instance.is_image and (created or replaced):
        from .tasks import generate_derivatives

        pk = instance.pk
        transaction.on_commit(lambda: generate_derivatives.enqueue(pk))


@receiver(post_delete, sender=MediaFile, dispatch_uid="media_delete_original")
def delete_original(sender, instance: MediaFile, **kwargs) -> None:
    """Remove the stored files once the row is really gone (also on cascades from Item)."""
    _remove_when_unused(
        instance, instance.file.name or "", instance.captions.name or "", instance.checksum
    )
