from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "media"
    label = "media"
    verbose_name = _("Media")

    def ready(self) -> None:
        from django.conf import settings
        from PIL import Image

        from . import checks  # noqa: F401 (registers the system checks)

        # Pillow's own bomb guard must not be stricter than the archive's configured limit
        # (KRONIKA_MAX_IMAGE_PIXELS, checked in media.validation with a clearer message);
        # anything past twice that is refused by Pillow before a pixel is decoded.
        Image.MAX_IMAGE_PIXELS = max(Image.MAX_IMAGE_PIXELS or 0, settings.KRONIKA_MAX_IMAGE_PIXELS)
