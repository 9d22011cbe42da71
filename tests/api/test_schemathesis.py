"""Schemathesis against our own OpenAPI schema: generated requests never get a 5xx, and
every documented response matches the schema. Bounded (a few examples per operation)."""

import functools

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from config.wsgi import application

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]

PUBLIC_GETS = [
    "/api/v1/items/",
    "/api/v1/items/{identifier}/",
    "/api/v1/collections/",
    "/api/v1/collections/{slug}/",
    "/api/v1/subjects/",
    "/api/v1/subjects/{slug}/",
    "/api/v1/places/",
    "/api/v1/places/{slug}/",
    "/api/v1/agents/",
    "/api/v1/agents/{slug}/",
    "/api/v1/licences/",
    "/api/v1/licences/{code}/",
    "/api/v1/media/",
    "/api/v1/media/{id}/",
    "/api/v1/search/",
    "/api/v1/search/suggest/",
]
ARCHIVIST_WRITES = [
    ("POST", "/api/v1/items/"),
    ("PATCH", "/api/v1/items/{identifier}/"),
    ("POST", "/api/v1/collections/"),
    ("PATCH", "/api/v1/media/{id}/"),
]
EXAMPLES = 15


@functools.cache
def api_schema():
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Calling the WSGI app directly sends request_started/finished, whose
    close_old_connections would close the connection holding the test's transaction (on
    PostgreSQL; SQLite's in-memory test database is never closed). Django's test client
    disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def unthrottled(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute"},
    }


def run(operation, headers=None) -> set[int]:
    statuses = set()

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def exercise(case):
        response = case.call_and_validate(app=application, headers=headers, checks=CHECKS)
        statuses.add(response.status_code)

    exercise()
    return statuses


def test_every_public_get_is_exercised():
    documented = {
        path for path, methods in api_schema().raw_schema["paths"].items() if "get" in methods
    }
    assert documented == set(PUBLIC_GETS)


@pytest.mark.parametrize("path", PUBLIC_GETS)
def test_anonymous_gets_conform(path, catalogue, unthrottled):
    run(api_schema()[path]["GET"])


@pytest.mark.parametrize("method, path", ARCHIVIST_WRITES)
def test_archivist_writes_conform(method, path, catalogue, archivist_user, unthrottled):
    token = Token.objects.create(user=archivist_user)
    statuses = run(api_schema()[path][method], headers={"Authorization": f"Token {token.key}"})
    assert not statuses & {401, 403}, statuses
