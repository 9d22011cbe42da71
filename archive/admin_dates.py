"""The admin's side of dates as archivists write them: the item form's date field takes EDTF
or a phrase and says how it was read, live (a staff-only JSON endpoint and a few lines of
JavaScript) and on every render of the form (so without JavaScript after save or errors);
named periods are edited here too."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .date_display import describe_date, describe_years
from .date_phrases import MAX_PHRASE_LENGTH, read_date
from .history import TranslatedHistoryMixin
from .models import NamedPeriod


def date_reading(text: str) -> dict:
    """How a typed date is read, for the form and the preview endpoint (one JSON shape):
    `ok`, `message` (the sentence shown), and when readable `edtf`, `years`, `words`,
    `date_start`, `date_end`, `as_written`."""
    text = " ".join((text or "").split())
    if not text:
        return {"ok": True, "message": "", "edtf": ""}
    try:
        reading = read_date(text)
    except ValidationError as exc:
        return {"ok": False, "message": " ".join(exc.messages)}
    start, end = reading.interval.start, reading.interval.end
    years = describe_years(start, end)
    words = describe_date(reading.edtf)
    if not reading.edtf:
        message = gettext("Read as: no date.")
    elif words in (years, reading.edtf):
        message = gettext("Read as: %(years)s (EDTF: %(edtf)s)") % {
            "years": years,
            "edtf": reading.edtf,
        }
    else:
        message = gettext("Read as: %(years)s, %(words)s (EDTF: %(edtf)s)") % {
            "years": years,
            "words": words,
            "edtf": reading.edtf,
        }
    return {
        "ok": True,
        "message": message,
        "edtf": reading.edtf,
        "as_written": reading.as_written,
        "years": years,
        "words": words,
        "date_start": start,
        "date_end": end,
    }


class DatePhraseWidget(forms.TextInput):
    """A text input followed by a live region saying how the date was read."""

    template_name = "archive/widgets/date_phrase.html"  # found by the form renderer

    class Media:
        js = ["js/date-preview.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        field_id = attrs.get("id", f"id_{name}")
        attrs["data-date-preview"] = reverse("admin:archive_item_date_preview")
        attrs["aria-describedby"] = f"{field_id}_helptext {field_id}_reading"
        context["widget"]["reading_id"] = f"{field_id}_reading"
        reading = date_reading(value or "")
        context["widget"]["reading"] = reading if reading["ok"] else {"ok": True, "message": ""}
        return context


class DatePhraseFormMixin(forms.Form):
    """Item form mixin: `date` takes EDTF or a phrase (the model reads it, Item.read_date) and
    opens with the phrase as it was written."""

    date = forms.CharField(
        label=capfirst(_("date")),
        max_length=MAX_PHRASE_LENGTH,
        required=False,
        widget=DatePhraseWidget(attrs={"class": "vTextField", "autocomplete": "off"}),
        help_text=_(
            "EDTF (1920~, 193X, 1942/1945) or as archivists write it: ok. 1920, 1920?, "
            "lata 30. XX w., I poł. XIX w., przełom XIX i XX w., 3 maja 1791, IX 1939, "
            "przed 1939, II wojna światowa, b.d. The form shows how the date was read."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and instance.date_as_written:
            self.initial["date"] = instance.date_as_written

    def clean_date(self) -> str:
        text = " ".join((self.cleaned_data.get("date") or "").split())
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and text and text == instance.date_as_written:
            # Unchanged: keep the date it was read as, even if a named period changed since.
            return instance.date
        return text


class DatePreviewAdminMixin:
    """ModelAdmin mixin: `date-preview/?q=…` answers how a date is read (staff only)."""

    def get_urls(self):
        preview = path(
            "date-preview/",
            self.admin_site.admin_view(self.date_preview_view),
            name="archive_item_date_preview",
        )
        return [preview, *super().get_urls()]

    def date_preview_view(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            return JsonResponse({"detail": gettext("You may not edit items.")}, status=403)
        return JsonResponse(date_reading(request.GET.get("q", "")[: MAX_PHRASE_LENGTH + 1]))


@admin.register(NamedPeriod)
class NamedPeriodAdmin(TranslatedHistoryMixin, admin.ModelAdmin):
    list_display = ["name", "name_en", "date", "years"]
    search_fields = ["name", "name_en", "aliases"]
    fields = [("name", "name_en"), "date", "aliases", "note"]

    @admin.display(description=_("years"))
    def years(self, obj: NamedPeriod) -> str:
        try:
            reading = read_date(obj.date)
        except ValidationError:
            return ""
        return describe_years(reading.interval.start, reading.interval.end)
