"""A busy database answers 503 with Retry-After, never a 500.

When another writer holds the lock longer than DATABASE_BUSY_TIMEOUT (a large import, a
restore, a long save), SQLite gives up with "database is locked" and PostgreSQL with
lock_not_available (its lock_timeout); a deadlock or a serialization failure is the same
kind of trouble. None of them is the request's fault, and trying again shortly will work:
the API answers JSON in its error shape, every other page a short explanation.
"""

from __future__ import annotations

import logging

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
# PostgreSQL: lock_not_available (lock_timeout), serialization_failure, deadlock_detected.
BUSY_SQLSTATES = frozenset({"55P03", "40001", "40P01"})
SQLITE_BUSY_MESSAGES = ("database is locked", "database table is locked", "database is busy")


def is_busy(exc: BaseException) -> bool:
    """True for the errors that mean "another writer holds the lock; try again"."""
    if not isinstance(exc, OperationalError):
        return False
    if getattr(exc.__cause__, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    return any(message in str(exc) for message in SQLITE_BUSY_MESSAGES)


def busy_response(request: HttpRequest) -> HttpResponse:
    message = _(
        "The catalogue is busy with a large change (an import or a restore). Nothing was "
        "saved; please try again in a few seconds."
    )
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(
            render_to_string("503.html", {"message": message}, request=request), status=503
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_busy(exception):
            return None
        logger.warning("Database busy on %s %s: %s", request.method, request.path, exception)
        return busy_response(request)
