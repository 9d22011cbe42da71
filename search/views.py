"""The plain search page (works without JavaScript) and the /healthz probe."""

from __future__ import annotations

import logging
import math

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from archive.date_display import describe_date
from archive.models import ItemType
from archive.navigation import search_origin

from .backends import get_backend, search
from .backends.base import BackendUnavailable
from .narratives import find_narratives
from .query import FACETS, SearchQuery

logger = logging.getLogger(__name__)

FACET_TITLES = {
    "item_type": _("Type"),
    "collection": _("Collection"),
    "decade": _("Decade"),
    "place": _("Place"),
    "subject": _("Subject"),
    "licence": _("Licence"),
    "has_media": _("Media"),
}


@require_safe
def search_page(request):
    query = SearchQuery.from_params(request.GET, strict=False)
    results = search(query)
    pages = max(1, math.ceil(results.count / query.page_size))
    past_end = query.page > pages
    facets = [_facet(request, query, name, results.facets.get(name, [])) for name in FACETS]
    facets = [facet for facet in facets if facet["values"]]
    active = [
        {"title": facet["title"], "label": v["label"], "remove_url": v["remove_url"]}
        for facet in facets
        for v in facet["values"]
        if v["checked"]
    ]
    years = _years_label(query)
    if years:
        active.append({"title": _("Years"), "label": years, "remove_url": _without_years(request)})
    has_filters = bool(active)
    context = {
        "query": query,
        "results": results,
        "hits": [_hit(hit) for hit in results.hits],
        # Lessons and stories above the items, on the first page only.
        "narratives": find_narratives(query) if query.page == 1 else [],
        "facets": facets,
        "active_filters": active,
        "has_filters": has_filters,
        "clear_filters_url": _without_filters(request),
        "page": query.page,
        "pages": pages,
        "past_end": past_end,
        "page_links": _page_links(request, query.page, pages),
        "previous_url": _page_url(request, query.page - 1) if 1 < query.page <= pages else "",
        "next_url": _page_url(request, query.page + 1) if query.page < pages else "",
        "did_you_mean_url": _text_url(request, results.did_you_mean)
        if results.did_you_mean
        else "",
        "original_url": _text_url(request, query.text, original=True),
        # Partial matches: the same search without the words no item had with the others.
        "without_missing_text": _text_without(query, results.missing) if results.partial else "",
        "without_missing_url": _text_url(request, _text_without(query, results.missing))
        if results.partial
        else "",
        # Result links remember this search, for previous/next on the item page.
        "item_from": search_origin(request.GET.urlencode()),
    }
    return render(request, "search/search.html", context, status=404 if past_end else 200)


def _facet(request, query: SearchQuery, name: str, counts: list) -> dict:
    """One facet for the form: its values, with the ones already chosen kept even when
    they fell out of the top values (so submitting the form never drops a filter)."""
    chosen = query.filter_values(name)
    values = [(f.value, f.label, f.count) for f in counts]
    listed = {value for value, _label, _count in values}
    values += [
        (value, _fallback_label(name, value), None) for value in chosen if value not in listed
    ]
    return {
        "name": name,
        "title": FACET_TITLES[name],
        "values": [
            {
                "value": value,
                "label": label,
                "count": count,
                "checked": value in chosen,
                "id": f"facet-{name}-{index}",
                "remove_url": _without_value(request, name, value) if value in chosen else "",
            }
            for index, (value, label, count) in enumerate(values)
        ],
    }


def _years_label(query: SearchQuery) -> str:
    """The year filter in words, as a chip shows it ('' when there is none)."""
    start, end = query.date_from, query.date_to
    if start is not None and end is not None:
        return str(start) if start == end else f"{start}–{end}"
    if start is not None:
        return _("from %(year)s") % {"year": start}
    if end is not None:
        return _("until %(year)s") % {"year": end}
    return ""


def _without_years(request) -> str:
    params = request.GET.copy()
    for name in ("date_from", "date_to", "page"):
        params.pop(name, None)
    return "?" + params.urlencode()


def _fallback_label(name: str, value: str) -> str:
    if name == "item_type" and value in ItemType.values:
        return str(ItemType(value).label)
    if name == "decade" and value.lstrip("-").isdigit():
        return f"{value}–{int(value) + 9}"
    return value


def _hit(hit) -> dict:
    """A hit as the page shows it: type in words and the EDTF date as a phrase."""
    type_label = str(ItemType(hit.item_type).label) if hit.item_type in ItemType.values else ""
    return {
        "hit": hit,
        "type_label": type_label,
        "date_words": describe_date(hit.date),
    }


def _page_links(request, page: int, pages: int) -> list[dict]:
    """First, last, and two pages either side of the current one; None marks a gap."""
    if pages <= 1:
        return []
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links: list[dict] = []
    for number in shown:
        if links and number - links[-1]["number"] > 1:
            links.append({"number": None})
        links.append(
            {"number": number, "url": _page_url(request, number), "current": number == page}
        )
    return links


def _page_url(request, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return "?" + params.urlencode()


def _without_value(request, name: str, value: str) -> str:
    params = request.GET.copy()

    def same(raw: str) -> bool:
        raw = raw.strip()
        if name == "decade" and raw.lstrip("-").isdigit():
            return str(int(raw) - int(raw) % 10) == value
        return raw == value

    params.setlist(name, [v for v in params.getlist(name) if not same(v)])
    params.pop("page", None)
    return "?" + params.urlencode()


def _without_filters(request) -> str:
    params = request.GET.copy()
    for name in (*FACETS, "date_from", "date_to", "page"):
        params.pop(name, None)
    return "?" + params.urlencode()


def _text_without(query: SearchQuery, missing: list[str]) -> str:
    """The query's text without the parts `missing` names (words, "phrases")."""
    parts = [w for w in query.words if w not in missing]
    parts += [f'"{" ".join(p)}"' for p in query.phrases if f'"{" ".join(p)}"' not in missing]
    parts += [f"-{w}" for w in query.exclusions]
    return " ".join(parts)


def _text_url(request, text: str, original: bool = False) -> str:
    params = request.GET.copy()
    params["q"] = text
    params.pop("page", None)
    return "?" + params.urlencode()


@require_safe
def healthz(request):
    """Is the database up, which search backend answers, and how much indexing waits."""
    from .outbox import pending_count

    body: dict = {"database": "ok"}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        body["outbox"] = pending_count()
    except DatabaseError as exc:
        logger.error("Health check: database unavailable: %s", exc)
        body["database"] = "unavailable"
        body["outbox"] = None
        status = 503
    backend = get_backend()
    try:
        reachable = backend.is_available()
    except BackendUnavailable:
        reachable = False
    body["search"] = {"backend": backend.name, "reachable": reachable}
    breaker = getattr(backend, "breaker", None)
    if breaker is not None:  # an external engine: is this process answering from the database?
        body["search"]["breaker"] = breaker.state
    return JsonResponse(body, status=status)
