from django.apps import AppConfig


class InteropConfig(AppConfig):
    """Standards other systems speak: OAI-PMH for aggregators, IIIF Presentation manifests."""

    name = "interop"
    verbose_name = "Interoperability"

    def ready(self) -> None:
        from . import deletions

        deletions.connect()
