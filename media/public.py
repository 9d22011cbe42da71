"""What the public may see of a media file: the one place that decides which URLs to give out.

The REST API, the IIIF manifests, search cards and templates all call these functions, so
the rule "an original is linked only when its licence allows download" lives here once.

Files of a published item are linked under a **publication token**
(`/media/p/<token>/<name>`): the token is made from the file's checksum and the moment the
item was published, so every publication gets new URLs, an unpublished item's URLs answer
404 from then on, and only these URLs are cached as immutable (see `media.views`).
"""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils.encoding import filepath_to_uri

from interop.iiif_image import PROFILE

from . import derivatives

PUBLICATION_PREFIX = "p"


def _absolute(url: str, request) -> str:
    if request is not None and url.startswith("/"):
        return request.build_absolute_uri(url)
    return url


def publication_token(checksum: str, published_at) -> str | None:
    """The URL token of a file while its item stays published; None for drafts."""
    if not checksum or published_at is None:
        return None
    return hashlib.sha256(f"{checksum}:{published_at.isoformat()}".encode()).hexdigest()[:16]


def stored_url(name: str) -> str:
    """Kronika's own URL of a stored file (`MEDIA_URL` + name), whatever the storage.

    Never the storage's URL: on S3 that would be a signed link to the bucket, which
    outlives an unpublication and skips the visibility check. Every public byte goes
    through `media.views`, which checks visibility and streams from the storage (local
    disk or a bucket alike), so publication tokens and private drafts work the same."""
    return urljoin(settings.MEDIA_URL, filepath_to_uri(name))


def file_url(media_file, name: str, request=None) -> str:
    """The URL of a stored file of this media file: tokened while the item is published."""
    item = media_file.item
    published_at = item.published_at if item.is_published else None
    return _absolute(_tokened(stored_url(name), media_file.checksum, published_at), request)


def _tokened(url: str, checksum: str, published_at) -> str:
    token = publication_token(checksum, published_at)
    prefix = "/" + settings.MEDIA_URL.lstrip("/")
    if token and url.startswith(prefix):
        return f"{prefix}{PUBLICATION_PREFIX}/{token}/{url[len(prefix) :]}"
    return url


def public_original_name(media_file) -> str:
    """The stored name the public gets as "the original": for images, the public copy
    without location or device data (`media.privacy`); for the rest, the file itself."""
    if media_file.is_image and media_file.checksum:
        suffix = PurePosixPath(media_file.file.name).suffix
        return derivatives.public_copy_name(media_file.checksum, suffix)
    return media_file.file.name


def download_url(media_file, request=None) -> str | None:
    """The public "download the original" link, when the licence allows it."""
    if not media_file.file or not original_downloadable(media_file):
        return None
    return file_url(media_file, public_original_name(media_file), request)


def original_downloadable(media_file) -> bool:
    """Whether the item's licence lets the public download original files."""
    licence = media_file.item.licence
    return bool(licence and licence.allows_download)


def original_is_public(media_file) -> bool:
    """Images are shown through their derivatives, so their original is public only when
    the licence allows download. Audio, video and PDF have no other rendition: their file
    is what the public plays or reads on a published item's page."""
    return not media_file.is_image or original_downloadable(media_file)


def derivative_set(media_file) -> list[derivatives.Derivative]:
    if not media_file.is_image:
        return []
    return derivatives.derivatives_for(media_file.checksum, media_file.width, media_file.height)


def derivative_urls(media_file, request=None) -> dict[str, dict[str, str]]:
    """{"webp": {"320": url, …}, "jpeg": {…}}; empty for anything but images."""
    urls: dict[str, dict[str, str]] = {}
    for derivative in derivative_set(media_file):
        urls.setdefault(derivative.format, {})[str(derivative.width)] = file_url(
            media_file, derivative.name, request
        )
    return urls


def public_media(media_file, request=None) -> dict:
    """The public face of a media file (the shape of `media[]` in the API)."""
    derived = derivative_set(media_file)
    original = (
        file_url(media_file, public_original_name(media_file), request) if media_file.file else None
    )
    url = original if original_is_public(media_file) else None
    if url is None and derived:
        largest = max((d for d in derived if d.format == "jpeg"), key=lambda d: d.width)
        url = file_url(media_file, largest.name, request)
    return {
        "url": url,
        "kind": media_file.kind,
        "width": media_file.width,
        "height": media_file.height,
        "alt_text": media_file.alt_text,
        "alt_text_en": media_file.alt_text_en,
        "derivatives": derivative_urls(media_file, request),
        "download_url": download_url(media_file, request),
    }


def thumbnail_url(
    checksum: str,
    width: int | None,
    height: int | None,
    target: int = 320,
    published_at=None,
) -> str:
    """The URL `thumbnail()` gives, from raw column values (for bulk code using values()).

    Without the item's `published_at` the URL carries no publication token: it still works,
    with a short cache lifetime (`media.views.cache_control`)."""
    jpegs = [d for d in derivatives.derivatives_for(checksum, width, height) if d.format == "jpeg"]
    if not jpegs:
        return ""
    wide_enough = [d for d in jpegs if d.width >= target]
    chosen = min(wide_enough, key=lambda d: d.width) if wide_enough else jpegs[-1]
    return _tokened(stored_url(chosen.name), checksum, published_at)


def thumbnail(media_file, width: int = 320, request=None) -> dict | None:
    """The smallest JPEG derivative at least `width` wide (or the largest there is).

    JPEG rather than WebP: thumbnails also go to harvesters and API clients.
    """
    jpegs = [d for d in derivative_set(media_file) if d.format == "jpeg"]
    if not jpegs:
        return None
    wide_enough = [d for d in jpegs if d.width >= width]
    chosen = (
        min(wide_enough, key=lambda d: d.width)
        if wide_enough
        else max(jpegs, key=lambda d: d.width)
    )
    return {
        "url": file_url(media_file, chosen.name, request),
        "width": chosen.width,
        "height": chosen.height,
    }


def iiif_image_id(media_file, request=None) -> str:
    """The IIIF Image API base URI of an image (its identifier is the checksum)."""
    url = reverse("media-iiif:base", kwargs={"identifier": media_file.checksum})
    return _absolute(url, request)


def has_zoom(media_file) -> bool:
    return media_file.is_image and derivatives.needs_tiles(media_file.width, media_file.height)


def iiif_image_service(media_file, request=None) -> dict | None:
    """The IIIF Image API 3 service of a large image that has tiles; None otherwise."""
    if not has_zoom(media_file):
        return None
    return {
        "id": iiif_image_id(media_file, request),
        "type": "ImageService3",
        "profile": PROFILE,
    }
