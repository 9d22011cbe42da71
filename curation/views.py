from django.shortcuts import get_object_or_404, render

from archive.models import Item

from .models import Collection


def collection_list(request):
    collections = Collection.objects.filter(parent=None).select_related("cover_item")
    return render(request, "curation/collection_list.html", {"collections": collections})


def collection_detail(request, slug: str):
    collection = get_object_or_404(Collection, slug=slug)
    items = (
        Item.objects.visible_to(request.user)
        .filter(memberships__collection=collection)
        .order_by("memberships__order", "title")
        .with_listing_relations()
    )
    return render(
        request,
        "curation/collection_detail.html",
        {"collection": collection, "items": items, "children": collection.children.all()},
    )
