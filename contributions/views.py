"""The residents' form on an item, the thank-you page, withdrawal by private link, and the
staff-only view of a contributed photo."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe
from rest_framework.throttling import SimpleRateThrottle

from api.throttling import RateFromSettings
from archive.contact import contact_details
from archive.models import Item

from .forms import ContributionForm
from .models import Contribution
from .notify import notify_moderators, notify_withdrawal

logger = logging.getLogger(__name__)

SESSION_KEY = "contribution_thanks"


class ContributionRateThrottle(RateFromSettings, SimpleRateThrottle):
    """Contributions per client address (`KRONIKA_CONTRIBUTION_RATE`, e.g. 5/hour)."""

    scope = "contributions"

    def get_rate(self):
        return settings.KRONIKA_CONTRIBUTION_RATE

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return SimpleRateThrottle.allow_request(self, request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _published_item(identifier: str) -> Item:
    # Only a published item can be commented on: a draft is private, even its existence.
    return get_object_or_404(Item.objects.published(), identifier=identifier)


@require_http_methods(["GET", "HEAD", "POST"])
def contribute(request, identifier: str):
    item = _published_item(identifier)
    status = 200
    if request.method == "POST":
        form = ContributionForm(request.POST, request.FILES)
        throttle = ContributionRateThrottle()
        if form.is_valid():
            if throttle.allow_request(request, None):
                key = _save(form, item, request.build_absolute_uri)
                request.session[SESSION_KEY] = {"item": item.identifier, "key": key}
                return redirect("contributions:thanks", identifier=item.identifier)
            form.add_error(
                None,
                _too_many(throttle.wait()),
            )
            status = 429
        else:
            status = 400
    else:
        form = ContributionForm()
    response = render(
        request,
        "contributions/contribute.html",
        {
            "item": item,
            "form": form,
            "contact": contact_details(),
            "dpo_email": settings.KRONIKA_DPO_EMAIL,
            "rejected_days": settings.KRONIKA_CONTRIBUTIONS_REJECTED_DAYS,
        },
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(int(throttle.wait() or 60))
    return response


def _too_many(wait: float | None) -> str:
    from django.utils.translation import gettext, ngettext

    minutes = max(1, round((wait or 60) / 60))
    return gettext(
        "You have sent several contributions in a short time. Your text is kept below: "
        "please send it again in %(when)s."
    ) % {"when": ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}}


def _save(form: ContributionForm, item: Item, absolute) -> str:
    contribution = form.save(commit=False)
    contribution.item = item
    contribution.consent_at = timezone.now()
    key = contribution.new_withdrawal_key()
    stripped = form.stripped_photo()
    if stripped is not None:
        contribution.photo = ContentFile(stripped.getvalue(), name=f"photo{form.photo_extension}")
        contribution.photo_width, contribution.photo_height = form.photo_size
    with transaction.atomic():
        contribution.save()
        transaction.on_commit(lambda: notify_moderators(contribution, absolute))
    return key


@require_safe
def thanks(request, identifier: str):
    item = _published_item(identifier)
    sent = request.session.pop(SESSION_KEY, None)
    if not sent or sent.get("item") != item.identifier:
        return redirect(item.get_absolute_url())
    withdraw_url = request.build_absolute_uri(
        reverse("contributions:withdraw", kwargs={"key": sent["key"]})
    )
    return render(
        request,
        "contributions/thanks.html",
        {"item": item, "withdraw_url": withdraw_url},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request, key: str):
    contribution = Contribution.objects.select_related("item", "draft_item").by_withdrawal_key(key)
    if contribution is None:
        return render(request, "contributions/withdrawn.html", {"found": False}, status=404)
    if request.method == "POST":
        identifier, draft = contribution.item.identifier, contribution.draft_item
        with transaction.atomic():
            contribution.delete()
        logger.info("A contribution to %s was withdrawn by its author.", identifier)
        if draft is not None:
            notify_withdrawal(identifier, draft, request.build_absolute_uri)
        return render(request, "contributions/withdrawn.html", {"found": True, "done": True})
    return render(
        request,
        "contributions/withdraw.html",
        {"contribution": contribution, "item_public": contribution.item.is_published},
    )


@staff_member_required
@require_safe
def photo(request, pk: int):
    """A contributed photo (its stripped copy), for staff reviewing it."""
    contribution = get_object_or_404(Contribution, pk=pk)
    if not contribution.photo or not contribution.photo.storage.exists(contribution.photo.name):
        raise Http404("No photo.")
    response = FileResponse(contribution.photo.open("rb"))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
