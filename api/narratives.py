"""Lessons and stories in the API: `lessons/`, `lessons/{slug}/`, `stories/`, `stories/{slug}/`.

Reading follows the items' rules: the public gets published narratives only, and inside them
only published items (a step whose item is not public shows no item; such a gallery entry is
left out). Writing follows the admin's: the model permissions (`add_lesson`, `change_story`…)
for drafts, `curation.publish_lesson` / `curation.publish_story` to publish, unpublish or
delete a published one. Nested lists (steps, curriculum references, blocks with their
entries) are replaced whole when sent. Every write is one transaction that ends with the
model's own `full_clean()` — so publishing with an unpublished item is refused with the
model's list of them (`Narrative.check_publishable`) and nothing is written.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from archive.models import Item, Status
from archive.roles import can_change_status, can_delete_item, status_change_refusal
from curation.models import (
    Audience,
    CurriculumReference,
    Lesson,
    LessonStep,
    SchoolSubject,
    Story,
    StoryBlock,
    StoryBlockItem,
)

from .filters import MembershipFilter
from .parsers import JSONParser
from .permissions import can_see_drafts
from .serializers import (
    StrictModelSerializer,
    ThumbnailSerializer,
    WholeEntrySerializer,
    _datetime,
    absolute,
    item_links,
    list_thumbnail,
    raise_model_errors,
)
from .views import ERRORS, ConditionalWriteMixin, documented_writes

MAX_TEXT = 100_000
MAX_STEPS = 100
MAX_BLOCKS = 200
MAX_ENTRIES = 100
MAX_REFERENCES = 50

# --- Publishing rule -------------------------------------------------------------------------
#
# The items' rule (archive/roles.py) with each model's own permission.

PUBLISH_PERMISSIONS = {Lesson: "curation.publish_lesson", Story: "curation.publish_story"}


def narrative_delete_refusal(model) -> str:
    if model is Lesson:
        return _("You may not delete published lessons: only an editor (the Redaktor group) can.")
    return _("You may not delete published stories: only an editor (the Redaktor group) can.")


# --- Reading ---------------------------------------------------------------------------------


class ItemRefSerializer(serializers.Serializer):
    """A catalogue item a lesson or story shows: enough for a card and a link."""

    identifier = serializers.CharField()
    url = serializers.URLField()
    api_url = serializers.URLField()
    title = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)
    item_type = serializers.CharField()
    status = serializers.CharField()
    date = serializers.CharField(allow_blank=True)
    date_as_written = serializers.CharField(allow_blank=True)
    licence = serializers.CharField()
    image = ThumbnailSerializer(allow_null=True)


def item_ref(item: Item | None, context: dict) -> dict | None:
    """The item as a reference, or None when there is none or the caller may not see it."""
    if item is None or not (item.status == Status.PUBLISHED or context.get("see_drafts")):
        return None
    links = item_links(context)
    first_image = next((m for m in item.media_files.all() if m.is_image), None)
    return {
        "identifier": item.identifier,
        "url": links.page(item.identifier),
        "api_url": links.api(item.identifier),
        "title": item.title,
        "title_en": item.title_en,
        "item_type": item.item_type,
        "status": item.status,
        "date": item.date,
        "date_as_written": item.date_as_written,
        "licence": item.licence.code,
        "image": list_thumbnail(first_image, context.get("request")),
    }


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)


def code_names(records) -> list[dict]:
    return [{"code": r.code, "name": r.name, "name_en": r.name_en} for r in records]


class NarrativeListSerializer(serializers.Serializer):
    """A lesson or story in a list (the fields both share)."""

    slug = serializers.CharField()
    url = serializers.URLField()
    api_url = serializers.URLField()
    title = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)
    summary = serializers.CharField(allow_blank=True)
    summary_en = serializers.CharField(allow_blank=True)
    author = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    cover_item = ItemRefSerializer(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    created = serializers.DateTimeField()
    modified = serializers.DateTimeField()

    api_view_name = ""

    def to_representation(self, narrative) -> dict:
        request = self.context.get("request")
        return {
            "slug": narrative.slug,
            "url": absolute(request, narrative.get_absolute_url()),
            "api_url": absolute(
                request, reverse(self.api_view_name, kwargs={"slug": narrative.slug})
            ),
            "title": narrative.title,
            "title_en": narrative.title_en,
            "summary": narrative.summary,
            "summary_en": narrative.summary_en,
            "author": narrative.author,
            "status": narrative.status,
            "cover_item": item_ref(narrative.cover_item, self.context),
            "published_at": _datetime.to_representation(narrative.published_at)
            if narrative.published_at
            else None,
            "created": _datetime.to_representation(narrative.created),
            "modified": _datetime.to_representation(narrative.modified),
        }


class LessonListSerializer(NarrativeListSerializer):
    audiences = CodeNameSerializer(many=True)
    school_subjects = CodeNameSerializer(many=True)
    duration_minutes = serializers.IntegerField(allow_null=True)

    api_view_name = "api:lesson-detail"

    def to_representation(self, lesson: Lesson) -> dict:
        return {
            **super().to_representation(lesson),
            "audiences": code_names(lesson.audiences.all()),
            "school_subjects": code_names(lesson.school_subjects.all()),
            "duration_minutes": lesson.duration_minutes,
        }


class CurriculumReferenceSerializer(serializers.Serializer):
    school_subject = serializers.CharField(allow_null=True, help_text="School subject code.")
    stage = serializers.CharField(allow_blank=True)
    requirement = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    label = serializers.CharField(help_text="Subject, stage and number in words.")


class LessonStepSerializer(serializers.Serializer):
    heading = serializers.CharField()
    heading_en = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    text_en = serializers.CharField(allow_blank=True)
    item = ItemRefSerializer(allow_null=True)
    tasks = serializers.CharField(allow_blank=True)
    tasks_en = serializers.CharField(allow_blank=True)


class LessonDetailSerializer(LessonListSerializer):
    """One lesson with its goals, curriculum references and steps."""

    goals = serializers.CharField(allow_blank=True)
    goals_en = serializers.CharField(allow_blank=True)
    teacher_notes = serializers.CharField(allow_blank=True)
    teacher_notes_en = serializers.CharField(allow_blank=True)
    curriculum_references = CurriculumReferenceSerializer(many=True)
    steps = LessonStepSerializer(many=True)

    def to_representation(self, lesson: Lesson) -> dict:
        return {
            **super().to_representation(lesson),
            "goals": lesson.goals,
            "goals_en": lesson.goals_en,
            "teacher_notes": lesson.teacher_notes,
            "teacher_notes_en": lesson.teacher_notes_en,
            "curriculum_references": [
                {
                    "school_subject": ref.school_subject.code if ref.school_subject else None,
                    "stage": ref.stage,
                    "requirement": ref.requirement,
                    "text": ref.text,
                    "label": str(ref),
                }
                for ref in lesson.curriculum_references.all()
            ],
            "steps": [
                {
                    "heading": step.heading,
                    "heading_en": step.heading_en,
                    "text": step.text,
                    "text_en": step.text_en,
                    "item": item_ref(step.item, self.context),
                    "tasks": step.tasks,
                    "tasks_en": step.tasks_en,
                }
                for step in lesson.steps.all()
            ],
        }


class StoryListSerializer(NarrativeListSerializer):
    api_view_name = "api:story-detail"


class StoryEntrySerializer(serializers.Serializer):
    item = ItemRefSerializer()
    caption = serializers.CharField(allow_blank=True)
    caption_en = serializers.CharField(allow_blank=True)


class StoryBlockSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=StoryBlock.Kind.choices)
    heading = serializers.CharField(allow_blank=True)
    heading_en = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    text_en = serializers.CharField(allow_blank=True)
    source = serializers.CharField(allow_blank=True)
    entries = StoryEntrySerializer(many=True)


class StoryDetailSerializer(StoryListSerializer):
    """One story with its blocks; entries whose item the caller may not see are left out."""

    blocks = StoryBlockSerializer(many=True)

    def to_representation(self, story: Story) -> dict:
        blocks = []
        for block in story.blocks.all():
            entries = []
            for entry in block.entries.all():
                ref = item_ref(entry.item, self.context)
                if ref is not None:
                    entries.append(
                        {"item": ref, "caption": entry.caption, "caption_en": entry.caption_en}
                    )
            blocks.append(
                {
                    "kind": block.kind,
                    "heading": block.heading,
                    "heading_en": block.heading_en,
                    "text": block.text,
                    "text_en": block.text_en,
                    "source": block.source,
                    "entries": entries,
                }
            )
        return {**super().to_representation(story), "blocks": blocks}


# --- Writing ---------------------------------------------------------------------------------


class ItemByIdentifier(serializers.SlugRelatedField):
    """An existing catalogue item, by its identifier."""

    default_error_messages = {
        "does_not_exist": gettext_lazy("No item has the identifier “{value}”."),
        "invalid": gettext_lazy("Give an item's identifier as a string."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", gettext_lazy("The item's identifier, e.g. MOK-F-0001."))
        super().__init__(slug_field="identifier", queryset=Item.objects.all(), **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data[:100])


class CodeField(serializers.SlugRelatedField):
    """An audience or school subject, by its code."""

    default_error_messages = {
        "does_not_exist": gettext_lazy("Unknown code “{value}”."),
        "invalid": gettext_lazy("Give a code as a string."),
    }

    def __init__(self, model, **kwargs):
        super().__init__(slug_field="code", queryset=model.objects.all(), **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data[:100])


def check_part(obj, exclude: list[str]) -> None:
    """A nested record's own field rules (lengths, choices), as DRF errors."""
    try:
        obj.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        raise_model_errors(exc)


class CurriculumReferenceWriteSerializer(WholeEntrySerializer, StrictModelSerializer):
    school_subject = CodeField(SchoolSubject, required=False, allow_null=True)

    class Meta:
        model = CurriculumReference
        fields = ["school_subject", "stage", "requirement", "text"]
        extra_kwargs = {"text": {"max_length": MAX_TEXT}}

    def validate(self, attrs):
        check_part(CurriculumReference(**attrs), exclude=["lesson"])
        return attrs


class LessonStepWriteSerializer(WholeEntrySerializer, StrictModelSerializer):
    item = ItemByIdentifier(required=False, allow_null=True)

    class Meta:
        model = LessonStep
        fields = ["heading", "heading_en", "text", "text_en", "item", "tasks", "tasks_en"]
        extra_kwargs = {name: {"max_length": MAX_TEXT} for name in ("text", "text_en")} | {
            name: {"max_length": MAX_TEXT} for name in ("tasks", "tasks_en")
        }

    def validate(self, attrs):
        check_part(LessonStep(**attrs), exclude=["lesson"])
        return attrs


class StoryEntryWriteSerializer(WholeEntrySerializer, StrictModelSerializer):
    item = ItemByIdentifier()

    class Meta:
        model = StoryBlockItem
        fields = ["item", "caption", "caption_en"]


class StoryBlockWriteSerializer(WholeEntrySerializer, StrictModelSerializer):
    entries = StoryEntryWriteSerializer(many=True, required=False, max_length=MAX_ENTRIES)

    class Meta:
        model = StoryBlock
        fields = ["kind", "heading", "heading_en", "text", "text_en", "source", "entries"]
        extra_kwargs = {name: {"max_length": MAX_TEXT} for name in ("text", "text_en")}

    def validate(self, attrs):
        block = StoryBlock(kind=attrs.get("kind", StoryBlock.Kind.TEXT))
        problem = block.entry_count_problem(len(attrs.get("entries", [])))
        if problem:
            raise serializers.ValidationError({"entries": [problem]})
        check_part(
            StoryBlock(**{k: v for k, v in attrs.items() if k != "entries"}), exclude=["story"]
        )
        return attrs


class NarrativeWriteSerializer(StrictModelSerializer):
    """What a cataloguer sends for a lesson or story. Lists sent replace the old ones."""

    slug = serializers.SlugField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Made from the title when left out."),
    )
    cover_item = ItemByIdentifier(required=False, allow_null=True)

    NESTED: tuple[str, ...] = ()
    MANY: tuple[str, ...] = ()
    COMMON_FIELDS = [
        "slug",
        "title",
        "title_en",
        "summary",
        "summary_en",
        "author",
        "cover_item",
        "status",
    ]
    TEXTS = {name: {"max_length": MAX_TEXT} for name in ("summary", "summary_en")}

    def validate_slug(self, value):
        model = self.Meta.model
        taken = model.objects.filter(slug=value).exclude(pk=getattr(self.instance, "pk", None))
        if value and taken.exists():
            raise serializers.ValidationError(_("This slug is already taken."))
        return value

    def validate_status(self, value):
        """Publishing and unpublishing need the model's publishing permission: a 403, before
        any other check, whatever else the request says."""
        request = self.context.get("request")
        old = self.instance.status if self.instance is not None else None
        permission = PUBLISH_PERMISSIONS[self.Meta.model]
        if request is not None and not can_change_status(request.user, old, value, permission):
            raise PermissionDenied(status_change_refusal(old, value, permission))
        return value

    def validate(self, attrs):
        narrative = self.instance or self.Meta.model()
        old_slug = narrative.slug
        for name, value in attrs.items():
            if name not in self.NESTED + self.MANY:
                setattr(narrative, name, value)
        if not narrative.slug:
            # Left out or blank: a new one gets a slug from its title, an existing one
            # keeps its own.
            narrative.slug = old_slug or narrative.unique_slug(narrative.title or "")
        try:
            # The whole model check (clean(): the publishing rule) runs after the nested
            # lists are written, in `save`; here only the narrative's own fields.
            narrative.clean_fields()
            narrative.validate_unique()
        except DjangoValidationError as exc:
            raise_model_errors(exc)
        self._checked = narrative
        return attrs

    def save(self, **kwargs):
        """Write everything, then check the whole record as the model sees it; a refusal
        raises inside the caller's transaction, so nothing is kept."""
        narrative = self._checked
        data = self.validated_data
        narrative.save()
        for name in self.MANY:
            if name in data:
                getattr(narrative, name).set(data[name])
        for name in self.NESTED:
            if name in data:
                getattr(self, f"write_{name}")(narrative, data[name])
        if self.NESTED or self.MANY:
            narrative.save(update_fields=["modified"])  # the detail changed
        try:
            narrative.full_clean()
        except DjangoValidationError as exc:
            raise_model_errors(exc)
        self.instance = narrative
        return narrative


class LessonWriteSerializer(NarrativeWriteSerializer):
    audiences = CodeField(Audience, many=True, required=False)
    school_subjects = CodeField(SchoolSubject, many=True, required=False)
    curriculum_references = CurriculumReferenceWriteSerializer(
        many=True, required=False, max_length=MAX_REFERENCES
    )
    steps = LessonStepWriteSerializer(many=True, required=False, max_length=MAX_STEPS)

    NESTED = ("curriculum_references", "steps")
    MANY = ("audiences", "school_subjects")

    class Meta:
        model = Lesson
        fields = [
            *NarrativeWriteSerializer.COMMON_FIELDS,
            "audiences",
            "school_subjects",
            "duration_minutes",
            "goals",
            "goals_en",
            "teacher_notes",
            "teacher_notes_en",
            "curriculum_references",
            "steps",
        ]
        extra_kwargs = NarrativeWriteSerializer.TEXTS | {
            name: {"max_length": MAX_TEXT}
            for name in ("goals", "goals_en", "teacher_notes", "teacher_notes_en")
        }

    def write_curriculum_references(self, lesson: Lesson, rows: list[dict]) -> None:
        lesson.curriculum_references.all().delete()
        CurriculumReference.objects.bulk_create(
            CurriculumReference(lesson=lesson, order=n, **row) for n, row in enumerate(rows)
        )

    def write_steps(self, lesson: Lesson, rows: list[dict]) -> None:
        lesson.steps.all().delete()
        LessonStep.objects.bulk_create(
            LessonStep(lesson=lesson, order=n, **row) for n, row in enumerate(rows)
        )


class StoryWriteSerializer(NarrativeWriteSerializer):
    blocks = StoryBlockWriteSerializer(many=True, required=False, max_length=MAX_BLOCKS)

    NESTED = ("blocks",)

    class Meta:
        model = Story
        fields = [*NarrativeWriteSerializer.COMMON_FIELDS, "blocks"]
        extra_kwargs = NarrativeWriteSerializer.TEXTS

    def write_blocks(self, story: Story, rows: list[dict]) -> None:
        story.blocks.all().delete()
        for n, row in enumerate(rows):
            entries = row.get("entries", [])
            block = StoryBlock.objects.create(
                story=story, order=n, **{k: v for k, v in row.items() if k != "entries"}
            )
            StoryBlockItem.objects.bulk_create(
                StoryBlockItem(block=block, order=m, **entry) for m, entry in enumerate(entries)
            )


# --- Filters ---------------------------------------------------------------------------------


class NarrativeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Status.choices,
        help_text=gettext_lazy(
            "Staff and archivists only; the public sees published ones whatever it says."
        ),
    )


class LessonFilter(NarrativeFilter):
    audience = MembershipFilter(
        field_name="audiences",
        queryset=Audience.objects.all(),
        to_field_name="code",
        help_text=gettext_lazy("Audience code (klasy-7-8…); repeat to match any of several."),
    )
    subject = MembershipFilter(
        field_name="school_subjects",
        queryset=SchoolSubject.objects.all(),
        to_field_name="code",
        help_text=gettext_lazy("School subject code (historia…); repeat to match any of several."),
    )

    class Meta:
        model = Lesson
        fields = []


class StoryFilter(NarrativeFilter):
    class Meta:
        model = Story
        fields = []


# --- Views -----------------------------------------------------------------------------------


class NarrativeViewSet(ConditionalWriteMixin, viewsets.ModelViewSet):
    """Shared by lessons and stories; subclasses name the model and serializers."""

    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    parser_classes = [JSONParser]

    location_on_create = True

    model: type = Lesson
    list_serializer_class: type = LessonListSerializer
    detail_serializer_class: type = LessonDetailSerializer
    write_serializer_class: type = LessonWriteSerializer

    def get_queryset(self):
        narratives = self.model.objects.all()
        if not can_see_drafts(self.request.user):
            narratives = narratives.published()
        narratives = narratives.select_related("cover_item__licence").prefetch_related(
            "cover_item__media_files"
        )
        return self.with_relations(narratives).order_by("title", "pk")

    def with_relations(self, narratives):
        return narratives

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "see_drafts": can_see_drafts(self.request.user)}

    def get_serializer_class(self):
        if self.action == "list":
            return self.list_serializer_class
        if self.action in ("create", "update", "partial_update"):
            return self.write_serializer_class
        return self.detail_serializer_class

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def perform_destroy(self, narrative) -> None:
        if not can_delete_item(self.request.user, narrative, PUBLISH_PERMISSIONS[self.model]):
            raise PermissionDenied(narrative_delete_refusal(self.model))
        narrative.delete()


def _documented(list_serializer, detail_serializer, write_serializer):
    def decorate(viewset):
        viewset = documented_writes(detail_serializer, write_serializer)(viewset)
        return extend_schema_view(
            list=extend_schema(responses={200: list_serializer(many=True), **ERRORS}),
            retrieve=extend_schema(responses={200: detail_serializer, **ERRORS}),
        )(viewset)

    return decorate


@_documented(LessonListSerializer, LessonDetailSerializer, LessonWriteSerializer)
@extend_schema(tags=["lessons"])
class LessonViewSet(NarrativeViewSet):
    """Lesson packs for schools: published ones for everyone; cataloguers write drafts."""

    model = Lesson
    filterset_class = LessonFilter
    list_serializer_class = LessonListSerializer
    detail_serializer_class = LessonDetailSerializer
    write_serializer_class = LessonWriteSerializer

    def with_relations(self, lessons):
        lessons = lessons.prefetch_related("audiences", "school_subjects")
        if self.action == "list":
            return lessons
        return lessons.prefetch_related(
            "curriculum_references__school_subject",
            "steps__item__licence",
            "steps__item__media_files",
        )


@_documented(StoryListSerializer, StoryDetailSerializer, StoryWriteSerializer)
@extend_schema(tags=["stories"])
class StoryViewSet(NarrativeViewSet):
    """Stories for residents: narrated pages of blocks that show items."""

    model = Story
    filterset_class = StoryFilter
    list_serializer_class = StoryListSerializer
    detail_serializer_class = StoryDetailSerializer
    write_serializer_class = StoryWriteSerializer

    def with_relations(self, stories):
        if self.action == "list":
            return stories
        return stories.prefetch_related(
            "blocks__entries__item__licence", "blocks__entries__item__media_files"
        )
