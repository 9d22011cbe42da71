"""OpenAPI additions for the search endpoints, which are DRF views without serializers.

search/api.py answers with hand-built JSON (its shape is in CONTRACTS.md); this hook writes
that shape into the schema so the docs and Schemathesis know it, without touching search/.
"""

from __future__ import annotations

FILTERS = ("item_type", "collection", "subject", "place", "licence", "decade")


def _query(name: str, schema: dict, description: str) -> dict:
    return {"in": "query", "name": name, "schema": schema, "description": description}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"detail": {"type": "string"}, "parameter": {"type": "string"}},
                }
            }
        },
    }


SEARCH_PARAMETERS = [
    _query("q", {"type": "string"}, 'Words, "quoted phrases", -excluded words.'),
    *[
        {
            **_query(
                name,
                {"type": "array", "items": {"type": "string"}},
                f"{name} filter; repeat to OR.",
            ),
            "style": "form",
            "explode": True,
        }
        for name in FILTERS
    ],
    _query("has_media", {"type": "boolean"}, "Only items with (true) or without (false) media."),
    _query("date_from", {"type": "integer"}, "Year; items whose interval ends in or after it."),
    _query("date_to", {"type": "integer"}, "Year; items whose interval starts in or before it."),
    _query(
        "sort",
        {"type": "string", "enum": ["relevance", "date", "-date", "title"]},
        "Order of results (relevance needs words; otherwise title).",
    ),
    _query("page", {"type": "integer", "minimum": 1}, "Page number."),
    _query("page_size", {"type": "integer", "minimum": 1}, "Results a page (at most 100)."),
]

FACET_VALUE = {
    "type": "object",
    "properties": {
        "value": {"type": "string"},
        "label": {"type": "string"},
        "count": {"type": "integer"},
    },
    "required": ["value", "label", "count"],
}

SEARCH_RESPONSE = {
    "type": "object",
    "required": ["count", "results", "facets", "backend"],
    "properties": {
        "count": {"type": "integer"},
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["identifier", "url", "title", "item_type", "snippet"],
                "properties": {
                    "identifier": {"type": "string"},
                    "url": {"type": "string"},
                    "title": {"type": "string"},
                    "item_type": {"type": "string"},
                    "date": {"type": "string", "nullable": True},
                    "snippet": {"type": "string"},
                    "thumbnail": {
                        "type": "object",
                        "nullable": True,
                        "properties": {"url": {"type": "string"}, "alt": {"type": "string"}},
                    },
                },
            },
        },
        "facets": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": FACET_VALUE},
        },
        "backend": {"type": "string"},
        "degraded": {"type": "boolean"},
        "did_you_mean": {"type": "string", "nullable": True},
        "corrected": {"type": "boolean", "nullable": True},
        "narratives": {
            "type": "array",
            "description": "Published lessons and stories whose text matches q (at most 10).",
            "items": {
                "type": "object",
                "required": ["kind", "slug", "title", "url", "summary"],
                "properties": {
                    "kind": {"type": "string", "enum": ["lesson", "story"]},
                    "slug": {"type": "string"},
                    "title": {"type": "string"},
                    "url": {"type": "string"},
                    "summary": {"type": "string"},
                },
            },
        },
    },
}

SUGGEST_RESPONSE = {
    "type": "object",
    "required": ["results"],
    "properties": {
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["identifier", "title", "url"],
                "properties": {
                    "identifier": {"type": "string"},
                    "title": {"type": "string"},
                    "url": {"type": "string"},
                },
            },
        }
    },
}


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def describe_search(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: parameters and responses of search/suggest."""
    paths = result.get("paths", {})
    search = paths.get("/api/v1/search/", {}).get("get")
    if search is not None:
        search.update(
            tags=["search"],
            summary="Full-text search of published items with facets",
            parameters=SEARCH_PARAMETERS,
            responses={
                "200": _json("Results, facets and the backend that answered.", SEARCH_RESPONSE),
                "400": _error("A parameter that cannot be understood (named in `parameter`)."),
                "404": _error("The page is past the last page of results."),
                "429": _error("Too many requests from this address; retry later."),
            },
        )
    suggest = paths.get("/api/v1/search/suggest/", {}).get("get")
    if suggest is not None:
        suggest.update(
            tags=["search"],
            summary="Type-ahead suggestions (up to 10)",
            parameters=[_query("q", {"type": "string"}, "What has been typed so far.")],
            responses={
                "200": _json("Up to 10 published items.", SUGGEST_RESPONSE),
                "429": _error("Too many requests from this address; retry later."),
            },
        )
    return result
