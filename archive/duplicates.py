"""Probable duplicates: the same work catalogued twice.

Two records are probably one work when their titles are the same once normalised (case,
diacritics, punctuation and spacing do not matter) and their date intervals overlap, or
when they hold the same image file (the media checksum). An undated record overlaps any
date: an undated copy of a dated photograph is the commonest duplicate of all.

This is a warning, never a refusal: two photographs may share a title ("Rynek") and a year.
One function answers for many candidates at once (`probable_duplicates_many`: the import
preview, thousands of rows, a bounded number of queries); the single-record form used by
the admin's save is that function called with one candidate.

The fast path is `Item.normalised_title` (indexed), kept by `Item.save()`, the importer's
bulk writes and the archive restore; `fill_normalised_titles` fills it for rows written
any other way.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from .text import fold

# Punctuation, symbols and every kind of space become one space (then trimmed).
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Queries with IN lists stay well below SQLite's limit on bound variables.
CHUNK = 500
REASON_TITLE = "title"
REASON_IMAGE = "image"


def normalise_title(title: str) -> str:
    """The title as compared: 'Kościół św. Jana – widok' → 'kosciol sw jana widok'."""
    text = unicodedata.normalize("NFKC", title or "")
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())[:500]


@dataclass(frozen=True)
class Candidate:
    """A record that may duplicate stored items: a row to import, or an item being saved."""

    key: Hashable
    title: str
    date_start: int | None = None
    date_end: int | None = None
    checksums: Sequence[str] = ()
    exclude_pk: int | None = None


@dataclass
class Duplicate:
    """A stored item that probably duplicates a candidate, and why (title, image or both)."""

    pk: int
    identifier: str
    title: str
    reasons: set[str] = field(default_factory=set)

    @property
    def same_title(self) -> bool:
        return REASON_TITLE in self.reasons

    @property
    def same_image(self) -> bool:
        return REASON_IMAGE in self.reasons


def dates_overlap(
    start: int | None, end: int | None, other_start: int | None, other_end: int | None
) -> bool:
    """Whether two year intervals overlap; an undated side (no start and no end) overlaps
    everything and an open end reaches as far as it may."""
    if (start is None and end is None) or (other_start is None and other_end is None):
        return True
    starts_before_other_ends = start is None or other_end is None or start <= other_end
    ends_after_other_starts = end is None or other_start is None or end >= other_start
    return starts_before_other_ends and ends_after_other_starts


def probable_duplicates_many(candidates: Iterable[Candidate]) -> dict[Hashable, list[Duplicate]]:
    """{candidate key: [stored items that probably duplicate it]} (keys without any are
    left out). One query per 500 distinct titles and one per 500 distinct checksums."""
    from media.models import MediaFile

    from .models import Item

    candidates = list(candidates)
    by_title: dict[str, list[Candidate]] = defaultdict(list)
    by_checksum: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        normalised = normalise_title(candidate.title)
        if normalised:
            by_title[normalised].append(candidate)
        for checksum in dict.fromkeys(candidate.checksums):
            if checksum:
                by_checksum[checksum].append(candidate)

    found: dict[Hashable, dict[int, Duplicate]] = defaultdict(dict)

    def note(candidate: Candidate, pk: int, identifier: str, title: str, reason: str) -> None:
        if pk == candidate.exclude_pk:
            return
        duplicate = found[candidate.key].setdefault(pk, Duplicate(pk, identifier, title))
        duplicate.reasons.add(reason)

    titles = list(by_title)
    for start in range(0, len(titles), CHUNK):
        rows = Item.objects.filter(normalised_title__in=titles[start : start + CHUNK]).values_list(
            "pk", "identifier", "title", "normalised_title", "date_start", "date_end"
        )
        for pk, identifier, title, normalised, date_start, date_end in rows.order_by("pk"):
            for candidate in by_title[normalised]:
                if dates_overlap(candidate.date_start, candidate.date_end, date_start, date_end):
                    note(candidate, pk, identifier, title, REASON_TITLE)

    checksums = list(by_checksum)
    for start in range(0, len(checksums), CHUNK):
        rows = MediaFile.objects.filter(checksum__in=checksums[start : start + CHUNK]).values_list(
            "checksum", "item_id", "item__identifier", "item__title"
        )
        for checksum, pk, identifier, title in rows.order_by("item_id"):
            for candidate in by_checksum[checksum]:
                note(candidate, pk, identifier, title, REASON_IMAGE)

    return {
        key: sorted(duplicates.values(), key=lambda d: d.identifier)
        for key, duplicates in found.items()
    }


def probable_duplicates(
    title: str,
    date_start: int | None = None,
    date_end: int | None = None,
    checksums: Sequence[str] = (),
    exclude_pk: int | None = None,
) -> list[Duplicate]:
    """Stored items that probably duplicate one record (see the module docstring)."""
    candidate = Candidate(None, title, date_start, date_end, tuple(checksums), exclude_pk)
    return probable_duplicates_many([candidate]).get(None, [])


def duplicates_of(item) -> list[Duplicate]:
    """Stored items that probably duplicate a saved item (its media's checksums included)."""
    checksums = [c for c in item.media_files.values_list("checksum", flat=True) if c]
    return probable_duplicates(item.title, item.date_start, item.date_end, checksums, item.pk)


def fill_normalised_titles(items) -> int:
    """Recompute `normalised_title` for the items of a queryset (rows written by raw SQL or
    before the column existed); returns how many changed."""
    changed = []
    for item in items.only("pk", "title", "normalised_title").iterator(chunk_size=2000):
        normalised = normalise_title(item.title)
        if item.normalised_title != normalised:
            item.normalised_title = normalised
            changed.append(item)
    items.model.objects.bulk_update(changed, ["normalised_title"], batch_size=CHUNK)
    return len(changed)
