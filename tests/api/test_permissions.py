"""Who may do what: anonymous, staff (not an archivist) and archivists, on every endpoint."""

import pytest

from archive.models import Item
from curation.models import Collection
from media.models import MediaFile

READ_ENDPOINTS = [
    "/api/v1/items/",
    "/api/v1/items/MOK-F-0001/",
    "/api/v1/collections/",
    "/api/v1/collections/stare-fotografie/",
    "/api/v1/subjects/",
    "/api/v1/subjects/koscioly/",
    "/api/v1/places/",
    "/api/v1/places/mszczonow/",
    "/api/v1/agents/",
    "/api/v1/agents/jan-kowalski/",
    "/api/v1/licences/",
    "/api/v1/licences/CC-BY-4.0/",
    "/api/v1/media/",
    "/api/v1/search/",
    "/api/v1/search/suggest/?q=ko",
    "/api/v1/schema/",
]


@pytest.mark.parametrize("who", ["anon", "staff_api", "archivist_api"])
@pytest.mark.parametrize("url", READ_ENDPOINTS)
def test_everyone_reads_public_endpoints(request, catalogue, who, url):
    client = request.getfixturevalue(who)
    assert client.get(url).status_code == 200


def _write_requests(catalogue):
    media = MediaFile.objects.get(item=catalogue["kosciol"])
    item = {"identifier": "MOK-N-0100", "title": "Nowy obiekt", "item_type": "artifact"}
    return [
        ("post", "/api/v1/items/", item),
        ("put", "/api/v1/items/MOK-F-0001/", {**item, "identifier": "MOK-F-0001"}),
        ("patch", "/api/v1/items/MOK-F-0001/", {"title": "Zmieniony"}),
        ("delete", "/api/v1/items/MOK-M-0002/", None),
        ("patch", f"/api/v1/media/{media.pk}/", {"alt_text": "Nowy opis"}),
        ("put", f"/api/v1/media/{media.pk}/", {"alt_text": "Nowy opis"}),
        ("delete", f"/api/v1/media/{media.pk}/", None),
        ("post", "/api/v1/collections/", {"title": "Nowa kolekcja"}),
        ("put", "/api/v1/collections/stare-fotografie/", {"title": "Inny tytuł"}),
        ("patch", "/api/v1/collections/stare-fotografie/", {"title": "Inny tytuł"}),
        ("delete", "/api/v1/collections/stare-fotografie/", None),
    ]


def _state():
    return (
        sorted(Item.objects.values_list("identifier", "title", "status")),
        sorted(MediaFile.objects.values_list("pk", "alt_text")),
        sorted(Collection.objects.values_list("slug", "title")),
    )


@pytest.mark.parametrize("who, expected", [("anon", 401), ("staff_api", 403)])
def test_only_archivists_write(request, catalogue, who, expected):
    client = request.getfixturevalue(who)
    before = _state()
    for method, url, body in _write_requests(catalogue):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == expected, (method, url, response.content)
        assert "detail" in response.json()
    assert _state() == before


def test_archivists_write_everything(archivist_api, catalogue):
    expected = {"post": {201}, "put": {200}, "patch": {200}, "delete": {204}}
    for method, url, body in _write_requests(catalogue):
        response = getattr(archivist_api, method)(url, body, format="json")
        assert response.status_code in expected[method], (method, url, response.content)
    assert Item.objects.filter(identifier="MOK-N-0100").exists()
    assert not Item.objects.filter(identifier="MOK-M-0002").exists()
    assert Item.objects.get(identifier="MOK-F-0001").title == "Zmieniony"
    assert not MediaFile.objects.filter(item=catalogue["kosciol"]).exists()
    assert not Collection.objects.filter(slug="stare-fotografie").exists()
    assert Collection.objects.filter(title="Nowa kolekcja").exists()


def test_superuser_is_an_archivist(client, archivist, catalogue):
    """The admin's superuser (tests/conftest.py) also writes, with a session."""
    client.force_login(archivist)
    response = client.patch(
        "/api/v1/items/MOK-F-0001/", {"title": "Przez sesję"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert Item.objects.get(identifier="MOK-F-0001").title == "Przez sesję"


def test_token_authentication(anon, archivist_user, catalogue):
    response = anon.post(
        "/api/v1/auth/token/",
        {"username": "kustosz", "password": "tajne-haslo-123"},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    anon.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = anon.patch("/api/v1/items/MOK-F-0001/", {"title": "Tokenem"}, format="json")
    assert response.status_code == 200
    assert Item.objects.get(identifier="MOK-F-0001").title == "Tokenem"


def test_wrong_token_is_401(anon, catalogue):
    anon.credentials(HTTP_AUTHORIZATION="Token nie-ma-takiego")
    assert anon.get("/api/v1/items/").status_code == 401


def test_session_writes_need_csrf(archivist_user, catalogue):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.login(username="kustosz", password="tajne-haslo-123")
    response = client.patch("/api/v1/items/MOK-F-0001/", {"title": "X"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert Item.objects.get(identifier="MOK-F-0001").title != "X"
