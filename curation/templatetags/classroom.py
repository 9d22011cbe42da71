"""Template helpers for a lesson's classroom downloads (curation/lesson_pack.py)."""

from django import template

from curation import lesson_pack

register = template.Library()


@register.simple_tag
def classroom_zip_size(lesson) -> int | None:
    """The size in bytes of the lesson's last built ZIP in this language, if one is kept."""
    path = lesson_pack.cached_zip(lesson)
    try:
        return path.stat().st_size if path else None
    except FileNotFoundError:
        return None
