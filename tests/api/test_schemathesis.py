"""Schemathesis against our own OpenAPI schema: generated requests never get a 5xx, and
every documented response matches the schema. Every GET anonymously; every write operation
(POST, PUT, PATCH, DELETE: items, media, collections, lessons, stories, the token endpoint)
both as an archivist with a token and anonymously. Bounded (a few examples per operation);
the service tier adds DEEP_EXAMPLES per operation and mode on PostgreSQL."""

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
# The service tier's run on PostgreSQL (test_archivist_writes_never_fail_deeply).
DEEP_EXAMPLES = 60


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


# --- Nested entries, whole even in a PATCH ----------------------------------------------------

EXISTING = {
    "/api/v1/items/{identifier}/": "MOK-F-0001",
    "/api/v1/lessons/{slug}/": "wojna",
    "/api/v1/stories/{slug}/": "herb",
}


def resolve(schema: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = api_schema().raw_schema["components"]["schemas"][name]
    return schema


def incomplete_entries(properties: dict, path: tuple = ()):
    """(payload, path) for every list of objects in a request body: one entry without its
    required fields, and for lists inside entries, an entry whose inner list lacks them."""
    for name, prop in properties.items():
        prop = resolve(prop)
        if prop.get("readOnly") or prop.get("type") != "array":
            continue
        entry = resolve(prop.get("items", {}))
        if entry.get("type") != "object" and "properties" not in entry:
            continue
        if entry.get("required"):
            yield {name: [{}]}, (*path, name)
        for inner, inner_path in incomplete_entries(entry.get("properties", {}), (*path, name)):
            if not entry.get("required"):
                yield {name: [inner]}, inner_path


def patch_cases():
    for path, methods in api_schema().raw_schema["paths"].items():
        if "patch" not in methods:
            continue
        body = methods["patch"].get("requestBody", {}).get("content", {})
        schema = resolve(body.get("application/json", {}).get("schema", {}))
        for payload, where in incomplete_entries(schema.get("properties", {})):
            yield path, payload, where


def test_every_list_of_entries_is_found():
    """The walk below reaches every writable list of objects (a new one joins by itself)."""
    found = {(path, ".".join(where)) for path, _, where in patch_cases()}
    assert found >= {
        ("/api/v1/items/{identifier}/", "creators"),
        ("/api/v1/lessons/{slug}/", "steps"),
        ("/api/v1/stories/{slug}/", "blocks.entries"),
    }, found


def test_a_patched_entry_without_its_required_fields_is_a_400_naming_it(narratives, archivist_api):
    """The class of the creator-without-agent 500: in a PATCH, DRF skipped the required
    fields of nested entries. Every list of entries in every PATCH body, from the schema."""
    for path, payload, where in patch_cases():
        address = path.replace(path[path.index("{") : path.index("}") + 1], EXISTING[path])
        response = archivist_api.patch(address, payload, format="json")
        assert response.status_code == 400, (address, payload, response.content)
        body = response.json()
        assert body["detail"].startswith(f"{where[0]}."), (address, body)
        assert where[0] in body["errors"], (address, body)


@pytest.mark.postgres
@pytest.mark.parametrize("method, path", WRITES)
def test_archivist_writes_never_fail_deeply(method, path, narratives, archivist_user, unthrottled):
    """The service tier's longer run on PostgreSQL: DEEP_EXAMPLES generated requests per
    mode for every write operation as an archivist — bodies valid by the schema and bodies
    that break it (a DELETE has no body: its valid-looking addresses only) — bounded by the
    count, not the clock; no answer is a 5xx (`not_a_server_error` among CHECKS)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.fail("Run with DATABASE_URL pointing at PostgreSQL (make test-services does).")
    token = Token.objects.create(user=archivist_user)
    headers = {"Authorization": f"Token {token.key}"}
    modes = [GenerationMode.POSITIVE] if method == "DELETE" else list(GenerationMode)
    statuses = set()
    for mode in modes:
        statuses |= run(
            api_schema()[path][method], headers=headers, examples=DEEP_EXAMPLES, mode=mode
        )
    assert not any(code >= 500 for code in statuses), statuses
