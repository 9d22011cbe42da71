"""The interactive map of places (Leaflet, static/js/map.js): what a page hands the script.

The server gives the script plain data (places with coordinates, their published counts
and the search link to their items) and the tile settings; the list of places on the same
page says everything the map shows, so the map is never the only way to a place.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Avg
from django.utils.translation import gettext, ngettext

from .models import Place


def tile_settings() -> dict[str, str]:
    """Tile URL template and attribution (settings KRONIKA_MAP_*); an empty URL: no tiles."""
    return {
        "url": settings.KRONIKA_MAP_TILE_URL,
        "attribution": settings.KRONIKA_MAP_ATTRIBUTION,
        "attribution_url": settings.KRONIKA_MAP_ATTRIBUTION_URL,
    }


def place_markers(places, search_url) -> list[dict]:
    """One marker per place with coordinates: name, count of published items, link.

    `places` carry `published_count` (archive.views._with_published_counts) or the caller
    passes places of one item, whose count is left out (None).
    """
    markers = []
    for place in places:
        if not place.has_coordinates:
            continue
        count = getattr(place, "published_count", None)
        markers.append(
            {
                "name": place.label,
                "lat": float(place.latitude),
                "lon": float(place.longitude),
                "url": search_url(place=place.slug),
                "count": count,
                "count_label": ngettext("%(counter)s item", "%(counter)s items", count)
                % {"counter": count}
                if count is not None
                else "",
            }
        )
    return markers


def map_labels() -> dict[str, str]:
    """Texts the script shows, in the page's language (Leaflet's own are English)."""
    return {
        "map": gettext("Map of places; the list of places has the same information"),
        "zoom_in": gettext("Zoom in"),
        "zoom_out": gettext("Zoom out"),
        "close": gettext("Close"),
        "items": gettext("See the items"),
        # %(count)s is filled in by the script.
        "cluster": gettext("Group of places (%(count)s); Enter zooms in"),
        "pick": gettext(
            "Click the map to set the latitude and longitude, or type them. With the map "
            "selected, arrow keys move it, + and − zoom, and Enter takes its centre."
        ),
    }


# Where the picker opens for a place without coordinates when no place has any: Poland.
DEFAULT_CENTRE, DEFAULT_ZOOM, PLACES_ZOOM = (52.0, 19.4), 6, 11


def picker_settings() -> dict:
    """What the admin's map picker needs: tiles, texts, and where to open for a new place
    (the middle of the places already located, else the whole country)."""
    middle = Place.objects.filter(latitude__isnull=False, longitude__isnull=False).aggregate(
        lat=Avg("latitude"), lon=Avg("longitude")
    )
    located = middle["lat"] is not None and middle["lon"] is not None
    return {
        "tiles": tile_settings(),
        "labels": map_labels(),
        "center": [float(middle["lat"]), float(middle["lon"])] if located else DEFAULT_CENTRE,
        "zoom": PLACES_ZOOM if located else DEFAULT_ZOOM,
    }
