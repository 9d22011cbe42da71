"""The login and two-factor pages (accounts/) in Chromium: axe-core clean in both languages,
no CSP violations, and the login usable from the keyboard.

The accounts and devices are made before Chromium starts and committed (as in
test_admin_journeys), and the pages are only read: the live server writes nothing here.
With KRONIKA_GUIDE_SCREENSHOTS=1 each screen is saved for the archivist's guide
(docs/archivist-guide/img/roles-<screen>.png).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from .conftest import LANGUAGES, WCAG_TAGS, watch
from .pages import axe_run, describe_violations
from .test_admin_journeys import password_backend

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

GUIDE_IMAGES = Path(settings.BASE_DIR) / "docs" / "archivist-guide" / "img"


def session_for(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = password_backend()
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


@pytest.fixture(scope="module")
def accounts(demo_site, django_db_blocker):
    """Three staff sessions: no device, a device being set up, a device not yet verified."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    made = []
    with django_db_blocker.unblock():
        users = get_user_model().objects
        off = users.create_user("dwuskladnikowe-wylaczone", password="x-Haslo-123", is_staff=True)
        setting_up = users.create_user("dwuskladnikowe-konfiguracja", is_staff=True)
        TOTPDevice.objects.create(user=setting_up, name="Kronika", confirmed=False)
        owing = users.create_user("dwuskladnikowe-kod", is_staff=True)
        TOTPDevice.objects.create(user=owing, name="Kronika", confirmed=True)
        made = [off, setting_up, owing]
        sessions = {
            "off": session_for(off),
            "setting-up": session_for(setting_up),
            "verify": session_for(owing),
        }
    yield sessions
    with django_db_blocker.unblock():
        for user in made:
            user.delete()


def open_as(browser_context, demo_site, session_key: str | None, path: str):
    if session_key:
        browser_context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": demo_site.url}]
        )
    watched = watch(browser_context.new_page())
    response = watched.page.goto(demo_site.absolute(path))
    assert response.status == 200, path
    watched.page.wait_for_load_state("load")
    return watched


SCREENS = {
    "login": (None, "/{language}/admin/login/"),
    "setup-off": ("off", "/{language}/admin/two-factor/"),
    "setup-qr": ("setting-up", "/{language}/admin/two-factor/"),
    "verify": ("verify", "/{language}/admin/two-factor/verify/"),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("screen", SCREENS)
def test_login_and_two_factor_pages_are_accessible(
    browser_context, demo_site, accounts, screen, language
):
    who, path = SCREENS[screen]
    path = path.format(language=language)
    watched = open_as(browser_context, demo_site, accounts.get(who), path)
    if screen == "setup-qr":
        assert watched.page.locator("img.kronika-qr-code").is_visible()
        assert watched.page.locator("code.kronika-secret").first.inner_text().strip()
    violations = axe_run(watched.page, WCAG_TAGS)["violations"]
    assert not violations, describe_violations(path, violations)
    assert watched.problems() == []
    if os.environ.get("KRONIKA_GUIDE_SCREENSHOTS") == "1" and language == "pl":
        GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
        watched.page.set_viewport_size({"width": 1280, "height": 800})
        watched.page.screenshot(path=str(GUIDE_IMAGES / f"roles-{screen}.png"))


def test_the_login_form_is_filled_in_from_the_keyboard(browser_context, demo_site):
    watched = open_as(browser_context, demo_site, None, "/pl/admin/login/")
    page = watched.page
    page.focus("#id_username")
    order = []
    for _ in range(3):
        order.append(page.evaluate("document.activeElement.id || document.activeElement.type"))
        page.keyboard.press("Tab")
    assert order == ["id_username", "id_password", "id_otp_token"]
    described = page.get_attribute("#id_otp_token", "aria-describedby")
    assert page.locator(f"#{described}").inner_text().strip()
