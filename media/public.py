"""What the public may see of a media file: the one place that decides which URLs to give out.

The REST API, the IIIF manifests, search cards and templates all call these functions, so
the rule "an original is linked only when its licence allows download" lives here once.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.urls import reverse

from . import derivatives


def _absolute(url: str, request) -> str:
    if request is not None and url.startswith("/"):
        return request.build_absolute_uri(url)
    return url


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
        urls.setdefault(derivative.format, {})[str(derivative.width)] = _absolute(
            default_storage.url(derivative.name), request
        )
    return urls


def public_media(media_file, request=None) -> dict:
    """The public face of a media file (the shape of `media[]` in the API)."""
    derived = derivative_set(media_file)
    original = _absolute(media_file.file.url, request) if media_file.file else None
    download_url = original if original_downloadable(media_file) else None
    url = original if original_is_public(media_file) else None
    if url is None and derived:
        largest = max((d for d in derived if d.format == "jpeg"), key=lambda d: d.width)
        url = _absolute(default_storage.url(largest.name), request)
    return {
        "url": url,
        "kind": media_file.kind,
        "width": media_file.width,
        "height": media_file.height,
        "alt_text": media_file.alt_text,
        "alt_text_en": media_file.alt_text_en,
        "derivatives": derivative_urls(media_file, request),
        "download_url": download_url,
    }


def thumbnail_url(checksum: str, width: int | None, height: int | None, target: int = 320) -> str:
    """The URL `thumbnail()` gives, from raw column values (for bulk code using values())."""
    jpegs = [d for d in derivatives.derivatives_for(checksum, width, height) if d.format == "jpeg"]
    if not jpegs:
        return ""
    wide_enough = [d for d in jpegs if d.width >= target]
    chosen = min(wide_enough, key=lambda d: d.width) if wide_enough else jpegs[-1]
    return default_storage.url(chosen.name)


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
        "url": _absolute(default_storage.url(chosen.name), request),
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
        "profile": "level0",
    }
