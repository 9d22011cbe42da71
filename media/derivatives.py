"""Public copies of images: responsive WebP/JPEG derivatives, IIIF level-0 tiles, and the
public copy of the original (`media.privacy`: the same picture without location or device
data, for download under an open licence).

Originals are kept exactly as uploaded (with their EXIF, GPS, camera serials), for staff.
The public only ever sees these copies; derivatives and tiles are upright (EXIF
orientation applied), in sRGB, and carry no metadata at all. Every name is derived from
the original's checksum, the width and the format, so generation is idempotent and a
replaced file gets new names. All files go through Django's storage API.
"""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from PIL import Image, ImageCms

logger = logging.getLogger(__name__)

FORMATS = {"webp": ("WEBP", "webp"), "jpeg": ("JPEG", "jpg")}
DERIVATIVES_DIR = "derivatives"
TILES_DIR = "tiles"
PUBLIC_DIR = "public"
TILE_FORMAT = "jpg"
SIXTEEN_BIT_MODES = {"I;16", "I;16L", "I;16B", "I;16N", "I"}
TRANSPOSITIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True)
class Derivative:
    format: str  # "webp" | "jpeg"
    width: int
    height: int
    name: str  # storage name


def derivative_widths(width: int | None) -> list[int]:
    """The configured widths below the image's own, plus its own width if it is smaller
    than the largest: an image is never upscaled."""
    if not width:
        return []
    configured = sorted(set(settings.KRONIKA_DERIVATIVE_WIDTHS))
    widths = [w for w in configured if w < width]
    if not configured or width <= configured[-1]:
        widths.append(width)
    elif configured[-1] not in widths:
        widths.append(configured[-1])
    return widths


def scaled_height(width: int, height: int, target_width: int) -> int:
    return max(1, round(height * target_width / width))


def _folder(root: str, checksum: str) -> str:
    return f"{root}/{checksum[:2]}/{checksum}"


def derivative_name(checksum: str, width: int, fmt: str) -> str:
    return f"{_folder(DERIVATIVES_DIR, checksum)}/{width}.{FORMATS[fmt][1]}"


def derivatives_for(checksum: str, width: int | None, height: int | None) -> list[Derivative]:
    """Every derivative an image of this size has (or will have once generated)."""
    if not checksum or not width or not height:
        return []
    return [
        Derivative(fmt, w, scaled_height(width, height, w), derivative_name(checksum, w, fmt))
        for fmt in FORMATS
        for w in derivative_widths(width)
    ]


def public_copy_name(checksum: str, extension: str) -> str:
    """Where the public copy of an original image is stored (`media.privacy`)."""
    return f"{_folder(PUBLIC_DIR, checksum)}/original{extension}"


def parse_derivative_name(name: str) -> str | None:
    """The checksum a derivative, tile or public copy belongs to, or None for other names."""
    parts = name.split("/")
    if len(parts) >= 4 and parts[0] in (DERIVATIVES_DIR, TILES_DIR, PUBLIC_DIR):
        checksum = parts[2]
        if len(checksum) == 64 and parts[1] == checksum[:2]:
            return checksum
    return None


# --- Tiles --------------------------------------------------------------------------------


def needs_tiles(width: int | None, height: int | None) -> bool:
    return bool(width and height and max(width, height) > settings.KRONIKA_ZOOM_MIN_SIDE)


def scale_factors(width: int, height: int, tile: int | None = None) -> list[int]:
    """1, 2, 4 … until the whole image fits in one tile (the IIIF tile pyramid)."""
    tile = tile or settings.KRONIKA_TILE_SIZE
    factors = [1]
    while math.ceil(width / factors[-1]) > tile or math.ceil(height / factors[-1]) > tile:
        factors.append(factors[-1] * 2)
    return factors


def tile_name(checksum: str, factor: int, x: int, y: int) -> str:
    return f"{_folder(TILES_DIR, checksum)}/{factor}/{x}_{y}.{TILE_FORMAT}"


def tile_names(checksum: str, width: int, height: int) -> Iterator[str]:
    tile = settings.KRONIKA_TILE_SIZE
    for factor in scale_factors(width, height):
        columns = math.ceil(math.ceil(width / factor) / tile)
        rows = math.ceil(math.ceil(height / factor) / tile)
        for y in range(rows):
            for x in range(columns):
                yield tile_name(checksum, factor, x, y)


# --- Decoding -------------------------------------------------------------------------------


def _to_rgb(image: Image.Image) -> Image.Image:
    """Any mode Pillow opens becomes 8-bit RGB; transparency is laid on white."""
    if image.mode in SIXTEEN_BIT_MODES:
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif image.mode == "F":
        image = image.convert("L")
    if image.mode in ("P", "PA"):
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode in ("RGB", "L", "CMYK", "1"):
        return image
    return image.convert("RGB")


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Colour-manage into sRGB using the embedded profile; without one, assume sRGB
    (and Pillow's plain CMYK inversion)."""
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if not ImageCms.getProfileDescription(source).strip().lower().startswith("srgb"):
                return ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
        except (OSError, ImageCms.PyCMSError, ValueError):
            pass  # a broken profile: fall back to treating the pixels as sRGB
    return image if image.mode == "RGB" else image.convert("RGB")


def open_upright(fileobj, *, max_width: int | None = None) -> Image.Image:
    """Decode an image once: upright, 8-bit sRGB RGB, no metadata.

    With `max_width`, JPEGs are decoded at a reduced DCT scale (draft) and everything is
    resized so that the result is at most that wide: big scans are never decoded at full
    size when only small copies are needed.
    """
    fileobj.seek(0)
    # Not a `with` block: closing the source would also close an image that shares it.
    source = Image.open(fileobj)
    source.seek(0)
    orientation = source.getexif().get(0x0112, 1)
    icc = source.info.get("icc_profile")
    swapped = orientation in (5, 6, 7, 8)
    width, height = source.size
    upright_width, upright_height = (height, width) if swapped else (width, height)
    target = None
    if max_width and max_width < upright_width:
        target = (max_width, scaled_height(upright_width, upright_height, max_width))
        if source.format == "JPEG":
            box = (target[1], target[0]) if swapped else target
            source.draft(source.mode if source.mode in ("RGB", "L", "CMYK") else None, box)
    source.load()
    image = _to_rgb(source)
    if target:
        size = (target[1], target[0]) if swapped else target
        if image.size != size:
            image = image.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)
    image = _to_srgb(image, icc)
    if orientation in TRANSPOSITIONS:
        image = image.transpose(TRANSPOSITIONS[orientation])
    image.info = {}
    return image


# --- Writing --------------------------------------------------------------------------------


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    quality = settings.KRONIKA_DERIVATIVE_QUALITY[fmt]
    # Fast encoder settings (measured in benchmarks/derivatives.py): WebP method 1 is within a
    # few per cent of method 4's size at a third of the time; progressive JPEG costs 2.5×.
    if fmt == "webp":
        image.save(buffer, "WEBP", quality=quality, method=1)
    else:
        image.save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def _write(storage: Storage, name: str, data: bytes) -> None:
    """Store bytes under exactly this name (replacing what was there)."""
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    if saved != name:  # another process wrote it in between; its bytes are the same
        storage.delete(saved)


def write_derivatives(
    image: Image.Image, checksum: str, *, storage: Storage | None = None, force: bool = False
) -> list[str]:
    """Write every derivative of an upright image; returns the names written."""
    storage = storage or default_storage
    width, height = image.size
    written = []
    current = image
    for target in sorted(derivative_widths(width), reverse=True):
        size = (target, scaled_height(width, height, target))
        if current.size != size:
            # Each width from the one above: bicubic over at most a 2:1 step is as sharp as
            # Lanczos to the eye and half the cost.
            current = current.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)
        for fmt in FORMATS:
            name = derivative_name(checksum, target, fmt)
            if force or not storage.exists(name):
                _write(storage, name, _encode(current, fmt))
                written.append(name)
    return written


def write_tiles(
    image: Image.Image, checksum: str, *, storage: Storage | None = None, force: bool = False
) -> list[str]:
    """Write the IIIF level-0 tile pyramid of a full-size upright image."""
    storage = storage or default_storage
    tile = settings.KRONIKA_TILE_SIZE
    width, height = image.size
    written = []
    level = image
    for factor in scale_factors(width, height):
        if factor > 1:
            level = level.reduce(2)
        level_width, level_height = level.size
        for y in range(math.ceil(level_height / tile)):
            for x in range(math.ceil(level_width / tile)):
                name = tile_name(checksum, factor, x, y)
                if not force and storage.exists(name):
                    continue
                box = (
                    x * tile,
                    y * tile,
                    min((x + 1) * tile, level_width),
                    min((y + 1) * tile, level_height),
                )
                buffer = io.BytesIO()
                level.crop(box).save(buffer, "JPEG", quality=80)
                _write(storage, name, buffer.getvalue())
                written.append(name)
    return written


def missing_files(checksum: str, width: int | None, height: int | None) -> bool:
    """Whether any derivative or tile of this image is not stored yet."""
    names = [d.name for d in derivatives_for(checksum, width, height)]
    if needs_tiles(width, height):
        names.append(next(tile_names(checksum, width, height)))
    return not all(default_storage.exists(name) for name in names)


def generate(media, *, force: bool = False) -> list[str]:
    """Produce the derivatives (and tiles, for large images) of one image MediaFile.

    Idempotent: files already stored are kept unless `force`. Returns the names written.
    """
    if not media.is_image or not media.file or not media.checksum:
        return []
    tiles = needs_tiles(media.width, media.height)
    largest = None if tiles else max(settings.KRONIKA_DERIVATIVE_WIDTHS)
    with media.file.open("rb") as fileobj:
        image = open_upright(fileobj, max_width=largest)
        written = write_public_copy(media, fileobj, force=force)
    written += write_derivatives(image, media.checksum, force=force)
    if tiles:
        written += write_tiles(image, media.checksum, force=force)
    return written


def write_public_copy(media, fileobj, *, force: bool = False) -> list[str]:
    """Store the public copy of an original image (no location or device data)."""
    from .privacy import public_copy

    name = public_copy_name(media.checksum, PurePosixPath(media.file.name).suffix)
    if not force and default_storage.exists(name):
        return []
    _write(default_storage, name, public_copy(fileobj))
    return [name]


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}")


def delete_generated(checksum: str, *, storage: Storage | None = None) -> int:
    """Remove every derivative and tile of an original; returns how many files went."""
    storage = storage or default_storage
    removed = 0
    for root in (DERIVATIVES_DIR, TILES_DIR, PUBLIC_DIR):
        for name in list(_walk(storage, _folder(root, checksum))):
            storage.delete(name)
            removed += 1
    return removed


def ensure_generated(media, name: str) -> None:
    """Produce a derivative or tile that the background task has not made (yet), for a
    request that needs the file `name` now (media views, downloads, the classroom ZIP).

    An original that cannot be read any more (storage trouble, a damaged file) is logged;
    the caller then finds no file and answers accordingly, never with a 500.
    """
    if not default_storage.exists(name):
        try:
            generate(media)
        except (OSError, ValueError, Image.DecompressionBombError):
            logger.exception("Could not make the derivatives of media file %s", media.pk)
