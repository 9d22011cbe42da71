from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from django.core.signals import request_started

        from . import audit
        from . import checks as contact_checks  # noqa: F401  (registers the contact checks)
        from .date_phrases import PERIODS
        from .dates import check_year_range

        checks.register(check_year_range, checks.Tags.compatibility)
        audit.connect()
        # Named periods edited in another process are picked up by the next request.
        request_started.connect(PERIODS.expire, dispatch_uid="archive.named_periods")
