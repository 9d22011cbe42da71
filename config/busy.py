"""A busy or unreachable database, or a media storage that refuses a write (full or not
writable, media/filesystem.py), answers 503 with Retry-After, never a 500.

When another writer holds the lock longer than DATABASE_BUSY_TIMEOUT (a large import, a
restore, a long save), SQLite gives up with "database is locked" and PostgreSQL with
lock_not_available (its lock_timeout); a deadlock or a serialization failure is the same
kind of trouble. A database that is away (PostgreSQL restarting or stopped for an upgrade:
no connection, or the one open cut by the server) is the other. None of them is the
request's fault, and trying again shortly will work: the API answers JSON in its error
shape, every other page a short explanation; the log gets one warning line, no traceback.
When the database is back, the next request opens a new connection (Django closes a
connection that failed at the end of its request; CONN_HEALTH_CHECKS tests a kept one
before reusing it), so the site recovers without restarting the web server.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
# PostgreSQL: lock_not_available (lock_timeout), serialization_failure, deadlock_detected.
BUSY_SQLSTATES = frozenset({"55P03", "40001", "40P01"})
SQLITE_BUSY_MESSAGES = ("database is locked", "database table is locked", "database is busy")
# PostgreSQL: class 08 (connection exception) and the server going away: admin_shutdown,
# crash_shutdown, cannot_connect_now ("the database system is starting up/shutting down").
UNAVAILABLE_SQLSTATES = frozenset({"57P01", "57P02", "57P03"})
SQLITE_UNAVAILABLE_MESSAGES = ("unable to open database file",)


def is_busy(exc: BaseException) -> bool:
    """True for the errors that mean "another writer holds the lock; try again"."""
    if not isinstance(exc, OperationalError):
        return False
    if getattr(exc.__cause__, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    return any(message in str(exc) for message in SQLITE_BUSY_MESSAGES)


def is_unavailable(exc: BaseException) -> bool:
    """True for "the database cannot be reached now": no connection could be opened, or the
    open one was cut (a restart, an upgrade). psycopg gives no SQLSTATE for a connection it
    lost or could not open (only the server sends one), and Django's InterfaceError is its
    "connection already closed"."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if cause is not None and type(cause).__module__.startswith("psycopg"):
        sqlstate = getattr(cause, "sqlstate", None)
        return sqlstate is None or sqlstate.startswith("08") or sqlstate in UNAVAILABLE_SQLSTATES
    return any(message in str(exc) for message in SQLITE_UNAVAILABLE_MESSAGES)


def busy_response(
    request: HttpRequest,
    *,
    unavailable: bool = False,
    heading: str | None = None,
    message: str | None = None,
) -> HttpResponse:
    if message is None and unavailable:
        heading = _("The catalogue is unavailable for a moment")
        message = _(
            "The catalogue's database cannot be reached right now (it may be restarting). "
            "Nothing was saved; please try again in a few seconds."
        )
    elif message is None:
        heading = _("The catalogue is busy")
        message = _(
            "The catalogue is busy with a large change (an import or a restore). Nothing was "
            "saved; please try again in a few seconds."
        )
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(
            render_to_string("503.html", {"heading": heading, "message": message}, request=request),
            status=503,
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
        if is_busy(exception):
            logger.warning("Database busy on %s %s: %s", request.method, request.path, exception)
            return busy_response(request)
        if is_unavailable(exception):
            logger.warning(
                "Database unavailable on %s %s: %s",
                request.method,
                request.path,
                str(exception).strip().splitlines()[0] if str(exception).strip() else exception,
            )
            return busy_response(request, unavailable=True)
        from media.filesystem import StorageWriteError

        if isinstance(exception, StorageWriteError):
            # A full or read-only MEDIA_ROOT: the administrator must act; the log says so.
            logger.error(
                "Media storage refused a write on %s %s: %s",
                request.method,
                request.path,
                exception,
            )
            return busy_response(request, heading=exception.heading, message=exception.message)
        return None
