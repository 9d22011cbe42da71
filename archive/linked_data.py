"""schema.org descriptions of items, built once for the API and the item page's JSON-LD.

Why one function: search engines read the JSON-LD on the item page and data consumers read
the API's `schema_org` field; both must say the same thing about an item.
"""

from __future__ import annotations

import re
import threading
from html import unescape

import markdown
from django.http import HttpRequest
from django.utils.html import strip_tags

from .models import Item, ItemCreator, ItemType

# The schema.org type that best fits each kind of item. Monuments are places, so their
# description uses Place properties (geo, containedInPlace) rather than CreativeWork ones.
SCHEMA_TYPES: dict[str, str] = {
    ItemType.PHOTOGRAPH: "Photograph",
    ItemType.DOCUMENT: "ArchiveComponent",
    ItemType.MONUMENT: "LandmarksOrHistoricalBuildings",
    ItemType.ARTIFACT: "CreativeWork",
    ItemType.MAP: "Map",
    ItemType.RECORDING: "AudioObject",
    ItemType.TRADITION: "CreativeWork",
    ItemType.PUBLICATION: "Book",
    ItemType.ARTWORK: "VisualArtwork",
}
PLACE_TYPES = {"LandmarksOrHistoricalBuildings"}

# Roles that make an agent a creator of the work; the others have their own properties.
CREATOR_ROLES = {
    ItemCreator.Role.CREATOR,
    ItemCreator.Role.AUTHOR,
    ItemCreator.Role.PHOTOGRAPHER,
    ItemCreator.Role.ARTIST,
    ItemCreator.Role.ARCHITECT,
    ItemCreator.Role.PERFORMER,
    ItemCreator.Role.INTERVIEWER,
}

# schema.org dates are ISO 8601; EDTF qualifiers (~ ? X) are not, so only plain dates are
# given as dateCreated and the rest as a year interval in temporalCoverage.
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


_converters = threading.local()


def _plain_text(text: str) -> str:
    """Description Markdown as plain text (one parser a thread: building one costs more
    than converting a description)."""
    if not (text or "").strip():
        return ""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown.Markdown(extensions=["sane_lists"])
    html = converter.reset().convert(text)
    return " ".join(unescape(strip_tags(html)).split())


def _agent(agent) -> dict:
    data = {
        "@type": "Organization" if agent.kind == agent.Kind.ORGANISATION else "Person",
        "name": agent.name,
    }
    if agent.name_en and agent.name_en != agent.name:
        data["alternateName"] = agent.name_en
    return data


def _geo(place) -> dict | None:
    if not place.has_coordinates:
        return None
    return {
        "@type": "GeoCoordinates",
        "latitude": float(place.latitude),
        "longitude": float(place.longitude),
    }


def _place(place) -> dict:
    data = {"@type": "Place", "name": place.name}
    if geo := _geo(place):
        data["geo"] = geo
    return data


def _images(item: Item, request: HttpRequest | None) -> list[dict]:
    # Imported here: media.models imports archive.models, so importing media at module
    # level would make the two apps import each other.
    from media.public import public_media, thumbnail

    images = []
    for media in item.media_files.all():
        if not media.is_image:
            continue
        # The original when the licence allows download, else the largest public copy.
        url = public_media(media, request).get("url")
        if not url:
            continue
        image = {"@type": "ImageObject", "contentUrl": url}
        if small := thumbnail(media, request=request):
            image["thumbnailUrl"] = small["url"]
        if media.alt_text:
            image["description"] = media.alt_text
        if media.caption:
            image["caption"] = media.caption
        images.append(image)
    return images


def _absolute(request: HttpRequest | None, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def item_schema_org(item: Item, request: HttpRequest | None) -> dict:
    """The schema.org description of an item, ready to serialise as JSON-LD.

    Reads the item's relations through `.all()`, so a caller that prefetched media_files,
    subjects, places, collections and item_creators__agent pays no extra queries.
    """
    schema_type = SCHEMA_TYPES.get(item.item_type, "CreativeWork")
    page = _absolute(request, item.get_absolute_url())
    data: dict = {
        "@context": "https://schema.org",
        "@type": schema_type,
        "@id": page,
        "url": page,
        "identifier": item.identifier,
        "name": item.title,
    }
    if item.title_en:
        data["alternateName"] = item.title_en
    if description := _plain_text(item.description):
        data["description"] = description
    places = list(item.places.all())
    subjects = list(item.subjects.all())
    if subjects:
        data["keywords"] = [subject.name for subject in subjects]
    if images := _images(item, request):
        data["image"] = images

    if schema_type in PLACE_TYPES:
        located = next((p for p in places if p.has_coordinates), None)
        if located:
            data["geo"] = _geo(located)
        if places:
            data["containedInPlace"] = [_place(place) for place in places]
        return data

    data["inLanguage"] = "pl"
    data["genre"] = item.get_item_type_display()
    if item.date and _ISO_DATE.match(item.date):
        data["dateCreated"] = item.date
    elif item.date_start is not None or item.date_end is not None:
        start = "" if item.date_start is None else f"{item.date_start:04d}"
        end = "" if item.date_end is None else f"{item.date_end:04d}"
        data["temporalCoverage"] = f"{start or '..'}/{end or '..'}"
    creators, publishers, depicted = [], [], []
    for link in item.item_creators.all():
        if link.role == ItemCreator.Role.PUBLISHER:
            publishers.append(_agent(link.agent))
        elif link.role == ItemCreator.Role.DEPICTED:
            depicted.append(_agent(link.agent))
        elif link.role in CREATOR_ROLES:
            creators.append(_agent(link.agent))
    if creators:
        data["creator"] = creators
    if publishers:
        data["publisher"] = publishers
    if depicted:
        data["about"] = depicted
    if places:
        data["contentLocation"] = [_place(place) for place in places]
    licence = item.licence
    if licence is not None:
        data["license"] = licence.url or licence.code
    if item.rights_holder:
        data["copyrightNotice"] = item.rights_holder
    collections = list(item.collections.all())
    if collections:
        data["isPartOf"] = [
            {
                "@type": "Collection",
                "name": collection.title,
                "url": _absolute(request, collection.get_absolute_url()),
            }
            for collection in collections
        ]
    return data
