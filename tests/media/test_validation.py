import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from media.models import MediaFile
from tests.factories import ItemFactory, MediaFileFactory, image_bytes
from tests.media import samples

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
        (samples.pdf(), "document"),
        (samples.mp3(), "audio"),
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


# --- Hostile files: every one is made here, and every one must be refused -------------------


def exif_with(text: str) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010E] = text  # ImageDescription
    return exif


def png_with_text(key: str, value: str) -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_itxt(key, value)
    return samples.png(pnginfo=info)


XSS = "<img src=x onerror=alert(document.domain)>"

HOSTILE = {
    # Images with something after their end or markup in their metadata.
    "jpeg + html tail": (samples.jpeg() + XSS.encode(), "after its end"),
    "jpeg + script tail after padding": (
        samples.jpeg() + b"\x00" * 16 + b"<script>alert(1)</script>",
        "after its end",
    ),
    "jpeg + zip tail": (samples.jpeg() + b"PK\x03\x04" + b"\x00" * 26 + b"PK\x05\x06", "after"),
    "jpeg comment with html": (samples.jpeg(comment=XSS.encode()), "metadata"),
    "jpeg exif description with html": (
        samples.jpeg(exif=exif_with("<svg onload=alert(1)>")),
        "metadata",
    ),
    "png + html tail": (samples.png() + b"<html><body onload=alert(1)>", "after its end"),
    "png iTXt with html": (png_with_text("Comment", XSS), "metadata"),
    "png XMP with a javascript: link": (
        png_with_text("XML:com.adobe.xmp", '<x:xmpmeta><a href="javascript:alert(1)">'),
        "metadata",
    ),
    "gif + html tail": (samples.gif() + b"<script>alert(1)</script>", "after its end"),
    "webp + html tail": (samples.webp() + b"<iframe src=//evil>", "after its end"),
    "truncated jpeg": (samples.jpeg(400, 300)[:700], "damaged or truncated"),
    "truncated png": (samples.png(400, 300)[:-40], "damaged or truncated"),
    # Markup that pretends to be an image.
    "svg named .png": (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "SVG"),
    "svg after a BOM and blank lines": (
        b"\xef\xbb\xbf\n\n<svg><script>alert(1)</script></svg>",
        "SVG",
    ),
    "html with a gif header": (b"GIF89a<html><script>alert(1)</script></html>", "not an accepted"),
    # Recordings that only start like one.
    "ID3 + html": (b"ID3\x04\x00\x00\x00\x00\x00\x00" + XSS.encode() * 20, "not a valid MP3"),
    "mpeg sync + html": (b"\xff\xfb" + XSS.encode() * 20, "not a valid MP3"),
    "ftyp + html": (b"\x00\x00\x00\x18ftypmp42" + XSS.encode() * 5, "not a valid MP4"),
    "ftyp without a track": (samples.mp4().replace(b"trak", b"free"), "not a valid MP4"),
    "RIFF WAVE + html": (b"RIFF\x24\x00\x00\x00WAVE" + XSS.encode(), "not a valid WAV"),
    "truncated wav": (samples.wav()[:30], "not a valid WAV"),
    "OggS + html": (b"OggS" + XSS.encode() * 5, "not a valid Ogg"),
    "fLaC + html": (b"fLaC" + XSS.encode() * 5, "not a valid FLAC"),
    "EBML + html": (b"\x1a\x45\xdf\xa3" + XSS.encode(), "not a valid WebM"),
    # PDFs that act instead of being read.
    "pdf /JavaScript written with a hex escape": (
        samples.pdf(b"<< /S /J#61vaScript /JS (app.alert(1)) >>", catalog_extra=b"/Names 4 0 R "),
        "/JavaScript",
    ),
    "pdf OpenAction script in a compressed object stream": (
        samples.pdf(
            b"<< /S /JavaScript /JS (app.alert(1)) >>",
            catalog_extra=b"/OpenAction 4 0 R ",
            compress_into_stream=True,
        ),
        "active content",
    ),
    "pdf launch action, unreferenced, in an object stream": (
        samples.pdf(b"<< /S /L#61unch /F (cmd.exe) >>", compress_into_stream=True),
        "/Launch",
    ),
    "pdf /AA on the page, name escaped": (
        samples.pdf(catalog_extra=b"/#41A << /O << /S /GoTo /D [3 0 R /Fit] >> >> "),
        "/AA",
    ),
    "pdf embedded file": (
        samples.pdf(b"<< /Type /EmbeddedFile /Subtype /text#2Fhtml >>"),
        "/EmbeddedFile",
    ),
    "pdf XFA form": (samples.pdf(catalog_extra=b"/AcroForm << /XFA [] /Fields [] >> "), "/XFA"),
    "pdf that does not parse": (b"%PDF-1.7\n" + XSS.encode() + b"\n%%EOF\n", "not a valid PDF"),
    "truncated pdf": (samples.pdf()[:200], "not a valid PDF"),
}


@pytest.mark.parametrize(("content", "message"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_files_are_refused_by_parsing_and_nothing_is_stored(content, message, media_root):
    media = MediaFile(
        item=ItemFactory(status="draft"), file=ContentFile(content, name="upload.jpg")
    )
    with pytest.raises(ValidationError) as excinfo:
        media.full_clean()
    assert message in " ".join(excinfo.value.message_dict["file"])
    assert stored_files(media_root) == []


REAL = {
    "jpeg": (samples.jpeg(), "image", ".jpg"),
    "jpeg with an ordinary comment and padding": (
        samples.jpeg(comment=b"Skan 600 dpi, MOK 2024") + b"\x00" * 64,
        "image",
        ".jpg",
    ),
    "progressive jpeg": (samples.jpeg(300, 200, progressive=True), "image", ".jpg"),
    "png": (samples.png(), "image", ".png"),
    "gif": (samples.gif(), "image", ".gif"),
    "webp": (samples.webp(), "image", ".webp"),
    "mp3": (samples.mp3(), "audio", ".mp3"),
    "wav": (samples.wav(), "audio", ".wav"),
    "mp4": (samples.mp4(), "video", ".mp4"),
    "webm": (samples.webm(), "video", ".webm"),
    "pdf": (samples.pdf(), "document", ".pdf"),
    "pdf with an object stream and a link": (
        samples.pdf(b"<< /S /URI /URI (https://mok.pl/) >>", compress_into_stream=True),
        "document",
        ".pdf",
    ),
    "pdf that opens at its first page": (
        samples.pdf(catalog_extra=b"/OpenAction [3 0 R /Fit] "),
        "document",
        ".pdf",
    ),
}


@pytest.mark.parametrize(("content", "kind", "extension"), REAL.values(), ids=REAL.keys())
def test_real_files_of_every_kind_pass_the_parsers(content, kind, extension):
    media = MediaFile(item=ItemFactory(status="draft"), file=ContentFile(content, name="x.bin"))
    media.full_clean()
    assert (media.kind, media.file.name[-len(extension) :]) == (kind, extension)
