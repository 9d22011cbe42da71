"""Archivists change the catalogue; bad input is a 4xx with field errors and writes nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import Item, ItemCreator, Status
from curation.models import Collection, CollectionItem
from media.models import MediaFile
from tests.factories import MediaFileFactory, image_bytes


def snapshot():
    """Everything an API write could touch, to prove a refused request changed nothing."""
    return (
        sorted(Item.objects.values_list(
            "identifier", "title", "item_type", "date", "status", "licence__code",
            "description", "modified",
        )),
        sorted(Item.subjects.through.objects.values_list("item_id", "subject_id")),
        sorted(Item.places.through.objects.values_list("item_id", "place_id")),
        sorted(ItemCreator.objects.values_list("item_id", "agent_id", "role")),
        sorted(CollectionItem.objects.values_list("collection_id", "item_id")),
        sorted(MediaFile.objects.values_list("pk", "item_id", "alt_text", "alt_text_en", "file")),
        sorted(Collection.objects.values_list("slug", "title", "parent_id", "cover_item_id")),
    )  # fmt: skip


NEW_ITEM = {
    "identifier": "MOK-A-0200",
    "title": "Dzwon kościelny",
    "title_en": "Church bell",
    "item_type": "artifact",
    "date": "18XX",
    "description": "Dzwon z **XIX** wieku.",
    "licence": "CC0-1.0",
    "subjects": ["Kościoły"],
    "places": ["mszczonow"],
    "creators": [{"agent": "Jan Kowalski", "role": "author"}],
    "collections": ["stare-fotografie"],
    "status": "published",
}


def test_archivist_creates_an_item_with_relations(archivist_api, catalogue):
    response = archivist_api.post("/api/v1/items/", NEW_ITEM, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["date_start"], body["date_end"]) == (1800, 1899)
    assert response["Location"] == body["url"]
    item = Item.objects.get(identifier="MOK-A-0200")
    assert item.status == Status.PUBLISHED and item.published_at is not None
    assert item.licence.code == "CC0-1.0"
    assert [s.slug for s in item.subjects.all()] == ["koscioly"]
    assert [p.slug for p in item.places.all()] == ["mszczonow"]
    assert [(c.agent.slug, c.role) for c in item.item_creators.all()] == [
        ("jan-kowalski", "author")
    ]
    assert [c.slug for c in item.collections.all()] == ["stare-fotografie"]


def test_new_item_defaults_to_a_draft_in_copyright(archivist_api, anon, catalogue):
    response = archivist_api.post(
        "/api/v1/items/",
        {"identifier": "MOK-A-0201", "title": "Szkic", "item_type": "artifact"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "draft" and response.json()["licence"] == "InC"
    assert anon.get("/api/v1/items/MOK-A-0201/").status_code == 404


def test_put_replaces_and_patch_changes_only_what_is_sent(archivist_api, catalogue):
    response = archivist_api.patch(
        "/api/v1/items/MOK-F-0001/", {"title_en": "Church of St John"}, format="json"
    )
    assert response.status_code == 200
    item = Item.objects.get(identifier="MOK-F-0001")
    assert item.title_en == "Church of St John" and item.subjects.count() == 1
    response = archivist_api.put(
        "/api/v1/items/MOK-F-0001/",
        {"identifier": "MOK-F-0001", "title": "Kościół", "item_type": "monument", "subjects": []},
        format="json",
    )
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert (item.title, item.item_type) == ("Kościół", "monument")
    assert item.subjects.count() == 0
    assert response.json()["schema_org"]["@type"] == "LandmarksOrHistoricalBuildings"


def test_delete_removes_the_item_and_its_media(archivist_api, catalogue):
    assert archivist_api.delete("/api/v1/items/MOK-F-0001/").status_code == 204
    assert not Item.objects.filter(identifier="MOK-F-0001").exists()
    assert not MediaFile.objects.exists()
    assert archivist_api.delete("/api/v1/items/MOK-F-0001/").status_code == 404


def test_publishing_an_item_with_an_image_without_alt_text_is_refused(archivist_api, catalogue):
    draft = catalogue["draft"]
    MediaFileFactory(item=draft, alt_text="")
    before = snapshot()
    response = archivist_api.patch(
        "/api/v1/items/MOK-X-0099/", {"status": "published"}, format="json"
    )
    assert response.status_code == 400
    assert "status" in response.json()["errors"]
    assert "alt" in " ".join(response.json()["errors"]["status"]).lower()
    assert snapshot() == before
    assert Item.objects.get(identifier="MOK-X-0099").status == Status.DRAFT


def test_removing_alt_text_from_a_published_image_is_refused(archivist_api, catalogue):
    media = catalogue["kosciol"].media_files.get()
    before = snapshot()
    response = archivist_api.patch(f"/api/v1/media/{media.pk}/", {"alt_text": "  "}, format="json")
    assert response.status_code == 400
    assert "alt_text" in response.json()["errors"]
    assert snapshot() == before


BAD_ITEMS = [
    ({**NEW_ITEM, "title": 123456}, None),
    ({**NEW_ITEM, "title": ["lista"]}, "title"),
    ({**NEW_ITEM, "item_type": "spaceship"}, "item_type"),
    ({**NEW_ITEM, "date": "wczoraj"}, "date"),
    ({**NEW_ITEM, "date": "1945/1939"}, "date"),
    ({**NEW_ITEM, "licence": "GPL-3.0"}, "licence"),
    ({**NEW_ITEM, "licence": 5}, "licence"),
    ({**NEW_ITEM, "title": "x" * 501}, "title"),
    ({**NEW_ITEM, "identifier": "x" * 65}, "identifier"),
    ({**NEW_ITEM, "identifier": "ze spacjami"}, "identifier"),
    ({**NEW_ITEM, "identifier": "MOK-F-0001"}, "identifier"),
    ({**NEW_ITEM, "description": "x" * 100_001}, "description"),
    ({**NEW_ITEM, "subjects": ["Nieznany temat"]}, "subjects"),
    ({**NEW_ITEM, "subjects": "Kościoły"}, "subjects"),
    ({**NEW_ITEM, "places": [{"slug": "mszczonow"}]}, "places"),
    ({**NEW_ITEM, "creators": [{"agent": "Ktoś obcy"}]}, "creators"),
    ({**NEW_ITEM, "creators": [{"agent": "jan-kowalski", "role": "hero"}]}, "creators"),
    (
        {**NEW_ITEM, "creators": [{"agent": "jan-kowalski"}, {"agent": "Jan Kowalski"}]},
        "creators",
    ),
    ({**NEW_ITEM, "collections": ["nie-ma"]}, "collections"),
    ({**NEW_ITEM, "status": "archived"}, "status"),
    ({k: v for k, v in NEW_ITEM.items() if k != "title"}, "title"),
    ([NEW_ITEM], "non_field_errors"),
    ("tekst", "non_field_errors"),
]


@pytest.mark.parametrize("payload, field", BAD_ITEMS)
def test_bad_item_payloads_are_400_and_write_nothing(archivist_api, catalogue, payload, field):
    before = snapshot()
    response = archivist_api.post("/api/v1/items/", payload, format="json")
    assert response.status_code == 400, response.content
    if field:
        assert field in response.json()["errors"], response.json()
    assert snapshot() == before


@pytest.mark.parametrize("payload, field", BAD_ITEMS[2:8])
def test_bad_updates_are_400_and_write_nothing(archivist_api, catalogue, payload, field):
    payload = {key: value for key, value in payload.items() if key != "identifier"}
    before = snapshot()
    response = archivist_api.patch("/api/v1/items/MOK-F-0001/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert snapshot() == before


def test_identifier_cannot_change(archivist_api, catalogue):
    before = snapshot()
    response = archivist_api.patch(
        "/api/v1/items/MOK-F-0001/", {"identifier": "MOK-F-9999"}, format="json"
    )
    assert response.status_code == 400 and "identifier" in response.json()["errors"]
    assert snapshot() == before


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b'{"title": "Nie domkni', "application/json"),
        (b"\xff\xfe\x00", "application/json"),
        (b"title=Formularz", "application/x-www-form-urlencoded"),
        (b"<item/>", "application/xml"),
    ],
)
def test_malformed_bodies_are_4xx_json(archivist_api, catalogue, body, content_type):
    before = snapshot()
    response = archivist_api.generic("POST", "/api/v1/items/", body, content_type=content_type)
    assert response.status_code in (400, 415)
    assert "detail" in response.json()
    assert snapshot() == before


# --- media -----------------------------------------------------------------------------------


def test_archivist_edits_media_metadata(archivist_api, anon, catalogue):
    media = catalogue["kosciol"].media_files.get()
    response = archivist_api.patch(
        f"/api/v1/media/{media.pk}/",
        {"alt_text_en": "The church from the market square", "caption": "Rynek, ok. 1920"},
        format="json",
    )
    assert response.status_code == 200, response.content
    media.refresh_from_db()
    assert media.alt_text_en == "The church from the market square"
    detail = anon.get("/api/v1/items/MOK-F-0001/").json()
    assert detail["media"][0]["alt_text_en"] == "The church from the market square"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"alt_text": "x" * 501}, "alt_text"),
        ({"order": -1}, "order"),
        ({"order": "pierwszy"}, "order"),
    ],
)
def test_bad_media_metadata_is_400(archivist_api, catalogue, payload, field):
    media = catalogue["kosciol"].media_files.get()
    before = snapshot()
    response = archivist_api.patch(f"/api/v1/media/{media.pk}/", payload, format="json")
    assert response.status_code == 400 and field in response.json()["errors"]
    assert snapshot() == before


def test_archivist_uploads_an_image(archivist_api, catalogue, media_root):
    upload = SimpleUploadedFile("zdjecie.png", image_bytes(80, 60, "PNG"), "image/png")
    response = archivist_api.post(
        "/api/v1/media/",
        {"item": "MOK-F-0001", "file": upload, "alt_text": "Nowe zdjęcie"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["width"], body["height"]) == ("image", 80, 60)
    media = MediaFile.objects.get(pk=body["id"])
    assert media.original_name == "zdjecie.png"
    assert (media_root / media.file.name).exists()


@pytest.mark.parametrize(
    "name, content, alt_text, field",
    [
        ("fake.jpg", b"to nie jest obraz", "Opis", "file"),
        ("empty.jpg", b"", "Opis", "file"),
        ("truncated.jpg", image_bytes(200, 200)[:300], "Opis", "file"),
        ("ok.jpg", image_bytes(), "", "alt_text"),
    ],
)
def test_refused_uploads_write_nothing(
    archivist_api, catalogue, media_root, name, content, alt_text, field
):
    before = snapshot()
    files_before = sorted(p.name for p in media_root.rglob("*") if p.is_file())
    response = archivist_api.post(
        "/api/v1/media/",
        {"item": "MOK-F-0001", "file": SimpleUploadedFile(name, content), "alt_text": alt_text},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert snapshot() == before
    assert sorted(p.name for p in media_root.rglob("*") if p.is_file()) == files_before


def test_upload_to_an_unknown_item_is_400(archivist_api, catalogue):
    upload = SimpleUploadedFile("a.jpg", image_bytes())
    response = archivist_api.post(
        "/api/v1/media/", {"item": "NIE-MA", "file": upload}, format="multipart"
    )
    assert response.status_code == 400 and "item" in response.json()["errors"]


# --- collections -----------------------------------------------------------------------------


def test_archivist_creates_and_nests_collections(archivist_api, catalogue):
    response = archivist_api.post(
        "/api/v1/collections/",
        {"title": "Kościoły Mszczonowa", "parent": "stare-fotografie", "cover_item": "MOK-F-0001"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "koscioly-mszczonowa"
    child = Collection.objects.get(slug="koscioly-mszczonowa")
    assert child.parent.slug == "stare-fotografie"
    # A collection cannot end up inside itself.
    before = snapshot()
    response = archivist_api.patch(
        "/api/v1/collections/stare-fotografie/", {"parent": "koscioly-mszczonowa"}, format="json"
    )
    assert response.status_code == 400 and "parent" in response.json()["errors"]
    assert snapshot() == before
    # A parent with children is protected.
    response = archivist_api.delete("/api/v1/collections/stare-fotografie/")
    assert response.status_code == 409 and "detail" in response.json()
    assert Collection.objects.filter(slug="stare-fotografie").exists()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"title": "A", "slug": "stare-fotografie"}, "slug"),
        ({"title": "A", "slug": "nie slug!"}, "slug"),
        ({"title": "A", "parent": "nie-ma"}, "parent"),
        ({"title": "A", "cover_item": "NIE-MA"}, "cover_item"),
    ],
)
def test_bad_collections_are_400(archivist_api, catalogue, payload, field):
    before = snapshot()
    response = archivist_api.post("/api/v1/collections/", payload, format="json")
    assert response.status_code == 400 and field in response.json()["errors"], response.content
    assert snapshot() == before


def test_write_endpoints_do_not_exist_for_vocabularies(archivist_api, catalogue):
    for url in ["/api/v1/subjects/", "/api/v1/places/", "/api/v1/agents/", "/api/v1/licences/"]:
        assert archivist_api.post(url, {"name": "X"}, format="json").status_code == 405


def test_image_upload_is_one_transaction(archivist_api, catalogue):
    """The stored bytes and the row appear together (the file is readable right away)."""
    upload = SimpleUploadedFile("b.jpg", image_bytes(30, 20), "image/jpeg")
    body = archivist_api.post(
        "/api/v1/media/",
        {"item": "MOK-F-0001", "file": upload, "alt_text": "Mały obraz"},
        format="multipart",
    ).json()
    media = MediaFile.objects.get(pk=body["id"])
    with media.file.open("rb") as handle:
        assert io.BytesIO(handle.read()).getbuffer().nbytes == media.size


# --- NUL characters: PostgreSQL cannot hold or compare them, so they never reach a query ---


@pytest.mark.parametrize(
    "payload",
    [
        {"identifier": "MOK-N-0001", "title": "Tytuł\x00", "item_type": "photograph"},
        {"identifier": "MOK-N-0001", "title": "T", "item_type": "photograph", "places": ["\x00"]},
        {"identifier": "MOK-N-0001", "title": "T", "item_type": "photograph", "licence": "\x00"},
        {"identifier": "MOK-N-0001", "title": "T", "item_type": "photograph", "\x00": 1},
    ],
)
def test_nul_characters_in_a_json_body_are_a_clear_400(archivist_api, catalogue, payload):
    before = Item.objects.count()
    response = archivist_api.post("/api/v1/items/", payload, format="json")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    assert Item.objects.count() == before


def test_nul_characters_in_a_multipart_upload_are_a_clear_400(archivist_api, catalogue):
    upload = SimpleUploadedFile("rynek.jpg", image_bytes(), content_type="image/jpeg")
    response = archivist_api.post(
        "/api/v1/media/", {"item": "\x00", "file": upload, "alt_text": "Rynek"}, format="multipart"
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/items/%00/", "/api/v1/items/?subject=%00", "/api/v1/places/?q=a%00b"],
)
def test_nul_characters_in_an_api_address_are_a_clear_400(anon, catalogue, path):
    response = anon.get(path)
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_a_nul_character_in_a_search_address_is_read_as_a_space(anon, catalogue):
    # Search answers whatever a visitor types (tests/search/test_api.py has the details).
    response = anon.get("/api/v1/search/?q=a%00b")
    assert response.status_code == 200 and "count" in response.json()
    assert anon.get("/api/v1/search/%00/").status_code == 400


# --- If-Match, identifiers ignoring case, media stay with their item -------------------------


def test_patch_with_a_bogus_if_match_is_412_and_changes_nothing(archivist_api, catalogue):
    before = snapshot()
    response = archivist_api.patch(
        "/api/v1/items/MOK-F-0001/", {"title": "Nowy"}, format="json", HTTP_IF_MATCH='"bogus"'
    )
    assert response.status_code == 412
    assert "detail" in response.json()
    assert snapshot() == before


def test_stale_put_is_412_and_keeps_the_newer_description(archivist_api, catalogue):
    read = archivist_api.get("/api/v1/items/MOK-F-0001/")
    stale = read.json()
    archivist_api.patch("/api/v1/items/MOK-F-0001/", {"description": "Nowszy opis"}, format="json")
    body = {k: stale[k] for k in ("identifier", "title", "item_type", "date", "description")}
    response = archivist_api.put(
        "/api/v1/items/MOK-F-0001/", body, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert response.status_code == 412
    catalogue["kosciol"].refresh_from_db()
    assert catalogue["kosciol"].description == "Nowszy opis"


def test_writes_with_the_current_etag_succeed_and_answer_the_next_one(archivist_api, catalogue):
    etag = archivist_api.get("/api/v1/items/MOK-F-0001/")["ETag"]
    first = archivist_api.patch(
        "/api/v1/items/MOK-F-0001/", {"title": "Raz"}, format="json", HTTP_IF_MATCH=etag
    )
    second = archivist_api.patch(
        "/api/v1/items/MOK-F-0001/", {"title": "Dwa"}, format="json", HTTP_IF_MATCH=first["ETag"]
    )
    assert (first.status_code, second.status_code) == (200, 200)
    assert second["ETag"] == archivist_api.get("/api/v1/items/MOK-F-0001/")["ETag"]
    stale_delete = archivist_api.delete("/api/v1/items/MOK-F-0001/", HTTP_IF_MATCH=etag)
    assert stale_delete.status_code == 412
    assert Item.objects.filter(identifier="MOK-F-0001").exists()


def test_identifier_in_another_case_is_taken(archivist_api, catalogue):
    response = archivist_api.post(
        "/api/v1/items/",
        {"identifier": "mok-f-0001", "title": "Bliźniak", "item_type": "photograph"},
        format="json",
    )
    assert response.status_code == 400
    assert "identifier" in response.json()["errors"]
    assert Item.objects.filter(identifier__iexact="MOK-F-0001").count() == 1


def test_moving_media_to_another_item_is_a_clear_400(archivist_api, catalogue):
    media = catalogue["kosciol"].media_files.get()
    response = archivist_api.patch(
        f"/api/v1/media/{media.pk}/", {"item": "MOK-M-0002", "caption": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "item" in response.json()["errors"]
    media.refresh_from_db()
    assert (media.item_id, media.caption) == (catalogue["kosciol"].pk, "")
