from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    """What residents add to items: memories, identifications, corrections (moderated)."""

    name = "contributions"
    verbose_name = _("Residents' contributions")
