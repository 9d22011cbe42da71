"""Template tags of lessons and stories for other apps' pages."""

from django import template

from curation.models import published_narratives_using

register = template.Library()


@register.simple_tag
def appears_in(item) -> list:
    """The published lessons and stories that show `item` (one query)."""
    return published_narratives_using(item)


@register.filter
def verbose_name_of(obj) -> str:
    """ "lesson" or "story", in the reader's language."""
    return str(obj._meta.verbose_name)
