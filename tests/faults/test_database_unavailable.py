"""A database that cannot be reached answers a clean 503, never a 500 (config/busy.py).

The exceptions here are real: Django's own PostgreSQL backend trying to connect to a port
nobody listens on, and SQLite opening a file in a directory that does not exist. The live
proof (PostgreSQL stopped and started again under load, gunicorn serving) is
tests/faults/test_postgres_restart.py in the service tier.
"""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError, IntegrityError, InterfaceError
from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper
from django.db.backends.sqlite3.base import DatabaseWrapper as SqliteWrapper
from django.test import RequestFactory

from config.busy import DatabaseBusyMiddleware, is_busy, is_unavailable

from .conftest import free_port


def _settings(engine: str, **values) -> dict:
    return {
        "ENGINE": engine,
        "NAME": "kronika",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": "",
        "OPTIONS": {"connect_timeout": 2} if "postgresql" in engine else {},
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "TEST": {},
        **values,
    }


def _failure(wrapper) -> DatabaseError:
    with pytest.raises(DatabaseError) as caught:
        wrapper.ensure_connection()
    wrapper.close()
    return caught.value


@pytest.fixture
def refused(db) -> DatabaseError:
    """What a query raises while PostgreSQL is stopped (connection refused)."""
    port = free_port(40000, 49999)
    return _failure(
        PostgresWrapper(_settings("django.db.backends.postgresql", PORT=str(port)), "down")
    )


@pytest.fixture
def unopenable(db, tmp_path) -> DatabaseError:
    """What SQLite raises when its file cannot be opened."""
    name = str(tmp_path / "missing-directory" / "db.sqlite3")
    return _failure(SqliteWrapper(_settings("django.db.backends.sqlite3", NAME=name), "gone"))


def test_an_unreachable_database_is_unavailable_not_busy(refused, unopenable):
    assert is_unavailable(refused) and not is_busy(refused)
    assert is_unavailable(unopenable)
    assert is_unavailable(InterfaceError("connection already closed"))
    # A broken rule is the request's own problem, not an outage.
    assert not is_unavailable(IntegrityError("duplicate key value"))


@pytest.mark.parametrize("path", ["/pl/items/MOK-1/", "/en/browse/"])
def test_pages_get_a_503_page_with_retry_after(refused, path):
    request = RequestFactory().get(path)
    response = DatabaseBusyMiddleware(lambda r: None).process_exception(request, refused)
    assert response.status_code == 503
    assert response["Retry-After"] and response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "<h1>" in page and "</html>" in page
    # The visitor is not shown the database's own message (host, port, driver).
    assert "127.0.0.1" not in page and "refused" not in page


def test_the_api_gets_its_json_error_shape(refused):
    request = RequestFactory().post("/api/v1/items/", data={}, content_type="application/json")
    response = DatabaseBusyMiddleware(lambda r: None).process_exception(request, refused)
    assert response.status_code == 503 and response["Retry-After"]
    body = json.loads(response.content)
    assert set(body) == {"detail"} and body["detail"]
    assert "127.0.0.1" not in body["detail"]


def test_other_errors_are_left_alone():
    request = RequestFactory().get("/pl/")
    middleware = DatabaseBusyMiddleware(lambda r: None)
    assert middleware.process_exception(request, IntegrityError("duplicate key")) is None
    assert middleware.process_exception(request, ValueError("bug")) is None


def test_an_outage_met_before_the_view_is_a_503_too(refused):
    """A signed-in visitor's session and user are read by middleware before any view: a
    database outage there reaches handler500, which answers the same 503."""
    from config.busy import server_error

    request = RequestFactory().get("/pl/")
    try:
        raise refused
    except DatabaseError:
        response = server_error(request)
    assert response.status_code == 503 and response["Retry-After"]
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500


def test_an_outage_is_logged_in_one_line_without_a_traceback(refused):
    import logging
    import sys

    from config.busy import QuietOutageFilter

    def record(exc, status):
        try:
            raise exc
        except Exception:
            info = sys.exc_info()
        made = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "x", (), info)
        made.status_code = status
        return made

    quiet = QuietOutageFilter()
    assert quiet.filter(record(refused, 503)) is False
    assert quiet.filter(record(ValueError("a bug"), 500)) is True
