"""Requests whose address or form carries a NUL character are refused with a 400.

PostgreSQL can neither store nor compare text holding NUL ("\\x00"): any lookup with it
(`/pl/items/%00/`, `?subject=%00`, an OAI-PMH `set`) would raise DataError, a 500. No
text in the archive can contain one, so such a request is a mistake or a probe; one check
here serves every page, the admin, the API and OAI-PMH. (Bodies sent to the API are
checked where they are parsed, by api.parsers.)
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(query) -> bool:
    return any(NUL in key or any(NUL in v for v in values) for key, values in query.lists())


class RejectNullCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Forms: OAI-PMH and the admin. The API parses (and checks) its own bodies.
        form = (
            request.method == "POST"
            and request.content_type in FORMS
            and not request.path.startswith("/api/")
        )
        if NUL in request.path or _has_nul(request.GET) or (form and _has_nul(request.POST)):
            message = _("The request contains a NUL character, which no text can hold.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
