"""The moderation queue: new, approved and rejected contributions, with approve/reject (a
note each), edits before approving, and a photo turned into a draft item."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .drafts import make_draft_item
from .models import Contribution

MODERATE = "contributions.moderate_contribution"


class ContributionAdminForm(forms.ModelForm):
    class Meta:
        model = Contribution
        fields = ["kind", "text", "name", "state", "moderator_note"]

    def clean_state(self):
        state = self.cleaned_data["state"]
        if (
            state == Contribution.State.APPROVED
            and self.initial.get("state") != Contribution.State.APPROVED
            and not self.user.has_perm(MODERATE)
        ):
            raise ValidationError(
                _("Only an editor may approve a contribution (it becomes public)."),
                code="not_allowed",
            )
        return state


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    form = ContributionAdminForm
    list_display = ["created", "item_link", "kind", "state", "shown_name", "has_photo"]
    list_filter = ["state", "kind"]
    list_select_related = ["item"]
    search_fields = ["text", "name", "item__identifier", "item__title"]
    date_hierarchy = "created"
    actions = ["approve", "reject", "draft_from_photo"]
    readonly_fields = [
        "item_link",
        "email",
        "photo_preview",
        "draft_item_link",
        "created",
        "consent_at",
        "moderated_by",
        "moderated_at",
    ]
    fieldsets = [
        (None, {"fields": ["item_link", "kind", "text", "name", "email", "photo_preview"]}),
        (_("Moderation"), {"fields": ["state", "moderator_note", "draft_item_link"]}),
        (_("Record"), {"fields": ["created", "consent_at", "moderated_by", "moderated_at"]}),
    ]

    def has_add_permission(self, request):
        return False  # residents send them; archivists moderate

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        if "state" in form.changed_data:
            obj.moderate(obj.state, request.user)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("item"), ordering="item__identifier")
    def item_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.item.get_absolute_url(), obj.item.identifier)

    @admin.display(description=_("name to show"))
    def shown_name(self, obj):
        return obj.display_name

    @admin.display(description=_("photo"), boolean=True)
    def has_photo(self, obj):
        return bool(obj.photo)

    @admin.display(description=_("photo"))
    def photo_preview(self, obj):
        if not obj.photo:
            return "–"
        url = reverse("contributions:photo", args=[obj.pk])
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" class="contribution-photo"></a>',
            url,
            url,
            _("The photograph sent with this contribution"),
        )

    @admin.display(description=_("draft item made from the photo"))
    def draft_item_link(self, obj):
        if not obj.draft_item_id:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:archive_item_change", args=[obj.draft_item_id]),
            obj.draft_item.identifier,
        )

    def _moderate(self, request, queryset, state):
        count = 0
        for contribution in queryset:
            contribution.moderate(state, request.user)
            contribution.save()
            count += 1
        return count

    @admin.action(description=_("Approve selected contributions (publish them)"))
    def approve(self, request, queryset):
        if not request.user.has_perm(MODERATE):
            self.message_user(
                request,
                _("Only an editor may approve a contribution (it becomes public)."),
                messages.ERROR,
            )
            return
        count = self._moderate(request, queryset, Contribution.State.APPROVED)
        self.message_user(
            request,
            ngettext("%(count)d contribution approved.", "%(count)d contributions approved.", count)
            % {"count": count},
        )

    @admin.action(description=_("Reject selected contributions"))
    def reject(self, request, queryset):
        count = self._moderate(request, queryset, Contribution.State.REJECTED)
        self.message_user(
            request,
            ngettext("%(count)d contribution rejected.", "%(count)d contributions rejected.", count)
            % {"count": count},
        )

    @admin.action(description=_("Make a draft item of the photograph"))
    def draft_from_photo(self, request, queryset):
        if not request.user.has_perm("archive.add_item"):
            self.message_user(request, _("You may not add items."), messages.ERROR)
            return
        for contribution in queryset.select_related("item", "draft_item"):
            try:
                item = make_draft_item(contribution)
            except ValidationError as exc:
                self.message_user(
                    request, f"{contribution}: {' '.join(exc.messages)}", messages.WARNING
                )
                continue
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Draft item made:"),
                    reverse("admin:archive_item_change", args=[item.pk]),
                    item.identifier,
                ),
            )
