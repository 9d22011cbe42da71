"""NUL characters in requests: refused with a 400, except in search queries.

PostgreSQL can neither store nor compare text holding NUL ("\\x00"): any lookup with it
(`/pl/items/%00/`, `?subject=%00`, an OAI-PMH `set`) would raise DataError, a 500. No
text in the archive can contain one, so such a request is a mistake or a probe; one check
here serves every page, the admin, the API and OAI-PMH. (Bodies sent to the API are
checked where they are parsed, by api.parsers.)

Search is the exception: whatever a visitor types into a search box gets an answer
(issue #3: hostile queries, NUL bytes included, get a 200), so on the search page and the
search API a NUL in the query string is read as a space before any view sees it.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.utils.translation import gettext as _

NUL = "\x00"
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
# The search page (/pl/search/, /en/search/) and the search API (search and suggest).
SEARCH_PATHS = re.compile(
    r"^/(?:api/v1/search/|(?:{})/search/)".format(
        "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    )
)


def _has_nul(query) -> bool:
    return any(NUL in key or any(NUL in v for v in values) for key, values in query.lists())


def _without_nul(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        cleaned.setlist(key.replace(NUL, " "), [v.replace(NUL, " ") for v in values])
    cleaned._mutable = False
    return cleaned


class RejectNullCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if SEARCH_PATHS.match(request.path) and NUL not in request.path and _has_nul(request.GET):
            request.GET = _without_nul(request.GET)
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
