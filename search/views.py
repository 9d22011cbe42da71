"""The plain search page (works without JavaScript) and the /healthz probe."""

from __future__ import annotations

import logging
import math

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from .backends import get_backend, search
from .backends.base import BackendUnavailable
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
    facets = [
        {
            "name": name,
            "title": FACET_TITLES[name],
            "values": [
                {
                    "value": f.value,
                    "label": f.label,
                    "count": f.count,
                    "checked": f.value in query.filter_values(name),
                    "id": f"facet-{name}-{index}",
                }
                for index, f in enumerate(results.facets.get(name, []))
            ],
        }
        for name in FACETS
        if results.facets.get(name)
    ]
    context = {
        "query": query,
        "results": results,
        "facets": facets,
        "page": query.page,
        "pages": pages,
        "past_end": past_end,
        "previous_url": _page_url(request, query.page - 1) if 1 < query.page <= pages else "",
        "next_url": _page_url(request, query.page + 1) if query.page < pages else "",
        "did_you_mean_url": _text_url(request, results.did_you_mean)
        if results.did_you_mean
        else "",
        "original_url": _text_url(request, query.text, original=True),
    }
    return render(request, "search/search.html", context, status=404 if past_end else 200)


def _page_url(request, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return "?" + params.urlencode()


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
    return JsonResponse(body, status=status)
