from django import template

from ..models import Contribution

register = template.Library()


@register.simple_tag
def approved_contributions(item) -> list[Contribution]:
    """What residents added to a published item and an archivist approved (one query)."""
    if not item.is_published:
        return []
    return list(Contribution.objects.public().filter(item=item))
