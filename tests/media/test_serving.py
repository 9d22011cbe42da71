"""Who may fetch what: drafts private (originals, derivatives, tiles), long caching."""

import math

import pytest
from django.core.files.base import ContentFile

from archive.models import Status
from media import derivatives
from media.public import file_url, public_media, public_original_name
from tests.factories import ItemFactory, MediaFileFactory
from tests.media.conftest import photo_with_exif, picture

pytestmark = pytest.mark.django_db


@pytest.fixture
def image(django_capture_on_commit_callbacks, zoom_small, closed_licence):
    def make(status=Status.PUBLISHED, licence=None, size=(900, 700), run_task=True):
        item = ItemFactory(status=status, licence=licence or closed_licence)
        content = ContentFile(picture(*size), name="mapa.jpg")
        if not run_task:
            return MediaFileFactory(item=item, file=content)
        with django_capture_on_commit_callbacks(execute=True):
            return MediaFileFactory(item=item, file=content)

    return make


def public_original_url(media):
    return file_url(media, public_original_name(media))


def derivative_url(media, width=320, fmt="webp"):
    return "/media/" + derivatives.derivative_name(media.checksum, width, fmt)


def test_published_derivatives_are_served_with_immutable_caching_under_their_token(client, image):
    media = image()
    url = public_media(media)["derivatives"]["webp"]["320"]
    assert url.startswith("/media/p/")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_untokened_urls_of_published_files_are_cached_briefly(client, image, settings):
    settings.KRONIKA_MEDIA_MAX_AGE = 600
    media = image()
    response = client.get(derivative_url(media))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=600"


def test_draft_media_derivatives_and_tiles_are_not_public(client, image):
    media = image(status=Status.DRAFT)
    base = f"/iiif/image/{media.checksum}"
    for url in (
        media.file.url,
        derivative_url(media),
        derivative_url(media, 640, "jpeg"),
        f"{base}/info.json",
        f"{base}/0,0,256,256/256,256/0/default.jpg",
        f"{base}/full/320,249/0/default.jpg",
    ):
        assert client.get(url).status_code == 404, url


def test_staff_see_draft_derivatives_but_nothing_is_cached(archivist_client, image):
    media = image(status=Status.DRAFT)
    response = archivist_client.get(derivative_url(media))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    info = archivist_client.get(f"/iiif/image/{media.checksum}/info.json")
    assert info.status_code == 200 and info["Cache-Control"] == "private, no-store"


def test_original_image_is_public_only_under_a_licence_that_allows_download(
    client, image, open_licence, archivist
):
    closed = image(size=(300, 200))
    opened = image(size=(300, 201), licence=open_licence)
    assert public_media(closed)["download_url"] is None
    assert client.get(closed.file.url).status_code == 404
    assert client.get(public_original_url(closed)).status_code == 404
    assert client.get(public_media(opened)["download_url"]).status_code == 200
    # The untouched original (GPS, serials) is never public, whatever the licence.
    assert client.get(opened.file.url).status_code == 404
    client.force_login(archivist)
    assert client.get(closed.file.url).status_code == 200
    assert client.get(opened.file.url).status_code == 200


def test_a_missing_derivative_is_produced_on_first_request(client, image, media_root):
    media = image(run_task=False)  # as if the task backend had not run yet
    assert not (media_root / "derivatives").exists()
    response = client.get(derivative_url(media, 640, "jpeg"))
    assert response.status_code == 200
    assert (media_root / derivatives.derivative_name(media.checksum, 640, "jpeg")).is_file()


def test_names_outside_the_derivative_set_are_not_found(client, image):
    media = image()
    assert client.get(derivative_url(media, 333)).status_code == 404
    assert client.get(derivative_url(media, 2048)).status_code == 404  # never upscaled
    assert client.get("/media/derivatives/ab/" + "ab" * 32 + "/320.webp").status_code == 404


# --- IIIF Image API -----------------------------------------------------------------------


def test_info_json_describes_a_level2_service_with_tiles_and_limits(client, image):
    media = image()
    response = client.get(f"/iiif/image/{media.checksum}/info.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    info = response.json()
    assert info["@context"] == "http://iiif.io/api/image/3/context.json"
    assert info["id"] == f"http://testserver/iiif/image/{media.checksum}"
    assert (info["type"], info["protocol"], info["profile"]) == (
        "ImageService3",
        "http://iiif.io/api/image",
        "level2",
    )
    assert {"maxWidth", "maxHeight", "maxArea"} <= set(info)
    assert (info["width"], info["height"]) == (900, 700)
    assert info["tiles"] == [{"width": 256, "scaleFactors": [1, 2, 4]}]
    # Derivative sizes would be mistaken for pyramid levels by OpenSeadragon beside tiles.
    assert "sizes" not in info
    assert client.get(f"/iiif/image/{media.checksum}").status_code == 302


def test_small_images_are_described_by_their_sizes(client, image):
    media = image(size=(500, 400))
    info = client.get(f"/iiif/image/{media.checksum}/info.json").json()
    assert "tiles" not in info
    assert info["sizes"] == [{"width": 320, "height": 256}, {"width": 500, "height": 400}]
    for size in info["sizes"]:
        url = f"/iiif/image/{media.checksum}/full/{size['width']},{size['height']}/0/default.jpg"
        assert client.get(url).status_code == 200


def openseadragon_urls(info):
    """The tile URLs OpenSeadragon 5 asks a IIIF 3 level-0 service for (its getTileUrl)."""
    width, height = info["width"], info["height"]
    tile = info["tiles"][0]["width"]
    for factor in info["tiles"][0]["scaleFactors"]:
        level_w, level_h = math.ceil(width / factor), math.ceil(height / factor)
        for y in range(math.ceil(level_h / tile)):
            for x in range(math.ceil(level_w / tile)):
                if level_w < tile and level_h < tile:
                    size = (
                        "max" if (level_w, level_h) == (width, height) else f"{level_w},{level_h}"
                    )
                    yield f"full/{size}/0/default.jpg", (level_w, level_h)
                    continue
                span = tile * factor
                rx, ry = x * span, y * span
                rw, rh = min(span, width - rx), min(span, height - ry)
                region = (
                    "full" if (rx, ry, rw, rh) == (0, 0, width, height) else f"{rx},{ry},{rw},{rh}"
                )
                sw, sh = min(tile, level_w - x * tile), min(tile, level_h - y * tile)
                size = "max" if (sw, sh) == (width, height) else f"{sw},{sh}"
                yield f"{region}/{size}/0/default.jpg", (sw, sh)


def test_every_tile_openseadragon_requests_exists_with_the_right_size(client, image):
    from io import BytesIO

    from PIL import Image

    media = image()
    base = f"/iiif/image/{media.checksum}"
    info = client.get(f"{base}/info.json").json()
    urls = list(openseadragon_urls(info))
    assert len(urls) == 12 + 4 + 1
    for url, size in urls:
        response = client.get(f"{base}/{url}")
        assert response.status_code == 200, url
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "public, max-age=3600"
        assert Image.open(BytesIO(b"".join(response.streaming_content))).size == size


def test_requests_beyond_the_stored_tiles_are_computed_or_refused_with_a_reason(client, image):
    """Regions, sizes, rotations, qualities and formats no stored file holds are computed
    (level 2, within limits: tests/media/test_iiif_bounds.py); bad ones are a 400."""
    from io import BytesIO

    from PIL import Image

    media = image()
    base = f"/iiif/image/{media.checksum}"
    for url, size in (
        ("10,10,100,100/100,100/0/default.jpg", (100, 100)),
        ("0,0,256,256/128,128/0/default.jpg", (128, 128)),
        ("full/max/90/default.jpg", (700, 900)),
        ("full/max/0/gray.jpg", (900, 700)),
        ("full/max/0/default.png", (900, 700)),
        ("full/123,/0/default.jpg", (123, 96)),
    ):
        response = client.get(f"{base}/{url}")
        assert response.status_code == 200, url
        assert Image.open(BytesIO(response.content)).size == size, url
    refused = client.get(f"{base}/10,10,100,100/200,200/0/default.jpg")
    assert refused.status_code == 400
    assert "^" in refused.content.decode()
    assert client.get(f"{base}/full/640,/0/default.jpg").status_code == 200
    assert client.get("/iiif/image/nothex/info.json").status_code == 404


def test_an_unreadable_original_gives_404_not_500(client, image, media_root):
    media = image(run_task=False)
    (media_root / media.file.name).write_bytes(b"not an image any more")
    assert client.get(derivative_url(media)).status_code == 404


def test_documents_are_downloaded_with_the_type_validation_found(client):
    from tests.media import samples

    media = MediaFileFactory(
        item=ItemFactory(status=Status.PUBLISHED),
        file=ContentFile(samples.pdf(), name="strona.html"),
        transcript="Tekst.",
    )
    response = client.get(media.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_recordings_play_in_place_with_their_validated_type(client):
    from tests.media import samples

    media = MediaFileFactory(
        item=ItemFactory(status=Status.PUBLISHED),
        file=ContentFile(samples.mp3(), name="nagranie.html"),
        transcript="Dzień dobry.",
    )
    response = client.get(media.file.url)
    assert response["Content-Type"] == "audio/mpeg"
    assert response["Content-Disposition"] == "inline"
    assert response["Content-Security-Policy"] == "sandbox"


# --- Privacy after publishing ---------------------------------------------------------------


def test_public_originals_have_no_location_or_camera_serial_but_staff_get_the_original(
    client, archivist, open_licence, django_capture_on_commit_callbacks
):
    import io

    from PIL import Image

    content = photo_with_exif()
    item = ItemFactory(status=Status.PUBLISHED, licence=open_licence)
    with django_capture_on_commit_callbacks(execute=True):
        media = MediaFileFactory(item=item, file=ContentFile(content, name="rodzina.jpg"))
    response = client.get(public_media(media)["download_url"])
    assert response.status_code == 200
    public = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(public)) as copy, Image.open(io.BytesIO(content)) as original:
        exif = copy.getexif()
        assert exif.get_ifd(0x8825) == {}  # no GPS
        assert exif.get_ifd(0x8769) == {}  # no Exif IFD: no body serial, owner, maker notes
        assert 0x010F not in exif  # no camera maker
        assert exif.get(0x0112) == 6  # still shown upright
        assert copy.tobytes() == original.tobytes()  # the same picture, not re-encoded
    assert b"SERIAL-123456789" not in public and b"KameraCorp" not in public
    client.force_login(archivist)
    staff = client.get(media.file.url)
    assert b"".join(staff.streaming_content) == content  # archivists keep every byte


def test_an_unpublished_item_s_old_media_urls_no_longer_answer(
    client, image, open_licence, django_capture_on_commit_callbacks
):
    media = image(licence=open_licence)
    face = public_media(media)
    old = [face["derivatives"]["jpeg"]["320"], face["download_url"]]
    assert all(client.get(url).status_code == 200 for url in old)

    item = media.item
    item.status = Status.DRAFT
    item.save()
    assert [client.get(url).status_code for url in old] == [404, 404]

    # Published again: new URLs; the old ones stay dead, so nothing cached under them is
    # ever linked or served again.
    item.status = Status.PUBLISHED
    item.save()
    media.refresh_from_db()
    face = public_media(media)
    new = [face["derivatives"]["jpeg"]["320"], face["download_url"]]
    assert set(new).isdisjoint(old)
    assert [client.get(url).status_code for url in new] == [200, 200]
    assert [client.get(url).status_code for url in old] == [404, 404]


def test_a_token_of_another_item_with_the_same_file_does_not_open_a_draft(client, image):
    published = image()
    draft = image(status=Status.DRAFT)
    assert draft.checksum == published.checksum
    url = public_media(published)["derivatives"]["jpeg"]["320"]
    token = url.split("/")[3]
    assert client.get(url).status_code == 200
    assert client.get(url.replace(token, "0" * 16)).status_code == 404


def test_the_item_page_download_of_the_original_is_the_public_copy(
    client, archivist, open_licence, django_capture_on_commit_callbacks
):
    from media.downloads import download_options

    item = ItemFactory(status=Status.PUBLISHED, licence=open_licence)
    with django_capture_on_commit_callbacks(execute=True):
        media = MediaFileFactory(item=item, file=ContentFile(photo_with_exif(), name="r.jpg"))
    [original] = [o for o in download_options(media) if o.size == "original"]
    public = b"".join(client.get(original.url).streaming_content)
    assert public and b"SERIAL-123456789" not in public and b"KameraCorp" not in public
    client.force_login(archivist)
    staff = b"".join(client.get(original.url).streaming_content)
    assert b"SERIAL-123456789" in staff  # archivists download the untouched file
