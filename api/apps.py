from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API under /api/v1/ (Django REST framework)."""

    name = "api"
    verbose_name = "API"
