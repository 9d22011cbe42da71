"""Media on local disk, written whole or not at all (issue #13 §3, docs/media.md).

Django's FileSystemStorage writes a file in place: when the disk fills up (ENOSPC) or the
directory cannot be written halfway through, the part already written stays under its final
name, and the error reaches the visitor as a 500. Here each file is written to a hidden
temporary name in its own directory, synced, and then linked to its final name (atomic, and
never over an existing file); on any failure the temporary file is removed, so no half-written
file is ever visible, and a write the disk refuses raises `StorageWriteError`, which
config.busy answers with a clear 503 (the API's JSON, a page elsewhere). Because the file is
written before its row is inserted (Django saves a FileField's file in `pre_save`), the
transaction that would have inserted the row is rolled back: no row names a missing file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile

from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext_lazy as _

FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class StorageWriteError(OSError):
    """The media storage refused a write: it is full, or not writable. Not the request's
    fault: nothing was saved, and the administrator must make room or fix the rights."""

    def __init__(self, cause: OSError):
        super().__init__(cause.errno, cause.strerror)
        self.full = cause.errno in FULL

    @property
    def heading(self) -> str:
        return str(_("The file could not be saved"))

    @property
    def message(self) -> str:
        if self.full:
            return str(
                _(
                    "The archive's file storage is full, so the file could not be saved. "
                    "Nothing was saved. Please tell the administrator."
                )
            )
        return str(
            _(
                "The archive's file storage cannot be written to, so the file could not be "
                "saved. Nothing was saved. Please tell the administrator."
            )
        )


class AtomicFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose writes are all or nothing (see the module's docstring)."""

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        try:
            if self.directory_permissions_mode is not None:
                old = os.umask(0o777 & ~self.directory_permissions_mode)
                try:
                    os.makedirs(directory, self.directory_permissions_mode, exist_ok=True)
                finally:
                    os.umask(old)
            else:
                os.makedirs(directory, exist_ok=True)
            fd, temporary = tempfile.mkstemp(prefix=".partial-", dir=directory)
        except FileExistsError:
            raise FileExistsError(f"{directory} exists and is not a directory.") from None
        except OSError as exc:
            raise StorageWriteError(exc) from exc
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk.encode() if isinstance(chunk, str) else chunk)
                out.flush()
                os.fsync(out.fileno())
            mode = self.file_permissions_mode
            os.chmod(temporary, mode if mode is not None else 0o666 & ~_umask())
            while True:
                try:
                    os.link(temporary, full_path)  # atomic; fails if the name is taken
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
                else:
                    break
        except OSError as exc:
            raise StorageWriteError(exc) from exc
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        return str(name).replace("\\", "/")
