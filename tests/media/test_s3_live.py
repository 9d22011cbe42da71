"""Service tier: media on a live S3-compatible server (SeaweedFS, scripts/services/s3.sh).

Nothing is mocked: Kronika's storage is django-storages' S3 backend (media/storage.py)
talking to the server at KRONIKA_TEST_S3_ENDPOINT_URL, in a bucket of each test's own,
removed after. Uploads, derivatives, IIIF tiles, publication-token URLs, drafts kept
private, deletion and a backup round trip (export_archive / import_archive) all go
through it, and nothing lands on local disk under MEDIA_ROOT.
"""

import hashlib
import json
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.management import call_command

from archive.models import Item, Status
from config.settings import _s3_client_config
from media import derivatives
from media.checks import check_media_storage
from media.models import MediaFile
from media.public import public_media
from tests.archive.test_backup import (
    build_catalogue,
    empty_database,
    export,
    restore,
    snapshot,
    stored_files,
)
from tests.factories import ItemFactory, MediaFileFactory
from tests.media.conftest import picture
from tests.services import required_env

pytestmark = [pytest.mark.s3, pytest.mark.django_db]

WHAT = "a running S3-compatible server (scripts/services/s3.sh)"


class Bucket:
    def __init__(self, client, name: str):
        self.client, self.name = client, name

    def names(self) -> set[str]:
        keys: set[str] = set()
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name):
            keys.update(entry["Key"] for entry in page.get("Contents", []))
        return keys

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def empty(self) -> None:
        for key in self.names():
            self.client.delete_object(Bucket=self.name, Key=key)


def s3_options(endpoint: str, key: str, secret: str, bucket: str) -> dict:
    """The storage options config/settings.py builds from the AWS_* variables."""
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "access_key": key,
        "secret_key": secret,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": True,
        "max_memory_size": 10 * 1024 * 1024,
        "signature_version": "s3v4",
        "addressing_style": "path",
        "client_config": _s3_client_config(connect_timeout=3, read_timeout=20, max_attempts=2),
    }


@pytest.fixture
def bucket(settings, media_root):
    """Kronika's media storage on the live server, in a new bucket; emptied and removed
    after the test."""
    import boto3

    endpoint = required_env("KRONIKA_TEST_S3_ENDPOINT_URL", WHAT)
    key = required_env("KRONIKA_TEST_S3_ACCESS_KEY_ID", WHAT)
    secret = required_env("KRONIKA_TEST_S3_SECRET_ACCESS_KEY", WHAT)
    name = f"kronika-test-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=name)
    settings.MEDIA_STORAGE = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "media.storage.S3MediaStorage",
            "OPTIONS": s3_options(endpoint, key, secret, name),
        },
    }
    handle = Bucket(client, name)
    try:
        yield handle
    finally:
        handle.empty()
        client.delete_bucket(Bucket=name)


def local_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_storage_is_the_bucket_and_checks_pass(bucket, media_root):
    from media.storage import S3MediaStorage

    assert isinstance(storages["default"], S3MediaStorage)
    with pytest.raises(NotImplementedError):
        default_storage.path("x")
    assert check_media_storage() == []


def test_check_names_a_missing_bucket_and_refused_keys(bucket, settings):
    default = settings.STORAGES["default"]
    options = default["OPTIONS"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**default, "OPTIONS": {**options, "bucket_name": f"{bucket.name}-nie"}},
    }
    problems = check_media_storage()
    assert [p.id for p in problems] == ["media.E005"] and "does not exist" in problems[0].msg
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**default, "OPTIONS": {**options, "secret_key": "wrong"}},
    }
    problems = check_media_storage()
    assert [p.id for p in problems] == ["media.E005"]


def test_uploads_derivatives_tiles_and_token_urls_go_through_the_bucket(
    bucket, client, media_root, django_capture_on_commit_callbacks, zoom_small, closed_licence
):
    item = ItemFactory(identifier="MOK-S3", licence=closed_licence)
    content = picture(900, 700)
    with django_capture_on_commit_callbacks(execute=True):
        media = MediaFileFactory(item=item, file=ContentFile(content, name="rynek.jpg"))
    media.refresh_from_db()

    # The original, its public copy, every derivative and the tiles are objects in the
    # bucket; nothing is written under MEDIA_ROOT.
    keys = bucket.names()
    assert media.file.name in keys
    assert bucket.read(media.file.name) == content
    names = {d.name for d in derivatives.derivatives_for(media.checksum, 900, 700)}
    tiles = set(derivatives.tile_names(media.checksum, 900, 700))
    assert names <= keys and tiles and tiles <= keys
    assert local_files(media_root) == []

    # Pages and the API link Kronika's own tokened URLs, never the bucket.
    face = public_media(media)
    webp = face["derivatives"]["webp"]["320"]
    assert webp.startswith("/media/p/") and bucket.name not in json.dumps(face)
    response = client.get(webp)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    served = b"".join(response.streaming_content)
    assert served == bucket.read(webp.split("/", 4)[4])
    page = client.get(f"/en/items/{item.identifier}/")
    assert page.status_code == 200
    assert "/media/" in page.content.decode() and bucket.name not in page.content.decode()

    # IIIF: info.json and a tile, streamed from the bucket.
    info = client.get(f"/iiif/image/{media.checksum}/info.json")
    assert info.status_code == 200 and info.json()["width"] == 900
    side = info.json()["tiles"][0]["width"]
    region = f"0,0,{side},{side}/{side},{side}"
    tile = client.get(f"/iiif/image/{media.checksum}/{region}/0/default.jpg")
    assert tile.status_code == 200 and tile["Content-Type"] == "image/jpeg"
    assert b"".join(tile.streaming_content)[:2] == b"\xff\xd8"

    # Unpublished: the tokened URL and the tiles answer 404 at once.
    item.status = Status.DRAFT
    item.save()
    assert client.get(webp).status_code == 404
    assert client.get(f"/iiif/image/{media.checksum}/info.json").status_code == 404

    # Deleted: its objects leave the bucket.
    with django_capture_on_commit_callbacks(execute=True):
        media.delete()
    assert bucket.names() == set()


def test_a_derivative_lost_from_the_bucket_is_made_again_on_request(
    bucket, client, django_capture_on_commit_callbacks, zoom_small, closed_licence
):
    item = ItemFactory(licence=closed_licence)
    with django_capture_on_commit_callbacks(execute=True):
        media = MediaFileFactory(item=item, file=ContentFile(picture(700, 500), name="a.jpg"))
    media.refresh_from_db()
    name = derivatives.derivative_name(media.checksum, 320, "jpeg")
    bucket.client.delete_object(Bucket=bucket.name, Key=name)
    assert name not in bucket.names()
    response = client.get(f"/media/{name}")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert name in bucket.names()


def test_backup_and_restore_through_the_bucket(bucket, tmp_path, media_root):
    build_catalogue()
    rows, files = snapshot(), stored_files()
    assert files and set(files) <= bucket.names()
    directory = export(tmp_path / "kopia")
    for name, content in files.items():
        assert (directory / "media" / name).read_bytes() == content

    empty_database(media_root)
    bucket.empty()
    restore(directory)

    assert snapshot() == rows
    assert stored_files() == files
    assert set(files) <= bucket.names()
    for media in MediaFile.objects.all():
        with media.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == media.checksum
    # Only the staging folder's parent may remain locally; no media file lands there.
    assert local_files(media_root) == []
    assert Item.objects.count() == len(rows["archive.item"])


def test_a_restore_refuses_a_different_file_already_in_the_bucket(bucket, tmp_path, media_root):
    build_catalogue()
    files = stored_files()
    directory = export(tmp_path / "kopia")
    empty_database(media_root)
    name = sorted(files)[0]
    bucket.client.put_object(Bucket=bucket.name, Key=name, Body=b"not the backed-up file")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import_archive", str(directory), verbosity=0)
    assert not Item.objects.exists()
    assert bucket.read(name) == b"not the backed-up file"


@pytest.fixture
def bucket_unreachable(bucket, settings):
    """The same storage, but its server stops answering: the endpoint becomes a port on
    which nothing listens (what a stopped or crashed S3 server looks like to a client)."""
    from tests.services import free_port

    def cut():
        default = settings.STORAGES["default"]
        options = {
            **default["OPTIONS"],
            "endpoint_url": f"http://127.0.0.1:{free_port(20000, 29999)}",
        }
        settings.STORAGES = {**settings.STORAGES, "default": {**default, "OPTIONS": options}}

    return cut


def test_a_bucket_that_stops_answering_is_a_503_and_nothing_half_saved(
    bucket, bucket_unreachable, client, django_user_model, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.test import APIClient

    from archive.roles import EDITOR

    item = ItemFactory(identifier="MOK-S3-OUT", status=Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        kept = MediaFileFactory(item=item, file=ContentFile(picture(400, 300), name="a.jpg"))
    kept.refresh_from_db()
    item.status = Status.PUBLISHED
    item.save()
    url = public_media(kept)["url"]
    archivist = django_user_model.objects.create_user(username="kustosz", password="x" * 20)
    archivist.groups.add(Group.objects.get(name=EDITOR))
    api = APIClient()
    api.force_authenticate(archivist)

    bucket_unreachable()

    upload = SimpleUploadedFile("nowe.jpg", picture(300, 200), "image/jpeg")
    answer = api.post(
        "/api/v1/media/",
        {"item": item.identifier, "file": upload, "alt_text": "Rynek"},
        format="multipart",
    )
    assert answer.status_code == 503, answer.content[:300]
    assert answer["Content-Type"] == "application/json" and int(answer["Retry-After"]) > 0
    assert "127.0.0.1" not in answer.json()["detail"]
    assert list(MediaFile.objects.filter(item=item)) == [kept]  # no row without its file

    served = client.get(url)
    assert served.status_code == 503
    assert "127.0.0.1" not in served.content.decode()

    # A delete commits and says so: its files stay in the bucket (logged), never a 503 for
    # a row that is gone.
    with django_capture_on_commit_callbacks(execute=True):
        deleted = api.delete(f"/api/v1/media/{kept.pk}/")
    assert deleted.status_code == 204
    assert not MediaFile.objects.filter(item=item).exists()
