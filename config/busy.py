"""A busy or unreachable database, or a media storage that refuses a write (full or not
writable, media/filesystem.py), answers 503 with Retry-After, never a 500.

When another writer holds the lock longer than DATABASE_BUSY_TIMEOUT (a large import, a
restore, a long save), SQLite gives up with "database is locked" and PostgreSQL with
lock_not_available (its lock_timeout); a deadlock or a serialization failure is the same
kind of trouble. A database that is away (PostgreSQL restarting or stopped for an upgrade:
no connection, or the one open cut by the server) is the other. None of them is the
request's fault, and trying again shortly will work: the API answers JSON in its error
shape, every other page a short explanation; the log gets one warning line, no traceback.
A statement that runs past PostgreSQL's statement_timeout (DATABASE_STATEMENT_TIMEOUT) is
cancelled by the server (query_canceled, 57014): the request was too heavy for the moment,
or the server is overloaded; it gets the same 503 and Retry-After, worded for a timeout.
When the database is back, the next request opens a new connection (Django closes a
connection that failed at the end of its request; CONN_HEALTH_CHECKS tests a kept one
before reusing it), so the site recovers without restarting the web server.
"""

from __future__ import annotations

import logging
import sys

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
# PostgreSQL: query_canceled (statement_timeout, or pg_cancel_backend by an administrator).
TIMEOUT_SQLSTATES = frozenset({"57014"})
SQLITE_UNAVAILABLE_MESSAGES = ("unable to open database file",)


def is_busy(exc: BaseException) -> bool:
    """True for the errors that mean "another writer holds the lock; try again"."""
    if not isinstance(exc, OperationalError):
        return False
    if getattr(exc.__cause__, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    return any(message in str(exc) for message in SQLITE_BUSY_MESSAGES)


def is_timed_out(exc: BaseException) -> bool:
    """True for a statement the server cancelled: it ran past statement_timeout."""
    return isinstance(exc, OperationalError) and (
        getattr(exc.__cause__, "sqlstate", None) in TIMEOUT_SQLSTATES
    )


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
    timed_out: bool = False,
    heading: str | None = None,
    message: str | None = None,
) -> HttpResponse:
    if message is None and unavailable:
        heading = _("The catalogue is unavailable for a moment")
        message = _(
            "The catalogue's database cannot be reached right now (it may be restarting). "
            "Nothing was saved; please try again in a few seconds."
        )
    elif message is None and timed_out:
        heading = _("The catalogue is busy")
        message = _(
            "The catalogue took too long to answer this request (the server is busy). Nothing "
            "was saved; please try again in a few seconds."
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
        return outage_response(request, exception)


def outage_response(request: HttpRequest, exc: BaseException | None) -> HttpResponse | None:
    """The 503 for a fault of the infrastructure — a busy or unreachable database, a media
    storage refusing a write — with one log line and no traceback; None for anything else."""
    from media.filesystem import StorageWriteError

    if exc is None:
        return None
    where = f"{request.method} {request.path}"
    if is_busy(exc):
        logger.warning("Database busy on %s: %s", where, exc)
        return busy_response(request)
    if is_timed_out(exc):
        logger.warning("Database statement timeout on %s: %s", where, _first_line(exc))
        return busy_response(request, timed_out=True)
    if is_unavailable(exc):
        logger.warning("Database unavailable on %s: %s", where, _first_line(exc))
        return busy_response(request, unavailable=True)
    if isinstance(exc, StorageWriteError):
        # A full or read-only MEDIA_ROOT, or a bucket that does not answer (media.storage):
        # the administrator must act; the log says so.
        logger.error("Media storage failed on %s: %s", where, exc)
        return busy_response(request, heading=exc.heading, message=exc.message)
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the same 503 for an outage met outside any view (a middleware reading
    the session or the signed-in user before the view runs); the API's or the site's 500
    otherwise. Django calls it while handling the exception, so sys.exc_info() holds it."""
    from api.exceptions import server_error as api_server_error

    return outage_response(request, sys.exc_info()[1]) or api_server_error(request)


class QuietOutageFilter(logging.Filter):
    """On `django.request`: an outage answered by `server_error` is logged as one warning
    line (what `outage_response` logs), not as an error with a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and getattr(record, "status_code", None) == 503:
            from media.filesystem import StorageWriteError

            if (
                is_busy(exc)
                or is_timed_out(exc)
                or is_unavailable(exc)
                or isinstance(exc, StorageWriteError)
            ):
                return False  # outage_response has logged it already, in one line
        return True
