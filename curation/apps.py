from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurationConfig(AppConfig):
    name = "curation"
    verbose_name = _("Collections")

    def ready(self):
        from . import checks  # noqa: F401 (registers the system checks)
