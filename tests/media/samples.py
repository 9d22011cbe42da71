"""Real and hostile media files, made in the test run (no binary blobs in the repository)."""

from __future__ import annotations

import io
import struct
import wave
import zlib

from PIL import Image


def jpeg(width=64, height=48, **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, "JPEG", **save)
    return buffer.getvalue()


def png(width=64, height=48, **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(buffer, "PNG", **save)
    return buffer.getvalue()


def gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (32, 32), 3).save(buffer, "GIF")
    return buffer.getvalue()


def webp() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "olive").save(buffer, "WEBP")
    return buffer.getvalue()


def mp3(frames: int = 8) -> bytes:
    """MPEG-1 Layer III frames of silence (128 kbit/s, 44.1 kHz, 417 bytes each)."""
    id3 = b"ID3\x04\x00\x00\x00\x00\x00\x00"
    return id3 + (b"\xff\xfb\x90\x64" + b"\x00" * 413) * frames


def wav(seconds: float = 0.1) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * int(8000 * seconds))
    return buffer.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4() -> bytes:
    """An ISO-BMFF file with a movie header and one (empty) video track."""
    mvhd = _box(b"mvhd", b"\x00" * 4 + struct.pack(">IIII", 0, 0, 1000, 2000) + b"\x00" * 80)
    hdlr = _box(b"hdlr", b"\x00" * 8 + b"vide" + b"\x00" * 13)
    trak = _box(b"trak", _box(b"tkhd", b"\x00" * 84) + _box(b"mdia", hdlr))
    ftyp = _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")
    return ftyp + _box(b"moov", mvhd + trak) + _box(b"mdat", b"\x00" * 32)


def _ebml(element_id: bytes, payload: bytes) -> bytes:
    return element_id + bytes([0x80 | len(payload)]) + payload if len(payload) < 127 else b""


def webm() -> bytes:
    header = _ebml(b"\x1a\x45\xdf\xa3", _ebml(b"\x42\x82", b"webm") + _ebml(b"\x42\x87", b"\x04"))
    return header + _ebml(b"\x18\x53\x80\x67", _ebml(b"\x15\x49\xa9\x66", b""))


def pdf(*objects: bytes, catalog_extra: bytes = b"", compress_into_stream: bool = False) -> bytes:
    """A small, valid PDF written by hand: catalog, pages, one page, plus `objects`
    (numbered from 4). With `compress_into_stream`, the extra objects live inside a
    compressed object stream (PDF 1.5), where a byte scan cannot see them."""
    body = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, content in enumerate(body, start=1):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    entries = {n: (1, offsets[n], 0) for n in offsets}
    if compress_into_stream and objects:
        stream_number = 4 + len(objects)
        header, data = b"", b""
        for index, content in enumerate(objects):
            header += b"%d %d " % (4 + index, len(data))
            data += content + b"\n"
        raw = header + data
        packed = zlib.compress(raw)
        offsets[stream_number] = len(out)
        out += (
            b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n"
            % (stream_number, len(objects), len(header), len(packed))
            + b"stream\n"
            + packed
            + b"\nendstream\nendobj\n"
        )
        entries[stream_number] = (1, offsets[stream_number], 0)
        for index in range(len(objects)):
            entries[4 + index] = (2, stream_number, index)
    else:
        for index, content in enumerate(objects):
            number = 4 + index
            offsets[number] = len(out)
            out += b"%d 0 obj\n" % number + content + b"\nendobj\n"
            entries[number] = (1, offsets[number], 0)
    size = max(entries) + 2
    xref_number = size - 1
    entries[xref_number] = (1, len(out), 0)
    rows = b"\x00\x00\x00\x00\x00\xff\xff" + b"".join(
        struct.pack(">BIH", *entries.get(n, (0, 0, 0))) for n in range(1, size)
    )
    xref_offset = len(out)
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\n"
        % (xref_number, size, len(rows))
        + b"stream\n"
        + rows
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)
