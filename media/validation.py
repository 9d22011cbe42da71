"""Upload checks: the kind of a file is decided by its content, never by its name."""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "TIFF": ".tif", "WEBP": ".webp", "GIF": ".gif"}

# Leading bytes of the non-image formats we accept: (offset, magic, kind, extension).
SIGNATURES = [
    (0, b"%PDF-", "document", ".pdf"),
    (0, b"ID3", "audio", ".mp3"),
    (0, b"\xff\xfb", "audio", ".mp3"),
    (0, b"\xff\xf3", "audio", ".mp3"),
    (0, b"\xff\xf2", "audio", ".mp3"),
    (0, b"fLaC", "audio", ".flac"),
    (0, b"OggS", "audio", ".ogg"),
    (8, b"WAVE", "audio", ".wav"),
    (4, b"ftyp", "video", ".mp4"),
    (0, b"\x1a\x45\xdf\xa3", "video", ".webm"),
]


@dataclass(frozen=True)
class Inspection:
    kind: str  # image | audio | video | document
    extension: str
    width: int | None
    height: int | None
    checksum: str
    size: int


def sha256_of(fileobj) -> str:
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def _inspect_image(fileobj) -> tuple[str, int, int] | None:
    """(format, width, height) for a real, complete, reasonably sized image, else None."""
    limit = settings.KRONIKA_MAX_IMAGE_PIXELS
    fileobj.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fileobj) as image:
                fmt, (width, height) = image.format, image.size
                if width * height > limit:
                    raise ValidationError(
                        _(
                            "The image is %(width)s×%(height)s pixels, more than the %(limit)s "
                            "pixels allowed."
                        )
                        % {"width": width, "height": height, "limit": f"{limit:,}"},
                        code="too_many_pixels",
                    )
                if fmt not in IMAGE_FORMATS:
                    raise ValidationError(
                        _("Images in %(format)s format are not accepted.") % {"format": fmt},
                        code="format",
                    )
                image.verify()
            # verify() does not decode pixels; loading them catches truncated files.
            fileobj.seek(0)
            with Image.open(fileobj) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("The image is too large to open safely (a possible decompression bomb)."),
            code="bomb",
        ) from exc
    except UnidentifiedImageError:
        return None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("The image is damaged or truncated and cannot be read: %(error)s") % {"error": exc},
            code="broken_image",
        ) from exc
    finally:
        fileobj.seek(0)
    return fmt, width, height


def inspect_upload(fileobj) -> Inspection:
    """Check an uploaded file and say what it is; raise ValidationError if it is refused."""
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > settings.KRONIKA_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the largest file accepted is %(limit)s.")
            % {
                "size": filesizeformat(size),
                "limit": filesizeformat(settings.KRONIKA_MAX_UPLOAD_BYTES),
            },
            code="too_big",
        )
    head = fileobj.read(64)
    fileobj.seek(0)
    image = _inspect_image(fileobj)
    if image:
        fmt, width, height = image
        return Inspection("image", IMAGE_FORMATS[fmt], width, height, sha256_of(fileobj), size)
    for offset, magic, kind, extension in SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return Inspection(kind, extension, None, None, sha256_of(fileobj), size)
    raise ValidationError(
        _(
            "This file is not an accepted image (JPEG, PNG, TIFF, WebP, GIF), audio, video "
            "or PDF file."
        ),
        code="unknown_type",
    )
