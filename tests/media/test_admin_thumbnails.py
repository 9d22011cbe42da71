"""Admin thumbnails are small derivatives, never the originals (issue 16, item 16)."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from archive.models import Status
from tests.factories import MediaFileFactory, image_bytes

pytestmark = pytest.mark.django_db


def admin_url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def image_sources(html: str) -> list[str]:
    """The pictures of media on a page (not the admin's own icons)."""
    return [src for src in re.findall(r'<img src="([^"]+)"', html) if "/static/" not in src]


def scan(width: int = 3600, height: int = 2400, fmt: str = "JPEG", name: str = "skan.jpg"):
    return ContentFile(image_bytes(width, height, fmt=fmt), name=name)


@pytest.mark.parametrize(
    "changelist", ["admin:archive_item_changelist", "admin:media_mediafile_changelist"]
)
def test_lists_show_a_small_derivative_of_a_large_scan(archivist_client, changelist):
    media = MediaFileFactory(file=scan(), alt_text="Rynek w 1920 roku")
    response = archivist_client.get(admin_url(changelist))
    text = response.content.decode()
    [source] = image_sources(text)
    assert media.file.url not in text
    assert source.endswith("/320.jpg")
    assert 'width="96" height="64"' in text
    picture = archivist_client.get(source)
    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(picture.streaming_content))).size == (320, 213)


def test_a_tiff_gets_a_jpeg_thumbnail(archivist_client):
    media = MediaFileFactory(file=scan(1200, 800, fmt="TIFF", name="skan.tif"), alt_text="Mapa")
    assert media.file.name.endswith(".tif")
    response = archivist_client.get(admin_url("admin:media_mediafile_changelist"))
    [source] = image_sources(response.content.decode())
    assert source.endswith(".jpg")
    picture = archivist_client.get(source)
    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"


def test_the_thumbnail_of_a_draft_is_served_to_staff_only(archivist_client):
    MediaFileFactory(file=scan(800, 600), item__status=Status.DRAFT)
    response = archivist_client.get(admin_url("admin:archive_item_changelist"))
    [source] = image_sources(response.content.decode())
    staff = archivist_client.get(source)
    assert staff.status_code == 200
    assert "private" in staff["Cache-Control"]
    assert Client().get(source).status_code == 404  # a visitor


def test_edit_pages_preview_with_a_derivative(archivist_client):
    media = MediaFileFactory(file=scan(), alt_text="Rynek")
    for url in (
        admin_url("admin:archive_item_change", media.item.pk),
        admin_url("admin:media_mediafile_change", media.pk),
    ):
        sources = image_sources(archivist_client.get(url).content.decode())
        assert sources and all("/derivatives/" in source for source in sources), url


def test_a_thumbnail_has_no_inline_style(archivist_client):
    MediaFileFactory(alt_text="")
    text = archivist_client.get(admin_url("admin:media_mediafile_changelist")).content.decode()
    assert 'class="kronika-thumbnail"' in text
    assert "style=" not in text
