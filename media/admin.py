"""Admin for media files: the standalone list and the inline on the item page."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from archive.admin_history import HistoryAdminMixin
from archive.history import TranslatedHistoryMixin
from archive.models import Item, Status

from . import public, staging
from .accessibility import has_meaningful_text, media_problems, published_report
from .models import MediaFile

THUMBNAIL_BOX = (96, 72)


def thumbnail(media: MediaFile | None, box: tuple[int, int] = THUMBNAIL_BOX) -> str:
    """A small preview of an image for admin pages; alt-text or a visible warning.

    The picture is the smallest derivative at least as wide as the box (JPEG, from any
    original Pillow reads, TIFF included), never the original: a list of items must not
    download 15 MB scans. Derivatives of drafts are served to staff only (media.views).
    """
    if media is None or not media.pk or not media.file:
        return "–"
    if not media.is_image:
        return media.get_kind_display()
    max_w, max_h = box
    derived = public.thumbnail(media, width=max_w)
    alt = (media.alt_text or "").strip()
    if derived is None:
        image = format_html('<span class="kronika-no-preview">{}</span>', _("no preview"))
    else:
        scale = min(max_w / derived["width"], max_h / derived["height"], 1)
        image = format_html(
            '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy" '
            'class="kronika-thumbnail">',
            derived["url"],
            alt,
            max(1, round(derived["width"] * scale)),
            max(1, round(derived["height"] * scale)),
        )
    if media.has_alt_text:
        return image
    return format_html(
        '{}<br><strong class="errornote kronika-note">{}</strong>', image, _("no alt-text")
    )


def same_original(media: MediaFile) -> list[MediaFile]:
    """Other media files with byte-for-byte the same original."""
    if not media.pk or not media.checksum:
        return []
    return list(
        MediaFile.objects.filter(checksum=media.checksum)
        .exclude(pk=media.pk)
        .select_related("item")
        .order_by("pk")[:20]
    )


def duplicates_of(media: MediaFile) -> str:
    """Links to the other records that hold the same file, so archivists can merge them."""
    others = same_original(media)
    if not others:
        return "–"
    links = format_html_join(
        ", ",
        '<a href="{}">{} ({})</a>',
        (
            (
                reverse("admin:media_mediafile_change", args=[m.pk]),
                m.item.identifier,
                m.display_name,
            )
            for m in others
        ),
    )
    return format_html(
        '<strong class="errornote kronika-note">{}</strong> {}',
        _("Duplicate of"),
        links,
    )


class StagedUploadField(forms.CharField):
    """The hidden token of an upload kept from a refused save (media.staging)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, label="", **kwargs)

    def has_changed(self, initial, data) -> bool:
        return False  # only the file it names counts as a change


class MediaFileAdminForm(forms.ModelForm):
    """A replaced file is a new original: its name and measurements are taken afresh.

    A file chosen in a save that the admin refuses is kept (media.staging) and used by the
    next submission of the form, unless another file is chosen.
    """

    staged_file = StagedUploadField()

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
            "transcript",
            "captions",
            "credit",
            "order",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.files.get(self.add_prefix("file")):
            token = self.data.get(self.add_prefix("staged_file"), "")
            kept = staging.staged_upload(token) if token else None
            if kept is not None:
                self.files = self.files.copy()
                self.files[self.add_prefix("file")] = kept
                self._show_kept(kept.name)

    def _show_kept(self, name: str) -> None:
        note = _(
            "Kept from the refused save: %(name)s. It is saved with this form unless you "
            "choose another file."
        ) % {"name": name}
        # A bound field copies its help text when first made (validation made it already).
        self.fields["file"].help_text = self["file"].help_text = note

    def keep_upload(self) -> None:
        """After a refused save: keep an accepted new file for the next submission."""
        upload = self.files.get(self.add_prefix("file"))
        if not upload or self.has_error("file"):
            return
        token = getattr(upload, "staged_token", None) or staging.stage(upload)
        self.data = self.data.copy()
        self.data[self.add_prefix("staged_file")] = token
        self._show_kept(upload.name)

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and "file" in self.changed_data:
            self.instance.original_name = ""
        return cleaned_data

    def save(self, commit=True):
        token = self.data.get(self.add_prefix("staged_file"), "")
        if token:
            transaction.on_commit(lambda: staging.discard(token))
        return super().save(commit)


class KeepUploadsMixin:
    """ModelAdmin mixin: a refused save keeps the files chosen in its forms and inlines."""

    def render_change_form(self, request, context, *args, **kwargs):
        if request.method == "POST":
            forms_on_page = [context["adminform"].form] + [
                form
                for inline in context.get("inline_admin_formsets", [])
                for form in inline.formset.forms
            ]
            for form in forms_on_page:
                if hasattr(form, "keep_upload"):
                    form.keep_upload()
        return super().render_change_form(request, context, *args, **kwargs)


class MediaInlineFormSet(BaseInlineFormSet):
    """Checks the alt-text rule against the images as they will be after this save.

    The item form skips its own database-based check (see archive.forms.ItemAdminForm), so
    an archivist can add an image with alt-text, or fill in a missing alt-text, and publish
    in the same save; and publishing is refused while any image would lack alt-text. The
    reason is shown at the field it concerns (the alt-text box of that image).
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
        media = self.media_after_save()
        unplaced = [m for m in media if not self._place_errors_at_fields(m, item)]
        try:
            item.check_publishable(media=unplaced)
        except ValidationError as exc:
            raise ValidationError(exc.messages, code="inaccessible") from exc

    def _place_errors_at_fields(self, media: MediaFile, item: Item) -> bool:
        """Show what keeps a file of this form from being published at the form's fields
        (the missing alt-text under the alt-text box); False if no form here shows it."""
        form = next((f for f in self.forms if f.instance is media), None)
        if form is None:
            return False
        if not media.kind:
            return True  # the file itself was refused: that error is shown already
        for problem in media_problems(media, item):
            if not problem.is_error:
                continue
            field = problem.field if problem.field in form.fields else None
            if field is None or not form.has_error(field):
                form.add_error(field, problem.message)
        return True


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
                    ("preview", "file", "staged_file"),
                    ("alt_text", "alt_text_en"),
                    ("caption", "caption_en"),
                    "long_description",
                    ("transcript", "captions"),
                    ("credit", "order"),
                    ("kind", "file_size", "width", "height"),
                    "checksum",
                    "duplicates",
                ]
            },
        )
    ]
    readonly_fields = [
        "preview",
        "kind",
        "file_size",
        "width",
        "height",
        "checksum",
        "duplicates",
    ]

    @admin.display(description=_("preview"))
    def preview(self, obj: MediaFile) -> str:
        return thumbnail(obj, box=(240, 180))

    @admin.display(description=_("duplicates"))
    def duplicates(self, obj: MediaFile) -> str:
        return duplicates_of(obj)

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
        if self.value() not in ("missing", "present"):
            return queryset
        # "Missing" is decided by has_meaningful_text, which no SQL dialect can say the
        # same way (Unicode categories); the alt-texts are short, so Python reads them.
        rows = queryset.values_list("pk", "kind", "alt_text").iterator(2000)
        if self.value() == "missing":
            pks = [
                pk
                for pk, kind, text in rows
                if kind == MediaFile.Kind.IMAGE and not has_meaningful_text(text)
            ]
        else:
            pks = [pk for pk, _kind, text in rows if has_meaningful_text(text)]
        return queryset.filter(pk__in=pks)


@admin.register(MediaFile)
class MediaFileAdmin(HistoryAdminMixin, KeepUploadsMixin, TranslatedHistoryMixin, admin.ModelAdmin):
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
        (None, {"fields": ["item", ("preview", "file", "staged_file"), "order"]}),
        (
            _("Accessible description"),
            {
                "fields": [
                    ("alt_text", "alt_text_en"),
                    ("caption", "caption_en"),
                    "long_description",
                    "transcript",
                    "captions",
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
                    "duplicates",
                    "created",
                ]
            },
        ),
    ]
    readonly_fields = [
        "preview",
        "duplicates",
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

    @admin.display(description=_("duplicates"))
    def duplicates(self, obj: MediaFile) -> str:
        return duplicates_of(obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "file" in form.changed_data:
            others = same_original(obj)
            if others:
                messages.warning(
                    request,
                    _("This file is identical to one already in the archive: %(others)s.")
                    % {
                        "others": ", ".join(
                            f"{m.item.identifier} ({m.display_name})" for m in others
                        )
                    },
                )

    def get_urls(self):
        report = self.admin_site.admin_view(self.accessibility_report)
        return [
            path("accessibility/", report, name="media_mediafile_accessibility"),
            *super().get_urls(),
        ]

    def accessibility_report(self, request):
        """The same report as `manage.py check_accessibility`, for archivists."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = published_report()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Accessibility of published media"),
            "report": [
                {
                    "item": item,
                    "problems": problems,
                    "errors": sum(p.is_error for p in problems),
                }
                for item, problems in report
            ],
            "error_count": sum(p.is_error for _item, problems in report for p in problems),
            "warning_count": sum(not p.is_error for _item, problems in report for p in problems),
        }
        return TemplateResponse(request, "admin/media/accessibility_report.html", context)
