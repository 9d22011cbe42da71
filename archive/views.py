"""Public catalogue pages: thin views over named querysets."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from curation.models import Collection

from .models import Item, ItemCreator, Status

RECENT_ITEMS = 8


def collections_for_cards(queryset):
    """Collections ready for a card: cover picture and the number of published items."""
    return (
        queryset.select_related("cover_item")
        .prefetch_related("cover_item__media_files")
        .annotate(
            published_count=Count(
                "memberships", filter=Q(memberships__item__status=Status.PUBLISHED)
            )
        )
    )


def top_collections():
    return collections_for_cards(Collection.objects.filter(parent=None))


@require_safe
def home(request):
    recent = (
        Item.objects.published()
        .with_listing_relations()
        .order_by("-published_at", "pk")[:RECENT_ITEMS]
    )
    return render(
        request,
        "archive/home.html",
        {"collections": top_collections(), "recent": recent},
    )


@require_safe
def item_detail(request, identifier: str):
    items = (
        Item.objects.visible_to(request.user)
        .select_related("licence")
        .prefetch_related(
            "media_files",
            "subjects",
            "places",
            "collections",
            Prefetch("item_creators", queryset=ItemCreator.objects.select_related("agent")),
            Prefetch(
                "related_items",
                queryset=Item.objects.published().prefetch_related("media_files"),
            ),
        )
    )
    item = get_object_or_404(items, identifier=identifier)
    return render(request, "archive/item_detail.html", {"item": item})
