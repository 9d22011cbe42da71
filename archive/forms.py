"""Forms of the catalogue's admin."""

from django import forms

from .models import Item


class ItemAdminForm(forms.ModelForm):
    """The item form of the admin.

    When the media inline is on the page, the alt-text rule is checked by the inline's
    formset, against the images as they will be after this save (new uploads, edited and
    deleted ones). The item's own `clean()` would check the images still in the database,
    which would refuse "add alt-text and publish" in one save, so it is told to skip that.
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
