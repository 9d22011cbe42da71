"""The lesson list's filters (django-filter): by audience and by school subject, chosen by
their codes (`?audience=klasy-7-8&subject=historia`), so the addresses read well and stay
stable when a name is corrected. Shared by the web list and any other list of lessons."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Audience, Lesson, SchoolSubject


class LabelChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Choices named by `label`: in the reader's language."""

    def label_from_instance(self, obj) -> str:
        return obj.label


class LabelChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = LabelChoiceField


class LessonFilter(django_filters.FilterSet):
    audience = LabelChoiceFilter(
        field_name="audiences__code",
        to_field_name="code",
        queryset=Audience.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_("For"),
    )
    subject = LabelChoiceFilter(
        field_name="school_subjects__code",
        to_field_name="code",
        queryset=SchoolSubject.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_("School subject"),
    )

    class Meta:
        model = Lesson
        fields = ["audience", "subject"]

    def filter_queryset(self, queryset):
        # Two M2M filters join twice; a lesson matches once.
        return super().filter_queryset(queryset).distinct()
