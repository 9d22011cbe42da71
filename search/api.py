"""Search API (`/api/v1/search/`, `/api/v1/search/suggest/`), shaped as in CONTRACTS.md."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .backends import search, suggest
from .narratives import find_narratives
from .query import QueryError, SearchQuery


class SearchView(APIView):
    """Published items matching `q` and the filters, with facets and highlighted snippets;
    matching published lessons and stories in `narratives`."""

    permission_classes = [AllowAny]

    def get(self, request):
        try:
            query = SearchQuery.from_params(request.query_params)
        except QueryError as exc:
            return Response({"detail": exc.message, "parameter": exc.param}, status=400)
        results = search(query)
        if query.page > 1 and query.offset >= results.count:
            return Response(
                {
                    "detail": _("Page %(page)s is past the last page of results.")
                    % {"page": query.page}
                },
                status=404,
            )
        # Lessons and stories that match, as their own group (docs/search.md); the item
        # results' shape stays as the contract has it.
        narratives = [hit.as_json() for hit in find_narratives(query)]
        return Response({**results.as_json(), "narratives": narratives})


class SuggestView(APIView):
    """Up to 10 published items for type-ahead; the last word counts as a prefix."""

    permission_classes = [AllowAny]

    def get(self, request):
        text = request.query_params.get("q", "")
        return Response(
            {
                "results": [
                    {"identifier": s.identifier, "title": s.title, "url": s.url}
                    for s in suggest(text, 10)
                ]
            }
        )
