"""Catalogue import from CSV or XLSX spreadsheets.

The importer keeps only small state in memory, so memory does not grow with the file:
pass 1 checks every row, collects every problem (line, column, reason) and spools the rows
as parsed to a temporary file; only when there are none does pass 2 write those rows, in one
transaction, in batches: other saves wait only for the writing, not for the reading. If the
file changed since it was checked (its SHA-256), pass 2 reads and parses it again. New items,
their versions, undo records and outbox entries are written from the values the importer
holds, with prepared statements (archive/bulk.py). A file with any bad row writes nothing at
all, and images stored before a failure are removed again.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import functools
import pickle
import sys
import tempfile
import zipfile
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DatabaseError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from archive import audit
from archive.batches import written_state
from archive.bulk import insert_rows
from archive.date_phrases import read_date, read_item_date
from archive.duplicates import Candidate, normalise_title, probable_duplicates_many
from archive.formulas import unguard_formula
from archive.models import (
    Agent,
    Item,
    ItemCreator,
    ItemType,
    Licence,
    Place,
    Status,
    Subject,
    find_label,
)
from archive.roles import can_change_status, status_change_refusal
from archive.text import fold
from curation.models import Collection, CollectionItem
from interop import deletions
from media.models import MediaFile
from media.validation import inspect_upload, sha256_of
from search.outbox import enqueue_items

COLUMNS = (
    "identifier",
    "title",
    "title_en",
    "item_type",
    "date",
    "date_as_written",
    "description",
    "description_en",
    "subjects",
    "places",
    "creators",
    "collections",
    "licence",
    "rights_holder",
    "source",
    "status",
    "image",
    "alt_text",
    "alt_text_en",
)
REQUIRED_COLUMNS = ("identifier", "title", "item_type")
# Columns that map one-to-one onto an Item field of the same name.
ITEM_TEXT_COLUMNS = ("identifier", "title", "title_en", "description", "description_en")
ITEM_TEXT_COLUMNS += ("rights_holder", "source")
LIST_COLUMNS = {"subjects": Subject, "places": Place, "creators": Agent, "collections": Collection}
LIST_SEPARATOR = ";"
DEFAULT_LICENCE = "InC"
BATCH_SIZE = 1000
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
ZIP_MAGIC = b"PK\x03\x04"


class _Rehearsal(Exception):
    """Raised after a dry run's write to roll it back."""


class CatalogueFileError(Exception):
    """A problem with the file as a whole (not found, not UTF-8, bad header...)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class RowError:
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.line and self.column:
            return _("line %(line)s, column %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        if self.line:
            return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


@dataclass
class ImportResult:
    """What an import did, or would do; `item_pks` lists every item written, for follow-up work."""

    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    images: int = 0
    errors: list[RowError] = field(default_factory=list)
    item_pks: array = field(default_factory=lambda: array("q"))
    # With `preview=True`: every row as it will be read (RowPreview.as_dict()), in file order.
    previews: list[dict] | None = None
    # The ImportBatch a real import recorded (None for dry runs and failed imports).
    batch: object | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def attach_errors(self) -> list[RowError]:
        """Give each preview row its errors; returns the errors that belong to no row."""
        if self.previews is None:
            return list(self.errors)
        by_line = {row["line"]: row for row in self.previews}
        for row in self.previews:
            row["errors"] = []
        general = []
        for error in self.errors:
            row = by_line.get(error.line)
            if row is None:
                general.append(error)
            else:
                row["errors"].append({"column": error.column, "message": error.message})
        return general


@dataclass(frozen=True)
class BatchInfo:
    """Who imports what, for the ImportBatch a real import records."""

    channel: str
    user: object | None = None
    file_name: str = ""
    checksum: str = ""


@dataclass(frozen=True)
class CheckedRows:
    """The checking pass's parsed rows, spooled for the write: `batches` pickles in `spool`,
    from the file whose SHA-256 is `checksum`."""

    spool: object
    batches: int
    checksum: str


@dataclass
class RawRow:
    line: int
    values: dict[str, str]
    extra_cells: int = 0


@dataclass
class ParsedRow:
    """One row turned into model values; only the columns present in the file are set."""

    line: int
    identifier: str
    fields: dict[str, object]
    lists: dict[str, list[str]]
    image: Path | None = None
    image_name: str = ""
    media_values: dict[str, str] = field(default_factory=dict)
    error_columns: set[str | None] = field(default_factory=set)


# --- reading -------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text an archivist typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _csv_cell_text(value: str) -> str:
    """A CSV cell (always text) as the value it stands for: the export's formula guard taken
    off."""
    return unguard_formula(value.strip())


def _utf8_lines(binary) -> Iterator[str]:
    """Decode line by line, so that a file in another encoding is reported with its line."""
    for number, raw in enumerate(binary, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise CatalogueFileError(
                _(
                    "The file is not UTF-8 (first problem on line %(line)s). Save it as "
                    "“CSV UTF-8” in your spreadsheet program and try again."
                )
                % {"line": number},
                line=number,
            ) from None


class CatalogueReader:
    """Streams the rows of a CSV or XLSX file as {column: text}, with their line numbers."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.columns: list[str | None] = []
        self._handle = None
        self._workbook = None
        self._rows: Iterator | None = None
        self.total_rows: int | None = None

    @property
    def present(self) -> set[str]:
        return {c for c in self.columns if c}

    def __enter__(self) -> CatalogueReader:
        try:
            self._open()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None

    def is_xlsx(self) -> bool:
        if self.path.suffix.lower() in XLSX_SUFFIXES:
            return True
        with self.path.open("rb") as handle:
            return handle.read(4) == ZIP_MAGIC

    def _open(self) -> None:
        if not self.path.exists():
            raise CatalogueFileError(_("File not found: %(path)s") % {"path": self.path})
        if not self.path.is_file():
            raise CatalogueFileError(_("This is not a file: %(path)s") % {"path": self.path})
        if self.path.stat().st_size == 0:
            raise CatalogueFileError(_("The file is empty."))
        header = self._open_xlsx() if self.is_xlsx() else self._open_csv()
        self.columns = self._check_header(header)

    def _open_csv(self) -> list:
        self._handle = self.path.open("rb")
        lines = _utf8_lines(self._handle)
        first = next(lines, None)
        while first is not None and not first.strip():
            first = next(lines, None)
        if first is None:
            raise CatalogueFileError(_("The file is empty."))
        # Excel in a Polish locale saves "CSV" with semicolons; the header tells which it is.
        delimiter = max((",", ";", "\t"), key=first.count)
        self._csv = csv.reader(_chain([first], lines), delimiter=delimiter, strict=True)
        header = self._next_csv()
        self._rows = self._csv_rows()
        return header[1] if header else []

    def _next_csv(self) -> tuple[int, list[str]] | None:
        start = self._csv.line_num + 1
        try:
            return start, next(self._csv)
        except StopIteration:
            return None
        except csv.Error as exc:
            raise CatalogueFileError(
                _("The CSV file cannot be read at line %(line)s: %(error)s")
                % {"line": self._csv.line_num, "error": exc},
                line=self._csv.line_num,
            ) from None

    def _csv_rows(self) -> Iterator[tuple[int, list]]:
        while (record := self._next_csv()) is not None:
            yield record

    def _open_xlsx(self) -> list:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            self._workbook = load_workbook(self.path, read_only=True, data_only=True)
            sheet = self._workbook.worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise CatalogueFileError(
                _("The file is not a valid XLSX workbook (%(error)s).") % {"error": exc}
            ) from None
        except IndexError:
            raise CatalogueFileError(_("The workbook has no sheets.")) from None
        if header is None:
            raise CatalogueFileError(_("The first sheet of the workbook is empty."))
        if sheet.max_row:
            self.total_rows = max(sheet.max_row - 1, 0)
        self._rows = ((number, list(values)) for number, values in enumerate(rows, start=2))
        return list(header)

    def _check_header(self, header: list) -> list[str | None]:
        names = [_cell_text(cell).lstrip("\ufeff").strip().lower() or None for cell in header]
        present = [n for n in names if n]
        if not present:
            raise CatalogueFileError(
                _("The first row must name the columns, e.g. identifier, title, item_type."),
                line=1,
            )
        unknown = [n for n in present if n not in COLUMNS]
        if unknown:
            raise CatalogueFileError(
                _("Unknown column(s) in the header: %(unknown)s. The columns are: %(known)s.")
                % {"unknown": ", ".join(unknown), "known": ", ".join(COLUMNS)},
                line=1,
            )
        doubled = sorted({n for n in present if present.count(n) > 1})
        if doubled:
            raise CatalogueFileError(
                _("The header names these columns twice: %(names)s.")
                % {"names": ", ".join(doubled)},
                line=1,
            )
        missing = [n for n in REQUIRED_COLUMNS if n not in present]
        if missing:
            raise CatalogueFileError(
                _("The header lacks the required column(s): %(missing)s.")
                % {"missing": ", ".join(missing)},
                line=1,
            )
        return names

    def __iter__(self) -> Iterator[RawRow]:
        width = len(self.columns)
        # XLSX cells are typed (a text cell is never a formula); CSV cells carry the export's
        # formula guard, which comes off here.
        cell_text = _cell_text if self._workbook is not None else _csv_cell_text
        for line, cells in self._rows:
            texts = [cell_text(cell) for cell in cells]
            if not any(texts):
                continue  # blank lines and spreadsheet padding
            extra = [t for t in texts[width:] if t]
            values = {
                name: (texts[i] if i < len(texts) else "")
                for i, name in enumerate(self.columns)
                if name
            }
            yield RawRow(line, values, len(extra))


def _chain(first: Iterable[str], rest: Iterator[str]) -> Iterator[str]:
    yield from first
    yield from rest


# --- checking and writing ------------------------------------------------------------------


def split_names(text: str) -> list[str]:
    """`;`-separated names, trimmed, without blanks or repeats."""
    if not text:
        return []
    return list(
        dict.fromkeys(n for n in (part.strip() for part in text.split(LIST_SEPARATOR)) if n)
    )


class CatalogueImport:
    """One import of one file: `run()` checks every row, then writes all of them or none."""

    def __init__(
        self,
        path: str | Path,
        *,
        progress: bool = False,
        preview: bool = False,
        record: BatchInfo | None = None,
        history_reference: str | None = None,
        user=None,
    ):
        self.path = Path(path)
        # Whose import this is: their permissions and the publishing rule (archive/roles.py)
        # apply to every row. None: the system (a command run without --user) may do all.
        self.user = user
        self.preview = preview
        self.record = record
        self.recorder = None
        # What the versions written by this import name it (its batch once recorded, else
        # the file).
        self.history_reference = history_reference or self.path.name
        self.history_reference_given = history_reference is not None
        self.base_dir = self.path.resolve().parent
        self.progress = progress
        self.licences: dict[str, int] = {}
        self.default_licence: int | None = None
        self._vocab: dict[tuple[str, str], int] = {}
        self._next_collection_order: dict[int, int] = {}
        self._stored: list[str] = []
        self._checked: CheckedRows | None = None
        self.batch_size = BATCH_SIZE

    # Entry point --------------------------------------------------------------------------

    def run(self, *, dry_run: bool = False) -> ImportResult:
        with tempfile.TemporaryFile() as spool:
            result = self.validate(spool=spool)
            result.dry_run = dry_run
            if result.ok:
                try:
                    if dry_run:
                        self.rehearse(result)
                    else:
                        self.write(result, record=self.record)
                except CatalogueFileError as exc:  # the file or the catalogue changed meanwhile
                    result.errors.append(RowError(exc.line, None, exc.message))
            self._checked = None
        return result

    def rehearse(self, result: ImportResult) -> None:
        """The real write, rolled back: a dry run refuses whatever the import would refuse."""
        storage = MediaFile._meta.get_field("file").storage
        try:
            with transaction.atomic():
                self.write(result)
                raise _Rehearsal
        except _Rehearsal:
            pass
        finally:
            for name in self._stored:
                storage.delete(name)
            self._stored = []
            # Records made in the rolled-back transaction do not exist: forget their keys.
            self._vocab.clear()
            self._next_collection_order.clear()
            result.item_pks = array("q")
            result.images = 0

    def _load_licences(self) -> None:
        self.licences = Licence.objects.label_lookup()
        self.default_licence = find_label(self.licences, DEFAULT_LICENCE)

    def _rows(self, reader: CatalogueReader, desc: str) -> Iterator[RawRow]:
        return tqdm(
            reader,
            desc=desc,
            unit=" rows",
            total=reader.total_rows,
            file=sys.stderr,
            disable=None if self.progress else True,
            mininterval=0.5,
        )

    def _batches(self, rows: Iterable) -> Iterator[list]:
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= self.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    # Pass 1 -------------------------------------------------------------------------------

    def validate(self, spool=None) -> ImportResult:
        """Read the whole file and collect every problem; write nothing. With `spool` (a
        binary temporary file), the rows as parsed go there too, a batch a pickle, for
        `write()` to use while the file stays as it was checked."""
        result = ImportResult()
        self._checked = None
        checksum = self._checksum() if spool is not None and self.path.is_file() else None
        batches = 0
        if self.preview:
            result.previews = []
            self._known_terms: dict[tuple[str, str], str | None] = {}
            self._raw_image: dict[int, str] = {}
        self._load_licences()
        seen: dict[str, int] = {}
        try:
            with CatalogueReader(self.path) as reader:
                self.present = reader.present
                rows = self._rows(reader, _("Checking"))
                for batch in self._batches(rows):
                    parsed = []
                    for raw in batch:
                        result.rows += 1
                        row, errors = self.parse(raw)
                        result.errors.extend(errors)
                        if row.identifier:
                            # Identifiers are one whatever the case of their letters.
                            first = seen.setdefault(row.identifier.lower(), row.line)
                            if first != row.line:
                                result.errors.append(
                                    RowError(
                                        row.line,
                                        "identifier",
                                        _("“%(identifier)s” is already on line %(first)s.")
                                        % {"identifier": row.identifier, "first": first},
                                    )
                                )
                        parsed.append(row)
                    result.errors.extend(self._check_batch(parsed, result))
                    if checksum is not None and not result.errors:
                        pickle.dump(parsed, spool, protocol=pickle.HIGHEST_PROTOCOL)
                        batches += 1
                    if self.preview:
                        result.previews.extend(self._preview_batch(parsed))
        except CatalogueFileError as exc:
            result.errors.append(RowError(exc.line, None, exc.message))
            return result
        result.errors.sort(key=lambda error: error.line or 0)
        if result.rows == 0 and not result.errors:
            result.errors.append(RowError(None, None, _("The file has a header but no rows.")))
        if checksum is not None and result.ok:
            self._checked = CheckedRows(spool, batches, checksum)
        return result

    def parse(self, raw: RawRow) -> tuple[ParsedRow, list[RowError]]:
        """Turn a row into model values, with the problems that need no database to find."""
        errors: list[RowError] = []

        def problem(column: str | None, message: str) -> None:
            errors.append(RowError(raw.line, column, str(message)))

        values = raw.values
        if raw.extra_cells:
            problem(None, _("the row has more cells than the header has columns."))
        for column, value in values.items():
            if "\x00" in value:
                # No database text can hold NUL (PostgreSQL refuses it): report, then look
                # further without it so the other checks still run.
                problem(column, _("the cell contains a NUL character; remove it."))
                values[column] = value.replace("\x00", "")
        for column in REQUIRED_COLUMNS:
            if not values[column]:
                problem(column, _("this column is required, but the cell is empty."))
        fields: dict[str, object] = {}
        for column in ITEM_TEXT_COLUMNS:
            if column in values:
                fields[column] = values[column]

        item_type = ItemType.from_label(values["item_type"]) if values["item_type"] else ""
        if item_type is None:
            problem(
                "item_type",
                _("“%(value)s” is not an item type. Use one of: %(choices)s.")
                % {"value": values["item_type"], "choices": ", ".join(ItemType.values)},
            )
        fields["item_type"] = item_type or ""

        if "date" in values:
            # EDTF or a phrase; a date_as_written column beside it must read as the same date.
            try:
                if "date_as_written" in values:
                    reading = read_item_date(values["date"], values["date_as_written"])
                else:
                    reading = read_date(values["date"])
            except ValidationError as exc:
                errors_by_column = (
                    exc.message_dict if hasattr(exc, "error_dict") else {"date": exc.messages}
                )
                for column, messages in errors_by_column.items():
                    problem(column, " ".join(messages))
            else:
                fields["date"] = reading.edtf
                interval = reading.interval
                fields["date_start"], fields["date_end"] = interval.start, interval.end
                if reading.is_phrase or "date_as_written" in values:
                    fields["date_as_written"] = reading.as_written
        elif values.get("date_as_written"):
            problem(
                "date_as_written",
                _("the date_as_written column needs the date column beside it."),
            )

        if "licence" in values:
            code = values["licence"] or DEFAULT_LICENCE
            licence = find_label(self.licences, code)
            if licence is None:
                problem(
                    "licence",
                    _("“%(value)s” is not a licence code. Use one of: %(choices)s.")
                    % {"value": code, "choices": " ".join(self._licence_codes())},
                )
            fields["licence_id"] = licence

        if "status" in values:
            status = Status.from_label(values["status"]) if values["status"] else Status.DRAFT
            if status is None:
                problem(
                    "status",
                    _("“%(value)s” is not a status. Use draft or published.")
                    % {"value": values["status"]},
                )
            fields["status"] = status or values["status"]

        lists = {}
        for column, model in LIST_COLUMNS.items():
            if column not in values:
                continue
            lists[column] = split_names(values[column])
            limit = model._meta.get_field(model.NAME_FIELD).max_length
            for name in lists[column]:
                if len(name) > limit:
                    problem(
                        column,
                        _("the name “%(name)s…” is longer than %(limit)s characters.")
                        % {"name": name[:40], "limit": limit},
                    )

        row = ParsedRow(raw.line, values["identifier"], fields, lists)
        row.media_values = {k: values[k] for k in ("alt_text", "alt_text_en") if k in values}
        image_text = values.get("image", "")
        if self.preview and image_text:
            self._raw_image[raw.line] = image_text
        if image_text:
            try:
                row.image = self._image_path(image_text)
                row.image_name = PurePosixPath(image_text.replace("\\", "/")).name
            except ValidationError as exc:
                problem("image", " ".join(exc.messages))
        elif values.get("alt_text") or values.get("alt_text_en"):
            column = "alt_text" if values.get("alt_text") else "alt_text_en"
            problem(column, _("alt-text is only used together with an image in the image column."))
        row.error_columns = {e.column for e in errors}
        return row, errors

    def _licence_codes(self) -> list[str]:
        return list(Licence.objects.order_by("code").values_list("code", flat=True))

    def _image_path(self, text: str) -> Path:
        """The image file a row names, which must lie inside the folder of the imported file."""
        relative = text.replace("\\", "/")
        if relative.startswith("/") or PurePosixPath(relative).is_absolute() or ":" in relative:
            raise ValidationError(
                _("“%(path)s” must be a path relative to the folder of the imported file.")
                % {"path": text}
            )
        path = (self.base_dir / relative).resolve()
        if not path.is_relative_to(self.base_dir):
            raise ValidationError(
                _("“%(path)s” points outside the folder of the imported file; refused.")
                % {"path": text}
            )
        if not path.is_file():
            raise ValidationError(_("the image file “%(path)s” does not exist.") % {"path": text})
        return path

    def _check_batch(self, rows: list[ParsedRow], result: ImportResult) -> list[RowError]:
        """The checks that need the model or the database, for a batch of rows."""
        errors: list[RowError] = []
        existing = {
            identifier.lower(): status
            for identifier, status in Item.objects.with_identifiers(
                r.identifier for r in rows
            ).values_list("identifier", "status")
        }
        # What the import would do, for dry runs; write() counts again what it really did.
        result.updated += len(existing)
        result.created += len(rows) - len(existing)
        images = self._existing_images(
            [r.identifier for r in rows if r.identifier.lower() in existing]
        )
        excluded = {"licence", "date", "date_as_written", "date_start", "date_end"}
        excluded |= {"published_at"}
        excluded |= {f.name for f in Item._meta.fields if f.name not in self.present}
        for row in rows:
            values = {k: v for k, v in row.fields.items() if k not in ("date", "date_as_written")}
            item = Item(**{"licence_id": self.default_licence, **values})
            # The date is checked above through the cache; the rest of the rules are the model's.
            item._media_checked = True
            try:
                item.full_clean(
                    exclude=excluded | row.error_columns,
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as exc:
                for column, messages in exc.message_dict.items():
                    column = column if column in COLUMNS else None
                    errors.append(RowError(row.line, column, " ".join(messages)))
            if not row.error_columns & {None, "image", "status", "alt_text", "alt_text_en"}:
                errors.extend(self._check_media(row, item, existing, images))
            errors.extend(self._check_rights(row, existing))
        return errors

    # Preview ------------------------------------------------------------------------------

    def _preview_batch(self, rows: list[ParsedRow]) -> list[dict]:
        """Each row as the import will read it: new or updated item, the fields that change
        (old → new), the date as read, names that will be created, the image."""
        existing = {
            item.identifier.lower(): item
            for item in Item.objects.with_identifiers(r.identifier for r in rows if r.identifier)
        }
        related = _related_names([item.pk for item in existing.values()])
        licence_codes = dict(Licence.objects.values_list("pk", "code"))
        previews = []
        candidates = []
        for row in rows:
            item = existing.get(row.identifier.lower()) if row.identifier else None
            new_terms = {}
            changes = []
            for name, value in row.fields.items():
                if name in {"identifier", "date_start", "date_end"}:
                    continue
                new = _display_value(name, value, licence_codes)
                old = _display_value(name, _field_value(item, name), licence_codes) if item else ""
                if item is None and not new:
                    continue
                if old != new:
                    changes.append({"field": name, "old": old, "new": new})
            for column, names in row.lists.items():
                resolved = [self._known_term(column, n) for n in names]
                new_terms[column] = [
                    n for n, known in zip(names, resolved, strict=True) if known is None
                ]
                new = [known or n for n, known in zip(names, resolved, strict=True)]
                old = related[column].get(item.pk, []) if item else []
                if sorted(old) != sorted(new) and (item or new):
                    changes.append(
                        {
                            "field": column,
                            "old": f"{LIST_SEPARATOR} ".join(old),
                            "new": f"{LIST_SEPARATOR} ".join(new),
                        }
                    )
            image = None
            if row.image is not None:
                image = {"name": row.image_name, "found": True}
            elif "image" in row.error_columns:
                image = {"name": _cell_name(self._raw_image.get(row.line, "")), "found": False}
            status = row.fields.get("status") or (item.status if item else Status.DRAFT)
            previews.append(
                {
                    "line": row.line,
                    "identifier": row.identifier,
                    "title": str(row.fields.get("title") or (item.title if item else "")),
                    "action": "" if not row.identifier else ("update" if item else "create"),
                    "changes": changes,
                    "date": {
                        "text": row.fields.get("date", ""),
                        "as_written": row.fields.get("date_as_written", ""),
                        "start": row.fields.get("date_start"),
                        "end": row.fields.get("date_end"),
                    }
                    if "date" in row.fields
                    else None,
                    "new_terms": {k: v for k, v in new_terms.items() if v},
                    "image": image,
                    "status": status,
                    "errors": [],
                    "duplicates": [],
                }
            )
            candidates.append(self._duplicate_candidate(row, item))
        found = probable_duplicates_many(candidates)
        for preview in previews:
            preview["duplicates"] = [
                {"identifier": d.identifier, "title": d.title, "reasons": sorted(d.reasons)}
                for d in found.get(preview["line"], [])
            ]
        return previews

    @staticmethod
    def _duplicate_candidate(row: ParsedRow, item: Item | None) -> Candidate:
        """The row as a probable-duplicate candidate (archive/duplicates.py): its title and
        years, its image's checksum; an updated item is not its own duplicate."""
        checksums = ()
        if row.image is not None:
            with row.image.open("rb") as handle:
                checksums = (sha256_of(handle),)
        return Candidate(
            key=row.line,
            title=str(row.fields.get("title") or (item.title if item else "")),
            date_start=row.fields.get("date_start", item.date_start if item else None),
            date_end=row.fields.get("date_end", item.date_end if item else None),
            checksums=checksums,
            exclude_pk=item.pk if item else None,
        )

    def _known_term(self, column: str, name: str) -> str | None:
        """The name of the record a written name means, or None when the import creates it."""
        if (column, name) in self._known_terms:
            return self._known_terms[(column, name)]
        key = (column, fold(name))
        if key not in self._known_terms:
            record = LIST_COLUMNS[column].objects.find(name)
            self._known_terms[key] = str(record) if record is not None else None
        known = self._known_terms[(column, name)] = self._known_terms[key]
        return known

    def _check_rights(self, row: ParsedRow, existing: dict[str, str]) -> list[RowError]:
        """What the importing user may not do: add or change items, publish or unpublish."""
        if self.user is None or not row.identifier:
            return []
        old = existing.get(row.identifier.lower())
        needed = "archive.add_item" if old is None else "archive.change_item"
        if not self.user.has_perm(needed):
            message = (
                _("%(user)s may not add items.")
                if old is None
                else _("%(user)s may not change items.")
            )
            return [RowError(row.line, "identifier", message % {"user": self.user.get_username()})]
        new = row.fields.get("status")
        if "status" in row.error_columns or new is None:
            return []
        if not can_change_status(self.user, old, new):
            return [RowError(row.line, "status", status_change_refusal(old, new))]
        return []

    def _existing_images(self, identifiers: list[str]) -> dict[str, list[MediaFile]]:
        images: dict[str, list[MediaFile]] = {}
        if identifiers:
            for media in MediaFile.objects.filter(
                item__in=Item.objects.with_identifiers(identifiers), kind=MediaFile.Kind.IMAGE
            ).select_related("item"):
                images.setdefault(media.item.identifier.lower(), []).append(media)
        return images

    def _check_media(
        self,
        row: ParsedRow,
        item: Item,
        existing: dict[str, str],
        images: dict[str, list[MediaFile]],
    ) -> list[RowError]:
        errors: list[RowError] = []
        media = list(images.get(row.identifier.lower(), []))
        new = None
        values = {"alt_text": "", "alt_text_en": "", **row.media_values}
        if row.image is not None:
            try:
                with row.image.open("rb") as handle:
                    inspection = inspect_upload(handle)
            except ValidationError as exc:
                return [RowError(row.line, "image", " ".join(exc.messages))]
            except OSError as exc:
                return [RowError(row.line, "image", str(exc))]
            if inspection.kind != MediaFile.Kind.IMAGE:
                return [
                    RowError(
                        row.line,
                        "image",
                        _("“%(name)s” is not an image (JPEG, PNG, TIFF, WebP or GIF).")
                        % {"name": row.image_name},
                    )
                ]
            new = MediaFile(kind=MediaFile.Kind.IMAGE, original_name=row.image_name[:255])
            new.alt_text, new.alt_text_en = values["alt_text"], values["alt_text_en"]
            try:
                new.clean_fields(
                    exclude=[f.name for f in MediaFile._meta.fields if f.name not in values]
                )
            except ValidationError as exc:
                for column, messages in exc.message_dict.items():
                    errors.append(RowError(row.line, column, " ".join(messages)))
            same = [m for m in media if m.checksum == inspection.checksum]
            if same:
                # Re-importing an image the item already has updates its alt-text.
                for m in same:
                    for name, text in row.media_values.items():
                        setattr(m, name, text)
            else:
                media.append(new)
        status = row.fields.get("status") or existing.get(row.identifier.lower()) or Status.DRAFT
        if status == Status.PUBLISHED:
            try:
                item.check_publishable(media=media)
            except ValidationError as exc:
                column = "alt_text" if new is not None and not new.has_alt_text else "status"
                errors.append(RowError(row.line, column, " ".join(exc.messages)))
        return errors

    # Pass 2 -------------------------------------------------------------------------------

    def write(self, result: ImportResult, record: BatchInfo | None = None) -> None:
        """Write every row in one transaction; undo files on failure.

        The rows come parsed from a temporary spool, outside any transaction: the write
        transaction (which on SQLite holds the database's only write lock, making every other
        save wait) does database writes only, so it lasts a fraction of the import. The spool
        is the checking pass's when the file is still the one checked (same SHA-256);
        otherwise the file is read and parsed again. With `record`, the same transaction
        records the ImportBatch that can undo it.
        """
        from archive.batches import BatchRecorder, ImportBatch, batch_transaction

        storage = MediaFile._meta.get_field("file").storage
        self._stored = []
        result.created = result.updated = result.images = 0
        channel = record.channel if record else "rehearsal"
        checked, self._checked = self._checked, None
        try:
            with contextlib.ExitStack() as stack, self._history_channel():
                checksum = self._checksum()
                if checked is not None and checked.checksum == checksum:
                    spool, batches = checked.spool, checked.batches
                    spool.seek(0)
                else:
                    spool = stack.enter_context(tempfile.TemporaryFile())
                    batches = self._spool(spool)
                with batch_transaction(user=record and record.user, channel=channel):
                    if record is not None:
                        self.recorder = BatchRecorder(
                            ImportBatch.objects.create(
                                user=record.user,
                                channel=record.channel,
                                file_name=(record.file_name or self.path.name)[:255],
                                checksum=record.checksum or checksum,
                            )
                        )
                        if not self.history_reference_given:
                            # The versions this import writes name its batch.
                            batch_record = self.recorder.batch
                            audit.current_scope().reference = (
                                f"batch {batch_record.pk}: {batch_record.file_name}"[:200]
                            )
                    for batch in self._unspool(spool, batches, result.rows):
                        self._write_checked_batch(batch, result)
                    if self.recorder is not None:
                        self.recorder.finish(result)
                        result.batch = self.recorder.batch
        except BaseException:
            for name in self._stored:
                storage.delete(name)
            result.created = result.updated = result.images = 0
            result.item_pks = array("q")
            result.batch = None
            raise
        finally:
            self.recorder = None

    def _checksum(self) -> str:
        with self.path.open("rb") as handle:
            return sha256_of(handle)

    def _history_channel(self):
        """Versions written by the import say "import"; a caller that already opened an
        import channel (the admin's import page, with its batch) keeps its own."""
        if audit.current_scope().channel == audit.Channel.IMPORT:
            self.history_reference_given = True  # the caller's reference stands
            return contextlib.nullcontext()
        user = self.record.user if self.record is not None else None
        return audit.history_channel(
            audit.Channel.IMPORT, reference=self.history_reference, user=user
        )

    def _spool(self, spool) -> int:
        """Parse every row again (the file may have changed) into `spool`, a batch a pickle;
        returns the number of batches. Memory stays one batch, whatever the file's size."""
        batches = 0
        with CatalogueReader(self.path) as reader:
            for batch in self._batches(self._rows(reader, _("Preparing"))):
                parsed = []
                for raw in batch:
                    row, errors = self.parse(raw)
                    if errors:
                        raise CatalogueFileError(
                            _("The file changed while it was being imported; try again."),
                            line=raw.line,
                        )
                    parsed.append(row)
                pickle.dump(parsed, spool, protocol=pickle.HIGHEST_PROTOCOL)
                batches += 1
        spool.seek(0)
        return batches

    def _unspool(self, spool, batches: int, rows: int) -> Iterator[list[ParsedRow]]:
        with tqdm(
            total=rows or None,
            desc=_("Importing"),
            unit=" rows",
            file=sys.stderr,
            disable=None if self.progress else True,
            mininterval=0.5,
        ) as progress:
            for _batch in range(batches):
                parsed = pickle.load(spool)  # noqa: S301 - our own spool, written just above
                yield parsed
                progress.update(len(parsed))

    def _write_checked_batch(self, rows: list[ParsedRow], result: ImportResult) -> None:
        """Write a batch; a refusal the checks did not foresee is reported with the batch's
        lines, never as a traceback (and never with the database's own wording)."""
        try:
            with transaction.atomic(), audit.relations_recorded_by_caller():
                self._write_batch(rows, result)
        except ValidationError as exc:
            raise self._batch_error(rows, " ".join(exc.messages)) from exc
        except OperationalError:
            raise  # busy or unreachable: not the rows' fault, handled as before
        except (DatabaseError, OverflowError, ValueError) as exc:
            raise self._batch_error(rows, _("the database refused a value.")) from exc

    @staticmethod
    def _batch_error(rows: list[ParsedRow], reason: str) -> CatalogueFileError:
        return CatalogueFileError(
            _("The rows on lines %(first)s–%(last)s could not be written: %(reason)s")
            % {"first": rows[0].line, "last": rows[-1].line, "reason": reason},
            line=rows[0].line,
        )

    def _write_batch(self, rows: list[ParsedRow], result: ImportResult) -> None:
        now = timezone.now()
        # Locked until the import commits (on SQLite its transaction holds the write lock):
        # what pass 1 checked may have changed since, so the publishing rule is checked
        # again below against the items and media as they are now.
        existing = {
            item.identifier.lower(): item
            for item in Item.objects.with_identifiers(r.identifier for r in rows)
            .select_for_update(of=("self",))
            .order_by("pk")
        }
        # OAI-PMH tombstones: bulk writes send no signals, so withdraw/restore by hand.
        was_published = {i.pk for i in existing.values() if i.status == Status.PUBLISHED}
        # New items are written from their values (attname: value), without model instances.
        created: list[tuple[ParsedRow, dict]] = []
        updated: list[tuple[ParsedRow, Item]] = []
        defaults = self._new_item_defaults(now)
        for row in rows:
            item = existing.get(row.identifier.lower())
            if item is None:
                values = {**defaults, **row.fields}
                values["normalised_title"] = normalise_title(values["title"])
                if values["status"] == Status.PUBLISHED:
                    values["published_at"] = now
                created.append((row, values))
                continue
            self._check_still_allowed(row, item)
            if "date" in row.fields and "date_as_written" not in row.fields:
                # An EDTF date without a phrase: the stored phrase stays while the
                # date is the one it was read as (Item.read_date's rule).
                kept = read_item_date(row.fields["date"], item.date_as_written, item._stored_date)
                item.date_as_written = kept.as_written
            # `mok-f-0001` updates MOK-F-0001, which keeps its identifier.
            for name, value in row.fields.items():
                if name != "identifier":
                    setattr(item, name, value)
            item.modified = now
            updated.append((row, item))
            item.normalised_title = normalise_title(item.title)  # bulk writes skip save()
            if item.status == Status.PUBLISHED and item.published_at is None:
                item.published_at = now
            elif item.status != Status.PUBLISHED:
                item.published_at = None
        self._check_still_publishable(updated)
        before = self.recorder.before(item.pk for _row, item in updated) if self.recorder else {}
        if created:
            self._create_items([values for _row, values in created])
        if updated:
            fields = {name.removesuffix("_id") for row, _item in updated for name in row.fields}
            if "date" in fields:
                fields.add("date_as_written")
            fields |= {"modified", "published_at", "normalised_title"}
            self._update(Item, [item for _row, item in updated], sorted(fields))
        new_pks = [values["id"] for _row, values in created]
        pairs = [(row, values["id"]) for row, values in created]
        pairs += [(row, item.pk) for row, item in updated]
        links = self._write_relations(pairs, {item.pk for _row, item in updated})
        # Bulk writes send no signals: one version per item, with its relations as written
        # (a new item's are exactly the links written for it).
        relations = self._new_relations(new_pks, links)
        columns = self._item_attnames
        audit.record_written(
            Item,
            columns,
            [[values[name] for name in columns] for _row, values in created],
            created=True,
            relations=relations,
        )
        audit.record_bulk(Item, [item for _row, item in updated], created=False)
        images = {row.line for row, _pk in pairs if row.image is not None}
        for row, pk in pairs:
            if row.line in images and self._attach_image(row, Item.objects.get(pk=pk)):
                result.images += 1
            result.item_pks.append(pk)
        if self.recorder is not None:
            # A new item without an image is what was just written: its undo fingerprint
            # comes from those values; the others are read back.
            self.recorder.after(
                [(values["id"], values["identifier"]) for _row, values in created],
                [(item.pk, item.identifier) for _row, item in updated],
                before,
                known={
                    values["id"]: written_state(values, relations[values["id"]])
                    for row, values in created
                    if row.line not in images
                },
            )
        # Bulk writes send no signals: tell the search outbox and the OAI-PMH tombstones,
        # in the same transaction.
        enqueue_items(pk for _row, pk in pairs)
        deletions.withdraw(
            item
            for _row, item in updated
            if item.pk in was_published and item.status != Status.PUBLISHED
        )
        deletions.restore(
            [
                values["identifier"]
                for _row, values in created
                if values["status"] == Status.PUBLISHED
            ]
            + [item.identifier for _row, item in updated if item.status == Status.PUBLISHED]
        )
        result.created += len(created)
        result.updated += len(updated)

    @functools.cached_property
    def _item_attnames(self) -> list[str]:
        """Every column of an item, the pk first."""
        return [f.attname for f in Item._meta.concrete_fields]

    def _new_item_defaults(self, now: datetime.datetime) -> dict[str, object]:
        """The values of a new item the file does not set, as `Item()` and bulk_create give
        them (the import's default licence; `created` and `modified` now)."""
        defaults = {
            f.attname: f.get_default()
            for f in Item._meta.concrete_fields
            if not f.primary_key and f.attname not in {"licence_id", "created", "modified"}
        }
        defaults.update(licence_id=self.default_licence, status=Status.DRAFT)
        defaults.update(published_at=None, created=now, modified=now)
        return defaults

    def _create_items(self, new: list[dict]) -> None:
        """INSERT new items from their values, then give each its pk (`values["id"]`)."""
        columns = self._item_attnames[1:]
        insert_rows(Item, columns, ([values[name] for name in columns] for values in new))
        pks = dict(
            Item.objects.filter(identifier__in=[values["identifier"] for values in new])
            .order_by()
            .values_list("identifier", "pk")
        )
        for values in new:
            values["id"] = pks[values["identifier"]]

    @staticmethod
    def _new_relations(pks: list[int], links: dict[str, list[tuple]]) -> dict[int, dict]:
        """The relations snapshot of items this batch created (`audit.item_relations`' shape
        and order), from the link rows `_write_relations` wrote: a new item has no others."""
        relations = {
            pk: {
                "subjects": [],
                "places": [],
                "creators": [],
                "collections": [],
                "related_items": [],
            }
            for pk in pks
        }
        if not relations:
            return relations
        for column in ("subjects", "places"):
            for item_pk, target in links.get(column, ()):
                if item_pk in relations:
                    relations[item_pk][column].append(target)
        for item_pk, agent, role, order in links.get("creators", ()):
            if item_pk in relations:
                relations[item_pk]["creators"].append([agent, role, order])
        for collection, item_pk, order in links.get("collections", ()):
            if item_pk in relations:
                relations[item_pk]["collections"].append([collection, order])
        for entry in relations.values():
            entry["subjects"].sort()
            entry["places"].sort()
            entry["creators"].sort(key=lambda creator: creator[2])
            entry["collections"].sort()
        return relations

    def _check_still_allowed(self, row: ParsedRow, item: Item) -> None:
        """The publishing rule again, inside the write: the item may have been published or
        unpublished since pass 1."""
        new = row.fields.get("status")
        if self.user is not None and new and not can_change_status(self.user, item.status, new):
            raise CatalogueFileError(
                _(
                    "%(reason)s The item was changed while the file was being imported; "
                    "nothing was imported."
                )
                % {"reason": status_change_refusal(item.status, new)},
                line=row.line,
            )

    def _check_still_publishable(self, updated: list[tuple[ParsedRow, Item]]) -> None:
        """The publishing rule again, inside the write, for existing items the file publishes:
        their media may have changed since pass 1 (an upload through the API or the admin)."""
        publishing = {item.pk: (row, item) for row, item in updated if item.is_published}
        if not publishing:
            return
        media: dict[int, list[MediaFile]] = {}
        for m in MediaFile.objects.filter(item_id__in=publishing).order_by("order", "pk"):
            media.setdefault(m.item_id, []).append(m)
        for pk, (row, item) in publishing.items():
            current = media.get(pk, [])
            if row.image is not None:
                with row.image.open("rb") as handle:
                    checksum = sha256_of(handle)
                same = [m for m in current if m.checksum == checksum]
                for m in same:
                    for name, text in row.media_values.items():
                        setattr(m, name, text)
                if not same:
                    new = MediaFile(kind=MediaFile.Kind.IMAGE, original_name=row.image_name)
                    for name, text in row.media_values.items():
                        setattr(new, name, text)
                    current = [*current, new]
            try:
                item.check_publishable(media=current)
            except ValidationError as exc:
                raise CatalogueFileError(
                    _(
                        "%(reason)s The item was changed while the file was being imported; "
                        "nothing was imported. Check the item and import the file again."
                    )
                    % {"reason": " ".join(exc.messages)},
                    line=row.line,
                ) from None

    def _resolve(self, column: str, name: str) -> int:
        """The pk of the vocabulary record a name means, created when it is unknown."""
        pk = self._vocab.get((column, name))
        if pk is None:
            key = (column, fold(name))
            pk = self._vocab.get(key)
            if pk is None:
                record, created = LIST_COLUMNS[column].objects.find_or_create(name)
                pk = self._vocab[key] = record.pk
                if created and self.recorder is not None:
                    self.recorder.term_created(column, pk)
            self._vocab[(column, name)] = pk
        return pk

    def _write_relations(
        self, pairs: list[tuple[ParsedRow, int]], updated: set[int]
    ) -> dict[str, list[tuple]]:
        """Write the link rows of each (row, item pk); returns the rows inserted, by column."""
        links = {}
        for column in LIST_COLUMNS:
            if column not in self.present:
                continue
            # Two spellings of one name ("Kościoły;koscioly") resolve to one record, once.
            wanted = {
                pk: list(dict.fromkeys(self._resolve(column, n) for n in row.lists[column]))
                for row, pk in pairs
            }
            if column == "subjects":
                rows = self._replace_simple(Item.subjects.through, "subject", wanted, updated)
            elif column == "places":
                rows = self._replace_simple(Item.places.through, "place", wanted, updated)
            elif column == "creators":
                rows = self._replace_creators(wanted, updated)
            else:
                rows = self._replace_collections(wanted, updated)
            links[column] = rows
        return links

    @staticmethod
    def _insert(model, fields: tuple[str, ...], rows: list[tuple]) -> list[tuple]:
        """Plain INSERT for link rows (archive/bulk.py): these rows have no save() logic to
        run. Returns `rows`."""
        insert_rows(model, fields, rows)
        return rows

    @staticmethod
    def _update(model, objects: list, names: list[str]) -> None:
        """One UPDATE statement per row, sent as one batch: bulk_update's CASE expressions
        cost seconds of Python per thousand rows; these rows have no save() logic to run."""
        fields = [model._meta.get_field(name) for name in names]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        pk_column = quote(model._meta.pk.column)
        rows = [
            [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
            for obj in objects
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s",  # noqa: S608
                rows,
            )

    @staticmethod
    def _delete(model, pks: list[int]) -> None:
        """Delete link rows without per-row signals: the importer tells the search outbox
        about every item it writes, once."""
        model.objects.filter(pk__in=pks)._raw_delete(model.objects.db)

    def _replace_simple(
        self, through, target: str, wanted: dict[int, list[int]], updated: set[int]
    ) -> list[tuple]:
        if updated:
            through.objects.filter(item_id__in=updated).delete()
        rows = [(item_pk, pk) for item_pk, pks in wanted.items() for pk in pks]
        return self._insert(through, ("item", target), rows)

    def _replace_creators(self, wanted: dict[int, list[int]], updated: set[int]) -> list[tuple]:
        # Existing creators the row still names keep their role; the others are removed.
        kept: set[tuple[int, int]] = set()
        if updated:
            stale = []
            for pk, item_id, agent_id in ItemCreator.objects.filter(
                item_id__in=updated
            ).values_list("pk", "item_id", "agent_id"):
                if agent_id in wanted[item_id]:
                    kept.add((item_id, agent_id))
                else:
                    stale.append(pk)
            self._delete(ItemCreator, stale)
        rows = [
            (item_pk, agent_pk, ItemCreator.Role.CREATOR.value, order)
            for item_pk, agents in wanted.items()
            for order, agent_pk in enumerate(agents)
            if (item_pk, agent_pk) not in kept
        ]
        return self._insert(ItemCreator, ("item", "agent", "role", "order"), rows)

    def _replace_collections(self, wanted: dict[int, list[int]], updated: set[int]) -> list[tuple]:
        kept: set[tuple[int, int]] = set()
        if updated:
            stale = []
            for pk, item_id, collection_id in CollectionItem.objects.filter(
                item_id__in=updated
            ).values_list("pk", "item_id", "collection_id"):
                if collection_id in wanted[item_id]:
                    kept.add((item_id, collection_id))
                else:
                    stale.append(pk)
            self._delete(CollectionItem, stale)
        rows = [
            (collection_pk, item_pk, self._collection_order(collection_pk))
            for item_pk, collections in wanted.items()
            for collection_pk in collections
            if (item_pk, collection_pk) not in kept
        ]
        return self._insert(CollectionItem, ("collection", "item", "order"), rows)

    def _collection_order(self, collection_pk: int) -> int:
        """New members go to the end of a collection, in the order of the file."""
        if collection_pk not in self._next_collection_order:
            last = (
                CollectionItem.objects.filter(collection_id=collection_pk)
                .order_by("-order")
                .values_list("order", flat=True)
                .first()
            )
            self._next_collection_order[collection_pk] = 0 if last is None else last + 1
        order = self._next_collection_order[collection_pk]
        self._next_collection_order[collection_pk] = order + 1
        return order

    def _attach_image(self, row: ParsedRow, item: Item) -> bool:
        """Store the row's image on the item; False when the item already had that image."""
        alt_texts = row.media_values
        with row.image.open("rb") as handle:
            checksum = sha256_of(handle)
            same = list(MediaFile.objects.filter(item=item, checksum=checksum))
            if same:
                for media in same:
                    for name, text in alt_texts.items():
                        setattr(media, name, text)
                    media.save(update_fields=list(alt_texts) or None)
                return False
            last = item.media_files.order_by("-order").values_list("order", flat=True).first()
            media = MediaFile(
                item=item,
                file=File(handle, name=row.image_name),
                original_name=row.image_name[:255],
                order=0 if last is None else last + 1,
                **alt_texts,
            )
            try:
                media.save()
            finally:
                if getattr(media.file, "_committed", False) and media.file.name:
                    self._stored.append(media.file.name)
        return True


def _field_value(item: Item, name: str) -> object:
    return getattr(item, name)


def _display_value(name: str, value: object, licence_codes: dict[int, str]) -> str:
    """A value as the preview shows it: codes as their labels, licences by code."""
    if value is None or value == "":
        return ""
    if name == "licence_id":
        return licence_codes.get(value, str(value))
    if name in ("item_type", "status"):
        labels = _CHOICE_LABELS[name]
        return str(labels.get(value, value))
    return str(value)


_CHOICE_LABELS = {"item_type": dict(ItemType.choices), "status": dict(Status.choices)}


def _related_names(pks: list[int]) -> dict[str, dict[int, list[str]]]:
    """{column: {item pk: names}} of existing items' vocabularies, in a query a column."""
    names: dict[str, dict[int, list[str]]] = {column: {} for column in LIST_COLUMNS}
    if not pks:
        return names
    queries = {
        "subjects": Item.subjects.through.objects.filter(item_id__in=pks).values_list(
            "item_id", "subject__name"
        ),
        "places": Item.places.through.objects.filter(item_id__in=pks).values_list(
            "item_id", "place__name"
        ),
        "creators": ItemCreator.objects.filter(item_id__in=pks)
        .order_by("order", "pk")
        .values_list("item_id", "agent__name"),
        "collections": CollectionItem.objects.filter(item_id__in=pks)
        .order_by("order", "pk")
        .values_list("item_id", "collection__title"),
    }
    for column, rows in queries.items():
        for item_id, name in rows:
            names[column].setdefault(item_id, []).append(name)
    return names


def _cell_name(text: str) -> str:
    return PurePosixPath(text.replace("\\", "/")).name if text else ""


def import_catalogue(
    path: str | Path,
    *,
    dry_run: bool = False,
    progress: bool = False,
    preview: bool = False,
    record: BatchInfo | None = None,
    history_reference: str | None = None,
    user=None,
) -> ImportResult:
    """Check a CSV/XLSX catalogue file and, unless it is a dry run or has errors, import it.

    The one entry point of the command and the admin's Import page. `preview` adds every
    row as it will be read to the result; `record` says who imports, for the ImportBatch a
    real import records (without it the batch is recorded as the command's, as `user`).
    `history_reference` names the import in the versions it writes (default: its batch).
    `user`: whose rights apply to every row (archive/roles.py); None: the system.
    """
    if not dry_run and record is None:
        record = BatchInfo(channel="command", user=user)
    return CatalogueImport(
        path,
        progress=progress,
        preview=preview,
        record=record,
        history_reference=history_reference,
        user=user,
    ).run(dry_run=dry_run)
