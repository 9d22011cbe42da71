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


# Code or markup that has no business inside an image, a recording or a PDF: a file that
# carries it is a polyglot (valid as one type, dangerous as another) and is refused.
EMBEDDED_CODE = [b"<?php", b"<script", b"<html", b"<!doctype html", b"<iframe", b"<svg"]
PDF_ACTIVE_CONTENT = [b"/javascript", b"/launch", b"/embeddedfile", b"/richmedia"]
ZIP_END_OF_DIRECTORY = b"PK\x05\x06"
MAX_CAPTIONS_BYTES = 5 * 1024 * 1024
ORIENTATION = 0x0112


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
                if image.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8):
                    width, height = height, width  # the size as the image is meant to be seen
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


def _find(fileobj, markers: list[bytes]) -> bytes | None:
    """The first marker found anywhere in the file (case-insensitive), read in chunks."""
    overlap = max(len(m) for m in markers) - 1
    fileobj.seek(0)
    tail = b""
    try:
        for chunk in iter(lambda: fileobj.read(4 * 1024 * 1024), b""):
            window = (tail + chunk).lower()
            for marker in markers:
                if marker in window:
                    return marker
            tail = window[-overlap:]
    finally:
        fileobj.seek(0)
    return None


def _has_zip_directory(fileobj, size: int) -> bool:
    """A ZIP's end-of-directory record in the last 64 KiB: the mark of a GIFAR/JAR polyglot."""
    start = max(0, size - 65_558)
    fileobj.seek(start)
    tail = fileobj.read()
    fileobj.seek(0)
    return ZIP_END_OF_DIRECTORY in tail


def _refuse_polyglot(fileobj, size: int, kind: str) -> None:
    marker = _find(fileobj, EMBEDDED_CODE)
    if marker:
        raise ValidationError(
            _(
                "The file contains embedded code or markup (%(marker)s) and is refused: it "
                "may be a disguised script. Export it again from the original program."
            )
            % {"marker": marker.decode()},
            code="polyglot",
        )
    if _has_zip_directory(fileobj, size):
        raise ValidationError(
            _("The file has an archive (ZIP) hidden inside it and is refused."),
            code="polyglot",
        )
    if kind == "document":
        marker = _find(fileobj, PDF_ACTIVE_CONTENT)
        if marker:
            raise ValidationError(
                _(
                    "The PDF contains active content (%(marker)s: scripts, launch actions or "
                    "embedded files) and is refused. Print it to a new PDF and upload that."
                )
                % {"marker": marker.decode()},
                code="pdf_active_content",
            )


def _refuse_markup(head: bytes) -> None:
    """SVG and HTML are text that a browser runs: they are refused outright."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not start.startswith(b"<"):
        return
    if b"<svg" in head.lower() or start.startswith(b"<?xml"):
        raise ValidationError(
            _(
                "SVG images are not accepted: they can carry scripts. Save the image as PNG "
                "or JPEG and upload that."
            ),
            code="svg",
        )
    if start.startswith((b"<!doctype", b"<html", b"<script")):
        raise ValidationError(
            _("Web pages and other markup files are not accepted."), code="markup"
        )


def _refuse_kind_not_allowed(kind: str) -> None:
    allowed = settings.KRONIKA_ALLOWED_MEDIA_KINDS
    if kind not in allowed:
        raise ValidationError(
            _("Files of this kind (%(kind)s) are not accepted here; accepted: %(allowed)s.")
            % {"kind": kind, "allowed": ", ".join(allowed)},
            code="kind_not_allowed",
        )


def validate_webvtt(field_file) -> None:
    """Captions must be a UTF-8 WebVTT file: the only caption format browsers play."""
    if not field_file:
        return
    field_file.seek(0, 2)
    size = field_file.tell()
    field_file.seek(0)
    if size > MAX_CAPTIONS_BYTES:
        raise ValidationError(
            _("The captions file is %(size)s; the largest accepted is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_CAPTIONS_BYTES)},
            code="too_big",
        )
    data = field_file.read()
    field_file.seek(0)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The captions file must be UTF-8 text."), code="captions_encoding"
        ) from exc
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if not (first_line == "WEBVTT" or first_line.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise ValidationError(
            _("The captions file must be WebVTT: its first line must be “WEBVTT”."),
            code="captions_format",
        )
    if "-->" not in text:
        raise ValidationError(
            _("The captions file has no cues (lines like “00:00:01.000 --> 00:00:04.000”)."),
            code="captions_empty",
        )


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
    head = fileobj.read(1024)
    fileobj.seek(0)
    _refuse_markup(head)
    image = _inspect_image(fileobj)
    if image:
        fmt, width, height = image
        _refuse_kind_not_allowed("image")
        _refuse_polyglot(fileobj, size, "image")
        return Inspection("image", IMAGE_FORMATS[fmt], width, height, sha256_of(fileobj), size)
    for offset, magic, kind, extension in SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            _refuse_kind_not_allowed(kind)
            _refuse_polyglot(fileobj, size, kind)
            return Inspection(kind, extension, None, None, sha256_of(fileobj), size)
    raise ValidationError(
        _(
            "This file is not an accepted image (JPEG, PNG, TIFF, WebP, GIF), audio, video "
            "or PDF file."
        ),
        code="unknown_type",
    )
