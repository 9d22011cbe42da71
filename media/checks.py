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
        if not problems:
            problem = bucket_problem()
            if problem:
                problems.append(
                    Error(
                        f"The media bucket {options['bucket_name']!r} cannot be used: "
                        f"{problem}. Uploads and their derivatives are stored there.",
                        hint="Check AWS_S3_ENDPOINT_URL, AWS_STORAGE_BUCKET_NAME and the "
                        "credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY); " + HINT,
                        id="media.E005",
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


def bucket_problem() -> str | None:
    """Why the configured S3 bucket cannot be used (unreachable, missing, refused), or
    None. One HEAD request with short timeouts and no retries, so `manage.py check`
    never hangs on a server that is down."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError
    from django.core.files.storage import storages

    storage = storages["default"]
    client = boto3.session.Session().client(
        "s3",
        endpoint_url=storage.endpoint_url or None,
        region_name=storage.region_name or None,
        aws_access_key_id=storage.access_key or None,
        aws_secret_access_key=storage.secret_key or None,
        config=Config(
            connect_timeout=3,
            read_timeout=5,
            retries={"max_attempts": 1},
            signature_version=storage.signature_version,
            s3={"addressing_style": storage.addressing_style},
        ),
    )
    try:
        client.head_bucket(Bucket=storage.bucket_name)
    except ClientError as exc:
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status == 404:
            return "it does not exist"
        if status == 403:
            return "the credentials are refused"
        return f"the server answered {status}"
    except BotoCoreError as exc:
        return f"the server cannot be reached ({exc})"
    return None
