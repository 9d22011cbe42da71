"""The admin's history of a record, readable in the archivist's language.

Django stores a change message as JSON and translates it when the history page is shown,
but it stores the changed fields by their form labels ("Title", capitalised), which are no
msgids of the catalogue, so a Polish history read "Zmodyfikowano Title i …". Here a model
field is stored by its verbose name as written in the model ("title"), which the catalogue
translates ("Zmodyfikowano tytuł i …"). Bulk actions write one entry per record the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import override as translation_override


def field_msgids(form, names: Iterable[str]) -> list[str]:
    """The untranslated verbose names of the form's fields (the label for form-only ones)."""
    model = form._meta.model
    msgids = []
    with translation_override(None):
        for name in names:
            try:
                msgids.append(str(model._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:
                field = form.fields.get(name)
                msgids.append(str(field.label) if field is not None and field.label else name)
    return msgids


def change_message(form, formsets, add: bool) -> list[dict]:
    """Django's change message structure (admin.utils.construct_change_message), with the
    fields named by msgids that the history page can translate."""
    message: list[dict] = []
    if add:
        message.append({"added": {}})
    elif form.changed_data:
        message.append({"changed": {"fields": field_msgids(form, form.changed_data)}})
    with translation_override(None):
        for formset in formsets or []:
            for obj in formset.new_objects:
                message.append({"added": _described(obj)})
            for obj, fields in formset.changed_objects:
                described = _described(obj)
                described["fields"] = field_msgids(formset.forms[0], fields)
                message.append({"changed": described})
            for obj in formset.deleted_objects:
                message.append({"deleted": _described(obj)})
    return message


def _described(obj) -> dict:
    return {"name": str(obj._meta.verbose_name), "object": str(obj)}


class TranslatedHistoryMixin:
    """ModelAdmin mixin: history entries name changed fields in the reader's language."""

    def construct_change_message(self, request, form, formsets, add=False):
        return change_message(form, formsets, add)


def log_bulk_change(
    user, objects: Iterable, description: str = "", message: list[dict] | None = None
) -> None:
    """One history entry per record changed by a bulk action.

    `description` is an untranslated msgid (mark it with gettext_noop): it is stored as the
    changed "field" of Django's JSON message, so the history page shows it translated:
    "Changed status: published (bulk action)." / "Zmodyfikowano status: …". A `message` in
    Django's structure (e.g. `[{"added": {"name": "subject", "object": "Kościoły"}}]`) is
    stored instead when given.
    """
    objects = list(objects)
    if not objects:
        return
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=objects,
        action_flag=CHANGE,
        change_message=message or [{"changed": {"fields": [description]}}],
    )
