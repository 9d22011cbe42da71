"""Search API (`/api/v1/search/`, `/api/v1/search/suggest/`), shaped as in CONTRACTS.md.

The answers are built by hand (`SearchResults.as_json()`: fast, one shape for every
backend); the serializers below declare that shape for the OpenAPI schema, side by side
with the views, and tests/api/test_search_schema.py checks a live answer's keys against them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import ErrorSerializer

from .backends import search, suggest
from .narratives import find_narratives
from .query import QueryError, SearchQuery

FILTERS = ("item_type", "collection", "subject", "place", "licence", "decade")


class ThumbnailRefSerializer(serializers.Serializer):
    url = serializers.CharField()
    alt = serializers.CharField(allow_blank=True)


class SearchHitSerializer(serializers.Serializer):
    identifier = serializers.CharField()
    url = serializers.CharField()
    title = serializers.CharField()
    item_type = serializers.CharField()
    date = serializers.CharField(allow_null=True, allow_blank=True)
    snippet = serializers.CharField(help_text="Plain text, matches in <mark>…</mark>.")
    thumbnail = ThumbnailRefSerializer(allow_null=True)
    missing = serializers.ListField(
        child=serializers.CharField(),
        help_text="In partial results: the words typed (phrases in quotes) this item lacks.",
    )


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="What the filter of the same name takes.")
    label = serializers.CharField(help_text="The human name in the request's language.")
    count = serializers.IntegerField()


class NarrativeHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["lesson", "story"])
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)


class SearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = SearchHitSerializer(many=True)
    facets = serializers.DictField(
        child=FacetValueSerializer(many=True),
        help_text="item_type, collection, decade, place, subject: top 20 values each.",
    )
    backend = serializers.CharField(help_text="The engine that answered.")
    degraded = serializers.BooleanField(
        help_text="True when the configured engine failed and the database answered."
    )
    did_you_mean = serializers.CharField(allow_null=True, help_text="A corrected query.")
    corrected = serializers.BooleanField(
        allow_null=True, help_text="True when the results are those of `did_you_mean`."
    )
    partial = serializers.BooleanField(
        help_text="True when too few items (or none) have every word: the best partial "
        "matches follow the complete ones."
    )
    missing = serializers.ListField(
        child=serializers.CharField(),
        help_text="The words typed (phrases in quotes) that some partial matches lack.",
    )
    complete = serializers.IntegerField(
        help_text="How many results, the first ones, have every word: count unless partial."
    )
    narratives = NarrativeHitSerializer(
        many=True, help_text="Published lessons and stories whose text matches q (at most 10)."
    )


class SuggestionSerializer(serializers.Serializer):
    identifier = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()


class SuggestResponseSerializer(serializers.Serializer):
    results = SuggestionSerializer(many=True)


def _parameter(name: str, kind, description: str, **kwargs) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, **kwargs)


SEARCH_PARAMETERS = [
    _parameter("q", OpenApiTypes.STR, 'Words, "quoted phrases", -excluded words.'),
    *[
        _parameter(name, OpenApiTypes.STR, f"{name} filter; repeat to OR.", many=True)
        for name in FILTERS
    ],
    _parameter("has_media", OpenApiTypes.BOOL, "Only items with (true) or without (false) media."),
    _parameter("date_from", OpenApiTypes.INT, "Year; items whose interval ends in or after it."),
    _parameter("date_to", OpenApiTypes.INT, "Year; items whose interval starts in or before it."),
    _parameter(
        "sort",
        OpenApiTypes.STR,
        "Order of results (relevance needs words; otherwise title).",
        enum=["relevance", "date", "-date", "title"],
    ),
    _parameter("page", OpenApiTypes.INT, "Page number (1 or more)."),
    _parameter("page_size", OpenApiTypes.INT, "Results a page (at most 100)."),
]
THROTTLED = OpenApiResponse(ErrorSerializer, description="Too many requests; see Retry-After.")


class SearchView(APIView):
    """Published items matching `q` and the filters, with facets and highlighted snippets;
    matching published lessons and stories in `narratives`."""

    permission_classes = [AllowAny]

    @extend_schema(
        tags=["search"],
        summary="Full-text search of published items with facets",
        parameters=SEARCH_PARAMETERS,
        responses={
            200: SearchResponseSerializer,
            400: OpenApiResponse(ErrorSerializer, description="A parameter (named) is wrong."),
            404: OpenApiResponse(ErrorSerializer, description="The page is past the last."),
            429: THROTTLED,
        },
    )
    def get(self, request):
        try:
            query = SearchQuery.from_params(request.query_params)
        except QueryError as exc:
            raise ValidationError({exc.param: [exc.message]}) from None
        results = search(query)
        if query.page > 1 and query.offset >= results.count:
            raise NotFound(
                _("Page %(page)s is past the last page of results.") % {"page": query.page}
            )
        # Lessons and stories that match, as their own group (docs/search.md); the item
        # results' shape stays as the contract has it.
        narratives = [hit.as_json() for hit in find_narratives(query)]
        return Response({**results.as_json(), "narratives": narratives})


class SuggestView(APIView):
    """Up to 10 published items for type-ahead; the last word counts as a prefix."""

    permission_classes = [AllowAny]

    @extend_schema(
        tags=["search"],
        summary="Type-ahead suggestions (up to 10)",
        parameters=[_parameter("q", OpenApiTypes.STR, "What has been typed so far.")],
        responses={200: SuggestResponseSerializer, 429: THROTTLED},
    )
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
