"""Citation formats on item details: `GET items/{identifier}/?format=ris|bibtex|csl-json`, or
the same through the Accept header. One renderer per format of
`archive.citation_formats.FORMATS`, so the API gives the very files the item page offers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer

from archive.citation_formats import FORMATS, CitationFormat


class CitationRenderer(BaseRenderer):
    """Renders an `archive.citation.Citation` in one format (never an error: see
    `ItemViewSet.finalize_response`, which answers errors in JSON)."""

    charset = "utf-8"
    citation_format: CitationFormat

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:  # 304 Not Modified
            return ""
        return self.citation_format.render(data)


def _renderer(citation_format: CitationFormat) -> type[CitationRenderer]:
    return type(
        f"{citation_format.label.replace('-', '')}Renderer",
        (CitationRenderer,),
        {
            "media_type": citation_format.media_type,
            "format": citation_format.name,
            "citation_format": citation_format,
        },
    )


CITATION_RENDERERS = [_renderer(citation_format) for citation_format in FORMATS.values()]


class UnknownFormat(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "unknown_format"


class FormatNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, but an unknown `format` is a 400 naming the formats there are
    (DRF's own answer is a bare 404, as if the record were missing)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if wanted and not any(renderer.format == wanted for renderer in renderers):
            raise UnknownFormat(
                _("Unknown format “%(format)s”: use one of %(formats)s.")
                % {"format": wanted, "formats": ", ".join(r.format for r in renderers)}
            )
        return super().select_renderer(request, renderers, format_suffix)
