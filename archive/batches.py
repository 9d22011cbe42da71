"""Import batches: the record of every catalogue import, and its undo.

An import (admin page or `import_catalogue`) writes one `ImportBatch` and, per item it
created or updated, one `ImportBatchItem` holding the item's full state before the batch
(for updates) and a fingerprint of its state right after it. Undo restores the before-states
and removes the created items, but only when every item's state still matches the
fingerprint: an item changed since (in the admin, the API, another import, a media upload)
is later work, and the undo refuses, naming those items, instead of overwriting it.

"State" is everything of an item that an archivist can change: its own fields (except the
`modified` timestamp), subjects, places, related items, creators with role and order,
collection memberships with order, and its media files' descriptive fields.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archive.bulk import insert_rows
from archive.models import Agent, Item, ItemCreator, Place, Status, Subject

# Media fields an archivist or an import sets; the rest (size, kind, width, height) are
# computed from the file.
MEDIA_STATE_FIELDS = (
    "file",
    "original_name",
    "checksum",
    "alt_text",
    "alt_text_en",
    "long_description",
    "transcript",
    "captions",
    "caption",
    "caption_en",
    "credit",
    "order",
)
ITEM_STATE_EXCLUDED = {"id", "modified"}
# Vocabulary records an import may create, by import column.
TERM_MODELS = {"subjects": Subject, "places": Place, "creators": Agent}


class ImportBatch(models.Model):
    """One import of one file: who, when, what it did; undoable once."""

    class State(models.TextChoices):
        APPLIED = "applied", _("imported")
        UNDONE = "undone", _("undone")

    class Channel(models.TextChoices):
        ADMIN = "admin", _("admin")
        COMMAND = "command", _("command")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_batches",
        verbose_name=_("imported by"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    created = models.DateTimeField(_("imported at"), default=timezone.now, db_index=True)
    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("items created"), default=0)
    updated_count = models.PositiveIntegerField(_("items updated"), default=0)
    images = models.PositiveIntegerField(_("images"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    state = models.CharField(
        _("status"), max_length=20, choices=State, default=State.APPLIED, db_index=True
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"{self.file_name} ({timezone.localtime(self.created):%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("admin:archive_importbatch_change", args=[self.pk])

    @property
    def is_undone(self) -> bool:
        return self.state == self.State.UNDONE


class ImportBatchItem(models.Model):
    """One item an import batch created or updated, with what undo needs."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="entries", verbose_name=_("batch")
    )
    # Not a foreign key: the item may be deleted (by the undo itself, or by hand).
    item_id = models.IntegerField(_("item id"), db_index=True)
    identifier = models.CharField(_("identifier"), max_length=64)
    action = models.CharField(_("action"), max_length=20, choices=Action)
    before = models.JSONField(_("state before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after_fingerprint = models.CharField(_("fingerprint after"), max_length=64)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")

    def __str__(self) -> str:
        return self.identifier


# --- state ---------------------------------------------------------------------------------


def _item_state_fields() -> list[models.Field]:
    return [f for f in Item._meta.concrete_fields if f.name not in ITEM_STATE_EXCLUDED]


def item_states(pks: Iterable[int]) -> dict[int, dict]:
    """The state of each existing item among `pks`, as JSON-ready dicts (a few queries for
    any number of items)."""
    from curation.models import CollectionItem
    from media.models import MediaFile

    pks = list(dict.fromkeys(pks))
    if not pks:
        return {}
    attnames = [f.attname for f in _item_state_fields()]
    states: dict[int, dict] = {}
    for values in Item.objects.filter(pk__in=pks).order_by().values("pk", *attnames):
        pk = values.pop("pk")
        states[pk] = {
            "fields": {name: _jsonable(value) for name, value in values.items()},
            "subjects": [],
            "places": [],
            "related_items": [],
            "creators": [],
            "collections": [],
            "media": [],
        }
    present = list(states)

    def collect(key: str, rows: Iterable[tuple]) -> None:
        for item_id, *rest in rows:
            states[item_id][key].append(rest[0] if len(rest) == 1 else list(rest))

    collect(
        "subjects",
        Item.subjects.through.objects.filter(item_id__in=present).values_list(
            "item_id", "subject_id"
        ),
    )
    collect(
        "places",
        Item.places.through.objects.filter(item_id__in=present).values_list("item_id", "place_id"),
    )
    collect(
        "related_items",
        Item.related_items.through.objects.filter(from_item_id__in=present).values_list(
            "from_item_id", "to_item_id"
        ),
    )
    collect(
        "creators",
        ItemCreator.objects.filter(item_id__in=present)
        .order_by()
        .values_list("item_id", "agent_id", "role", "order"),
    )
    collect(
        "collections",
        CollectionItem.objects.filter(item_id__in=present)
        .order_by()
        .values_list("item_id", "collection_id", "order"),
    )
    for values in (
        MediaFile.objects.filter(item_id__in=present)
        .order_by()
        .values("item_id", "pk", *MEDIA_STATE_FIELDS)
    ):
        states[values.pop("item_id")]["media"].append(values)
    for state in states.values():
        for key in ("subjects", "places", "related_items", "creators", "collections"):
            state[key].sort()
        state["media"].sort(key=lambda m: m["pk"])
    return states


def written_state(fields: Mapping[str, object], relations: Mapping[str, list]) -> dict:
    """The state `item_states` reads of an item without media files, from the values just
    written (attname: value, as the database returns them) and its relations snapshot
    (`audit.item_relations`' shape): the importer fingerprints its new items without reading
    them back."""
    return {
        "fields": {name: _jsonable(fields[name]) for name in _item_state_attnames()},
        "subjects": sorted(relations["subjects"]),
        "places": sorted(relations["places"]),
        "related_items": sorted(relations["related_items"]),
        "creators": sorted(relations["creators"]),
        "collections": sorted(relations["collections"]),
        "media": [],
    }


@functools.cache
def _item_state_attnames() -> tuple[str, ...]:
    return tuple(f.attname for f in _item_state_fields())


_ENCODER = DjangoJSONEncoder()
_JSON_NATIVE = (str, int, float, bool, type(None))


def _jsonable(value):
    """A field value as it reads back from JSON (dates and times as DjangoJSONEncoder
    writes them), without a dumps/loads round trip per item."""
    return value if isinstance(value, _JSON_NATIVE) else _ENCODER.default(value)


def fingerprint(state: dict) -> str:
    """A short, stable digest of a state: equal exactly when the states are equal."""
    text = json.dumps(state, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def term_state(record) -> dict:
    values = {f.attname: f.value_from_object(record) for f in record._meta.concrete_fields}
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


# --- the one place a batch writes ------------------------------------------------------------


@contextmanager
def batch_transaction(*, user, channel: str) -> Iterator[None]:
    """The single transaction in which an import batch, or its undo, writes the catalogue.

    Everything a batch changes happens inside this block (the importer's write and
    `undo_batch()`), so a history or audit layer that must tag those changes with who made
    them and through which channel (`ImportBatch.Channel`: admin, command; "undo" for an
    undo; "rehearsal" for a dry run's rolled-back write) wraps this one function.
    """
    with transaction.atomic():
        yield


class BatchRecorder:
    """Collects, while an import writes, what its batch must remember for undo."""

    def __init__(self, batch: ImportBatch):
        self.batch = batch
        self.terms: dict[str, list[int]] = {}

    def before(self, pks: Iterable[int]) -> dict[int, dict]:
        """The states of existing items, read before the import changes them."""
        return item_states(pks)

    def after(
        self,
        created: list[tuple[int, str]],
        updated: list[tuple[int, str]],
        before: dict[int, dict],
        known: Mapping[int, dict] | None = None,
    ) -> None:
        """Record a written chunk: (pk, identifier) of created and updated items. `known`
        ({pk: state}, see `written_state`) spares reading back the items the writer knows."""
        known = known or {}
        after = dict(known)
        after.update(item_states(pk for pk, _identifier in created + updated if pk not in known))
        rows = [
            (pk, identifier, ImportBatchItem.Action.CREATED.value, None, fingerprint(after[pk]))
            for pk, identifier in created
        ]
        rows += [
            (
                pk,
                identifier,
                ImportBatchItem.Action.UPDATED.value,
                before[pk],
                fingerprint(after[pk]),
            )
            for pk, identifier in updated
        ]
        insert_rows(
            ImportBatchItem,
            ["item_id", "identifier", "action", "before", "after_fingerprint"],
            rows,
            constants={"batch_id": self.batch.pk},
        )

    def term_created(self, column: str, pk: int) -> None:
        self.terms.setdefault(column, []).append(pk)

    def finish(self, result) -> None:
        """Counts and report on the batch row, once every chunk is written."""
        batch = self.batch
        batch.rows = result.rows
        batch.created_count = result.created
        batch.updated_count = result.updated
        batch.images = result.images
        terms = []
        for column, pks in self.terms.items():
            model = TERM_MODELS.get(column)
            if model is None:
                continue  # collections carry curators' work; undo leaves them
            for record in model.objects.filter(pk__in=pks):
                terms.append(
                    {
                        "column": column,
                        "pk": record.pk,
                        "name": str(record),
                        "fingerprint": fingerprint(term_state(record)),
                    }
                )
        batch.report = {
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "images": result.images,
            "new_terms": terms,
            "new_collections": self.terms.get("collections", []),
        }
        batch.save()


# --- undo ----------------------------------------------------------------------------------


@dataclass
class UndoRefused(Exception):
    """Undo would overwrite later work (or was done already); nothing was changed."""

    message: str
    changed: list[ImportBatchItem] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


@dataclass
class UndoResult:
    removed: int = 0
    restored: int = 0
    terms_removed: int = 0


def changed_since(batch: ImportBatch) -> list[ImportBatchItem]:
    """The batch's items whose state is no longer what the batch left: later work."""
    entries = list(batch.entries.all())
    current = item_states(e.item_id for e in entries)
    changed = []
    for entry in entries:
        state = current.get(entry.item_id)
        if state is None:
            # A created item deleted since needs no removal; an updated one cannot be restored.
            if entry.action == ImportBatchItem.Action.UPDATED:
                changed.append(entry)
        elif fingerprint(state) != entry.after_fingerprint:
            changed.append(entry)
    return changed


def undo_batch(batch: ImportBatch, user) -> UndoResult:
    """Put the catalogue back as it was before `batch`, in one transaction, or refuse."""
    from archive import audit
    from interop import deletions
    from media.models import MediaFile
    from search.outbox import enqueue_items

    with (
        audit.history_channel(
            audit.Channel.IMPORT, reference=f"undo of batch {batch.pk}", user=user
        ),
        batch_transaction(user=user, channel="undo"),
    ):
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.is_undone:
            raise UndoRefused(str(_("This import has already been undone.")))
        # Lock the batch's items so nobody changes them between the check and the restore.
        pks = list(batch.entries.values_list("item_id", flat=True))
        list(Item.objects.filter(pk__in=pks).select_for_update().values_list("pk"))
        changed = changed_since(batch)
        if changed:
            raise UndoRefused(
                str(
                    _(
                        "The import was not undone: these items were changed after it, and "
                        "undoing it would overwrite that work."
                    )
                ),
                changed,
            )
        result = UndoResult()
        entries = list(batch.entries.all())
        created = [e.item_id for e in entries if e.action == ImportBatchItem.Action.CREATED]
        updated = [e for e in entries if e.action == ImportBatchItem.Action.UPDATED]
        if updated:
            after = {i.pk: i for i in Item.objects.filter(pk__in=[e.item_id for e in updated])}
            with audit.relations_recorded_by_caller():
                restored_media = _restore(updated)
            # The restore writes in bulk (no signals): one version per record it put back.
            audit.record_bulk(Item, list(Item.objects.filter(pk__in=after)), created=False)
            audit.record_bulk(MediaFile, restored_media, created=False)
            enqueue_items(e.item_id for e in updated)
            was_public = {pk for pk, item in after.items() if item.status == Status.PUBLISHED}
            restored_public = [
                e.identifier for e in updated if e.before["fields"]["status"] == Status.PUBLISHED
            ]
            deletions.withdraw(
                after[e.item_id]
                for e in updated
                if e.item_id in was_public and e.identifier not in restored_public
            )
            deletions.restore(restored_public)
            result.restored = len(updated)
        # Model deletes: the search outbox, OAI-PMH tombstones and stored files follow by signal.
        for item in Item.objects.filter(pk__in=created).order_by("pk"):
            item.delete()
            result.removed += 1
        result.terms_removed = _remove_unused_terms(batch.report.get("new_terms", []))
        batch.state = ImportBatch.State.UNDONE
        batch.undone_at = timezone.now()
        batch.undone_by = user if user is not None and user.pk else None
        batch.save(update_fields=["state", "undone_at", "undone_by"])
    return result


def _restore(entries: list[ImportBatchItem]) -> list:
    """Write each item's before-state back: fields, relations and media; returns the media
    files whose metadata it wrote back."""
    from curation.models import CollectionItem
    from media.models import MediaFile

    fields = _item_state_fields()
    now = timezone.now()
    items = []
    for entry in entries:
        values = entry.before["fields"]
        item = Item(pk=entry.item_id)
        for f in fields:
            setattr(item, f.attname, f.to_python(values[f.attname]))
        item.modified = now
        items.append(item)
    Item.objects.bulk_update(items, [f.name for f in fields] + ["modified"], batch_size=500)

    pks = [e.item_id for e in entries]
    Item.subjects.through.objects.filter(item_id__in=pks).delete()
    Item.subjects.through.objects.bulk_create(
        Item.subjects.through(item_id=e.item_id, subject_id=s)
        for e in entries
        for s in e.before["subjects"]
    )
    Item.places.through.objects.filter(item_id__in=pks).delete()
    Item.places.through.objects.bulk_create(
        Item.places.through(item_id=e.item_id, place_id=p)
        for e in entries
        for p in e.before["places"]
    )
    ItemCreator.objects.filter(item_id__in=pks).delete()
    ItemCreator.objects.bulk_create(
        ItemCreator(item_id=e.item_id, agent_id=agent, role=role, order=order)
        for e in entries
        for agent, role, order in e.before["creators"]
    )
    CollectionItem.objects.filter(item_id__in=pks).delete()
    CollectionItem.objects.bulk_create(
        CollectionItem(item_id=e.item_id, collection_id=collection, order=order)
        for e in entries
        for collection, order in e.before["collections"]
    )
    kept = {m["pk"]: m for e in entries for m in e.before["media"]}
    # Images the batch attached go (their files follow after commit, by signal).
    for media in MediaFile.objects.filter(item_id__in=pks).exclude(pk__in=kept):
        media.delete()
    for pk, values in kept.items():
        editable = {k: v for k, v in values.items() if k not in {"pk", "file", "checksum"}}
        MediaFile.objects.filter(pk=pk).update(**editable)
    return list(MediaFile.objects.filter(pk__in=kept))


def _remove_unused_terms(terms: list[dict]) -> int:
    """Subjects, places and people the batch created, unless used or edited since."""
    removed = 0
    for term in terms:
        model = TERM_MODELS[term["column"]]
        record = model.objects.filter(pk=term["pk"]).first()
        if record is None or fingerprint(term_state(record)) != term["fingerprint"]:
            continue
        if record.items.exists():
            continue
        record.delete()
        removed += 1
    return removed
