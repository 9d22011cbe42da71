"""Admin for media files: the standalone list and the inline on the item page."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Trim
from django.forms.models import BaseInlineFormSet
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from archive.models import Item, Status

from .models import MediaFile

THUMBNAIL_BOX = (96, 72)


def thumbnail(media: MediaFile | None, box: tuple[int, int] = THUMBNAIL_BOX) -> str:
    """A small preview of an image for admin pages; alt-text or a visible warning."""
    if media is None or not media.pk or not media.file:
        return "–"
    if not media.is_image:
        return media.get_kind_display()
    max_w, max_h = box
    width, height = media.width or max_w, media.height or max_h
    scale = min(max_w / width, max_h / height, 1)
    size = {"width": max(1, round(width * scale)), "height": max(1, round(height * scale))}
    alt = (media.alt_text or "").strip()
    image = format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy" '
        'style="object-fit: contain; background: #eee;">',
        media.file.url,
        alt,
        size["width"],
        size["height"],
    )
    if alt:
        return image
    return format_html(
        '{}<br><strong class="errornote" style="display:inline;padding:0 .3em;">{}</strong>',
        image,
        _("no alt-text"),
    )


def delete_replaced_original(form) -> None:
    """After a file is replaced, remove the old original once no row points to it."""
    if "file" not in form.changed_data:
        return
    old = form.initial.get("file")
    old_name = getattr(old, "name", old)
    if not old_name or form.instance.file.name == old_name:
        return
    storage = form.instance.file.storage

    def remove() -> None:
        if not MediaFile.objects.filter(file=old_name).exists():
            storage.delete(old_name)

    transaction.on_commit(remove)


class MediaFileAdminForm(forms.ModelForm):
    """A replaced file is a new original: its name and measurements are taken afresh."""

    class Meta:
        model = MediaFile
        fields = [
            "item",
            "file",
            "alt_text",
            "alt_text_en",
            "caption",
            "caption_en",
            "long_description",
            "credit",
            "order",
        ]

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and "file" in self.changed_data:
            self.instance.original_name = ""
        return cleaned_data


class MediaInlineFormSet(BaseInlineFormSet):
    """Checks the alt-text rule against the images as they will be after this save.

    The item form skips its own database-based check (see archive.forms.ItemAdminForm), so
    an archivist can add an image with alt-text, or fill in a missing alt-text, and publish
    in the same save; and publishing is refused while any image would lack alt-text.
    """

    def media_after_save(self) -> list[MediaFile]:
        item = self.instance
        # Start from the database so that rows not editable here still count.
        media = {m.pk: m for m in item.media_files.all()} if item.pk else {}
        new = []
        for index, form in enumerate(self.forms):
            deleted = self.can_delete and self._should_delete_form(form)
            if index < self.initial_form_count() and form.instance.pk is not None:
                if deleted:
                    media.pop(form.instance.pk, None)
                else:
                    media[form.instance.pk] = form.instance
            elif form.has_changed() and not deleted:
                new.append(form.instance)
        return [*media.values(), *new]

    def clean(self):
        super().clean()
        item: Item = self.instance
        if item.status != Status.PUBLISHED:
            return
        try:
            item.check_publishable(media=self.media_after_save())
        except ValidationError as exc:
            raise ValidationError(exc.messages, code="missing_alt_text") from exc

    def save_existing(self, form, obj, commit=True):
        saved = super().save_existing(form, obj, commit=commit)
        delete_replaced_original(form)
        return saved


class MediaFileInline(admin.StackedInline):
    model = MediaFile
    form = MediaFileAdminForm
    formset = MediaInlineFormSet
    extra = 0
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("preview", "file"),
                    ("alt_text", "alt_text_en"),
                    ("caption", "caption_en"),
                    "long_description",
                    ("credit", "order"),
                    ("kind", "file_size", "width", "height"),
                    "checksum",
                ]
            },
        )
    ]
    readonly_fields = ["preview", "kind", "file_size", "width", "height", "checksum"]

    @admin.display(description=_("preview"))
    def preview(self, obj: MediaFile) -> str:
        return thumbnail(obj, box=(240, 180))

    @admin.display(description=_("size"))
    def file_size(self, obj: MediaFile) -> str:
        return filesizeformat(obj.size) if obj.pk else "–"


class MissingAltTextFilter(admin.SimpleListFilter):
    """Images that still need alt-text: the archivists' to-do list before publishing."""

    title = _("alt-text")
    parameter_name = "alt_text"

    def lookups(self, request, model_admin):
        return [("missing", _("image without alt-text")), ("present", _("with alt-text"))]

    def queryset(self, request, queryset):
        trimmed = queryset.annotate(alt_text_trimmed=Trim("alt_text"))
        if self.value() == "missing":
            return trimmed.filter(kind=MediaFile.Kind.IMAGE, alt_text_trimmed="")
        if self.value() == "present":
            return trimmed.exclude(alt_text_trimmed="")
        return queryset


@admin.register(MediaFile)
class MediaFileAdmin(admin.ModelAdmin):
    form = MediaFileAdminForm
    list_display = ["list_thumbnail", "display_name", "item", "kind", "alt_text", "file_size"]
    list_display_links = ["list_thumbnail", "display_name"]
    list_select_related = ["item"]
    list_filter = ["kind", MissingAltTextFilter]
    search_fields = [
        "original_name",
        "alt_text",
        "alt_text_en",
        "caption",
        "caption_en",
        "credit",
        "item__identifier",
        "item__title",
    ]
    autocomplete_fields = ["item"]
    fieldsets = [
        (None, {"fields": ["item", ("preview", "file"), "order"]}),
        (
            _("Accessible description"),
            {
                "fields": [
                    ("alt_text", "alt_text_en"),
                    ("caption", "caption_en"),
                    "long_description",
                    "credit",
                ]
            },
        ),
        (
            _("File"),
            {
                "fields": [
                    "original_name",
                    ("kind", "file_size", "width", "height"),
                    "checksum",
                    "created",
                ]
            },
        ),
    ]
    readonly_fields = [
        "preview",
        "original_name",
        "kind",
        "file_size",
        "width",
        "height",
        "checksum",
        "created",
    ]

    @admin.display(description=_("preview"))
    def list_thumbnail(self, obj: MediaFile) -> str:
        return thumbnail(obj)

    @admin.display(description=_("preview"))
    def preview(self, obj: MediaFile) -> str:
        return thumbnail(obj, box=(480, 360))

    @admin.display(description=_("file name"), ordering="original_name")
    def display_name(self, obj: MediaFile) -> str:
        return obj.display_name

    @admin.display(description=_("size"), ordering="size")
    def file_size(self, obj: MediaFile) -> str:
        return filesizeformat(obj.size) if obj.pk else "–"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            delete_replaced_original(form)
