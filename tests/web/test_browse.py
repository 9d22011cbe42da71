"""Browse pages: by type, by period (timeline), by place (list and offline map), by subject."""

import re

import pytest

from archive.models import Status
from tests.factories import ItemFactory, PlaceFactory, SubjectFactory
from tests.web.conftest import fetch

pytestmark = pytest.mark.django_db


def test_browse_index_links_every_way_of_browsing(client):
    html = fetch(client, "/en/browse/")
    for url in (
        "/en/browse/types/",
        "/en/browse/periods/",
        "/en/browse/places/",
        "/en/browse/subjects/",
        "/en/collections/",
    ):
        assert f'href="{url}"' in html
    assert html.count("<h1") == 1
    assert "<title>Browse the archive – Kronika" in html


def test_types_are_counted_over_published_items_only(client):
    ItemFactory.create_batch(2, item_type="map")
    ItemFactory(item_type="photograph")
    ItemFactory(item_type="recording", status=Status.DRAFT)
    html = fetch(client, "/en/browse/types/")
    assert re.search(
        r'<a href="/en/search/\?item_type=map">Map</a>\s*<span class="count">2 items', html
    )
    assert "item_type=photograph" in html
    assert "item_type=recording" not in html  # only a draft has that type


def test_timeline_groups_decades_by_century_and_counts_spans(client):
    ItemFactory(date="1925")
    ItemFactory(date="1938/1941")  # the 1930s and the 1940s
    ItemFactory(date="18XX")  # a whole century: every decade of the 1800s
    ItemFactory(date="")
    ItemFactory(date="1931", status=Status.DRAFT)
    html = fetch(client, "/en/browse/periods/")
    assert "XX century" in html and "XIX century" in html
    assert html.index("XIX century") < html.index("XX century")
    assert re.search(
        r'href="/en/search/\?decade=1930">the 1930s \(1930–1939\)</a>\s*'
        r'<span class="count">1 item<',
        html,
    )
    assert 'href="/en/search/?decade=1940"' in html
    assert 'href="/en/search/?decade=1850"' in html
    assert "1 item has no date" in html


def test_timeline_decades_in_polish_words(client):
    ItemFactory(date="193X")
    html = fetch(client, "/pl/browse/periods/")
    assert 'href="/pl/search/?decade=1930"' in html
    assert "(1930–1939)" in html


def test_places_list_stands_alone_and_map_plots_places_with_coordinates(client):
    rynek = PlaceFactory(
        name="Rynek", name_en="Market square", latitude="51.974", longitude="20.521"
    )
    PlaceFactory(name="Osuchów", latitude="51.935", longitude="20.588")
    PlaceFactory(name="Ulica bez współrzędnych")
    unused = PlaceFactory(name="Miejsce tylko w szkicu")
    for place in Place_objects():
        item = ItemFactory(status=Status.DRAFT if place == unused else Status.PUBLISHED)
        item.places.add(place)
    html = fetch(client, "/en/browse/places/")
    assert f'href="/en/search/?place={rynek.slug}"' in html and "Market square" in html
    assert "Ulica bez współrzędnych" in html  # listed though it cannot be drawn
    assert "Miejsce tylko w szkicu" not in html
    assert "https://www.openstreetmap.org/?mlat=51.974&amp;mlon=20.521" in html
    svg = re.search(r"<svg.*?</svg>", html, re.DOTALL).group(0)
    assert svg.count("<circle") == 2
    assert 'role="img"' in svg and 'aria-labelledby="places-map-caption"' in svg
    # The plot (what a browser without JavaScript shows) needs no map server; the tiles of
    # the interactive map are only named for the script (tests/web/test_map.py).
    assert "<img" not in svg and "tile" not in svg


def Place_objects():
    from archive.models import Place

    return list(Place.objects.all())


def test_places_page_without_coordinates_has_no_map(client):
    item = ItemFactory()
    item.places.add(PlaceFactory(name="Gdzieś"))
    html = fetch(client, "/pl/browse/places/")
    assert "Gdzieś" in html
    assert "<svg" not in html


def test_subjects_are_listed_with_counts_and_english_labels(client):
    churches = SubjectFactory(name="Kościoły", name_en="Churches")
    crafts = SubjectFactory(name="Rzemiosło", name_en="")
    for subject in (churches, crafts):
        ItemFactory().subjects.add(subject)
    ItemFactory(status=Status.DRAFT).subjects.add(SubjectFactory(name="Ukryty temat"))
    html = fetch(client, "/en/browse/subjects/")
    assert f'href="/en/search/?subject={churches.slug}">Churches</a>' in html
    assert f'href="/en/search/?subject={crafts.slug}" lang="pl">Rzemiosło</a>' in html
    assert "Ukryty temat" not in html


@pytest.mark.parametrize(
    "url",
    ["/pl/browse/types/", "/pl/browse/periods/", "/pl/browse/places/", "/pl/browse/subjects/"],
)
def test_browse_pages_run_a_bounded_number_of_queries(client, django_assert_max_num_queries, url):
    for n in range(30):
        item = ItemFactory(date=f"{1900 + n * 3}")
        item.places.add(PlaceFactory(latitude=f"51.{n:03d}", longitude="20.5"))
        item.subjects.add(SubjectFactory())
    with django_assert_max_num_queries(4):
        fetch(client, url)


def test_empty_archive_browse_pages_say_so(client):
    assert "Nothing has been published yet." in fetch(client, "/en/browse/types/")
    assert "No published item has a date yet." in fetch(client, "/en/browse/periods/")
    assert "No published item has a place yet." in fetch(client, "/en/browse/places/")
    assert "No published item has a subject yet." in fetch(client, "/en/browse/subjects/")


def test_main_navigation_marks_the_section_of_a_browse_page(client):
    html = fetch(client, "/en/browse/places/")
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    assert 'href="/en/browse/" aria-current="true"' in nav
    html = fetch(client, "/en/browse/")
    assert 'href="/en/browse/" aria-current="page"' in html
