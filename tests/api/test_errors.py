"""Every error under /api/ is JSON in the API's one shape ({"detail": …}), also for addresses
no API view answers; overly long addresses are a clear 414, never a 500."""

import pytest


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/"),
        ("get", "/api/v1/"),
        ("get", "/api/v1/nie-ma-takiego/"),
        ("post", "/api/v1/nie-ma-takiego/"),
        ("delete", "/api/v2/items/"),
        ("get", "/api/v1/lessons/"),
    ],
)
def test_unknown_api_addresses_are_a_json_404(anon, db, method, path):
    response = getattr(anon, method)(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/v1/auth/token/"),
        ("delete", "/api/v1/search/"),
    ],
)
def test_methods_an_endpoint_lacks_are_a_json_405(anon, db, method, path):
    response = getattr(anon, method)(path)
    assert response.status_code == 405
    assert set(response.json()) == {"detail"}


def test_a_method_a_list_lacks_is_a_json_405_for_archivists(archivist_api, db):
    response = archivist_api.put("/api/v1/items/", {}, format="json")
    assert response.status_code == 405
    assert set(response.json()) == {"detail"}


def test_unknown_pages_outside_the_api_stay_html(client, db):
    response = client.get("/pl/nie-ma-takiej-strony/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/items/?q=" + "a" * 5000,
        "/api/v1/items/" + "M" * 5000 + "/",
        "/api/v1/search/?q=" + "kościół+" * 700,
    ],
)
def test_overly_long_api_addresses_are_a_json_414(anon, db, path):
    response = anon.get(path)
    assert response.status_code == 414
    assert set(response.json()) == {"detail"}


def test_addresses_within_the_limit_are_served(anon, catalogue):
    response = anon.get("/api/v1/items/", {"item_type": ["map"] * 200})
    assert response.status_code == 200
