"""The media file admin: the standalone list, upload errors on the form, alt-text checks."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from archive.models import Status
from media.models import MediaFile
from tests.factories import ItemFactory, MediaFileFactory, image_bytes

pytestmark = pytest.mark.django_db


def admin_url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def media_form(item, file=None, **fields) -> dict:
    data = {
        "item": str(item.pk),
        "order": "0",
        "alt_text": "",
        "alt_text_en": "",
        "caption": "",
        "caption_en": "",
        "credit": "",
        "long_description": "",
        "_save": "Save",
    }
    if file is not None:
        data["file"] = file
    data.update(fields)
    return data


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def errors_of(response, field: str) -> list[str]:
    return response.context["adminform"].form.errors.get(field, [])


def test_changelist_shows_thumbnail_item_kind_alt_text_and_size(archivist_client):
    media = MediaFileFactory(item__identifier="MOK-F-0007", alt_text="Stara remiza")
    response = archivist_client.get(admin_url("admin:media_mediafile_changelist", language="pl"))
    text = response.content.decode()
    assert response.status_code == 200
    # A derivative (under the publication token of a published item: media.public).
    assert re.search(r'src="/media/(p/[0-9a-f]{16}/)?derivatives/', text)
    assert 'alt="Stara remiza"' in text
    assert media.file.url not in text  # never the original in a list
    assert "MOK-F-0007" in text
    assert '<td class="field-file_size">' in text


def test_changelist_query_count_does_not_grow_with_files(
    archivist_client, django_assert_max_num_queries
):
    for _ in range(30):
        MediaFileFactory()
    with django_assert_max_num_queries(8):
        response = archivist_client.get(admin_url("admin:media_mediafile_changelist"))
    assert response.status_code == 200


def test_missing_alt_text_filter_lists_only_images_without_alt_text(archivist_client):
    MediaFileFactory(alt_text="Opisany obraz", original_name="opisany.jpg")
    MediaFileFactory(item__status=Status.DRAFT, alt_text="  ", original_name="pusty-opis.jpg")
    url = admin_url("admin:media_mediafile_changelist")
    text = archivist_client.get(url, {"alt_text": "missing"}).content.decode()
    assert "pusty-opis.jpg" in text and "opisany.jpg" not in text
    text = archivist_client.get(url, {"alt_text": "present"}).content.decode()
    assert "opisany.jpg" in text and "pusty-opis.jpg" not in text


def test_search_finds_files_by_item_identifier(archivist_client):
    MediaFileFactory(item__identifier="MOK-F-0042", original_name="szukany.jpg")
    MediaFileFactory(item__identifier="MOK-F-0043", original_name="inny.jpg")
    url = admin_url("admin:media_mediafile_changelist")
    text = archivist_client.get(url, {"q": "0042"}).content.decode()
    assert "szukany.jpg" in text and "inny.jpg" not in text


def test_adding_an_image_with_alt_text_stores_it(archivist_client, media_root):
    item = ItemFactory(status=Status.PUBLISHED)
    data = media_form(item, upload(image_bytes(), "plac.jpg"), alt_text="Plac Piłsudskiego")
    response = archivist_client.post(admin_url("admin:media_mediafile_add"), data)
    assert response.status_code == 302
    media = MediaFile.objects.get()
    assert (media.item, media.kind, media.width, media.height) == (item, "image", 64, 48)
    assert (media_root / media.file.name).is_file()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<?php echo 1; ?>", "x.jpg", "This file is not an accepted image"),
        (image_bytes(400, 300)[:600], "uciety.jpg", "damaged or truncated"),
        (b"", "pusty.jpg", "The submitted file is empty."),
    ],
)
def test_bad_upload_is_a_form_error_on_the_file_field(
    archivist_client, media_root, content, name, message
):
    item = ItemFactory(status=Status.DRAFT)
    data = media_form(item, upload(content, name), alt_text="cokolwiek")
    response = archivist_client.post(admin_url("admin:media_mediafile_add"), data)
    assert response.status_code == 200
    assert any(message in error for error in errors_of(response, "file"))
    assert message in response.content.decode()
    assert not MediaFile.objects.exists()
    assert stored_files(media_root) == []


def test_decompression_bomb_is_a_form_error(archivist_client, settings, media_root):
    settings.KRONIKA_MAX_IMAGE_PIXELS = 1_000_000
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG")
    data = media_form(ItemFactory(), upload(buffer.getvalue(), "bomba.png"), alt_text="x")
    response = archivist_client.post(admin_url("admin:media_mediafile_add"), data)
    assert response.status_code == 200
    assert any("decompression bomb" in error for error in errors_of(response, "file"))
    assert stored_files(media_root) == []


def test_non_image_in_the_item_inline_is_a_form_error(archivist_client, media_root):
    item = ItemFactory(status=Status.DRAFT)
    data = {
        "identifier": item.identifier,
        "title": item.title,
        "item_type": item.item_type,
        "licence": str(item.licence_id),
        "status": Status.DRAFT,
        "_save": "Save",
    }
    for prefix, total in (("item_creators", 0), ("media_files", 1), ("memberships", 0)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(total),
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(
        {
            "media_files-0-item": str(item.pk),
            "media_files-0-order": "0",
            "media_files-0-alt_text": "Skrypt",
            "media_files-0-file": upload(b"<?php echo 1; ?>", "x.jpg"),
        }
    )
    response = archivist_client.post(admin_url("admin:archive_item_change", item.pk), data)
    assert response.status_code == 200
    assert 'id="id_media_files-0-file_error"' in response.content.decode()
    assert "This file is not an accepted image" in response.content.decode()
    assert not MediaFile.objects.exists()
    assert stored_files(media_root) == []


def test_image_for_a_published_item_needs_alt_text(archivist_client, media_root):
    item = ItemFactory(status=Status.PUBLISHED)
    data = media_form(item, upload(image_bytes(), "plac.jpg"))
    response = archivist_client.post(admin_url("admin:media_mediafile_add"), data)
    assert response.status_code == 200
    assert errors_of(response, "alt_text") == ["An image of a published item needs alt-text."]
    assert not MediaFile.objects.exists()
    # Only the copy kept for the next submission (media.staging), never an original.
    assert {p.relative_to(media_root).parts[0] for p in stored_files(media_root)} == {"staging"}


def test_replacing_a_file_removes_the_old_original(
    archivist_client, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        media = MediaFileFactory(alt_text="Pierwsza wersja")
    old_path = media_root / media.file.name
    old_checksum = media.checksum
    assert (media_root / "derivatives" / old_checksum[:2] / old_checksum).is_dir()
    assert old_path.is_file()
    data = media_form(
        media.item,
        upload(image_bytes(color="navy"), "lepszy-skan.jpg"),
        alt_text="Druga wersja",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = archivist_client.post(admin_url("admin:media_mediafile_change", media.pk), data)
    assert response.status_code == 302
    media.refresh_from_db()
    assert media.alt_text == "Druga wersja"
    assert media.original_name == "lepszy-skan.jpg"
    assert (media_root / media.file.name).is_file()
    assert not old_path.exists()
    originals = [p for p in stored_files(media_root) if "originals" in p.parts]
    assert originals == [media_root / media.file.name]
    # The old image's derivatives went with it; the new one has its own.
    assert not any(old_checksum in str(p) for p in stored_files(media_root))
    assert any(
        "derivatives" in p.parts and media.checksum in str(p) for p in stored_files(media_root)
    )
