"""Public catalogue pages: thin views over named querysets."""

from django.shortcuts import get_object_or_404, render

from curation.models import Collection

from .models import Item


def home(request):
    collections = Collection.objects.filter(parent=None).select_related("cover_item")
    recent = Item.objects.published().with_listing_relations().order_by("-published_at")[:8]
    return render(request, "archive/home.html", {"collections": collections, "recent": recent})


def item_detail(request, identifier: str):
    item = get_object_or_404(
        Item.objects.visible_to(request.user).with_listing_relations(), identifier=identifier
    )
    return render(request, "archive/item_detail.html", {"item": item})
