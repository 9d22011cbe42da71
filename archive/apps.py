from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from . import audit
        from . import checks as contact_checks  # noqa: F401  (registers the contact checks)
        from .dates import check_year_range

        checks.register(check_year_range, checks.Tags.compatibility)
        audit.connect()
