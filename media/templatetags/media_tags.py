"""Template helpers for public media: responsive <picture> sources, zoom, thumbnails.

Templates never build media URLs themselves: everything comes from media.public, so an
original is linked only when its licence allows download.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from media import public

register = template.Library()

# The item page's content column is at most 72rem wide (static/css/kronika.css, .wrap).
PICTURE_SIZES = "(min-width: 72rem) 70rem, calc(100vw - 2rem)"
PHONE_MEDIA = "(max-width: 40rem)"
PHONE_WIDTH = 640


def _srcset(urls: dict[str, str]) -> str:
    return ", ".join(
        f"{url} {width}w" for width, url in sorted(urls.items(), key=lambda i: int(i[0]))
    )


@register.simple_tag
def media_picture(media) -> dict:
    """Everything figure.html needs to draw a responsive, zoomable image."""
    derived = public.derivative_urls(media)
    jpeg = derived.get("jpeg", {})
    widths = sorted(int(w) for w in jpeg)
    # The fallback for browsers that ignore srcset: a middling size, not the largest.
    fallback = next((w for w in widths if w >= 640), widths[-1] if widths else None)
    largest = widths[-1] if widths else None
    zoom = public.has_zoom(media)
    # A zoomable scan is a preview on a phone: at most 640 px whatever the pixel density,
    # because the viewer gives the detail (a 40 MP map stays near 100 KB, not 400).
    small = {w: url for w, url in derived.get("webp", {}).items() if int(w) <= PHONE_WIDTH}
    small_jpeg = {w: url for w, url in jpeg.items() if int(w) <= PHONE_WIDTH}
    return {
        "small_webp_srcset": _srcset(small) if zoom else "",
        "small_jpeg_srcset": _srcset(small_jpeg) if zoom else "",
        "phone_media": PHONE_MEDIA,
        "webp_srcset": _srcset(derived.get("webp", {})),
        "jpeg_srcset": _srcset(jpeg),
        "src": jpeg.get(str(fallback), "") if fallback else "",
        "sizes": PICTURE_SIZES,
        "largest_url": jpeg.get(str(largest), "") if largest else "",
        "largest_width": largest,
        "download_url": public.download_url(media) or "",
        "zoom": zoom,
        "zoom_info": (
            reverse("media-iiif:info", kwargs={"identifier": media.checksum}) if zoom else ""
        ),
        "zoom_script": static("vendor/openseadragon/openseadragon.min.js") if zoom else "",
    }


@register.simple_tag
def media_thumbnail(media, width: int = 320) -> dict | None:
    """{"url", "width", "height"} of a small JPEG copy, for cards and lists."""
    return public.thumbnail(media, width) if media is not None else None


@register.simple_tag(takes_context=True)
def zoom_assets(context) -> str:
    """The zoom viewer's script, once per page, only on pages that have a zoomable image.

    zoom.js is small; it loads OpenSeadragon itself when a visitor opens the viewer.
    """
    request = context.get("request")
    if request is not None:
        if getattr(request, "_kronika_zoom_assets", False):
            return ""
        request._kronika_zoom_assets = True
    return format_html('<script src="{}" defer></script>', static("js/zoom.js"))


@register.simple_tag
def zoom_min_side() -> int:
    return settings.KRONIKA_ZOOM_MIN_SIDE
