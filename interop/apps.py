from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    """Standards other systems speak: OAI-PMH for aggregators, IIIF Presentation manifests."""

    name = "interop"
    verbose_name = _("Interoperability")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 (registers the system checks)
            deletions,
        )

        deletions.connect()
