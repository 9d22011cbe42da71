"""Admin side of the pipeline: duplicates flagged, transcripts and captions on the form."""

import pytest
from django.core.files.base import ContentFile

from archive.models import Status
from media.models import MediaFile
from tests.factories import ItemFactory, MediaFileFactory, image_bytes
from tests.media import samples
from tests.media.test_admin import admin_url, media_form, upload

pytestmark = pytest.mark.django_db

MP3 = samples.mp3()


def test_uploading_a_duplicate_original_warns_the_archivist(archivist_client):
    first = MediaFileFactory(item__identifier="MOK-F-0001", alt_text="Rynek")
    item = ItemFactory(identifier="MOK-F-0002")
    data = media_form(item, upload(image_bytes(), "kopia.jpg"), alt_text="Rynek znowu")
    response = archivist_client.post(admin_url("admin:media_mediafile_add"), data, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This file is identical to one already in the archive: MOK-F-0001 (obraz.jpg)." in html
    copy = MediaFile.objects.get(item=item)
    assert copy.checksum == first.checksum
    page = archivist_client.get(admin_url("admin:media_mediafile_change", copy.pk))
    assert "Duplicate of" in page.content.decode()
    assert admin_url("admin:media_mediafile_change", first.pk) in page.content.decode()


def test_audio_of_a_published_item_needs_a_transcript_on_the_form(archivist_client):
    item = ItemFactory(status=Status.PUBLISHED)
    url = admin_url("admin:media_mediafile_add")
    response = archivist_client.post(url, media_form(item, upload(MP3, "wywiad.mp3")))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["transcript"] == [
        "The recording has no transcript."
    ]
    assert not MediaFile.objects.exists()
    data = media_form(item, upload(MP3, "wywiad.mp3"), transcript="Pamiętam rynek przed wojną.")
    assert archivist_client.post(url, data).status_code == 302
    assert MediaFile.objects.get().transcript == "Pamiętam rynek przed wojną."


def test_media_change_form_has_transcript_and_captions_fields(archivist_client):
    media = MediaFileFactory(
        item=ItemFactory(status=Status.DRAFT), file=ContentFile(MP3, name="nagranie.mp3")
    )
    html = archivist_client.get(admin_url("admin:media_mediafile_change", media.pk)).content
    assert b'name="transcript"' in html and b'name="captions"' in html
