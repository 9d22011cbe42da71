"""The upload matrix: each kind of file accepted or refused as it should, nothing left behind."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image

from media.models import MediaFile
from tests.factories import ItemFactory, image_bytes
from tests.media import samples
from tests.media.conftest import photo_with_exif, picture, stored

pytestmark = pytest.mark.django_db

PDF = samples.pdf()
MP3 = samples.mp3()


def upload(content: bytes, name: str, **fields) -> MediaFile:
    media = MediaFile(item=ItemFactory(), file=ContentFile(content, name=name), **fields)
    media.full_clean()
    media.save()
    return media


def refused(content: bytes, name: str) -> str:
    media = MediaFile(item=ItemFactory(), file=ContentFile(content, name=name), alt_text="x y")
    with pytest.raises(ValidationError) as excinfo:
        media.full_clean()
    return " ".join(excinfo.value.message_dict["file"])


def cmyk_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("CMYK", (40, 30), (0, 120, 200, 10)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "extension", "size"),
    [
        (picture(40, 30, "JPEG"), "a.jpg", ".jpg", (40, 30)),
        (picture(40, 30, "PNG"), "a.png", ".png", (40, 30)),
        (picture(40, 30, "TIFF"), "a.tif", ".tif", (40, 30)),
        (picture(40, 30, "WEBP"), "a.webp", ".webp", (40, 30)),
        (picture(40, 30, "PNG", mode="I;16"), "16bit.png", ".png", (40, 30)),
        (picture(40, 30, "TIFF", mode="I;16"), "16bit.tif", ".tif", (40, 30)),
        (cmyk_jpeg(), "cmyk.jpg", ".jpg", (40, 30)),
        (photo_with_exif(60, 40, orientation=6), "telefon.jpg", ".jpg", (40, 60)),
    ],
)
def test_images_are_accepted_measured_upright_and_kept_as_uploaded(
    content, name, extension, size, media_root
):
    media = upload(content, name, alt_text="Turkusowy prostokąt")
    assert media.kind == "image"
    assert (media.width, media.height) == size
    assert media.file.name.endswith(extension)
    # The original is byte-for-byte what was uploaded, EXIF and all.
    assert (media_root / media.file.name).read_bytes() == content
    assert media.checksum == __import__("hashlib").sha256(content).hexdigest()


@pytest.mark.parametrize(
    ("content", "kind", "extension"), [(PDF, "document", ".pdf"), (MP3, "audio", ".mp3")]
)
def test_pdf_and_mp3_are_recognised_by_signature_whatever_their_name(content, kind, extension):
    media = upload(content, "plik.jpg", transcript="Dzień dobry, mówi Mszczonów.")
    assert (media.kind, media.file.name[-4:]) == (kind, extension)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "pusty.jpg", "The file is empty."),
        (b"<?php system($_GET['c']); ?>", "shell.jpg", "not an accepted image"),
        (
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
            b"<script>alert(1)</script></svg>",
            "logo.svg",
            "SVG images are not accepted",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "a.png", "SVG"),
        (b"<!DOCTYPE html><html><script>x()</script></html>", "a.jpg", "Web pages"),
        (image_bytes(400, 300)[:600], "ucięty.jpg", "damaged or truncated"),
        (image_bytes(40, 30) + b"<?php system($_GET['c']); ?>", "polyglot.jpg", "after its end"),
        (
            picture(40, 30, "PNG") + b"PK\x03\x04" + b"\x00" * 30 + b"PK\x05\x06" + b"\x00" * 18,
            "gifar.png",
            "after its end",
        ),
        (
            samples.pdf(catalog_extra=b"/OpenAction << /S /JavaScript /JS (x) >> "),
            "faktura.pdf",
            "active content",
        ),
        (b"\x00\x01\x02 just some bytes", "dane.jpg", "not an accepted image"),
    ],
)
def test_hostile_or_broken_uploads_are_refused_clearly_and_leave_nothing(
    content, name, message, media_root
):
    assert message in refused(content, name)
    assert stored(media_root) == []
    assert not MediaFile.objects.exists()


def test_decompression_bomb_is_detected_from_the_header(media_root):
    # 20,000 × 20,000 one-bit pixels: tiny file, 400 megapixels once decoded.
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 200_000
    assert "decompression bomb" in refused(buffer.getvalue(), "mapa.png")
    assert stored(media_root) == []


def test_configured_pixel_limit_is_lower_than_pillows(settings, media_root):
    settings.KRONIKA_MAX_IMAGE_PIXELS = 1_000
    assert "more than the 1,000 pixels allowed" in refused(picture(50, 50), "a.jpg")


def test_oversized_file_is_refused_with_the_limit_named(settings, media_root):
    settings.KRONIKA_MAX_UPLOAD_BYTES = 1024
    message = refused(picture(200, 200, "PNG", mode="RGB", color="red") + b"\x00" * 2048, "a.png")
    assert "the largest file accepted is 1.0\xa0KB" in message
    assert stored(media_root) == []


def test_kinds_not_in_the_allowed_list_are_refused(settings, media_root):
    settings.KRONIKA_ALLOWED_MEDIA_KINDS = ["image"]
    assert "not accepted here; accepted: image" in refused(MP3, "nagranie.mp3")
    assert stored(media_root) == []


def test_refused_upload_through_the_model_save_path_writes_nothing(media_root):
    media = MediaFile(item=ItemFactory(), file=ContentFile(b"<?php ?>", name="x.jpg"))
    with pytest.raises(ValidationError):
        media.save()
    assert stored(media_root) == []
    assert not MediaFile.objects.exists()
