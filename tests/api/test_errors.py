"""Every error under /api/ is JSON in the API's one shape ({"detail": …}), also for addresses
no API view answers; overly long addresses are a clear 414, never a 500."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/"),
        ("get", "/api/v1/"),
        ("get", "/api/v1/nie-ma-takiego/"),
        ("post", "/api/v1/nie-ma-takiego/"),
        ("delete", "/api/v2/items/"),
        ("get", "/api/v1/lekcje/"),
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
        "/api/v1/places/?q=" + "kościół+" * 700,
    ],
)
def test_overly_long_api_addresses_are_a_json_414(anon, db, path):
    response = anon.get(path)
    assert response.status_code == 414
    assert set(response.json()) == {"detail"}


def test_search_answers_a_long_query_all_the_same(anon, catalogue):
    """Whatever a visitor types into search gets an answer (issue #3), however long."""
    response = anon.get("/api/v1/search/", {"q": "kościół " * 700})
    assert response.status_code == 200


def test_addresses_within_the_limit_are_served(anon, catalogue):
    response = anon.get("/api/v1/items/", {"item_type": ["map"] * 200})
    assert response.status_code == 200


def test_gunicorn_with_our_config_lets_kronika_answer_long_addresses(tmp_path):
    """Served as in production (config/gunicorn.conf.py), a 5 KB address gets Kronika's JSON
    414, not gunicorn's HTML 400; only a request line over 8190 bytes is gunicorn's."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "KRONIKA_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "config/gunicorn.conf.py"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def get(path):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.getheader("Content-Type"), response.read()

        # Wait (bounded) until the server accepts connections; the worker may take a while
        # to import Django on a busy machine, so the reads allow for that too.
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)

        status, content_type, body = get("/api/v1/items/?q=" + "a" * 5000)
        assert (status, content_type) == (414, "application/json")
        assert set(json.loads(body)) == {"detail"}
        status, _, _ = get("/api/v1/items/?q=" + "a" * 8200)
        assert status == 400
    finally:
        server.terminate()
        server.wait(timeout=30)
