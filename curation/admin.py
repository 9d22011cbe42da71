"""Admin for curated collections and the items' places in them."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from archive.admin_concurrency import VersionedAdminMixin
from archive.admin_history import HistoryAdminMixin
from archive.history import TranslatedHistoryMixin

from . import admin_narratives
from .models import Collection, CollectionItem


class CollectionItemInline(admin.TabularInline):
    """The items of a collection, in the order the public page shows them."""

    model = CollectionItem
    fields = ["item", "order"]
    autocomplete_fields = ["item"]
    extra = 0


class CollectionMembershipInline(admin.TabularInline):
    """On the item page: the collections the item belongs to."""

    model = CollectionItem
    fk_name = "item"
    fields = ["collection", "order"]
    autocomplete_fields = ["collection"]
    extra = 0
    verbose_name = _("collection membership")
    verbose_name_plural = _("collections")


@admin.register(Collection)
class CollectionAdmin(
    HistoryAdminMixin, TranslatedHistoryMixin, VersionedAdminMixin, admin.ModelAdmin
):
    list_display = ["title", "slug", "parent", "item_count", "order", "modified"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["parent", "cover_item"]
    inlines = [CollectionItemInline]
    view_on_site = True
    fieldsets = [
        (None, {"fields": [("title", "title_en"), "slug", "parent", "order"]}),
        (_("Description (pl/en)"), {"fields": ["description", "description_en"]}),
        (_("Presentation"), {"fields": ["cover_item"]}),
    ]

    def get_queryset(self, request):
        # Aggregation drops Meta.ordering (Django ≥ 3.1); keep lists in a stable order.
        queryset = super().get_queryset(request).annotate(admin_item_count=Count("memberships"))
        return queryset.order_by(*self.model._meta.ordering)

    @admin.display(description=_("items"), ordering="admin_item_count")
    def item_count(self, obj: Collection) -> int:
        return obj.admin_item_count


# Lessons and stories: their own module, registered here.
admin_narratives.register(admin.site)
