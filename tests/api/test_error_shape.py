"""One error shape for every status under /api/v1/ (docs/api.md, "Errors"): each body
validates against the schema's declared `Error` component, 400s name what they blame in
`errors`, and a database's own error text never reaches the client. The 503 (a busy
database) needs real concurrent writers: tests/api/test_concurrency.py provokes it and checks
the same shape."""

import json

import jsonschema
import pytest
from django.db import IntegrityError
from rest_framework.test import APIClient

from api.exceptions import api_exception_handler
from archive.models import Item, ItemCreator

from .test_writes import snapshot


@pytest.fixture
def error_schema(anon, db):
    schema = anon.get("/api/v1/schema/", {"format": "json"}).json()
    return schema["components"]["schemas"]["Error"]


def assert_error(response, status: int, schema: dict) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    jsonschema.validate(body, schema)
    assert body["detail"].strip()
    return body


def test_a_patched_creator_without_an_agent_is_a_400_naming_it(
    archivist_api, catalogue, error_schema
):
    """Found from outside: this answered 500 (the nested entry skipped its required agent)."""
    before = snapshot()
    response = archivist_api.patch(
        "/api/v1/items/MOK-F-0001/", {"creators": [{"role": "creator"}]}, format="json"
    )
    body = assert_error(response, 400, error_schema)
    assert "agent" in body["errors"]["creators"]["0"]
    assert body["detail"].startswith("creators.0.agent: ")
    assert snapshot() == before


def test_a_patched_creator_without_a_role_gets_the_default_role(archivist_api, catalogue):
    response = archivist_api.patch(
        "/api/v1/items/MOK-F-0001/", {"creators": [{"agent": "jan-kowalski"}]}, format="json"
    )
    assert response.status_code == 200, response.content
    item = Item.objects.get(identifier="MOK-F-0001")
    assert list(ItemCreator.objects.filter(item=item).values_list("role", flat=True)) == ["creator"]


def test_a_body_field_error_is_a_400_with_errors(archivist_api, catalogue, error_schema):
    response = archivist_api.post(
        "/api/v1/items/", {"identifier": "MOK-F-0100", "item_type": "map"}, format="json"
    )
    body = assert_error(response, 400, error_schema)
    assert "title" in body["errors"] and "parameter" not in body


def test_a_query_parameter_error_is_a_400_naming_the_parameter(anon, catalogue, error_schema):
    for path in ("/api/v1/items/", "/api/v1/search/"):
        body = assert_error(anon.get(path, {"date_from": "wczoraj"}), 400, error_schema)
        assert body["parameter"] == "date_from" and "date_from" in body["errors"]


def test_a_page_size_error_is_a_400_naming_it(anon, catalogue, error_schema):
    body = assert_error(anon.get("/api/v1/items/", {"page_size": "dużo"}), 400, error_schema)
    assert body["parameter"] == "page_size"


def test_an_unreadable_body_is_a_400(archivist_api, catalogue, error_schema):
    response = archivist_api.generic(
        "POST", "/api/v1/items/", b'{"title": "Nie domkni', content_type="application/json"
    )
    assert "errors" not in assert_error(response, 400, error_schema)


def test_a_write_without_credentials_is_a_401(anon, catalogue, error_schema):
    assert_error(anon.post("/api/v1/items/", {}, format="json"), 401, error_schema)


def test_a_bad_token_is_a_401(catalogue, error_schema):
    client = APIClient(HTTP_AUTHORIZATION="Token nie-ma-takiego")
    assert_error(client.get("/api/v1/items/"), 401, error_schema)


def test_a_write_without_permission_is_a_403(staff_api, catalogue, error_schema):
    assert_error(staff_api.delete("/api/v1/items/MOK-M-0002/"), 403, error_schema)


@pytest.mark.parametrize(
    "path", ["/api/v1/items/MOK-X-0099/", "/api/v1/nie-ma-takiego/", "/api/v1/items/?page=99"]
)
def test_unknown_records_addresses_and_pages_are_a_404(anon, catalogue, error_schema, path):
    assert_error(anon.get(path), 404, error_schema)


def test_a_method_the_endpoint_lacks_is_a_405(archivist_api, catalogue, error_schema):
    assert_error(archivist_api.put("/api/v1/items/", {}, format="json"), 405, error_schema)


def test_an_unacceptable_type_is_a_406(anon, catalogue, error_schema):
    response = anon.get("/api/v1/items/MOK-F-0001/", HTTP_ACCEPT="application/xml")
    assert_error(response, 406, error_schema)


def test_a_protected_delete_is_a_409(archivist_api, catalogue, error_schema):
    archivist_api.post(
        "/api/v1/collections/", {"title": "Dziecko", "parent": "stare-fotografie"}, format="json"
    )
    response = archivist_api.delete("/api/v1/collections/stare-fotografie/")
    assert_error(response, 409, error_schema)


def test_a_stale_if_match_is_a_412(archivist_api, catalogue, error_schema):
    response = archivist_api.patch(
        "/api/v1/items/MOK-F-0001/", {"title": "Nowy"}, format="json", HTTP_IF_MATCH='"stary"'
    )
    assert_error(response, 412, error_schema)


def test_a_body_over_the_limit_is_a_413(archivist_api, catalogue, error_schema, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = archivist_api.post("/api/v1/items/", {"title": "x" * 2000}, format="json")
    assert_error(response, 413, error_schema)


def test_a_body_type_the_endpoint_does_not_take_is_a_415(archivist_api, catalogue, error_schema):
    response = archivist_api.generic(
        "POST", "/api/v1/items/", b"<item/>", content_type="application/xml"
    )
    assert_error(response, 415, error_schema)


def test_throttled_requests_are_a_429(anon, catalogue, error_schema, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute"},
    }
    anon.get("/api/v1/items/")
    assert_error(anon.get("/api/v1/search/"), 429, error_schema)


def test_an_unexpected_failure_is_a_json_500(catalogue, error_schema, monkeypatch):
    """A fault nothing expects (here: the list's query breaks) is the JSON 500, no traceback."""

    def broken(self):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("api.views.ItemViewSet.get_queryset", broken)
    client = APIClient(raise_request_exception=False)
    body = assert_error(client.get("/api/v1/items/"), 500, error_schema)
    assert "secret" not in json.dumps(body)


def test_an_integrity_error_never_shows_the_database_text(archivist_user, rf, error_schema):
    """A rule the database enforces (two writers racing for one identifier) is a 400
    without the database's own words (table and constraint names)."""
    error = IntegrityError(
        'duplicate key value violates unique constraint "archive_item_identifier_key"'
    )
    request = rf.post("/api/v1/items/")
    response = api_exception_handler(error, {"request": request})
    assert response.status_code == 400
    jsonschema.validate(response.data, error_schema)
    text = json.dumps(response.data, default=str)
    assert "archive_item" not in text and "constraint" not in text


def test_a_blank_title_is_named_in_detail(archivist_api, catalogue, error_schema):
    response = archivist_api.patch("/api/v1/items/MOK-F-0001/", {"title": ""}, format="json")
    body = assert_error(response, 400, error_schema)
    assert body["detail"].startswith("title: ") and "parameter" not in body
