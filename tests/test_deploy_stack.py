"""The production stack of deploy/, run for real and used from outside (docs/deployment.md).

scripts/services/stack.sh starts nginx (Debian's package, the site of deploy/nginx/kronika.conf
on a self-signed certificate) in front of gunicorn (deploy/gunicorn.conf.py) and the indexing
worker, on the PostgreSQL and OpenSearch of the service tier, with its own database holding
the demo catalogue. Every request below goes through nginx over HTTPS, as a visitor's or an
archivist's would.
"""

import io
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from PIL import Image

from tests.services import required_env

pytestmark = [pytest.mark.postgres, pytest.mark.opensearch]

ROOT = Path(__file__).resolve().parent.parent
STACK = ROOT / "scripts" / "services" / "stack.sh"
# The worker drains every second; indexing a new item must not take longer than this.
INDEXING_LIMIT = 60
PASSWORD = "stack-" + uuid.uuid4().hex


def _stack_env(env_file: str) -> dict:
    """The environment the stack's processes run with (for manage.py against its site)."""
    env = {name: os.environ[name] for name in ("PATH", "HOME", "TMPDIR") if name in os.environ}
    for line in Path(env_file).read_text().splitlines():
        key, _sep, value = line.partition("=")
        if key and not key.startswith("#"):
            env[key] = value.strip('"')
    return env


@pytest.fixture(scope="module")
def stack():
    """The running stack: started here and stopped after the module, or, when one already
    runs (`scripts/services/stack.sh start` by hand), that one, left running."""
    required_env("KRONIKA_TEST_DATABASE_URL", "a running PostgreSQL server")
    required_env("KRONIKA_TEST_SEARCH_URL", "a running OpenSearch node")
    env = {**os.environ, "KRONIKA_PYTHON": os.environ.get("KRONIKA_PYTHON", sys.executable)}
    running = subprocess.run([str(STACK), "status"], env=env, capture_output=True, text=True)
    started = None
    if running.returncode != 0:
        started = subprocess.run(
            [str(STACK), "start"], env=env, capture_output=True, text=True, timeout=600
        )
    try:
        answer = started or running
        assert answer.returncode == 0, f"stack.sh start failed:\n{answer.stderr[-3000:]}"
        info = dict(line.split("=", 1) for line in answer.stdout.splitlines() if "=" in line)
        # An editor (may publish) for the upload, made with the stack's own settings.
        create = (
            "import os; from django.contrib.auth.models import Group, User;"
            "u, _ = User.objects.get_or_create(username='redaktorka', is_staff=True);"
            "u.set_password(os.environ['STACK_PASSWORD']); u.save();"
            "u.groups.add(Group.objects.get(name='Redaktor'))"
        )
        made = subprocess.run(
            [env["KRONIKA_PYTHON"], "manage.py", "shell", "-c", create],
            cwd=ROOT,
            env={**_stack_env(info["STACK_ENV"]), "STACK_PASSWORD": PASSWORD},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert made.returncode == 0, made.stderr[-3000:]
        yield info
    finally:
        if started is not None:
            subprocess.run([str(STACK), "stop"], env=env, capture_output=True, timeout=120)


def _session(stack) -> requests.Session:
    """A browser-like client that talks HTTPS to nginx, checking its certificate (the
    stack's self-signed one, made for 127.0.0.1), and ignores proxies and CA bundles set in
    the environment."""
    session = requests.Session()
    session.trust_env = False
    session.verify = stack["STACK_CERT"]
    return session


@pytest.fixture
def client(stack):
    return _session(stack)


@pytest.fixture(scope="module")
def catalogue_ready(stack):
    """The demo catalogue indexed: the worker has drained what load_demo queued."""
    _wait_for_drain(stack)
    return stack


def _wait_for_drain(stack) -> dict:
    session = _session(stack)
    deadline = time.monotonic() + INDEXING_LIMIT
    while True:
        health = session.get(url(stack, "/healthz"), timeout=10).json()
        if health["outbox"] == 0 or time.monotonic() > deadline:
            return health
        time.sleep(0.5)


def url(stack, path: str) -> str:
    return stack["STACK_URL"] + path


def test_health_check_through_nginx(stack, client):
    health = _wait_for_drain(stack)
    assert health["database"] == "ok"
    assert health["search"] == {"backend": "opensearch", "reachable": True, "breaker": "closed"}
    assert health["outbox"] == 0, "the worker did not drain the demo catalogue's outbox"


def test_plain_http_is_redirected_to_https(stack, client):
    answer = client.get(stack["STACK_HTTP_URL"] + "/pl/browse/?page=2", allow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["Location"] == url(stack, "/pl/browse/?page=2")


@pytest.mark.parametrize("language", ["pl", "en"])
def test_pages_in_both_languages(stack, client, language):
    home = client.get(url(stack, f"/{language}/"))
    assert home.status_code == 200
    # HSTS as production sends it (the stack asks for a short max-age: a test certificate).
    assert int(re.match(r"max-age=(\d+)", home.headers["Strict-Transport-Security"])[1]) > 0
    assert f'<html lang="{language}"' in home.text
    browse = client.get(url(stack, f"/{language}/browse/"))
    assert browse.status_code == 200
    assert f'href="/{language}/search/?item_type=monument"' in browse.text
    listed = client.get(url(stack, f"/{language}/search/"), params={"item_type": "monument"})
    assert listed.status_code == 200
    identifier = re.search(r"/items/(MOK-[A-Z]+-\d+)/", listed.text)[1]
    item = client.get(url(stack, f"/{language}/items/{identifier}/"))
    assert item.status_code == 200
    assert identifier in item.text
    # Absolute links Django builds know they are on HTTPS (X-Forwarded-Proto via gunicorn).
    assert f'"{stack["STACK_URL"]}/iiif/{identifier}/manifest.json"' in item.text


def test_search_page_and_api(catalogue_ready, client):
    page = client.get(url(catalogue_ready, "/pl/search/"), params={"q": "cmentarz"})
    assert page.status_code == 200
    assert "MOK-Z-0002" in page.text
    api = client.get(url(catalogue_ready, "/api/v1/search/"), params={"q": "cmentarz"})
    assert api.status_code == 200
    assert "MOK-Z-0002" in {hit["identifier"] for hit in api.json()["results"]}


def test_items_api(stack, client):
    answer = client.get(url(stack, "/api/v1/items/"), params={"page_size": 5})
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] >= 50
    assert body["next"].startswith(stack["STACK_URL"] + "/api/v1/items/")
    detail = client.get(body["results"][0]["api_url"])
    assert detail.status_code == 200
    assert detail.json()["identifier"] == body["results"][0]["identifier"]


def test_oai_pmh(stack, client):
    identify = client.get(url(stack, "/oai/"), params={"verb": "Identify"})
    assert identify.status_code == 200
    assert "<repositoryName>" in identify.text
    assert f"<baseURL>{stack['STACK_URL']}/oai/</baseURL>" in identify.text
    records = client.get(
        url(stack, "/oai/"), params={"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    )
    assert records.status_code == 200
    assert records.text.count("<record>") >= 50
    assert "oai:kronika.test:MOK-" in records.text


def _image_of(stack, client, identifier: str) -> dict:
    """The item's image as the items API lists it (url, width, height)."""
    listed = client.get(url(stack, "/api/v1/items/"), params={"page_size": 100}).json()
    return next(i["image"] for i in listed["results"] if i["identifier"] == identifier)


def _cached_twice(client, address: str) -> requests.Response:
    """Fetch an IIIF address twice: the first answer comes from Kronika, the second from
    nginx's IIIF cache, byte for byte the same. (A query string of its own keeps it apart
    from what earlier runs against the same stack left in the cache.)"""
    address = f"{address}?run={uuid.uuid4().hex}"
    first = client.get(address)
    assert first.status_code == 200, address
    assert first.headers["Content-Type"] == "image/jpeg"
    assert first.headers["Cache-Control"].startswith("public")
    assert Image.open(io.BytesIO(first.content)).format == "JPEG"
    second = client.get(address)
    assert second.content == first.content
    assert (first.headers["X-Cache-Status"], second.headers["X-Cache-Status"]) == ("MISS", "HIT")
    return first


def test_iiif_manifest_info_and_image_cached_by_nginx(stack, client):
    manifest = client.get(url(stack, "/iiif/MOK-Z-0002/manifest.json"))
    assert manifest.status_code == 200
    assert manifest.json()["id"] == url(stack, "/iiif/MOK-Z-0002/manifest.json")
    checksum = re.search(r"/([0-9a-f]{64})/", _image_of(stack, client, "MOK-Z-0002")["url"])[1]
    info = client.get(url(stack, f"/iiif/image/{checksum}/info.json"))
    assert info.status_code == 200
    described = info.json()
    assert described["id"] == url(stack, f"/iiif/image/{checksum}")
    width = described["sizes"][0]["width"]
    _cached_twice(client, f"{described['id']}/full/{width},/0/default.jpg")


def test_media_derivative(stack, client):
    image = _image_of(stack, client, "MOK-Z-0002")
    answer = client.get(image["url"])
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "image/jpeg"
    assert "immutable" in answer.headers["Cache-Control"]
    assert Image.open(io.BytesIO(answer.content)).size[0] == image["width"]


def test_static_files_hashed_cached_for_a_year_and_gzipped(stack, client):
    home = client.get(url(stack, "/pl/"))
    css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', home.text).group(1)
    answer = client.get(url(stack, css), headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/css")
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert answer.headers["Content-Encoding"] == "gzip"
    assert answer.text.strip()  # requests undid the gzip: real CSS came back
    plain = client.get(url(stack, re.sub(r"\.[0-9a-f]{12}\.css$", ".css", css)))
    assert plain.status_code == 200
    assert plain.headers["Cache-Control"] == "public, max-age=3600"


def test_pages_and_api_are_gzipped(stack, client):
    for path in ("/pl/", "/api/v1/items/"):
        answer = client.get(url(stack, path), headers={"Accept-Encoding": "gzip"})
        assert answer.headers.get("Content-Encoding") == "gzip", path


def _jpeg(width=3000, height=2000) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (120, 80, 40)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def test_archivist_uploads_publishes_and_the_worker_indexes(catalogue_ready, client):
    stack = catalogue_ready
    # The admin login over HTTPS, with its CSRF token, as a browser does it.
    login_url = url(stack, "/pl/admin/login/")
    form = client.get(login_url)
    assert form.status_code == 200
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    logged_in = client.post(
        login_url,
        data={
            "csrfmiddlewaretoken": csrf,
            "username": "redaktorka",
            "password": PASSWORD,
            "next": "/pl/admin/",
        },
        headers={"Referer": login_url, "Origin": stack["STACK_URL"]},
        allow_redirects=False,
    )
    assert logged_in.status_code == 302, logged_in.text[:2000]
    # The production HTTPS settings: cookies only over HTTPS and out of scripts' reach.
    cookies = {c.name: c for c in client.cookies}
    for name in ("sessionid", "csrftoken"):
        assert cookies[name].secure, f"{name} is not Secure"
        assert cookies[name].has_nonstandard_attr("HttpOnly"), f"{name} is not HttpOnly"
    assert client.get(url(stack, "/pl/admin/")).status_code == 200

    # The API with a token: a draft item, an image, then published.
    token = _session(stack).post(
        url(stack, "/api/v1/auth/token/"),
        json={"username": "redaktorka", "password": PASSWORD},
    )
    assert token.status_code == 200, token.text
    api = _session(stack)
    api.headers["Authorization"] = f"Token {token.json()['token']}"
    word = "wdrozeniowy" + uuid.uuid4().hex[:8]
    identifier = "MOK-F-9" + str(uuid.uuid4().int)[:3]
    created = api.post(
        url(stack, "/api/v1/items/"),
        json={
            "identifier": identifier,
            "title": f"Zdjęcie {word}",
            "title_en": f"Photograph {word}",
            "item_type": "photograph",
            "date": "1938",
            "licence": "CC0-1.0",
        },
    )
    assert created.status_code == 201, created.text
    uploaded = api.post(
        url(stack, "/api/v1/media/"),
        data={
            "item": identifier,
            "alt_text": "Brązowy prostokąt",
            "alt_text_en": "A brown rectangle",
        },
        files={"file": ("zdjecie.jpg", _jpeg(), "image/jpeg")},
    )
    assert uploaded.status_code == 201, uploaded.text

    # A draft is nowhere public: not its page, not its media, not search.
    anonymous = _session(stack)
    assert anonymous.get(url(stack, f"/pl/items/{identifier}/")).status_code == 404
    draft_files = set(re.findall(r'"(https://[^"]+/media/[^"]+)"', uploaded.text))
    assert draft_files, uploaded.text
    for address in draft_files:
        assert client.get(address).status_code == 200, address  # staff (logged in) see it
        assert anonymous.get(address).status_code == 404, address

    published = api.patch(url(stack, f"/api/v1/items/{identifier}/"), json={"status": "published"})
    assert published.status_code == 200, published.text

    # The web request only wrote the outbox (TASKS_BACKEND is the dummy one): the worker
    # process indexes the item into OpenSearch.
    deadline = time.monotonic() + INDEXING_LIMIT
    found = []
    while not found and time.monotonic() < deadline:
        hits = anonymous.get(url(stack, "/api/v1/search/"), params={"q": word}).json()["results"]
        found = [hit["identifier"] for hit in hits]
        if not found:
            time.sleep(0.5)
    assert found == [identifier], f"not indexed within {INDEXING_LIMIT} s"
    health = anonymous.get(url(stack, "/healthz")).json()
    assert health["search"]["backend"] == "opensearch"

    page = anonymous.get(url(stack, f"/en/items/{identifier}/"))
    assert page.status_code == 200
    assert f"Photograph {word}" in page.text
    image = _image_of(stack, anonymous, identifier)
    assert anonymous.get(image["url"]).headers["Content-Type"] == "image/jpeg"
    # Large enough for deep zoom: the manifest names its IIIF service, whose tiles come
    # through nginx (and its cache).
    manifest = anonymous.get(url(stack, f"/iiif/{identifier}/manifest.json"))
    assert manifest.status_code == 200
    service = re.search(r'"(https://[^"]+/iiif/image/[0-9a-f]{64})"', manifest.text)[1]
    info = anonymous.get(f"{service}/info.json").json()
    tile = info["tiles"][0]["width"]
    _cached_twice(anonymous, f"{service}/0,0,{tile},{tile}/{tile},/0/default.jpg")


def test_the_documented_production_site_passes_nginx_t(tmp_path):
    """The site as docs/deployment.md renders it (ports 80/443, IPv6 too, a real-looking
    certificate path), inside Debian's own nginx.conf, is accepted by `nginx -t`."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=archiwum.example.pl", "-keyout", tmp_path / "key.pem"]
        + ["-out", tmp_path / "cert.pem"],
        check=True,
        capture_output=True,
    )
    values = {
        "SERVER_NAME": "archiwum.example.pl",
        "HTTPS_PORT": "443",
        "HTTP_PORT": "80",
        "SSL_CERTIFICATE": str(tmp_path / "cert.pem"),
        "SSL_CERTIFICATE_KEY": str(tmp_path / "key.pem"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "UPSTREAM": "127.0.0.1:8000",
        "CACHE_DIR": str(tmp_path / "cache"),
        "ACME_ROOT": str(tmp_path / "acme"),
    }
    site = (ROOT / "deploy" / "nginx" / "kronika.conf").read_text()
    for name, value in values.items():
        site = site.replace(f"@{name}@", value)
    assert not re.search(r"^[^#]*@[A-Z_]+@", site, re.MULTILINE), "a placeholder is left"
    (tmp_path / "kronika").write_text(site)
    debian = Path("/etc/nginx/nginx.conf").read_text()
    assert "include /etc/nginx/sites-enabled/*;" in debian
    main = debian.replace("include /etc/nginx/sites-enabled/*;", f"include {tmp_path}/kronika;")
    (tmp_path / "nginx.conf").write_text(main)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.fail("nginx is not installed: run `scripts/services/stack.sh install`")
    checked = subprocess.run(
        [nginx, "-t", "-c", tmp_path / "nginx.conf", "-e", tmp_path / "error.log"],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
