"""Two-factor authentication (accounts/, django-otp TOTP) with real codes: the admin login,
setting up a device, the session that still owes its code, KRONIKA_REQUIRE_2FA, the API
token endpoint; wrong codes, replayed codes, and the lockout they share with passwords."""

import logging
import re
import time

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from archive.models import Item, Status
from archive.roles import CATALOGUER, EDITOR
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

LOGIN = "/en/admin/login/?next=/en/admin/"
ADMIN = "/en/admin/"
MANAGE = "/en/admin/two-factor/"
VERIFY = "/en/admin/two-factor/verify/"
TOKEN = "/api/v1/auth/token/"
PASSWORD = "tajne-haslo-123"


@pytest.fixture(autouse=True)
def english_and_fresh_throttles(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/minute", "login": "1000/minute"},
    }
    with translation.override("en"):
        yield
    cache.clear()


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or `steps_ahead` 30-second steps later)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def editor(role_user):
    return role_user(EDITOR, username="redaktorka")


@pytest.fixture
def device(editor):
    return TOTPDevice.objects.create(user=editor, name="Kronika", confirmed=True)


def login(client, user, otp_token=None, password=PASSWORD):
    data = {"username": user.username, "password": password}
    if otp_token is not None:
        data["otp_token"] = otp_token
    return client.post(LOGIN, data)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- the admin login ---------------------------------------------------------------------


def test_without_a_device_the_password_is_enough(client, editor):
    response = login(client, editor)
    assert response.status_code == 302 and logged_in(client)
    assert client.get(ADMIN).status_code == 200


def test_the_login_page_has_a_labelled_code_field(client):
    page = client.get(LOGIN).content.decode()
    assert re.search(r'<label for="id_otp_token">Code from the authenticator app', page)
    assert 'autocomplete="one-time-code"' in page
    assert 'aria-describedby="id_otp_token_helptext"' in page


def test_with_a_device_the_login_asks_for_the_code(client, editor, device):
    response = login(client, editor)
    assert response.status_code == 200 and not logged_in(client)
    assert "Enter the 6-digit code" in response.content.decode()
    assert not AccessAttempt.objects.exists()  # a forgotten code is no failed attempt


def test_a_wrong_code_is_refused_and_counted(client, editor, device):
    right = code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = login(client, editor, wrong)
    assert response.status_code == 200 and not logged_in(client)
    assert "The code is wrong" in response.content.decode()
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_the_right_code_logs_in_with_the_second_factor(client, editor, device):
    response = login(client, editor, code(device))
    assert response.status_code == 302 and logged_in(client)
    assert client.get(ADMIN).status_code == 200
    assert client.session["otp_device_id"] == device.persistent_id


def test_a_code_is_good_once(client, editor, device):
    used = code(device)
    assert login(client, editor, used).status_code == 302
    client.logout()
    response = login(client, editor, used)
    assert response.status_code == 200 and not logged_in(client)
    assert "already used" in response.content.decode()


def test_codes_typed_with_a_space_are_read(client, editor, device):
    right = code(device)
    assert login(client, editor, f"{right[:3]} {right[3:]}").status_code == 302


def test_wrong_codes_lock_the_account_out_like_wrong_passwords(client, editor, device, settings):
    settings.AXES_FAILURE_LIMIT = 3
    assert [login(client, editor, "000000").status_code for _ in range(2)] == [200, 200]
    assert login(client, editor, "000000").status_code == 429
    # Locked out: the right password and the right code are refused too, unchecked.
    response = login(client, editor, code(device, steps_ahead=1))
    assert response.status_code == 429
    assert not logged_in(client)


def test_a_lockout_is_logged(client, editor, settings, caplog):
    settings.AXES_FAILURE_LIMIT = 2
    with caplog.at_level(logging.WARNING, logger="kronika.security"):
        for _ in range(3):
            login(client, editor, password="zle")
    lines = [r.getMessage() for r in caplog.records if r.name == "kronika.security"]
    assert lines and all("Login locked out" in line for line in lines)
    assert "'redaktorka'" in lines[0] and "127.0.0.1" in lines[0]


# --- setting up, a session that owes its code, removing ----------------------------------


def test_setting_up_a_device_shows_a_qr_code_and_the_key_then_checks_a_code(client, editor):
    client.force_login(editor)
    page = client.get(MANAGE).content.decode()
    assert "Two-factor authentication is off" in page
    client.post(MANAGE, {"action": "start"})
    pending = TOTPDevice.objects.get(user=editor)
    assert not pending.confirmed
    page = client.get(MANAGE).content.decode()
    assert re.search(r'<img class="kronika-qr-code" src="data:image/svg\+xml;base64,[^"]+"', page)
    assert 'alt="QR code that adds this account' in page
    secret = re.search(r'<code class="kronika-secret">([A-Z2-7 ]+)</code>', page).group(1)
    assert len(secret.replace(" ", "")) == 32
    assert "otpauth://totp/Kronika%3Aredaktorka?secret=" in page

    response = client.post(MANAGE, {"action": "confirm", "otp_token": "123"})
    assert response.status_code == 400
    assert not TOTPDevice.objects.get(pk=pending.pk).confirmed
    time_ok = code(pending, steps_ahead=1)  # the wrong one above throttles a second
    pending.throttling_failure_timestamp = None
    pending.throttling_failure_count = 0
    pending.save()
    response = client.post(MANAGE, {"action": "confirm", "otp_token": time_ok})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(pk=pending.pk).confirmed
    assert client.get(ADMIN).status_code == 200  # this session gave the code
    assert "Two-factor authentication is on" in client.get(MANAGE).content.decode()


def test_a_session_that_owes_the_code_is_asked_for_it(client, editor, device):
    client.force_login(editor)  # logged in before the device was set up, say
    response = client.get("/en/admin/archive/item/")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert "next=%2Fen%2Fadmin%2Farchive%2Fitem%2F" in response["Location"]
    # Nor can it replace the device without the code.
    assert client.get(MANAGE)["Location"].startswith(VERIFY)
    response = client.post(VERIFY, {"otp_token": code(device), "next": "/en/admin/archive/item/"})
    assert response.status_code == 302 and response["Location"] == "/en/admin/archive/item/"
    assert client.get("/en/admin/archive/item/").status_code == 200


def test_a_session_that_owes_the_code_sees_no_drafts_and_writes_nothing(client, editor, device):
    draft = ItemFactory(status=Status.DRAFT, identifier="MOK-X-0001")
    client.force_login(editor)
    assert client.get(f"/en/items/{draft.identifier}/").status_code == 404
    response = client.patch(
        f"/api/v1/items/{draft.identifier}/", {"title": "X"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
    assert Item.objects.get(pk=draft.pk).title != "X"


def test_removing_the_device_takes_a_code(client, editor, device):
    login(client, editor, code(device))
    response = client.post(MANAGE, {"action": "remove", "otp_token": "000000"})
    assert response.status_code == 400 and TOTPDevice.objects.filter(pk=device.pk).exists()
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(MANAGE, {"action": "remove", "otp_token": code(device, steps_ahead=1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.exists()


# --- KRONIKA_REQUIRE_2FA -----------------------------------------------------------------


def test_required_2fa_sends_staff_without_a_device_to_set_up(client, editor, settings):
    settings.KRONIKA_REQUIRE_2FA = True
    assert login(client, editor).status_code == 302
    response = client.get(ADMIN)
    assert response.status_code == 302 and response["Location"].startswith(MANAGE)
    page = client.get(MANAGE).content.decode()
    assert "requires two-factor authentication for staff" in page
    client.post(MANAGE, {"action": "start"})
    pending = TOTPDevice.objects.get(user=editor)
    client.post(MANAGE, {"action": "confirm", "otp_token": code(pending), "next": ADMIN})
    assert client.get(ADMIN).status_code == 200


def test_required_2fa_leaves_no_way_around_the_setup(client, role_user, settings):
    settings.KRONIKA_REQUIRE_2FA = True
    cataloguer = role_user(CATALOGUER, username="kasia")
    client.force_login(cataloguer)
    for path in (ADMIN, "/en/admin/archive/item/add/", "/en/admin/password_change/"):
        assert client.get(path)["Location"].startswith(MANAGE), path
    assert client.post("/en/admin/logout/").status_code in (200, 302)


# --- the API token endpoint --------------------------------------------------------------


def token(client, user, **extra):
    return client.post(
        TOKEN,
        {"username": user.username, "password": PASSWORD, **extra},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_a_token_for_an_account_with_a_device_needs_the_code(editor, device):
    api = APIClient()
    response = token(api, editor)
    assert response.status_code == 400 and "otp_token" in response.json()["errors"]
    response = token(api, editor, otp_token="000000")
    assert response.status_code == 400
    assert "The code is wrong" in response.json()["errors"]["otp_token"][0]
    assert AccessAttempt.objects.get().failures_since_start == 1
    device.throttling_failure_timestamp = None
    device.save()
    used = code(device, steps_ahead=1)
    response = token(api, editor, otp_token=used)
    assert response.status_code == 200 and response.json()["token"]
    assert token(api, editor, otp_token=used).status_code == 400  # replayed


def test_wrong_codes_lock_the_token_endpoint_too(editor, device, settings):
    settings.AXES_FAILURE_LIMIT = 2
    api = APIClient()
    assert token(api, editor, otp_token="000000").status_code == 400
    assert token(api, editor, otp_token="000001").status_code == 429
    assert token(api, editor, otp_token=code(device)).status_code == 429


def test_required_2fa_refuses_a_token_to_staff_without_a_device(role_user, settings):
    settings.KRONIKA_REQUIRE_2FA = True
    api = APIClient()
    staff = role_user(EDITOR, username="redaktor")
    response = token(api, staff)
    assert response.status_code == 403 and set(response.json()) == {"detail"}
    assert "two-factor" in response.json()["detail"]
    # An API-only account (not staff) is not concerned.
    script = role_user(CATALOGUER, staff=False, username="skrypt")
    assert token(api, script).status_code == 200


def test_required_2fa_cannot_be_turned_off(client, editor, device, settings):
    settings.KRONIKA_REQUIRE_2FA = True
    login(client, editor, code(device))
    assert "Turn off two-factor authentication" not in client.get(MANAGE).content.decode()
    client.post(MANAGE, {"action": "remove", "otp_token": code(device, steps_ahead=1)})
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
