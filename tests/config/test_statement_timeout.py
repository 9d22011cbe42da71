"""A statement PostgreSQL cancels for running past statement_timeout (query_canceled, SQLSTATE
57014) answers 503 with Retry-After like a busy database (config/busy.py), never a 500.

Live PostgreSQL, nothing mocked: the test sets the timeout (with `SET statement_timeout`, and
through the connection options DATABASE_STATEMENT_TIMEOUT writes), and a view really waits in
the server (`pg_sleep`) until the server cancels it.
"""

from __future__ import annotations

import json
import logging

import pytest
from django.db import connection, connections
from django.http import HttpResponse
from django.urls import path

import config.urls
from config.busy import is_busy, is_timed_out, is_unavailable

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.urls(__name__),
    # Autocommit, as in production: the cancelled statement is not inside a test transaction.
    pytest.mark.django_db(transaction=True),
]

TIMEOUT_MS = 200


def waits(request):
    """A view whose query outlasts any timeout the tests set (10 s, cut at 0.2 s)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(10)")
    return HttpResponse("finished")


urlpatterns = [
    path("api/v1/test-waits/", waits),
    path("en/test-waits/", waits),
    *config.urls.urlpatterns,
]
handler400 = config.urls.handler400
handler403 = config.urls.handler403
handler404 = config.urls.handler404
handler500 = config.urls.handler500


@pytest.fixture(autouse=True)
def postgresql():
    if connection.vendor != "postgresql":
        pytest.fail(
            "This test needs a PostgreSQL test database: run pytest -m postgres with "
            "DATABASE_URL set (make test-services does)."
        )


@pytest.fixture
def set_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {TIMEOUT_MS}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET statement_timeout")


@pytest.fixture
def statement_timeout_option():
    """New connections carry `-c statement_timeout=…`, as DATABASE_STATEMENT_TIMEOUT makes
    config/settings.py write into the connection options."""
    options = connections.settings["default"].setdefault("OPTIONS", {})
    saved = dict(options)
    options["options"] = f"{options.get('options', '')} -c statement_timeout={TIMEOUT_MS}"
    connection.close()
    yield
    options.clear()
    options.update(saved)
    connection.close()


def test_a_page_whose_query_is_cancelled_is_a_503_page(client, set_statement_timeout, caplog):
    with caplog.at_level(logging.WARNING):
        answer = client.get("/en/test-waits/")
    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0 and answer["Cache-Control"] == "no-store"
    assert answer["Content-Type"].startswith("text/html")
    page = answer.content.decode()
    assert "<h1>" in page and "took too long" in page
    # The server's own message ("canceling statement due to statement timeout") stays out.
    assert "canceling statement" not in page
    # One warning line, no traceback.
    records = [r for r in caplog.records if "statement timeout" in r.getMessage()]
    assert len(records) == 1 and records[0].levelno == logging.WARNING
    assert not any(r.exc_info for r in caplog.records)


def test_an_api_call_whose_query_is_cancelled_is_a_503_in_the_error_shape(
    client, statement_timeout_option
):
    answer = client.get("/api/v1/test-waits/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0
    assert answer["Content-Type"] == "application/json"
    body = json.loads(answer.content)
    assert set(body) == {"detail"} and "took too long" in body["detail"]
    # The connection is usable at once: the next request is answered normally.
    assert client.get("/api/v1/items/").status_code == 200


def test_the_cancellation_is_told_apart_from_locks_and_outages(set_statement_timeout):
    from django.db import OperationalError

    with pytest.raises(OperationalError) as caught, connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(10)")
    assert caught.value.__cause__.sqlstate == "57014"
    assert is_timed_out(caught.value)
    assert not is_busy(caught.value) and not is_unavailable(caught.value)
