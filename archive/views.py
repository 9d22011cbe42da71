"""Public catalogue pages: thin views over named querysets.

Browse pages count published items per type, decade, place and subject and link each value
to the search page with that filter, so a list of items has one home (search/views.py)
with the same facets, pagination and sorting, whatever way a visitor arrived.
"""

from __future__ import annotations

import datetime
import logging
import math
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Func, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from curation.models import Collection
from interop import iiif

from .anniversaries import on_this_day
from .citation import item_citation
from .citation_formats import BY_EXTENSION
from .contact import contact_details
from .linked_data import item_schema_org
from .maps import map_labels, place_markers, tile_settings
from .models import Agent, Item, ItemCreator, ItemType, Licence, Place, Status, Subject
from .navigation import neighbours
from .related import related_items
from .text import polish_slugify
from .timeline import build_timeline, decade_counts  # noqa: F401 (decade_counts: tests)

logger = logging.getLogger(__name__)

RECENT_ITEMS = 8
FEATURED_COLLECTIONS = 6


# How many levels of sub-collections a card's count reaches (the collection itself and three
# below it, as the breadcrumbs reach three parents): any realistic tree.
CARD_COUNT_DEPTH = 3


def published_items_within(collection_ref) -> Subquery:
    """The number of distinct published items in a collection or its sub-collections.

    An item in two sub-collections (or in the parent and a child) counts once. A parent that
    only groups sub-collections holds no items itself, and its card must not say "0 items".
    """
    below = Q(memberships__collection=collection_ref)
    path = "memberships__collection"
    for _level in range(CARD_COUNT_DEPTH):
        path += "__parent"
        below |= Q(**{path: collection_ref})
    counted = (
        Item.objects.published()
        .filter(below)
        .order_by()
        .annotate(
            n=Func(F("pk"), function="COUNT", template="%(function)s(DISTINCT %(expressions)s)")
        )
        .values("n")
    )
    return Subquery(counted, output_field=IntegerField())


def collections_for_cards(queryset):
    """Collections ready for a card: cover picture and the number of published items in
    them and their sub-collections."""
    return (
        queryset.select_related("cover_item")
        .prefetch_related("cover_item__media_files")
        .annotate(published_count=published_items_within(OuterRef("pk")))
    )


def top_collections():
    return collections_for_cards(Collection.objects.public().filter(parent=None))


def search_url(**filters) -> str:
    """The search page filtered by one facet value, e.g. search_url(item_type="map")."""
    return f"{reverse('search:search')}?{urlencode(filters)}"


@require_safe
def home(request):
    recent = (
        Item.objects.published()
        .with_listing_relations()
        .order_by("-published_at", "pk")[:RECENT_ITEMS]
    )
    return render(
        request,
        "archive/home.html",
        {
            "collections": top_collections()[:FEATURED_COLLECTIONS],
            "recent": recent,
            "types": type_counts(),
            "on_this_day": on_this_day(timezone.localdate()),
        },
    )


def canonical_redirect(request, items, identifier: str) -> HttpResponsePermanentRedirect | None:
    """A 301 to the stored spelling of an identifier typed in another case
    (`/pl/items/mok-d-0009/` → `/pl/items/MOK-D-0009/`), looked up among `items` (what
    the visitor may see, so a draft's identifier is not confirmed); None when there is
    no such item. The item page, the IIIF manifest and the API item share it."""
    canonical = items.canonical_identifier(identifier)
    if canonical is None or canonical == identifier:
        return None
    match = request.resolver_match
    url = reverse(
        f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name,
        args=match.args,
        kwargs={**match.kwargs, "identifier": canonical},
    )
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


@require_safe
def item_detail(request, identifier: str):
    items = (
        Item.objects.visible_to(request.user)
        .select_related("licence")
        .prefetch_related(
            "media_files",
            "subjects",
            "places",
            "collections",
            Prefetch("item_creators", queryset=ItemCreator.objects.select_related("agent")),
            Prefetch(
                "related_items",
                queryset=Item.objects.published().prefetch_related("media_files"),
            ),
        )
    )
    item = items.filter(identifier=identifier).first()
    if item is None:
        redirect = canonical_redirect(request, items, identifier)
        if redirect is None:
            raise Http404("No item has this identifier.")
        return redirect
    url = request.build_absolute_uri(item.get_absolute_url())
    return render(
        request,
        "archive/item_detail.html",
        {
            "item": item,
            "related": related_items(item),
            "map_markers": place_markers(item.places.all(), search_url),
            "map_tiles": tile_settings(),
            "map_labels": map_labels(),
            "schema_org": _schema_org(item, request),
            "citation": item_citation(item, url),
            "canonical_url": url,
            "neighbours": neighbours(request, item),
            "manifest_url": iiif.manifest_url(item, request)
            if iiif.has_manifest(list(item.media_files.all()))
            else "",
        },
    )


def _schema_org(item: Item, request) -> dict | None:
    """schema.org JSON-LD for published items (drafts are not described to robots)."""
    if not item.is_published:
        return None
    return item_schema_org(item, request)


@require_safe
def person_detail(request, slug: str):
    """A person or organisation and their items; public only through a published item."""
    staff = request.user.is_authenticated and request.user.is_staff
    person = get_object_or_404(Agent.objects.all() if staff else Agent.objects.public(), slug=slug)
    credits = (
        ItemCreator.objects.filter(
            agent=person, item__in=Item.objects.visible_to(request.user).values("pk")
        )
        .select_related("item__licence")
        .prefetch_related("item__media_files")
        .order_by("item__date_start", "item__title", "item__pk", "order")
    )
    items: dict[int, Item] = {}
    roles: dict[str, str] = {}
    for credit in credits:
        items.setdefault(credit.item_id, credit.item)
        roles.setdefault(credit.role, credit.get_role_display())
    return render(
        request,
        "archive/person_detail.html",
        {"person": person, "items": list(items.values()), "roles": list(roles.values())},
    )


# --- Browse ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BrowseEntry:
    """One value to browse by: its label, how many published items have it, where to go."""

    label: str
    count: int
    url: str
    value: str = ""
    share: int = 0  # 1–10: the bar length on the timeline, relative to the busiest decade


def type_counts() -> list[BrowseEntry]:
    counts = dict(
        Item.objects.published()
        .values_list("item_type")
        .annotate(n=Count("pk"))
        .values_list("item_type", "n")
    )
    return [
        BrowseEntry(str(label).capitalize(), counts[value], search_url(item_type=value), value)
        for value, label in ItemType.choices
        if counts.get(value)
    ]


def _with_published_counts(queryset) -> list:
    """Records used by published items, with their counts, in the order of their labels
    in the page's language (diacritics folded, so Łódź files under L)."""
    records = queryset.annotate(
        published_count=Count("items", filter=Q(items__status=Status.PUBLISHED))
    ).filter(published_count__gt=0)
    return sorted(records, key=lambda record: (polish_slugify(record.label), record.pk))


@dataclass(frozen=True)
class MapPoint:
    """A place drawn on the offline map: x/y in the SVG's 0–1000 × 0–600 box."""

    place: Place
    x: int
    y: int
    label_y: int
    label_left: bool


MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN, MAP_LABEL_LINE = 1000, 600, 60, 34


def map_points(places) -> list[MapPoint]:
    """Places with coordinates placed on a plain plot (no tiles, works offline).

    An equirectangular projection with the longitude scaled by cos(latitude) is faithful
    enough over the few kilometres of a town and its villages.
    """
    located = [p for p in places if p.has_coordinates]
    if not located:
        return []
    lats = [Decimal(p.latitude) for p in located]
    lons = [Decimal(p.longitude) for p in located]
    mid_lat = float(min(lats) + max(lats)) / 2
    scale_x = math.cos(math.radians(mid_lat))
    span_x = float(max(lons) - min(lons)) * scale_x or 1.0
    span_y = float(max(lats) - min(lats)) or 1.0
    inner_w, inner_h = MAP_WIDTH - 2 * MAP_MARGIN, MAP_HEIGHT - 2 * MAP_MARGIN
    scale = min(inner_w / span_x, inner_h / span_y)
    offset_x = MAP_MARGIN + (inner_w - span_x * scale) / 2
    offset_y = MAP_MARGIN + (inner_h - span_y * scale) / 2
    points: list[MapPoint] = []
    for place, lat, lon in sorted(zip(located, lats, lons, strict=True), key=lambda p: -p[1]):
        x = round(offset_x + float(lon - min(lons)) * scale_x * scale)
        y = round(offset_y + float(max(lats) - lat) * scale)
        label_left = x > MAP_WIDTH / 2
        # Labels of neighbouring places would print over each other: move this label a
        # line down while it sits on a label already placed on the same side.
        label_y = y + 9
        while any(
            abs(label_y - other.label_y) < MAP_LABEL_LINE
            and other.label_left == label_left
            and abs(x - other.x) < MAP_WIDTH / 2
            for other in points
        ):
            label_y += MAP_LABEL_LINE
        points.append(MapPoint(place, x, y, min(label_y, MAP_HEIGHT - 8), label_left))
    return points


@require_safe
def browse(request):
    return render(request, "archive/browse.html", {"types": type_counts()})


@require_safe
def browse_types(request):
    return render(request, "archive/browse_types.html", {"types": type_counts()})


@require_safe
def browse_periods(request):
    centuries, undated = build_timeline()
    return render(
        request, "archive/browse_periods.html", {"centuries": centuries, "undated": undated}
    )


@require_safe
def browse_places(request):
    places = _with_published_counts(Place.objects.all())
    return render(
        request,
        "archive/browse_places.html",
        {
            "places": places,
            "points": map_points(places),
            "map_width": MAP_WIDTH,
            "map_height": MAP_HEIGHT,
            "map_markers": place_markers(places, search_url),
            "map_tiles": tile_settings(),
            "map_labels": map_labels(),
        },
    )


@require_safe
def browse_subjects(request):
    subjects = _with_published_counts(Subject.objects.all())
    return render(request, "archive/browse_subjects.html", {"subjects": subjects})


# --- About and the accessibility statement ---------------------------------------------------


@require_safe
def about(request):
    return render(
        request,
        "archive/about.html",
        {
            "item_count": Item.objects.published().count(),
            "licences": Licence.objects.order_by("code"),
        },
    )


COMPLIANCE_LEVELS = ("full", "partial", "none")
STATEMENT_DATES = ("site_published", "site_updated", "statement_prepared", "statement_reviewed")


def accessibility_settings() -> dict:
    """settings.KRONIKA_ACCESSIBILITY with dates read and values checked.

    A value that cannot be read is shown as "not filled in" rather than guessed, and
    logged, so a typo in the configuration never takes the statement down.
    """
    raw = dict(getattr(settings, "KRONIKA_ACCESSIBILITY", {}))
    statement = {key: str(value or "").strip() for key, value in raw.items()}
    for key in STATEMENT_DATES:
        text = statement.get(key, "")
        try:
            statement[key] = datetime.date.fromisoformat(text) if text else None
        except ValueError:
            logger.warning("KRONIKA_ACCESSIBILITY[%r] is not a YYYY-MM-DD date: %r", key, text)
            statement[key] = None
    if statement.get("compliance") not in COMPLIANCE_LEVELS:
        if statement.get("compliance"):
            logger.warning("KRONIKA_ACCESSIBILITY compliance must be one of %s", COMPLIANCE_LEVELS)
        statement["compliance"] = "partial"
    if statement.get("assessment") not in ("self", "external"):
        statement["assessment"] = "self"
    # The statement must always say how to reach the institution: without a named person
    # it gives the institution's own contact details (KRONIKA_CONTACT).
    contact = contact_details()
    if not statement.get("institution_address"):
        statement["institution_address"] = ", ".join(contact.address_lines)
    statement["institution"] = contact
    return statement


@require_safe
def accessibility_statement(request):
    """The statement Polish public bodies publish (ustawa z 4 kwietnia 2019 r.)."""
    return render(
        request,
        "archive/accessibility.html",
        {"statement": accessibility_settings(), "site_url": request.build_absolute_uri("/")},
    )


# --- Contact and the site map for people -------------------------------------------------


@require_safe
def contact(request):
    """Address, e-mail, telephone and website of the institution (KRONIKA_CONTACT)."""
    return render(request, "archive/contact.html", {"contact": contact_details()})


@require_safe
def site_map(request):
    """Every kind of public page on one page, for people; /sitemap.xml is for robots."""
    # Public collections only, at every level: one that holds only drafts is not listed.
    public = Collection.objects.filter(pk__in=Collection.objects.public_ids())
    collections = public.filter(parent=None).prefetch_related(
        Prefetch("children", queryset=public.prefetch_related(Prefetch("children", public)))
    )
    return render(request, "archive/site_map.html", {"collections": collections})


# --- Citation files ------------------------------------------------------------------------


@require_safe
def item_citation_file(request, identifier: str, extension: str):
    """The item's citation as a RIS, BibTeX or CSL-JSON file (archive.citation_formats),
    for the same visitors as the item page: a draft is not found for the public."""
    citation_format = BY_EXTENSION.get(extension)
    if citation_format is None:
        raise Http404("No such citation format.")
    item = get_object_or_404(
        Item.objects.visible_to(request.user)
        .select_related("licence")
        .prefetch_related(
            Prefetch("item_creators", queryset=ItemCreator.objects.select_related("agent"))
        ),
        identifier=identifier,
    )
    citation = item_citation(item, request.build_absolute_uri(item.get_absolute_url()))
    response = HttpResponse(
        citation_format.render(citation),
        content_type=f"{citation_format.media_type}; charset=utf-8",
    )
    filename = citation_format.filename(citation)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Robots-Tag"] = "noindex"
    return response
