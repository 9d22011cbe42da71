"""Admin for lessons and stories: composing them, their order, and the publishing rule.

A lesson is composed on one page: its fields, curriculum references and steps (inlines; each
step picks its item with autocomplete). A story's page holds its blocks (kind, heading, text,
source); the items of a block (with captions) are edited on the block's own page, reached
by the "Change" link of each block row: Django has no nested inlines, and one page per block
keeps a block's kind, its item limits (`StoryBlock.ENTRIES`) and its captions together.

Order is a number field on every row; "Move up"/"Move down" buttons (static/js/
admin-order.js) renumber the rows from the keyboard as well as with a mouse.

Publishing follows archive/roles.py with the models' own permissions, and the rule that a
published narrative shows only published items is checked with the rows being submitted
(`ItemsCheckFormSet`) before anything is written.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from archive.admin_concurrency import VersionedAdminMixin
from archive.admin_history import HistoryAdminMixin
from archive.admin_roles import PublishingRightsMixin
from archive.forms import VersionedFormMixin
from archive.history import TranslatedHistoryMixin, log_bulk_change
from archive.models import Item, Status

from .models import (
    Audience,
    CurriculumReference,
    Lesson,
    LessonStep,
    SchoolSubject,
    Story,
    StoryBlock,
    StoryBlockItem,
    published_narratives_using,
)

ORDER_JS = "js/admin-order.js"


class OrderedFormSet(BaseInlineFormSet):
    """Rows left without an order go after the others, in the order they were added."""

    def clean(self):
        super().clean()
        forms_kept = [f for f in self.forms if f.has_changed() or f.instance.pk]
        orders = [f.cleaned_data.get("order") or 0 for f in forms_kept if f.cleaned_data]
        # (A blank order is None: the field is optional in the form.)
        highest = max(orders, default=0)
        for form in forms_kept:
            data = getattr(form, "cleaned_data", None)
            if data and data.get("order") is None:
                highest += 1
                data["order"] = highest
                form.instance.order = highest

    def kept_forms(self):
        """The forms whose rows will exist after saving (not deleted, not left empty)."""
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            if not form.instance.pk and not form.has_changed():
                continue
            yield form


class ItemsCheckFormSet(OrderedFormSet):
    """The inline that brings a narrative's items: when the narrative is to be published,
    every item it will show — its cover and the items of the rows as submitted — must be
    published; the error lists those that are not. Nothing is saved otherwise."""

    def submitted_items(self) -> list[Item]:
        """The items of the rows as submitted; each formset (steps, blocks) says which."""
        raise NotImplementedError("a subclass names its rows' items")

    def clean(self):
        super().clean()
        narrative = self.instance
        if narrative.status != Status.PUBLISHED:
            return
        items = self.submitted_items()
        if narrative.cover_item_id:
            items.append(narrative.cover_item)
        try:
            narrative.check_publishable(items)
        except ValidationError as exc:
            raise ValidationError(exc.messages, code="unpublished_items") from exc


class StepFormSet(ItemsCheckFormSet):
    def submitted_items(self) -> list[Item]:
        return [f.cleaned_data["item"] for f in self.kept_forms() if f.cleaned_data.get("item")]


class BlockFormSet(ItemsCheckFormSet):
    """Blocks bring their saved entries (edited on the block's page): those of the blocks
    kept. A block whose kind is changed must not hold more items than the new kind shows
    (fewer is fine: they are chosen on the block's page after saving)."""

    def submitted_items(self) -> list[Item]:
        kept = [f.instance.pk for f in self.kept_forms() if f.instance.pk]
        return list(Item.objects.filter(story_entries__block__in=kept).distinct())

    def clean(self):
        for form in self.kept_forms():
            if form.instance.pk and "kind" in form.changed_data:
                count = form.instance.entries.count()
                least, most = StoryBlock.ENTRIES[StoryBlock.Kind(form.instance.kind)]
                if most is not None and count > most:
                    form.add_error("kind", form.instance.entry_count_problem(count))
        super().clean()


class EntryFormSet(OrderedFormSet):
    """A block's items: as many as its kind takes, and only published items in a published
    story."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        block = self.instance
        items = [f.cleaned_data["item"] for f in self.kept_forms() if f.cleaned_data.get("item")]
        problem = block.entry_count_problem(len(items))
        if problem:
            raise ValidationError(problem, code="entry_count")
        story = block.story
        if story.status == Status.PUBLISHED:
            elsewhere = StoryBlockItem.objects.filter(block__story=story).exclude(block=block)
            others = Item.objects.filter(story_entries__in=elsewhere)
            covered = [story.cover_item] if story.cover_item_id else []
            try:
                story.check_publishable([*items, *others, *covered])
            except ValidationError as exc:
                raise ValidationError(exc.messages, code="unpublished_items") from exc


class OrderedInlineMixin:
    """Order first and visible; buttons to move a row (static/js/admin-order.js)."""

    class Media:
        js = [ORDER_JS]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["order"]
        field.required = False
        field.widget.attrs.update({"class": "kronika-order", "min": "0"})
        return formset


class CurriculumReferenceInline(OrderedInlineMixin, admin.TabularInline):
    model = CurriculumReference
    formset = OrderedFormSet
    fields = ["order", "school_subject", "stage", "requirement", "text"]
    extra = 0
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


class LessonStepInline(OrderedInlineMixin, admin.StackedInline):
    model = LessonStep
    formset = StepFormSet
    fields = [
        "order",
        ("heading", "heading_en"),
        "item",
        ("text", "text_en"),
        ("tasks", "tasks_en"),
    ]
    autocomplete_fields = ["item"]
    extra = 0


class NarrativeAdminForm(VersionedFormMixin, forms.ModelForm):
    # Set by NarrativeAdmin.get_form() when an ItemsCheckFormSet inline takes over the check
    # (with the rows as submitted, which the form alone cannot see).
    items_checked_by_inline = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.items_checked_by_inline:
            self.instance._items_checked = True


class NarrativeAdmin(
    PublishingRightsMixin,
    HistoryAdminMixin,
    TranslatedHistoryMixin,
    VersionedAdminMixin,
    admin.ModelAdmin,
):
    """What lessons and stories share: list, search, status, "View on site" (staff see
    drafts there: the preview), publish/unpublish actions for those with the right."""

    form = NarrativeAdminForm

    list_display = ["title", "status", "published_at", "modified"]
    list_filter = ["status"]
    search_fields = ["title", "title_en", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["cover_item"]
    readonly_fields = ["published_at", "created", "modified"]
    actions = ["publish_selected", "unpublish_selected"]
    view_on_site = True
    save_on_top = True

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # modelform_factory makes a new class on every call, so this flag is per request.
        form.items_checked_by_inline = any(
            issubclass(inline.formset, ItemsCheckFormSet)
            for inline in self.get_inline_instances(request, obj)
        )
        return form

    @admin.action(description=_("Publish selected"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        published = []
        for narrative in queryset.exclude(status=Status.PUBLISHED).order_by("title"):
            try:
                with transaction.atomic():
                    narrative.publish()
            except ValidationError as exc:
                self.message_user(
                    request,
                    _("“%(title)s” was not published: %(reasons)s")
                    % {"title": narrative.title, "reasons": " ".join(exc.messages)},
                    messages.ERROR,
                )
            else:
                published.append(narrative)
        log_bulk_change(request.user, published, gettext_noop("status: published (bulk action)"))
        if published:
            self.message_user(
                request,
                ngettext("%(count)d was published.", "%(count)d were published.", len(published))
                % {"count": len(published)},
                messages.SUCCESS,
            )

    @admin.action(description=_("Unpublish selected"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        unpublished = list(queryset.filter(status=Status.PUBLISHED).order_by("title"))
        for narrative in unpublished:
            narrative.unpublish()
        log_bulk_change(request.user, unpublished, gettext_noop("status: draft (bulk action)"))
        self.message_user(
            request,
            ngettext(
                "%(count)d was unpublished and is now a private draft.",
                "%(count)d were unpublished and are now private drafts.",
                len(unpublished),
            )
            % {"count": len(unpublished)},
            messages.SUCCESS,
        )


class LessonAdmin(NarrativeAdmin):
    publish_permission = "curation.publish_lesson"
    list_display = ["title", "status", "duration_minutes", "published_at", "modified"]
    list_filter = ["status", "audiences", "school_subjects"]
    inlines = [CurriculumReferenceInline, LessonStepInline]
    fieldsets = [
        (None, {"fields": [("title", "title_en"), "slug", "author", "cover_item"]}),
        (_("Summary (pl/en)"), {"fields": ["summary", "summary_en"]}),
        (
            _("For whom"),
            {"fields": ["audiences", "school_subjects", "duration_minutes"]},
        ),
        (_("Learning goals (pl/en)"), {"fields": ["goals", "goals_en"]}),
        (_("Teacher's notes (pl/en)"), {"fields": ["teacher_notes", "teacher_notes_en"]}),
        (_("Publishing"), {"fields": ["status", "published_at", ("created", "modified")]}),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # A handful of seeded choices: checkboxes with labels, usable from the keyboard.
        if db_field.name in ("audiences", "school_subjects"):
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class StoryBlockInline(OrderedInlineMixin, admin.StackedInline):
    model = StoryBlock
    formset = BlockFormSet
    fields = ["order", "kind", ("heading", "heading_en"), ("text", "text_en"), "source", "items"]
    readonly_fields = ["items"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("entries__item")

    @admin.display(description=_("items of the block"))
    def items(self, block: StoryBlock) -> str:
        if not block.pk:
            return _("Save the story, then choose the block's items with “Change”.")
        entries = block.entries.all()
        if not entries:
            return _("None yet: choose them with “Change”.")
        return format_html_join(
            ", ", "{} ({})", ((e.item.identifier, e.item.title) for e in entries)
        )


class StoryAdmin(NarrativeAdmin):
    publish_permission = "curation.publish_story"
    inlines = [StoryBlockInline]
    fieldsets = [
        (None, {"fields": [("title", "title_en"), "slug", "author", "cover_item"]}),
        (_("Lead (pl/en)"), {"fields": ["summary", "summary_en"]}),
        (_("Publishing"), {"fields": ["status", "published_at", ("created", "modified")]}),
    ]


class StoryBlockItemInline(OrderedInlineMixin, admin.TabularInline):
    model = StoryBlockItem
    formset = EntryFormSet
    fields = ["order", "item", "caption", "caption_en"]
    autocomplete_fields = ["item"]
    extra = 0


class StoryBlockAdmin(admin.ModelAdmin):
    """One block of a story with its items; reached from the story's page."""

    list_display = ["__str__", "kind", "story", "order"]
    list_select_related = ["story"]
    fields = ["story", "order", "kind", ("heading", "heading_en"), ("text", "text_en"), "source"]
    readonly_fields = ["story"]
    inlines = [StoryBlockItemInline]
    view_on_site = False

    def has_module_permission(self, request) -> bool:
        return False  # blocks are reached from their story

    def has_add_permission(self, request) -> bool:
        return False  # a block is added on its story's page

    def response_change(self, request, obj):
        if "_continue" not in request.POST and "_addanother" not in request.POST:
            self.message_user(request, _("The block was saved."), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:curation_story_change", args=[obj.story_id]))
        return super().response_change(request, obj)


class VocabularyListAdmin(admin.ModelAdmin):
    """Audiences and school subjects: data the migration seeds, editors may adjust."""

    list_display = ["name", "name_en", "code", "order"]
    list_editable = ["order"]
    search_fields = ["name", "name_en", "code"]
    fields = [("name", "name_en"), "code", "order"]


def warn_narratives_using(model_admin, request, items, using=None) -> None:
    """After items were unpublished (or deleted: pass `using`, found before): name the
    published lessons and stories that use them (their pages now leave those items out;
    the staff decide whether to change them)."""
    if using is None:
        using = published_narratives_using(items)
    if not using:
        return
    names = ", ".join(f"{narrative._meta.verbose_name} “{narrative.title}”" for narrative in using)
    model_admin.message_user(
        request,
        _(
            "Published lessons and stories use what you unpublished and no longer show it: "
            "%(names)s. Change them or replace the item."
        )
        % {"names": names},
        messages.WARNING,
    )


class NarrativeUseWarningMixin:
    """Item admin mixin: unpublishing an item in its form, or deleting items (only a cover
    can be deleted from under a lesson or story: steps and blocks protect their items),
    warns about the published lessons and stories that used them."""

    def delete_model(self, request, obj):
        using = published_narratives_using([obj.pk])
        super().delete_model(request, obj)
        warn_narratives_using(self, request, [], using)

    def delete_queryset(self, request, queryset):
        using = published_narratives_using(list(queryset.values_list("pk", flat=True)))
        super().delete_queryset(request, queryset)
        warn_narratives_using(self, request, [], using)

    def save_model(self, request, obj, form, change):
        was_published = change and form.initial.get("status") == Status.PUBLISHED
        super().save_model(request, obj, form, change)
        if was_published and obj.status != Status.PUBLISHED:
            warn_narratives_using(self, request, [obj])


def register(site: admin.AdminSite) -> None:
    """Called from curation/admin.py."""
    site.register(Lesson, LessonAdmin)
    site.register(Story, StoryAdmin)
    site.register(StoryBlock, StoryBlockAdmin)
    site.register(Audience, VocabularyListAdmin)
    site.register(SchoolSubject, VocabularyListAdmin)
