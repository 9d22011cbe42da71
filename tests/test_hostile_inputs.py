"""A hostile-input sweep over the public pages and the API's query strings: very long values,
NUL bytes, invalid UTF-8 percent-escapes, arrays where one value is expected, negative and
huge page numbers, malformed dates in filters, unknown facet names. Every answer is a
normal page or a 4xx — under /api/ in the API's one JSON error shape (docs/api.md) — and
never a 500."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.utils import translation

from archive.models import Status
from tests.factories import (
    AgentFactory,
    CollectionFactory,
    CollectionItemFactory,
    ItemFactory,
    PlaceFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "/pl/",
    "/en/browse/",
    "/pl/browse/types/",
    "/pl/browse/periods/",
    "/pl/browse/places/",
    "/pl/browse/subjects/",
    "/pl/search/",
    "/en/collections/",
    "/en/collections/zbior/",
    "/pl/items/MOK-H-0001/",
    "/pl/people/jan-kowalski/",
    "/pl/lessons/",
    "/pl/stories/",
    "/pl/feed/",
    "/pl/sitemap/",
    "/sitemap.xml",
    "/oai/",
    "/iiif/MOK-H-0001/manifest.json",
]
API = [
    "/api/v1/items/",
    "/api/v1/items/MOK-H-0001/",
    "/api/v1/search/",
    "/api/v1/search/suggest/",
    "/api/v1/collections/",
    "/api/v1/subjects/",
    "/api/v1/places/",
    "/api/v1/agents/",
    "/api/v1/licences/",
    "/api/v1/media/",
    "/api/v1/lessons/",
    "/api/v1/stories/",
]
# Parameters the pages and the API read, and a few they do not.
PARAMETERS = [
    "q", "page", "page_size", "per_page", "limit", "offset", "cursor", "sort", "ordering",
    "date_from", "date_to", "decade", "item_type", "collection", "place", "subject",
    "person", "licence", "has_media", "status", "format", "lang", "id", "identifier",
    "verb", "metadataPrefix", "resumptionToken", "from", "until", "set", "section",
    "nieznany_facet", "facet", "fields", "search", "modified_since",
]  # fmt: skip
# Raw query-string values (already percent-encoded where that is the point).
VALUES = [
    "x" * 1500,  # long, under the 2,048-byte address limit
    "%00",
    "a%00b",
    "%C3%28",  # invalid UTF-8
    "%FF%FE",
    "%ED%A0%80",  # a UTF-16 surrogate in UTF-8
    "%",  # a lone percent sign
    "%2",
    "-1",
    "0",
    "-99999999999999999999",
    "99999999999999999999",
    "1e309",
    "NaN",
    "Infinity",
    "1.5",
    "0x10",
    "%20",
    "1920-13-45",
    "2020-02-30",
    "abc",
    "-0499",
    "..%2F..%2Fetc%2Fpasswd",
    "%3Cscript%3E",
    "%E2%80%AE",  # right-to-left override
    "%F0%9F%92%A9",
]


@pytest.fixture(autouse=True)
def catalogue():
    subject = SubjectFactory(name="Kościoły", slug="koscioly")
    place = PlaceFactory(name="Mszczonów", slug="mszczonow")
    AgentFactory(name="Jan Kowalski", slug="jan-kowalski")
    item = ItemFactory(
        identifier="MOK-H-0001", title="Kościół", date="1920~", status=Status.PUBLISHED
    )
    item.subjects.add(subject)
    item.places.add(place)
    collection = CollectionFactory(slug="zbior", title="Zbiór")
    CollectionItemFactory(collection=collection, item=item)


def _queries():
    """Each hostile value given to every parameter at once, then each parameter alone with
    values in turn, each given twice (an array where one value is expected) and in array
    style; names without a value, an invalid name."""
    for value in VALUES:
        yield "&".join(f"{name}={value}" for name in PARAMETERS)
    for index, name in enumerate(PARAMETERS):
        for value in (VALUES[index % len(VALUES)], VALUES[(index + 7) % len(VALUES)]):
            yield f"{name}={value}"
    yield "&".join(f"{name}=1&{name}=2" for name in PARAMETERS)
    yield "&".join(f"{name}[]=1&{name}[a]=2" for name in PARAMETERS)
    yield "&".join(PARAMETERS)
    yield "%C3%28=1&&&=&="
    yield "q=" + "x" * 5000  # over KRONIKA_MAX_URL_BYTES: a 414


def _problem(path: str, response) -> str | None:
    """What is wrong with an answer, or None: never a 500 (nor a 429 hiding the view); under
    /api/ every error in the one shape, {"detail": "…"} (docs/api.md)."""
    status = response.status_code
    if status >= 500 or status == 429:
        return f"{status}"
    if path.startswith("/api/") and status >= 400:
        try:
            body = json.loads(response.content)
        except ValueError:
            return f"{status}, not JSON"
        if not isinstance(body, dict) or not isinstance(body.get("detail"), str):
            return f"{status}, not the error shape: {str(body)[:80]}"
    return None


def _check(client, path: str, queries) -> list[str]:
    problems = []
    for query in queries:
        cache.clear()  # the anonymous API rate would answer 429 before the view is reached
        problem = _problem(path, client.get(f"{path}?{query}"))
        if problem:
            problems.append(f"{path}?{query[:80]} → {problem}")
    return problems


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_answer_hostile_query_strings_without_a_server_error(client, path):
    with translation.override("pl"):
        assert _check(client, path, _queries()) == []


@pytest.mark.parametrize("path", API)
def test_api_answers_hostile_query_strings_in_its_error_shape(client, path):
    assert _check(client, path, _queries()) == []


@pytest.mark.parametrize(
    "base",
    [
        "/oai/?verb=ListRecords&metadataPrefix=oai_dc",
        "/oai/?verb=ListIdentifiers&metadataPrefix=oai_dc",
        "/oai/?verb=GetRecord&metadataPrefix=oai_dc",
        "/pl/search/?q=kościół",
        "/api/v1/search/?q=kościół",
        "/api/v1/items/?ordering=date",
    ],
)
def test_hostile_values_beside_valid_parameters(client, base):
    """With the request otherwise valid (an OAI-PMH verb, a search), so the hostile value is
    read by the code that uses it rather than refused early for a missing parameter."""
    names = ["resumptionToken", "from", "until", "set", "identifier", "page", "date_from"]
    names += ["date_to", "decade", "subject", "place", "sort", "ordering", "cursor", "has_media"]
    queries = [f"{name}={value}" for name in names for value in VALUES[:14]]
    problems = []
    for query in queries:
        cache.clear()
        problem = _problem(base, client.get(f"{base}&{query}"))
        if problem:
            problems.append(f"{base}&{query[:60]} → {problem}")
    assert problems == []


HOSTILE_PATHS = [
    "/pl/items/%C3%28/",
    "/pl/items/" + "x" * 1000 + "/",
    "/pl/people/%C3%28/",
    "/en/collections/%FF/",
    "/pl/lessons/%FF/",
    "/iiif/%FF/manifest.json",
    "/iiif/image/" + "a" * 64 + "/-1,-1,99999999999,1/max/0/default.jpg",
    "/media/..%2f..%2fetc%2fpasswd",
    "/api/v1/items/%FF/",
    "/api/v1/items/%C3%28/",
    "/api/v1/items/MOK-H-0001/%FF",
    "/api/v1/%FF/",
    "/api/v1/search/?q=" + "%22" * 200,
    "/api/v1/search/?q=" + "a%20OR%20" * 100,
    "/pl/search/?q=" + "-" * 300,
    "/pl/search/?q=" + "*%20" * 300,
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_hostile_addresses(client, path):
    assert _problem(path, client.get(path)) is None


HEADERS = [
    {"HTTP_ACCEPT_LANGUAGE": "pl;q=abc,%%%,*;q=-1"},
    {"HTTP_ACCEPT_LANGUAGE": "x" * 5000},
    {"HTTP_ACCEPT": "application/json;q=x; version=%FF"},
    {"HTTP_ACCEPT": "text/*;;;"},
    {"HTTP_IF_NONE_MATCH": "garbage\x01"},
    {"HTTP_IF_MODIFIED_SINCE": "yesterday"},
    {"HTTP_RANGE": "bytes=99999999999-1"},
    {"HTTP_COOKIE": "sessionid=" + "x" * 4000},
    {"HTTP_COOKIE": "csrftoken=\x00"},
    {"HTTP_AUTHORIZATION": "Token %FF"},
    {"HTTP_AUTHORIZATION": "Token " + "x" * 3000},
    {"HTTP_AUTHORIZATION": "Bearer"},
]


@pytest.mark.parametrize("headers", HEADERS, ids=lambda h: next(iter(h)))
def test_hostile_headers(client, headers):
    for path in ["/pl/", "/pl/items/MOK-H-0001/", "/oai/?verb=Identify", "/api/v1/items/",
                 "/api/v1/items/MOK-H-0001/", "/api/v1/search/?q=x"]:  # fmt: skip
        cache.clear()
        assert _problem(path, client.get(path, **headers)) is None, path


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b"\xff\xfe"),
        ("application/json", b'{"a":' * 5000),
        ("application/json", b"1e99999"),
        ("application/json", b"[1,2]"),
        ("application/x-www-form-urlencoded", b"a=%FF&b=%00"),
        ("multipart/form-data; boundary=x", b"--x\r\nbroken"),
        ("text/plain", b"x"),
    ],
)
def test_hostile_bodies_to_the_api_without_a_token(client, content_type, body):
    for path in ["/api/v1/items/", "/api/v1/items/MOK-H-0001/", "/api/v1/auth/token/"]:
        for method in ("post", "put", "patch"):
            cache.clear()
            response = getattr(client, method)(path, data=body, content_type=content_type)
            assert 400 <= response.status_code < 500 and _problem(path, response) is None, (
                method,
                path,
                response.status_code,
            )
