"""Two archivists editing one record: the admin refuses a save over a newer version.

`VersionedAdminMixin` gives a change form the hidden `version` field of
`archive.forms.VersionedFormMixin` (a default form is wrapped in it; a custom one inherits
it) and puts the field on the page. Items, collections, lessons, stories and the
vocabularies use it.
"""

from django.contrib.admin.utils import flatten_fieldsets

from .forms import VersionedFormMixin


class VersionedAdminMixin:
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = kwargs.get("form", self.form)
        if not issubclass(form, VersionedFormMixin):
            kwargs["form"] = type(form.__name__, (VersionedFormMixin, form), {})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or "version" in flatten_fieldsets(fieldsets):
            return fieldsets
        *head, (name, options) = fieldsets
        return [*head, (name, {**options, "fields": [*options["fields"], "version"]})]
