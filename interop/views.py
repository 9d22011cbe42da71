"""Thin HTTP faces of the OAI-PMH endpoint and the IIIF manifests."""

from __future__ import annotations

import json

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from archive.views import canonical_redirect

from . import iiif, oai


@csrf_exempt  # OAI-PMH allows form-encoded POST from harvesters, which carry no CSRF token.
@require_http_methods(["GET", "HEAD", "POST"])
def oai_endpoint(request):
    params = request.POST if request.method == "POST" else request.GET
    body = oai.respond(request, {name: params.getlist(name) for name in params})
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


@require_safe
def iiif_manifest(request, identifier: str):
    items = iiif.manifest_queryset(request.user)
    item = items.filter(identifier=identifier).first()
    if item is None and (redirect := canonical_redirect(request, items, identifier)):
        return _cors(redirect)
    if item is None:
        return _cors(JsonResponse({"detail": _("No published item has this identifier.")},
                                  status=404))  # fmt: skip
    data = iiif.build_manifest(item, request)
    if data is None:
        return _cors(JsonResponse(
            {"detail": _("This item has no images, so it has no IIIF manifest.")}, status=404
        ))  # fmt: skip
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type=iiif.CONTENT_TYPE)
    response["Cache-Control"] = "public, max-age=300" if item.is_published else "private, no-store"
    return _cors(response)


def _cors(response: HttpResponse) -> HttpResponse:
    # Manifests are meant for viewers on any site.
    response["Access-Control-Allow-Origin"] = "*"
    return response
