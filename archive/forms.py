"""Forms of the catalogue's admin."""

import hashlib
import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .admin_dates import DatePhraseFormMixin
from .models import Item


class ItemAdminForm(DatePhraseFormMixin, forms.ModelForm):
    """The item form of the admin.

    When the media inline is on the page, the alt-text rule is checked by the inline's
    formset, against the images as they will be after this save (new uploads, edited and
    deleted ones). The item's own `clean()` would check the images still in the database,
    which would refuse "add alt-text and publish" in one save, so it is told to skip that.

    `version` remembers which version of the item the form was opened on; a save based on
    a version someone else has replaced since is refused, naming the fields they changed,
    instead of silently undoing their work.
    """

    # Set by ItemAdmin.get_form() when the media inline takes over the check.
    media_checked_by_inline = False

    version = forms.CharField(widget=forms.HiddenInput, required=False)

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
        if self.instance.pk:
            self.fields["version"].initial = json.dumps(self.version_of(self.instance))

    @classmethod
    def version_of(cls, item: Item) -> dict:
        """When the item was last saved, and a short fingerprint of each field's value."""
        fingerprints = {}
        for name in ItemAdminForm.Meta.fields:
            field = Item._meta.get_field(name)
            if field.many_to_many:
                value = sorted(getattr(item, name).values_list("pk", flat=True))
            else:
                value = field.value_from_object(item)
            fingerprints[name] = hashlib.sha256(repr(value).encode()).hexdigest()[:12]
        return {"modified": item.modified.isoformat(), "fields": fingerprints}

    def clean(self):
        cleaned_data = super().clean()
        sent = cleaned_data.get("version")
        if self.instance.pk and sent:
            try:
                opened = json.loads(sent)
                opened_at = opened["modified"]
                opened_fields = dict(opened["fields"])
            except (ValueError, KeyError, TypeError):
                opened_at, opened_fields = None, {}
            # Read under the lock this save holds until it commits (Item.objects.for_write).
            current = Item.objects.for_write(self.instance.pk)
            if opened_at != current.modified.isoformat():
                now = self.version_of(current)["fields"]
                changed = [
                    str(Item._meta.get_field(name).verbose_name)
                    for name, fingerprint in now.items()
                    if opened_fields.get(name) != fingerprint
                ]
                raise ValidationError(
                    _(
                        "Someone else changed this item since you opened it (saved at "
                        "%(time)s), so your changes were not saved. Open the item again to "
                        "see the current version, then make your changes again. Changed "
                        "since you opened it: %(fields)s."
                    )
                    % {
                        "time": formats.date_format(
                            timezone.localtime(current.modified), "DATETIME_FORMAT"
                        ),
                        "fields": ", ".join(changed) or _("media, creators or collections"),
                    },
                    code="stale",
                )
        return cleaned_data
