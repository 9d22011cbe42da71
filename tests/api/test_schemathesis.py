"""Schemathesis against our own OpenAPI schema: generated requests never get a 5xx, and
every documented response matches the schema. Every GET anonymously; every write operation
(POST, PUT, PATCH, DELETE: items, media, collections, lessons, stories, the token endpoint)
both as an archivist with a token and anonymously. Bounded (a few examples per operation)."""

import functools

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
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
    "/api/v1/lessons/",
    "/api/v1/lessons/{slug}/",
    "/api/v1/stories/",
    "/api/v1/stories/{slug}/",
]
WRITES = [
    ("POST", "/api/v1/items/"),
    ("PUT", "/api/v1/items/{identifier}/"),
    ("PATCH", "/api/v1/items/{identifier}/"),
    ("DELETE", "/api/v1/items/{identifier}/"),
    ("POST", "/api/v1/media/"),
    ("PUT", "/api/v1/media/{id}/"),
    ("PATCH", "/api/v1/media/{id}/"),
    ("DELETE", "/api/v1/media/{id}/"),
    ("POST", "/api/v1/collections/"),
    ("PUT", "/api/v1/collections/{slug}/"),
    ("PATCH", "/api/v1/collections/{slug}/"),
    ("DELETE", "/api/v1/collections/{slug}/"),
    ("POST", "/api/v1/auth/token/"),
    ("POST", "/api/v1/lessons/"),
    ("PUT", "/api/v1/lessons/{slug}/"),
    ("PATCH", "/api/v1/lessons/{slug}/"),
    ("DELETE", "/api/v1/lessons/{slug}/"),
    ("POST", "/api/v1/stories/"),
    ("PUT", "/api/v1/stories/{slug}/"),
    ("PATCH", "/api/v1/stories/{slug}/"),
    ("DELETE", "/api/v1/stories/{slug}/"),
]
# Writes that need no login: an anonymous caller is let through to them.
OPEN_WRITES = {("POST", "/api/v1/auth/token/")}
EXAMPLES = 15
ANONYMOUS_EXAMPLES = 8


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
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "login": "100000/minute"},
    }


def run(operation, headers=None, examples=EXAMPLES, mode=GenerationMode.POSITIVE) -> set[int]:
    statuses = set()

    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=examples,
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


def test_every_write_is_exercised():
    documented = {
        (method.upper(), path)
        for path, methods in api_schema().raw_schema["paths"].items()
        for method in methods
        if method in ("post", "put", "patch", "delete")
    }
    assert documented == set(WRITES)


@pytest.mark.parametrize(
    "method, path, mode",
    [
        (method, path, mode)
        for method, path in WRITES
        for mode in GenerationMode
        # A DELETE has only a free-text path parameter: nothing breaks its schema.
        if mode is GenerationMode.POSITIVE or method != "DELETE"
    ],
    ids=lambda value: value.value if isinstance(value, GenerationMode) else None,
)
def test_archivist_writes_conform(method, path, mode, catalogue, archivist_user, unthrottled):
    """Valid-looking data (positive) and data that breaks the schema (negative)."""
    token = Token.objects.create(user=archivist_user)
    operation = api_schema()[path][method]
    statuses = run(operation, headers={"Authorization": f"Token {token.key}"}, mode=mode)
    assert not statuses & {401, 403}, statuses


@pytest.mark.parametrize("method, path", WRITES)
def test_anonymous_writes_conform(method, path, catalogue, unthrottled):
    statuses = run(api_schema()[path][method], examples=ANONYMOUS_EXAMPLES)
    if (method, path) not in OPEN_WRITES:
        assert statuses <= {401, 400, 404, 405, 415}, statuses


@pytest.fixture
def narratives(catalogue):
    """A published lesson and story that show items, and a draft lesson, for the detail
    answers the generated requests (random slugs) would not reach."""
    from curation.models import Lesson, LessonStep, Story, StoryBlock, StoryBlockItem

    lesson = Lesson.objects.create(title="Wojna", slug="wojna", cover_item=catalogue["kosciol"])
    lesson.audiences.set(lesson.audiences.model.objects.all()[:2])
    LessonStep.objects.create(lesson=lesson, heading="Krok", item=catalogue["kosciol"])
    LessonStep.objects.create(lesson=lesson, heading="Bez obiektu")
    lesson.curriculum_references.create(stage="4-8", text="Wymaganie")
    lesson.publish()
    Lesson.objects.create(title="Szkic", slug="szkic")
    story = Story.objects.create(title="Herb", slug="herb")
    block = StoryBlock.objects.create(story=story, kind="pair")
    StoryBlockItem.objects.create(block=block, item=catalogue["kosciol"], order=0)
    StoryBlockItem.objects.create(block=block, item=catalogue["mapa"], order=1)
    StoryBlock.objects.create(story=story, kind="quote", text="Słowa", source="Kronika", order=1)
    story.publish()


@pytest.mark.parametrize(
    "path, slug",
    [
        ("/api/v1/lessons/", None),
        ("/api/v1/lessons/{slug}/", "wojna"),
        ("/api/v1/stories/", None),
        ("/api/v1/stories/{slug}/", "herb"),
    ],
)
def test_lesson_and_story_answers_match_the_schema(path, slug, narratives, archivist_user):
    """Hand-built JSON and its declared schema side by side: real answers, for the public
    and for an archivist (who also sees drafts), validate against the schema."""
    token = Token.objects.create(user=archivist_user)
    operation = api_schema()[path]["GET"]
    for headers in ({}, {"Authorization": f"Token {token.key}"}):
        case = operation.Case(path_parameters={"slug": slug} if slug else {}, headers=headers)
        response = case.call_and_validate(app=application, checks=CHECKS)
        assert response.status_code == 200
