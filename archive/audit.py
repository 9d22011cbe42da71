"""Who changed what in the catalogue, when, and through which channel.

django-simple-history keeps a version (a row of a "historical" table) of every saved or
deleted item, media file, collection, vocabulary record and licence. Kronika adds to each
version the channel the change came through (admin, API, import, command, shell), a
reference (an import's file or batch, a command's name) and the user's name, and for items
and collections a snapshot of their relations (`history_relations`): the item's subjects,
places, creators (with role and order), collections and related items; the collection's
items. The snapshot makes a diff and a revert exact; simple-history's own m2m tracking
would write a version per `add()`, cannot follow the reverse side (an item's collections)
and knows no bulk writes.

The channel is a context: `history_channel("import", reference="batch 12")` around the
code that writes. Requests get theirs from `HistoryChannelMiddleware` (admin or API), and
commands from `RecordedCommand`; anything else is "shell". Inside one channel context (one
request, one command) the changes to one record make one version: the admin saves an item,
then its subjects, creators and collections; all of it is the version of that save.

Bulk writers (the importer) write no signals: they call `record_bulk()` once the rows and
their relations are written, and keep relation signals quiet meanwhile with
`relations_recorded_by_caller()`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import register as register_history
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from archive.bulk import insert_rows


class Channel(models.TextChoices):
    ADMIN = "admin", _("admin")
    API = "api", _("API")
    IMPORT = "import", _("import")
    COMMAND = "command", _("command")
    SHELL = "shell", _("shell")
    WEB = "web", _("website")


@dataclass
class Scope:
    """One channel context: its name, reference and the versions it has written so far."""

    channel: str
    reference: str = ""
    user: object = None
    # Changes inside one request or command make one version per record.
    coalesce: bool = True
    versions: dict[tuple[str, object], models.Model] = field(default_factory=dict)
    deleting: set[tuple[str, object]] = field(default_factory=set)
    relations_by_caller: bool = False
    paused: bool = False


_scope: ContextVar[Scope | None] = ContextVar("kronika_history_scope", default=None)


def current_scope() -> Scope:
    """The channel context in force; code outside any (a Python shell) is "shell"."""
    scope = _scope.get()
    if scope is None:
        scope = Scope(Channel.SHELL, coalesce=False)
        _scope.set(scope)
    return scope


@contextlib.contextmanager
def history_channel(name: str, reference: str | None = None, user=None) -> Iterator[Scope]:
    """Record every change made inside as coming through `name` (a `Channel` value), with
    an optional `reference` (an import batch, a file, a command) and `user` (for code that
    runs outside a request, e.g. `import_catalogue --user`)."""
    if name not in Channel.values:
        raise ValueError(f"unknown history channel {name!r}; one of {Channel.values}")
    outer = _scope.get()
    if user is None and outer is not None:
        user = outer.user
    token = _scope.set(Scope(name, (reference or "")[:200], user))
    try:
        yield _scope.get()
    finally:
        _scope.reset(token)


@contextlib.contextmanager
def relations_recorded_by_caller() -> Iterator[None]:
    """Inside: relation changes write no versions; the caller records them (`record_bulk`)."""
    scope = current_scope()
    before = scope.relations_by_caller
    scope.relations_by_caller = True
    try:
        yield
    finally:
        scope.relations_by_caller = before


@contextlib.contextmanager
def history_paused() -> Iterator[None]:
    """Inside: no versions at all (a backup's restore writes the versions it carries)."""
    scope = current_scope()
    before = scope.paused
    scope.paused = True
    try:
        yield
    finally:
        scope.paused = before


def history_enabled() -> bool:
    return getattr(settings, "SIMPLE_HISTORY_ENABLED", True) and not current_scope().paused


class HistoryChannelMiddleware:
    """Admin pages write as "admin", the API as "api"; also tells simple-history the request
    (for the user). One version per record per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        HistoricalRecords.context.request = request
        token = _scope.set(Scope(Channel.WEB))
        try:
            return self.get_response(request)
        finally:
            _scope.reset(token)
            with contextlib.suppress(AttributeError):
                del HistoricalRecords.context.request

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and "admin" in match.namespaces:
            _scope.get().channel = Channel.ADMIN
        elif request.path_info.startswith("/api/"):
            _scope.get().channel = Channel.API


class RecordedCommand(BaseCommand):
    """A management command whose changes are recorded as channel "command", with the
    command's name as the reference."""

    history_channel_name = Channel.COMMAND

    def execute(self, *args, **options):
        name = type(self).__module__.rsplit(".", 1)[-1]
        with history_channel(self.history_channel_name, reference=name):
            return super().execute(*args, **options)


# --- the historical models -------------------------------------------------------------------


class VersionRecord(models.Model):
    """Kronika's fields on every historical model (simple-history's `bases`)."""

    history_channel = models.CharField(
        _("channel"), max_length=20, choices=Channel, default=Channel.SHELL
    )
    history_reference = models.CharField(_("reference"), max_length=200, blank=True, default="")
    # Kept as written: the version still says who after the account is deleted.
    history_username = models.CharField(_("user name"), max_length=150, blank=True, default="")
    history_relations = models.JSONField(_("relations"), default=dict, blank=True)

    class Meta:
        abstract = True


VERSION_FIELD_NAMES = {
    "history_id": _("version"),
    "history_date": _("date and time"),
    "history_change_reason": _("reason"),
    "history_type": _("kind of change"),
    "history_user": _("user"),
}


class VersionedRecords(HistoricalRecords):
    """simple-history's records, with one version per record per channel context."""

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            _records[sender] = self
            # simple-history's own fields, named in the archivist's language.
            history = getattr(sender, self.manager_name).model
            for name, label in VERSION_FIELD_NAMES.items():
                history._meta.get_field(name).verbose_name = label

    def create_historical_record(self, instance, history_type, using=None):
        scope = current_scope()
        if scope.paused:
            return
        key = (instance._meta.label_lower, instance.pk)
        earlier = scope.versions.get(key) if scope.coalesce else None
        if earlier is not None and history_type == "~":
            for f in self.fields_included(instance):
                setattr(earlier, f.attname, getattr(instance, f.attname))
            earlier.history_relations = snapshot(instance)
            earlier.history_date = timezone.now()
            if _save_earlier(earlier):
                return
        super().create_historical_record(instance, history_type, using=using)


def _save_earlier(version) -> bool:
    """Update a version written earlier in this context; False if it is gone (its
    transaction was rolled back)."""
    fields = [f.attname for f in version._meta.concrete_fields if not f.primary_key]
    try:
        version.save(update_fields=fields)
    except DatabaseError:
        return False
    return True


_records: dict[type[models.Model], VersionedRecords] = {}
# Models whose versions carry relations: label_lower -> function(pks) -> {pk: relations}.
_relations: dict[str, object] = {}


def register(model: type[models.Model], relations=None) -> None:
    """Keep versions of `model`; `relations(pks)` gives the relations snapshot of each pk."""
    register_history(model, records_class=VersionedRecords, bases=[VersionRecord])
    if relations is not None:
        _relations[model._meta.label_lower] = relations


def versioned_models() -> list[type[models.Model]]:
    return list(_records)


def has_relations(model: type[models.Model]) -> bool:
    return model._meta.label_lower in _relations


def relations_of(model: type[models.Model], pks: Iterable) -> dict:
    function = _relations.get(model._meta.label_lower)
    pks = list(pks)
    if function is None or not pks:
        return {}
    return function(pks)


def snapshot(instance: models.Model) -> dict:
    """The relations of `instance` as they are now (or as they were before its deletion)."""
    kept = getattr(instance, "_history_relations", None)
    if kept is not None:
        return kept
    if instance.pk is None:
        return {}
    return relations_of(type(instance), [instance.pk]).get(instance.pk, {})


def _fill_version(sender, instance, history_instance, history_user=None, **kwargs) -> None:
    """Every version written through simple-history's signals gets Kronika's fields."""
    if not isinstance(history_instance, VersionRecord):
        return
    _stamp(history_instance, current_scope(), history_user)
    history_instance.history_relations = snapshot(instance)


def _stamp(version, scope: Scope, user) -> None:
    version.history_channel = scope.channel
    version.history_reference = scope.reference
    user = user or scope.user
    if user is not None and getattr(user, "pk", None) is not None:
        version.history_user_id = user.pk
        version.history_username = user.get_username()


def _remember_version(sender, instance, history_instance, **kwargs) -> None:
    scope = current_scope()
    if scope.coalesce and history_instance.history_type != "-":
        scope.versions[(instance._meta.label_lower, instance.pk)] = history_instance


def _request_user():
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def record_bulk(model: type[models.Model], objects: list, *, created: bool) -> None:
    """Versions of records written with bulk_create/bulk_update (no signals), with their
    relations as they are now: call after the relations are written."""
    if not history_enabled() or not objects:
        return
    history = model.history.model
    fields = [history._meta.get_field(f.attname) for f in history.tracked_fields]
    # As the version's own fields read them (a FileField's file as its name).
    rows = [[f.get_prep_value(getattr(obj, f.attname)) for f in fields] for obj in objects]
    record_written(model, [f.attname for f in fields], rows, created=created)


def record_written(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence],
    *,
    created: bool,
    relations: Mapping[object, dict] | None = None,
) -> None:
    """Versions of records a bulk writer wrote (no signals), from the values it wrote: each
    row holds the values of `columns`, the attnames of every field a version keeps (the pk
    among them). `relations` ({pk: snapshot}, as `relations_of` gives it) spares reading
    back relations the writer knows; without it they are read as they are now."""
    if not history_enabled() or not rows:
        return
    history = model.history.model
    tracked = {f.attname for f in history.tracked_fields}
    if set(columns) != tracked or len(columns) != len(tracked):
        raise ValueError(f"a version of {model._meta.label} keeps {sorted(tracked)}")
    scope = current_scope()
    user = scope.user or _request_user()
    user_pk = getattr(user, "pk", None) if user is not None else None
    constants = {
        "history_date": timezone.now(),
        "history_change_reason": None,
        "history_type": "+" if created else "~",
        "history_user_id": user_pk,
        "history_channel": scope.channel,
        "history_reference": scope.reference,
        "history_username": user.get_username() if user_pk is not None else "",
    }
    if has_relations(model):
        pk_at = list(columns).index(model._meta.pk.attname)
        if relations is None:
            relations = relations_of(model, [row[pk_at] for row in rows])
        rows = [(*row, relations.get(row[pk_at], {})) for row in rows]
        columns = [*columns, "history_relations"]
    else:
        constants["history_relations"] = {}
    insert_rows(history, columns, rows, constants)


# --- relations changed: a new version of the records whose relations they are -----------


def relations_changed(model: type[models.Model], pks: Iterable) -> None:
    """`model` records `pks` gained or lost a relation: their version says so."""
    if not history_enabled() or not has_relations(model):
        return
    scope = current_scope()
    if scope.relations_by_caller:
        return
    label = model._meta.label_lower
    for pk in dict.fromkeys(pks):
        if pk is None or (label, pk) in scope.deleting:
            continue
        relations = relations_of(model, [pk]).get(pk, {})
        earlier = scope.versions.get((label, pk)) if scope.coalesce else None
        if earlier is not None:
            earlier.history_relations = relations
            if _save_earlier(earlier):
                continue
            scope.versions.pop((label, pk), None)
        latest = model.history.filter(**{model._meta.pk.attname: pk}).first()
        if latest is not None and latest.history_relations == relations:
            continue  # the other half of one change (a membership and its m2m signal)
        obj = model._default_manager.filter(pk=pk).first()
        if obj is not None:
            obj._history_relations = relations
            _records[model].create_historical_record(obj, "~")


def _before_delete(sender, instance, **kwargs) -> None:
    """The deletion's version keeps the relations the cascade is about to remove; the
    records on the other side of those relations get a version after the delete."""
    from archive.models import Item

    if not history_enabled():
        return
    if has_relations(sender):
        instance._history_relations = snapshot(instance)
        current_scope().deleting.add((instance._meta.label_lower, instance.pk))
    if sender is Item:
        neighbours = instance._history_relations.get("related_items", [])
    elif sender in (_subject(), _place()):
        neighbours = list(instance.items.values_list("pk", flat=True))
    else:
        neighbours = []
    instance._history_neighbours = neighbours


def _after_delete(sender, instance, **kwargs) -> None:
    from archive.models import Item

    current_scope().deleting.discard((instance._meta.label_lower, instance.pk))
    relations_changed(Item, getattr(instance, "_history_neighbours", ()))


def _subject():
    from archive.models import Subject

    return Subject


def _place():
    from archive.models import Place

    return Place


def _m2m_changed(sender, instance, action, model, pk_set, **kwargs) -> None:
    """Subjects, places and related items of items (from either side), collections' items."""
    if action == "pre_clear":
        # A clear does not name the records that lose the relation: note them first.
        instance._history_cleared = _other_side(sender, instance, model)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    others = pk_set if pk_set is not None else getattr(instance, "_history_cleared", ())
    relations_changed(type(instance), [instance.pk])
    relations_changed(model, others)


def _other_side(sender, instance, model) -> list:
    links = [f for f in sender._meta.concrete_fields if f.is_relation]
    source = next(f for f in links if f.related_model is type(instance))
    target = next(f for f in reversed(links) if f.related_model is model and f is not source)
    return list(
        sender.objects.filter(**{source.attname: instance.pk}).values_list(
            target.attname, flat=True
        )
    )


def _part_changed(sender, instance, **kwargs) -> None:
    """An item's creator or collection membership was saved or deleted."""
    from archive.models import Item
    from curation.models import Collection

    relations_changed(Item, [instance.item_id])
    collection_id = getattr(instance, "collection_id", None)
    if collection_id is not None:
        relations_changed(Collection, [collection_id])


def connect() -> None:
    """Called from ArchiveConfig.ready(), once every app's models exist."""
    from archive.models import Item, ItemCreator, Place, Subject
    from curation.models import CollectionItem

    uid = "kronika_history"
    pre_create_historical_record.connect(_fill_version, dispatch_uid=f"{uid}_fill")
    post_create_historical_record.connect(_remember_version, dispatch_uid=f"{uid}_remember")
    for model in {*(m for m in _records if has_relations(m)), Subject, Place}:
        name = model._meta.label_lower
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"{uid}_pd_{name}")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}_d_{name}")
    for through in (Item.subjects.through, Item.places.through, Item.related_items.through):
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"{uid}_{through}")
    m2m_changed.connect(_m2m_changed, sender=CollectionItem, dispatch_uid=f"{uid}_ci_m2m")
    for model in (ItemCreator, CollectionItem):
        name = model._meta.label_lower
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"{uid}_s_{name}")
        post_delete.connect(_part_changed, sender=model, dispatch_uid=f"{uid}_x_{name}")


# --- the relations snapshots -----------------------------------------------------------------


def item_relations(pks: list) -> dict:
    """{item pk: {"subjects": [pk], "places": [pk], "related_items": [pk], "creators":
    [[agent, role, order]], "collections": [[collection, order]]}}, a few queries for any
    number of items."""
    from archive.models import Item, ItemCreator
    from curation.models import CollectionItem

    result = {
        pk: {"subjects": [], "places": [], "creators": [], "collections": [], "related_items": []}
        for pk in pks
    }
    for name, through, column, target in (
        ("subjects", Item.subjects.through, "item_id", "subject_id"),
        ("places", Item.places.through, "item_id", "place_id"),
        # Both directions: the m2m signal comes before Django writes the mirror row.
        ("related_items", Item.related_items.through, "from_item_id", "to_item_id"),
        ("related_items", Item.related_items.through, "to_item_id", "from_item_id"),
    ):
        rows = through.objects.filter(**{f"{column}__in": pks}).order_by(column, target)
        for item_id, other in rows.values_list(column, target):
            if other not in result[item_id][name]:
                result[item_id][name].append(other)
    for entry in result.values():
        entry["related_items"].sort()
    for item_id, agent, role, order in (
        ItemCreator.objects.filter(item_id__in=pks)
        .order_by("item_id", "order", "pk")
        .values_list("item_id", "agent_id", "role", "order")
    ):
        result[item_id]["creators"].append([agent, role, order])
    for item_id, collection, order in (
        CollectionItem.objects.filter(item_id__in=pks)
        .order_by("item_id", "collection_id")
        .values_list("item_id", "collection_id", "order")
    ):
        result[item_id]["collections"].append([collection, order])
    return result


def collection_relations(pks: list) -> dict:
    """{collection pk: {"items": [[item, order]]}} in the collection's order."""
    from curation.models import CollectionItem

    result = {pk: {"items": []} for pk in pks}
    for collection, item, order in (
        CollectionItem.objects.filter(collection_id__in=pks)
        .order_by("collection_id", "order", "pk")
        .values_list("collection_id", "item_id", "order")
    ):
        result[collection]["items"].append([item, order])
    return result
