"""Content-Security-Policy, escaping of hostile content, and the language switch."""

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from archive.models import Status
from tests.factories import (
    CollectionFactory,
    CollectionItemFactory,
    ItemFactory,
    MediaFileFactory,
    PlaceFactory,
    SubjectFactory,
)
from tests.web.conftest import fetch

pytestmark = pytest.mark.django_db


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, as a browser would read them."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize(
    "url", ["/pl/", "/en/search/?q=x", "/pl/browse/places/", "/pl/accessibility/"]
)
def test_pages_send_a_csp_without_unsafe_inline_scripts(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = csp(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_item_page_csp_and_only_an_inert_script(client):
    item = ItemFactory()
    response = client.get(f"/pl/items/{item.identifier}/")
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    html = response.content.decode()
    assert re.findall(r"<script[^>]*>", html) == ['<script type="application/ld+json">']


def test_no_template_has_inline_script_or_style():
    """CSP forbids them; templates/ must hold none (JSON-LD data blocks excepted)."""
    offenders = []
    for path in Path(django_settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r"<style|\sstyle=|\son[a-z]+=", text):
            offenders.append(str(path))
        for tag in re.findall(r"<script[^>]*>", text):
            if 'type="application/ld+json"' not in tag and "src=" not in tag:
                offenders.append(f"{path}: {tag}")
    assert offenders == []


def test_hostile_content_is_escaped_on_every_page(client):
    place = PlaceFactory(name=HOSTILE, latitude="51.9", longitude="20.5")
    subject = SubjectFactory(name=HOSTILE)
    collection = CollectionFactory(title=HOSTILE, description=HOSTILE)
    item = ItemFactory(
        title=HOSTILE,
        description=HOSTILE,
        rights_holder=HOSTILE,
        source=HOSTILE,
        date="1920~",
    )
    item.places.add(place)
    item.subjects.add(subject)
    CollectionItemFactory(collection=collection, item=item)
    MediaFileFactory(item=item, alt_text=HOSTILE, caption=HOSTILE, credit=HOSTILE)
    for url in (
        "/pl/",
        f"/pl/items/{item.identifier}/",
        f"/en/items/{item.identifier}/",
        f"/pl/collections/{collection.slug}/",
        "/pl/collections/",
        "/pl/browse/places/",
        "/pl/browse/subjects/",
    ):
        html = fetch(client, url)
        assert "<script>alert(1)" not in html, url
        assert "<img src=x" not in html, url
        elements = Elements()
        elements.feed(html)
        assert not [a for _tag, attrs in elements.found for a, _ in attrs if a.startswith("on")]
        scripts = [dict(attrs) for tag, attrs in elements.found if tag == "script"]
        # Data blocks (JSON-LD; the map's json_script, which escapes < > &) and our own
        # static scripts; nothing inline that runs.
        assert all(
            s.get("type") in ("application/ld+json", "application/json")
            or (s.get("src", "").startswith("/static/") and "type" not in s)
            for s in scripts
        ), url


def test_server_error_page_is_friendly_and_needs_no_inline_style():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "<style" not in html and "css/kronika.css" in html
    assert 'href="/"' in html


@pytest.mark.parametrize(
    ("path_pl", "path_en"),
    [
        ("/pl/", "/en/"),
        ("/pl/browse/periods/", "/en/browse/periods/"),
        ("/pl/accessibility/", "/en/accessibility/"),
        (
            "/pl/search/?q=ko%C5%9Bci%C3%B3%C5%82&item_type=map",
            "/en/search/?q=ko%C5%9Bci%C3%B3%C5%82&item_type=map",
        ),
    ],
)
def test_language_switch_keeps_the_current_page(client, path_pl, path_en):
    html = fetch(client, path_pl)
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    assert f'href="{path_en.replace("&", "&amp;")}"' in switcher
    html = fetch(client, path_en)
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    assert f'href="{path_pl.replace("&", "&amp;")}"' in switcher


def test_language_switch_on_item_and_collection_pages(client):
    item = ItemFactory()
    collection = CollectionFactory()
    CollectionItemFactory(collection=collection, item=item)
    for pl, en in (
        (f"/pl/items/{item.identifier}/", f"/en/items/{item.identifier}/"),
        (f"/pl/collections/{collection.slug}/", f"/en/collections/{collection.slug}/"),
    ):
        assert f'href="{en}" hreflang="en" lang="en"' in fetch(client, pl)
        assert f'href="{pl}" hreflang="pl" lang="pl"' in fetch(client, en)


def test_drafts_are_not_found_anywhere_public(client):
    draft = ItemFactory(status=Status.DRAFT, title="Tajny szkic", date="1931")
    draft.places.add(PlaceFactory(name="Tajne miejsce"))
    draft.subjects.add(SubjectFactory(name="Tajny temat"))
    CollectionItemFactory(item=draft)
    assert fetch(client, f"/pl/items/{draft.identifier}/", status=404)
    assert fetch(client, f"/en/items/{draft.identifier}/", status=404)
    for url in (
        "/pl/",
        "/pl/browse/types/",
        "/pl/browse/periods/",
        "/pl/browse/places/",
        "/pl/browse/subjects/",
        "/pl/collections/",
        "/sitemap.xml",
    ):
        html = fetch(client, url)
        assert "Tajn" not in html and draft.identifier not in html, url


@pytest.mark.parametrize(
    "path",
    [
        "/pl/items/MOK%00/",
        "/pl/search/%00/",
        "/pl/browse/places/?place=%00",
        "/en/collections/%00/",
        "/oai/?verb=ListRecords&metadataPrefix=oai_dc&set=%00",
        "/iiif/MOK%00/manifest.json",
        "/sitemap.xml?section=%00",
    ],
)
def test_a_nul_character_in_an_address_is_a_400_not_a_server_error(client, path):
    # PostgreSQL cannot compare text holding NUL: without the check these were 500s there.
    ItemFactory(identifier="MOK-N-0001")
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_character_in_a_posted_form_is_a_400(client):
    response = client.post(
        "/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "\x00"}
    )
    assert response.status_code == 400
    assert client.post("/oai/", {"verb": "Identify"}).status_code == 200


# --- Login lockout (django-axes), long addresses, the secret key ---------------------------

ADMIN_LOGIN = "/en/admin/login/?next=/en/admin/"


def admin_login(client, password):
    return client.post(ADMIN_LOGIN, {"username": "archiwistka", "password": password})


def test_admin_login_locks_out_after_failures_even_with_the_right_password(
    client, archivist, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    assert [admin_login(client, "zle").status_code for _ in range(2)] == [200, 200]
    locked = admin_login(client, "zle")
    assert locked.status_code == 429
    right = admin_login(client, "tajne-haslo-123")
    assert right.status_code == 429
    assert right["Retry-After"] == str(15 * 60)
    page = right.content.decode()
    assert "Too many failed login attempts" in page
    assert 'role="alert"' in page
    assert "_auth_user_id" not in client.session


def test_admin_login_works_below_the_failure_limit(client, archivist):
    admin_login(client, "zle")
    response = admin_login(client, "tajne-haslo-123")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(archivist.pk)


def test_admin_lockout_is_per_address_too(client, archivist, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for name in ("a", "b", "c"):
        client.post(ADMIN_LOGIN, {"username": name, "password": "x"}, REMOTE_ADDR="192.0.2.8")
    response = client.post(
        ADMIN_LOGIN,
        {"username": "archiwistka", "password": "tajne-haslo-123"},
        REMOTE_ADDR="192.0.2.8",
    )
    assert response.status_code == 429


def test_an_overly_long_page_address_is_a_414(client):
    response = client.get("/pl/browse/places/?page=" + "x" * 5000)
    assert response.status_code == 414
    assert response["Content-Type"].startswith("text/plain")
    assert str(len("/pl/browse/places/?page=" + "x" * 5000)) in response.content.decode()


def run_settings(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=django_settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_debug_kronika_refuses_to_start_without_a_secret_key():
    # Set but empty, so that a developer's .env cannot fill it in.
    started = run_settings({"DEBUG": "0", "SECRET_KEY": ""})
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr and "SECRET_KEY" in started.stderr


def test_with_a_key_or_debug_kronika_starts():
    assert run_settings({"DEBUG": "0", "SECRET_KEY": "a-real-secret"}).returncode == 0
    assert run_settings({"DEBUG": "1", "SECRET_KEY": ""}).returncode == 0
