"""Full backup and restore of the catalogue: every record, every media original, checksums.

A backup is a plain folder that an archivist can check with standard tools:

    manifest.json              format version, Kronika version, time, counts per model
    SHA256SUMS                 `sha256sum -c` format: one line per file below
    records/<app>.<model>.jsonl  one JSON object per row, every concrete field by attname
    media/<storage name>       each stored file (originals, captions) byte for byte

Records are written generically from each model's concrete fields, so a field added to a
model is carried without touching this module; derived data (search tables, derivatives,
OAI tombstones) is left out by the explicit lists below, because it is rebuilt from the
rest. Both directions stream: rows are read with `.iterator()` and written line by line,
and the restore reads the files line by line; only the names of media files are held in
memory while restoring (to check that every file a record names was verified).

The restore checks everything first (manifest, every checksum, every line) and writes
nothing until all is well; then it writes every row with its original primary key and
timestamps in one transaction while copying the files into a staging folder, and moves them
into the media storage only after the commit. A restore that dies half-way (even by
SIGKILL) leaves no file in the storage; the next restore finishes or removes what a dead
one left in staging (see `recover_staging`).
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import decimal
import fcntl
import hashlib
import json
import os
import re
import shutil
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _
from tqdm import tqdm

FORMAT = "kronika-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
RECORDS_DIR = "records"
MEDIA_DIR = "media"

# The apps whose models are the catalogue. Their auto-created M2M tables come along.
BACKED_UP_APPS = ("archive", "curation", "media")
# Models of those apps that only hold data derived from the rest (none at present; the
# search tables live in search/, derivatives are files named from the original's checksum
# and OAI-PMH tombstones live in interop/, all outside BACKED_UP_APPS).
EXCLUDED_MODELS: frozenset[str] = frozenset()
# Fields that only record derived state (e.g. when derivatives were made); restored rows get
# the field's default so that the derived data is rebuilt. Keyed by model label_lower.
EXCLUDED_FIELDS: dict[str, frozenset[str]] = {}
# Rows that migrations create in every database (the licences, the named periods, the
# lessons' audiences and school subjects); the restore replaces them, and their versions
# (archive/audit.py) with them.
SEEDED_MODELS = frozenset(
    {
        "archive.licence",
        "archive.historicallicence",
        "archive.namedperiod",
        "archive.historicalnamedperiod",
        "curation.audience",
        "curation.schoolsubject",
    }
)
# Versions name the user by account and by name (history_username); accounts are not part of
# a backup, so a restored version keeps the name only.
ACCOUNT_FIELDS = frozenset({"history_user"})

# Where a restore puts media files until its transaction commits: one folder per run, under
# MEDIA_ROOT so that the final move is a rename on the same disk (local storage).
STAGING_DIR = ".import-staging"
STAGING_LOCK = ".lock"

CHUNK_SIZE = 1000
BATCH_SIZE = 500
HASH_BLOCK = 1024 * 1024
_CHECKSUM_LINE = re.compile(r"^([0-9a-f]{64}) [ *](.+)$")


class BackupError(Exception):
    """A backup cannot be written or read; the message says which file (and line) and why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ExportResult:
    counts: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    media_bytes: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class RestoreResult:
    counts: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    items_enqueued: int = 0
    # Files an earlier, interrupted restore left in staging: moved into place (its rows had
    # been committed) or removed (they had not).
    staging_completed: int = 0
    staging_removed: int = 0


# Which models and fields ------------------------------------------------------------------


def backed_up_models() -> list[type[models.Model]]:
    """Every model a backup holds, each after the models it points to."""
    chosen: list[type[models.Model]] = []
    for label in BACKED_UP_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label_lower not in EXCLUDED_MODELS and not model._meta.proxy:
                chosen.append(model)
    wanted = set(chosen)
    ordered: list[type[models.Model]] = []
    visiting: set[type[models.Model]] = set()

    def visit(model: type[models.Model]) -> None:
        if model in ordered or model in visiting:
            return  # a cycle is fine: foreign keys are checked at commit
        visiting.add(model)
        for f in model._meta.concrete_fields:
            target = f.remote_field.model if f.is_relation else None
            if target in wanted and target is not model:
                visit(target)
        visiting.discard(model)
        ordered.append(model)

    for model in chosen:
        visit(model)
    return ordered


def record_fields(model: type[models.Model]) -> list[models.Field]:
    excluded = EXCLUDED_FIELDS.get(model._meta.label_lower, frozenset()) | ACCOUNT_FIELDS
    return [f for f in model._meta.concrete_fields if f.name not in excluded]


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in record_fields(model) if isinstance(f, models.FileField)]


def records_name(model: type[models.Model]) -> str:
    return f"{RECORDS_DIR}/{model._meta.label_lower}.jsonl"


def kronika_version() -> str:
    try:
        return package_version("kronika")
    except PackageNotFoundError:
        return "unknown"


# Values ----------------------------------------------------------------------------------


def encode_value(value: object) -> object:
    """A field value as JSON, without loss: full microseconds, exact decimals, file names."""
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def safe_media_name(name: str) -> bool:
    """A storage name that stays inside the media folder (no absolute path, no `..`)."""
    path = PurePosixPath(name)
    return (
        bool(name)
        and "\\" not in name
        and "\x00" not in name
        and not path.is_absolute()
        and all(part not in ("", ".", "..") for part in name.split("/"))
    )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(HASH_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def _progress(iterable: Iterable, *, desc: str, total: int | None, show: bool) -> Iterable:
    return tqdm(
        iterable,
        desc=desc,
        total=total,
        unit=" rows",
        file=sys.stderr,
        disable=None if show else True,
        mininterval=0.5,
    )


# Export ----------------------------------------------------------------------------------


@contextmanager
def read_snapshot() -> Iterator[None]:
    """One consistent view of the whole database for reading, that never blocks writers.

    A backup reads for minutes while the site keeps saving. Kronika's SQLite transactions
    begin IMMEDIATE, taking the write lock, so `atomic()` would stop every save for as long
    as the backup runs: on SQLite this opens a deferred read transaction instead (in WAL mode
    its snapshot is fixed at the first read and writers go on). PostgreSQL reads in one
    REPEATABLE READ, READ ONLY transaction. Inside a transaction already open (a test's),
    that transaction's view is used.
    """
    if connection.in_atomic_block:
        yield
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                cursor.execute("COMMIT")  # nothing was written; ends the snapshot
    else:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield


class ArchiveExport:
    """Writes a backup folder; on any failure removes what it wrote."""

    def __init__(self, directory: str | Path, *, progress: bool = False):
        self.directory = Path(directory)
        self.progress = progress
        self.result = ExportResult()

    def run(self) -> ExportResult:
        created = self._prepare_directory()
        try:
            with read_snapshot():
                self._write()
        except BaseException:
            self._remove_output(created)
            raise
        return self.result

    def _prepare_directory(self) -> bool:
        target = self.directory
        if target.exists():
            if not target.is_dir():
                raise BackupError(_("%(path)s exists and is not a folder.") % {"path": target})
            if any(target.iterdir()):
                raise BackupError(
                    _("The folder %(path)s is not empty; give a new or empty folder.")
                    % {"path": target}
                )
            return False
        if not target.parent.is_dir():
            raise BackupError(_("The folder %(path)s does not exist.") % {"path": target.parent})
        target.mkdir()
        return True

    def _remove_output(self, created: bool) -> None:
        if created:
            shutil.rmtree(self.directory, ignore_errors=True)
            return
        for child in self.directory.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)

    def _write(self) -> None:
        (self.directory / RECORDS_DIR).mkdir()
        (self.directory / MEDIA_DIR).mkdir()
        records: dict[str, dict] = {}
        with (self.directory / CHECKSUMS).open("w", encoding="utf-8", newline="\n") as sums:
            for model in backed_up_models():
                label = model._meta.label_lower
                count = self._write_model(model, sums)
                name = records_name(model)
                digest = sha256_file(self.directory / name)
                sums.write(f"{digest}  {name}\n")
                records[label] = {
                    "file": name,
                    "count": count,
                    "fields": [f.attname for f in record_fields(model)],
                }
                self.result.counts[label] = count
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "kronika_version": kronika_version(),
            "created": timezone.now().isoformat(),
            "database": connection.vendor,
            "migrations": self._migrations(),
            "counts": dict(self.result.counts),
            "media": {"files": self.result.media_files, "bytes": self.result.media_bytes},
            "records": records,
            "checksums": {"file": CHECKSUMS, "sha256": sha256_file(self.directory / CHECKSUMS)},
        }
        # Written last, under a temporary name: a folder without a manifest is not a backup.
        partial = self.directory / f"{MANIFEST}.partial"
        with partial.open("w", encoding="utf-8") as handle:
            json.dump(manifest, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        os.replace(partial, self.directory / MANIFEST)

    @staticmethod
    def _migrations() -> dict[str, str]:
        latest: dict[str, str] = {}
        for app, name in MigrationRecorder(connection).applied_migrations():
            if app in BACKED_UP_APPS and name > latest.get(app, ""):
                latest[app] = name
        return latest

    def _write_model(self, model: type[models.Model], sums) -> int:
        fields = record_fields(model)
        files = file_fields(model)
        queryset = model._default_manager.order_by("pk")
        rows = _progress(
            queryset.iterator(chunk_size=CHUNK_SIZE),
            desc=str(model._meta.verbose_name_plural),
            total=queryset.count(),
            show=self.progress,
        )
        count = 0
        path = self.directory / records_name(model)
        with path.open("w", encoding="utf-8", newline="\n") as out:
            for obj in rows:
                record = {f.attname: encode_value(f.value_from_object(obj)) for f in fields}
                out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
                out.write("\n")
                for f in files:
                    stored = getattr(obj, f.attname)
                    if stored and stored.name:
                        self._copy_media(obj, f, stored.name, sums)
                count += 1
        return count

    def _copy_media(self, obj: models.Model, file_field: models.FileField, name: str, sums):
        label = f"{obj._meta.label} #{obj.pk}"
        if not safe_media_name(name):
            raise BackupError(
                _("%(record)s names a file outside the media folder: %(name)s")
                % {"record": label, "name": name}
            )
        target = self.directory / MEDIA_DIR / name
        if target.exists():
            return  # several rows share one stored file; it is in the backup once
        target.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        try:
            with file_field.storage.open(name, "rb") as source, target.open("wb") as copy:
                for block in iter(lambda: source.read(HASH_BLOCK), b""):
                    digest.update(block)
                    copy.write(block)
                    size += len(block)
        except FileNotFoundError as exc:
            target.unlink(missing_ok=True)
            raise BackupError(
                _("The file %(name)s of %(record)s is missing from the media storage.")
                % {"name": name, "record": label}
            ) from exc
        checksum = digest.hexdigest()
        sums.write(f"{checksum}  {MEDIA_DIR}/{name}\n")
        self.result.media_files += 1
        self.result.media_bytes += size
        recorded = getattr(obj, "checksum", None)
        if file_field.name == "file" and recorded and recorded != checksum:
            self.result.warnings.append(
                _(
                    "The stored file %(name)s of %(record)s no longer matches the checksum "
                    "recorded at upload; it was backed up as it is now."
                )
                % {"name": name, "record": label}
            )


def export_archive(directory: str | Path, *, progress: bool = False) -> ExportResult:
    """Back up every record and media file into a new (or empty) folder."""
    return ArchiveExport(directory, progress=progress).run()


# Restore ---------------------------------------------------------------------------------


class ArchiveRestore:
    """Verifies a backup folder completely, then restores it into an empty database."""

    def __init__(self, directory: str | Path, *, progress: bool = False):
        self.directory = Path(directory)
        self.progress = progress
        self.models = {model._meta.label_lower: model for model in backed_up_models()}
        self.media_names: set[str] = set()
        self.result = RestoreResult()
        self._staged: list[tuple[models.FileField, str]] = []
        self._staging: StagingFolder | None = None

    def run(self) -> RestoreResult:
        completed, removed = recover_staging()
        manifest = self.read_manifest()
        self.check_database_is_empty()
        self.verify_checksums(manifest)
        for label, entry in manifest["records"].items():
            self.check_records(self.models[label], entry)
        self.check_storage()
        self.restore(manifest)
        self.result.staging_completed, self.result.staging_removed = completed, removed
        return self.result

    # Checks: nothing is written until all of them pass.

    def _path(self, name: str) -> Path:
        return self.directory / name

    def read_manifest(self) -> dict:
        if not self.directory.is_dir():
            raise BackupError(
                _("The backup folder %(path)s does not exist.") % {"path": self.directory}
            )
        path = self._path(MANIFEST)
        try:
            with path.open("rb") as handle:
                manifest = json.load(handle)
        except FileNotFoundError as exc:
            raise BackupError(
                _("%(path)s is missing: this folder is not a complete Kronika backup.")
                % {"path": path}
            ) from exc
        except (ValueError, UnicodeDecodeError) as exc:
            raise BackupError(
                _("%(path)s is damaged (not valid JSON): %(error)s") % {"path": path, "error": exc}
            ) from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(
                _("%(path)s is not the manifest of a Kronika backup.") % {"path": path}
            )
        if manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                _(
                    "%(path)s is in backup format version %(found)s; this Kronika reads "
                    "version %(expected)s."
                )
                % {
                    "path": path,
                    "found": manifest.get("format_version"),
                    "expected": FORMAT_VERSION,
                }
            )
        records = manifest.get("records")
        checksums = manifest.get("checksums")
        if not isinstance(records, dict) or not isinstance(checksums, dict):
            raise BackupError(
                _("%(path)s is damaged: it lacks its list of records or checksums.")
                % {"path": path}
            )
        for label, entry in records.items():
            if label not in self.models:
                raise BackupError(
                    _("%(path)s lists records of %(model)s, which this Kronika does not have.")
                    % {"path": path, "model": label}
                )
            model = self.models[label]
            if (
                not isinstance(entry, dict)
                or entry.get("file") != records_name(model)
                or not isinstance(entry.get("count"), int)
            ):
                raise BackupError(
                    _("%(path)s is damaged: the entry for %(model)s is not valid.")
                    % {"path": path, "model": label}
                )
        return manifest

    def check_database_is_empty(self) -> None:
        for label, model in self.models.items():
            if label in SEEDED_MODELS or model._meta.auto_created:
                continue
            if model._default_manager.exists():
                raise BackupError(
                    _(
                        "The database already holds %(model)s; a backup is restored only into "
                        "an empty database. Use a new database (set DATABASE_URL and run "
                        "`manage.py migrate`) or empty this one with `manage.py flush`."
                    )
                    % {"model": model._meta.verbose_name_plural}
                )
        for label in SEEDED_MODELS:
            model = self.models[label]
            for rel in model._meta.related_objects:
                if rel.related_model._default_manager.filter(
                    **{f"{rel.field.name}__isnull": False}
                ).exists():
                    raise BackupError(
                        _("The database already holds records that use %(model)s.")
                        % {"model": model._meta.verbose_name_plural}
                    )

    def verify_checksums(self, manifest: dict) -> None:
        sums_path = self._path(CHECKSUMS)
        if manifest["checksums"].get("file") != CHECKSUMS:
            raise BackupError(_("%(path)s is damaged.") % {"path": self._path(MANIFEST)})
        if not sums_path.is_file():
            raise BackupError(_("The file %(path)s is missing.") % {"path": sums_path})
        if sha256_file(sums_path) != manifest["checksums"].get("sha256"):
            raise BackupError(
                _("The checksum of %(path)s differs from the manifest: the file is damaged.")
                % {"path": sums_path}
            )
        listed_records: set[str] = set()
        media = manifest.get("media")
        media_files = media.get("files") if isinstance(media, dict) else None
        total = len(manifest["records"]) + (media_files if isinstance(media_files, int) else 0)
        with sums_path.open("rb") as handle:
            lines = _progress(
                enumerate(handle, start=1),
                desc=_("Verifying checksums"),
                total=total,
                show=self.progress,
            )
            for number, raw in lines:
                try:
                    match = _CHECKSUM_LINE.match(raw.decode("utf-8").rstrip("\n"))
                except UnicodeDecodeError:
                    match = None
                if not match:
                    raise BackupError(
                        _("%(path)s, line %(line)d: not a checksum line.")
                        % {"path": sums_path, "line": number}
                    )
                expected, name = match.groups()
                self._verify_listed_file(name, expected, sums_path, number, listed_records)
        for entry in manifest["records"].values():
            if entry["file"] not in listed_records:
                raise BackupError(
                    _("%(file)s has no checksum in %(path)s.")
                    % {"file": entry["file"], "path": sums_path}
                )

    def _verify_listed_file(
        self, name: str, expected: str, sums_path: Path, number: int, listed_records: set[str]
    ) -> None:
        if name.startswith(f"{MEDIA_DIR}/") and safe_media_name(name[len(MEDIA_DIR) + 1 :]):
            media_name = name[len(MEDIA_DIR) + 1 :]
            if media_name in self.media_names:
                raise BackupError(
                    _("%(path)s, line %(line)d: %(file)s is listed twice.")
                    % {"path": sums_path, "line": number, "file": name}
                )
            self.media_names.add(media_name)
        elif name.startswith(f"{RECORDS_DIR}/") and safe_media_name(name):
            listed_records.add(name)
        else:
            raise BackupError(
                _("%(path)s, line %(line)d: %(file)s is not a file of a backup.")
                % {"path": sums_path, "line": number, "file": name}
            )
        path = self._path(name)
        if not path.is_file():
            raise BackupError(_("The file %(path)s is missing from the backup.") % {"path": path})
        if sha256_file(path) != expected:
            raise BackupError(
                _(
                    "The checksum of %(path)s differs from %(sums)s: the file is damaged or was "
                    "changed."
                )
                % {"path": path, "sums": CHECKSUMS}
            )

    def iter_records(
        self, model: type[models.Model], entry: dict
    ) -> Iterator[tuple[int, dict[str, object]]]:
        """(line number, {attname: Python value}) for every line, or BackupError naming it."""
        path = self._path(entry["file"])
        by_attname = {f.attname: f for f in record_fields(model)}
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                where = {"path": path, "line": number}
                try:
                    data = json.loads(raw)
                except (ValueError, UnicodeDecodeError) as exc:
                    raise BackupError(
                        _("%(path)s, line %(line)d: not valid JSON (%(error)s).")
                        % {**where, "error": exc}
                    ) from exc
                if not isinstance(data, dict):
                    raise BackupError(_("%(path)s, line %(line)d: not a record.") % where)
                unknown = sorted(set(data) - set(by_attname))
                if unknown:
                    raise BackupError(
                        _("%(path)s, line %(line)d: unknown fields %(fields)s.")
                        % {**where, "fields": ", ".join(unknown)}
                    )
                values = {}
                for attname, f in by_attname.items():
                    if attname not in data:
                        # A backup from before the field existed: the field's default.
                        if f.primary_key:
                            raise BackupError(
                                _("%(path)s, line %(line)d: the record has no %(field)s.")
                                % {**where, "field": attname}
                            )
                        values[attname] = f.get_default()
                        continue
                    try:
                        values[attname] = f.to_python(data[attname])
                    except (ValidationError, TypeError, ValueError) as exc:
                        message = " ".join(getattr(exc, "messages", [str(exc)]))
                        raise BackupError(
                            _("%(path)s, line %(line)d, field %(field)s: %(error)s")
                            % {**where, "field": attname, "error": message}
                        ) from exc
                yield number, values

    def check_records(self, model: type[models.Model], entry: dict) -> None:
        files = file_fields(model)
        count = 0
        rows = _progress(
            self.iter_records(model, entry),
            desc=_("Checking %(records)s") % {"records": model._meta.verbose_name_plural},
            total=entry["count"],
            show=self.progress,
        )
        for number, values in rows:
            count += 1
            for f in files:
                name = values[f.attname]
                if name and name not in self.media_names:
                    raise BackupError(
                        _(
                            "%(path)s, line %(line)d: the file %(file)s is not in the backup "
                            "(or has no checksum in %(sums)s)."
                        )
                        % {
                            "path": self._path(entry["file"]),
                            "line": number,
                            "file": f"{MEDIA_DIR}/{name}",
                            "sums": CHECKSUMS,
                        }
                    )
        if count != entry["count"]:
            raise BackupError(
                _("%(path)s holds %(found)d records; the manifest says %(expected)d.")
                % {"path": self._path(entry["file"]), "found": count, "expected": entry["count"]}
            )

    def _storage_fields(self) -> list[models.FileField]:
        return [f for model in self.models.values() for f in file_fields(model)]

    def check_storage(self) -> None:
        """A file already in the media storage under a backed-up name must be the same file."""
        storages = {id(f.storage): f.storage for f in self._storage_fields()}
        for storage in storages.values():
            for name in self.media_names:
                if not storage.exists(name):
                    continue
                digest = hashlib.sha256()
                with storage.open(name, "rb") as handle:
                    for block in iter(lambda: handle.read(HASH_BLOCK), b""):
                        digest.update(block)
                if digest.hexdigest() != sha256_file(self._path(f"{MEDIA_DIR}/{name}")):
                    raise BackupError(
                        _(
                            "The media storage already holds a different file named %(name)s; "
                            "restore into an empty media folder."
                        )
                        % {"name": name}
                    )

    # Writing: one transaction; files written are removed again on any failure.

    def restore(self, manifest: dict) -> None:
        self._staging = StagingFolder()
        try:
            with transaction.atomic():
                for label in SEEDED_MODELS:
                    self.models[label]._default_manager.all().delete()
                for label, model in self.models.items():
                    entry = manifest["records"].get(label)
                    self.result.counts[label] = self._restore_model(model, entry) if entry else 0
                self._reset_sequences()
                self._fill_derived_columns()
                try:
                    connection.check_constraints()
                except DatabaseError as exc:
                    raise BackupError(
                        _("The backup's records do not fit together: %(error)s") % {"error": exc}
                    ) from exc
                self.result.items_enqueued = self._enqueue_search()
                # Files go into the storage only once the rows are committed, and the
                # derivatives are made after that (callbacks run in this order).
                transaction.on_commit(self._place_staged_files)
                transaction.on_commit(self._enqueue_derivatives)
        except BaseException:
            self._staging.remove()
            self._staged = []
            self.result = RestoreResult()
            raise

    def _fill_derived_columns(self) -> None:
        """A backup from before a derived column existed restores it empty: compute it."""
        from archive.duplicates import fill_normalised_titles
        from archive.models import Item

        fill_normalised_titles(Item.objects.all())

    def _place_staged_files(self) -> None:
        """After the commit: move every staged file into the media storage."""
        for file_field, name in self._staged:
            place_staged_file(self._staging.path, file_field.storage, name)
        self._staged = []
        self._staging.remove()

    def _restore_model(self, model: type[models.Model], entry: dict) -> int:
        fields = record_fields(model)
        files = file_fields(model)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        batch: list[tuple] = []
        count = 0
        rows = _progress(
            self.iter_records(model, entry),
            desc=str(model._meta.verbose_name_plural),
            total=entry["count"],
            show=self.progress,
        )
        try:
            with connection.cursor() as cursor:
                for _number, values in rows:
                    for f in files:
                        if values[f.attname]:
                            self._store_file(f, values[f.attname])
                    # Raw INSERT of the saved values: auto_now/auto_now_add and save() logic
                    # must not touch a restored row.
                    batch.append(
                        tuple(f.get_db_prep_save(values[f.attname], connection) for f in fields)
                    )
                    count += 1
                    if len(batch) >= BATCH_SIZE:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
        except DatabaseError as exc:
            raise BackupError(
                _("The records of %(path)s could not be restored: %(error)s")
                % {"path": self._path(entry["file"]), "error": exc}
            ) from exc
        return count

    def _store_file(self, file_field: models.FileField, name: str) -> None:
        """Copy a file into staging (once per name) unless the storage already holds it."""
        staged = self._staging.path / name
        if staged.exists() or file_field.storage.exists(name):
            return  # restored for an earlier row, or the same file was already there
        staged.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self._path(f"{MEDIA_DIR}/{name}"), staged)
        self._staged.append((file_field, name))
        self.result.media_files += 1

    def _reset_sequences(self) -> None:
        """After explicit primary keys, new rows must not collide with restored ones."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.models.values()))
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)

    def _enqueue_search(self) -> int:
        from archive.models import Item
        from search.outbox import enqueue_items

        total, batch = 0, []
        for pk in Item.objects.order_by("pk").values_list("pk", flat=True).iterator(CHUNK_SIZE):
            batch.append(pk)
            if len(batch) >= CHUNK_SIZE:
                total += enqueue_items(batch)
                batch = []
        return total + enqueue_items(batch)

    def _enqueue_derivatives(self) -> None:
        """Derivatives are not in a backup: have them made again, as after an upload."""
        from media.models import MediaFile
        from media.tasks import generate_derivatives

        images = MediaFile.objects.filter(kind=MediaFile.Kind.IMAGE).order_by("pk")
        pks = _progress(
            images.values_list("pk", flat=True).iterator(CHUNK_SIZE),
            desc=_("Derivatives"),
            total=images.count(),
            show=self.progress,
        )
        for pk in pks:
            generate_derivatives.enqueue(pk)


# Staging ---------------------------------------------------------------------------------


def staging_root() -> Path:
    return Path(settings.MEDIA_ROOT) / STAGING_DIR


class StagingFolder:
    """One restore's staging folder, locked (flock) from creation until it is removed; the
    kernel drops the lock of a process that dies, which is how `recover_staging` tells a
    dead restore's folder from a running one's."""

    def __init__(self):
        root = staging_root()
        root.mkdir(parents=True, exist_ok=True)
        self.path = root / uuid.uuid4().hex
        self.path.mkdir()
        self._lock = (self.path / STAGING_LOCK).open("w")
        fcntl.flock(self._lock, fcntl.LOCK_EX)

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self._lock.close()
        with contextlib.suppress(OSError):
            self.path.parent.rmdir()  # only when no other restore is staging


def place_staged_file(folder: Path, storage, name: str) -> None:
    """Move one staged file to its name in the storage (a rename on local disk)."""
    staged = folder / name
    if not staged.exists():
        return
    if storage.exists(name):
        staged.unlink()  # the same bytes (check_storage compared them) are already there
        return
    try:
        target = Path(storage.path(name))
    except NotImplementedError:  # a remote storage: upload, then drop the staged copy
        with staged.open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        staged.unlink()
        if saved != name:
            raise BackupError(
                _("The media storage stored %(name)s under another name (%(saved)s).")
                % {"name": name, "saved": saved}
            ) from None
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, target)


def _named_by_a_record(name: str) -> models.FileField | None:
    for model in backed_up_models():
        for f in file_fields(model):
            if model._default_manager.filter(**{f.attname: name}).exists():
                return f
    return None


def recover_staging() -> tuple[int, int]:
    """Finish what restores that died (power cut, SIGKILL) left in staging.

    A staged file that a committed record names is moved into place (the restore died
    between its commit and the move); any other staged file is removed (its transaction
    never committed). Folders of a restore that is still running are locked and left
    alone. Returns (files moved into place, files removed).
    """
    root = staging_root()
    if not root.is_dir():
        return 0, 0
    completed = removed = 0
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        try:
            lock = (folder / STAGING_LOCK).open("a")
        except OSError:
            continue
        with lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a restore running now
            for path in sorted(folder.rglob("*")):
                if not path.is_file() or path == folder / STAGING_LOCK:
                    continue
                name = path.relative_to(folder).as_posix()
                file_field = _named_by_a_record(name)
                if file_field is None:
                    path.unlink()
                    removed += 1
                else:
                    place_staged_file(folder, file_field.storage, name)
                    completed += 1
            shutil.rmtree(folder, ignore_errors=True)
    with contextlib.suppress(OSError):
        root.rmdir()
    return completed, removed


def import_archive(directory: str | Path, *, progress: bool = False) -> RestoreResult:
    """Verify a backup folder and restore it into an empty database, all or nothing.

    The backup carries the catalogue's versions; the restore itself writes none."""
    from archive.audit import history_paused

    with history_paused():
        return ArchiveRestore(directory, progress=progress).run()
