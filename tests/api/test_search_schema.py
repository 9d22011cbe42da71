"""A response and its schema side by side (STYLE.md lesson 5): the keys of live search and
suggest answers equal the properties their serializers declare in the OpenAPI schema."""

import pytest

from search.outbox import drain


@pytest.fixture
def indexed(catalogue):
    """The catalogue drained into the search index (saves in a test's transaction are not
    committed, so the outbox would otherwise wait)."""
    drain()
    return catalogue


@pytest.fixture
def schema(anon, db):
    return anon.get("/api/v1/schema/", {"format": "json"}).json()


def resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in node:  # a nullable nested object
        return resolve(schema, node["allOf"][0])
    return node


def declared(schema: dict, path: str) -> dict:
    answer = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    return resolve(schema, answer["schema"])


def properties(schema: dict, node: dict) -> set[str]:
    return set(resolve(schema, node)["properties"])


def test_search_answers_have_the_declared_keys(anon, indexed, schema):
    body = anon.get("/api/v1/search/", {"q": "kościół"}).json()
    declared_search = declared(schema, "/api/v1/search/")
    props = declared_search["properties"]
    assert set(body) == set(props)
    assert body["results"], "the catalogue has a church"
    hit = props["results"]["items"]
    assert set(body["results"][0]) == properties(schema, hit)
    thumbnail = resolve(schema, hit)["properties"]["thumbnail"]
    first_thumbnail = next(r["thumbnail"] for r in body["results"] if r["thumbnail"])
    assert set(first_thumbnail) == properties(schema, thumbnail)
    facet_value = props["facets"]["additionalProperties"]["items"]
    some_facet = next(values for values in body["facets"].values() if values)
    assert set(some_facet[0]) == properties(schema, facet_value)


def test_search_narratives_have_the_declared_keys(anon, catalogue, schema):
    from curation.models import Lesson, LessonStep

    lesson = Lesson.objects.create(title="Mszczonów w czasie wojny", slug="wojna", summary="1939")
    LessonStep.objects.create(lesson=lesson, heading="Kościół", item=catalogue["kosciol"])
    lesson.publish()
    body = anon.get("/api/v1/search/", {"q": "wojna"}).json()
    narrative = declared(schema, "/api/v1/search/")["properties"]["narratives"]["items"]
    assert body["narratives"]
    assert set(body["narratives"][0]) == properties(schema, narrative)


def test_suggest_answers_have_the_declared_keys(anon, indexed, schema):
    body = anon.get("/api/v1/search/suggest/", {"q": "kości"}).json()
    props = declared(schema, "/api/v1/search/suggest/")["properties"]
    assert set(body) == set(props)
    assert body["results"]
    assert set(body["results"][0]) == properties(schema, props["results"]["items"])
