"""Public pages of curated collections."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from archive.models import Item
from archive.navigation import collection_origin
from archive.views import collections_for_cards, top_collections

from .models import Collection, CollectionItem


@require_safe
def collection_list(request):
    collections = top_collections().prefetch_related(
        Prefetch("children", queryset=Collection.objects.public())
    )
    return render(request, "curation/collection_list.html", {"collections": collections})


@require_safe
def collection_detail(request, slug: str):
    # Three parents in one join cover the breadcrumbs of any realistic tree.
    visible = Collection.objects.visible_to(request.user)
    collection = get_object_or_404(
        visible.select_related("parent__parent__parent", "cover_item").prefetch_related(
            "cover_item__media_files"
        ),
        slug=slug,
    )
    memberships = (
        CollectionItem.objects.filter(
            collection=collection, item__in=Item.objects.visible_to(request.user).values("pk")
        )
        .select_related("item__licence")
        .prefetch_related("item__media_files")
        .order_by("order", "item__title", "pk")
    )
    children = collections_for_cards(visible.filter(parent=collection))
    return render(
        request,
        "curation/collection_detail.html",
        {
            "collection": collection,
            "ancestors": collection.ancestors(),
            "children": children,
            "items": [m.item for m in memberships],
            # Item links remember the collection, for previous/next on the item page.
            "item_from": collection_origin(collection),
        },
    )
