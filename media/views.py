"""Serve stored media: originals, derivatives and IIIF tiles, keeping drafts private.

Every public byte goes through the same question: is there a media file of a published
item (or is the visitor staff) that this name belongs to? Derivatives and tiles carry the
original's checksum in their name, so the answer is one indexed query.
"""

from __future__ import annotations

import logging
import math
import re
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from archive.models import Item
from interop import iiif_image as image_api

from . import derivatives
from .models import MediaFile
from .public import (
    PUBLICATION_PREFIX,
    original_is_public,
    public_original_name,
    publication_token,
)
from .validation import CONTENT_TYPES

logger = logging.getLogger(__name__)
IMMUTABLE = "public, max-age=31536000, immutable"
PRIVATE = "private, no-store"


def _visible(request, **filters) -> MediaFile | None:
    return (
        MediaFile.objects.filter(
            item__in=Item.objects.visible_to(request.user).values("pk"), **filters
        )
        .select_related("item__licence")
        .order_by("-item__status")  # "published" before "draft": the cacheable answer first
        .first()
    )


def _is_staff(request) -> bool:
    return request.user.is_authenticated and request.user.is_staff


def content_type(name: str) -> str:
    """The type a stored file is served as: from the extension that validation chose when it
    recognised the content (`CONTENT_TYPES`), never from the system's name tables."""
    return CONTENT_TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")


def cache_control(media: MediaFile, *, tokened: bool) -> str:
    """Drafts are never cached. A published file under its publication token may be kept
    forever: that URL dies when the item is unpublished and is never given out again. Any
    other URL of a published file (IIIF tiles, older links) is kept for a short while only,
    so that unpublishing takes it out of caches within KRONIKA_MEDIA_MAX_AGE seconds."""
    if not media.item.is_published:
        return PRIVATE
    return IMMUTABLE if tokened else f"public, max-age={settings.KRONIKA_MEDIA_MAX_AGE}"


def _file_response(name: str, media: MediaFile, *, tokened: bool = False) -> FileResponse:
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type(name))
    response["Cache-Control"] = cache_control(media, tokened=tokened)
    # No browser may read a stored file as anything else, nor run anything in it if opened
    # on its own: no sniffing, and a sandbox without scripts, plugins or same-origin rights.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    # Documents are downloaded, not opened in the browser's PDF viewer on our origin.
    disposition = "attachment" if media.kind == MediaFile.Kind.DOCUMENT else "inline"
    response["Content-Disposition"] = disposition
    return response


def _candidates(request, **filters) -> list[MediaFile]:
    return list(
        MediaFile.objects.filter(
            item__in=Item.objects.visible_to(request.user).values("pk"), **filters
        )
        .select_related("item__licence")
        .order_by("-item__status", "pk")  # published before draft: the cacheable answer
    )


def _may_fetch(request, media: MediaFile, name: str) -> bool:
    """Whether this visitor may have this stored file of this media file."""
    if name == media.file.name:
        # The untouched original of an image (GPS, camera serial…) is for staff only; the
        # public gets its public copy, under a licence that allows download.
        return _is_staff(request) or (not media.is_image and original_is_public(media))
    if name == public_original_name(media):
        return _is_staff(request) or original_is_public(media)
    if name == media.captions.name:
        return True
    return name in {d.name for d in derivatives.derivatives_for(media.checksum, *_size(media))}


@require_safe
def serve_media(request, name: str):
    """A stored file, plain (`/media/<name>`) or under a publication token
    (`/media/p/<token>/<name>`, the URLs media.public gives out for published items)."""
    token = None
    prefix, _slash, rest = name.partition("/")
    if prefix == PUBLICATION_PREFIX:
        token, _slash, name = rest.partition("/")
    checksum = derivatives.parse_derivative_name(name)
    if checksum:
        candidates = _candidates(request, checksum=checksum, kind=MediaFile.Kind.IMAGE)
    else:
        candidates = _candidates(request, file=name) or _candidates(request, captions=name)
    media = next(
        (
            m
            for m in candidates
            if _may_fetch(request, m, name)
            and (token is None or (m.item.is_published and token == _token(m)))
        ),
        None,
    )
    if media is None:
        raise Http404("No such file.")
    if checksum:
        derivatives.ensure_generated(media, name)
    if not default_storage.exists(name):
        raise Http404("No such file.")
    return _file_response(name, media, tokened=token is not None)


def _token(media: MediaFile) -> str | None:
    return publication_token(media.checksum, media.item.published_at)


def _size(media: MediaFile | None) -> tuple[int | None, int | None]:
    return (media.width, media.height) if media else (None, None)


# --- IIIF Image API 3.0: stored tiles, and level 2 beyond them ----------------------------

IIIF_CONTEXT = "http://iiif.io/api/image/3/context.json"
REGION = re.compile(r"^(\d+),(\d+),(\d+),(\d+)$")
SIZE = re.compile(r"^(\d+),(\d*)$")


def _iiif_media(request, identifier: str) -> MediaFile:
    if not re.fullmatch(r"[0-9a-f]{64}", identifier):
        raise Http404("No such image.")
    media = _visible(request, checksum=identifier, kind=MediaFile.Kind.IMAGE)
    if media is None or not media.width or not media.height:
        raise Http404("No such image.")
    return media


def _cors(response):
    # IIIF viewers on other sites read info.json and tiles: allowed for published images.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def iiif_base(request, identifier: str):
    _iiif_media(request, identifier)
    return HttpResponseRedirect(reverse("media-iiif:info", kwargs={"identifier": identifier}))


@require_safe
def iiif_info(request, identifier: str):
    media = _iiif_media(request, identifier)
    width, height = media.width, media.height
    base = request.build_absolute_uri(reverse("media-iiif:base", kwargs={"identifier": identifier}))
    info = {
        "@context": IIIF_CONTEXT,
        "id": base,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": image_api.PROFILE,
        "width": width,
        "height": height,
        **image_api.info_limits(media),
        "extraFormats": [f for f in image_api.FORMATS if f not in ("jpg", "png")],
        "extraQualities": [q for q in image_api.QUALITIES if q != "default"],
        "extraFeatures": image_api.EXTRA_FEATURES,
    }
    if derivatives.needs_tiles(width, height):
        # No "sizes" beside tiles: viewers such as OpenSeadragon take a "sizes" list of the
        # right length as the pyramid's level sizes, and our derivative widths are not those.
        info["tiles"] = [
            {
                "width": settings.KRONIKA_TILE_SIZE,
                "scaleFactors": derivatives.scale_factors(width, height),
            }
        ]
    else:
        info["sizes"] = [
            {"width": d.width, "height": d.height}
            for d in derivatives.derivatives_for(identifier, width, height)
            if d.format == "jpeg"
        ]
    response = JsonResponse(info, content_type=f'application/ld+json;profile="{IIIF_CONTEXT}"')
    response["Cache-Control"] = "public, max-age=86400" if media.item.is_published else PRIVATE
    return _cors(response)


def _tile_for(media: MediaFile, region: str, size: str) -> str | None:
    """The stored file a level-0 request maps to: a tile, or a whole-image derivative."""
    width, height = media.width, media.height
    tile = settings.KRONIKA_TILE_SIZE
    size_match = SIZE.match(size)
    if region == "full":
        if size == "max":
            requested = (width, height)
        elif size_match:
            requested = (int(size_match[1]), int(size_match[2] or 0))
        else:
            return None

        def fits(w: int, h: int) -> bool:
            return requested[0] == w and requested[1] in (0, h)

        for d in derivatives.derivatives_for(media.checksum, width, height):
            if d.format == "jpeg" and fits(d.width, d.height):
                return d.name
        if derivatives.needs_tiles(width, height):
            factor = derivatives.scale_factors(width, height)[-1]
            level = (math.ceil(width / factor), math.ceil(height / factor))
            if fits(*level):
                return derivatives.tile_name(media.checksum, factor, 0, 0)
        return None
    region_match = REGION.match(region)
    if not region_match or not derivatives.needs_tiles(width, height):
        return None
    x, y, w, h = (int(v) for v in region_match.groups())
    for factor in derivatives.scale_factors(width, height):
        span = tile * factor
        if x % span or y % span or x >= width or y >= height:
            continue
        if (w, h) != (min(span, width - x), min(span, height - y)):
            continue
        expected = (
            min(tile, math.ceil(width / factor) - x // factor),
            min(tile, math.ceil(height / factor) - y // factor),
        )
        if size == "max":
            matches = factor == 1
        else:
            matches = (
                bool(size_match)
                and (
                    int(size_match[1]),
                    int(size_match[2] or expected[1]),
                )
                == expected
            )
        if matches:
            return derivatives.tile_name(media.checksum, factor, x // span, y // span)
    return None


@require_safe
def iiif_image(
    request, identifier: str, region: str, size: str, rotation: str, quality: str, fmt: str
):
    """A stored tile or derivative when the request names one; anything else computed
    within the limits of interop.iiif_image (and cached there)."""
    media = _iiif_media(request, identifier)
    stored = None
    if rotation == "0" and quality == "default" and fmt == "jpg":
        stored = _tile_for(media, region, size)
    if stored is not None:
        derivatives.ensure_generated(media, stored)
        if not default_storage.exists(stored):
            raise Http404("No such tile.")
        response = _file_response(stored, media)
        response["Content-Type"] = "image/jpeg"
        return _cors(response)
    try:
        wanted = image_api.parse(media, region, size, rotation, quality, fmt)
        data, _cached = image_api.answer(media, wanted)
    except image_api.ImageRequestError as error:
        return _cors(
            HttpResponse(str(error), status=error.status, content_type="text/plain; charset=utf-8")
        )
    except OSError:
        # The stored tiles or derivative cannot be read (nor made: ensure_generated logged why).
        raise Http404("No such image.") from None
    response = HttpResponse(data, content_type=wanted.content_type)
    response["Cache-Control"] = cache_control(media, tokened=False)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return _cors(response)
