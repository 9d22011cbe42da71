"""Reading the versions archive/audit.py keeps: what changed, going back, bringing back.

- `diff(old, new)`: the fields that differ between two versions, as text an archivist reads
  (choices by label, related records by name, relations as lists of names).
- `revert(version)`: the record as it was in that version, through the same rules as any save
  (`full_clean`: a valid date, alt-text before publishing); the revert is a version too.
- `deleted_items()` / `restore(version)`: items deleted within KRONIKA_RESTORE_DAYS and their
  restoration with fields, relations and, where the files are still stored, media.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit

REVERT_REASON = "revert:%s"
RESTORE_REASON = "restore:%s"
EMPTY = "—"
# How long before an item's deletion version its media's deletion versions may be written
# (the cascade runs first, in the same transaction).
MEDIA_DELETED_WITH_ITEM = datetime.timedelta(minutes=10)


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str


def diff_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields a diff shows: what an archivist edits (not keys, timestamps, derived data)."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in ("created", "modified")
    ]


def revert_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields a revert sets: stored files stay as they are (a replaced file is gone)."""
    return [f for f in diff_fields(model) if not isinstance(f, models.FileField)]


def object_pk(version) -> object:
    return getattr(version, version.instance_type._meta.pk.attname)


# --- names -----------------------------------------------------------------------------------


class Names:
    """Names of related records for display, deleted ones from their last version."""

    def __init__(self):
        self._cache: dict[tuple[type, object], str] = {}

    def of(self, model: type[models.Model], pk) -> str:
        key = (model, pk)
        if key not in self._cache:
            self._cache[key] = self._lookup(model, pk)
        return self._cache[key]

    @staticmethod
    def _lookup(model, pk) -> str:
        obj = model._default_manager.filter(pk=pk).first()
        if obj is not None:
            return str(obj)
        history = getattr(model, "history", None)
        last = history.filter(**{model._meta.pk.attname: pk}).first() if history else None
        if last is not None:
            return _("%(name)s (deleted)") % {"name": str(last.instance)}
        return _("%(model)s #%(pk)s (deleted)") % {"model": model._meta.verbose_name, "pk": pk}


def _relation_specs(model: type[models.Model]) -> list[tuple[str, object]]:
    """(key in history_relations, label) in the order a diff lists them."""
    from curation.models import Collection

    from .models import Item

    if model is Item:
        item = Item._meta
        return [
            ("subjects", item.get_field("subjects").verbose_name),
            ("places", item.get_field("places").verbose_name),
            ("creators", item.get_field("creators").verbose_name),
            ("collections", gettext_lazy("collections")),
            ("related_items", item.get_field("related_items").verbose_name),
        ]
    if model is Collection:
        return [("items", Collection._meta.get_field("items").verbose_name)]
    return []


def relation_text(key: str, entries: list, names: Names) -> str:
    from curation.models import Collection

    from .models import Agent, Item, ItemCreator, Place, Subject

    if not entries:
        return EMPTY
    if key == "creators":
        roles = dict(ItemCreator.Role.choices)
        texts = [f"{names.of(Agent, a)} ({roles.get(role, role)})" for a, role, _order in entries]
    elif key == "collections":
        texts = [names.of(Collection, c) for c, _order in entries]
    elif key == "items":
        texts = [names.of(Item, i) for i, _order in entries]
    else:
        model = {"subjects": Subject, "places": Place, "related_items": Item}[key]
        texts = sorted(names.of(model, pk) for pk in entries)
    return "; ".join(texts)


def value_text(f: models.Field, value, names: Names) -> str:
    if value is None or value == "":
        return EMPTY
    if f.is_relation:
        return names.of(f.related_model, value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(f, models.FileField):
        return PurePosixPath(str(value)).name
    return str(value)


def diff(old, new, names: Names | None = None) -> list[FieldChange]:
    """What differs from `old` (None: nothing, the record was created) to `new`."""
    names = names or Names()
    model = new.instance_type
    changes = []
    for f in diff_fields(model):
        before = getattr(old, f.attname) if old is not None else None
        after = getattr(new, f.attname)
        if (before or None) != (after or None):
            changes.append(
                FieldChange(
                    f.name,
                    str(f.verbose_name),
                    value_text(f, before, names),
                    value_text(f, after, names),
                )
            )
    old_relations = (old.history_relations if old is not None else None) or {}
    new_relations = new.history_relations or {}
    for key, label in _relation_specs(model):
        before, after = old_relations.get(key, []), new_relations.get(key, [])
        if before != after:
            changes.append(
                FieldChange(
                    key,
                    str(label),
                    relation_text(key, before, names),
                    relation_text(key, after, names),
                )
            )
    return changes


def reason_text(version) -> str:
    """The version's reason as a sentence in the reader's language."""
    reason = version.history_change_reason or ""
    kind, _sep, number = reason.partition(":")
    if kind == "revert" and number:
        return _("Reverted to version %(number)s.") % {"number": number}
    if kind == "restore" and number:
        return _("Restored after deletion (version %(number)s).") % {"number": number}
    # Batch edits store their description untranslated (archive/admin_actions.py).
    return _(reason) if reason else ""


def changes_status_publication(obj, version) -> bool:
    """Whether reverting `obj` to `version` publishes or unpublishes it."""
    from .models import Status

    before = getattr(obj, "status", None)
    after = getattr(version, "status", None)
    if before is None or after is None:
        return False
    return (before == Status.PUBLISHED) != (after == Status.PUBLISHED)


# --- revert ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    obj: models.Model
    missing: list[str] = field(default_factory=list)
    media_restored: list[str] = field(default_factory=list)
    media_missing: list[str] = field(default_factory=list)


def revert(version) -> Outcome:
    """Make the record as it was in `version`: its fields (files aside) and relations.

    Raises ValidationError, writing nothing, when the result breaks a rule a save obeys.
    Relations to records deleted since are left out and named in `Outcome.missing`.
    """
    model = version.instance_type
    with transaction.atomic(), _one_version():
        obj = model._default_manager.select_for_update().get(pk=object_pk(version))
        for f in revert_fields(model):
            setattr(obj, f.attname, getattr(version, f.attname))
        obj._change_reason = REVERT_REASON % version.history_id
        obj.full_clean()
        obj.save()
        outcome = Outcome(obj)
        apply_relations(obj, version.history_relations or {}, outcome)
    return outcome


def _one_version():
    """A fresh channel context like the current one: the whole revert is one version."""
    scope = audit.current_scope()
    return audit.history_channel(scope.channel, scope.reference, scope.user)


def apply_relations(obj, relations: dict, outcome: Outcome) -> None:
    from curation.models import Collection, CollectionItem

    from .models import Item, ItemCreator, Place, Subject

    if not relations:
        return
    names = Names()

    def existing(model, pks: list) -> set:
        found = set(model._default_manager.filter(pk__in=pks).values_list("pk", flat=True))
        outcome.missing.extend(names.of(model, pk) for pk in pks if pk not in found)
        return found

    if isinstance(obj, Item):
        if "subjects" in relations:
            found = existing(Subject, relations["subjects"])
            obj.subjects.set([pk for pk in relations["subjects"] if pk in found])
        if "places" in relations:
            found = existing(Place, relations["places"])
            obj.places.set([pk for pk in relations["places"] if pk in found])
        if "related_items" in relations:
            wanted = [pk for pk in relations["related_items"] if pk != obj.pk]
            found = existing(Item, wanted)
            obj.related_items.set([pk for pk in wanted if pk in found])
        if "creators" in relations:
            from .models import Agent

            entries = relations["creators"]
            found = existing(Agent, [agent for agent, _role, _order in entries])
            wanted = {(a, role): order for a, role, order in entries if a in found}
            for creator in ItemCreator.objects.filter(item=obj):
                key = (creator.agent_id, creator.role)
                if key not in wanted:
                    creator.delete()
                    continue
                order = wanted.pop(key)
                if creator.order != order:
                    creator.order = order
                    creator.save()
            for (agent, role), order in wanted.items():
                ItemCreator.objects.create(item=obj, agent_id=agent, role=role, order=order)
        if "collections" in relations:
            entries = relations["collections"]
            found = existing(Collection, [c for c, _order in entries])
            _set_memberships(
                CollectionItem.objects.filter(item=obj),
                {c: order for c, order in entries if c in found},
                key="collection_id",
                make=lambda c, order: CollectionItem(item=obj, collection_id=c, order=order),
            )
    elif isinstance(obj, Collection) and "items" in relations:
        entries = relations["items"]
        found = existing(Item, [i for i, _order in entries])
        _set_memberships(
            CollectionItem.objects.filter(collection=obj),
            {i: order for i, order in entries if i in found},
            key="item_id",
            make=lambda i, order: CollectionItem(collection=obj, item_id=i, order=order),
        )


def _set_memberships(current, wanted: dict, *, key: str, make) -> None:
    """Memberships as `wanted` ({other pk: order}), each saved so its signals run."""
    wanted = dict(wanted)
    for membership in current:
        other = getattr(membership, key)
        if other not in wanted:
            membership.delete()
            continue
        order = wanted.pop(other)
        if membership.order != order:
            membership.order = order
            membership.save()
    for other, order in wanted.items():
        make(other, order).save()


# --- deleted items ---------------------------------------------------------------------------


def restore_cutoff() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=settings.KRONIKA_RESTORE_DAYS)


def deleted_items():
    """The deletion versions of items deleted within the restore period and not back since,
    newest first."""
    from .models import Item

    history = Item.history.model
    last = history.objects.values("id").annotate(last=Max("history_id")).values("last")
    return (
        history.objects.filter(history_id__in=last, history_type="-")
        .filter(history_date__gte=restore_cutoff())
        .exclude(id__in=Item.objects.values("pk"))
        .order_by("-history_date", "-history_id")
    )


def restore(version, *, publish: bool = True) -> Outcome:
    """Bring back a deleted item as it was when deleted: fields, relations, and the media
    files whose stored files still exist (a deletion removes files no other record uses).

    `publish=False` brings a published item back as a draft (for users who may not
    publish). Raises ValidationError, writing nothing, when the item cannot come back.
    """
    from media.models import MediaFile

    from .models import Item, Status

    if version.history_type != "-" or version.instance_type is not Item:
        raise ValidationError(_("This version is not the deletion of an item."))
    if Item.objects.filter(pk=version.id).exists():
        raise ValidationError(_("This item has already been restored."))
    if version.history_date < restore_cutoff():
        raise ValidationError(
            _("This item was deleted more than %(days)d days ago and can no longer be restored.")
            % {"days": settings.KRONIKA_RESTORE_DAYS}
        )
    with transaction.atomic(), _one_version():
        values = {f.attname: getattr(version, f.attname) for f in Item.history.model.tracked_fields}
        item = Item(**values)
        if not publish:
            item.status = Status.DRAFT
        item._change_reason = RESTORE_REASON % version.history_id
        # Checked as a new item (its key is free, there is no row to lock); its media are
        # checked below, once restored.
        item.pk = None
        item._media_checked = True
        item.full_clean()
        item.pk = version.id
        item.save(force_insert=True)
        # auto_now_add stamped a new date: the item keeps the one it was created with.
        Item.objects.filter(pk=item.pk).update(created=version.created)
        outcome = Outcome(item)
        apply_relations(item, version.history_relations or {}, outcome)
        storage = MediaFile._meta.get_field("file").storage
        # The media deleted with the item (the cascade, just before the item's own version).
        deleted_media = (
            MediaFile.history.filter(
                item_id=item.pk,
                history_type="-",
                history_date__lte=version.history_date,
                history_date__gte=version.history_date - MEDIA_DELETED_WITH_ITEM,
            )
            .exclude(id__in=MediaFile.objects.values("pk"))
            .order_by("order", "id")
        )
        for media_version in deleted_media:
            if media_version.file and storage.exists(media_version.file):
                media = MediaFile(
                    **{
                        f.attname: getattr(media_version, f.attname)
                        for f in MediaFile.history.model.tracked_fields
                    }
                )
                media.save(force_insert=True)
                outcome.media_restored.append(media.display_name)
            else:
                outcome.media_missing.append(
                    media_version.original_name or PurePosixPath(media_version.file or "").name
                )
        if item.status == Status.PUBLISHED:
            item.check_publishable()
    return outcome
