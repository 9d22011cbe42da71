"""The indexed document of a published item: everything search needs, in one plain shape.

Every backend indexes the same `SearchDocument`, so what is searchable (and what a facet
shows) is decided here once. Descriptions are indexed as rendered plain text, so Markdown
syntax is never matched and snippets never show `**` or link targets.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import markdown
import nh3
from django.utils.translation import gettext as _
from django.utils.translation import override

from archive.models import Item, ItemCreator, ItemType, Status
from media.public import thumbnail_url

if TYPE_CHECKING:
    from .analysis import Analysed

CHUNK_SIZE = 500
MAX_DECADES = 200
#: Facets whose labels are names of things (a snippet may list them).
NAME_FACETS = ("subject", "place", "collection")


@dataclass(frozen=True)
class FacetValue:
    """One value an item has for a facet: the filter `value` and its labels in pl/en."""

    value: str
    label: str
    label_en: str = ""


@dataclass
class SearchDocument:
    """One published item as the search index sees it (texts are plain, not Markdown)."""

    id: int
    identifier: str
    title: str
    title_en: str = ""
    description: str = ""
    description_en: str = ""
    item_type: str = ""
    date: str = ""
    date_start: int | None = None
    date_end: int | None = None
    subjects: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    creators: list[str] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)
    alt_texts: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    # Approved residents' contributions (contributions/): searchable, weighted least.
    memories: list[str] = field(default_factory=list)
    has_media: bool = False
    thumbnail_url: str = ""
    thumbnail_alt: str = ""
    thumbnail_alt_en: str = ""
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def decades(self) -> list[int]:
        return decades(self.date_start, self.date_end)

    @property
    def names_text(self) -> str:
        """Subjects, places, creators and collections: the second most important text."""
        return "\n".join([*self.subjects, *self.places, *self.creators, *self.collections])

    def display_names(self, english: bool) -> str:
        """Subjects, places, creators and collections in one language, each named once:
        the text a snippet may show (English names where they exist, on an English page).
        The facet labels keep the two languages apart; a document built without facets
        falls back to its name lists."""
        if not any(self.facets.get(f) for f in NAME_FACETS):
            return _unique([*self.subjects, *self.places, *self.creators, *self.collections])

        def named(facet: str) -> list[str]:
            values = self.facets.get(facet, [])
            return [(v.label_en or v.label) if english else v.label for v in values]

        return _unique([*named("subject"), *named("place"), *self.creators, *named("collection")])

    def language_parts(self, group: str) -> list[tuple[str, str]]:
        """The texts of an index group (`title`, `names`, `body`, `extra`) with their
        language, as (text, "pl" | "en") pairs, so that each is analysed by its own
        language's rules (search.analysis.analyse_parts). Names and alt-texts without a
        language of their own are read as Polish."""
        if group == "title":
            return [(self.title, "pl"), (self.title_en, "en")]
        if group == "body":
            return [(self.description, "pl"), (self.description_en, "en")]
        if group == "names":
            values = [v for f in NAME_FACETS for v in self.facets.get(f, [])]
            if not values:
                return [(self.names_text, "pl")]
            return [
                *[(v.label, "pl") for v in values],
                ("\n".join(self.creators), "pl"),
                *[(v.label_en, "en") for v in values if v.label_en],
            ]
        return [(self.extra_text, "pl"), *type_words(self.item_type)]

    @property
    def body_text(self) -> str:
        return "\n".join(t for t in (self.description, self.description_en) if t)

    @property
    def extra_text(self) -> str:
        """Alt-texts, captions, residents' approved contributions and the identifier:
        searchable, but weighted least."""
        return "\n".join([self.identifier, *self.alt_texts, *self.captions, *self.memories])

    @property
    def extra_display(self) -> str:
        """The extra group as a snippet may show it (without the identifier)."""
        return " · ".join(dict.fromkeys([*self.alt_texts, *self.captions, *self.memories]))

    @property
    def title_text(self) -> str:
        return "\n".join(t for t in (self.title, self.title_en) if t)


@functools.cache
def type_words(item_type: str) -> tuple[tuple[str, str], ...]:
    """The names of an item type as searchable words of the extra group, by language:
    its Polish and English labels and the other names the archive knows it by
    (`ItemType.aliases`: *zdjęcie*, *foto* for a photograph), so that *zdjęcia z lat 30.*
    or *mapy* find items of that type whose texts never name it. Weighted least, never
    shown in a snippet. Empty for an unknown type."""
    if item_type not in ItemType.values:
        return ()
    kind = ItemType(item_type)
    parts = []
    for language in ("pl", "en"):
        with override(language):
            parts.append((str(kind.label), language))
    parts.append((" ".join(ItemType.aliases().get(kind, ())), "pl"))
    return tuple((text, language) for text, language in parts if text)


def analysed_groups(
    doc: SearchDocument, forms: dict[tuple[str, str], str] | None = None
) -> list[tuple[str, Analysed]]:
    """The document's field groups (`compiler.GROUPS`, in order) analysed as every
    engine indexes them: (group, exact and lemma tokens). With `forms`, the surface
    forms of the title, names and body are collected into it (for
    `analysis.record_form_map`); the names group's texts, which recur on many items, are
    analysed once per process (`analysis.analyse_names`)."""
    from .analysis import analyse_names, analyse_parts
    from .compiler import GROUPS

    return [
        (
            group,
            (analyse_names if group == "names" else analyse_parts)(
                doc.language_parts(group), forms if group != "extra" else None
            ),
        )
        for group in GROUPS
    ]


@dataclass
class AnalysedChunk:
    """A chunk of documents with their field groups analysed once (`analysed_groups`,
    one list per document) and the surface forms found in them: what every engine's
    rebuild writes from. A one-pass rebuild analyses each chunk once, in a worker
    process, and each indexing backend formats its rows (or bulk body) from the same
    groups; the forms are recorded once, by the calling process."""

    documents: list[SearchDocument]
    groups: list[list[tuple[str, Analysed]]]
    forms: dict[tuple[str, str], str]

    @classmethod
    def of(cls, documents: list[SearchDocument]) -> AnalysedChunk:
        forms: dict[tuple[str, str], str] = {}
        return cls(documents, [analysed_groups(d, forms) for d in documents], forms)

    def __iter__(self) -> Iterator[tuple[SearchDocument, list[tuple[str, Analysed]]]]:
        return iter(zip(self.documents, self.groups, strict=True))


def _unique(names: list[str]) -> str:
    """Names joined with a middle dot, each once (case and diacritics aside)."""
    seen: dict[str, str] = {}
    for name in names:
        if name:
            seen.setdefault(_name_key(name), name)
    return " · ".join(seen.values())


@functools.lru_cache(maxsize=65_536)
def _name_key(name: str) -> str:
    """A name folded for comparison. Remembered: the same few thousand subject, place,
    creator and collection names recur on every item of a rebuild, and Unicode folding
    them twice per item was a tenth of a 100,000-item rebuild's time."""
    from archive.text import fold

    return fold(name.lower())


def decade_span(start: int | None, end: int | None) -> tuple[int, int] | None:
    """The first and last decade (as first years) the interval overlaps, at most MAX_DECADES
    apart; one end is enough; None for an undated item."""
    if start is None and end is None:
        return None
    start = end if start is None else start
    end = start if end is None else end
    first, last = start - start % 10, end - end % 10
    return first, min(last, first + 10 * (MAX_DECADES - 1))


def decades(start: int | None, end: int | None) -> list[int]:
    """Every decade (as its first year) that the interval overlaps; one end is enough."""
    span = decade_span(start, end)
    return list(range(span[0], span[1] + 10, 10)) if span else []


# Characters that can make Markdown differ from its plain text; most descriptions have none,
# and rendering costs far more than indexing, so plain prose skips the renderer.
_MARKDOWN_SYNTAX = re.compile(r"[*_`#<>\[\]!|&\\]|^\s*([-+=]|\d+[.)])(\s|$)", re.M)
_markdown = markdown.Markdown()


def plain_text(markdown_text: str) -> str:
    """Markdown rendered and stripped to the words a reader sees."""
    if not markdown_text:
        return ""
    if not _MARKDOWN_SYNTAX.search(markdown_text):
        return markdown_text.strip()
    rendered = _markdown.reset().convert(markdown_text)
    text = nh3.clean(rendered, tags=set(), attributes={})
    return html.unescape(text).strip()


class DocumentStream:
    """The documents of published items (all of them, or those among `pks`), read in
    chunks of `chunk_size` items so a rebuild of the whole catalogue runs in constant
    memory.

    Iterating it builds the documents here. A parallel rebuild (backends/parallel.py)
    takes `row_chunks()` instead: the rows are read here (the database connection stays
    in this process) and each chunk's documents are built in the worker process that
    analyses them (`RowChunk.documents`: pure Python, most of the cost of reading).
    `on_chunk(n)`, when set, is called with each chunk's item count as it is read (a
    progress bar). Built from `values_list()` rows (one query per relation per chunk, no
    model instances).
    """

    def __init__(self, pks: Iterable[int] | None = None, chunk_size: int = CHUNK_SIZE):
        self.pks = None if pks is None else list(pks)
        self.chunk_size = chunk_size
        self.on_chunk: Callable[[int], object] | None = None

    def __iter__(self) -> Iterator[SearchDocument]:
        for chunk in self.row_chunks():
            yield from chunk.documents()

    def row_chunks(self, size: int | None = None) -> Iterator[RowChunk]:
        """The stream as `RowChunk`s of up to `size` (and `chunk_size`) items."""
        size = min(size or self.chunk_size, self.chunk_size)
        queryset = Item.objects.filter(status=Status.PUBLISHED).order_by("pk")
        if self.pks is not None:
            queryset = queryset.filter(pk__in=self.pks)
        last_pk = 0
        while True:
            rows = list(queryset.filter(pk__gt=last_pk).values_list(*_ITEM_FIELDS)[:size])
            if not rows:
                return
            if self.on_chunk is not None:
                self.on_chunk(len(rows))
            yield read_chunk(rows)
            last_pk = rows[-1][0]


def iter_documents(pks: Iterable[int] | None = None, chunk_size: int = CHUNK_SIZE):
    """Documents of published items (all of them, or those among `pks`): a
    `DocumentStream`."""
    return DocumentStream(pks, chunk_size)


_ITEM_FIELDS = (
    "id",
    "identifier",
    "title",
    "title_en",
    "description",
    "description_en",
    "item_type",
    "date",
    "date_start",
    "date_end",
    "licence__code",
    "licence__name",
    "licence__name_en",
)


def _grouped(rows: Iterable[tuple], wanted: set[int]) -> dict[int, list[tuple]]:
    """(item_id, *fields) rows → {item_id: [fields, ...]} for wanted items, order kept."""
    grouped: dict[int, list[tuple]] = {}
    for row in rows:
        if row[0] in wanted:
            grouped.setdefault(row[0], []).append(row[1:])
    return grouped


@dataclass
class RowChunk:
    """A chunk of published items as plain rows: the item rows (`_ITEM_FIELDS` order)
    and each relation's rows by item id, in each relation's display order. Picklable and
    cheap to send to a worker process; `documents()` needs no database."""

    items: list[tuple]
    subjects: dict[int, list[tuple]]
    places: dict[int, list[tuple]]
    collections: dict[int, list[tuple]]
    creators: dict[int, list[tuple]]
    media: dict[int, list[tuple]]
    memories: dict[int, list[tuple]]

    def __len__(self) -> int:
        return len(self.items)

    def documents(self) -> list[SearchDocument]:
        """The chunk's documents, in item order."""
        from media.models import MediaFile

        image = MediaFile.Kind.IMAGE
        documents = []
        for row in self.items:
            (pk, identifier, title, title_en, description, description_en, item_type, date,
             date_start, date_end, licence_code, licence_name, licence_name_en) = row  # fmt: skip
            item_subjects = self.subjects.get(pk, [])
            item_places = self.places.get(pk, [])
            item_collections = self.collections.get(pk, [])
            item_media = self.media.get(pk, [])
            agents = dict.fromkeys((agent_id, name) for agent_id, name in self.creators.get(pk, []))
            thumbnail = next((m for m in item_media if m[1] == image), None)
            doc = SearchDocument(
                id=pk,
                identifier=identifier,
                title=title,
                title_en=title_en,
                description=plain_text(description),
                description_en=plain_text(description_en),
                item_type=item_type,
                date=date,
                date_start=date_start,
                date_end=date_end,
                subjects=_row_names(item_subjects),
                places=_row_names(item_places),
                creators=[name for _agent_id, name in agents],
                collections=_row_names(item_collections),
                alt_texts=[t for m in item_media for t in (m[2], m[3]) if t],
                captions=[t for m in item_media for t in (m[4], m[5]) if t],
                memories=[text for (text,) in self.memories.get(pk, [])],
                has_media=bool(item_media),
                thumbnail_url=thumbnail_url(*thumbnail[6:9]) if thumbnail else "",
                thumbnail_alt=thumbnail[2] if thumbnail else "",
                thumbnail_alt_en=thumbnail[3] if thumbnail else "",
            )
            doc.facets = {
                "item_type": [FacetValue(item_type, item_type)],
                "licence": [FacetValue(licence_code, licence_name, licence_name_en)]
                if licence_code is not None
                else [],
                "collection": [FacetValue(slug, t, t_en) for t, t_en, slug in item_collections],
                "subject": [FacetValue(slug, n, n_en) for n, n_en, slug in item_subjects],
                "place": [FacetValue(slug, n, n_en) for n, n_en, slug in item_places],
                "decade": [FacetValue(str(d), f"{d}–{d + 9}") for d in doc.decades],
                "has_media": [FacetValue("true" if item_media else "false", "")],
            }
            documents.append(doc)
        return documents


def read_chunk(rows: list[tuple]) -> RowChunk:
    """A chunk of item `values_list()` rows (see `_ITEM_FIELDS`) with their relations,
    read as plain rows: one query per relation."""
    from contributions.models import Contribution
    from curation.models import CollectionItem
    from media.models import MediaFile

    ids = [row[0] for row in rows]
    # A pk range rather than a list of 500 pks: cheaper to send and to plan; rows of
    # items outside the chunk (drafts within the range) are dropped by `_grouped`.
    in_chunk = {"item_id__gte": min(ids), "item_id__lte": max(ids)}
    wanted = set(ids)
    return RowChunk(
        items=rows,
        subjects=_grouped(
            Item.subjects.through.objects.filter(**in_chunk)
            .order_by("subject__name", "subject_id")
            .values_list("item_id", "subject__name", "subject__name_en", "subject__slug"),
            wanted,
        ),
        places=_grouped(
            Item.places.through.objects.filter(**in_chunk)
            .order_by("place__name", "place_id")
            .values_list("item_id", "place__name", "place__name_en", "place__slug"),
            wanted,
        ),
        collections=_grouped(
            CollectionItem.objects.filter(**in_chunk)
            .order_by("collection__order", "collection__title", "collection_id")
            .values_list(
                "item_id", "collection__title", "collection__title_en", "collection__slug"
            ),
            wanted,
        ),
        creators=_grouped(
            ItemCreator.objects.filter(**in_chunk)
            .order_by("order", "pk")
            .values_list("item_id", "agent_id", "agent__name"),
            wanted,
        ),
        media=_grouped(
            MediaFile.objects.filter(**in_chunk)
            .order_by("order", "pk")
            .values_list(
                "item_id",
                "file",
                "kind",
                "alt_text",
                "alt_text_en",
                "caption",
                "caption_en",
                "checksum",
                "width",
                "height",
            ),
            wanted,
        ),
        memories=_grouped(
            Contribution.objects.filter(state=Contribution.State.APPROVED, **in_chunk)
            .order_by("moderated_at", "pk")
            .values_list("item_id", "text"),
            wanted,
        ),
    )


def build_documents(rows: list[tuple]) -> list[SearchDocument]:
    """Documents of a chunk of item `values_list()` rows (see `_ITEM_FIELDS`)."""
    return read_chunk(rows).documents()


def _row_names(rows: list[tuple]) -> list[str]:
    """Names then English names, as `_names` does, from (name, name_en, slug) rows."""
    names = []
    for name, english, _slug in rows:
        names.append(name)
        if english:
            names.append(english)
    return names


def iter_chunks(documents: Iterable[SearchDocument], size: int = CHUNK_SIZE) -> Iterator[list]:
    """Group a document stream into lists for bulk writes."""
    chunk: list[SearchDocument] = []
    for doc in documents:
        chunk.append(doc)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def facet_label(facet: str, value: FacetValue | None, raw: str, language: str) -> str:
    """The human name of a facet value in the request's language."""
    if facet == "item_type":
        try:
            return str(ItemType(raw).label)
        except ValueError:
            return raw
    if facet == "has_media":
        return _("with media") if raw == "true" else _("without media")
    if value is None:
        return raw
    if language.startswith("en") and value.label_en:
        return value.label_en
    return value.label or raw
