"""The public copy of an original image: the same picture, without where or with what it
was taken.

Archivists keep the untouched original (GPS, camera serial, owner name, maker notes, XMP
and all); the public only ever gets this copy. JPEG, PNG, GIF and WebP are rewritten
container by container, keeping the compressed picture byte for byte (no re-encoding, no
loss) and only the parts needed to show it: colour profile, and the EXIF orientation in a
new EXIF block that holds nothing else. TIFF places its parts by offsets, so it is saved
again by Pillow, losslessly, with no metadata but the colour profile and resolution.
Anything after the end of the picture is dropped too.
"""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

from .validation import jpeg_scan_end

ORIENTATION = 0x0112

# JPEG markers kept: frames, tables, restart interval, scans, JFIF (APP0), ICC (APP2,
# checked below) and Adobe (APP14: how CMYK/YCC is to be read). APP1 (EXIF, XMP), APP13
# (Photoshop/IPTC, which holds places and names), comments and maker segments go.
_JPEG_KEEP = {0xC4, 0xDB, 0xDD, 0xE0, 0xEE} | set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_PNG_KEEP = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP",
    b"sBIT", b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT",
}  # fmt: skip
_WEBP_KEEP = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"}
_GIF_LOOPING = {b"NETSCAPE2.0", b"ANIMEXTS1.0"}


def _orientation_exif(image: Image.Image) -> bytes | None:
    """TIFF bytes of an EXIF block with only the orientation, when it is not 'upright'."""
    orientation = image.getexif().get(ORIENTATION, 1)
    if orientation in (None, 1):
        return None
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    return exif.tobytes()[6:]  # without the "Exif\0\0" header


def _strip_jpeg(data: bytes, image: Image.Image) -> bytes:
    out = bytearray(b"\xff\xd8")
    exif = _orientation_exif(image)
    if exif:
        payload = b"Exif\x00\x00" + exif
        out += b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    i, n = 2, len(data)
    while i < n:
        while i < n and data[i] == 0xFF:
            i += 1
        marker = data[i]
        i += 1
        if marker == 0xD9:
            out += b"\xff\xd9"
            return bytes(out)
        length = int.from_bytes(data[i : i + 2], "big")
        segment = data[i - 2 : i + length]
        i += length
        keep = marker in _JPEG_KEEP or (marker == 0xE2 and segment[4:16] == b"ICC_PROFILE\x00")
        if marker == 0xDA:
            start, i = i, jpeg_scan_end(data, i)
            out += b"\xff" + segment[1:] + data[start:i]
        elif keep:
            out += b"\xff" + segment[1:]
    raise ValueError("the JPEG has no end marker")


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    )


def _strip_png(data: bytes, image: Image.Image) -> bytes:
    out = bytearray(data[:8])
    exif = _orientation_exif(image)
    i = 8
    while i + 8 <= len(data):
        length = int.from_bytes(data[i : i + 4], "big")
        kind = data[i + 4 : i + 8]
        chunk = data[i : i + 12 + length]
        i += 12 + length
        if kind == b"IDAT" and exif:
            out += _png_chunk(b"eXIf", exif)  # before the image data, as the format asks
            exif = None
        if kind in _PNG_KEEP:
            out += chunk
        if kind == b"IEND":
            return bytes(out)
    raise ValueError("the PNG has no IEND chunk")


def _strip_webp(data: bytes, image: Image.Image) -> bytes:
    end = 8 + int.from_bytes(data[4:8], "little")
    chunks = bytearray()
    i = 12
    while i + 8 <= end:
        kind = data[i : i + 4]
        size = int.from_bytes(data[i + 4 : i + 8], "little")
        chunk = bytearray(data[i : i + 8 + size + (size & 1)])
        i += 8 + size + (size & 1)
        if kind == b"VP8X":
            chunk[8] &= ~(0x08 | 0x04) & 0xFF  # no EXIF, no XMP
        if kind in _WEBP_KEEP:
            chunks += chunk
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WEBP" + bytes(chunks)


def _strip_gif(data: bytes, image: Image.Image) -> bytes:
    def sub_blocks_end(i: int) -> int:
        while data[i]:
            i += data[i] + 1
        return i + 1

    flags = data[10]
    i = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    out = bytearray(data[:i])
    while True:
        block = data[i]
        if block == 0x3B:
            out += b"\x3b"
            return bytes(out)
        if block == 0x21:
            label = data[i + 1]
            end = sub_blocks_end(i + 2)
            # Graphic control and plain text are drawing; comments and application data
            # (XMP among them) are not, except the looping instruction of animations.
            application = data[i + 3 : i + 3 + 11] if label == 0xFF else b""
            if label in (0xF9, 0x01) or application in _GIF_LOOPING:
                out += data[i:end]
            i = end
        elif block == 0x2C:
            local = data[i + 9]
            start = i
            i += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
            i = sub_blocks_end(i + 1)
            out += data[start:i]
        else:
            raise ValueError("unknown GIF block")


def _resave_tiff(data: bytes, image: Image.Image) -> bytes:
    # Pillow turns TIFF frames upright as it loads them, so no orientation is carried over.
    frames = []
    image.seek(0)
    try:
        while True:
            frame = image.copy()
            frame.info = {}
            frames.append(frame)
            image.seek(image.tell() + 1)
    except EOFError:
        pass
    extra = {}
    if image.info.get("icc_profile"):
        extra["icc_profile"] = image.info["icc_profile"]
    if image.info.get("dpi"):
        extra["dpi"] = image.info["dpi"]
    buffer = io.BytesIO()
    frames[0].save(
        buffer,
        "TIFF",
        compression="tiff_deflate",
        save_all=len(frames) > 1,
        append_images=frames[1:],
        **extra,
    )
    return buffer.getvalue()


_STRIPPERS = {
    "JPEG": _strip_jpeg,
    "PNG": _strip_png,
    "WEBP": _strip_webp,
    "GIF": _strip_gif,
    "TIFF": _resave_tiff,
}


def public_copy(fileobj) -> bytes:
    """The bytes the public gets for an original image (see the module's docstring)."""
    fileobj.seek(0)
    data = fileobj.read()
    with Image.open(io.BytesIO(data)) as image:
        return _STRIPPERS[image.format](data, image)
