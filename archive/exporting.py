"""Catalogue export to CSV or XLSX in the import format, so that export → import round-trips.

Rows are streamed from the database in chunks; the first image of each item is copied next to
the file (`<stem>_media/<identifier>/<name>`) and named by a path relative to the file.
"""

from __future__ import annotations

import csv
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from tqdm import tqdm

from archive.formulas import guard_formula
from archive.importing import COLUMNS, LIST_SEPARATOR
from archive.models import Item, ItemCreator
from archive.text import polish_slugify
from media.models import MediaFile

CHUNK_SIZE = 1000


class ExportError(Exception):
    """The export cannot be written (unknown format, folder missing...)."""


@dataclass
class ExportResult:
    items: int = 0
    images: int = 0


def _names(records, attribute: str = "name") -> str:
    return LIST_SEPARATOR.join(getattr(record, attribute) for record in records)


def collection_reference(collection) -> str:
    """The title when it imports back to this very collection (its slug is the title's), else
    the slug, which is unique."""
    if polish_slugify(collection.title) == collection.slug:
        return collection.title
    return collection.slug


def _items():
    creators = ItemCreator.objects.select_related("agent").order_by("order", "pk")
    images = MediaFile.objects.filter(kind=MediaFile.Kind.IMAGE).order_by("order", "pk")
    return (
        Item.objects.order_by("pk")
        .select_related("licence")
        .prefetch_related(
            "subjects",
            "places",
            "collections",
            Prefetch("item_creators", queryset=creators, to_attr="creator_rows"),
            Prefetch("media_files", queryset=images, to_attr="images"),
        )
    )


class CatalogueExport:
    """Writes the whole catalogue to one CSV or XLSX file plus a folder of images."""

    def __init__(self, path: str | Path, *, progress: bool = False):
        self.path = Path(path)
        self.progress = progress
        suffix = self.path.suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise ExportError(_("The file name must end in .csv or .xlsx."))
        self.format = suffix[1:]
        if not self.path.parent.is_dir():
            raise ExportError(
                _("The folder %(folder)s does not exist.") % {"folder": self.path.parent}
            )
        self.media_dir = self.path.parent / f"{self.path.stem}_media"

    def rows(self, result: ExportResult) -> Iterator[list[str]]:
        queryset = _items()
        items = tqdm(
            queryset.iterator(chunk_size=CHUNK_SIZE),
            desc=_("Exporting"),
            unit=" items",
            total=queryset.count(),
            file=sys.stderr,
            disable=None if self.progress else True,
            mininterval=0.5,
        )
        for item in items:
            result.items += 1
            image, alt_text, alt_text_en = "", "", ""
            if item.images:
                media = item.images[0]
                image = self._copy_image(item, media)
                alt_text, alt_text_en = media.alt_text, media.alt_text_en
                result.images += 1
            agents, seen = [], set()
            for row in item.creator_rows:
                if row.agent_id not in seen:
                    seen.add(row.agent_id)
                    agents.append(row.agent)
            values = {
                "identifier": item.identifier,
                "title": item.title,
                "title_en": item.title_en,
                "item_type": item.item_type,
                "date": item.date,
                "date_as_written": item.date_as_written,
                "description": item.description,
                "description_en": item.description_en,
                "subjects": _names(item.subjects.all()),
                "places": _names(item.places.all()),
                "creators": _names(agents),
                "collections": LIST_SEPARATOR.join(
                    collection_reference(c) for c in item.collections.all()
                ),
                "licence": item.licence.code,
                "rights_holder": item.rights_holder,
                "source": item.source,
                "status": item.status,
                "image": image,
                "alt_text": alt_text,
                "alt_text_en": alt_text_en,
            }
            yield [values[column] for column in COLUMNS]

    def _copy_image(self, item: Item, media: MediaFile) -> str:
        stored = PurePosixPath(media.file.name)
        name = PurePosixPath(media.original_name.replace("\\", "/")).name
        if name in ("", ".", ".."):
            name = f"image{stored.suffix}"
        target = self.media_dir / item.identifier / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with media.file.open("rb") as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy)
        return target.relative_to(self.path.parent).as_posix()

    def write(self) -> ExportResult:
        result = ExportResult()
        if self.format == "csv":
            self._write_csv(result)
        else:
            self._write_xlsx(result)
        return result

    def _write_csv(self, result: ExportResult) -> None:
        # UTF-8 with a BOM, so that Excel opens Polish letters correctly; the import accepts it.
        # Formula-like cells get an apostrophe in front (archive/formulas.py), so that a
        # spreadsheet shows them as text; the import takes it off again.
        with self.path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows([guard_formula(value) for value in row] for row in self.rows(result))

    def _write_xlsx(self, result: ExportResult) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("catalogue"))
        sheet.append(list(COLUMNS))
        for row in self.rows(result):
            cells = []
            for value in row:
                # Control characters cannot be stored in XLSX at all.
                cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                # Always text: a title starting with "=" must stay a title, not a formula.
                cell.data_type = "s"
                cells.append(cell)
            sheet.append(cells)
        workbook.save(self.path)


def export_catalogue(path: str | Path, *, progress: bool = False) -> ExportResult:
    """Export every item (drafts too) in the import format."""
    return CatalogueExport(path, progress=progress).write()
