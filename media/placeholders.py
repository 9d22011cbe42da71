"""Placeholder cards: honest stand-in images for records that have no real picture.

A card is a plain coloured panel that says in words that it is a placeholder, with the
record's title and type. It must never pass for a photograph or a scan, so it has no
texture, no photo-like imagery, only flat colour and text. Cards are rendered
deterministically (same inputs, same bytes) so loaders can recognise a card they stored
before by its checksum.
"""

from __future__ import annotations

import functools
import io
from importlib.resources import files

from PIL import Image, ImageDraw, ImageFont

CARD_SIZE = (1200, 800)
MARGIN = 72
PLACEHOLDER_HEADING = "Ilustracja zastępcza · Placeholder"
PLACEHOLDER_NOTE = "To nie jest zdjęcie ani skan obiektu · Not a photograph or scan of the object"

# Dark, flat backgrounds; white text on each has a contrast ratio above 7:1.
BACKGROUNDS = {
    "photograph": (38, 70, 83),
    "document": (94, 52, 36),
    "monument": (60, 64, 92),
    "artifact": (86, 60, 90),
    "map": (28, 84, 64),
    "recording": (110, 40, 56),
    "tradition": (104, 64, 14),
    "publication": (50, 58, 70),
    "artwork": (78, 44, 104),
}
DEFAULT_BACKGROUND = (56, 56, 56)
TEXT = (255, 255, 255)
MUTED = (226, 226, 226)


@functools.cache
def _font_path(weight: str) -> str:
    # Lato (SIL OFL, shipped by the font-lato package) covers Polish letters; Pillow's own
    # default font does not (it has no ą, ł, ż, ó …).
    return str(files("font_lato").joinpath("files", f"Lato-{weight}.ttf"))


@functools.cache
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(_font_path(weight), size)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Split text into lines no wider than `width` pixels (long words are kept whole)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and font.getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _fit_title(title: str, width: int, max_height: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest title size (down to a floor) whose wrapped lines fit the space."""
    for size in (64, 58, 52, 46, 40, 36):
        font = _font("Bold", size)
        lines = _wrap(title, font, width)
        if len(lines) * int(size * 1.25) <= max_height:
            return font, lines
    font = _font("Bold", 36)
    lines = _wrap(title, font, width)
    fitting = max(1, max_height // int(36 * 1.25))
    if len(lines) > fitting:
        lines = lines[:fitting]
        lines[-1] = lines[-1].rstrip(".,;:") + " …"
    return font, lines


@functools.lru_cache(maxsize=512)
def render_placeholder_card(
    title: str,
    type_label: str,
    identifier: str = "",
    *,
    item_type: str = "",
    size: tuple[int, int] = CARD_SIZE,
) -> bytes:
    """A PNG card saying it is a placeholder, with the title, type and identifier.

    `type_label` is the human wording of the type (e.g. "dokument · document");
    `item_type` (a code such as "document") picks the background colour.
    """
    width, height = size
    image = Image.new("RGB", size, BACKGROUNDS.get(item_type, DEFAULT_BACKGROUND))
    draw = ImageDraw.Draw(image)
    inner = width - 2 * MARGIN

    # A plain frame and a rule under the heading make it read as a label, not a picture.
    draw.rectangle((24, 24, width - 25, height - 25), outline=MUTED, width=4)
    heading = _font("Bold", 34)
    draw.text((MARGIN, MARGIN), PLACEHOLDER_HEADING.upper(), font=heading, fill=TEXT)
    rule_y = MARGIN + 58
    draw.line((MARGIN, rule_y, width - MARGIN, rule_y), fill=MUTED, width=3)

    label = _font("Regular", 34)
    draw.text((MARGIN, rule_y + 28), type_label, font=label, fill=MUTED)

    title_top = rule_y + 100
    footer_top = height - MARGIN - 90
    title_font, lines = _fit_title(title, inner, footer_top - title_top - 20)
    line_height = int(title_font.size * 1.25)
    for n, line in enumerate(lines):
        draw.text((MARGIN, title_top + n * line_height), line, font=title_font, fill=TEXT)

    small = _font("Regular", 26)
    if identifier:
        draw.text((MARGIN, footer_top), identifier, font=_font("Bold", 30), fill=TEXT)
    note_lines = _wrap(PLACEHOLDER_NOTE, small, inner)
    for n, line in enumerate(note_lines[:2]):
        draw.text((MARGIN, footer_top + 44 + n * 32), line, font=small, fill=MUTED)

    buffer = io.BytesIO()
    # No metadata, fixed compression: the bytes depend only on the inputs (and Pillow).
    image.save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()
