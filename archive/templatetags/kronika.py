"""Template helpers for the public pages: localized fields, dates in words, safe text."""

from __future__ import annotations

import json
from decimal import Decimal

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from archive.date_display import describe_date as _describe_date
from archive.date_display import describe_years
from archive.markdown import linkify_text, render_markdown
from archive.models import is_localized_fallback, localized

register = template.Library()


@register.simple_tag
def institution() -> str:
    """The institution that runs this archive (settings.KRONIKA_INSTITUTION)."""
    return settings.KRONIKA_INSTITUTION


@register.simple_tag
def contact_details():
    """The institution's address and ways of contact (settings.KRONIKA_CONTACT)."""
    from archive.contact import contact_details as details

    return details()


@register.filter
def describe_date(text: str) -> str:
    """An EDTF date in words: `1920~` → "about 1920" in the active language."""
    return _describe_date(text)


@register.filter
def date_years(item) -> str:
    """An item's years: "1930–1939", "1920", "until 1939" (its date_start and date_end)."""
    return describe_years(item.date_start, item.date_end)


@register.filter
def markdown(text: str) -> SafeString:
    """Markdown rendered and sanitised (archive.markdown.render_markdown)."""
    return render_markdown(text)


@register.filter
def linkify(text: str) -> SafeString:
    """Plain text escaped, with web addresses made into safe links."""
    return linkify_text(text)


@register.filter
def localize_field(obj, field: str) -> str:
    """`obj.<field>_en` on English pages when filled in, else the Polish `obj.<field>`."""
    return localized(obj, field)


@register.simple_tag
def lang_attr(obj, field: str) -> str:
    """` lang="pl"` when an English page falls back to the Polish text of `field`."""
    if is_localized_fallback(obj, field) and getattr(obj, field, ""):
        return format_html(' lang="{}"', settings.LANGUAGE_CODE)
    return ""


@register.filter
def first_image(item):
    """The first image of an item, from the prefetched media files (no extra query)."""
    if item is None:
        return None
    for media in item.media_files.all():
        if media.is_image:
            return media
    return None


@register.filter
def images(item) -> list:
    return [m for m in item.media_files.all() if m.is_image]


@register.filter
def other_media(item) -> list:
    return [m for m in item.media_files.all() if not m.is_image]


@register.filter
def cover_image(collection):
    """The collection's cover picture: the first image of its cover item, if published."""
    item = collection.cover_item
    if item is None or not item.is_published:
        return None
    return first_image(item)


def _coordinate(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")


@register.filter
def osm_url(place) -> str:
    """A plain OpenStreetMap link centred on a place with coordinates; "" otherwise."""
    if not place.has_coordinates:
        return ""
    lat, lon = _coordinate(place.latitude), _coordinate(place.longitude)
    query = urlencode({"mlat": lat, "mlon": lon})
    return f"https://www.openstreetmap.org/?{query}#map=15/{lat}/{lon}"


@register.simple_tag(takes_context=True)
def page_in_language(context, language: str) -> str:
    """The URL of the current page in another language (the home page if unknown)."""
    request = context.get("request")
    if request is None:
        return f"/{language}/"
    path = request.get_full_path()
    translated = translate_url(path, language)
    current = get_language() or settings.LANGUAGE_CODE
    if translated != path or language == current:
        return translated
    # A page that does not resolve (a 404) keeps its path under the other prefix.
    prefix = f"/{current}/"
    if path.startswith(prefix):
        return f"/{language}/{path[len(prefix) :]}"
    return f"/{language}/"


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    """`url` with scheme and host, for links that must stand alone (hreflang, feeds)."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


@register.simple_tag
def media_dimensions(media) -> str:
    """width/height attributes of an image, so the page does not jump while it loads."""
    if media.width and media.height:
        return format_html(' width="{}" height="{}"', media.width, media.height)
    return ""


# The characters that could end a <script> element or open a comment inside it, written as
# JSON escapes: the data means the same, and no content can break out of the element.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data) -> SafeString:
    """A <script type="application/ld+json"> element holding `data`, safe to embed.

    A data block is never executed, so CSP's script-src does not apply to it (HTML's
    "prepare the script element" stops at a non-JavaScript type before any CSP check).
    """
    if not data:
        return SafeString("")
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    text = text.translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


CARD_SIZES = "(min-width: 72rem) 17rem, (min-width: 40rem) 45vw, 100vw"


@register.inclusion_tag("includes/responsive_image.html")
def responsive_image(media, css_class: str = "", sizes: str = CARD_SIZES, lazy: bool = True):
    """An image as <picture>: WebP and JPEG derivatives in srcset, the browser picks the
    width `sizes` needs. Originals are not used: they are public only under some licences.
    """
    from media.public import derivative_set, stored_url

    copies = sorted(derivative_set(media), key=lambda d: d.width)
    by_format = {fmt: [d for d in copies if d.format == fmt] for fmt in ("webp", "jpeg")}

    def srcset(derived) -> str:
        return ", ".join(f"{stored_url(d.name)} {d.width}w" for d in derived)

    jpegs = by_format["jpeg"]
    fallback = next((d for d in jpegs if d.width >= 320), jpegs[-1]) if jpegs else None
    return {
        "media": media,
        "css_class": css_class,
        "sizes": sizes,
        "lazy": lazy,
        "webp_srcset": srcset(by_format["webp"]),
        "jpeg_srcset": srcset(jpegs),
        "src": stored_url(fallback.name) if fallback else "",
        "width": fallback.width if fallback else media.width,
        "height": fallback.height if fallback else media.height,
    }


@register.filter
def with_origin(url: str, origin: str) -> str:
    """An item URL that remembers the list it is linked from (archive.navigation)."""
    from archive.navigation import item_link

    return item_link(url, origin or "")


@register.simple_tag(takes_context=True)
def media_downloads(context, media) -> list:
    """The sizes of a media file the visitor may download (media.downloads)."""
    from media.downloads import download_options

    user = getattr(context.get("request"), "user", None)
    staff = bool(user and user.is_authenticated and user.is_staff)
    return download_options(media, staff)


@register.simple_tag(takes_context=True)
def share_image(context, item) -> dict | None:
    """The picture a link preview shows (og:image): a public JPEG copy about 1200 px
    wide of the item's first image, with its absolute URL and alt-text; None if none."""
    from media.public import thumbnail

    media = first_image(item)
    if media is None:
        return None
    copy = thumbnail(media, 1200, context.get("request"))
    if copy is None:
        return None
    return {**copy, "alt": media.display_alt_text}
