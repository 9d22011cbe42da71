"""Previous and next item within the list a visitor came from, without JavaScript.

Links into an item from a collection page carry `?from=collection:<slug>`, links from the
search page `?from=search:<the search's query string>`. The item page reads that back,
finds its neighbours in the same list in the same order, and gives them links that carry
the same `from`, so a visitor can walk a whole list item by item.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from curation.models import Collection, CollectionItem
from search.backends import search
from search.query import SearchQuery

from .models import Item

COLLECTION = "collection:"
SEARCH = "search:"


@dataclass(frozen=True)
class Neighbour:
    title: str
    url: str


@dataclass(frozen=True)
class Neighbours:
    """Where the visitor came from (to go back) and the items either side of this one."""

    list_label: str
    list_url: str
    previous: Neighbour | None
    next: Neighbour | None


def item_link(item_url: str, origin: str) -> str:
    """The URL of an item that remembers the list it was reached from."""
    return f"{item_url}?{urlencode({'from': origin})}" if origin else item_url


def collection_origin(collection: Collection) -> str:
    return f"{COLLECTION}{collection.slug}"


def search_origin(query_string: str) -> str:
    return f"{SEARCH}{query_string}"


def neighbours(request, item: Item) -> Neighbours | None:
    """The neighbours of `item` in the list named by `?from=`; None when there is none
    or the item is not in that list (an old or edited link simply shows no navigation)."""
    origin = request.GET.get("from", "")
    if origin.startswith(COLLECTION):
        return _in_collection(request, item, origin[len(COLLECTION) :])
    if origin.startswith(SEARCH):
        return _in_search(item, origin[len(SEARCH) :])
    return None


def _in_collection(request, item: Item, slug: str) -> Neighbours | None:
    collection = Collection.objects.filter(slug=slug).first()
    if collection is None:
        return None
    # The order of the collection page (curation.views.collection_detail).
    rows = list(
        CollectionItem.objects.filter(
            collection=collection, item__in=Item.objects.visible_to(request.user).values("pk")
        )
        .order_by("order", "item__title", "pk")
        .values_list("item_id", "item__identifier", "item__title", "item__title_en")
    )
    position = next((i for i, row in enumerate(rows) if row[0] == item.pk), None)
    if position is None:
        return None
    origin = collection_origin(collection)

    def neighbour(index: int) -> Neighbour | None:
        if not 0 <= index < len(rows):
            return None
        _pk, identifier, title, title_en = rows[index]
        shown = Item(identifier=identifier, title=title, title_en=title_en)
        return Neighbour(shown.display_title, item_link(shown.get_absolute_url(), origin))

    return Neighbours(
        list_label=collection.display_title,
        list_url=collection.get_absolute_url(),
        previous=neighbour(position - 1),
        next=neighbour(position + 1),
    )


def _in_search(item: Item, query_string: str) -> Neighbours | None:
    params = QueryDict(query_string)
    query = SearchQuery.from_params(params, strict=False)
    hits = list(search(query).hits)
    position = next((i for i, hit in enumerate(hits) if hit.identifier == item.identifier), None)
    if position is None:
        return None

    def on_page(page: int, index: int) -> Neighbour | None:
        """The hit at `index` of result page `page` (-1: its last), linked with that page."""
        if page < 1:
            return None
        page_hits = hits if page == query.page else _page_hits(params, page)
        if not page_hits or index >= len(page_hits):
            return None
        hit = page_hits[index]
        return Neighbour(hit.title, item_link(hit.url, search_origin(_with_page(params, page))))

    previous = on_page(query.page, position - 1) if position > 0 else on_page(query.page - 1, -1)
    following = (
        on_page(query.page, position + 1)
        if position + 1 < len(hits)
        else on_page(query.page + 1, 0)
    )
    return Neighbours(
        list_label=gettext("Search results"),
        list_url=f"{reverse('search:search')}?{query_string}",
        previous=previous,
        next=following,
    )


def _with_page(params: QueryDict, page: int) -> str:
    changed = params.copy()
    if page > 1:
        changed["page"] = str(page)
    else:
        changed.pop("page", None)
    return changed.urlencode()


def _page_hits(params: QueryDict, page: int) -> list:
    query = SearchQuery.from_params(QueryDict(_with_page(params, page)), strict=False)
    return list(search(query).hits)
