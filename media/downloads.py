"""Downloads a person can file away: named after the item, offered in several sizes.

Stored files are named by checksum (media.models.original_path), which says nothing to
whoever saves one. A download goes through `download()` instead, which sends the same
bytes with a Content-Disposition naming the item: `MOK-F-0001-kosciol-we-mszczonowie.jpg`
(ASCII, Polish letters folded) and, for browsers that read it, `filename*` in UTF-8 with
the Polish letters kept. Which sizes exist and which are public is decided here, from
media.public, for the item page and the view alike.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from urllib.parse import quote

from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_safe

from archive.models import Item
from archive.text import polish_slugify

from . import public
from .derivatives import ensure_generated
from .models import MediaFile
from .views import _file_response

# Named sizes of an image, by the derivative width they are at most (the largest one for
# "large", up to 1920 px: the size for slides); "original" is the file as uploaded (for the
# public: an image's public copy, media.privacy; the size for print). The public gets any of
# them only when the licence allows reuse.
SIZE_WIDTHS = {"small": 640, "medium": 1280}
# What a size of an image is good for, shown beside its link: the largest reduced copy
# (up to 1920 px, a full-HD slide) for slides, the original for print.
FOR_SLIDES = pgettext_lazy("download size", "for slides")
FOR_PRINT = pgettext_lazy("download size", "for print")
SIZE_LABELS = {
    "small": pgettext_lazy("download size", "small"),
    "medium": pgettext_lazy("download size", "medium"),
    "large": pgettext_lazy("download size", "large"),
    "original": pgettext_lazy("download size", "original"),
}
TITLE_IN_NAME = 60  # characters of the title slug in a file name


@dataclass(frozen=True)
class DownloadOption:
    size: str  # small | medium | large | original
    label: str
    width: int | None
    height: int | None
    url: str
    storage_name: str
    purpose: str = ""


def _jpeg_derivatives(media: MediaFile) -> list:
    return sorted(
        (d for d in public.derivative_set(media) if d.format == "jpeg"), key=lambda d: d.width
    )


def download_options(media: MediaFile, staff: bool = False) -> list[DownloadOption]:
    """The sizes of `media` a visitor may download, smallest first, without duplicates
    (an image 800 px wide has no separate "medium" and "large"). None for the public when
    the item's licence does not allow reuse (`public.original_downloadable`: In Copyright,
    or any licence not marked so): the page shows such media, it does not hand out copies."""
    item = media.item
    if not staff and not public.original_downloadable(media):
        return []
    options: list[DownloadOption] = []

    def add(size: str, width, height, name: str) -> None:
        if any(o.storage_name == name for o in options):
            return
        url = reverse(
            "archive:item-download",
            kwargs={"identifier": item.identifier, "media_id": media.pk, "size": size},
        )
        options.append(DownloadOption(size, str(SIZE_LABELS[size]), width, height, url, name))

    jpegs = _jpeg_derivatives(media)
    for size, width in SIZE_WIDTHS.items():
        fitting = [d for d in jpegs if d.width <= width]
        if fitting:
            add(size, fitting[-1].width, fitting[-1].height, fitting[-1].name)
    if jpegs:
        add("large", jpegs[-1].width, jpegs[-1].height, jpegs[-1].name)
    if media.file and (public.original_is_public(media) or staff):
        # Staff get the untouched file; the public the copy without location or device
        # data (media.privacy) for images.
        name = media.file.name if staff else public.public_original_name(media)
        add("original", media.width, media.height, name)
    if media.is_image:
        options = _with_purposes(options)
    return options


def _with_purposes(options: list[DownloadOption]) -> list[DownloadOption]:
    reduced = [o for o in options if o.size != "original"]
    slides = reduced[-1] if reduced else None
    return [
        replace(o, purpose=str(FOR_PRINT))
        if o.size == "original"
        else replace(o, purpose=str(FOR_SLIDES))
        if o is slides
        else o
        for o in options
    ]


def download_filename(media: MediaFile, storage_name: str, unicode: bool = False) -> str:
    """`MOK-F-0001-kosciol-we-mszczonowie.jpg`; a second image of the item gets `-2`,
    a reduced copy its width (`-640`). With `unicode`, the title keeps Polish letters."""
    item = media.item
    title = slugify(item.title, allow_unicode=True) if unicode else polish_slugify(item.title)
    parts = [item.identifier, title[:TITLE_IN_NAME].strip("-")]
    position = _position(media)
    if position > 1:
        parts.append(str(position))
    if storage_name not in (media.file.name, public.public_original_name(media)):
        parts.append(PurePosixPath(storage_name).stem)  # the derivative's width
    suffix = PurePosixPath(storage_name).suffix.lower()
    return "-".join(part for part in parts if part) + suffix


def _position(media: MediaFile) -> int:
    siblings = [m.pk for m in media.item.media_files.all()]
    return siblings.index(media.pk) + 1 if media.pk in siblings else 1


def content_disposition(media: MediaFile, storage_name: str) -> str:
    """An attachment header with an ASCII `filename` and a UTF-8 `filename*` (RFC 6266)."""
    ascii_name = download_filename(media, storage_name)
    utf8_name = download_filename(media, storage_name, unicode=True)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(utf8_name)}"


def _is_staff(request) -> bool:
    return request.user.is_authenticated and request.user.is_staff


@require_safe
def download(request, identifier: str, media_id: int, size: str):
    item = get_object_or_404(
        Item.objects.visible_to(request.user).select_related("licence"), identifier=identifier
    )
    media = get_object_or_404(
        MediaFile.objects.select_related("item__licence"), pk=media_id, item=item
    )
    option = next((o for o in download_options(media, _is_staff(request)) if o.size == size), None)
    if option is None:
        raise Http404("This size is not offered for download.")
    if option.storage_name != media.file.name:
        ensure_generated(media, option.storage_name)
    if not default_storage.exists(option.storage_name):
        raise Http404("No such file.")
    response = _file_response(option.storage_name, media)
    response["Content-Disposition"] = content_disposition(media, option.storage_name)
    return response
