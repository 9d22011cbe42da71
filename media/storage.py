"""Media in an S3-compatible bucket (MEDIA_STORAGE=s3, docs/media.md "Storage").

django-storages' S3Storage, with one change: a stored file's URL is Kronika's own
(`MEDIA_URL` + name, served by `media.views`), never a signed link to the bucket. The
bucket stays private; every byte the public gets goes through the view that checks the
item is published (drafts stay private), honours publication tokens and sets the cache
headers — exactly as with local disk. Imported only when MEDIA_STORAGE=s3.
"""

from __future__ import annotations

import errno
import functools

from botocore.exceptions import BotoCoreError, ClientError
from django.utils.translation import gettext_lazy as _
from storages.backends.s3 import S3Storage

from .filesystem import StorageWriteError
from .public import stored_url


class StorageUnavailable(StorageWriteError):
    """The bucket did not answer (refused, timed out, a 5xx) or refused Kronika's keys.

    Not the request's fault: config.busy answers it with a 503 and Retry-After (the API's
    JSON, a page elsewhere) and logs one line; a write that met it saved nothing (the file is
    stored before its row is inserted, in the same transaction). The error's text — the
    endpoint's address — goes to the log, never to the visitor.
    """

    def __init__(self, cause: Exception):
        OSError.__init__(self, errno.EIO, f"{type(cause).__name__}: {cause}")
        self.full = False

    @property
    def heading(self) -> str:
        return str(_("The archive's files cannot be reached now"))

    @property
    def message(self) -> str:
        return str(
            _(
                "The archive's file storage does not answer at the moment. Please try again "
                "in a few minutes. If you were saving something, nothing was saved."
            )
        )


def _reachable(method):
    """`method` of S3Storage with the client's errors as StorageUnavailable (a missing
    object stays FileNotFoundError / False, as S3Storage makes it)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(exc) from exc

    return wrapper


class S3MediaStorage(S3Storage):
    _save = _reachable(S3Storage._save)
    _open = _reachable(S3Storage._open)
    exists = _reachable(S3Storage.exists)
    delete = _reachable(S3Storage.delete)
    size = _reachable(S3Storage.size)
    listdir = _reachable(S3Storage.listdir)
    get_modified_time = _reachable(S3Storage.get_modified_time)

    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        return stored_url(self._normalize_name(self._clean_name(name)).lstrip("/"))
