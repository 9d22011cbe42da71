import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from media.models import MediaFile
from tests.factories import ItemFactory, MediaFileFactory, image_bytes

pytestmark = pytest.mark.django_db


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "TIFF", "WEBP"])
def test_real_images_are_accepted_and_measured(fmt, media_root):
    media = MediaFile(
        item=ItemFactory(),
        file=ContentFile(image_bytes(40, 30, fmt), name="skan.dat"),
        alt_text="x",
    )
    media.full_clean()
    media.save()
    assert media.kind == "image"
    assert (media.width, media.height) == (40, 30)
    assert len(media.checksum) == 64
    assert media.original_name == "skan.dat"
    assert media.file.name.startswith(f"originals/{media.checksum[:2]}/{media.checksum}")
    assert len(stored_files(media_root)) == 1


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "document"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 64, "audio"),
    ],
)
def test_pdf_and_mp3_are_recognised_by_content(content, kind):
    # A draft: a published item's recording would also need a transcript.
    media = MediaFile(item=ItemFactory(status="draft"), file=ContentFile(content, name="plik.bin"))
    media.full_clean()
    assert media.kind == kind


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "pusty.jpg", "empty"),
        (b"<?php system($_GET['c']); ?>", "shell.jpg", "not an accepted"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "a.svg",
            "not",
        ),
        (image_bytes(400, 300)[:600], "ucięty.jpg", "damaged or truncated"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_error(content, name, message, media_root):
    media = MediaFile(item=ItemFactory(), file=ContentFile(content, name=name))
    with pytest.raises(ValidationError) as excinfo:
        media.full_clean()
    assert message in " ".join(excinfo.value.message_dict["file"])
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("side", "message"),
    [(20_000, "decompression bomb"), (2_000, "more than the 1,000,000 pixels allowed")],
)
def test_decompression_bomb_and_too_many_pixels_are_refused(side, message, settings, media_root):
    settings.KRONIKA_MAX_IMAGE_PIXELS = 1_000_000
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, "PNG")
    media = MediaFile(item=ItemFactory(), file=ContentFile(buffer.getvalue(), name="bomba.png"))
    with pytest.raises(ValidationError) as excinfo:
        media.full_clean()
    assert message in " ".join(excinfo.value.message_dict["file"])
    assert stored_files(media_root) == []


def test_oversized_file_is_refused(settings):
    settings.KRONIKA_MAX_UPLOAD_BYTES = 100
    media = MediaFile(item=ItemFactory(), file=ContentFile(image_bytes(64, 64), name="a.jpg"))
    with pytest.raises(ValidationError) as excinfo:
        media.full_clean()
    assert "largest file accepted" in " ".join(excinfo.value.message_dict["file"])


def test_deleting_media_or_its_item_removes_the_stored_file(
    media_root, django_capture_on_commit_callbacks
):
    media = MediaFileFactory()
    other = MediaFileFactory(file=ContentFile(image_bytes(color="red"), name="b.jpg"))
    assert len(stored_files(media_root)) == 2
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        media.delete()
    assert len(stored_files(media_root)) == 1
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        other.item.delete()
    assert stored_files(media_root) == []
