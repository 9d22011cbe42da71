"""Residents' contributions to items: a memory, an identification, a reported mistake.

Nothing a resident sends is public until an archivist approves it (`Contribution.objects.
public()` is the only public way in). The person gives as little as possible: a text, a
name to show (or none: "anonymous"), an e-mail only if they want a reply, and consent to
the information clause. Each contribution has a private withdrawal link (only its hash is
stored); withdrawing deletes it. Rejected ones are deleted after
`KRONIKA_CONTRIBUTIONS_REJECTED_DAYS` (`purge_contributions`). A photo is stored as a
stripped copy (no EXIF/GPS) under `contributions/`, a path the media view never serves:
only staff see it, through `contributions.views.photo`.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archive.models import Item, Status

PHOTO_FOLDER = "contributions"


def photo_path(instance, filename: str) -> str:
    """A name nobody can guess or link: the media view serves only catalogue media files."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"{PHOTO_FOLDER}/{uuid.uuid4().hex}.{suffix[:5]}"


def withdrawal_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ContributionQuerySet(models.QuerySet):
    def public(self):
        """Approved contributions to published items: what anyone may read."""
        return self.filter(
            state=Contribution.State.APPROVED, item__status=Status.PUBLISHED
        ).order_by("moderated_at", "pk")

    def by_withdrawal_key(self, key: str):
        return self.filter(withdrawal_key_hash=withdrawal_hash(key)).first() if key else None

    def expired_rejections(self, now=None):
        days = settings.KRONIKA_CONTRIBUTIONS_REJECTED_DAYS
        cutoff = (now or timezone.now()) - timedelta(days=days)
        return self.filter(state=Contribution.State.REJECTED, moderated_at__lt=cutoff)


class Contribution(models.Model):
    class Kind(models.TextChoices):
        MEMORY = "memory", _("a memory or comment")
        IDENTIFICATION = "identification", _("who or what is in the picture")
        CORRECTION = "correction", _("a mistake in the description")

    class State(models.TextChoices):
        NEW = "new", _("new")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("item")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.MEMORY)
    text = models.TextField(_("text"))
    name = models.CharField(
        _("name to show"), max_length=120, blank=True, help_text=_("Empty: anonymous.")
    )
    email = models.EmailField(
        _("e-mail for a reply"), blank=True, help_text=_("Never shown; only for a reply.")
    )
    photo = models.FileField(_("photo"), upload_to=photo_path, blank=True, max_length=255)
    photo_width = models.PositiveIntegerField(
        _("photo width"), null=True, blank=True, editable=False
    )
    photo_height = models.PositiveIntegerField(
        _("photo height"), null=True, blank=True, editable=False
    )
    consent_at = models.DateTimeField(_("consent given at"), editable=False)
    state = models.CharField(
        _("state"), max_length=20, choices=State, default=State.NEW, db_index=True
    )
    moderator_note = models.TextField(
        _("moderator's note"), blank=True, help_text=_("Internal: why it was approved or not.")
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True, editable=False)
    draft_item = models.ForeignKey(
        Item,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("draft item made from the photo"),
    )
    withdrawal_key_hash = models.CharField(
        _("withdrawal key (SHA-256)"), max_length=64, unique=True, editable=False
    )
    created = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        permissions = [("moderate_contribution", _("Can approve residents' contributions"))]

    def __str__(self) -> str:
        return f"{self.item.identifier}: {self.get_kind_display()} ({self.get_state_display()})"

    @property
    def created_date(self):
        return timezone.localtime(self.created).date()

    @property
    def display_name(self) -> str:
        return self.name or _("anonymous")

    def new_withdrawal_key(self) -> str:
        """Give the contribution a fresh private key; the caller shows it once."""
        key = secrets.token_urlsafe(24)
        self.withdrawal_key_hash = withdrawal_hash(key)
        return key

    def moderate(self, state: str, user, note: str | None = None) -> None:
        self.state = state
        self.moderated_by = user
        self.moderated_at = timezone.now()
        if note is not None:
            self.moderator_note = note


@receiver(post_delete, sender=Contribution)
def _delete_photo(sender, instance: Contribution, **kwargs) -> None:
    """A deleted contribution (withdrawn, purged, or its item deleted) takes its photo along,
    once the deletion is committed."""
    name = instance.photo.name
    if name:
        storage = instance.photo.storage
        transaction.on_commit(lambda: storage.delete(name))
