"""Concurrent writers through the API: real threads, each with its own connection, on SQLite
(`make test`) and on PostgreSQL (the `database` fixture's marked run in make test-services).

The rules must hold whoever writes first: the alt-text rule between an upload and a
publish, If-Match between writers holding one version, a 503 (never a 500) when another
writer keeps the database busy.
"""

import jsonschema
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from archive.models import Item, Status
from archive.roles import EDITOR
from media.models import MediaFile
from tests.factories import CollectionFactory, ItemFactory, MediaFileFactory, image_bytes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def archivist(django_user_model):
    user = django_user_model.objects.create_user(username="kustosz", password="tajne-haslo-123")
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


@pytest.fixture
def api(archivist):
    """A new client per call, as separate processes would be."""

    def make() -> APIClient:
        client = APIClient()
        client.force_authenticate(archivist)
        return client

    return make


def test_upload_without_alt_text_and_publish_at_once_never_publish_it(database, api, run_together):
    trials = 8
    for n in range(trials):
        item = ItemFactory(identifier=f"RACE-{n}", status=Status.DRAFT)

        def upload(identifier=item.identifier):
            image = SimpleUploadedFile("bez-opisu.jpg", image_bytes(), "image/jpeg")
            return api().post(
                "/api/v1/media/", {"item": identifier, "file": image}, format="multipart"
            )

        def publish(identifier=item.identifier):
            return api().patch(
                f"/api/v1/items/{identifier}/", {"status": "published"}, format="json"
            )

        uploaded, published = run_together(upload, publish)

        # Whoever came first wins; the other is refused with a 400 saying why.
        assert sorted([uploaded.status_code, published.status_code]) in ([200, 400], [201, 400])
        item.refresh_from_db()
        images = MediaFile.objects.filter(item=item)
        if item.status == Status.PUBLISHED:
            assert not images.exists()
            assert "alt_text" in uploaded.json()["errors"]
        else:
            assert images.count() == 1
            assert "status" in published.json()["errors"]


def test_parallel_patches_with_one_if_match_exactly_one_wins(database, api, run_together):
    item = ItemFactory(identifier="MOK-F-0001", title="Przed", status=Status.DRAFT)
    etag = api().get("/api/v1/items/MOK-F-0001/")["ETag"]

    def patch(n: int):
        return lambda: api().patch(
            "/api/v1/items/MOK-F-0001/", {"title": f"Wersja {n}"}, format="json", HTTP_IF_MATCH=etag
        )

    answers = run_together(*(patch(n) for n in range(10)))

    codes = sorted(answer.status_code for answer in answers)
    assert codes == [200] + [412] * 9
    winner = next(answer for answer in answers if answer.status_code == 200)
    item.refresh_from_db()
    assert item.title == winner.json()["title"]
    assert all("detail" in answer.json() for answer in answers if answer.status_code == 412)


def test_a_write_waiting_too_long_for_the_lock_is_503_with_retry_after(
    database, api, run_together, short_busy_timeout, another_writer_holds
):
    item = ItemFactory(identifier="MOK-F-0001", title="Przed")

    with another_writer_holds(item):
        (answer,) = run_together(
            lambda: api().patch("/api/v1/items/MOK-F-0001/", {"title": "Po"}, format="json")
        )

    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0
    # The one error shape (the 503 of test_error_shape's list: it needs real threads).
    assert answer["Content-Type"] == "application/json"
    error_schema = api().get("/api/v1/schema/", {"format": "json"}).json()
    jsonschema.validate(answer.json(), error_schema["components"]["schemas"]["Error"])
    assert answer.json()["detail"].strip()
    item.refresh_from_db()
    assert item.title == "Przed"


def test_an_admin_save_waiting_too_long_is_a_friendly_503_page(
    database, client, run_together, short_busy_timeout, another_writer_holds, django_user_model
):
    admin = django_user_model.objects.create_superuser("szefowa", password="tajne-haslo-123")
    item = ItemFactory(identifier="MOK-F-0001", title="Przed")

    client.force_login(admin)

    def save():
        return client.post(f"/pl/admin/archive/item/{item.pk}/change/", {"title": "Po"})

    with another_writer_holds(item):
        (answer,) = run_together(save)

    assert answer.status_code == 503
    assert answer["Retry-After"]
    assert answer["Content-Type"].startswith("text/html")
    assert b"<h1>" in answer.content


def test_media_and_collection_writes_honour_if_match(database, api):
    media = MediaFileFactory(alt_text="Stary opis")
    collection = CollectionFactory(slug="stare", title="Stare")
    client = api()
    media_etag = client.get(f"/api/v1/media/{media.pk}/")["ETag"]
    collection_etag = client.get("/api/v1/collections/stare/")["ETag"]
    client.patch(f"/api/v1/media/{media.pk}/", {"caption": "ktoś inny"}, format="json")
    client.patch("/api/v1/collections/stare/", {"title_en": "Old"}, format="json")

    stale_media = client.patch(
        f"/api/v1/media/{media.pk}/",
        {"alt_text": "Mój opis"},
        format="json",
        HTTP_IF_MATCH=media_etag,
    )
    stale_collection = client.delete("/api/v1/collections/stare/", HTTP_IF_MATCH=collection_etag)

    assert stale_media.status_code == 412
    assert stale_collection.status_code == 412
    media.refresh_from_db()
    assert media.alt_text == "Stary opis"
    assert collection.__class__.objects.filter(slug="stare").exists()


@pytest.fixture
def database_gone_once_committed():
    """From the moment the next transaction commits, every query fails as a database that
    went away does (the fault test's PostgreSQL restart, made deterministic)."""
    from django.db import OperationalError, connection, transaction
    from django.db.models.signals import post_save

    from archive.models import Item

    gone = {"now": False}

    def refuse(execute, sql, params, many, context):
        if gone["now"]:
            raise OperationalError("unable to open database file")
        return execute(sql, params, many, context)

    def on_save(sender, **kwargs):
        transaction.on_commit(lambda: gone.update(now=True))

    post_save.connect(on_save, sender=Item, dispatch_uid="gone-once-committed")
    with connection.execute_wrapper(refuse):
        yield gone
    post_save.disconnect(dispatch_uid="gone-once-committed", sender=Item)


def test_an_outage_just_after_the_commit_still_answers_what_was_saved(
    api, database_gone_once_committed
):
    """A create or update that committed answers 201/200 with the record even if the
    database goes away the moment after: the client must never read "503, try again" for a
    write that was kept (the fault test once found a saved item answered 503)."""
    item = ItemFactory(identifier="MOK-F-0002", title="Przed")
    database_gone_once_committed["now"] = False
    client = api()

    created = client.post(
        "/api/v1/items/",
        {"identifier": "MOK-F-0003", "title": "Nowy", "item_type": "artifact"},
        format="json",
    )
    assert database_gone_once_committed["now"], "the commit did not happen"
    assert created.status_code == 201, created.content[:300]
    assert created.json()["identifier"] == "MOK-F-0003"
    assert created["ETag"]

    database_gone_once_committed["now"] = False
    changed = client.patch(f"/api/v1/items/{item.identifier}/", {"title": "Po"}, format="json")
    assert database_gone_once_committed["now"]
    assert changed.status_code == 200, changed.content[:300]
    assert changed.json()["title"] == "Po"

    database_gone_once_committed["now"] = False
    assert {i.identifier: i.title for i in Item.objects.all()} == {
        "MOK-F-0002": "Po",
        "MOK-F-0003": "Nowy",
    }
