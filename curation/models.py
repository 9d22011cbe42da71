"""Curated sets of items: nested collections with an order and a cover."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
