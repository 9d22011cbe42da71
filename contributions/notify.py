"""E-mail to the moderators: one per new contribution, one per withdrawal that leaves a
draft item made from the withdrawn photo. Sending never decides whether the contribution
is kept: a failure is logged."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

logger = logging.getLogger(__name__)


def recipients() -> list[str]:
    """KRONIKA_CONTRIBUTIONS_NOTIFY, else the institution's contact e-mail."""
    configured = settings.KRONIKA_CONTRIBUTIONS_NOTIFY or [settings.KRONIKA_CONTACT["email"]]
    return [address for address in configured if address]


def _send(subject: str, body: str) -> None:
    to = recipients()
    if not to:
        logger.warning("No address for contribution notices: set KRONIKA_CONTRIBUTIONS_NOTIFY.")
        return
    try:
        send_mail(subject, body, None, to)
    except Exception:  # noqa: BLE001 — a mail server's trouble must not lose the contribution
        logger.exception("Could not send the contribution notice to %s.", ", ".join(to))


def notify_moderators(contribution, absolute) -> None:
    """`absolute` makes a path a full URL (the request's `build_absolute_uri`)."""
    with override(settings.LANGUAGE_CODE):
        change = reverse("admin:contributions_contribution_change", args=[contribution.pk])
        subject = _("New contribution to %(identifier)s") % {
            "identifier": contribution.item.identifier
        }
        body = "\n".join(
            [
                _("A resident has sent a contribution (%(kind)s) to “%(title)s”.")
                % {"kind": contribution.get_kind_display(), "title": contribution.item.title},
                "",
                contribution.text[:1000],
                "",
                _("With a photograph.") if contribution.photo else "",
                _("Review it: %(url)s") % {"url": absolute(change)},
            ]
        )
    _send(subject, body)


def notify_withdrawal(item_identifier: str, draft_item, absolute) -> None:
    """The author withdrew a contribution whose photo an archivist had made a draft item of:
    the archivist decides what happens to that item."""
    with override(settings.LANGUAGE_CODE):
        change = reverse("admin:archive_item_change", args=[draft_item.pk])
        subject = _("A contribution to %(identifier)s was withdrawn") % {
            "identifier": item_identifier
        }
        body = _(
            "Its author withdrew the contribution. The draft item %(draft)s was made from its "
            "photograph: please remove it or ask the author. %(url)s"
        ) % {"draft": draft_item.identifier, "url": absolute(change)}
    _send(subject, body)
