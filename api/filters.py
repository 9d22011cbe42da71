"""Item filters and ordering for the API, with the semantics of CONTRACTS.md.

Values of one filter are OR-ed, different filters AND-ed. Relation filters use subqueries
(never joins), so an item in two matching collections is listed once and counting stays
cheap on a large catalogue.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from archive.dates import year_range
from archive.models import Item, ItemType, Licence, Place, Status, Subject
from curation.models import Collection
from media.models import MediaFile

BOOLEAN_CHOICES = [
    ("true", "true"),
    ("false", "false"),
    ("1", "1"),
    ("0", "0"),
]

ORDERINGS = {
    "title": [F("title").asc(), F("identifier").asc()],
    "date": [F("date_start").asc(nulls_last=True), F("title").asc(), F("identifier").asc()],
    "-date": [F("date_start").desc(nulls_last=True), F("title").asc(), F("identifier").asc()],
    "created": [F("created").asc(), F("pk").asc()],
}


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    """A year within the archive's range (KRONIKA_YEAR_MIN/MAX), read when the form is built."""

    field_class = forms.IntegerField

    @property
    def field(self):
        self.extra["min_value"], self.extra["max_value"] = year_range()
        return super().field


class MembershipFilter(django_filters.ModelMultipleChoiceFilter):
    """Records linked, through a many-to-many relation named by `field_name` (forward or
    reverse), to any of the chosen values. It reads the relation's own table in a subquery,
    never a join, so a record linked to two chosen values is listed once and counting stays
    cheap; an empty choice leaves the records as they are."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        relation = qs.model._meta.get_field(self.field_name)
        if relation.many_to_many and relation.concrete:  # declared on this model
            field = relation
            mine, theirs = field.m2m_field_name(), field.m2m_reverse_field_name()
        else:  # the other model declares it (Collection.items for Item.collections)
            field = relation.field
            mine, theirs = field.m2m_reverse_field_name(), field.m2m_field_name()
        links = field.remote_field.through._default_manager.filter(**{f"{theirs}__in": value})
        return qs.filter(pk__in=links.values(f"{mine}_id"))


class ItemFilter(django_filters.FilterSet):
    item_type = django_filters.MultipleChoiceFilter(
        choices=ItemType.choices,
        distinct=False,  # no join, so no duplicates; DISTINCT would sort whole rows
        help_text=_("Item type code; repeat to match any of several."),
    )
    collection = MembershipFilter(
        field_name="collections",
        queryset=Collection.objects.all(),
        to_field_name="slug",
        help_text=_("Collection slug; repeat to match any of several."),
    )
    subject = MembershipFilter(
        field_name="subjects",
        queryset=Subject.objects.all(),
        to_field_name="slug",
        help_text=_("Subject slug; repeat to match any of several."),
    )
    place = MembershipFilter(
        field_name="places",
        queryset=Place.objects.all(),
        to_field_name="slug",
        help_text=_("Place slug; repeat to match any of several."),
    )
    licence = django_filters.ModelMultipleChoiceFilter(
        queryset=Licence.objects.all(),
        to_field_name="code",
        method="filter_licence",
        help_text=_("Licence code, e.g. CC-BY-4.0; repeat to match any of several."),
    )
    date_from = YearFilter(
        method="filter_date_from",
        help_text=_(
            "Year: items whose date interval ends in or after it (undated items left out)."
        ),
    )
    date_to = YearFilter(
        method="filter_date_to",
        help_text=_("Year: items whose date interval starts in or before it (undated left out)."),
    )
    has_media = django_filters.ChoiceFilter(
        choices=BOOLEAN_CHOICES,
        method="filter_has_media",
        help_text=_("true: only items with media files; false: only items without."),
    )
    status = django_filters.ChoiceFilter(
        choices=Status.choices,
        help_text=_("Staff and archivists only; the public sees published items whatever it says."),
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(key, key) for key in ORDERINGS],
        method="filter_ordering",
        empty_label=None,
        help_text=_("title (default), date (undated last), -date, created."),
    )

    class Meta:
        model = Item
        fields = []

    def filter_queryset(self, queryset):
        dates = self.form.cleaned_data
        # A reversed range is a slip: read it the right way round, as search does
        # (search.query), rather than answering with whatever spans both years.
        if None not in (low := dates.get("date_from"), high := dates.get("date_to")) and low > high:
            dates["date_from"], dates["date_to"] = high, low
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("ordering"):
            queryset = queryset.order_by(*ORDERINGS["title"])
        date_from = self.form.cleaned_data.get("date_from")
        date_to = self.form.cleaned_data.get("date_to")
        if date_from is not None or date_to is not None:
            # Undated items have no place on a timeline; one open end is enough to stay.
            queryset = queryset.exclude(date_start__isnull=True, date_end__isnull=True)
        return queryset

    @extend_schema_field(OpenApiTypes.STR)
    def filter_licence(self, queryset, name, value):
        return queryset.filter(licence__in=value) if value else queryset

    def filter_date_from(self, queryset, name, value):
        return queryset.exclude(date_end__lt=value)

    def filter_date_to(self, queryset, name, value):
        return queryset.exclude(date_start__gt=value)

    def filter_has_media(self, queryset, name, value):
        media = MediaFile.objects.filter(item=OuterRef("pk"))
        if value in ("true", "1"):
            return queryset.filter(Exists(media))
        return queryset.exclude(Exists(media))

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS[value])
