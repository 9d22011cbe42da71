"""Batch edits of the items list: add or remove a subject, place, person or collection, set
the licence or the rights holder, on every selected item at once.

Each action asks first (a confirmation page naming the items and the term, Django's
intermediate-page pattern), then changes all the items in one transaction: if anything
fails on the way, nothing is changed. An item is refused, and named with the reason, when
the archivist may not change it or when the item as changed would not pass the catalogue's
rules (`Item.full_clean()`, the same check as the item form); the others are changed.

Changes go through model methods and relation managers (`item.subjects.add`, `save()`), so
the signals see them: the search outbox (search/signals.py), and `modified` moves on, which
is the item's OAI-PMH datestamp. Every changed item gets a history entry
(`archive.history.log_bulk_change`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.utils.translation import override as translation_override

from curation.models import Collection, CollectionItem

from .history import log_bulk_change
from .models import Agent, Item, ItemCreator, Licence, Place, Subject

logger = logging.getLogger(__name__)

FORM_PREFIX = "batch"
CONFIRMED = "batch_confirmed"
# The confirmation page names this many items, then says how many more there are.
LISTED_ITEMS = 50


@dataclass
class Outcome:
    """What a batch action did, item by item."""

    changed: list[Item] = field(default_factory=list)
    unchanged: list[Item] = field(default_factory=list)
    refused: list[tuple[Item, str]] = field(default_factory=list)


class Unchanged(Exception):
    """The item already is as the action would make it."""


# --- the forms of the confirmation page ------------------------------------------------------


def _term_field(model, source_field, admin_site, label) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=model.objects.all(),
        label=label,
        widget=AutocompleteSelect(source_field, admin_site),
    )


def subject_form(admin_site) -> type[forms.Form]:
    return type(
        "SubjectForm",
        (forms.Form,),
        {
            "term": _term_field(
                Subject, Item._meta.get_field("subjects"), admin_site, capfirst(_("subject"))
            )
        },
    )


def place_form(admin_site) -> type[forms.Form]:
    return type(
        "PlaceForm",
        (forms.Form,),
        {
            "term": _term_field(
                Place, Item._meta.get_field("places"), admin_site, capfirst(_("place"))
            )
        },
    )


def collection_form(admin_site) -> type[forms.Form]:
    source = CollectionItem._meta.get_field("collection")
    return type(
        "CollectionForm",
        (forms.Form,),
        {"term": _term_field(Collection, source, admin_site, capfirst(_("collection")))},
    )


def creator_form(admin_site, any_role: bool = False) -> type[forms.Form]:
    roles = list(ItemCreator.Role.choices)
    if any_role:
        roles = [("", _("any role")), *roles]
    return type(
        "CreatorForm",
        (forms.Form,),
        {
            "term": _term_field(
                Agent,
                Item._meta.get_field("creators"),
                admin_site,
                capfirst(_("person or organisation")),
            ),
            "role": forms.ChoiceField(
                label=capfirst(_("role")),
                choices=roles,
                required=not any_role,
                initial="" if any_role else ItemCreator.Role.CREATOR,
            ),
        },
    )


def licence_form(admin_site) -> type[forms.Form]:
    return type(
        "LicenceForm",
        (forms.Form,),
        {
            "term": forms.ModelChoiceField(
                queryset=Licence.objects.all(), label=capfirst(_("licence"))
            )
        },
    )


def rights_holder_form(admin_site) -> type[forms.Form]:
    return type(
        "RightsHolderForm",
        (forms.Form,),
        {
            "term": forms.CharField(
                label=capfirst(_("rights holder")),
                max_length=Item._meta.get_field("rights_holder").max_length,
                required=False,
                help_text=_("Leave empty to remove the rights holder from the items."),
            )
        },
    )


# --- what each action does to one item -------------------------------------------------------
# Each returns (fields of the item to save, history message) or raises Unchanged. Relation
# changes are written at once (inside the action's transaction); field changes are set on
# the item and saved by the caller after the item passed full_clean().


def _verbose(model) -> str:
    with translation_override(None):
        return str(model._meta.verbose_name)


def _relation_adder(attribute: str, model):
    def apply(item: Item, data: dict):
        term = data["term"]
        related = getattr(item, attribute)
        if related.filter(pk=term.pk).exists():
            raise Unchanged
        return [], lambda: related.add(term), [{"added": _described(model, term)}]

    return apply


def _relation_remover(attribute: str, model):
    def apply(item: Item, data: dict):
        term = data["term"]
        related = getattr(item, attribute)
        if not related.filter(pk=term.pk).exists():
            raise Unchanged
        return [], lambda: related.remove(term), [{"deleted": _described(model, term)}]

    return apply


def _described(model, obj) -> dict:
    return {"name": _verbose(model), "object": str(obj)}


def add_to_collection(item: Item, data: dict):
    collection = data["term"]
    if CollectionItem.objects.filter(collection=collection, item=item).exists():
        raise Unchanged

    def write():
        last = (
            CollectionItem.objects.filter(collection=collection)
            .order_by("-order")
            .values_list("order", flat=True)
            .first()
        )
        CollectionItem.objects.create(
            collection=collection, item=item, order=0 if last is None else last + 1
        )

    return [], write, [{"added": _described(Collection, collection)}]


def remove_from_collection(item: Item, data: dict):
    collection = data["term"]
    memberships = CollectionItem.objects.filter(collection=collection, item=item)
    if not memberships.exists():
        raise Unchanged

    def write():
        for membership in memberships:
            membership.delete()  # one by one: post_delete reaches the search outbox

    return [], write, [{"deleted": _described(Collection, collection)}]


def _creator_repr(agent: Agent, role: str) -> str:
    with translation_override(None):
        return f"{agent} ({ItemCreator.Role(role).label})"


def add_creator(item: Item, data: dict):
    agent, role = data["term"], data["role"]
    if ItemCreator.objects.filter(item=item, agent=agent, role=role).exists():
        raise Unchanged

    def write():
        last = item.item_creators.order_by("-order").values_list("order", flat=True).first()
        ItemCreator.objects.create(
            item=item, agent=agent, role=role, order=0 if last is None else last + 1
        )

    message = [{"added": {"name": _verbose(ItemCreator), "object": _creator_repr(agent, role)}}]
    return [], write, message


def remove_creator(item: Item, data: dict):
    agent, role = data["term"], data.get("role") or ""
    links = ItemCreator.objects.filter(item=item, agent=agent)
    if role:
        links = links.filter(role=role)
    links = list(links)
    if not links:
        raise Unchanged

    def write():
        for link in links:
            link.delete()  # one by one: post_delete reaches the search outbox

    message = [
        {"deleted": {"name": _verbose(ItemCreator), "object": _creator_repr(agent, link.role)}}
        for link in links
    ]
    return [], write, message


def set_licence(item: Item, data: dict):
    licence = data["term"]
    if item.licence_id == licence.pk:
        raise Unchanged
    item.licence = licence
    return ["licence"], None, [{"changed": {"fields": [_field_msgid("licence")]}}]


def set_rights_holder(item: Item, data: dict):
    holder = (data["term"] or "").strip()
    if item.rights_holder == holder:
        raise Unchanged
    item.rights_holder = holder
    return ["rights_holder"], None, [{"changed": {"fields": [_field_msgid("rights_holder")]}}]


def _field_msgid(name: str) -> str:
    with translation_override(None):
        return str(Item._meta.get_field(name).verbose_name)


# --- the actions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchEdit:
    """One batch action: its name, its label in the actions menu, its form and its change."""

    name: str
    description: str
    form: Callable[..., type[forms.Form]]
    apply: Callable
    help: str = ""


BATCH_EDITS = [
    BatchEdit(
        "add_subject",
        _("Add a subject to the selected items"),
        subject_form,
        _relation_adder("subjects", Subject),
    ),
    BatchEdit(
        "remove_subject",
        _("Remove a subject from the selected items"),
        subject_form,
        _relation_remover("subjects", Subject),
    ),
    BatchEdit(
        "add_place",
        _("Add a place to the selected items"),
        place_form,
        _relation_adder("places", Place),
    ),
    BatchEdit(
        "remove_place",
        _("Remove a place from the selected items"),
        place_form,
        _relation_remover("places", Place),
    ),
    BatchEdit(
        "add_creator",
        _("Add a person or organisation to the selected items"),
        creator_form,
        add_creator,
    ),
    BatchEdit(
        "remove_creator",
        _("Remove a person or organisation from the selected items"),
        lambda site: creator_form(site, any_role=True),
        remove_creator,
        _("With “any role”, every role of the person on the item is removed."),
    ),
    BatchEdit(
        "add_to_collection",
        _("Add the selected items to a collection"),
        collection_form,
        add_to_collection,
    ),
    BatchEdit(
        "remove_from_collection",
        _("Remove the selected items from a collection"),
        collection_form,
        remove_from_collection,
    ),
    BatchEdit("set_licence", _("Set the licence of the selected items"), licence_form, set_licence),
    BatchEdit(
        "set_rights_holder",
        _("Set the rights holder of the selected items"),
        rights_holder_form,
        set_rights_holder,
    ),
]


def apply_batch_edit(edit: BatchEdit, items, data: dict, user, may_change) -> Outcome:
    """Apply one batch edit to `items` in one transaction; raises DatabaseError (and changes
    nothing) if a write fails. `may_change(item)` says whether the user may change it."""
    outcome = Outcome()
    with transaction.atomic():
        for item in items:
            if not may_change(item):
                outcome.refused.append((item, str(_("you may not change this item."))))
                continue
            try:
                fields, write, message = edit.apply(item, data)
            except Unchanged:
                outcome.unchanged.append(item)
                continue
            try:
                item.full_clean()
            except ValidationError as exc:
                item.refresh_from_db()
                outcome.refused.append((item, " ".join(exc.messages)))
                continue
            if write is not None:
                write()
            # `modified` moves on (OAI-PMH datestamp) and post_save reaches the outbox (and
            # django-simple-history, which reads `_change_reason`, once it is installed).
            with translation_override(None):
                item._change_reason = f"{edit.description} (bulk action)"
            item.save(update_fields=[*fields, "modified"])
            log_bulk_change(user, [item], message=message)
            outcome.changed.append(item)
    return outcome


def _report(model_admin, request, outcome: Outcome) -> None:
    for item, reason in outcome.refused:
        model_admin.message_user(
            request,
            _("%(identifier)s was not changed: %(reason)s")
            % {"identifier": item.identifier, "reason": reason},
            messages.ERROR,
        )
    if outcome.changed:
        count = len(outcome.changed)
        model_admin.message_user(
            request,
            ngettext("%(count)d item was changed.", "%(count)d items were changed.", count)
            % {"count": count},
            messages.SUCCESS,
        )
    if outcome.unchanged:
        count = len(outcome.unchanged)
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d item already was as asked and was left alone.",
                "%(count)d items already were as asked and were left alone.",
                count,
            )
            % {"count": count},
            messages.INFO,
        )


def run_batch_edit(edit: BatchEdit, model_admin, request, queryset):
    """The admin action: the confirmation page, then the change and its report."""
    form_class = edit.form(model_admin.admin_site)
    items = list(queryset.order_by("identifier"))
    if request.POST.get(CONFIRMED):
        form = form_class(request.POST, prefix=FORM_PREFIX)
        if form.is_valid():
            try:
                outcome = apply_batch_edit(
                    edit,
                    items,
                    form.cleaned_data,
                    request.user,
                    lambda item: model_admin.has_change_permission(request, item),
                )
            except DatabaseError:
                logger.exception("Batch action %s failed; nothing was changed", edit.name)
                model_admin.message_user(
                    request,
                    _("The change could not be saved, so no item was changed. Try again."),
                    messages.ERROR,
                )
                return None
            _report(model_admin, request, outcome)
            return None  # back to the items list
    else:
        form = form_class(prefix=FORM_PREFIX)
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": edit.description,
        "subtitle": None,
        "opts": opts,
        "edit": edit,
        "form": form,
        "media": model_admin.media + form.media,
        "items": items[:LISTED_ITEMS],
        "more": max(0, len(items) - LISTED_ITEMS),
        "count": len(items),
        # "Select all N items" of a filtered list is sent on as such (the list's address
        # keeps the filter), not as N fields: a request carries at most a few thousand.
        "select_across": request.POST.get("select_across") == "1",
        "selected": [item.pk for item in items[:1]]
        if request.POST.get("select_across") == "1"
        else [item.pk for item in items],
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        "confirmed_name": CONFIRMED,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/archive/item/batch_edit.html", context)


def _action(edit: BatchEdit):
    def action(model_admin, request, queryset):
        return run_batch_edit(edit, model_admin, request, queryset)

    action.__name__ = f"batch_{edit.name}"
    return admin.action(description=edit.description, permissions=["change"])(action)


# ItemAdmin.actions lists these after its own.
BATCH_ACTIONS = [_action(edit) for edit in BATCH_EDITS]
