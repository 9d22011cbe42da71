"""The archivists' admin: items with their creators, media and collections; vocabularies."""

import json

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from curation.admin import CollectionMembershipInline
from curation.admin_narratives import NarrativeUseWarningMixin, warn_narratives_using
from media.admin import KeepUploadsMixin, MediaFileInline, thumbnail
from media.models import MediaFile

from .admin_actions import BATCH_ACTIONS
from .admin_concurrency import VersionedAdminMixin
from .admin_dates import DatePreviewAdminMixin
from .admin_duplicates import DuplicateWarningMixin
from .admin_filters import NeedsAttentionFilter
from .admin_history import DeletedItemsAdminMixin, HistoryAdminMixin
from .admin_import import import_urls
from .admin_roles import PublishingRightsMixin
from .forms import ItemAdminForm
from .history import TranslatedHistoryMixin, log_bulk_change
from .maps import picker_settings
from .models import Agent, Item, ItemCreator, Licence, Place, Status, Subject

admin.site.site_header = _("Kronika – catalogue")
admin.site.site_title = _("Kronika – catalogue")
admin.site.index_title = _("Cataloguing")


class ItemCreatorInline(admin.TabularInline):
    model = ItemCreator
    fields = ["agent", "role", "order"]
    autocomplete_fields = ["agent"]
    extra = 0


@admin.register(Item)
class ItemAdmin(
    NarrativeUseWarningMixin,
    PublishingRightsMixin,
    DeletedItemsAdminMixin,
    HistoryAdminMixin,
    DuplicateWarningMixin,
    KeepUploadsMixin,
    TranslatedHistoryMixin,
    DatePreviewAdminMixin,
    VersionedAdminMixin,
    admin.ModelAdmin,
):
    form = ItemAdminForm
    list_display = [
        "identifier",
        "title",
        "item_type",
        "date",
        "status",
        "first_image",
        "modified",
    ]
    list_display_links = ["identifier", "title"]
    list_filter = [
        "status",
        "item_type",
        "licence",
        "collections",
        "subjects",
        NeedsAttentionFilter,
    ]
    search_fields = ["identifier", "title", "title_en", "description"]
    autocomplete_fields = ["subjects", "places", "licence", "related_items"]
    inlines = [ItemCreatorInline, MediaFileInline, CollectionMembershipInline]
    actions = ["publish_selected", "unpublish_selected", *BATCH_ACTIONS]
    readonly_fields = ["date_start", "date_end", "date_as_written", "published_at"]
    readonly_fields += ["created", "modified"]
    save_on_top = True
    view_on_site = True
    fieldsets = [
        (_("Identity"), {"fields": ["identifier", "item_type", "title", "title_en"]}),
        (_("Description (pl/en)"), {"fields": ["description", "description_en"]}),
        (_("Date"), {"fields": ["date", ("date_start", "date_end"), "date_as_written"]}),
        (_("Rights"), {"fields": ["licence", "rights_holder", "source"]}),
        (_("Vocabularies"), {"fields": ["subjects", "places", "related_items"]}),
        (
            _("Publishing"),
            {"fields": ["status", "published_at", ("created", "modified"), "version"]},
        ),
    ]

    def get_urls(self):
        return import_urls(self) + super().get_urls()

    def get_queryset(self, request):
        images = MediaFile.objects.filter(kind=MediaFile.Kind.IMAGE).order_by("order", "pk")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("media_files", queryset=images, to_attr="admin_images"))
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # modelform_factory makes a new class on every call, so this flag is per request.
        form.media_checked_by_inline = any(
            isinstance(inline, MediaFileInline)
            for inline in self.get_inline_instances(request, obj)
        )
        return form

    @admin.display(description=_("image"))
    def first_image(self, obj: Item) -> str:
        images = getattr(obj, "admin_images", None)
        if images is None:
            images = [m for m in obj.media_files.all() if m.is_image]
        return thumbnail(images[0] if images else None)

    @admin.action(description=_("Publish selected items"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        published = []
        for item in queryset.exclude(status=Status.PUBLISHED).order_by("identifier"):
            try:
                item.publish()
            except ValidationError as exc:
                self.message_user(
                    request,
                    _("%(identifier)s was not published: %(reasons)s")
                    % {"identifier": item.identifier, "reasons": " ".join(exc.messages)},
                    messages.ERROR,
                )
            else:
                published.append(item)
        log_bulk_change(request.user, published, gettext_noop("status: published (bulk action)"))
        if published:
            self.message_user(
                request,
                ngettext(
                    "%(count)d item was published.",
                    "%(count)d items were published.",
                    len(published),
                )
                % {"count": len(published)},
                messages.SUCCESS,
            )
        elif not queryset.exclude(status=Status.PUBLISHED).exists():
            self.message_user(
                request, _("The selected items were already published."), messages.INFO
            )

    @admin.action(description=_("Unpublish selected items"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        unpublished = list(queryset.filter(status=Status.PUBLISHED).order_by("identifier"))
        for item in unpublished:
            item.unpublish()
        log_bulk_change(request.user, unpublished, gettext_noop("status: draft (bulk action)"))
        self.message_user(
            request,
            ngettext(
                "%(count)d item was unpublished and is now a private draft.",
                "%(count)d items were unpublished and are now private drafts.",
                len(unpublished),
            )
            % {"count": len(unpublished)},
            messages.SUCCESS,
        )
        warn_narratives_using(self, request, unpublished)


class VocabularyAdmin(
    HistoryAdminMixin, TranslatedHistoryMixin, VersionedAdminMixin, admin.ModelAdmin
):
    """Shared shape of subjects, places and agents: searchable (for autocomplete), counted."""

    list_display = ["name", "name_en", "slug", "item_count"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # Aggregation drops Meta.ordering (Django ≥ 3.1); keep lists in a stable order.
        queryset = super().get_queryset(request).annotate(admin_item_count=Count("items"))
        return queryset.order_by(*self.model._meta.ordering)

    @admin.display(description=_("items"), ordering="admin_item_count")
    def item_count(self, obj) -> int:
        return obj.admin_item_count


@admin.register(Subject)
class SubjectAdmin(VocabularyAdmin):
    fields = [("name", "name_en"), "slug"]


@admin.register(Place)
class PlaceAdmin(VocabularyAdmin):
    list_display = [*VocabularyAdmin.list_display, "latitude", "longitude"]
    fields = [("name", "name_en"), "slug", ("latitude", "longitude")]

    class Media:
        # The map picker under the coordinates (static/js/map-picker.js, Leaflet vendored).
        css = {"all": ["vendor/leaflet/leaflet.css", "css/map-picker.css"]}
        js = ["vendor/leaflet/leaflet.js", "js/map-picker.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "latitude":
            field.widget.attrs["data-map-picker"] = json.dumps(picker_settings())
        return field


@admin.register(Agent)
class AgentAdmin(VocabularyAdmin):
    list_display = ["name", "kind", "dates", "slug", "item_count"]
    list_filter = ["kind"]
    search_fields = [*VocabularyAdmin.search_fields, "dates"]
    fields = [("name", "name_en"), "slug", "kind", "dates", "biography"]


@admin.register(Licence)
class LicenceAdmin(
    HistoryAdminMixin, TranslatedHistoryMixin, VersionedAdminMixin, admin.ModelAdmin
):
    list_display = ["code", "name", "allows_download", "item_count"]
    list_filter = ["allows_download"]
    search_fields = ["code", "name", "name_en"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = [
        "code",
        ("name", "name_en"),
        "url",
        "explanation",
        "explanation_en",
        "allows_download",
    ]

    def get_queryset(self, request):
        # Aggregation drops Meta.ordering (Django ≥ 3.1); keep lists in a stable order.
        queryset = super().get_queryset(request).annotate(admin_item_count=Count("items"))
        return queryset.order_by(*self.model._meta.ordering)

    @admin.display(description=_("items"), ordering="admin_item_count")
    def item_count(self, obj: Licence) -> int:
        return obj.admin_item_count
