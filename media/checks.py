"""`manage.py check` for where media files are kept (registered in media/apps.py): the
storage named by MEDIA_STORAGE must exist and be usable, or every upload would fail."""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register

STORAGES = ("filesystem", "s3")
HINT = "See docs/media.md ('Storage') and docs/configuration.md."


@register(Tags.compatibility, "kronika")
def check_media_storage(app_configs=None, **kwargs) -> list:
    kind = settings.MEDIA_STORAGE
    if kind not in STORAGES:
        return [
            Error(
                f"MEDIA_STORAGE {kind!r} is not one of {', '.join(STORAGES)}.",
                hint=HINT,
                id="media.E001",
            )
        ]
    if kind == "s3":
        problems = []
        if importlib.util.find_spec("storages") is None:
            problems.append(
                Error(
                    "MEDIA_STORAGE=s3 needs django-storages and boto3, which are not installed.",
                    hint='pip install ".[s3]"',
                    id="media.E002",
                )
            )
        options = settings.STORAGES["default"].get("OPTIONS", {})
        if not options.get("bucket_name"):
            problems.append(
                Error(
                    "MEDIA_STORAGE=s3 without AWS_STORAGE_BUCKET_NAME.",
                    hint=HINT,
                    id="media.E003",
                )
            )
        return problems
    folder = Path(settings.MEDIA_ROOT)
    problem = write_problem(folder)
    if problem:
        return [
            Error(
                f"MEDIA_ROOT ({folder}) cannot be written: {problem}. Uploads and their "
                "derivatives are stored there.",
                hint="Point MEDIA_ROOT at a folder the server may write to.",
                id="media.E004",
            )
        ]
    return []


def write_problem(folder: Path) -> OSError | None:
    """Why this folder (made if missing) cannot take a new file, or None if it can."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return exc
    return None
