"""What a lesson gives a classroom: the pupils' worksheet, its credits, and the ZIP with the
lesson's images in a classroom size, the worksheet as a file of its own and the credits.

The worksheet and the ZIP show only published items, whoever asks (a pupil's copy is never
a staff preview). What may go in the ZIP is the licence's `allows_download` (data, editable
by admins), read through `media.public.original_downloadable`, the rule the item page's
downloads follow too; other images are listed in the credits with their link and why they
are not included.

ZIPs are written to a temporary file in `KRONIKA_CLASSROOM_CACHE_DIR` and kept under a
name made from a fingerprint of everything they are made from (see `fingerprint`: the
lesson, its steps, items, creators, licences, the stored names of the images, which carry
each image's checksum, and the templates): a change to any gives a new name, so a stale
ZIP is never sent, and the lesson's older ZIPs are removed when a new one is written.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import get_template, render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from archive.citation import CITED_ROLES, cited_name
from archive.models import Item
from archive.text import polish_slugify
from media import public
from media.derivatives import Derivative, ensure_generated
from media.models import MediaFile

from .models import Lesson, LessonStep

# The width of a classroom copy: wide enough for a projector or an A4 page. The ZIP takes
# the smallest stored JPEG derivative at least this wide (or the largest there is).
CLASSROOM_WIDTH = 1600
# The width of the worksheet's images on the site (sharp enough on paper).
SCREEN_WIDTH = 1280
# Part of every fingerprint: raise it when the ZIP's layout changes, so cached ZIPs go.
PACK_FORMAT = "1"
WORKSHEET_CSS = "css/worksheet.css"
IMAGES_DIR = "images"


@dataclass
class Credit:
    """One illustration of the lesson: the item of a step, its image and where it may go."""

    number: int
    item: Item
    media: MediaFile | None
    permalink: str
    image_url: str = ""  # the image on the site (the worksheet page)
    file_name: str = ""  # its path inside the ZIP, when it may go there
    storage_name: str = ""
    reason: str = ""  # why the ZIP does not hold it

    @property
    def in_zip(self) -> bool:
        return bool(self.file_name)

    @property
    def creators(self) -> str:
        """Who made the picture: the people its citation names (archive/citation.py decides
        which roles count), as written in the catalogue."""
        people = [
            cited_name(role.agent).literal
            for role in self.item.item_creators.all()
            if role.role in CITED_ROLES
        ]
        return ", ".join(dict.fromkeys(people))

    @property
    def licence(self):
        return self.item.licence


@dataclass
class Worksheet:
    """A lesson's steps (published items only) and the credits of their illustrations."""

    lesson: Lesson
    steps: list[LessonStep]
    credits: list[Credit]


def classroom_derivative(media: MediaFile) -> Derivative | None:
    """The stored JPEG of `media` closest to a classroom size (see CLASSROOM_WIDTH)."""
    jpegs = sorted(
        (d for d in public.derivative_set(media) if d.format == "jpeg"), key=lambda d: d.width
    )
    wide_enough = [d for d in jpegs if d.width >= CLASSROOM_WIDTH]
    return wide_enough[0] if wide_enough else (jpegs[-1] if jpegs else None)


def _first_image(item: Item) -> MediaFile | None:
    return next((m for m in item.media_files.all() if m.is_image), None)


def worksheet(lesson: Lesson, request) -> Worksheet:
    """The lesson as pupils get it: steps with published items only, one credit per item
    (an item used by two steps is credited once). A fixed number of queries."""
    steps = lesson.steps_for_display(None)
    credits: dict[int, Credit] = {}
    for position, step in enumerate(steps, start=1):
        step.position = position
        item = step.shown_item
        if item is None:
            step.credit = None
            continue
        if item.pk not in credits:
            media = _first_image(item)
            credit = Credit(
                number=len(credits) + 1,
                item=item,
                media=media,
                permalink=request.build_absolute_uri(item.get_absolute_url()),
            )
            _place_image(credit, media)
            credits[item.pk] = credit
        step.credit = credits[item.pk]
    return Worksheet(lesson=lesson, steps=steps, credits=list(credits.values()))


def _place_image(credit: Credit, media: MediaFile | None) -> None:
    """Where the credit's image is shown on the site and whether it goes in the ZIP."""
    derivative = classroom_derivative(media) if media is not None else None
    if derivative is None:
        credit.reason = _("The item has no image to download; open it by its link.")
        return
    shown = public.thumbnail(media, SCREEN_WIDTH)
    credit.image_url = shown["url"] if shown else ""
    if not public.original_downloadable(media):
        credit.reason = _(
            "Its licence (%(licence)s) does not allow sharing copies: show it in class "
            "from the archive's page."
        ) % {"licence": credit.licence.label if credit.licence else _("none")}
        return
    if not default_storage.exists(derivative.name):
        ensure_generated(media, derivative.name)
        if not default_storage.exists(derivative.name):
            credit.reason = _("The image could not be prepared; open it by its link.")
            return
    slug = polish_slugify(credit.item.title)[:40].strip("-")
    credit.storage_name = derivative.name
    credit.file_name = f"{IMAGES_DIR}/{credit.number:02d}-{credit.item.identifier}-{slug}.jpg"


# --- The ZIP ----------------------------------------------------------------------------------


def render_pack_texts(sheet: Worksheet, request) -> dict[str, str]:
    """The text files of the ZIP, by their name in it."""
    context = {
        "lesson": sheet.lesson,
        "steps": sheet.steps,
        "credits": sheet.credits,
        "bundle": True,
        "lesson_url": request.build_absolute_uri(sheet.lesson.get_absolute_url()),
    }
    return {
        "worksheet.html": render_to_string("curation/classroom/worksheet.html", context, request),
        "credits.html": render_to_string("curation/classroom/credits.html", context, request),
        "credits.txt": render_to_string("curation/classroom/credits.txt", context, request),
        "worksheet.css": _worksheet_css(),
    }


def _worksheet_css() -> str:
    path = finders.find(WORKSHEET_CSS)
    return Path(path).read_text(encoding="utf-8") if path else ""


# What the ZIP is made from besides the data: its templates, stylesheet and translations.
PACK_SOURCES = [
    "curation/classroom/worksheet.html",
    "curation/classroom/credit_list.html",
    "curation/classroom/credits.html",
    "curation/classroom/credits.txt",
]


@functools.cache
def _sources_digest() -> str:
    """A digest of the files the ZIP's texts come from (read once per process): a new
    release that changes them gives every lesson a new ZIP."""
    digest = hashlib.sha256(PACK_FORMAT.encode())
    paths = [Path(get_template(name).origin.name) for name in PACK_SOURCES]
    paths.append(Path(finders.find(WORKSHEET_CSS) or ""))
    paths += sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.mo"))
    for path in paths:
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


def fingerprint(sheet: Worksheet, request) -> str:
    """A digest of everything the ZIP is made from, without rendering it: the lesson (its
    `modified`), each step's words, each item (`modified`, status), its creators' names,
    its licence and which stored image goes in (the name carries the image's checksum),
    the address the links are made for, the language and the templates."""
    lesson = sheet.lesson
    parts: list[object] = [
        _sources_digest(),
        request.build_absolute_uri("/"),
        get_language(),
        settings.KRONIKA_INSTITUTION,
        lesson.pk,
        lesson.modified.isoformat(),
    ]
    for step in sheet.steps:
        parts += [step.pk, step.order, step.item_id, step.heading, step.heading_en]
        parts += [step.text, step.text_en, step.tasks, step.tasks_en]
        parts.append(step.credit.number if step.credit else None)
    for credit in sheet.credits:
        item, licence = credit.item, credit.licence
        parts += [item.pk, item.modified.isoformat(), item.status, credit.permalink]
        parts += [
            (role.agent.name, role.agent.name_en, role.role) for role in item.item_creators.all()
        ]
        if licence is not None:
            parts += [licence.code, licence.name, licence.name_en, licence.url]
            parts.append(licence.allows_download)
        if credit.media is not None:
            parts += [credit.media.pk, credit.media.alt_text, credit.media.alt_text_en]
        parts += [credit.storage_name, credit.file_name, credit.reason]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def cache_dir() -> Path:
    folder = Path(settings.KRONIKA_CLASSROOM_CACHE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _cache_prefix(lesson: Lesson) -> str:
    return f"lesson-{lesson.pk}-{get_language() or settings.LANGUAGE_CODE}-"


def cached_zip(lesson: Lesson) -> Path | None:
    """The latest ZIP built for the lesson in the active language, if any (its size is
    shown on the lesson page; it may predate the latest edit)."""
    folder = Path(settings.KRONIKA_CLASSROOM_CACHE_DIR)
    if not folder.is_dir():
        return None
    found = sorted(folder.glob(f"{_cache_prefix(lesson)}*.zip"), key=_mtime, reverse=True)
    return found[0] if found else None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


@dataclass
class ClassroomZip:
    """A lesson's ZIP, open for reading (so a newer build removing it cannot pull it away
    from a download under way), and the fingerprint it was built for."""

    file: BinaryIO
    fingerprint: str


def classroom_zip(lesson: Lesson, request) -> ClassroomZip:
    """The lesson's ZIP for the active language: from the cache when nothing it is made
    from has changed, else written anew (streamed to a temporary file, moved into place)."""
    sheet = worksheet(lesson, request)
    folder = cache_dir()
    digest = fingerprint(sheet, request)
    target = folder / f"{_cache_prefix(lesson)}{digest}.zip"
    try:
        return ClassroomZip(target.open("rb"), digest)
    except FileNotFoundError:
        pass
    texts = render_pack_texts(sheet, request)
    descriptor, partial = tempfile.mkstemp(
        dir=folder, prefix=f".{_cache_prefix(lesson)}", suffix=".part"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle, zipfile.ZipFile(handle, "w") as archive:
            for name, text in texts.items():
                archive.writestr(name, text, compress_type=zipfile.ZIP_DEFLATED)
            for credit in sheet.credits:
                if credit.in_zip:
                    _add_image(archive, credit)
        built = open(partial, "rb")  # noqa: SIM115 (handed to the response, which closes it)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    _remove_older(lesson, keep=target)
    return ClassroomZip(built, digest)


def _add_image(archive: zipfile.ZipFile, credit: Credit) -> None:
    """Copy a stored JPEG into the ZIP in chunks (stored, not deflated: JPEG is compressed)."""
    info = zipfile.ZipInfo(credit.file_name)
    info.compress_type = zipfile.ZIP_STORED
    source = default_storage.open(credit.storage_name, "rb")
    with source, archive.open(info, "w") as sink:
        shutil.copyfileobj(source, sink, 1024 * 1024)


def _remove_older(lesson: Lesson, keep: Path) -> None:
    for path in keep.parent.glob(f"{_cache_prefix(lesson)}*.zip"):
        if path != keep:
            path.unlink(missing_ok=True)


def zip_filename(lesson: Lesson) -> str:
    suffix = "" if get_language() == settings.LANGUAGE_CODE else f"-{get_language()}"
    return f"{lesson.slug}{suffix}.zip"
