"""Names made for a draft stay private (issue 15, 6).

A subject, place, person or collection that no published item uses (and a collection
without a published item in it or in a collection inside it) is on no public channel: the
API's vocabularies and collections, the home page, collection pages, browse pages, OAI-PMH
ListSets, sitemap.xml and search facets. Staff and archivists still see them.
"""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from lxml import etree
from rest_framework.test import APIClient

from archive.models import Agent, Item, Place, Status, Subject
from curation.models import Collection
from search.outbox import drain
from tests.factories import CollectionFactory, CollectionItemFactory, ItemFactory

pytestmark = pytest.mark.django_db

OAI_NS = {"oai": "http://www.openarchives.org/OAI/2.0/"}
DRAFT_NAMES = ["Tajny temat", "Tajne miejsce", "Tajna Osoba", "Tajna kolekcja"]


@pytest.fixture
def catalogue(tmp_path: Path):
    """An import of one published row and one draft row, each with names of its own, and
    a published item in a sub-collection of a collection that holds no item itself."""
    path = tmp_path / "katalog.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["identifier", "title", "item_type", "status"]
            + ["subjects", "places", "creators", "collections"]
        )
        writer.writerow(
            ["MOK-P-0001", "Rynek", "photograph", "published"]
            + ["Jawny temat", "Jawne miejsce", "Jawna Osoba", "Jawna kolekcja"]
        )
        writer.writerow(["MOK-P-0002", "Szkic", "document", "draft", *DRAFT_NAMES])
    call_command("import_catalogue", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Item.objects.count() == 2 and Subject.objects.count() == 2
    parent = CollectionFactory(title="Dzieje miasta", slug="dzieje-miasta")
    child = CollectionFactory(title="Kolej", slug="kolej", parent=parent)
    CollectionItemFactory(collection=child, item=ItemFactory(status=Status.PUBLISHED))
    # A draft-only collection inside a public one must not show up as its child either.
    CollectionFactory(title="Tajna podkolekcja", slug="tajna-podkolekcja", parent=parent)


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_named_querysets_keep_draft_names_private(catalogue):
    assert list(Subject.objects.public().values_list("name", flat=True)) == ["Jawny temat"]
    assert list(Place.objects.public().values_list("name", flat=True)) == ["Jawne miejsce"]
    assert list(Agent.objects.public().values_list("name", flat=True)) == ["Jawna Osoba"]
    assert set(Collection.objects.public().values_list("slug", flat=True)) == {
        "jawna-kolekcja",
        "dzieje-miasta",  # no item of its own, but a sub-collection with a published one
        "kolej",
    }


@pytest.mark.parametrize(
    "endpoint, public, private",
    [
        ("subjects", "jawny-temat", "tajny-temat"),
        ("places", "jawne-miejsce", "tajne-miejsce"),
        ("agents", "jawna-osoba", "tajna-osoba"),
        ("collections", "jawna-kolekcja", "tajna-kolekcja"),
        ("collections", "dzieje-miasta", "tajna-podkolekcja"),
    ],
)
def test_api_lists_and_finds_only_public_names(catalogue, archivist, endpoint, public, private):
    anon = APIClient()
    listed = [r["slug"] for r in anon.get(f"/api/v1/{endpoint}/?page_size=100").json()["results"]]
    assert public in listed and private not in listed
    assert anon.get(f"/api/v1/{endpoint}/{public}/").status_code == 200
    assert anon.get(f"/api/v1/{endpoint}/{private}/").status_code == 404
    staff = APIClient()
    staff.force_authenticate(archivist)
    assert staff.get(f"/api/v1/{endpoint}/{private}/").status_code == 200


def test_home_and_collection_pages_show_only_public_collections(client, catalogue):
    for url in ("/en/", "/en/collections/"):
        page = text(client.get(url))
        assert "Jawna kolekcja" in page and "Dzieje miasta" in page
        assert "Tajna kolekcja" not in page and "Tajna podkolekcja" not in page
    parent = text(client.get("/en/collections/dzieje-miasta/"))
    assert "Kolej" in parent and "Tajna podkolekcja" not in parent


def test_collection_of_drafts_only_is_404_for_visitors_and_open_to_staff(
    client, archivist, catalogue
):
    assert client.get("/en/collections/tajna-kolekcja/").status_code == 404
    assert client.get("/en/collections/tajna-podkolekcja/").status_code == 404
    staff = Client()
    staff.force_login(archivist)
    assert staff.get("/en/collections/tajna-kolekcja/").status_code == 200


def test_browse_pages_list_only_names_of_published_items(client, catalogue):
    assert "Tajne miejsce" not in text(client.get("/en/browse/places/"))
    assert "Tajny temat" not in text(client.get("/en/browse/subjects/"))
    assert "Jawny temat" in text(client.get("/en/browse/subjects/"))


def test_oai_list_sets_names_only_public_collections(client, catalogue, settings):
    settings.KRONIKA_OAI_REPOSITORY_ID = "kronika.example.org"
    root = etree.fromstring(client.get("/oai/", {"verb": "ListSets"}).content)
    specs = {e.text for e in root.iterfind(".//oai:set/oai:setSpec", OAI_NS)}
    assert specs == {"jawna-kolekcja", "dzieje-miasta", "dzieje-miasta:kolej"}


def test_sitemap_lists_only_public_collections(client, catalogue):
    sitemap = text(client.get("/sitemap.xml"))
    assert "/collections/jawna-kolekcja/" in sitemap
    assert "/collections/dzieje-miasta/" in sitemap
    assert "tajna-kolekcja" not in sitemap and "tajna-podkolekcja" not in sitemap


def test_search_facets_name_only_public_records(client, catalogue):
    drain()
    facets = APIClient().get("/api/v1/search/").json()["facets"]
    values = {entry["value"] for facet in facets.values() for entry in facet}
    assert "jawny-temat" in values
    assert not values & {"tajny-temat", "tajne-miejsce", "tajna-kolekcja"}
