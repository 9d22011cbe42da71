"""Every writable resource honours If-Match on PUT, PATCH and DELETE (docs/api.md, "Writing
safely"): a write based on a version someone else has replaced since is a 412 in the one
error shape and changes nothing; a write with the current ETag, with `*`, or without
If-Match (older clients) goes through."""

import pytest

from curation.models import Lesson, Story
from media.models import MediaFile


@pytest.fixture
def records(catalogue):
    lesson = Lesson.objects.create(title="Wojna", slug="wojna")
    story = Story.objects.create(title="Herb", slug="herb")
    media = MediaFile.objects.get(item=catalogue["kosciol"])
    # (detail address, a PATCH body, the field it changes, how to read that field now)
    return {
        "items": ("/api/v1/items/MOK-F-0001/", "title_en", lambda: catalogue["kosciol"]),
        "media": (f"/api/v1/media/{media.pk}/", "caption", lambda: media),
        "collections": (
            "/api/v1/collections/stare-fotografie/",
            "title_en",
            lambda: catalogue["collection"],
        ),
        "lessons": ("/api/v1/lessons/wojna/", "title_en", lambda: lesson),
        "stories": ("/api/v1/stories/herb/", "title_en", lambda: story),
    }


RESOURCES = ["items", "media", "collections", "lessons", "stories"]


def current(record):
    obj = record()
    obj.refresh_from_db()
    return obj


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_write_on_a_stale_etag_is_412_and_changes_nothing(
    archivist_api, records, resource, method
):
    url, field, record = records[resource]
    stale = archivist_api.get(url)["ETag"]
    # Meanwhile a colleague changes the record through the API.
    assert archivist_api.patch(url, {field: "Kolega"}, format="json").status_code == 200

    write = getattr(archivist_api, method)
    body = {} if method == "delete" else {field: "Moja zmiana"}
    response = write(url, body, format="json", HTTP_IF_MATCH=stale)

    assert response.status_code == 412, response.content
    assert response.json()["detail"]
    assert getattr(current(record), field) == "Kolega"


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_write_on_the_current_etag_goes_through_with_a_new_etag(archivist_api, records, resource):
    url, field, record = records[resource]
    etag = archivist_api.get(url)["ETag"]

    response = archivist_api.patch(url, {field: "Nowe"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200, response.content
    assert response["ETag"] != etag
    assert response["ETag"] == archivist_api.get(url)["ETag"]  # read after write, as GET
    assert getattr(current(record), field) == "Nowe"


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("if_match", [None, "*"])
def test_without_if_match_or_with_a_star_the_write_is_accepted(
    archivist_api, records, resource, if_match
):
    """If-Match is optional: clients written before it keep working."""
    url, field, record = records[resource]
    headers = {"HTTP_IF_MATCH": if_match} if if_match else {}
    response = archivist_api.patch(url, {field: "Bez warunku"}, format="json", **headers)
    assert response.status_code == 200, response.content
    assert getattr(current(record), field) == "Bez warunku"


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_delete_on_the_current_etag_deletes(archivist_api, records, resource):
    url, _, record = records[resource]
    etag = archivist_api.get(url)["ETag"]
    response = archivist_api.delete(url, HTTP_IF_MATCH=etag)
    assert response.status_code == 204, response.content
    assert archivist_api.get(url).status_code == 404
    assert not type(record()).objects.filter(pk=record().pk).exists()
