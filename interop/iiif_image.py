"""IIIF Image API 3.0 requests beyond the stored tiles: parsed, bounded, computed, cached.

The stored tile pyramid and JPEG derivatives answer what viewers ask for most; any other
region, size, rotation, quality or format is computed here, within limits, so that no
request can make a worker decode a whole 40-megapixel scan or encode a gigapixel answer:

- the answer is at most `KRONIKA_IIIF_MAX_WIDTH` × `KRONIKA_IIIF_MAX_HEIGHT` and
  `KRONIKA_IIIF_MAX_AREA` pixels (info.json's `maxWidth`, `maxHeight`, `maxArea`); `max`
  is shrunk to fit, an explicit size beyond them is a 400;
- pixels are read from the pyramid level just detailed enough for the answer (or from the
  largest public derivative of an image without tiles), so what is decoded is at most about
  four times the answer's area plus the tiles' edges, whatever the region;
- rotation by multiples of 90° only (others are 501, as the spec says for features a server
  does not offer); upscaling only with `^`, within the same limits;
- answers are kept in the bounded "iiif" cache (docs/configuration.md), keyed by the image's
  checksum and the request in canonical form, so the same picture asked for again is not
  computed again.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from media import derivatives

PROFILE = "level2"
QUALITIES = ("default", "color", "gray", "bitonal")
FORMATS = {"jpg": ("JPEG", "image/jpeg"), "png": ("PNG", "image/png"),
           "webp": ("WEBP", "image/webp")}  # fmt: skip
# Formats the spec names that this server does not make: a 501, not a 400.
KNOWN_FORMATS = {"tif", "gif", "pdf", "jp2"}
EXTRA_FEATURES = ["mirroring", "regionSquare", "sizeUpscaling"]
CACHE_ALIAS = "iiif"

_NUMBER = r"\d+(?:\.\d+)?"
_REGION_PX = re.compile(r"^(\d+),(\d+),(\d+),(\d+)$")
_REGION_PCT = re.compile(rf"^pct:({_NUMBER}),({_NUMBER}),({_NUMBER}),({_NUMBER})$")
_SIZE_W = re.compile(r"^(\d+),$")
_SIZE_H = re.compile(r"^,(\d+)$")
_SIZE_WH = re.compile(r"^(!)?(\d+),(\d+)$")
_SIZE_PCT = re.compile(rf"^pct:({_NUMBER})$")
_ROTATION = re.compile(rf"^(!)?({_NUMBER})$")


class ImageRequestError(Exception):
    """A request this service answers with an error: 400 (bad or too large) or 501 (a
    valid request for a feature it does not offer). The message says what is wrong."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Limits:
    max_width: int
    max_height: int
    max_area: int

    @classmethod
    def for_image(cls, media) -> Limits:
        """The configured limits; an image without tiles is offered no larger than its
        largest public derivative (its original is not public at full size)."""
        limits = cls(settings.KRONIKA_IIIF_MAX_WIDTH, settings.KRONIKA_IIIF_MAX_HEIGHT,
                     settings.KRONIKA_IIIF_MAX_AREA)  # fmt: skip
        if derivatives.needs_tiles(media.width, media.height):
            return limits
        source = _largest_jpeg(media)
        return cls(min(limits.max_width, source.width), min(limits.max_height, source.height),
                   min(limits.max_area, source.width * source.height))  # fmt: skip


@dataclass(frozen=True)
class ImageRequest:
    """A request in canonical form: the region in the full image's pixels, the size of
    the answer before rotation, and the rest as the spec spells them."""

    region: tuple[int, int, int, int]
    size: tuple[int, int]
    rotation: int = 0
    mirror: bool = False
    quality: str = "default"
    fmt: str = "jpg"

    @property
    def content_type(self) -> str:
        return FORMATS[self.fmt][1]

    def cache_key(self, checksum: str) -> str:
        x, y, w, h = self.region
        quality = "color" if self.quality == "default" else self.quality
        rotation = f"{'!' if self.mirror else ''}{self.rotation}"
        size = f"{self.size[0]},{self.size[1]}"
        return f"iiif:{checksum}:{x},{y},{w},{h}:{size}:{rotation}:{quality}.{self.fmt}"


@dataclass
class Work:
    """What answering one request cost: the pyramid level read, the tiles (or derivative)
    decoded and their pixels. Tests bound these instead of timing the request."""

    factor: float = 1
    files_read: list[str] = field(default_factory=list)
    pixels_decoded: int = 0


def parse(media, region: str, size: str, rotation: str, quality: str, fmt: str) -> ImageRequest:
    """The canonical request, or ImageRequestError saying why there is none."""
    limits = Limits.for_image(media)
    try:
        box = _region(region, media.width, media.height)
        answer = _size(size, box[2], box[3], limits)
    except (OverflowError, ValueError):  # digits enough to overflow a float (pct:9999…)
        raise ImageRequestError("A number in the request is out of range.") from None
    degrees, mirror = _rotation(rotation)
    if quality not in QUALITIES:
        raise ImageRequestError(f"Unknown quality {quality!r}: one of {', '.join(QUALITIES)}.")
    if fmt not in FORMATS:
        offered = ", ".join(FORMATS)
        if fmt in KNOWN_FORMATS:
            raise ImageRequestError(f"Format {fmt} is not offered; use {offered}.", 501)
        raise ImageRequestError(f"Unknown format {fmt!r}: one of {offered}.")
    return ImageRequest(box, answer, degrees, mirror, quality, fmt)


def _region(region: str, width: int, height: int) -> tuple[int, int, int, int]:
    if region == "full":
        return (0, 0, width, height)
    if region == "square":
        side = min(width, height)
        return ((width - side) // 2, (height - side) // 2, side, side)
    if match := _REGION_PX.match(region):
        x, y, w, h = (int(v) for v in match.groups())
    elif match := _REGION_PCT.match(region):
        px, py, pw, ph = (float(v) for v in match.groups())
        x, y = round(width * px / 100), round(height * py / 100)
        w, h = round(width * pw / 100), round(height * ph / 100)
    else:
        raise ImageRequestError(f"Region {region!r} is not full, square, x,y,w,h or pct:x,y,w,h.")
    if w <= 0 or h <= 0:
        raise ImageRequestError("The region has no width or no height.")
    if x >= width or y >= height:
        raise ImageRequestError(f"The region lies outside the image ({width} × {height}).")
    # A region reaching past the edge is cut at the edge (the spec's rule).
    return (x, y, min(w, width - x), min(h, height - y))


def _size(size: str, rw: int, rh: int, limits: Limits) -> tuple[int, int]:
    upscale = size.startswith("^")
    spec = size[1:] if upscale else size
    if spec == "max":
        # The region's own size (or, with ^, as large as allowed), shrunk to the limits.
        scale = min(limits.max_width / rw, limits.max_height / rh,
                    math.sqrt(limits.max_area / (rw * rh)))  # fmt: skip
        if not upscale:
            scale = min(scale, 1.0)
        return (max(1, math.floor(rw * scale)), max(1, math.floor(rh * scale)))
    if match := _SIZE_W.match(spec):
        w = int(match[1])
        h = round(rh * w / rw)
    elif match := _SIZE_H.match(spec):
        h = int(match[1])
        w = round(rw * h / rh)
    elif match := _SIZE_PCT.match(spec):
        percent = float(match[1])
        if percent > 100 and not upscale:
            raise ImageRequestError("A size above pct:100 needs ^ (upscaling).")
        w, h = round(rw * percent / 100), round(rh * percent / 100)
    elif match := _SIZE_WH.match(spec):
        w, h = int(match[2]), int(match[3])
        if match[1]:  # !w,h: the largest size that keeps the ratio and fits in w × h
            scale = min(w / rw, h / rh)
            w, h = max(1, math.floor(rw * scale)), max(1, math.floor(rh * scale))
    else:
        raise ImageRequestError(
            f"Size {size!r} is not max, w,, ,h, pct:n, w,h or !w,h (each may start with ^)."
        )
    if w < 1 or h < 1:
        raise ImageRequestError("The requested size is zero pixels wide or high.")
    if not upscale and (w > rw or h > rh):
        raise ImageRequestError(
            f"The size {w} × {h} is larger than the region ({rw} × {rh}); "
            "ask with ^ to have it upscaled."
        )
    if w > limits.max_width or h > limits.max_height or w * h > limits.max_area:
        raise ImageRequestError(
            f"The size {w} × {h} is larger than this service gives: at most "
            f"{limits.max_width} × {limits.max_height} and {limits.max_area} pixels "
            "(maxWidth, maxHeight, maxArea in info.json)."
        )
    return (w, h)


def _rotation(rotation: str) -> tuple[int, bool]:
    match = _ROTATION.match(rotation)
    if not match or float(match[2]) > 360:
        raise ImageRequestError(f"Rotation {rotation!r} is not a number of degrees 0–360.")
    degrees = float(match[2])
    if degrees % 90:
        raise ImageRequestError("Only rotation by 0, 90, 180 or 270 degrees is offered.", 501)
    return int(degrees) % 360, bool(match[1])


# --- computing ----------------------------------------------------------------------------


def render(media, request: ImageRequest, work: Work | None = None) -> bytes:
    """The encoded answer, computed from the stored pyramid (or derivative)."""
    work = work if work is not None else Work()
    image = _read_region(media, request, work)
    if image.size != request.size:
        image = image.resize(request.size, Image.Resampling.LANCZOS, reducing_gap=2.0)
    if request.mirror:
        image = ImageOps.mirror(image)
    if request.rotation:
        image = image.rotate(-request.rotation, expand=True)  # IIIF turns clockwise
    if request.quality == "gray":
        image = image.convert("L")
    elif request.quality == "bitonal":
        image = image.convert("1")
    buffer = io.BytesIO()
    pillow_format = FORMATS[request.fmt][0]
    if pillow_format == "JPEG":
        if image.mode == "1":
            image = image.convert("L")
        image.save(buffer, "JPEG", quality=settings.KRONIKA_DERIVATIVE_QUALITY["jpeg"])
    elif pillow_format == "WEBP":
        image.save(buffer, "WEBP", quality=settings.KRONIKA_DERIVATIVE_QUALITY["webp"], method=1)
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()


def _largest_jpeg(media) -> derivatives.Derivative:
    found = [d for d in derivatives.derivatives_for(media.checksum, media.width, media.height)
             if d.format == "jpeg"]  # fmt: skip
    return max(found, key=lambda d: d.width)


def _read_region(media, request: ImageRequest, work: Work) -> Image.Image:
    x, y, w, h = request.region
    if not derivatives.needs_tiles(media.width, media.height):
        source = _largest_jpeg(media)
        scale = media.width / source.width
        work.factor = scale
        box = _scaled_box(request.region, scale, source.width, source.height)
        image = _open(media, source.name, work)
        return image.crop(box)
    factor = _level(media, request)
    work.factor = factor
    level_w, level_h = math.ceil(media.width / factor), math.ceil(media.height / factor)
    left, top, right, bottom = _scaled_box(request.region, factor, level_w, level_h)
    tile = settings.KRONIKA_TILE_SIZE
    canvas = Image.new("RGB", (right - left, bottom - top))
    for ty in range(top // tile, (bottom - 1) // tile + 1):
        for tx in range(left // tile, (right - 1) // tile + 1):
            piece = _open(media, derivatives.tile_name(media.checksum, factor, tx, ty), work)
            canvas.paste(piece, (tx * tile - left, ty * tile - top))
    return canvas


def _level(media, request: ImageRequest) -> int:
    """The scale factor of the pyramid level to read: the coarsest one that still has
    at least the answer's detail in both directions; for a distorting size, the coarsest
    with the detail of the more reduced direction (so the read stays near the answer's
    area instead of the region's)."""
    _x, _y, w, h = request.region
    out_w, out_h = request.size
    factors = derivatives.scale_factors(media.width, media.height)
    fine = max((f for f in factors if f <= min(w / out_w, h / out_h)), default=1)
    coarse = max((f for f in factors if f <= max(w / out_w, h / out_h)), default=1)
    read_area = math.ceil(w / fine) * math.ceil(h / fine)
    return fine if read_area <= 4 * out_w * out_h else coarse


def _scaled_box(region, scale: float, limit_w: int, limit_h: int) -> tuple[int, int, int, int]:
    x, y, w, h = region
    left, top = math.floor(x / scale), math.floor(y / scale)
    right = min(limit_w, max(left + 1, math.ceil((x + w) / scale)))
    bottom = min(limit_h, max(top + 1, math.ceil((y + h) / scale)))
    return (left, top, right, bottom)


def _open(media, name: str, work: Work) -> Image.Image:
    derivatives.ensure_generated(media, name)
    with default_storage.open(name, "rb") as stored:
        image = Image.open(stored)
        image.load()
    work.files_read.append(name)
    work.pixels_decoded += image.width * image.height
    return image.convert("RGB")


def answer(media, request: ImageRequest, work: Work | None = None) -> tuple[bytes, bool]:
    """The encoded answer and whether it came from the cache (else it was computed and
    stored there)."""
    cache = caches[CACHE_ALIAS]
    key = request.cache_key(media.checksum)
    cached = cache.get(key)
    if cached is not None:
        return cached, True
    data = render(media, request, work)
    if len(data) <= settings.KRONIKA_IIIF_CACHE_MAX_BYTES:
        cache.set(key, data)
    return data, False


def info_limits(media) -> dict:
    """info.json's maxWidth, maxHeight and maxArea for this image."""
    limits = Limits.for_image(media)
    return {"maxWidth": limits.max_width, "maxHeight": limits.max_height,
            "maxArea": limits.max_area}  # fmt: skip
