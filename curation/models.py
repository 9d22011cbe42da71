"""Curated sets of items: nested collections with an order and a cover."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from archive import audit
from archive.models import Item, Status, VocabularyQuerySet, localized
from archive.text import polish_slugify


class CollectionQuerySet(VocabularyQuerySet):
    def public(self):
        """Collections that hold a published item, directly or in a collection inside them.

        Collections have no publishing state of their own: one is public while it (or a
        sub-collection) shows something to the public.
        """
        return self.filter(pk__in=self.public_ids())

    def public_ids(self) -> set[int]:
        """The pks of public collections, from one query of (pk, parent, holds a published
        item) over every collection; an archive has hundreds of collections, not millions."""
        published = CollectionItem.objects.filter(
            collection=OuterRef("pk"), item__status=Status.PUBLISHED
        )
        rows = Collection.objects.annotate(holds=Exists(published)).values_list(
            "pk", "parent_id", "holds"
        )
        parents, public = {}, set()
        holding = []
        for pk, parent, holds in rows:
            parents[pk] = parent
            if holds:
                holding.append(pk)
        for pk in holding:
            while pk is not None and pk not in public:
                public.add(pk)
                pk = parents.get(pk)
        return public


class Collection(models.Model):
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    description_en = models.TextField(_("description (English)"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent collection"),
    )
    cover_item = models.ForeignKey(
        Item,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cover item"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    items = models.ManyToManyField(
        Item,
        through="CollectionItem",
        related_name="collections",
        blank=True,
        verbose_name=_("items"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    NAME_FIELD = "title"
    objects = CollectionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def __str__(self) -> str:
        return self.title

    @property
    def label(self) -> str:
        return localized(self, "title")

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    def get_absolute_url(self) -> str:
        return reverse("curation:collection", kwargs={"slug": self.slug})

    def ancestors(self) -> list[Collection]:
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.insert(0, node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def clean(self):
        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk and self.pk is not None:
                raise ValidationError(
                    {"parent": _("A collection cannot be inside itself.")}, code="cycle"
                )
            if node.pk in seen:
                break
            seen.add(node.pk)
            node = node.parent

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.unique_slug(self.title)
        super().save(*args, **kwargs)

    @classmethod
    def unique_slug(cls, text: str) -> str:
        base = polish_slugify(text)[:190] or "kolekcja"
        slug, n = base, 2
        while cls.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug


class CollectionItem(models.Model):
    collection = models.ForeignKey(
        Collection,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("collection"),
    )
    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("item")
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("item in collection")
        verbose_name_plural = _("items in collection")
        constraints = [
            models.UniqueConstraint(fields=["collection", "item"], name="unique_collection_item")
        ]

    def __str__(self) -> str:
        return f"{self.collection} – {self.item.identifier}"


audit.register(Collection, relations=audit.collection_relations)


# --- Lessons and stories -----------------------------------------------------------------
#
# Both are narratives: a titled, published-or-not page made of ordered blocks that may show
# catalogue items. What they share — publishing state, the rule that a published narrative
# shows only published items, "which narratives use this item" — lives once in `Narrative`
# and `NarrativeQuerySet`; each concrete model names the paths from itself to its items in
# ITEM_PATHS and everything else follows from that.


class NarrativeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """Published narratives for the public; every one for staff (drafts are private)."""
        if user is not None and user.is_active and user.is_staff:
            return self
        return self.published()

    def using(self, items):
        """Narratives that show any of `items` (an Item, a pk, or a queryset/list of them)."""
        if isinstance(items, (Item, int)):
            items = [items]
        query = models.Q()
        for path in self.model.ITEM_PATHS:
            query |= models.Q(**{f"{path}__in": items})
        return self.filter(query).distinct()


class Narrative(models.Model):
    """Abstract base of lessons and stories: title, slug, lead, status, cover."""

    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Markdown."))
    summary_en = models.TextField(_("summary (English)"), blank=True)
    author = models.CharField(
        _("author"), max_length=300, blank=True, help_text=_("Who wrote it, as it is shown.")
    )
    cover_item = models.ForeignKey(
        Item,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cover item"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    # Paths from the narrative to the catalogue items it shows (for `NarrativeQuerySet.using`
    # and `used_items`); set by each concrete model.
    ITEM_PATHS: tuple[str, ...] = ("cover_item",)
    SLUG_FALLBACK = "opowiesc"
    NAME_FIELD = "title"

    objects = NarrativeQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def display_summary(self) -> str:
        return localized(self, "summary")

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def used_items(self):
        """Every catalogue item the narrative shows, as a queryset (one query)."""
        if self.pk is None:
            return Item.objects.none()
        query = models.Q()
        for path in self.ITEM_PATHS:
            query |= models.Q(pk__in=type(self).objects.filter(pk=self.pk).values(path))
        return Item.objects.filter(query)

    def unpublished_items(self, items=None) -> list[Item]:
        """The items that keep the narrative from being published (drafts, under review):
        of the saved ones, or of `items` (the items it will show once a form's rows are
        saved: the admin checks those before anything is written)."""
        if items is None:
            return list(self.used_items().exclude(status=Status.PUBLISHED).order_by("identifier"))
        blocking = {item.pk: item for item in items if item.status != Status.PUBLISHED}
        return sorted(blocking.values(), key=lambda item: item.identifier)

    def check_publishable(self, items=None) -> None:
        """A published narrative shows only published items: raise a ValidationError that
        lists the items that are not, if it is to be published with any. `items`: as for
        `unpublished_items`."""
        if self.status != Status.PUBLISHED:
            return
        blocking = self.unpublished_items(items)
        if blocking:
            names = ", ".join(f"{item.identifier} ({item.title})" for item in blocking)
            raise ValidationError(
                {
                    "status": _(
                        "It cannot be published while it uses items that are not published: "
                        "%(items)s. Publish those items first or remove them."
                    )
                    % {"items": names}
                },
                code="unpublished_items",
            )

    def clean(self):
        # The admin checks the items with the rows being saved in the same form (its
        # inline formset sets `_items_checked`); everyone else checks the saved ones.
        if not getattr(self, "_items_checked", False):
            self.check_publishable()

    @transaction.atomic
    def publish(self) -> None:
        """Publish after checking the rule; raises ValidationError listing the items that
        are not published."""
        self.status = Status.PUBLISHED
        self.check_publishable()
        self.save()

    def unpublish(self) -> None:
        self.status = Status.DRAFT
        self.save()

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.unique_slug(self.title)
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        elif self.status != Status.PUBLISHED:
            self.published_at = None
        super().save(*args, **kwargs)

    @classmethod
    def unique_slug(cls, text: str) -> str:
        base = polish_slugify(text)[:190] or cls.SLUG_FALLBACK
        slug, n = base, 2
        while cls.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug


class Audience(models.Model):
    """Who a lesson is for (klasy 1–3, 4–6, 7–8, szkoła ponadpodstawowa): data, editable."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return localized(self, "name")


class SchoolSubject(models.Model):
    """A school subject (historia, język polski, edukacja regionalna …): data, editable."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("school subject")
        verbose_name_plural = _("school subjects")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return localized(self, "name")


class Lesson(Narrative):
    """A lesson pack for schools: goals, curriculum references, steps with items."""

    audiences = models.ManyToManyField(
        Audience, blank=True, related_name="lessons", verbose_name=_("audience")
    )
    school_subjects = models.ManyToManyField(
        SchoolSubject, blank=True, related_name="lessons", verbose_name=_("school subjects")
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(1440)],
    )
    goals = models.TextField(
        _("learning goals"), blank=True, help_text=_("Markdown; one goal per list item.")
    )
    goals_en = models.TextField(_("learning goals (English)"), blank=True)
    teacher_notes = models.TextField(_("teacher's notes"), blank=True, help_text=_("Markdown."))
    teacher_notes_en = models.TextField(_("teacher's notes (English)"), blank=True)

    ITEM_PATHS = ("cover_item", "steps__item")
    SLUG_FALLBACK = "lekcja"

    class Meta(Narrative.Meta):
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        permissions = [("publish_lesson", _("Can publish and unpublish lessons"))]

    def get_absolute_url(self) -> str:
        return reverse("curation:lesson", kwargs={"slug": self.slug})

    def steps_for_display(self, user=None) -> list[LessonStep]:
        """The steps in order, each with `shown_item`: its item when `user` may see it
        (published items for the public, every item for staff), else None. Items come with
        their licence, media and creators: a fixed number of queries for any lesson."""
        visible = set(
            Item.objects.visible_to(user)
            .filter(lesson_steps__lesson=self)
            .values_list("pk", flat=True)
        )
        steps = list(
            self.steps.select_related("item__licence").prefetch_related(
                "item__media_files", "item__item_creators__agent"
            )
        )
        for step in steps:
            step.shown_item = step.item if step.item_id in visible else None
        return steps

    @property
    def display_goals(self) -> str:
        return localized(self, "goals")

    @property
    def display_teacher_notes(self) -> str:
        return localized(self, "teacher_notes")


class CurriculumReference(models.Model):
    """A requirement of the Polish core curriculum (podstawa programowa) a lesson serves,
    e.g. "Historia, klasy 4–8, XXXIV.2": structured fields plus the requirement's text."""

    class Stage(models.TextChoices):
        EARLY = "1-3", _("grades 1–3 (early education)")
        PRIMARY = "4-8", _("grades 4–8")
        SECONDARY_BASIC = "secondary-basic", _("secondary school, basic level")
        SECONDARY_EXTENDED = "secondary-extended", _("secondary school, extended level")

    lesson = models.ForeignKey(
        Lesson,
        on_delete=models.CASCADE,
        related_name="curriculum_references",
        verbose_name=_("lesson"),
    )
    school_subject = models.ForeignKey(
        SchoolSubject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school subject"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage, blank=True)
    requirement = models.CharField(
        _("requirement"), max_length=40, blank=True, help_text=_("Its number, e.g. XXXIV.2.")
    )
    text = models.TextField(_("text"), blank=True, help_text=_("What the requirement says."))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("core curriculum reference")
        verbose_name_plural = _("core curriculum references")

    def __str__(self) -> str:
        parts = [
            self.school_subject.label if self.school_subject else "",
            self.get_stage_display() if self.stage else "",
            self.requirement,
        ]
        return ", ".join(part for part in parts if part) or self.text[:80]


class LessonStep(models.Model):
    """One step of a lesson: a heading, text for pupils, an item, tasks."""

    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="steps", verbose_name=_("lesson")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading"), max_length=300)
    heading_en = models.CharField(_("heading (English)"), max_length=300, blank=True)
    text = models.TextField(_("text for pupils"), blank=True, help_text=_("Markdown."))
    text_en = models.TextField(_("text for pupils (English)"), blank=True)
    item = models.ForeignKey(
        Item,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lesson_steps",
        verbose_name=_("item"),
    )
    tasks = models.TextField(
        _("tasks and questions"),
        blank=True,
        help_text=_("One task or question per line; pupils get space to write under each."),
    )
    tasks_en = models.TextField(_("tasks and questions (English)"), blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return self.heading

    @property
    def display_heading(self) -> str:
        return localized(self, "heading")

    @property
    def display_text(self) -> str:
        return localized(self, "text")

    @property
    def task_list(self) -> list[str]:
        return [line.strip() for line in localized(self, "tasks").splitlines() if line.strip()]


class Story(Narrative):
    """A narrated page for residents, made of ordered blocks."""

    ITEM_PATHS = ("cover_item", "blocks__entries__item")
    SLUG_FALLBACK = "opowiesc"

    class Meta(Narrative.Meta):
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        permissions = [("publish_story", _("Can publish and unpublish stories"))]

    def get_absolute_url(self) -> str:
        return reverse("curation:story", kwargs={"slug": self.slug})

    def blocks_for_display(self, user=None) -> list[StoryBlock]:
        """The blocks in order, each with `shown_entries`: its item entries whose items
        `user` may see (published ones for the public). A fixed number of queries."""
        visible = Item.objects.visible_to(user)
        entries = Prefetch(
            "entries",
            queryset=StoryBlockItem.objects.filter(item__in=visible.values("pk"))
            .select_related("item__licence")
            .prefetch_related("item__media_files", "item__item_creators__agent"),
            to_attr="shown_entries",
        )
        return list(self.blocks.prefetch_related(entries))


class StoryBlock(models.Model):
    """One block of a story. What it shows depends on its kind:
    text (Markdown), item (one entry, with a caption), pair (two entries side by side),
    quote (text with its source), gallery (two or more entries)."""

    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        ITEM = "item", _("item with a caption")
        PAIR = "pair", _("two items side by side")
        QUOTE = "quote", _("quotation")
        GALLERY = "gallery", _("gallery")

    # How many item entries each kind takes: (at least, at most); None is "no limit".
    ENTRIES = {
        Kind.TEXT: (0, 0),
        Kind.ITEM: (1, 1),
        Kind.PAIR: (2, 2),
        Kind.QUOTE: (0, 0),
        Kind.GALLERY: (2, None),
    }

    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("story")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.TEXT)
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    heading_en = models.CharField(_("heading (English)"), max_length=300, blank=True)
    text = models.TextField(
        _("text"), blank=True, help_text=_("Markdown; for a quotation, the quoted words.")
    )
    text_en = models.TextField(_("text (English)"), blank=True)
    source = models.CharField(
        _("source of the quotation"), max_length=500, blank=True, help_text=_("Who said it, where.")
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")

    def __str__(self) -> str:
        return self.heading or self.get_kind_display()

    @property
    def display_heading(self) -> str:
        return localized(self, "heading")

    @property
    def display_text(self) -> str:
        return localized(self, "text")

    def entry_count_problem(self, count: int) -> str | None:
        """Why `count` items do not fit this block's kind (ENTRIES), or None."""
        least, most = self.ENTRIES[self.Kind(self.kind)]
        if most == 0 and count:
            return _("A block of this kind shows no items: remove them or change its kind.")
        if count < least or (most is not None and count > most):
            if least == most:
                return ngettext(
                    "A block of this kind shows exactly %(count)d item.",
                    "A block of this kind shows exactly %(count)d items.",
                    least,
                ) % {"count": least}
            return ngettext(
                "A block of this kind shows at least %(count)d item.",
                "A block of this kind shows at least %(count)d items.",
                least,
            ) % {"count": least}
        return None


class StoryBlockItem(models.Model):
    """An item shown in a story block, with its caption, in the block's order."""

    block = models.ForeignKey(
        StoryBlock, on_delete=models.CASCADE, related_name="entries", verbose_name=_("block")
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="story_entries", verbose_name=_("item")
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    caption_en = models.CharField(_("caption (English)"), max_length=500, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("item in block")
        verbose_name_plural = _("items in block")

    def __str__(self) -> str:
        return self.item.identifier

    @property
    def display_caption(self) -> str:
        return localized(self, "caption")


def published_narratives_using(items) -> list[Narrative]:
    """The published lessons, then stories, that show any of `items` (an Item, a pk, or a
    queryset/list of them), each by title: one query. The results are unsaved instances
    with the title and slug (enough for a link)."""
    fields = ("pk", "slug", "title", "title_en")
    parts = [
        model.objects.published()
        .using(items)
        .order_by()
        .annotate(kind=models.Value(position, output_field=models.IntegerField()))
        .values_list(*fields, "kind")
        for position, model in enumerate((Lesson, Story))
    ]
    rows = parts[0].union(parts[1]).order_by("kind", "title", "pk")
    models_by_kind = (Lesson, Story)
    return [
        models_by_kind[kind](pk=pk, slug=slug, title=title, title_en=title_en)
        for pk, slug, title, title_en, kind in rows
    ]


audit.register(Lesson)
audit.register(Story)
