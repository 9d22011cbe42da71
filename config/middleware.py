"""NUL characters in requests: refused with a 400, except in search queries.

PostgreSQL can neither store nor compare text holding NUL ("\\x00"): any lookup with it
(`/pl/items/%00/`, `?subject=%00`, an OAI-PMH `set`) would raise DataError, a 500. No
text in the archive can contain one, so such a request is a mistake or a probe; one check
here serves every page, the admin, the API and OAI-PMH. (Bodies sent to the API are
checked where they are parsed, by api.parsers.)

Search is the exception: whatever a visitor types into a search box gets an answer
(issue #3: hostile queries, NUL bytes included, get a 200). Views marked with
`nul_as_space` (the search page, the search and suggest API) read a NUL in the query
string as a space; the check runs in `process_view`, once the view is known.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.utils.translation import gettext as _

NUL = "\x00"
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def nul_as_space(view):
    """Mark a view whose query string may carry NUL characters: they are read as spaces."""
    view.nul_as_space = True
    return view


def _has_nul(query) -> bool:
    return any(NUL in key or any(NUL in v for v in values) for key, values in query.lists())


def _without_nul(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        cleaned.setlist(key.replace(NUL, " "), [v.replace(NUL, " ") for v in values])
    cleaned._mutable = False
    return cleaned


def _refused(request: HttpRequest) -> HttpResponse:
    message = _("The request contains a NUL character, which no text can hold.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


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
        if NUL in request.path or (form and _has_nul(request.POST)):
            return _refused(request)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not _has_nul(request.GET):
            return None
        if getattr(view_func, "nul_as_space", False):
            request.GET = _without_nul(request.GET)
            return None
        return _refused(request)


class RejectLongAddressesMiddleware:
    """Addresses (path and query string) over KRONIKA_MAX_URL_BYTES get a clear 414, in the
    API's JSON shape under /api/, before any view tries to look them up or store them.

    Search is the exception, as for NUL: whatever a visitor types gets an answer (issue #3),
    so views marked `nul_as_space` take a query string of any length (the search itself
    bounds what it reads). A path over the limit is refused everywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if len(request.path.encode()) > settings.KRONIKA_MAX_URL_BYTES:
            return _too_long(request)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if getattr(view_func, "nul_as_space", False):
            return None
        if len(request.get_full_path().encode()) > settings.KRONIKA_MAX_URL_BYTES:
            return _too_long(request)
        return None


def _too_long(request: HttpRequest) -> HttpResponse:
    length = len(request.get_full_path().encode())
    limit = settings.KRONIKA_MAX_URL_BYTES
    message = _("The address is too long (%(length)d bytes; at most %(limit)d).") % {
        "length": length,
        "limit": limit,
    }
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=414)
    return HttpResponse(message, status=414, content_type="text/plain; charset=utf-8")
