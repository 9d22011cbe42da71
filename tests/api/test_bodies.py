"""Bodies the API cannot read are a clear 400 (413 when too large) in the API's error shape,
for every parser it accepts (JSON, form, multipart) and every caller, never a 500; nothing
is written."""

import pytest

from archive.models import Item
from curation.models import Collection
from media.models import MediaFile

DEEP = b'{"username":' + b"[" * 5000 + b"]" * 5000 + b"}"
JSON_BODIES = {
    "deeply nested": DEEP,
    "nested past the limit": b'{"title":' + b"[" * 40 + b"]" * 40 + b"}",
    "huge float": b'{"title": "T", "order": 1e999999}',
    "huge integer": b'{"title": "T", "order": ' + b"9" * 5000 + b"}",
    "NaN": b'{"title": "T", "order": NaN}',
    "invalid UTF-8": b'{"title": "\xff\xfe\xc3"}',
    "not JSON": b"{title",
}
WRITES = [
    ("post", "/api/v1/items/"),
    ("patch", "/api/v1/items/MOK-F-0001/"),
    ("put", "/api/v1/items/MOK-F-0001/"),
    ("post", "/api/v1/collections/"),
    ("patch", "/api/v1/collections/stare-fotografie/"),
    ("post", "/api/v1/media/"),
    ("patch", "/api/v1/media/{media}/"),
    ("post", "/api/v1/auth/token/"),
]


def counts():
    return Item.objects.count(), Collection.objects.count(), MediaFile.objects.count()


def send(client, method, path, catalogue, body, content_type):
    path = path.format(media=catalogue["kosciol"].media_files.get().pk)
    return getattr(client, method)(path, body, content_type=content_type)


@pytest.fixture
def unthrottled(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "login": "100000/minute"},
    }


@pytest.mark.parametrize("method, path", WRITES)
def test_unreadable_json_is_a_clear_400(archivist_api, catalogue, unthrottled, method, path):
    before = counts()
    for kind, body in JSON_BODIES.items():
        response = send(archivist_api, method, path, catalogue, body, "application/json")
        assert response.status_code == 400, (kind, response.content[:300])
        assert set(response.json()) == {"detail"}, kind
    assert counts() == before


def test_anonymous_unreadable_json_is_a_clear_400_or_401(anon, catalogue, unthrottled):
    for kind, body in JSON_BODIES.items():
        for method, path in WRITES:
            response = send(anon, method, path, catalogue, body, "application/json")
            # The token endpoint reads the body (and refuses it); other writes refuse an
            # anonymous caller before reading it.
            expected = 400 if path.endswith("token/") else 401
            assert response.status_code == expected, (kind, path, response.content[:300])
            assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("method, path", WRITES)
def test_a_json_body_above_the_upload_limit_is_a_413(
    archivist_api, catalogue, unthrottled, method, path, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = b'{"title": "' + b"x" * 2000 + b'"}'
    response = send(archivist_api, method, path, catalogue, body, "application/json")
    assert response.status_code == 413
    assert set(response.json()) == {"detail"}


def test_token_endpoint_reads_deep_json_anonymously_as_a_400(anon, db):
    response = anon.post("/api/v1/auth/token/", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize(
    "body",
    [
        "&".join(f"f{n}=1" for n in range(6000)),  # more fields than Django allows
        "username=%ff%fe&password=%c3",
    ],
)
def test_form_bodies_never_give_a_500(anon, archivist_user, body):
    response = anon.post(
        "/api/v1/auth/token/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("multipart/form-data", b"--x\r\nno boundary given\r\n"),
        ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data\r\n"),
        (
            "multipart/form-data; boundary=x",
            b"".join(
                b'--x\r\nContent-Disposition: form-data; name="f%d"\r\n\r\n1\r\n' % n
                for n in range(6000)
            )
            + b"--x--\r\n",
        ),
        ("multipart/form-data; boundary=x; charset=rot13", b"--x--\r\n"),
        ("application/json; charset=bz2_codec", b"{}"),
    ],
)
def test_multipart_media_uploads_never_give_a_500(archivist_api, catalogue, content_type, body):
    before = counts()
    response = archivist_api.post("/api/v1/media/", body, content_type=content_type)
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert counts() == before


@pytest.mark.parametrize(
    "method, path",
    [
        ("post", "/api/v1/collections/"),
        ("patch", "/api/v1/collections/stare-fotografie/"),
        ("patch", "/api/v1/media/{media}/"),
    ],
)
def test_integers_beyond_any_column_are_a_field_error(archivist_api, catalogue, method, path):
    """Python reads a 4,000-digit integer; no database column holds it (nor, on PostgreSQL,
    2**31: the answer is a field error there and a write on SQLite, never a 500)."""
    for number in (b"9" * 4000, b"-" + b"9" * 30, b"2147483648"):
        body = b'{"title": "T", "order": ' + number + b', "width": ' + number + b"}"
        response = send(archivist_api, method, path, catalogue, body, "application/json")
        assert response.status_code in (200, 201, 400), (number[:12], response.content[:300])
        if len(number) > 20:
            assert response.status_code == 400
