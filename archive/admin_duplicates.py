"""The item form warns, after saving, about probable duplicates (archive/duplicates.py)."""

from __future__ import annotations

from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from .duplicates import Duplicate, duplicates_of


def duplicates_warning(duplicates: list[Duplicate]) -> str:
    """The warning's HTML: each probable duplicate linked to its page in the admin, and why."""
    reasons = {
        frozenset({"title"}): _("same title and date"),
        frozenset({"image"}): _("same image file"),
        frozenset({"title", "image"}): _("same title, date and image file"),
    }
    links = format_html_join(
        ", ",
        '<a href="{}">{}: {}</a> ({})',
        (
            (
                reverse("admin:archive_item_change", args=[d.pk]),
                d.identifier,
                d.title,
                reasons[frozenset(d.reasons)],
            )
            for d in duplicates
        ),
    )
    return format_html(
        "{} {}",
        _("This item may be a duplicate of:"),
        links,
    )


class DuplicateWarningMixin:
    """ItemAdmin mixin: a warning (never a refusal) naming probable duplicates after a save,
    once the media (and so their checksums) are saved too."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        duplicates = duplicates_of(form.instance)
        if duplicates:
            self.message_user(request, duplicates_warning(duplicates), messages.WARNING)
