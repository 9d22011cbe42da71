"""IIIF Presentation 3 manifests: one per item with images, so any IIIF viewer can show it.

The manifest is assembled from iiif-prezi3's models, which check its shape as it is built.
Each image is one canvas sized from the stored image; the canvas is painted with the
largest public JPEG rendition (the original only when the licence allows downloads) and,
when the media pipeline offers one, an IIIF Image API 3 service for deep zoom.
"""

from __future__ import annotations

import mimetypes
import re
from typing import TypedDict

import iiif_prezi3 as prezi3
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from archive.models import Item, ItemType
from media.models import MediaFile
from media.public import iiif_image_service, public_media
from search.documents import plain_text

LANGUAGES = ("pl", "en")
CONTEXT = "http://iiif.io/api/presentation/3/context.json"
CONTENT_TYPE = f'application/ld+json;profile="{CONTEXT}"'
_DEED = re.compile(r"deed\.[a-zA-Z_-]+$|legalcode(\.[a-zA-Z_-]+)?$")


class PublicImage(TypedDict):
    url: str
    width: int
    height: int
    format: str


def manifest_images(media: list[MediaFile]) -> list[MediaFile]:
    """The images a manifest shows: images whose size is known (canvases need it)."""
    return [m for m in media if m.is_image and m.width and m.height]


def has_manifest(media: list[MediaFile]) -> bool:
    return bool(manifest_images(media))


def manifest_url(item: Item, request: HttpRequest) -> str:
    path = reverse("interop:iiif-manifest", kwargs={"identifier": item.identifier})
    return request.build_absolute_uri(path)


def media_url(media_file: MediaFile, request: HttpRequest) -> str | None:
    """The public address of a media file (its display rendition for images), if any."""
    url = public_media(media_file, request)["url"]
    return request.build_absolute_uri(url) if url else None


def iiif_rights(url: str) -> str | None:
    """The licence URL in the form IIIF requires (http, no deed suffix), if it is a
    Creative Commons or RightsStatements.org URL; anything else cannot be `rights`."""
    match = re.match(r"^https?://(creativecommons\.org|rightsstatements\.org)(/[^?#]*)", url or "")
    if not match:
        return None
    host, path = match.groups()
    path = _DEED.sub("", path)
    if not path.endswith("/"):
        path += "/"
    return f"http://{host}{path}"


def display_image(media_file: MediaFile, request: HttpRequest) -> PublicImage | None:
    """The largest JPEG rendition the public may see; the original only when the media
    pipeline says it is public (its licence allows download). None: nothing to show."""
    info = public_media(media_file, request)
    jpegs = (info.get("derivatives") or {}).get("jpeg") or {}
    if jpegs:
        width = max(jpegs, key=int)
        return _image(request, jpegs[width], media_file, int(width), "image/jpeg")
    if info.get("url"):
        return _image(request, info["url"], media_file, media_file.width, None)
    return None


def thumbnail_image(
    media_file: MediaFile, request: HttpRequest, width: int = 320
) -> PublicImage | None:
    """The smallest JPEG rendition at least `width` wide, for viewers' thumbnail strips."""
    jpegs = (public_media(media_file, request).get("derivatives") or {}).get("jpeg") or {}
    if jpegs:
        widths = sorted(int(w) for w in jpegs)
        chosen = next((w for w in widths if w >= width), widths[-1])
        return _image(request, jpegs[str(chosen)], media_file, chosen, "image/jpeg")
    return display_image(media_file, request)


def _image(request, url: str, media_file: MediaFile, width, fmt) -> PublicImage:
    width = int(width or media_file.width)
    height = max(1, round(media_file.height * width / media_file.width))
    fmt = fmt or mimetypes.guess_type(url)[0] or "image/jpeg"
    return {"url": request.build_absolute_uri(url), "width": width, "height": height,
            "format": fmt}  # fmt: skip


def _lang(values: dict[str, str]) -> dict[str, list[str]]:
    """A IIIF language map from {"pl": text, "en": text}; an empty English falls back to
    the Polish text so that both languages always have a value."""
    polish = (values.get("pl") or "").strip()
    english = (values.get("en") or "").strip() or polish
    return {lang: [text] for lang, text in (("pl", polish), ("en", english)) if text}


def _translated(message) -> dict[str, list[str]]:
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            texts[language] = str(message)
    return _lang(texts)


def _names(records, attr: str = "name") -> dict[str, list[str]] | None:
    records = list(records)
    if not records:
        return None
    return _lang({
        "pl": "; ".join(getattr(r, attr) for r in records),
        "en": "; ".join(getattr(r, f"{attr}_en") or getattr(r, attr) for r in records),
    })  # fmt: skip


def build_manifest(item: Item, request: HttpRequest) -> dict | None:
    """The manifest of an item whose media, subjects, places, creators and collections are
    prefetched (see `manifest_queryset`); None when it has no image the public may see."""
    base = request.build_absolute_uri(f"/iiif/{item.identifier}")
    shown_images = [
        (media_file, shown)
        for media_file in manifest_images(list(item.media_files.all()))
        if (shown := display_image(media_file, request)) is not None
    ]
    if not shown_images:
        return None
    images = [media_file for media_file, _shown in shown_images]
    rights = iiif_rights(item.licence.url)

    metadata = []

    def add(label, value: dict[str, list[str]] | None) -> None:
        if value:
            metadata.append(prezi3.KeyValueString(label=_translated(label), value=value))

    add(_("Identifier"), {"none": [item.identifier]})
    type_labels = {}
    for language in LANGUAGES:
        with translation.override(language):
            type_labels[language] = str(ItemType(item.item_type).label)
    add(_("Type"), _lang(type_labels))
    add(_("Date"), {"none": [item.date]} if item.date else None)
    add(_("Creators"), _names([link.agent for link in item.item_creators.all()]))
    add(_("Subjects"), _names(item.subjects.all()))
    add(_("Places"), _names(item.places.all()))
    add(_("Collections"), _names(item.collections.all(), "title"))
    add(_("Licence"), _lang({"pl": item.licence.name, "en": item.licence.name_en}))
    add(_("Rights holder"), {"none": [item.rights_holder]} if item.rights_holder else None)
    add(_("Source"), {"none": [item.source]} if item.source.strip() else None)

    credits = [m.credit for m in images if m.credit]
    attribution = item.rights_holder or "; ".join(dict.fromkeys(credits))
    attribution = attribution or settings.KRONIKA_INSTITUTION

    canvases, services = [], {}
    for media_file, shown in shown_images:
        canvas_id = f"{base}/canvas/{media_file.pk}"
        body = prezi3.ResourceItem(
            id=shown["url"],
            type="Image",
            format=shown["format"],
            width=shown["width"],
            height=shown["height"],
        )
        service = iiif_image_service(media_file, request)
        if service:
            services[shown["url"]] = service
        canvas = prezi3.Canvas(
            id=canvas_id,
            label=_lang({"pl": media_file.alt_text, "en": media_file.alt_text_en}),
            width=media_file.width,
            height=media_file.height,
            items=[
                prezi3.AnnotationPage(
                    id=f"{canvas_id}/page",
                    items=[
                        prezi3.Annotation(
                            id=f"{canvas_id}/page/image",
                            motivation="painting",
                            body=body,
                            target=canvas_id,
                        )
                    ],
                )
            ],
        )
        caption = _lang({"pl": media_file.caption, "en": media_file.caption_en})
        if caption:
            canvas.summary = caption
        canvases.append(canvas)

    thumb = thumbnail_image(images[0], request) or shown_images[0][1]
    homepages = []
    for language in LANGUAGES:
        with translation.override(language):
            homepages.append(
                prezi3.HomepageItem(
                    id=request.build_absolute_uri(item.get_absolute_url()),
                    type="Text",
                    format="text/html",
                    language=[language],
                    label={language: [str(item.display_title)]},
                )
            )
    manifest = prezi3.Manifest(
        id=f"{base}/manifest.json",
        label=_lang({"pl": item.title, "en": item.title_en}),
        metadata=metadata,
        requiredStatement=prezi3.KeyValueString(
            label=_translated(_("Attribution")), value={"none": [attribution]}
        ),
        provider=[
            prezi3.ProviderItem(
                id=request.build_absolute_uri("/"),
                type="Agent",
                label={"none": [settings.KRONIKA_INSTITUTION]},
            )
        ],
        homepage=homepages,
        thumbnail=[
            prezi3.ResourceItem(
                id=thumb["url"],
                type="Image",
                format=thumb["format"],
                width=thumb["width"],
                height=thumb["height"],
            )  # fmt: skip
        ],
        items=canvases,
    )
    summary = _lang({"pl": plain_text(item.description), "en": plain_text(item.description_en)})
    if summary:
        manifest.summary = summary
    if rights:
        manifest.rights = rights
    data = manifest.jsonld_dict()
    if item.date_start is not None and 0 < item.date_start < 10000:
        # Set on the output: prezi3 would turn it into a datetime object.
        data["navDate"] = f"{item.date_start:04d}-01-01T00:00:00Z"
    # prezi3 keeps only id/type/profile of a service; viewers want the Image API's sizes.
    for canvas in data["items"]:
        body = canvas["items"][0]["items"][0]["body"]
        if body["id"] in services:
            body["service"] = [services[body["id"]]]
    return data


def manifest_queryset(user):
    """Items a user may see, with everything a manifest shows, in a fixed number of queries."""
    from django.db.models import Prefetch

    from archive.models import ItemCreator

    return (
        Item.objects.visible_to(user)
        .select_related("licence")
        .prefetch_related(
            Prefetch("media_files", MediaFile.objects.order_by("order", "pk")),
            Prefetch("item_creators", ItemCreator.objects.select_related("agent")),
            "subjects",
            "places",
            "collections",
        )
    )
