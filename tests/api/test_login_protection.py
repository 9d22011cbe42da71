"""Password guessing at POST auth/token/: a rate per address before any password is checked,
a lockout per account and per address (django-axes, shared with the admin login), a bound on
password checks at once, and one rule for the client's address (X-Forwarded-For is only
believed behind as many proxies as API_NUM_PROXIES says)."""

import fcntl
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.db.models import Sum
from rest_framework.authtoken.models import Token

TOKEN = "/api/v1/auth/token/"
RIGHT = {"username": "kustosz", "password": "tajne-haslo-123"}


def wrong(username="kustosz"):
    return {"username": username, "password": "zle-haslo"}


@pytest.fixture
def login_rate(settings):
    """A generous per-address rate, so the lockout is what these tests meet first."""

    def set_rate(rate):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                "login": rate,
            },
        }

    set_rate("1000/minute")
    return set_rate


def test_token_endpoint_is_rate_limited_per_address(anon, archivist_user, login_rate):
    login_rate("3/minute")
    codes = [anon.post(TOKEN, wrong(f"nikt{n}"), format="json").status_code for n in range(4)]
    assert codes == [400, 400, 400, 429]
    refused = anon.post(TOKEN, RIGHT, format="json")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert set(refused.json()) == {"detail"}
    # Throttled before authentication: the refused attempts left no failure behind.
    assert AccessAttempt.objects.aggregate(n=Sum("failures_since_start"))["n"] == 3


def test_account_is_locked_after_failures_even_with_the_right_password(
    anon, archivist_user, login_rate, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    codes = [anon.post(TOKEN, wrong(), format="json").status_code for _ in range(3)]
    assert codes == [400, 400, 429]
    response = anon.post(TOKEN, RIGHT, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    assert response["Content-Type"] == "application/json"
    assert "Too many failed login attempts" in response.json()["detail"]
    assert not Token.objects.exists()


def test_lockout_is_per_account_from_any_address(anon, archivist_user, login_rate, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        anon.post(TOKEN, wrong(), format="json", REMOTE_ADDR=f"198.51.100.{n}")
    response = anon.post(TOKEN, RIGHT, format="json", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429


def test_lockout_is_per_address_for_any_account(
    anon, archivist_user, login_rate, settings, django_user_model
):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        anon.post(TOKEN, wrong(f"ktos{n}"), format="json", REMOTE_ADDR="198.51.100.7")
    assert anon.post(TOKEN, RIGHT, format="json", REMOTE_ADDR="198.51.100.7").status_code == 429
    # Another address still logs in to the same account.
    assert anon.post(TOKEN, RIGHT, format="json", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_lockout_ends_after_the_cool_off(anon, archivist_user, login_rate, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        anon.post(TOKEN, wrong(), format="json")
    assert anon.post(TOKEN, RIGHT, format="json").status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time.replace(
        year=2000
    ))  # fmt: skip
    assert anon.post(TOKEN, RIGHT, format="json").status_code == 200


def test_forged_forwarded_for_does_not_escape_the_anonymous_limit(anon, catalogue, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "5/minute", "login": "10/minute"},
    }
    codes = [
        anon.get("/api/v1/items/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(7)
    ]
    assert codes == [200] * 5 + [429] * 2


def test_forged_forwarded_for_does_not_escape_the_lockout(
    anon, archivist_user, login_rate, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        anon.post(TOKEN, wrong(f"ktos{n}"), format="json", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = anon.post(TOKEN, RIGHT, format="json", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


def test_behind_one_proxy_the_address_it_saw_counts(anon, catalogue, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "NUM_PROXIES": 1,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "login": "10/minute"},
    }
    # The client may prepend anything; the proxy appends the address it saw, last.
    first = [
        anon.get("/api/v1/items/", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.5").status_code
        for n in range(3)
    ]
    assert first == [200, 200, 429]
    other = anon.get("/api/v1/items/", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 200


def test_a_forwarded_address_that_is_no_address_is_not_stored(
    anon, archivist_user, login_rate, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    response = anon.post(TOKEN, wrong(), format="json", HTTP_X_FORWARDED_FOR="nie-adres")
    assert response.status_code == 400
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


def test_login_waits_for_no_busy_password_check(
    anon, archivist_user, login_rate, settings, tmp_path
):
    """With every password-check slot held (by another worker), a login is answered at once
    with a 429 and counts as no failure."""
    settings.KRONIKA_LOCK_DIR = str(tmp_path)
    settings.KRONIKA_CONCURRENT_PASSWORD_CHECKS = 1
    with open(Path(tmp_path) / "password-check-0.lock", "a") as other_worker:
        fcntl.flock(other_worker, fcntl.LOCK_EX)
        response = anon.post(TOKEN, RIGHT, format="json")
        fcntl.flock(other_worker, fcntl.LOCK_UN)
    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    assert set(response.json()) == {"detail"}
    assert not AccessAttempt.objects.exists()
    assert anon.post(TOKEN, RIGHT, format="json").status_code == 200


@pytest.mark.parametrize(
    "payload",
    [
        {"username": "k" * 5000, "password": "x"},
        {"username": "kustosz", "password": "x" * 5000},
        {"username": ["kustosz"], "password": "x"},
        {"username": "kustosz"},
    ],
)
def test_odd_credentials_are_a_clear_400(anon, archivist_user, login_rate, payload):
    response = anon.post(TOKEN, payload, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_default_settings_trust_no_proxy():
    assert django_settings.REST_FRAMEWORK["NUM_PROXIES"] == 0
