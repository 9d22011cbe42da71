"""Public collection pages: the list, nested collections, ordered items, breadcrumbs."""

import re

import pytest

from archive.models import Status
from tests.factories import (
    CollectionFactory,
    CollectionItemFactory,
    ItemFactory,
    MediaFileFactory,
)

pytestmark = pytest.mark.django_db


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def url(collection, language: str = "pl") -> str:
    # Spelled out: a previous request may leave another language active for reverse().
    return f"/{language}/collections/{collection.slug}/"


def with_published_item(collection):
    """Collections without a published item are private (issue 15, 6): give it one."""
    CollectionItemFactory(collection=collection, item=ItemFactory(status=Status.PUBLISHED))
    return collection


def positions(html: str, *texts: str) -> list[int]:
    found = [html.find(text) for text in texts]
    assert all(p >= 0 for p in found), texts
    return found


@pytest.mark.parametrize("language", ["pl", "en"])
def test_collection_list_shows_top_level_collections_and_their_children(client, language):
    top = CollectionFactory(title="Zabytki", title_en="Monuments")
    with_published_item(CollectionFactory(title="Kościoły", parent=top))
    html = page(client, f"/{language}/collections/")
    assert ("Monuments" if language == "en" else "Zabytki") in html
    assert "Kościoły" in html
    assert html.count("<h1") == 1


def test_collection_page_lists_published_items_in_their_order(client):
    collection = CollectionFactory(title="Dawny Mszczonów")
    for order, title in [(3, "Trzeci obiekt"), (1, "Pierwszy obiekt"), (2, "Drugi obiekt")]:
        CollectionItemFactory(collection=collection, item=ItemFactory(title=title), order=order)
    CollectionItemFactory(
        collection=collection,
        item=ItemFactory(title="Szkic w kolekcji", status=Status.DRAFT),
        order=0,
    )
    html = page(client, url(collection))
    first, second, third = positions(html, "Pierwszy obiekt", "Drugi obiekt", "Trzeci obiekt")
    assert first < second < third
    assert "Szkic w kolekcji" not in html


def test_staff_see_drafts_in_a_collection_marked_as_drafts(archivist_client):
    collection = CollectionFactory()
    CollectionItemFactory(
        collection=collection, item=ItemFactory(title="Szkic w kolekcji", status=Status.DRAFT)
    )
    html = page(archivist_client, url(collection, "en"))
    assert "Szkic w kolekcji" in html
    assert "card-draft" in html


def test_collection_page_shows_nested_children_and_breadcrumb(client):
    grandparent = CollectionFactory(title="Historia miasta")
    parent = CollectionFactory(title="Dwudziestolecie", parent=grandparent)
    collection = CollectionFactory(title="Szkoły", parent=parent)
    with_published_item(CollectionFactory(title="Szkoła powszechna", parent=collection))
    with_published_item(CollectionFactory(title="Gimnazjum", parent=collection))

    html = page(client, url(collection))
    breadcrumb = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.DOTALL).group(0)
    a, b, c = positions(breadcrumb, "Historia miasta", "Dwudziestolecie", "Szkoły")
    assert a < b < c
    assert f'href="{url(grandparent)}"' in breadcrumb
    assert 'aria-current="page"' in breadcrumb
    assert "Szkoła powszechna" in html and "Gimnazjum" in html
    assert re.search(r'<h1 id="collection-title">Szkoły</h1>', html)


def test_collection_description_is_sanitised_markdown(client):
    collection = with_published_item(
        CollectionFactory(
            description="**Ważne** <script>alert(1)</script> [x](javascript:alert(1))"
        )
    )
    html = page(client, url(collection))
    assert "<strong>Ważne</strong>" in html
    assert "<script" not in html.lower()
    assert "javascript:" not in html.lower()


def test_english_collection_page_falls_back_to_polish_title(client):
    collection = with_published_item(CollectionFactory(title="Tradycje", title_en=""))
    html = page(client, url(collection, "en"))
    assert re.search(r'<h1 id="collection-title" lang="pl">Tradycje</h1>', html)


def test_collection_cover_is_shown_only_when_its_item_is_published(client):
    cover = ItemFactory()
    MediaFileFactory(item=cover, alt_text="Okładka kolekcji")
    shown = with_published_item(CollectionFactory(cover_item=cover))
    draft_cover = ItemFactory(status=Status.DRAFT)
    MediaFileFactory(item=draft_cover, alt_text="Okładka szkicu")
    hidden = with_published_item(CollectionFactory(cover_item=draft_cover))
    assert 'alt="Okładka kolekcji"' in page(client, url(shown))
    assert "Okładka szkicu" not in page(client, url(hidden))


def test_unknown_collection_is_a_friendly_404(client):
    html = page(client, "/en/collections/no-such-collection/", status=404)
    assert "We could not find this page" in html


def test_collection_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    parent = CollectionFactory()
    collection = CollectionFactory(parent=parent)
    for _ in range(15):
        item = ItemFactory()
        MediaFileFactory(item=item)
        CollectionItemFactory(collection=collection, item=item)
        child = CollectionFactory(parent=collection, cover_item=item)
        CollectionItemFactory(collection=child, item=item)
    # +1: which collections are public (those holding a published item), asked once.
    with django_assert_max_num_queries(7):
        html = page(client, url(collection))
    assert html.count('<article class="card') == 30


def test_sub_collection_links_sit_inside_their_parents_card(client, db):
    """A list after the card in the same grid cell is drawn under the next card (the card
    fills the cell), where nobody can see or click it: it belongs inside the card."""
    import re

    from tests.factories import CollectionFactory

    parent = CollectionFactory(title="Historia miasta", slug="historia")
    child = CollectionFactory(title="Wrzesień 1939 i okupacja", slug="wrzesien-1939", parent=parent)
    other = CollectionFactory(title="Tradycje", slug="tradycje")
    # Only collections holding a published item are listed (Collection.objects.public()).
    for collection in (child, other):
        CollectionItemFactory(collection=collection, item=ItemFactory(status=Status.PUBLISHED))
    html = client.get("/pl/collections/").content.decode()
    cards = re.findall(r'<article class="card">.*?</article>', html, re.DOTALL)
    parent_card = next(card for card in cards if "/pl/collections/historia/" in card)
    assert 'href="/pl/collections/wrzesien-1939/"' in parent_card
    assert re.search(r'<ul class="subcollections" aria-label="[^"]+Historia miasta"', parent_card)


def test_a_parent_collection_card_counts_the_items_of_its_sub_collections(client, db):
    """A collection that only groups sub-collections holds no items itself; its card says how
    many published items are inside it (each once), not "0 items"."""
    parent = CollectionFactory(title="Historia miasta", slug="historia")
    child = CollectionFactory(title="Wrzesień 1939", slug="wrzesien-1939", parent=parent)
    grandchild = CollectionFactory(title="Okupacja", slug="okupacja", parent=child)
    shared = ItemFactory(status=Status.PUBLISHED)
    CollectionItemFactory(collection=child, item=shared)
    CollectionItemFactory(collection=grandchild, item=shared)  # counted once
    CollectionItemFactory(collection=grandchild, item=ItemFactory(status=Status.PUBLISHED))
    CollectionItemFactory(collection=grandchild, item=ItemFactory(status=Status.DRAFT))
    html = page(client, "/en/collections/")
    cards = re.findall(r'<article class="card">.*?</article>', html, re.DOTALL)
    parent_card = next(card for card in cards if "/en/collections/historia/" in card)
    assert re.search(r'class="card-meta">2 items<', parent_card)
    child_html = page(client, url(parent, "en"))
    child_card = next(
        card
        for card in re.findall(r'<article class="card">.*?</article>', child_html, re.DOTALL)
        if "/en/collections/wrzesien-1939/" in card
    )
    assert re.search(r'class="card-meta">2 items<', child_card)
