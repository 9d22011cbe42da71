"""Upload checks: the kind of a file is decided by its content, never by its name."""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "TIFF": ".tif", "WEBP": ".webp", "GIF": ".gif"}

# The type every stored extension is served with: decided here, from the content, never
# guessed from a name by the operating system's tables.
CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".tif": "image/tiff",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".mp3": "audio/mpeg",
    ".flac": "audio/flac",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".pdf": "application/pdf",
    ".vtt": "text/vtt; charset=utf-8",
}

# Leading bytes that say which parser to try: (offset, magic, kind, extension). The parser
# (`PARSERS`) then decides; a signature alone proves nothing.
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

ZIP_END_OF_DIRECTORY = b"PK\x05\x06"
MAX_CAPTIONS_BYTES = 5 * 1024 * 1024
ORIENTATION = 0x0112
# Bytes some cameras and scanners pad an image with after its end.
PADDING = frozenset(b"\x00\xff")
# Markup or script in an image's text metadata (comments, EXIF text, PNG text, XMP values):
# the tell-tale of a polyglot. XMP itself is XML, so only HTML elements and handlers count.
MARKUP_IN_TEXT = re.compile(
    rb"<\s*/?\s*(script|img|svg|iframe|html|body|object|embed|a|style|link|meta|form|base|"
    rb"frame|frameset|math|video|audio|source|input|button|details|template)[\s/>]"
    rb"|<\?php|javascript\s*:|\bon[a-z]{3,}\s*=",
    re.IGNORECASE,
)
# PDF names that make a document act instead of being read: scripts, actions run on
# opening or on events, launching programs, attached files, forms that run code.
PDF_ACTIVE_NAMES = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/AA",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/XFA",
        "/RichMedia",
        "/ImportData",
        "/SubmitForm",
        "/GoToE",
    }
)


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


def _has_zip_directory(fileobj, size: int) -> bool:
    """A ZIP's end-of-directory record in the last 64 KiB: the mark of a GIFAR/JAR polyglot."""
    start = max(0, size - 65_558)
    fileobj.seek(start)
    tail = fileobj.read()
    fileobj.seek(0)
    return ZIP_END_OF_DIRECTORY in tail


def _refuse(message: str, code: str, **values) -> ValidationError:
    return ValidationError(message % values if values else message, code=code)


# --- Images: where the picture ends, and what its metadata says ------------------------------


def _jpeg_end(data: bytes) -> int:
    """The offset just after the EOI marker, walking segments and entropy-coded scans."""
    i, n = 2, len(data)
    while i < n:
        if data[i] != 0xFF:
            raise ValueError("no marker where one must be")
        while i < n and data[i] == 0xFF:
            i += 1  # fill bytes
        if i >= n:
            break
        marker = data[i]
        i += 1
        if marker == 0xD9:
            return i
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue
        end = i + int.from_bytes(data[i : i + 2], "big")
        if marker != 0xDA:
            i = end
            continue
        i = jpeg_scan_end(data, end)
    raise ValueError("the image data has no end marker")


def jpeg_scan_end(data: bytes, i: int) -> int:
    """The offset of the first real marker after the start of an entropy-coded scan at `i`
    (stuffed 0xFF00, restart markers and fill bytes belong to the scan)."""
    n = len(data)
    while True:
        i = data.find(b"\xff", i)
        if i < 0 or i + 1 >= n:
            raise ValueError("the image data has no end marker")
        following = data[i + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            i += 2
        elif following == 0xFF:
            i += 1
        else:
            return i


def _png_end(data: bytes) -> int:
    i = 8
    while i + 8 <= len(data):
        length = int.from_bytes(data[i : i + 4], "big")
        kind = data[i + 4 : i + 8]
        i += 12 + length
        if kind == b"IEND":
            return i
    raise ValueError("the image has no IEND chunk")


def _gif_end(data: bytes) -> int:
    def skip_sub_blocks(i: int) -> int:
        while data[i]:
            i += data[i] + 1
        return i + 1

    flags = data[10]
    i = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    while True:
        block = data[i]
        if block == 0x3B:
            return i + 1
        if block == 0x21:
            i = skip_sub_blocks(i + 2)
        elif block == 0x2C:
            local = data[i + 9]
            i += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
            i = skip_sub_blocks(i + 1)
        else:
            raise ValueError("unknown GIF block")


def _webp_end(data: bytes) -> int:
    size = int.from_bytes(data[4:8], "little")
    return 8 + size + (size & 1)


IMAGE_ENDS = {"JPEG": _jpeg_end, "PNG": _png_end, "GIF": _gif_end, "WEBP": _webp_end}


def _metadata_texts(image: Image.Image) -> Iterator[bytes]:
    """Every text an image carries besides its pixels: comments, text chunks, XMP, EXIF."""
    for key, value in list(image.info.items()) + list(getattr(image, "text", {}).items()):
        if key in ("icc_profile", "exif", "transparency", "dpi", "duration", "loop"):
            continue
        if isinstance(value, str):
            yield value.encode("utf-8", "replace")
        elif isinstance(value, bytes):
            yield value
    exif = image.getexif()
    for directory in (exif, exif.get_ifd(0x8769), exif.get_ifd(0x8825)):
        for value in directory.values():
            if isinstance(value, str):
                yield value.encode("utf-8", "replace")
            elif isinstance(value, bytes):
                yield value


def _refuse_image_extras(fileobj, fmt: str, image: Image.Image) -> None:
    """Refuse bytes after the end of the picture and markup hidden in its metadata."""
    for text in _metadata_texts(image):
        if MARKUP_IN_TEXT.search(text):
            raise _refuse(
                _(
                    "The image's metadata (a comment, description or XMP field) contains web "
                    "markup or script and is refused. Export the image again without it."
                ),
                "polyglot",
            )
    if fmt not in IMAGE_ENDS:
        return  # TIFF places its parts by offsets: there is no "after the end"
    fileobj.seek(0)
    data = fileobj.read()
    fileobj.seek(0)
    try:
        end = IMAGE_ENDS[fmt](data)
    except (ValueError, IndexError) as exc:
        raise _refuse(
            _("The image is damaged or truncated and cannot be read: %(error)s"),
            "broken_image",
            error=exc,
        ) from exc
    if any(byte not in PADDING for byte in data[end:]):
        raise _refuse(
            _(
                "The image has %(count)s bytes of other data after its end (another file "
                "hidden behind it, or a phone's motion-photo video). Export the picture "
                "alone and upload that."
            ),
            "trailing_data",
            count=len(data) - end,
        )


# --- Audio and video: a real parser must find the frames ------------------------------------


def _parse_mutagen(fileobj, kinds: tuple) -> None:
    import mutagen

    fileobj.seek(0)
    parsed = mutagen.File(fileobj, options=list(kinds))
    fileobj.seek(0)
    if parsed is None or parsed.info is None:
        raise ValueError("no stream found")
    if getattr(parsed.info, "length", 0) <= 0:
        raise ValueError("the recording has no length")


def _parse_mp3(fileobj) -> None:
    from mutagen.mp3 import MP3

    _parse_mutagen(fileobj, (MP3,))


def _parse_flac(fileobj) -> None:
    from mutagen.flac import FLAC

    _parse_mutagen(fileobj, (FLAC,))


def _parse_ogg(fileobj) -> None:
    from mutagen.oggflac import OggFLAC
    from mutagen.oggopus import OggOpus
    from mutagen.oggspeex import OggSpeex
    from mutagen.oggtheora import OggTheora
    from mutagen.oggvorbis import OggVorbis

    _parse_mutagen(fileobj, (OggVorbis, OggOpus, OggFLAC, OggSpeex, OggTheora))


def _parse_wav(fileobj) -> None:
    from mutagen.wave import WAVE

    _parse_mutagen(fileobj, (WAVE,))


def _parse_mp4(fileobj) -> None:
    """ISO-BMFF: the box tree must parse and hold a movie header and at least one track."""
    from mutagen.mp4 import Atoms

    fileobj.seek(0)
    try:
        atoms = Atoms(fileobj)
        moov = atoms[b"moov"]
    except KeyError as exc:
        raise ValueError("no movie box (moov)") from exc
    finally:
        fileobj.seek(0)
    if not any(child.name == b"mvhd" for child in moov.children or []):
        raise ValueError("no movie header (mvhd)")
    if not list(moov.findall(b"trak")):
        raise ValueError("no track")


def _ebml_number(data: bytes, i: int, *, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer (element ID or size) at i: (value, next offset)."""
    first = data[i]
    length = 8 - first.bit_length() + 1
    if not first or length > 8:
        raise ValueError("invalid EBML number")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[i + 1 : i + length]:
        value = (value << 8) | byte
    if i + length > len(data):
        raise ValueError("truncated EBML number")
    return value, i + length


def _parse_webm(fileobj) -> None:
    """Matroska/WebM: an EBML header whose DocType is webm or matroska, then a Segment."""
    fileobj.seek(0)
    data = fileobj.read(64 * 1024)
    fileobj.seek(0)
    element, i = _ebml_number(data, 0, keep_marker=True)
    size, i = _ebml_number(data, i, keep_marker=False)
    header_end = i + size
    doctype = None
    while i < header_end:
        child, i = _ebml_number(data, i, keep_marker=True)
        child_size, i = _ebml_number(data, i, keep_marker=False)
        if child == 0x4282:
            doctype = data[i : i + child_size].rstrip(b"\x00")
        i += child_size
    if element != 0x1A45DFA3 or doctype not in (b"webm", b"matroska"):
        raise ValueError("not a WebM/Matroska header")
    segment, _next = _ebml_number(data, header_end, keep_marker=True)
    if segment != 0x18538067:
        raise ValueError("no segment after the header")


# --- PDF: resolve the whole object tree, names decoded -----------------------------------------


def _pdf_names(value, seen: set[int]) -> Iterator[str]:
    """Every name used as a key or a value anywhere under a PDF object (cycles cut)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, IndirectObject):
            key = (current.idnum, current.generation)
            if key in seen:
                continue
            seen.add(key)
            current = current.get_object()
        if isinstance(current, NameObject):
            yield str(current)
        elif isinstance(current, DictionaryObject):
            for key, child in current.items():
                yield str(key)
                stack.append(child)
        elif isinstance(current, ArrayObject):
            stack.extend(current)


def _parse_pdf(fileobj) -> None:
    """Parse the PDF with pypdf (names with #xx escapes decoded, object streams opened) and
    refuse active content anywhere in the trailer and every object of the xref table."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import IndirectObject

    fileobj.seek(0)
    try:
        reader = PdfReader(fileobj, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError("the document is password-protected")
        seen: set = set()
        found = set()
        roots = [reader.trailer]
        for generation, numbers in reader.xref.items():
            roots.extend(IndirectObject(n, generation, reader) for n in numbers if n)
        roots.extend(IndirectObject(n, 0, reader) for n in reader.xref_objStm)
        for root in roots:
            found.update(n for n in _pdf_names(root, seen) if n in PDF_ACTIVE_NAMES)
        open_action = reader.trailer["/Root"].get("/OpenAction")
        if open_action is not None:
            action = open_action.get_object()
            if hasattr(action, "get") and action.get("/S") not in (None, "/GoTo"):
                found.add(f"/OpenAction {action.get('/S')}")
        if not len(reader.pages):
            raise ValueError("the document has no pages")
    except (PyPdfError, KeyError, AttributeError, TypeError) as exc:
        raise ValueError(str(exc) or type(exc).__name__) from exc
    finally:
        fileobj.seek(0)
    if found:
        raise _refuse(
            _(
                "The PDF contains active content (%(marker)s: scripts, automatic actions, "
                "launch actions, forms or embedded files) and is refused. Print it to a new PDF "
                "and upload that."
            ),
            "pdf_active_content",
            marker=", ".join(sorted(found)),
        )


PARSERS = {
    ".pdf": _parse_pdf,
    ".mp3": _parse_mp3,
    ".flac": _parse_flac,
    ".ogg": _parse_ogg,
    ".wav": _parse_wav,
    ".mp4": _parse_mp4,
    ".webm": _parse_webm,
}
FORMAT_NAMES = {
    ".pdf": "PDF",
    ".mp3": "MP3",
    ".flac": "FLAC",
    ".ogg": "Ogg",
    ".wav": "WAV",
    ".mp4": "MP4",
    ".webm": "WebM",
}


def _parse(fileobj, extension: str) -> None:
    try:
        PARSERS[extension](fileobj)
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure means: not a valid file
        raise _refuse(
            _(
                "The file starts like %(format)s but is not a valid %(format)s file (%(error)s); "
                "it may be damaged, truncated or disguised."
            ),
            "unparseable",
            format=FORMAT_NAMES[extension],
            error=str(exc)[:200] or type(exc).__name__,
        ) from exc


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
        with Image.open(fileobj) as opened:
            _refuse_image_extras(fileobj, fmt, opened)
        fileobj.seek(0)
        _refuse_zip(fileobj, size)
        return Inspection("image", IMAGE_FORMATS[fmt], width, height, sha256_of(fileobj), size)
    for offset, magic, kind, extension in SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            _refuse_kind_not_allowed(kind)
            _parse(fileobj, extension)
            if kind == "document":
                _refuse_zip(fileobj, size)
            return Inspection(kind, extension, None, None, sha256_of(fileobj), size)
    raise ValidationError(
        _(
            "This file is not an accepted image (JPEG, PNG, TIFF, WebP, GIF), audio, video "
            "or PDF file."
        ),
        code="unknown_type",
    )


def _refuse_zip(fileobj, size: int) -> None:
    if _has_zip_directory(fileobj, size):
        raise ValidationError(
            _("The file has an archive (ZIP) hidden inside it and is refused."),
            code="polyglot",
        )
