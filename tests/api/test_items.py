"""Reading items: lists, filters, ordering, detail shape, drafts, caching, query counts."""

import pytest

from archive.models import Status
from tests.factories import ItemFactory, MediaFileFactory

DETAIL_FIELDS = {
    "identifier", "url", "title", "title_en", "item_type", "date", "date_start", "date_end",
    "description", "description_en", "subjects", "places", "creators", "collections",
    "licence", "rights_holder", "source", "media", "iiif_manifest", "created", "modified",
}  # fmt: skip


def identifiers(response):
    assert response.status_code == 200, response.content
    return [row["identifier"] for row in response.json()["results"]]


def test_list_is_paginated_published_items_by_title(anon, catalogue):
    body = anon.get("/api/v1/items/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert [r["identifier"] for r in body["results"]] == ["MOK-D-0003", "MOK-F-0001", "MOK-M-0002"]
    image = body["results"][1]["image"]
    assert image["alt_text"] == "Kościół od strony rynku"
    assert image["url"].startswith("http://testserver/") and image["url"].endswith(".jpg")
    assert body["results"][0]["image"] is None


def test_detail_has_the_contract_fields(anon, catalogue):
    body = anon.get("/api/v1/items/MOK-F-0001/").json()
    assert set(body) >= DETAIL_FIELDS
    assert body["url"] == "http://testserver/pl/items/MOK-F-0001/"
    assert (body["date"], body["date_start"], body["date_end"]) == ("1920~", 1919, 1921)
    assert body["subjects"] == [{"slug": "koscioly", "name": "Kościoły", "name_en": ""}]
    assert body["places"][0]["slug"] == "mszczonow"
    assert body["creators"][0]["slug"] == "jan-kowalski"
    assert body["creators"][0]["role"] == "photographer"
    assert body["collections"] == [
        {"slug": "stare-fotografie", "title": "Stare fotografie", "title_en": ""}
    ]
    assert body["licence"] == "CC-BY-4.0"
    media = body["media"][0]
    assert {"url", "width", "height", "alt_text", "alt_text_en", "derivatives"} <= set(media)
    assert (media["width"], media["height"]) == (64, 48)
    assert media["alt_text"] == "Kościół od strony rynku"
    assert media["url"].startswith("http://testserver/")
    assert body["iiif_manifest"].endswith("/iiif/MOK-F-0001/manifest.json")


def test_item_without_images_has_no_manifest(anon, catalogue):
    assert anon.get("/api/v1/items/MOK-M-0002/").json()["iiif_manifest"] is None


def test_original_is_not_linked_when_the_licence_forbids_download(anon, catalogue):
    # InC (the default) does not allow downloading originals.
    item = ItemFactory(identifier="MOK-F-0005")
    MediaFileFactory(item=item, alt_text="Obraz")
    media = anon.get("/api/v1/items/MOK-F-0005/").json()["media"][0]
    assert "/originals/" not in (media["url"] or "")


def test_detail_carries_schema_org(anon, catalogue):
    data = anon.get("/api/v1/items/MOK-F-0001/").json()["schema_org"]
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Photograph"
    assert data["name"] == "Kościół św. Jana"
    assert data["identifier"] == "MOK-F-0001"
    assert data["creator"] == [{"@type": "Person", "name": "Jan Kowalski"}]
    assert data["contentLocation"][0]["geo"]["latitude"] == pytest.approx(51.97)
    assert data["image"][0]["description"] == "Kościół od strony rynku"
    assert data["license"].startswith("https://creativecommons.org/licenses/by/4.0")
    assert data["description"] == "Widok kościoła od rynku."  # Markdown removed


def test_unknown_identifier_is_a_json_404(anon, catalogue):
    for identifier in ["NIE-MA", "a b", "ż", "x" * 300]:
        response = anon.get(f"/api/v1/items/{identifier}/")
        assert response.status_code == 404
        assert response.json()["detail"]


# --- drafts ----------------------------------------------------------------------------------


def test_anonymous_never_sees_drafts(anon, catalogue):
    assert "MOK-X-0099" not in identifiers(anon.get("/api/v1/items/"))
    assert anon.get("/api/v1/items/MOK-X-0099/").status_code == 404
    for params in [
        {"status": "draft"},
        {"item_type": "map"},
        {"subject": "koscioly"},
        {"place": "mszczonow"},
        {"collection": "stare-fotografie"},
        {"date_from": 1930, "date_to": 1930},
        {"ordering": "-date"},
    ]:
        assert "MOK-X-0099" not in identifiers(anon.get("/api/v1/items/", params)), params
    collection = anon.get("/api/v1/collections/stare-fotografie/").json()
    assert collection["item_count"] == 1
    assert anon.get("/api/v1/media/", {"item": "MOK-X-0099"}).json()["count"] == 0


def test_draft_cover_item_is_hidden_from_the_public(anon, staff_api, catalogue):
    collection = catalogue["collection"]
    collection.cover_item = catalogue["draft"]
    collection.save()
    assert anon.get("/api/v1/collections/stare-fotografie/").json()["cover_item"] is None
    assert (
        staff_api.get("/api/v1/collections/stare-fotografie/").json()["cover_item"] == "MOK-X-0099"
    )


@pytest.mark.parametrize("who", ["staff_api", "archivist_api"])
def test_staff_and_archivists_see_drafts(request, catalogue, who):
    client = request.getfixturevalue(who)
    assert "MOK-X-0099" in identifiers(client.get("/api/v1/items/"))
    assert identifiers(client.get("/api/v1/items/", {"status": "draft"})) == ["MOK-X-0099"]
    detail = client.get("/api/v1/items/MOK-X-0099/")
    assert detail.status_code == 200
    assert detail.json()["status"] == "draft"
    assert "private" in detail["Cache-Control"]


# --- filters and ordering --------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"item_type": "map"}, ["MOK-M-0002"]),
        ({"item_type": ["map", "document"]}, ["MOK-D-0003", "MOK-M-0002"]),
        ({"collection": "stare-fotografie"}, ["MOK-F-0001"]),
        ({"subject": "koscioly"}, ["MOK-F-0001"]),
        ({"place": "mszczonow"}, ["MOK-F-0001", "MOK-M-0002"]),
        ({"licence": "CC-BY-4.0"}, ["MOK-F-0001"]),
        ({"licence": ["CC-BY-4.0", "InC"]}, ["MOK-D-0003", "MOK-F-0001", "MOK-M-0002"]),
        ({"has_media": "true"}, ["MOK-F-0001"]),
        ({"has_media": "false"}, ["MOK-D-0003", "MOK-M-0002"]),
        ({"date_from": 1921}, ["MOK-F-0001", "MOK-M-0002"]),
        ({"date_from": 1922}, ["MOK-M-0002"]),
        ({"date_to": 1919}, ["MOK-F-0001"]),
        ({"date_to": 1918}, []),
        ({"date_from": 1944, "date_to": 1950}, ["MOK-M-0002"]),
        ({"date_from": 1900, "date_to": 2000}, ["MOK-F-0001", "MOK-M-0002"]),
        ({"place": "mszczonow", "item_type": "map"}, ["MOK-M-0002"]),
    ],
)
def test_filters(anon, catalogue, params, expected):
    assert identifiers(anon.get("/api/v1/items/", params)) == expected


@pytest.mark.parametrize(
    "ordering, expected",
    [
        ("title", ["MOK-D-0003", "MOK-F-0001", "MOK-M-0002"]),
        ("date", ["MOK-F-0001", "MOK-M-0002", "MOK-D-0003"]),
        ("-date", ["MOK-M-0002", "MOK-F-0001", "MOK-D-0003"]),
        ("created", ["MOK-F-0001", "MOK-M-0002", "MOK-D-0003"]),
    ],
)
def test_ordering(anon, catalogue, ordering, expected):
    assert identifiers(anon.get("/api/v1/items/", {"ordering": ordering})) == expected


@pytest.mark.parametrize(
    "params, field",
    [
        ({"date_from": "abc"}, "date_from"),
        ({"date_to": "1.5"}, "date_to"),
        ({"date_from": "99999"}, "date_from"),
        ({"item_type": "nonsense"}, "item_type"),
        ({"collection": "nie-ma-takiej"}, "collection"),
        ({"subject": "nie-ma"}, "subject"),
        ({"place": "nie-ma"}, "place"),
        ({"licence": "GPL"}, "licence"),
        ({"has_media": "banana"}, "has_media"),
        ({"ordering": "popularity"}, "ordering"),
        ({"status": "secret"}, "status"),
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page_size": "abc"}, "page_size"),
    ],
)
def test_bad_filter_values_are_400_naming_the_parameter(anon, catalogue, params, field):
    response = anon.get("/api/v1/items/", params)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"] and body["parameter"] == field
    assert body["detail"].startswith(f"{field}: ")


def test_pagination(anon, db):
    for n in range(25):
        ItemFactory(identifier=f"P-{n:03d}", title=f"Pozycja {n:03d}")
    first = anon.get("/api/v1/items/").json()
    assert first["count"] == 25 and len(first["results"]) == 20
    second = anon.get(first["next"]).json()
    assert [r["identifier"] for r in second["results"]] == [f"P-{n:03d}" for n in range(20, 25)]
    assert len(anon.get("/api/v1/items/", {"page_size": 1000}).json()["results"]) == 25
    past = anon.get("/api/v1/items/", {"page": 3}, HTTP_ACCEPT_LANGUAGE="en")
    assert past.status_code == 404 and "past the last page" in past.json()["detail"]


# --- conditional GET -------------------------------------------------------------------------


def test_detail_etag_and_304(anon, archivist_api, catalogue):
    response = anon.get("/api/v1/items/MOK-F-0001/")
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert etag and last_modified
    again = anon.get("/api/v1/items/MOK-F-0001/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    since = anon.get("/api/v1/items/MOK-F-0001/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert since.status_code == 304
    archivist_api.patch("/api/v1/items/MOK-F-0001/", {"title": "Nowy tytuł"}, format="json")
    changed = anon.get("/api/v1/items/MOK-F-0001/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["title"] == "Nowy tytuł" and changed["ETag"] != etag


def test_alt_text_change_changes_the_etag(anon, archivist_api, catalogue):
    etag = anon.get("/api/v1/items/MOK-F-0001/")["ETag"]
    media_id = catalogue["kosciol"].media_files.get().pk
    archivist_api.patch(f"/api/v1/media/{media_id}/", {"alt_text": "Inny opis"}, format="json")
    response = anon.get("/api/v1/items/MOK-F-0001/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["media"][0]["alt_text"] == "Inny opis"


# --- query counts ----------------------------------------------------------------------------


def _grow(n: int, catalogue) -> None:
    for i in range(n):
        item = ItemFactory(identifier=f"Q-{i:03d}", title=f"Zapytanie {i:03d}")
        item.subjects.add(catalogue["subject"])
        item.places.add(catalogue["place"])
        MediaFileFactory(item=item, alt_text=f"Obraz {i}")


@pytest.mark.parametrize("size", [2, 15])
def test_list_query_count_does_not_grow(anon, catalogue, django_assert_max_num_queries, size):
    _grow(size, catalogue)
    with django_assert_max_num_queries(4):
        response = anon.get("/api/v1/items/", {"subject": "koscioly", "has_media": "true"})
    assert response.json()["count"] == size + 1


@pytest.mark.parametrize("size", [1, 10])
def test_detail_query_count_is_constant(
    archivist_api, catalogue, django_assert_max_num_queries, size
):
    item = catalogue["kosciol"]
    for i in range(size):
        MediaFileFactory(item=item, alt_text=f"Obraz {i}")
        item.subjects.add(catalogue["subject"].__class__.objects.create(name=f"T{i}", slug=f"t{i}"))
    with django_assert_max_num_queries(9):
        response = archivist_api.get("/api/v1/items/MOK-F-0001/")
    assert len(response.json()["media"]) == size + 1


def test_collection_list_query_count(anon, catalogue, django_assert_max_num_queries):
    from tests.factories import CollectionFactory, CollectionItemFactory

    for _i in range(10):
        collection = CollectionFactory(cover_item=catalogue["kosciol"])
        CollectionItemFactory(collection=collection, item=catalogue["kosciol"])
    # +1: which collections are public (hold a published item), asked once.
    with django_assert_max_num_queries(4):
        assert anon.get("/api/v1/collections/").json()["count"] == 11


def test_draft_status_is_stored(catalogue):
    assert catalogue["draft"].status == Status.DRAFT


def test_a_reversed_year_range_is_read_the_right_way_round(anon, db):
    """`date_from=1945&date_to=1939` answers as 1939–1945 (as search does), not with only
    the items whose dates span both years."""
    ItemFactory(identifier="MOK-F-0101", date="1939/1945", status=Status.PUBLISHED)
    ItemFactory(identifier="MOK-F-0102", date="1941", status=Status.PUBLISHED)
    ItemFactory(identifier="MOK-F-0103", date="1950", status=Status.PUBLISHED)
    right = identifiers(anon.get("/api/v1/items/", {"date_from": 1939, "date_to": 1945}))
    reversed_range = anon.get("/api/v1/items/", {"date_from": 1945, "date_to": 1939})
    assert sorted(right) == ["MOK-F-0101", "MOK-F-0102"]
    assert identifiers(reversed_range) == right
