"""Whether the media of an item can be used by everyone: alt-text, long descriptions,
transcripts and captions.

Errors stop publishing (see `publishing_problems`); warnings are advice shown to the
archivist in the admin report and by `manage.py check_accessibility`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.utils.text import capfirst
from django.utils.translation import gettext as _

ERROR = "error"
WARNING = "warning"
MAX_ALT_TEXT = 250

# Alt-text that only names the medium says nothing about what is in the picture.
PLACEHOLDER_ALT_TEXTS = {
    "zdjecie",
    "zdjecia",
    "fotografia",
    "foto",
    "fotka",
    "obraz",
    "obrazek",
    "grafika",
    "ilustracja",
    "rycina",
    "skan",
    "image",
    "img",
    "photo",
    "photograph",
    "picture",
    "pic",
    "scan",
    "graphic",
    "illustration",
    "brak",
    "none",
    "alt",
    "alt text",
    "alt-text",
    "tekst alternatywny",
}
# Screen readers already say "image": these openings repeat it.
REDUNDANT_OPENINGS = (
    "zdjecie przedstawia",
    "zdjecie pokazuje",
    "na zdjeciu",
    "fotografia przedstawia",
    "obraz przedstawia",
    "obrazek przedstawia",
    "ilustracja przedstawia",
    "skan przedstawia",
    "image of",
    "an image of",
    "picture of",
    "a picture of",
    "photo of",
    "a photo of",
    "photograph of",
    "a photograph of",
)
# Names that cameras and scanners give files: DSC_0001, IMG-20230101-WA0003, scan0001 …
CAMERA_FILE_NAME = re.compile(
    r"^(img|dsc|dscn|dscf|dcim|pxl|p|scan|skan|image|photo|zdj)[\s_-]*\d[\w-]*(\.\w{2,4})?$"
)
LONG_DESCRIPTION_TYPES = {"map", "document"}
# The media kinds that media_problems() has rules for.
CHECKED_KINDS = ("image", "audio", "video")
# Characters Unicode files as letters that nevertheless show nothing (Hangul fillers): a
# well-known way to fill a required field with "something" invisible.
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


def has_meaningful_text(text: str | None) -> bool:
    """Whether a text says anything: it holds at least one visible letter or digit.

    Spaces of every kind (NBSP, ideographic), zero-width and other format characters (ZWSP,
    ZWJ, BOM, soft hyphen), control characters, combining marks on their own, punctuation
    ("…", "-", "—", "."), symbols and emoji alone all count as no text. The one rule behind
    "missing alt-text" for the model, the admin, the import, the API and the reports.
    """
    return any(
        unicodedata.category(c)[0] in "LN" and c not in INVISIBLE_LETTERS for c in text or ""
    )


@dataclass(frozen=True)
class Problem:
    media: object  # MediaFile
    severity: str  # ERROR | WARNING
    message: str
    field: str = ""  # the MediaFile field to fix

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def _fold(text: str) -> str:
    """Lowercase, no diacritics (ł too), single spaces, no trailing punctuation."""
    text = text.replace("ł", "l").replace("Ł", "L")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"\s+", " ", text).strip(" .,:;!-–—\"'„”")


def alt_text_problems(media, field: str = "alt_text") -> list[tuple[str, str]]:
    """(severity, message) for one alt-text field of an image; empty English is fine."""
    text = (getattr(media, field, "") or "").strip()
    label = _("alt-text") if field == "alt_text" else _("English alt-text")
    if not has_meaningful_text(text):
        if field == "alt_text":
            return [(ERROR, _("The image has no alt-text."))]
        if text:
            return [
                (
                    ERROR,
                    _(
                        "The English alt-text has no letters or digits; describe the image "
                        "or leave it empty."
                    ),
                )
            ]
        return []
    folded = _fold(text)
    names = {
        _fold(name)
        for raw in (media.original_name, PurePosixPath(media.file.name or "").name)
        if raw
        for name in (raw, PurePosixPath(raw).stem)
    }
    if folded in names or CAMERA_FILE_NAME.match(folded):
        return [(ERROR, _("The %(label)s is a file name, not a description.") % {"label": label})]
    if folded in PLACEHOLDER_ALT_TEXTS:
        return [
            (
                ERROR,
                _("The %(label)s “%(text)s” only names the medium; say what the image shows.")
                % {"label": label, "text": text},
            )
        ]
    problems = []
    for opening in REDUNDANT_OPENINGS:
        if folded == opening or folded.startswith(opening + " "):
            problems.append(
                (
                    WARNING,
                    _(
                        "The %(label)s starts with “%(opening)s”; screen readers already say "
                        "it is an image, so start with what it shows."
                    )
                    % {"label": label, "opening": text[: len(opening)]},
                )
            )
            break
    if len(text) > MAX_ALT_TEXT:
        problems.append(
            (
                WARNING,
                _(
                    "The %(label)s is %(length)s characters long; keep it under %(limit)s and "
                    "put the details in the long description."
                )
                % {"label": label, "length": len(text), "limit": MAX_ALT_TEXT},
            )
        )
    return problems


def media_problems(media, item=None) -> list[Problem]:
    """Everything that keeps one media file from being accessible."""
    item = item or media.item
    found: list[tuple[str, str, str]] = []
    if media.kind == "image":
        for field in ("alt_text", "alt_text_en"):
            found += [(sev, msg, field) for sev, msg in alt_text_problems(media, field)]
        if item.item_type in LONG_DESCRIPTION_TYPES and not media.long_description.strip():
            found.append(
                (
                    WARNING,
                    _(
                        "Maps and documents need a long description: alt-text cannot carry "
                        "their content."
                    ),
                    "long_description",
                )
            )
    elif media.kind in ("audio", "video"):
        if not (media.transcript or "").strip():
            found.append((ERROR, _("The recording has no transcript."), "transcript"))
        if media.kind == "video" and not media.captions:
            found.append((ERROR, _("The video has no captions (WebVTT file)."), "captions"))
    # capfirst: in Polish the sentence may start with the field's (lowercase) label.
    return [Problem(media, sev, capfirst(msg), field) for sev, msg, field in found]


def publishing_problems(item, media: Iterable | None = None) -> list[str]:
    """Why an item may not be published, one sentence per media file that falls short.

    `media` is the set the item will have after a save (defaults to the stored files).
    """
    if media is None:
        media = item.media_files.all() if item.pk else []
    messages = []
    for m in media:
        errors = [p.message for p in media_problems(m, item) if p.is_error]
        if errors:
            messages.append(f"{m.display_name}: {' '.join(errors)}")
    return messages


def accessibility_report(
    items=None, *, include_warnings: bool = True
) -> list[tuple[object, list[Problem]]]:
    """[(item, problems)] for every item of `items` (a queryset; default all) whose media
    fall short, by identifier. One query, whatever the number of items: the media are read
    with their items. Used by `check_accessibility` (published items) and the admin's desk
    (every item, errors only)."""
    from .models import MediaFile

    # Documents have no rules of their own (media_problems): not read at all.
    media = (
        MediaFile.objects.filter(kind__in=CHECKED_KINDS)
        .select_related("item")
        .order_by("item__identifier", "item_id", "order", "pk")
    )
    if items is not None:
        media = media.filter(item__in=items.values("pk"))
    report = []
    item, problems = None, []
    for m in media.iterator(chunk_size=2000):
        if item is None or m.item_id != item.pk:
            if problems:
                report.append((item, problems))
            item, problems = m.item, []
        problems += [p for p in media_problems(m, item) if include_warnings or p.is_error]
    if problems:
        report.append((item, problems))
    return report


def published_report(*, include_warnings: bool = True) -> list[tuple[object, list[Problem]]]:
    """[(item, problems)] for every published item whose media fall short."""
    from archive.models import Item

    return accessibility_report(Item.objects.published(), include_warnings=include_warnings)
