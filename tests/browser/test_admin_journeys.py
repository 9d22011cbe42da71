"""The admin as an archivist uses it, in Chromium (issue 16: items 16, 17, 19).

A staff account with a session is made once for the module (committed, like the demo).
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from .conftest import watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

USERNAME = "archiwistka-przegladarka"
PASSWORD = "Tajne-haslo-przegladarki-123"


def password_backend() -> str:
    """The configured backend that checks passwords (a session names the one that logged in)."""
    from django.conf import settings
    from django.contrib.auth.backends import ModelBackend
    from django.utils.module_loading import import_string

    return next(
        path
        for path in settings.AUTHENTICATION_BACKENDS
        if issubclass(import_string(path), ModelBackend)
    )


@pytest.fixture(scope="module")
def archivist_account(demo_site, django_db_blocker):
    """A superuser with a session, and the ids of a demo item with an image and its image.

    Made before any test's transaction opens (module scope) and committed: the live server
    reads them with its own connection. Logging in through the form would be a write by
    that connection, which SQLite refuses while a test holds the database open.
    """
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from archive.models import Item

    with django_db_blocker.unblock():
        user = get_user_model().objects.create_superuser(USERNAME, "", PASSWORD)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = password_backend()
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        item = Item.objects.get(identifier=demo_site.facts["item-image"])
        facts = {
            "item": item.pk,
            "media": item.media_files.order_by("pk").first().pk,
            "session": session.session_key,
        }
    yield facts
    with django_db_blocker.unblock():
        session.delete()
        user.delete()


@pytest.fixture
def admin_page(browser_context, demo_site, archivist_account):
    from django.conf import settings

    browser_context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": archivist_account["session"],
                "url": demo_site.url,
            }
        ]
    )
    return watch(browser_context.new_page())


def _open(watched, demo_site, path: str) -> None:
    response = watched.page.goto(demo_site.absolute(path))
    assert response.status == 200, path
    watched.page.wait_for_load_state("load")


@pytest.mark.parametrize(
    "path",
    [
        "/en/admin/",
        "/en/admin/archive/item/",
        "/en/admin/archive/item/{item}/change/",
        "/en/admin/archive/item/add/",
        "/pl/admin/archive/item/",
        "/en/admin/media/mediafile/",
        "/en/admin/media/mediafile/{media}/change/",
    ],
)
def test_admin_pages_have_no_csp_violations_or_console_errors(
    admin_page, demo_site, archivist_account, path
):
    _open(admin_page, demo_site, path.format(**archivist_account))
    # Widgets that build their markup in JavaScript (autocomplete, inlines) run on use.
    if "/change/" in path or "/add/" in path:
        admin_page.page.click(".select2-selection", timeout=5000)
        admin_page.page.keyboard.press("Escape")
    assert admin_page.problems() == []


def test_item_list_thumbnails_are_small_derivatives(admin_page, demo_site):
    _open(admin_page, demo_site, "/en/admin/archive/item/")
    sources = admin_page.page.eval_on_selector_all(
        "img.kronika-thumbnail", "images => images.map(i => i.getAttribute('src'))"
    )
    assert sources
    assert all("/derivatives/" in source for source in sources), sources
    picture = admin_page.page.request.get(demo_site.absolute(sources[0]))
    assert picture.status == 200 and picture.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(picture.body())).width <= 640
