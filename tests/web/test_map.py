"""The interactive map of places: the data a page hands Leaflet, tiles and the CSP, the
small map on item pages, and the text list that stays the equivalent of the map."""

import json
import re

import pytest
from django.conf import settings

from archive.models import Status
from config.settings import _tile_origin
from tests.factories import ItemFactory, PlaceFactory
from tests.web.conftest import fetch

pytestmark = pytest.mark.django_db


def _item_in(*places, **fields):
    item = ItemFactory(**fields)
    item.places.set(places)
    return item


def _json_block(html: str, element_id: str):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert match, element_id
    return json.loads(match.group(1))


def test_map_page_hands_leaflet_the_located_places_with_published_counts_and_links(client):
    town = PlaceFactory(name="Mszczonów", latitude="51.978573", longitude="20.526587")
    village = PlaceFactory(name="Osuchów", latitude="51.897778", longitude="20.587222")
    unlocated = PlaceFactory(name="Wręcza")
    _item_in(town)
    _item_in(town)
    _item_in(village)
    _item_in(village, status=Status.DRAFT)  # a draft counts nowhere
    _item_in(unlocated)
    html = fetch(client, "/en/browse/places/")
    markers = {marker["name"]: marker for marker in _json_block(html, "map-markers")}
    assert set(markers) == {"Mszczonów", "Osuchów"}  # Wręcza has no coordinates
    assert markers["Mszczonów"]["count"] == 2 and markers["Mszczonów"]["count_label"] == "2 items"
    assert markers["Osuchów"]["count"] == 1
    assert markers["Osuchów"]["url"] == f"/en/search/?place={village.slug}"
    assert markers["Osuchów"]["lat"] == pytest.approx(51.897778)
    # The list of places stays: every place, also the one the map cannot show.
    for name in ("Mszczonów", "Osuchów", "Wręcza"):
        assert f">{name}</a>" in html
    assert 'src="/static/vendor/leaflet/leaflet.js"' in html
    assert 'src="/static/vendor/leaflet.markercluster/leaflet.markercluster.js"' in html


def test_a_place_used_only_by_drafts_is_not_on_the_map(client):
    hidden = PlaceFactory(name="Tajne", latitude="52.0", longitude="20.0")
    _item_in(hidden, status=Status.DRAFT)
    shown = PlaceFactory(name="Jawne", latitude="52.1", longitude="20.1")
    _item_in(shown)
    html = fetch(client, "/en/browse/places/")
    assert [marker["name"] for marker in _json_block(html, "map-markers")] == ["Jawne"]
    assert "Tajne" not in html


def test_map_tiles_and_attribution_come_from_the_settings(client, settings):
    settings.KRONIKA_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.KRONIKA_MAP_ATTRIBUTION = "© Example <maps>"
    _item_in(PlaceFactory(latitude="52.0", longitude="20.0"))
    html = fetch(client, "/pl/browse/places/")
    tiles = _json_block(html, "map-tiles")
    assert tiles["url"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert tiles["attribution"] == "© Example <maps>"  # text, escaped by the script
    assert "<maps>" not in html  # json_script escapes it in the page


def test_the_csp_lets_in_images_from_the_tile_server_and_no_other():
    img_src = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    origin = _tile_origin(settings.KRONIKA_MAP_TILE_URL)
    assert origin in img_src
    assert [source for source in img_src if source.startswith("http")] == [
        *settings.KRONIKA_CSP_MEDIA_ORIGINS,
        origin,
    ]
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] == ["'self'"]


def test_the_csp_header_names_the_tile_host(client):
    response = client.get("/pl/browse/places/")
    assert "https://tile.openstreetmap.org" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png", "http://127.0.0.1:8080"),
        ("", None),
        ("javascript:alert(1)", None),
    ],
)
def test_the_tile_origin_is_read_from_the_url_template(url, origin):
    assert _tile_origin(url) == origin


def test_item_page_with_a_located_place_shows_a_small_map(client):
    place = PlaceFactory(name="Osuchów", latitude="51.897778", longitude="20.587222")
    item = _item_in(place, PlaceFactory(name="Wręcza"))
    html = fetch(client, f"/en/items/{item.identifier}/")
    assert 'id="item-map-heading"' in html
    markers = _json_block(html, "map-markers")
    assert [marker["name"] for marker in markers] == ["Osuchów"]
    assert markers[0]["url"] == f"/en/search/?place={place.slug}"
    assert 'href="/static/vendor/leaflet/leaflet.css"' in html


def test_item_page_without_a_located_place_has_no_map(client):
    item = _item_in(PlaceFactory(name="Wręcza"))
    html = fetch(client, f"/en/items/{item.identifier}/")
    assert "item-map" not in html
    assert "leaflet" not in html


def test_every_vendored_map_file_is_there_without_source_map_comments():
    vendor = settings.BASE_DIR / "static" / "vendor"
    for path in (
        "leaflet/leaflet.js",
        "leaflet/leaflet.css",
        "leaflet/LICENSE",
        "leaflet.markercluster/leaflet.markercluster.js",
        "leaflet.markercluster/MarkerCluster.css",
        "leaflet.markercluster/MarkerCluster.Default.css",
        "leaflet.markercluster/MIT-LICENCE.txt",
    ):
        text = (vendor / path).read_text()
        assert "sourceMappingURL" not in text, path
    # The stylesheet's images are vendored too (collectstatic follows its url()s).
    stylesheet = (vendor / "leaflet/leaflet.css").read_text()
    for name in re.findall(r"url\(images/([\w-]+\.png)\)", stylesheet):
        assert (vendor / "leaflet" / "images" / name).exists(), name
