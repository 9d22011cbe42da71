"""Media in an S3-compatible bucket (MEDIA_STORAGE=s3, docs/media.md "Storage").

django-storages' S3Storage, with one change: a stored file's URL is Kronika's own
(`MEDIA_URL` + name, served by `media.views`), never a signed link to the bucket. The
bucket stays private; every byte the public gets goes through the view that checks the
item is published (drafts stay private), honours publication tokens and sets the cache
headers — exactly as with local disk. Imported only when MEDIA_STORAGE=s3.
"""

from __future__ import annotations

from storages.backends.s3 import S3Storage

from .public import stored_url


class S3MediaStorage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        return stored_url(self._normalize_name(self._clean_name(name)).lstrip("/"))
