"""Related items on item pages: the archivist's choice first, then published items scored
by shared people, places, subjects, collections and date proximity (archive/related.py);
never a draft; a constant number of queries whatever the catalogue's size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import ItemCreator, Status
from archive.related import MOST, related_items, scored_related
from tests.factories import (
    AgentFactory,
    CollectionFactory,
    CollectionItemFactory,
    ItemFactory,
    PlaceFactory,
    SubjectFactory,
)
from tests.web.conftest import fetch

pytestmark = pytest.mark.django_db


def _item(*, places=(), subjects=(), people=(), collections=(), **fields):
    item = ItemFactory(**fields)
    item.places.set(places)
    item.subjects.set(subjects)
    for person in people:
        ItemCreator.objects.create(item=item, agent=person, role="creator")
    for collection in collections:
        CollectionItemFactory(collection=collection, item=item)
    return item


def test_items_are_ranked_by_what_they_share_and_how_close_their_dates_are():
    town, village = PlaceFactory(), PlaceFactory()
    fire, church = SubjectFactory(), SubjectFactory()
    photographer = AgentFactory()
    album = CollectionFactory()
    item = _item(
        places=[town], subjects=[fire, church], people=[photographer],
        collections=[album], date="1925",
    )  # fmt: skip
    person_and_place = _item(places=[town], people=[photographer], date="1990")  # 3+2
    two_subjects = _item(subjects=[fire, church], date="1990")  # 2+2
    place_same_year = _item(places=[town], date="1925")  # 2 + overlap 2
    place_near = _item(places=[town], date="1931")  # 2 + near 1
    collection_only = _item(collections=[album], date="1800")  # 2
    _item(places=[village], date="1925")  # shares no record: the date alone relates nothing
    _item(places=[town], people=[photographer], status=Status.DRAFT)  # drafts never
    ranked = scored_related(item, limit=10)
    assert ranked == [
        person_and_place.pk,  # 5
        two_subjects.pk,  # 4, catalogued before the other 4
        place_same_year.pk,  # 4
        place_near.pk,  # 3
        collection_only.pk,  # 2
    ]


def test_the_archivists_own_choice_comes_first_and_six_at_most():
    town = PlaceFactory()
    item = _item(places=[town], date="1930")
    chosen = _item(date="1700")  # shares nothing, but the archivist linked it
    item.related_items.add(chosen)
    draft = _item(status=Status.DRAFT)
    item.related_items.add(draft)  # a linked draft stays private
    others = [_item(places=[town], date="1930") for _ in range(8)]
    item.refresh_from_db()
    related = related_items(item)
    assert len(related) == MOST
    assert related[0] == chosen
    assert draft not in related
    assert related[1:] == others[:5]


def test_an_item_sharing_nothing_has_no_related_section(client):
    item = _item(date="1930")
    _item(date="1930")
    html = fetch(client, f"/en/items/{item.identifier}/")
    assert "related-heading" not in html


def test_item_page_lists_related_published_items(client):
    town = PlaceFactory()
    item = _item(places=[town])
    _item(places=[town], title="Ten sam rynek")
    _item(places=[town], title="Szkic rynku", status=Status.DRAFT)
    html = fetch(client, f"/en/items/{item.identifier}/")
    assert 'id="related-heading"' in html
    assert "Ten sam rynek" in html
    assert "Szkic rynku" not in html


def _catalogue(size: int, town, subject, person, album):
    for _ in range(size):
        _item(
            places=[town], subjects=[subject], people=[person], collections=[album],
            date="1930",
        )  # fmt: skip


def test_item_page_queries_do_not_grow_with_the_catalogue(client, django_assert_num_queries):
    town, subject, person, album = (
        PlaceFactory(), SubjectFactory(), AgentFactory(), CollectionFactory()
    )  # fmt: skip
    item = _item(
        places=[town], subjects=[subject], people=[person], collections=[album], date="1930"
    )
    url = f"/en/items/{item.identifier}/"
    _catalogue(2, town, subject, person, album)
    fetch(client, url)  # warm the per-process caches (licences, settings)
    with CaptureQueriesContext(connection) as small:
        fetch(client, url)
    _catalogue(30, town, subject, person, album)
    with django_assert_num_queries(len(small.captured_queries)):
        html = fetch(client, url)
    assert html.count('class="card"') == MOST
