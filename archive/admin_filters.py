"""List filters of the items list that the admin's desk links to (archive/desk.py)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import desk


class NeedsAttentionFilter(admin.SimpleListFilter):
    """Items in one of the desk's queues: something missing, inaccessible media, or changed
    by someone else lately. Each choice is the rule the desk counts with."""

    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [
            *((name, label) for name, (label, _rule) in desk.ATTENTION.items()),
            (desk.ACCESSIBILITY, _("media failing the accessibility checks")),
            (
                desk.CHANGED_BY_OTHERS,
                _("changed by others in the last %(days)d days") % {"days": desk.RECENT_DAYS},
            ),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value in desk.ATTENTION:
            return queryset.filter(desk.attention_rule(value))
        if value == desk.ACCESSIBILITY:
            return queryset.filter(pk__in=desk.items_failing_accessibility(queryset))
        if value == desk.CHANGED_BY_OTHERS:
            return queryset.filter(pk__in=desk.items_changed_by_others(request.user))
        return queryset
