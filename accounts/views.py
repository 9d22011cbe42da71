"""The two-factor pages of the admin: set up, replace or remove one's authenticator app, and
give its code when a session still owes it. Staff only (admin.site.admin_view)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from . import two_factor
from .forms import CodeForm


def next_url(request) -> str:
    """Where to go once done: `next` when it is on this site, else the admin's home."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("admin:index")


def page_with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url(request)})}"


def render(request, template: str, context: dict, status: int = 200) -> TemplateResponse:
    context = {
        **admin.site.each_context(request),
        "next": next_url(request),
        "required": two_factor.required_for(request.user),
        **context,
    }
    return TemplateResponse(request, template, context, status=status)


@never_cache
def manage(request):
    """Status, set-up (QR code and the secret as text), confirmation, removal."""
    user = request.user
    if two_factor.pending_step(user) == two_factor.VERIFY:
        # Whoever holds this session must prove the device first, or they could replace it.
        query = urlencode({"next": reverse("two_factor:manage")})
        return redirect(f"{reverse('two_factor:verify')}?{query}")
    device = two_factor.device_of(user)
    pending = two_factor.pending_device(user)
    form = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "start":
            two_factor.start_setup(user)
            return redirect(page_with_next("two_factor:manage", request))
        if action == "cancel" and pending is not None:
            pending.delete()
            return redirect("two_factor:manage")
        if action == "confirm" and pending is not None:
            form = CodeForm(request.POST, user=user, request=request, device=pending)
            if form.is_valid():
                two_factor.confirm(pending)
                otp_login(request, pending)
                messages.success(request, _("Two-factor authentication is on."))
                return redirect(next_url(request))
        elif action == "remove" and device is not None and not two_factor.required_for(user):
            form = CodeForm(request.POST, user=user, request=request, device=device)
            if form.is_valid():
                two_factor.remove(user)
                messages.success(request, _("Two-factor authentication is off."))
                return redirect("two_factor:manage")
        if form is not None:
            status = 400
    context = {
        "title": _("Two-factor authentication"),
        "device": device,
        "pending": pending,
        "form": form or CodeForm(user=user, request=request),
    }
    if pending is not None:
        context["qr_code"] = two_factor.qr_code_data_url(pending)
        context["secret"] = two_factor.secret_of(pending)
        context["config_url"] = pending.config_url
    return render(request, "admin/accounts/two_factor.html", context, status)


@never_cache
def verify(request):
    """The code for a session that has not given it (the device was set up elsewhere)."""
    user = request.user
    step = two_factor.pending_step(user)
    if step is None:
        return redirect(next_url(request))
    if step == two_factor.SETUP:
        return redirect(page_with_next("two_factor:manage", request))
    form = CodeForm(request.POST or None, user=user, request=request)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.accepted)
        return redirect(next_url(request))
    status = 400 if request.method == "POST" else 200
    context = {"title": _("Enter your authenticator code"), "form": form}
    return render(request, "admin/accounts/verify.html", context, status)
