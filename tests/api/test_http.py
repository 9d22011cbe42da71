"""HTTP around the API: CORS, throttling, the schema and the offline docs page under CSP."""

import re

import pytest
from django.contrib.staticfiles import finders


def test_cors_allows_any_origin_to_read(anon, catalogue):
    response = anon.get("/api/v1/items/", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    detail = anon.get("/api/v1/items/MOK-F-0001/", HTTP_ORIGIN="https://example.org")
    assert detail["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight_allows_only_reading(anon, catalogue):
    response = anon.options(
        "/api/v1/items/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response.status_code == 200
    allowed = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}


def test_cors_is_not_applied_to_web_pages(client, catalogue):
    response = client.get("/pl/items/MOK-F-0001/", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in response


def test_anonymous_requests_are_throttled(anon, settings, catalogue):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"},
    }
    codes = [anon.get("/api/v1/items/").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    response = anon.get("/api/v1/items/MOK-F-0001/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "detail" in response.json()


def test_logged_in_archivists_are_not_throttled(archivist_api, settings, catalogue):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute"},
    }
    assert {archivist_api.get("/api/v1/items/").status_code for _ in range(4)} == {200}


def test_openapi_schema(anon, db):
    response = anon.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in [
        "/api/v1/items/",
        "/api/v1/items/{identifier}/",
        "/api/v1/collections/{slug}/",
        "/api/v1/licences/{code}/",
        "/api/v1/media/{id}/",
        "/api/v1/search/",
        "/api/v1/search/suggest/",
    ]:
        assert path in paths
    item_list = {p["name"] for p in paths["/api/v1/items/"]["get"]["parameters"]}
    assert item_list >= {
        "item_type", "collection", "subject", "place", "licence", "date_from", "date_to",
        "has_media", "ordering", "page", "page_size",
    }  # fmt: skip
    assert {"post"} <= set(paths["/api/v1/items/"])
    assert {"patch", "put", "delete"} <= set(paths["/api/v1/items/{identifier}/"])
    search = {p["name"] for p in paths["/api/v1/search/"]["get"]["parameters"]}
    assert {"q", "decade", "sort"} <= search
    assert {"/api/v1/lessons/", "/api/v1/stories/{slug}/"} <= set(paths)


def test_docs_page_works_offline_under_the_site_csp(anon, db):
    response = anon.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    # No inline scripts or styles: every script and stylesheet comes from our own origin.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html and "style=" not in html
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(src.startswith("/") for src in sources)
    for src in sources:
        path = src.split("?")[0]
        if path.startswith("/static/"):
            assert finders.find(path.removeprefix("/static/")), path
        else:
            script = anon.get(src)
            assert script.status_code == 200
            assert script["Content-Type"].startswith("application/javascript")
            assert "/api/v1/schema/" in script.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/lesson-packs/", "/api/v1/nothing-here/"])
def test_unknown_endpoints_are_404(anon, url, db):
    assert anon.get(url).status_code == 404


def test_head_works_like_get(anon, catalogue):
    response = anon.head("/api/v1/items/MOK-F-0001/")
    assert response.status_code == 200 and response["ETag"]
