"""Uploads kept across a refused save, so an archivist never has to choose a file twice.

A browser cannot put a chosen file back into a re-rendered form, so when the admin refuses
a save (a bad date, a missing alt-text) each accepted upload is stored under `staging/`
and the form carries a signed token naming it in a hidden field. The next submission of
that form uses the kept file unless another one is chosen. Tokens expire after a day and
older staged files are deleted whenever something is staged. Staged files are never
served: media.views answers only for names that belong to a media file.
"""

from __future__ import annotations

import contextlib
import secrets
from datetime import timedelta
from pathlib import Path, PurePosixPath

from django.core import signing
from django.core.files.storage import Storage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.text import get_valid_filename

STAGING_DIR = "staging"
MAX_AGE = timedelta(days=1)
_SALT = "media.staging"


def stage(upload, *, storage: Storage | None = None) -> str:
    """Store an upload under staging/ and return the signed token that names it."""
    storage = storage or default_storage
    delete_expired(storage=storage)
    original = PurePosixPath(upload.name or "upload").name
    safe = get_valid_filename(original) or "upload"
    name = storage.save(f"{STAGING_DIR}/{secrets.token_hex(16)}/{safe}", upload)
    return signing.dumps({"name": name, "original": original}, salt=_SALT)


def staged_upload(token: str, *, storage: Storage | None = None) -> UploadedFile | None:
    """The kept upload a token names, as an uploaded file; None if expired, forged or gone."""
    storage = storage or default_storage
    try:
        data = signing.loads(token, salt=_SALT, max_age=MAX_AGE)
        name, original = str(data["name"]), str(data["original"])
    except (signing.BadSignature, KeyError, TypeError):
        return None
    if not name.startswith(f"{STAGING_DIR}/") or ".." in name or not storage.exists(name):
        return None
    upload = UploadedFile(storage.open(name, "rb"), name=original, size=storage.size(name))
    upload.staged_token = token
    return upload


def discard(token: str, *, storage: Storage | None = None) -> None:
    """Delete the kept upload a token names (after it has been saved for real)."""
    storage = storage or default_storage
    upload = staged_upload(token, storage=storage)
    if upload is not None:
        upload.close()
        name = signing.loads(token, salt=_SALT)["name"]
        storage.delete(name)


def delete_expired(*, storage: Storage | None = None, now=None) -> int:
    """Delete staged files older than MAX_AGE; returns how many went."""
    storage = storage or default_storage
    cutoff = (now or timezone.now()) - MAX_AGE
    removed = 0
    try:
        folders, _files = storage.listdir(STAGING_DIR)
    except FileNotFoundError:
        return 0
    for folder in folders:
        try:
            _dirs, files = storage.listdir(f"{STAGING_DIR}/{folder}")
        except FileNotFoundError:
            continue
        for file in files:
            name = f"{STAGING_DIR}/{folder}/{file}"
            try:
                expired = storage.get_modified_time(name) < cutoff
            except (FileNotFoundError, NotImplementedError):
                continue
            if expired:
                storage.delete(name)
                removed += 1
        _remove_empty_folder(storage, f"{STAGING_DIR}/{folder}")
    return removed


def _remove_empty_folder(storage: Storage, folder: str) -> None:
    """Local disk keeps empty folders (object stores have none)."""
    with contextlib.suppress(NotImplementedError, OSError):
        Path(storage.path(folder)).rmdir()
