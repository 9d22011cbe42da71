"""`manage.py check` for the classroom downloads (registered in curation/apps.py): the
folder lessons' ZIPs are written to must be writable, or every download would fail."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.compatibility, "kronika")
def check_classroom_cache_dir(app_configs=None, **kwargs) -> list:
    folder = Path(settings.KRONIKA_CLASSROOM_CACHE_DIR)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return [
            Error(
                f"KRONIKA_CLASSROOM_CACHE_DIR ({folder}) cannot be written: {exc}. Lessons' "
                "classroom ZIPs are built there.",
                hint="Point KRONIKA_CLASSROOM_CACHE_DIR at a folder the server may write "
                "to (docs/configuration.md).",
                id="curation.E001",
            )
        ]
    return []
