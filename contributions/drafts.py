"""A contributed photograph becomes a draft item, crediting the person who sent it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.models import Item, ItemType, Status
from media.models import MediaFile

from .models import Contribution

IDENTIFIER_PREFIX = "MIESZK"


def _free_identifier(contribution: Contribution) -> str:
    base = f"{IDENTIFIER_PREFIX}-{contribution.pk:05d}"
    candidate, n = base, 1
    while Item.objects.filter(identifier__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def make_draft_item(contribution: Contribution) -> Item:
    """A draft item holding the contribution's photo, its text as a first description and
    the contributor credited (rights holder and the photo's credit line), related to the
    item it was sent for. Refused when there is no photo or a draft was made already."""
    if not contribution.photo:
        raise ValidationError(_("This contribution has no photograph."), code="no_photo")
    if contribution.draft_item_id:
        raise ValidationError(
            _("A draft item was already made from this photograph: %(identifier)s.")
            % {"identifier": contribution.draft_item.identifier},
            code="already_made",
        )
    who = contribution.name or _("anonymous resident")
    sent = timezone.localtime(contribution.created).date().isoformat()
    with contribution.photo.open("rb") as photo:
        data = photo.read()
    with transaction.atomic():
        item = Item(
            identifier=_free_identifier(contribution),
            title=_("Photograph sent by %(who)s") % {"who": who},
            item_type=ItemType.PHOTOGRAPH,
            description=contribution.text,
            status=Status.DRAFT,
            rights_holder=contribution.name,
            source=_(
                "Sent by a resident (%(who)s) through Kronika on %(date)s, about item "
                "%(identifier)s."
            )
            % {"who": who, "date": sent, "identifier": contribution.item.identifier},
        )
        item.full_clean()
        item.save()
        item.related_items.add(contribution.item)
        media = MediaFile(
            item=item,
            file=ContentFile(data, name=contribution.photo.name.rsplit("/", 1)[-1]),
            original_name=_("photo from a resident"),
            credit=_("Photo: %(who)s") % {"who": who},
        )
        media.full_clean()
        media.save()
        contribution.draft_item = item
        contribution.save(update_fields=["draft_item"])
    return item
