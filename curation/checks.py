"""`manage.py check` for the classroom downloads (registered in curation/apps.py): the
folder lessons' ZIPs are written to must be writable, or every download would fail."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register

from media.checks import write_problem


@register(Tags.compatibility, "kronika")
def check_classroom_cache_dir(app_configs=None, **kwargs) -> list:
    folder = Path(settings.KRONIKA_CLASSROOM_CACHE_DIR)
    problem = write_problem(folder)
    if problem:
        return [
            Error(
                f"KRONIKA_CLASSROOM_CACHE_DIR ({folder}) cannot be written: {problem}. Lessons' "
                "classroom ZIPs are built there.",
                hint="Point KRONIKA_CLASSROOM_CACHE_DIR at a folder the server may write "
                "to (docs/configuration.md).",
                id="curation.E001",
            )
        ]
    return []
