import io

import pytest
from PIL import Image, TiffImagePlugin

from archive.models import Licence


def stored(root, folder: str = "") -> list:
    base = root / folder if folder else root
    return sorted(p for p in base.rglob("*") if p.is_file()) if base.exists() else []


def photo_with_exif(width=60, height=40, orientation=6) -> bytes:
    """A JPEG as a phone makes it: rotated by EXIF, with GPS and the camera's serial."""
    image = Image.new("RGB", (width, height), "teal")
    image.paste((200, 30, 30), (0, 0, width // 2, height // 2))  # marks the top-left
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "KameraCorp"
    exif[0x8769] = {0xA431: "SERIAL-123456789"}
    exif[0x8825] = {
        1: "N",
        2: (TiffImagePlugin.IFDRational(52), TiffImagePlugin.IFDRational(1), 0),
        3: "E",
        4: (TiffImagePlugin.IFDRational(20), TiffImagePlugin.IFDRational(30), 0),
    }
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def picture(width, height, fmt="JPEG", mode="RGB", color="teal") -> bytes:
    buffer = io.BytesIO()
    image = Image.new(mode, (width, height), color if mode != "I;16" else 40000)
    image.save(buffer, fmt)
    return buffer.getvalue()


@pytest.fixture
def open_licence(db):
    return Licence.objects.get(code="CC0-1.0")


@pytest.fixture
def closed_licence(db):
    return Licence.objects.get(code="InC")


@pytest.fixture
def zoom_small(settings):
    """Large-image behaviour on small test images: tiles above 600 px, 256 px tiles."""
    settings.KRONIKA_ZOOM_MIN_SIDE = 600
    settings.KRONIKA_TILE_SIZE = 256


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (the msgids); the Polish catalogue is separate."""
    from django.utils import translation

    with translation.override("en"):
        yield
