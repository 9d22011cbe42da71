"""Staff who still owe the second factor (accounts.two_factor.pending_step) are sent to give
it before any admin page, and count as logged out everywhere else (drafts on the site, the
API through the session) until they do. Token requests are not concerned: the token
endpoint asked for the code when the token was issued."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from . import two_factor

STEP_PAGES = {two_factor.VERIFY: "two_factor:verify", two_factor.SETUP: "two_factor:manage"}
# Admin pages a session that owes the code may still open.
OPEN_ADMIN_PAGES = {"logout", "jsi18n"}


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespace == "two_factor":
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        step = two_factor.pending_step(user)
        if step is None:
            return None
        if match.namespace == "admin":
            if match.url_name in OPEN_ADMIN_PAGES:
                return None
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(STEP_PAGES[step])}?{query}")
        request.user = AnonymousUser()
        return None
