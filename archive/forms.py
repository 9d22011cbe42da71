"""Forms of the catalogue's admin."""

import hashlib
import json

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .admin_dates import DatePhraseFormMixin
from .models import Item


class VersionedFormMixin:
    """A change form that refuses to save over a version someone else has saved since.

    The hidden `version` field remembers the version the form was opened on: when the
    record was last saved (models with `modified`) and a short fingerprint of each of the
    form's fields. On save the record is read again under the lock the save holds
    (`lock_for_write`), and if it changed, the save is refused naming the fields that
    differ, instead of silently undoing the other person's work. A post without `version`
    (a script, an old page) is accepted as before.
    """

    # Collected by the forms' metaclass like a field declared on the form itself.
    declared_fields = {"version": forms.CharField(widget=forms.HiddenInput, required=False)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = json.dumps(self.version_of(self.instance))

    def versioned_fields(self) -> list:
        """The model fields this form edits (the fingerprinted ones)."""
        model = self._meta.model
        names = {f.name: f for f in model._meta.get_fields() if f.concrete or f.many_to_many}
        return [names[name] for name in self.fields if name in names and names[name].editable]

    def version_of(self, obj) -> dict:
        """When the record was last saved, and a short fingerprint of each field's value."""
        fingerprints = {}
        for field in self.versioned_fields():
            if field.many_to_many:
                value = sorted(getattr(obj, field.name).values_list("pk", flat=True))
            else:
                value = field.value_from_object(obj)
            fingerprints[field.name] = hashlib.sha256(repr(value).encode()).hexdigest()[:12]
        modified = getattr(obj, "modified", None)
        return {"modified": modified.isoformat() if modified else None, "fields": fingerprints}

    def lock_for_write(self):
        """The record as committed now, kept so until the admin's save transaction ends
        (PostgreSQL: SELECT … FOR UPDATE; SQLite's write transaction is the lock)."""
        records = type(self.instance)._default_manager
        if connection.in_atomic_block:
            records = records.select_for_update(of=("self",))
        return records.get(pk=self.instance.pk)

    def clean(self):
        cleaned_data = super().clean()
        sent = cleaned_data.get("version")
        if self.instance.pk and sent:
            try:
                opened = json.loads(sent)
                opened_at = opened["modified"]
                opened_fields = dict(opened["fields"])
            except (ValueError, KeyError, TypeError):
                opened_at, opened_fields = "?", {}
            current = self.lock_for_write()
            now = self.version_of(current)
            if opened_at != now["modified"] or opened_fields != now["fields"]:
                changed = [
                    str(field.verbose_name)
                    for field in self.versioned_fields()
                    if opened_fields.get(field.name) != now["fields"][field.name]
                ]
                raise ValidationError(self.stale_message(current, changed), code="stale")
        return cleaned_data

    def stale_message(self, current, changed: list[str]) -> str:
        fields = ", ".join(changed) or _("the rows below the form")
        modified = getattr(current, "modified", None)
        if modified is None:
            return _(
                "Someone else changed this record since you opened it, so your changes were "
                "not saved. Open it again to see the current version, then make your changes "
                "again. Changed since you opened it: %(fields)s."
            ) % {"fields": fields}
        return _(
            "Someone else changed this record since you opened it (saved at %(time)s), so "
            "your changes were not saved. Open it again to see the current version, then "
            "make your changes again. Changed since you opened it: %(fields)s."
        ) % {"time": local_time(modified), "fields": fields}


def local_time(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


class VersionedModelForm(VersionedFormMixin, forms.ModelForm):
    """The default change form of the admins whose records archivists edit side by side."""


class ItemAdminForm(VersionedFormMixin, DatePhraseFormMixin, forms.ModelForm):
    """The item form of the admin.

    When the media inline is on the page, the alt-text rule is checked by the inline's
    formset, against the images as they will be after this save (new uploads, edited and
    deleted ones). The item's own `clean()` would check the images still in the database,
    which would refuse "add alt-text and publish" in one save, so it is told to skip that.

    `version` (VersionedFormMixin) refuses a save based on a version someone else has
    replaced since; the item's lock is `Item.objects.for_write`.
    """

    # Set by ItemAdmin.get_form() when the media inline takes over the check.
    media_checked_by_inline = False

    class Meta:
        model = Item
        fields = [
            "identifier",
            "item_type",
            "title",
            "title_en",
            "description",
            "description_en",
            "date",
            "licence",
            "rights_holder",
            "source",
            "subjects",
            "places",
            "related_items",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.media_checked_by_inline:
            self.instance._media_checked = True

    def lock_for_write(self) -> Item:
        return Item.objects.for_write(self.instance.pk)

    def stale_message(self, current: Item, changed: list[str]) -> str:
        return _(
            "Someone else changed this item since you opened it (saved at "
            "%(time)s), so your changes were not saved. Open the item again to "
            "see the current version, then make your changes again. Changed "
            "since you opened it: %(fields)s."
        ) % {
            "time": local_time(current.modified),
            "fields": ", ".join(changed) or _("media, creators or collections"),
        }
