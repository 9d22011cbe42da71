"""The map picker in the admin's place form: its scripts and settings; the coordinates stay
ordinary fields that can be typed and saved without the map."""

import html
import json
import re

import pytest
from django.urls import reverse

from archive.models import Place
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db


def _picker(page: str) -> dict:
    assert 'id="id_latitude"' in page
    attribute = re.search(r'data-map-picker="([^"]*)"', page)
    assert attribute, "no map picker on the latitude field"
    return json.loads(html.unescape(attribute.group(1)))


def test_place_form_has_the_picker_centred_on_the_located_places(archivist_client):
    PlaceFactory(latitude="52.0", longitude="20.0")
    PlaceFactory(latitude="51.0", longitude="21.0")
    page = archivist_client.get(reverse("admin:archive_place_add")).content.decode()
    picker = _picker(page)
    assert picker["center"] == [51.5, 20.5]
    assert picker["tiles"]["url"].startswith("https://")
    assert "vendor/leaflet/leaflet.js" in page and "js/map-picker.js" in page


def test_without_located_places_the_picker_opens_on_the_country(archivist_client):
    page = archivist_client.get(reverse("admin:archive_place_add")).content.decode()
    assert _picker(page)["center"] == [52.0, 19.4]


def test_coordinates_can_still_be_typed_and_saved(archivist_client):
    place = PlaceFactory(name="Wręcza", slug="wrecza")
    response = archivist_client.post(
        reverse("admin:archive_place_change", args=[place.pk]),
        {
            "name": "Wręcza",
            "name_en": "",
            "slug": "wrecza",
            "latitude": "51.95",
            "longitude": "20.55",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    place = Place.objects.get(pk=place.pk)
    assert (str(place.latitude), str(place.longitude)) == ("51.950000", "20.550000")
