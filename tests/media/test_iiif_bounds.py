"""IIIF Image API beyond the stored tiles: computed within limits, errors as the spec says,
and answers kept in a bounded cache (interop/iiif_image.py, docs/media.md).

The worst cases a crafted request can try are bounded by what is computed: the pixels
decoded and the files read are asserted, never the time taken.
"""

import io
import shutil
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from archive.models import Status
from interop import iiif_image
from media import derivatives
from tests.factories import ItemFactory, MediaFileFactory

pytestmark = pytest.mark.django_db

TILE = 128


@pytest.fixture
def limits(settings, zoom_small):
    settings.KRONIKA_TILE_SIZE = TILE
    settings.KRONIKA_IIIF_MAX_WIDTH = 800
    settings.KRONIKA_IIIF_MAX_HEIGHT = 800
    settings.KRONIKA_IIIF_MAX_AREA = 250_000
    return settings


def halves(width: int, height: int) -> bytes:
    """Red on the left, blue on the right: where a region comes from shows in its colour."""
    image = Image.new("RGB", (width, height), (220, 20, 20))
    image.paste((20, 20, 220), (width // 2, 0, width, height))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


@pytest.fixture
def scan(django_capture_on_commit_callbacks, limits, closed_licence):
    """A published 2000 × 1500 scan with its pyramid (128 px tiles, factors 1 … 16)."""

    def make(status=Status.PUBLISHED, size=(2000, 1500)):
        item = ItemFactory(status=status, licence=closed_licence)
        with django_capture_on_commit_callbacks(execute=True):
            return MediaFileFactory(item=item, file=ContentFile(halves(*size), name="skan.jpg"))

    return make


def get(client, media, path: str):
    return client.get(f"/iiif/image/{media.checksum}/{path}")


def picture_of(response) -> Image.Image:
    return Image.open(io.BytesIO(response.content))


def test_info_json_declares_level2_with_its_limits(client, scan):
    media = scan()
    info = get(client, media, "info.json").json()
    assert info["profile"] == "level2"
    assert (info["maxWidth"], info["maxHeight"], info["maxArea"]) == (800, 800, 250_000)
    assert {"mirroring", "sizeUpscaling"} <= set(info["extraFeatures"])
    assert info["tiles"][0]["width"] == TILE


def test_a_region_is_cut_from_the_right_place_at_the_right_size(client, scan):
    media = scan()
    right = get(client, media, "1250,250,500,500/200,/0/default.png")
    assert right.status_code == 200
    assert right["Content-Type"] == "image/png"
    assert right["Access-Control-Allow-Origin"] == "*"
    picture = picture_of(right)
    assert picture.size == (200, 200)
    red, _green, blue = picture.convert("RGB").getpixel((100, 100))
    assert blue > 180 and red < 60
    left = picture_of(get(client, media, "pct:0,0,25,50/100,/0/default.jpg"))
    assert left.size == (100, 150)
    red, _green, blue = left.getpixel((50, 75))
    assert red > 180 and blue < 60


def test_a_small_answer_reads_a_coarse_level_not_the_scan(scan):
    media = scan()
    request = iiif_image.parse(media, "full", "100,", "0", "default", "jpg")
    work = iiif_image.Work()
    iiif_image.render(media, request, work)
    assert work.factor == 16
    assert work.files_read == [derivatives.tile_name(media.checksum, 16, 0, 0)]
    assert work.pixels_decoded <= 4 * 100 * 75


@pytest.mark.parametrize(
    "path",
    [
        "full/max/0/default.jpg",
        "full/^max/0/default.jpg",
        "full/!400,400/0/default.jpg",
        "pct:10,10,80,80/max/0/gray.jpg",
        "square/max/90/default.jpg",
        "0,0,2000,1/max/0/default.jpg",
    ],
)
def test_max_and_the_largest_answers_stay_within_the_limits(client, scan, path):
    media = scan()
    response = get(client, media, path)
    assert response.status_code == 200, response.content
    width, height = picture_of(response).size
    assert width <= 800 and height <= 800 and width * height <= 250_000


def test_the_largest_answer_decodes_about_four_times_its_area_at_most(scan):
    """`full/max` of a 3-megapixel scan limited to a quarter megapixel: the level read is
    the coarsest with enough detail, never the whole scan."""
    media = scan()
    for size in ("max", "^max", "800,", "!800,800", "^pct:1"):
        try:
            request = iiif_image.parse(media, "full", size, "0", "default", "jpg")
        except iiif_image.ImageRequestError:
            continue
        work = iiif_image.Work()
        iiif_image.render(media, request, work)
        out_w, out_h = request.size
        edges = (2 * out_w + 2 * TILE) * (2 * out_h + 2 * TILE)
        assert work.pixels_decoded <= edges, size
        assert work.factor >= 2, size


def test_a_distorting_size_does_not_read_the_whole_region(scan):
    media = scan()
    request = iiif_image.parse(media, "full", "800,2", "0", "default", "jpg")
    work = iiif_image.Work()
    iiif_image.render(media, request, work)
    assert work.pixels_decoded <= TILE * TILE  # the coarsest level: one tile


def test_a_tiny_region_scaled_up_reads_one_tile(client, scan):
    media = scan()
    assert get(client, media, "10,10,4,4/400,400/0/default.jpg").status_code == 400
    response = get(client, media, "10,10,4,4/^400,400/0/default.jpg")
    assert response.status_code == 200
    assert picture_of(response).size == (400, 400)
    request = iiif_image.parse(media, "10,10,4,4", "^400,400", "0", "default", "jpg")
    work = iiif_image.Work()
    iiif_image.render(media, request, work)
    assert work.files_read == [derivatives.tile_name(media.checksum, 1, 0, 0)]


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("full/100000,/0/default.jpg", 400, "^"),  # upscaling without ^
        ("full/^100000,/0/default.jpg", 400, "maxWidth"),
        ("full/^800,800/0/default.jpg", 400, "maxArea"),  # 640,000 pixels
        ("full/^,5000/0/default.jpg", 400, "maxHeight"),
        ("full/pct:1000/0/default.jpg", 400, "^"),
        ("full/^pct:1000/0/default.jpg", 400, "maxWidth"),
        ("full/pct:0.001/0/default.jpg", 400, "zero"),
        ("full/0,/0/default.jpg", 400, "zero"),
        ("pct:0,0,0.001,0.001/max/0/default.jpg", 400, "no width"),
        ("0,0,0,10/max/0/default.jpg", 400, "no width"),
        ("2000,0,10,10/max/0/default.jpg", 400, "outside"),
        ("pct:100,0,10,10/max/0/default.jpg", 400, "outside"),
        ("a,b,c,d/max/0/default.jpg", 400, "Region"),
        ("full/huge/0/default.jpg", 400, "Size"),
        ("full/100,/45/default.jpg", 501, "90"),
        ("full/100,/361/default.jpg", 400, "Rotation"),
        ("full/100,/0/sepia.jpg", 400, "quality"),
        ("full/100,/0/default.tif", 501, "not offered"),
        ("full/100,/0/default.exe", 400, "format"),
        # Digits enough to overflow a float: a 400, not a 500.
        (f"pct:0,0,{'9' * 400},10/max/0/default.jpg", 400, "out of range"),
        (f"full/^{'9' * 400},/0/default.jpg", 400, "out of range"),
    ],
)
def test_requests_beyond_the_limits_are_refused_with_a_reason(client, scan, path, status, says):
    media = scan()
    response = get(client, media, path)
    assert response.status_code == status, response.content
    assert says in response.content.decode()
    assert response["Content-Type"].startswith("text/plain")


def test_rotation_mirroring_and_qualities(client, scan):
    media = scan()
    turned = picture_of(get(client, media, "full/200,/90/default.jpg"))
    assert turned.size == (150, 200)
    # Turned clockwise: the left (red) half is now on top.
    red, _g, blue = turned.getpixel((75, 20))
    assert red > 180 and blue < 60
    mirrored = picture_of(get(client, media, "full/200,/!0/default.jpg"))
    red, _g, blue = mirrored.getpixel((20, 75))
    assert blue > 180 and red < 60
    assert picture_of(get(client, media, "full/200,/0/gray.png")).mode == "L"
    assert picture_of(get(client, media, "full/200,/0/bitonal.png")).mode == "1"
    assert picture_of(get(client, media, "full/200,/0/color.webp")).format == "WEBP"


def test_a_computed_answer_is_kept_and_served_again_without_its_sources(client, scan, media_root):
    media = scan()
    path = "1000,1000,700,500/350,/0/default.jpg"
    first = get(client, media, path)
    assert first.status_code == 200
    # Take away every source it was made from: the tiles, the derivatives, the original.
    shutil.rmtree(media_root / "tiles")
    shutil.rmtree(media_root / "derivatives")
    (media_root / media.file.name).unlink()
    again = get(client, media, path)
    assert again.status_code == 200
    assert again.content == first.content
    # The same picture asked for in other words is the same cached answer.
    assert get(client, media, "1000,1000,700,500/350,250/0/color.jpg").content == first.content
    # Something not computed before cannot be made now.
    assert get(client, media, "1000,1000,700,500/300,/0/default.jpg").status_code == 404


def test_many_distinct_regions_keep_the_cache_bounded(client, scan, settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "iiif": {**settings.CACHES["iiif"], "LOCATION": str(tmp_path / "small-cache"),
                 "OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 3}},
    }  # fmt: skip
    media = scan()
    for n in range(40):
        response = get(client, media, f"{n * 40},{n * 25},200,200/50,/0/default.jpg")
        assert response.status_code == 200
    cached = [p for p in Path(tmp_path / "small-cache").iterdir() if p.suffix == ".djcache"]
    assert 0 < len(cached) <= 10


def test_answers_above_the_size_limit_are_not_cached(client, scan, settings, tmp_path):
    settings.KRONIKA_IIIF_CACHE_MAX_BYTES = 100
    media = scan()
    assert get(client, media, "full/400,/0/default.png").status_code == 200
    assert not list((tmp_path / "iiif-cache").glob("*.djcache"))


def test_a_draft_images_computed_region_is_not_public_even_once_cached(archivist_client, scan):
    media = scan(status=Status.DRAFT)
    path = "0,0,500,500/100,/0/default.jpg"
    staff = get(archivist_client, media, path)
    assert staff.status_code == 200
    assert staff["Cache-Control"] == "private, no-store"
    assert get(Client(), media, path).status_code == 404  # a visitor, not logged in


def test_stored_tiles_are_still_served_as_they_are(client, scan, media_root):
    media = scan()
    response = client.get(f"/iiif/image/{media.checksum}/0,0,2000,1500/125,94/0/default.jpg")
    assert response.status_code == 200
    assert (
        b"".join(response.streaming_content)
        == (media_root / derivatives.tile_name(media.checksum, 16, 0, 0)).read_bytes()
    )


def test_an_image_without_tiles_is_offered_at_its_largest_public_size(client, limits):
    item = ItemFactory()
    media = MediaFileFactory(item=item, file=ContentFile(halves(500, 400), name="mala.jpg"))
    info = client.get(f"/iiif/image/{media.checksum}/info.json").json()
    assert (info["maxWidth"], info["maxHeight"]) == (500, 400)
    region = picture_of(get(client, media, "250,0,250,400/100,/0/default.jpg"))
    red, _g, blue = region.getpixel((50, 80))
    assert region.size == (100, 160) and blue > 180 and red < 60
    assert get(client, media, "full/^600,/0/default.jpg").status_code == 400
