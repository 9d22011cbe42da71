"""Public copies of images: sizes, formats, no upscaling, no metadata, lifecycle."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image

from archive.models import Status
from media import derivatives
from media.models import MediaFile
from media.public import derivative_set, iiif_image_service, public_media, thumbnail
from media.tasks import generate_derivatives
from tests.factories import ItemFactory, MediaFileFactory
from tests.media import samples
from tests.media.conftest import photo_with_exif, picture, stored

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_image(django_capture_on_commit_callbacks):
    """Store an image the way the archive does, running the on-commit task."""

    def make(content: bytes, name: str = "skan.jpg", **fields) -> MediaFile:
        fields.setdefault("alt_text", "Rynek w Mszczonowie")
        with django_capture_on_commit_callbacks(execute=True):
            return MediaFileFactory(file=ContentFile(content, name=name), **fields)

    return make


def opened(root, path):
    return Image.open(root / path)


def test_every_width_in_webp_and_jpeg_below_the_original(make_image, media_root):
    media = make_image(picture(1500, 1000))
    files = stored(media_root, "derivatives")
    names = sorted(p.name for p in files)
    assert names == sorted(f"{w}.{ext}" for w in (320, 640, 1280, 1500) for ext in ("webp", "jpg"))
    for path in files:
        with Image.open(path) as image:
            assert image.format == ("WEBP" if path.suffix == ".webp" else "JPEG")
            width = int(path.stem)
            assert image.size == (width, round(1000 * width / 1500))
            assert image.mode == "RGB"
    assert all(media.checksum in str(p) for p in files)


def test_small_images_are_never_upscaled(make_image, media_root):
    make_image(picture(200, 100))
    assert sorted(p.name for p in stored(media_root, "derivatives")) == ["200.jpg", "200.webp"]


def test_largest_derivative_is_capped_at_the_largest_configured_width(make_image, settings):
    settings.KRONIKA_DERIVATIVE_WIDTHS = [100, 300]
    media = make_image(picture(900, 300))
    assert sorted(public_media(media)["derivatives"]["jpeg"]) == ["100", "300"]


def test_no_gps_serial_or_exif_reaches_any_public_file(make_image, media_root, zoom_small):
    media = make_image(photo_with_exif(900, 700, orientation=6), name="telefon.jpg")
    public_files = stored(media_root, "derivatives") + stored(media_root, "tiles")
    assert len(public_files) > 8
    for path in public_files:
        data = path.read_bytes()
        assert b"SERIAL-123456789" not in data and b"KameraCorp" not in data
        with Image.open(path) as image:
            assert not image.getexif()
            assert "exif" not in image.info and "icc_profile" not in image.info
    # The original keeps everything, as uploaded.
    assert b"SERIAL-123456789" in (media_root / media.file.name).read_bytes()


def test_exif_rotation_is_applied_to_public_copies(make_image, media_root):
    media = make_image(photo_with_exif(60, 40, orientation=6))
    assert (media.width, media.height) == (40, 60)
    with Image.open(media_root / derivatives.derivative_name(media.checksum, 40, "jpeg")) as image:
        assert image.size == (40, 60)
        # Orientation 6 means "rotate 90° clockwise": the red top-left corner goes top-right.
        red, green, blue = image.getpixel((35, 5))
        assert red > 150 and green < 100


@pytest.mark.parametrize("mode", ["CMYK", "I;16", "RGBA", "P", "L"])
def test_any_colour_mode_becomes_srgb_rgb(make_image, media_root, mode):
    fmt = {"CMYK": "JPEG", "I;16": "PNG"}.get(mode, "PNG")
    color = {"CMYK": (0, 120, 200, 10), "I;16": 40000, "RGBA": (0, 0, 0, 0), "P": 3, "L": 90}
    buffer = io.BytesIO()
    Image.new(mode, (50, 40), color[mode]).save(buffer, fmt)
    media = make_image(buffer.getvalue())
    with Image.open(media_root / derivatives.derivative_name(media.checksum, 50, "jpeg")) as image:
        assert image.mode == "RGB"
        if mode == "RGBA":
            assert image.getpixel((10, 10)) == (255, 255, 255)  # transparency laid on white


def test_embedded_colour_profile_is_read_and_not_copied(make_image, media_root):
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 200, 30)).save(buffer, "JPEG", icc_profile=profile.tobytes())
    media = make_image(buffer.getvalue())
    with Image.open(media_root / derivatives.derivative_name(media.checksum, 30, "webp")) as image:
        assert "icc_profile" not in image.info
        red, green, blue = image.getpixel((5, 5))
        assert green > 150 and red < 60


def test_generation_is_idempotent_and_names_are_deterministic(make_image, media_root):
    first = make_image(picture(700, 500, color="navy"))
    before = {p: p.stat().st_mtime_ns for p in stored(media_root, "derivatives")}
    assert generate_derivatives.call(first.pk) == {"media_id": first.pk, "written": 0}
    second = make_image(picture(700, 500, color="navy"))  # the same bytes, another item
    assert second.checksum == first.checksum
    assert {p: p.stat().st_mtime_ns for p in stored(media_root, "derivatives")} == before
    # One set of files; each item links it under its own publication token.
    assert derivative_set(first) == derivative_set(second)


def test_replacing_the_file_regenerates_and_removes_the_old_copies(
    make_image, media_root, django_capture_on_commit_callbacks
):
    media = make_image(picture(700, 500, color="navy"))
    old = media.checksum
    with django_capture_on_commit_callbacks(execute=True):
        media.file = ContentFile(picture(800, 400, color="olive"), name="nowy.png")
        media.save()
    assert media.checksum != old
    assert not any(old in str(p) for p in stored(media_root))
    assert sorted(p.name for p in stored(media_root, "derivatives")) == sorted(
        f"{w}.{e}" for w in (320, 640, 800) for e in ("webp", "jpg")
    )


def test_deleting_removes_derivatives_and_tiles_unless_a_duplicate_still_uses_them(
    make_image, media_root, zoom_small, django_capture_on_commit_callbacks
):
    content = picture(900, 700)
    first, second = make_image(content), make_image(content)
    assert stored(media_root, "tiles")
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert stored(media_root, "derivatives") and stored(media_root, "tiles")
    with django_capture_on_commit_callbacks(execute=True):
        second.item.delete()
    assert stored(media_root) == []


def test_deleting_an_item_cascades_to_its_public_copies(
    make_image, media_root, django_capture_on_commit_callbacks
):
    media = make_image(picture(400, 300))
    with django_capture_on_commit_callbacks(execute=True):
        media.item.delete()
    assert stored(media_root) == []


def test_public_media_links_the_original_only_when_the_licence_allows(
    make_image, open_licence, closed_licence, rf
):
    closed = make_image(picture(700, 500), item=ItemFactory(licence=closed_licence))
    opened_ = make_image(picture(700, 501), item=ItemFactory(licence=open_licence))
    closed_face = public_media(closed, rf.get("/"))
    assert "originals/" not in str(closed_face)
    assert closed_face["url"].endswith("/700.jpg") and closed_face["url"].startswith("http://")
    assert closed_face["download_url"] is None
    opened_face = public_media(opened_)
    # The public "original" is its public copy (no GPS, no serials), under a token.
    assert opened_face["url"] == opened_face["download_url"]
    assert opened_face["url"].startswith("/media/p/")
    assert opened_face["url"].endswith(
        f"/public/{opened_.checksum[:2]}/{opened_.checksum}/original.jpg"
    )
    assert set(closed_face["derivatives"]) == {"webp", "jpeg"}
    assert closed_face["alt_text"] == "Rynek w Mszczonowie"
    assert (closed_face["width"], closed_face["height"]) == (700, 500)


def test_thumbnail_is_the_smallest_jpeg_wide_enough(make_image):
    media = make_image(picture(1500, 1000))
    assert thumbnail(media)["width"] == 320
    assert thumbnail(media, 500) | {"url": ""} == {"url": "", "width": 640, "height": 427}
    assert thumbnail(media, 5000)["width"] == 1500


def test_iiif_service_only_for_large_images(make_image, zoom_small, rf):
    assert iiif_image_service(make_image(picture(500, 400))) is None
    big = make_image(picture(900, 700))
    service = iiif_image_service(big, rf.get("/"))
    assert service == {
        "id": f"http://testserver/iiif/image/{big.checksum}",
        "type": "ImageService3",
        "profile": "level2",
    }


def test_non_images_have_no_derivatives(django_capture_on_commit_callbacks, media_root):
    with django_capture_on_commit_callbacks(execute=True):
        pdf = MediaFileFactory(
            file=ContentFile(samples.pdf(), name="a.pdf"),
            item=ItemFactory(status=Status.DRAFT),
        )
    assert stored(media_root, "derivatives") == []
    assert public_media(pdf)["derivatives"] == {} and thumbnail(pdf) is None


def test_regenerate_derivatives_writes_what_is_missing_with_a_summary(make_image, media_root):
    media = make_image(picture(700, 500))
    for path in stored(media_root, "derivatives"):
        path.unlink()
    out = io.StringIO()
    call_command("regenerate_derivatives", "--no-progress", stdout=out)
    assert "1 image checked; 6 files written." in out.getvalue()
    assert len(stored(media_root, "derivatives")) == 6
    out = io.StringIO()
    call_command("regenerate_derivatives", "--no-progress", stdout=out)
    assert "6 files written" not in out.getvalue()
    call_command("regenerate_derivatives", "--force", "--item", media.item.identifier, stdout=out)
    assert "7 files written." in out.getvalue()  # and the public copy of the original


def test_thumbnail_url_from_raw_values_matches_thumbnail(make_image):
    media = make_image(picture(1500, 1000))
    from media.public import thumbnail_url

    published_at = media.item.published_at
    assert (
        thumbnail_url(media.checksum, 1500, 1000, published_at=published_at)
        == (thumbnail(media)["url"])
    )
    assert (
        thumbnail_url(media.checksum, 1500, 1000, 500, published_at)
        == (thumbnail(media, 500)["url"])
    )
    # Without the publication moment: the same file, untokened.
    assert (
        thumbnail_url(media.checksum, 1500, 1000)
        == "/media/" + thumbnail(media)["url"].split("/", 4)[4]
    )
    assert thumbnail_url("", None, None) == ""
