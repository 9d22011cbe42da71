from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API under /api/v1/ (Django REST framework)."""

    name = "api"
    verbose_name = _("API")
