"""Where catalogue changes become search outbox entries — the one place that does it.

Why signals, connected in `SearchConfig.ready()`, rather than calls in each model's
`save()`: a search document shows an item, its media, its collection memberships, its
creators and the names of its vocabulary records. Those change through `save()`, but also
through M2M `add()`/`remove()`/`clear()` (admin, shell, API), cascading deletes and
inline formsets, none of which pass through `Item.save()`. Model signals see all of them,
inside the caller's transaction, so every entry is written atomically with its change.
The catalogue apps stay unaware of search; this module lists every trigger in one place.

Writes that bypass signals (bulk_create, update()) call `search.outbox.enqueue_items`.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from archive.models import Agent, Item, ItemCreator, Licence, Place, Subject
from contributions.models import Contribution
from curation.models import Collection, CollectionItem
from media.models import MediaFile

from .outbox import enqueue_deleted, enqueue_items

UID = "search_outbox"


def item_saved(sender, instance: Item, **kwargs) -> None:
    enqueue_items([instance.pk])


def item_deleted(sender, instance: Item, **kwargs) -> None:
    enqueue_deleted(instance.pk, instance.identifier)


def part_changed(sender, instance, **kwargs) -> None:
    """A media file, creator link, collection membership or residents' contribution
    changed: reindex its item."""
    if instance.item_id:
        enqueue_items([instance.item_id])


def relation_changed(sender, instance, action: str, pk_set, **kwargs) -> None:
    """M2M add/remove/clear from either side (`item.subjects.add`, `subject.items.add`,
    `collection.items.add`)."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if isinstance(instance, Item):
        enqueue_items([instance.pk])
    elif action == "pre_clear":
        enqueue_items(_items_of(instance))
    else:
        enqueue_items(pk_set or ())


def record_saved(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
    """A vocabulary record or collection renamed: every item showing its name changes."""
    if not created:
        enqueue_items(_items_of(instance))


def record_deleting(sender, instance, **kwargs) -> None:
    """Before the M2M rows vanish (they are deleted without signals), note the items."""
    enqueue_items(_items_of(instance))


def _items_of(record) -> list[int]:
    return list(record.items.values_list("pk", flat=True))


def connect() -> None:
    post_save.connect(item_saved, sender=Item, dispatch_uid=f"{UID}_item_saved")
    post_delete.connect(item_deleted, sender=Item, dispatch_uid=f"{UID}_item_deleted")
    for model in (MediaFile, ItemCreator, CollectionItem, Contribution):
        post_save.connect(part_changed, sender=model, dispatch_uid=f"{UID}_{model.__name__}_s")
        post_delete.connect(part_changed, sender=model, dispatch_uid=f"{UID}_{model.__name__}_d")
    for through in (Item.subjects.through, Item.places.through):
        m2m_changed.connect(
            relation_changed, sender=through, dispatch_uid=f"{UID}_{through.__name__}"
        )
    for model in (CollectionItem, ItemCreator):
        m2m_changed.connect(
            relation_changed, sender=model, dispatch_uid=f"{UID}_{model.__name__}_m2m"
        )
    for model in (Subject, Place, Agent, Licence, Collection):
        post_save.connect(record_saved, sender=model, dispatch_uid=f"{UID}_{model.__name__}_rs")
    for model in (Subject, Place, Collection):
        pre_delete.connect(record_deleting, sender=model, dispatch_uid=f"{UID}_{model.__name__}_rd")
