"""Who may try how often: the client's address, rate limits, the login lockout and a bound on
password checks running at once.

One rule for the client's address (`client_ip`) serves the API's throttles and django-axes'
lockout, so a forged X-Forwarded-For escapes neither. Logins are guarded in three layers,
cheapest first: a rate per address on POST auth/token/ (checked before the body is read),
the axes lockout per account and per address (checked before the password is), and at most
KRONIKA_CONCURRENT_PASSWORD_CHECKS slow password hashes at once on the machine, so a flood
of guesses cannot take every worker away from page requests.
"""

from __future__ import annotations

import fcntl
import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework.exceptions import Throttled
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address: REMOTE_ADDR, or with API_NUM_PROXIES = N > 0 proxies in front,
    the N-th address from the right of X-Forwarded-For (the one our nearest proxy saw), if
    it is an IP address; None when there is none."""
    candidates = [request.META.get("REMOTE_ADDR", "")]
    proxies = api_settings.NUM_PROXIES or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            candidates.insert(0, hops[-min(proxies, len(hops))])
    for address in candidates:
        try:
            return str(ipaddress.ip_address(address))
        except ValueError:
            continue
    return None


class RateFromSettings:
    """Reads its rate on every request: DRF's throttles copy the rates when their module is
    imported, so a changed setting (a test's override) would be ignored."""

    def allow_request(self, request, view):
        self.rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_ident(self, request):
        return client_ip(request) or "unknown"


class AnonymousRateThrottle(RateFromSettings, AnonRateThrottle):
    """Limits requests without a logged-in user or token, per client address."""


class LoginRateThrottle(RateFromSettings, SimpleRateThrottle):
    """Limits password attempts at POST auth/token/ per client address, whoever asks."""

    scope = "login"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def lockout_minutes() -> int:
    return max(1, round(get_cool_off().total_seconds() / 60))


def lockout_message() -> str:
    minutes = lockout_minutes()
    return ngettext(
        "Too many failed login attempts for this account or from this address. "
        "Try again in %(minutes)d minute.",
        "Too many failed login attempts for this account or from this address. "
        "Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class LockedOut(Throttled):
    """A login refused by the lockout: 429 with Retry-After, the password left unchecked."""

    def __init__(self):
        super().__init__(wait=get_cool_off().total_seconds(), detail=lockout_message())


class PasswordChecksBusy(Throttled):
    """Every password-check slot is taken: come back in a second."""

    default_detail = _("Too many logins are being checked right now. Try again in a second.")

    def __init__(self):
        super().__init__(wait=1)


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE) for the admin login: a page in
    the admin's look, or the API's JSON shape under /api/."""
    seconds = int(get_cool_off().total_seconds())
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message()}, status=429)
    else:
        context = {**admin.site.each_context(request), "message": lockout_message()}
        response = TemplateResponse(request, "admin/locked_out.html", context, status=429)
        response.render()
    response["Retry-After"] = str(seconds)
    return response


class PasswordChecksBusyMiddleware:
    """Answers a login that found every password-check slot taken (outside the API, whose
    exception handler does it) with a 429 page and Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PasswordChecksBusy):
            return None
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": str(exception.detail)}, status=429)
        else:
            context = {**admin.site.each_context(request), "message": str(exception.detail)}
            response = TemplateResponse(request, "admin/locked_out.html", context, status=429)
            response.render()
        response["Retry-After"] = "1"
        return response


@contextmanager
def password_check_slot() -> Iterator[None]:
    """Holds one of KRONIKA_CONCURRENT_PASSWORD_CHECKS slots (file locks shared by every
    process on the machine) or raises PasswordChecksBusy at once; 0 means no bound."""
    slots = settings.KRONIKA_CONCURRENT_PASSWORD_CHECKS
    if slots <= 0:
        yield
        return
    folder = Path(settings.KRONIKA_LOCK_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(slots):
        handle = open(folder / f"password-check-{number}.lock", "a")  # noqa: SIM115
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
        return
    raise PasswordChecksBusy()


class LoginLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first in AUTHENTICATION_BACKENDS. A call without a request
    (a shell, the test client's login()) is no web login and has no address: it is let
    through to the password check."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class BoundedModelBackend(ModelBackend):
    """Django's username and password check, run only in a free password-check slot."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        with password_check_slot():
            return super().authenticate(request, username=username, password=password, **kwargs)
