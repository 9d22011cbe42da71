"""IIIF Presentation 3 manifests: valid, sized, bilingual, licensed, and private for drafts."""

import iiif_prezi3
import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from archive.models import Licence, Status
from tests.factories import (
    CollectionFactory,
    CollectionItemFactory,
    ItemFactory,
    MediaFileFactory,
    SubjectFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db

CONTENT_TYPE = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


def image(width: int, height: int, **fields):
    return {"file": ContentFile(image_bytes(width, height), name="skan.jpg"), **fields}


def manifest_path(identifier: str) -> str:
    return reverse("interop:iiif-manifest", kwargs={"identifier": identifier})


@pytest.fixture
def item():
    item = ItemFactory(
        identifier="MOK-F-0007",
        title="Rynek w Mszczonowie",
        title_en="Market square in Mszczonów",
        description="Rynek *w dzień targowy*.",
        description_en="The square on a market day.",
        date="1935",
        rights_holder="Mszczonowski Ośrodek Kultury",
        licence=Licence.objects.get(code="InC"),
    )
    item.subjects.add(SubjectFactory(name="Handel", name_en="Trade"))
    CollectionItemFactory(item=item, collection=CollectionFactory(title="Rynek"))
    MediaFileFactory(item=item, order=1, **image(900, 600, alt_text="Rynek z lotu ptaka",
                                                 alt_text_en="The square from above"))  # fmt: skip
    MediaFileFactory(item=item, order=2, **image(400, 700, alt_text="Kamienica narożna",
                                                 alt_text_en="A corner house"))  # fmt: skip
    return item


def get_manifest(client, identifier: str) -> dict:
    response = client.get(manifest_path(identifier))
    assert response.status_code == 200, response.content
    return response.json()


def test_manifest_url_and_headers(client, item):
    assert manifest_path(item.identifier) == "/iiif/MOK-F-0007/manifest.json"
    response = client.get(manifest_path(item.identifier))
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert data["id"] == "http://testserver/iiif/MOK-F-0007/manifest.json"
    assert data["type"] == "Manifest"


def test_manifest_loads_back_through_iiif_prezi3(client, item):
    data = get_manifest(client, item.identifier)
    manifest = iiif_prezi3.Manifest(**data)
    assert len(manifest.items) == 2
    assert manifest.items[0].type == "Canvas"


def test_canvases_are_sized_from_the_images_and_labelled_with_alt_text(client, item):
    data = get_manifest(client, item.identifier)
    canvases = data["items"]
    assert [(c["width"], c["height"]) for c in canvases] == [(900, 600), (400, 700)]
    assert canvases[0]["label"] == {"pl": ["Rynek z lotu ptaka"], "en": ["The square from above"]}
    annotation = canvases[0]["items"][0]["items"][0]
    assert annotation["motivation"] == "painting"
    assert annotation["target"] == canvases[0]["id"]
    body = annotation["body"]
    assert body["type"] == "Image"
    assert body["format"] == "image/jpeg"
    # In Copyright: the body is the largest public JPEG rendition, never the original.
    assert "/originals/" not in body["id"]
    assert body["width"] <= 900
    assert body["height"] == round(600 * body["width"] / 900)


def test_labels_summary_and_metadata_in_both_languages(client, item):
    data = get_manifest(client, item.identifier)
    assert data["label"] == {"pl": ["Rynek w Mszczonowie"], "en": ["Market square in Mszczonów"]}
    assert data["summary"] == {
        "pl": ["Rynek w dzień targowy."],
        "en": ["The square on a market day."],
    }
    for entry in data["metadata"]:
        assert set(entry["label"]) == {"pl", "en"}
    values = {entry["label"]["en"][0]: entry["value"] for entry in data["metadata"]}
    assert values["Identifier"] == {"none": ["MOK-F-0007"]}
    assert values["Subjects"] == {"pl": ["Handel"], "en": ["Trade"]}
    assert values["Date"] == {"none": ["1935"]}
    assert values["Collections"]["pl"] == ["Rynek"]
    assert {h["language"][0]: h["id"] for h in data["homepage"]} == {
        "pl": "http://testserver/pl/items/MOK-F-0007/",
        "en": "http://testserver/en/items/MOK-F-0007/",
    }


@pytest.mark.parametrize(
    ("code", "rights"),
    [
        ("InC", "http://rightsstatements.org/vocab/InC/1.0/"),
        ("PDM", "http://creativecommons.org/publicdomain/mark/1.0/"),
        ("CC-BY-4.0", "http://creativecommons.org/licenses/by/4.0/"),
        ("CC0-1.0", "http://creativecommons.org/publicdomain/zero/1.0/"),
    ],
)
def test_rights_is_the_licence_url_in_iiif_form(client, item, code, rights):
    item.licence = Licence.objects.get(code=code)
    item.save()
    data = get_manifest(client, item.identifier)
    assert data["rights"] == rights


def test_required_statement_credits_the_rights_holder(client, item):
    data = get_manifest(client, item.identifier)
    statement = data["requiredStatement"]
    assert set(statement["label"]) == {"pl", "en"}
    assert statement["value"] == {"none": ["Mszczonowski Ośrodek Kultury"]}


def test_thumbnail_is_a_small_jpeg(client, item):
    data = get_manifest(client, item.identifier)
    (thumbnail,) = data["thumbnail"]
    assert thumbnail["type"] == "Image"
    assert thumbnail["format"] == "image/jpeg"
    assert thumbnail["width"] <= data["items"][0]["items"][0]["items"][0]["body"]["width"]


def test_large_image_carries_an_image_service(client, settings):
    settings.KRONIKA_ZOOM_MIN_SIDE = 500
    item = ItemFactory(identifier="MOK-M-0001")
    media = MediaFileFactory(item=item, **image(1200, 800))
    data = get_manifest(client, item.identifier)
    body = data["items"][0]["items"][0]["items"][0]["body"]
    (service,) = body["service"]
    assert service["type"] == "ImageService3"
    assert service["profile"] == "level2"
    assert service["id"].endswith(f"/iiif/image/{media.checksum}")
    iiif_prezi3.Manifest(**data)


def test_draft_manifest_is_hidden_from_the_public_but_not_from_staff(archivist_client):
    draft = ItemFactory(identifier="MOK-D-0001", status=Status.DRAFT)
    MediaFileFactory(item=draft)
    response = Client().get(manifest_path(draft.identifier))
    assert response.status_code == 404
    assert "detail" in response.json()
    response = archivist_client.get(manifest_path(draft.identifier))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_item_without_images_has_no_manifest(client):
    item = ItemFactory(identifier="MOK-T-0001")
    response = client.get(manifest_path(item.identifier), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "This item has no images, so it has no IIIF manifest."}
    assert client.get(manifest_path("NIE-MA-0001")).status_code == 404


def test_manifest_query_count_does_not_grow_with_images(
    client, item, django_assert_max_num_queries
):
    for n in range(5):
        MediaFileFactory(item=item, order=10 + n, **image(300, 200))
    with django_assert_max_num_queries(8):
        data = get_manifest(client, item.identifier)
    assert len(data["items"]) == 7
