"""Tombstones for harvesters: an item that stops being public becomes a deleted record.

Why signals: items are unpublished and deleted from the admin, its bulk actions, the API
and the shell; all of them go through `Item.save()`/`delete()`, and the tombstone must be
written in the same transaction as the change. Bulk writes that bypass signals
(`bulk_update`, `QuerySet.update`) call `withdraw()` and `restore()` themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models.signals import post_save, pre_delete, pre_save
from django.utils import timezone

from archive.models import Item, Status
from curation.models import CollectionItem

from .models import DeletedRecord
from .sets import collection_set_specs, item_set_specs

UID = "interop_deletions"


def withdraw(items: Iterable[Item]) -> None:
    """Record that these items (as they were last published) are no longer public."""
    items = list(items)
    if not items:
        return
    specs = collection_set_specs()
    memberships: dict[int, list[int]] = {}
    for item_id, collection_id in CollectionItem.objects.filter(
        item_id__in=[item.pk for item in items if item.pk]
    ).values_list("item_id", "collection_id"):
        memberships.setdefault(item_id, []).append(collection_id)
    now = timezone.now()
    for item in items:
        spec_list = item_set_specs(memberships.get(item.pk, ()), specs)
        DeletedRecord.objects.update_or_create(
            identifier=item.identifier,
            defaults={"datestamp": now, "set_specs": "\n" + "".join(s + "\n" for s in spec_list)},
        )


def restore(identifiers: Iterable[str]) -> None:
    """Published again: harvesters get the record itself, not a tombstone."""
    DeletedRecord.objects.filter(identifier__in=list(identifiers)).delete()


def _remember_previous(sender, instance: Item, raw: bool = False, **kwargs) -> None:
    instance._oai_previous = None
    if instance.pk and not raw:
        instance._oai_previous = (
            Item.objects.filter(pk=instance.pk).values("status", "identifier").first()
        )


def _item_saved(sender, instance: Item, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    previous = getattr(instance, "_oai_previous", None)
    was_published = previous is not None and previous["status"] == Status.PUBLISHED
    if was_published and previous["identifier"] != instance.identifier:
        # The record under its old identifier is gone for harvesters.
        withdraw([Item(pk=instance.pk, identifier=previous["identifier"])])
    if instance.status == Status.PUBLISHED:
        restore([instance.identifier])
    elif was_published:
        withdraw([instance])


def _item_deleting(sender, instance: Item, **kwargs) -> None:
    """Before the cascade removes its collection memberships, which become the setSpecs."""
    if instance.status == Status.PUBLISHED:
        withdraw([instance])


def connect() -> None:
    pre_save.connect(_remember_previous, sender=Item, dispatch_uid=f"{UID}_pre_save")
    post_save.connect(_item_saved, sender=Item, dispatch_uid=f"{UID}_post_save")
    pre_delete.connect(_item_deleting, sender=Item, dispatch_uid=f"{UID}_pre_delete")
