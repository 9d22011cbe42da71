"""The one search interface every engine implements, and the loader that picks the engine.

Shaped like Django's cache and email backends: a short name in settings
(`SEARCH_BACKEND`), a base class with a small documented interface, one module per engine.
Callers only ever see `SearchQuery` in and `SearchResults` out, so the web page, the API
and the tests do not know which engine answered.

A backend receives `SearchDocument`s (search/documents.py) that are already published
items; deciding *what* is indexed is not its job. Text analysis (Polish lemmas, folded
forms) comes from search/analysis.py, shared by all engines.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import combinations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.urls import reverse
from django.utils.module_loading import import_string

from .. import analysis
from ..compiler import FACET_SIZE, CompiledQuery, DateTier, Term, compile_query, date_tiers
from ..corrections import is_confident
from ..documents import SearchDocument
from ..query import SearchQuery
from .parallel import default_workers

logger = logging.getLogger(__name__)

BACKENDS = {
    "sqlite": "search.backends.sqlite.SQLiteSearchBackend",
    "postgres": "search.backends.postgres.PostgresSearchBackend",
    "opensearch": "search.backends.engine.OpenSearchBackend",
    "elasticsearch": "search.backends.engine.ElasticsearchBackend",
}
DATABASE_BACKENDS = {"sqlite": "sqlite", "postgresql": "postgres"}
#: The short names of services reached over the network at `SEARCH_URL`.
ENGINE_BACKENDS = ("opensearch", "elasticsearch")


#: How many sets of query words `partial_results` counts at most before giving up (a
#: 16-word query has 65,535 subsets; the largest sets are tried first).
MAX_PARTIAL_TRIES = 40

#: "Too little": fewer than this many items have every word of a query of two or more
#: words and phrases. The best partial matches then follow them, provided they find
#: CLEARLY_MORE times as many items in all (docs/search.md, "Partial matches").
TOO_FEW = 3
CLEARLY_MORE = 2


def too_few(count: int) -> bool:
    """Whether this many items having every word is too little (see TOO_FEW)."""
    return count < TOO_FEW


def summed_facets(pages: list[SearchResults]) -> dict[str, list[FacetCount]]:
    """The facet counts of several answers over disjoint sets of items, added value by value
    (date tiers, partial matches), each facet's values in the usual order and number."""
    facets: dict[str, dict[str, FacetCount]] = {}
    for page in pages:
        for name, values in page.facets.items():
            own = facets.setdefault(name, {})
            for value in values:
                before = own.get(value.value)
                own[value.value] = (
                    replace(before, count=before.count + value.count) if before else value
                )
    return {
        name: sorted(values.values(), key=lambda v: (-v.count, v.value))[:FACET_SIZE]
        for name, values in facets.items()
    }


def tier_page(tier: DateTier, need: int) -> CompiledQuery:
    """A date tier's query asking for its first `need` hits."""
    return replace(tier.compiled, query=replace(tier.compiled.query, page=1, page_size=need))


def reached_tiers(tiers: Sequence[DateTier], counts: Sequence[int], need: int) -> list[bool]:
    """Which tiers a page of `need` items can reach, from each tier's count: a tier is
    reached unless the tiers before it surely hold `need` distinct items already (the
    counted tiers do not overlap, so theirs add up; any one tier's items are distinct).
    A tier with no items is never reached."""
    reached, counted, largest = [], 0, 0
    for tier, count in zip(tiers, counts, strict=True):
        reached.append(count > 0 and max(counted, largest) < need)
        largest = max(largest, count)
        if tier.counted:
            counted += count
    return reached


class BackendUnavailable(Exception):
    """The engine cannot be reached (connection refused, timeout, cluster down).

    The only failure callers catch: search degrades to the database backend and the
    outbox keeps indexing work for later. Anything else is a bug and should surface.
    """


@dataclass(frozen=True)
class Thumbnail:
    url: str
    alt: str
    #: "pl" when an English page shows the Polish alt-text (for `lang` in HTML), else "".
    lang: str = ""


def snippet_fields(english: bool) -> list[str]:
    """The stored texts a snippet is cut from, in order of preference: the page's own
    language first (its description, then its names), the other description last."""
    if english:
        return ["description_en", "names_en", "extra", "description"]
    return ["description", "names", "extra", "description_en"]


@dataclass(frozen=True)
class Hit:
    """One result. `snippet` is safe HTML: matches in `<mark>`, everything else escaped."""

    identifier: str
    url: str
    title: str
    item_type: str
    date: str
    snippet: str
    thumbnail: Thumbnail | None = None
    score: float = 0.0
    #: "pl" when an English page shows the Polish title (for `lang` in HTML), else "".
    title_lang: str = ""
    #: "pl" when an English page shows a snippet of the Polish description, else "".
    snippet_lang: str = ""
    #: In partial results: the query's words (phrases in quotes) as typed that this item
    #: lacks; () when it has every one.
    missing: tuple[str, ...] = ()

    @classmethod
    def from_data(
        cls,
        identifier: str,
        data: dict,
        english: bool,
        snippet: str,
        score: float = 0.0,
        snippet_field: str = "",
    ) -> Hit:
        """A hit from the display fields every engine stores (`title`, `title_en`,
        `item_type`, `date`, `thumbnail_*`): English where there is English, else Polish.
        `snippet_field` names the stored text the snippet was cut from (`description`,
        `description_en`, `names`, `names_en`, `extra`); alt-texts mix both languages, so
        only the Polish description is marked as Polish on an English page (and the
        English one on a Polish page)."""
        thumbnail = None
        if data.get("thumbnail_url"):
            alt_en = data.get("thumbnail_alt_en") if english else ""
            thumbnail = Thumbnail(
                url=data["thumbnail_url"],
                alt=alt_en or data.get("thumbnail_alt") or "",
                lang="pl" if english and not alt_en else "",
            )
        title_en = data.get("title_en") if english else ""
        return cls(
            identifier=identifier,
            url=reverse("archive:item", kwargs={"identifier": identifier}),
            title=title_en or data["title"],
            item_type=data["item_type"],
            date=data.get("date", ""),
            snippet=snippet,
            thumbnail=thumbnail,
            score=score,
            title_lang="pl" if english and not title_en else "",
            snippet_lang=(
                "pl"
                if english and snippet_field == "description"
                else "en"
                if not english and snippet_field == "description_en"
                else ""
            ),
        )


@dataclass(frozen=True)
class FacetCount:
    value: str
    label: str
    count: int


#: Facets whose values have an order of their own, shown in it rather than by count.
CHRONOLOGICAL_FACETS = ("decade",)


def ordered_facets(facets: dict[str, list[FacetCount]]) -> dict[str, list[FacetCount]]:
    """Facets as people read them: every engine picks the top values by count, and the
    decades among them are then listed in time order (1930s before 1940s), whichever
    engine answered. Done here, where every engine's results are assembled."""
    ordered = dict(facets)
    for name in CHRONOLOGICAL_FACETS:
        if ordered.get(name):
            ordered[name] = sorted(ordered[name], key=lambda f: int(f.value))
    return ordered


@dataclass(frozen=True)
class Suggestion:
    identifier: str
    title: str
    url: str


@dataclass
class SearchResults:
    """One page of hits plus facet counts, the same whatever engine produced it.

    `count` is the total number of matching items; `facets` maps each facet name to its
    top values, each counted with every filter applied except the facet's own.
    `did_you_mean` is a corrected query text when the typed one found nothing; when
    `corrected` is true the hits are already those of the corrected query, else it is only
    offered. `partial` is true when too few items (or none) have every word and the best
    partial matches follow them: `complete` says how many come first with every word, and
    `missing` lists the words (phrases in quotes) as typed that some of the others lack.
    """

    count: int
    hits: list[Hit]
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    backend: str = ""
    degraded: bool = False
    did_you_mean: str | None = None
    corrected: bool = False
    partial: bool = False
    missing: list[str] = field(default_factory=list)
    #: How many results (the first ones) have every word and phrase: `count` unless partial.
    complete: int | None = None

    def __post_init__(self):
        self.facets = ordered_facets(self.facets)

    def as_json(self) -> dict:
        return {
            "count": self.count,
            "results": [
                {
                    "identifier": h.identifier,
                    "url": h.url,
                    "title": h.title,
                    "item_type": h.item_type,
                    "date": h.date,
                    "snippet": h.snippet,
                    "thumbnail": (
                        {"url": h.thumbnail.url, "alt": h.thumbnail.alt} if h.thumbnail else None
                    ),
                    "missing": list(h.missing),
                }
                for h in self.hits
            ],
            "facets": {
                name: [{"value": f.value, "label": f.label, "count": f.count} for f in values]
                for name, values in self.facets.items()
            },
            "backend": self.backend,
            "degraded": self.degraded,
            "did_you_mean": self.did_you_mean,
            "corrected": self.corrected,
            "partial": self.partial,
            "missing": list(self.missing),
            "complete": self.count if self.complete is None else self.complete,
        }


class SearchBackend:
    """Base class of search engines. Subclasses implement every method below.

    Indexing methods are idempotent (indexing a document twice leaves one copy, deleting
    an absent id is fine) because the outbox may replay work. Methods that talk to a
    remote engine raise `BackendUnavailable` when it cannot be reached.
    """

    #: The short name reported in results (`backend` in the API).
    name = ""
    #: True when the backend lives in the project database and is always reachable.
    is_database_backend = False
    #: True for a service reached at `SEARCH_URL`: the loader and `manage.py check` refuse
    #: it without one.
    requires_url = False

    def __init__(self, url: str = "", **options):
        self.url = url
        self.options = options
        #: Worker processes that analyse a rebuild's documents (`SEARCH_OPTIONS`).
        self.index_workers = int(options.get("index_workers") or default_workers())

    def index(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace these documents; returns how many were written."""
        raise NotImplementedError

    def delete(self, ids: Iterable[int]) -> None:
        """Remove documents by item primary key (absent ids are ignored)."""
        raise NotImplementedError

    def clear(self) -> None:
        """Remove every document."""
        raise NotImplementedError

    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        """Replace the whole index with this stream of documents; returns the count.

        A backend with a `rebuild_plan` builds its new index beside the serving one and
        swaps it in, so searches never see a half-built index; the default clears and
        streams in.
        """
        plan = self.rebuild_plan()
        if plan is None:
            self.clear()
            return self.index(documents)
        from .parallel import rebuild_together

        return rebuild_together([plan], documents)[0]

    def rebuild_plan(self):
        """This backend's part of a one-pass rebuild (`parallel.RebuildPlan`), or None
        when it has none (it is then rebuilt with `rebuild`, on its own)."""
        return None

    def search(self, query: SearchQuery) -> SearchResults:
        """One page of hits, total count and facet counts for the query.

        The same for every engine: the query is compiled once (search/compiler.py) and the
        engine executes it. When too few items have every word (`too_few`): the best
        partial matches follow them (`partial_results`); when none has, a close and
        confident spelling correction (search/corrections.py) is searched first, and a
        correction that is not confident is only offered beside the partial matches.
        Engines implement `execute` and `closest_terms`, not this. A query with a date
        (in its words, or a ranked one with a year range) is answered in date tiers
        (`date_tiers`, docs/search.md "Dates in the words") when they find anything.
        """
        compiled = compile_query(query)
        tiers = date_tiers(compiled)
        if tiers:
            results = self.tiered_results(compiled, tiers)
            if results.count and too_few(results.count) and compiled.has_text:
                return self.tiers_then_partial(compiled, tiers, results)
            if results.count:
                return results
        return self.answer(compiled)

    def tiers_then_partial(
        self, compiled: CompiledQuery, tiers: Sequence[DateTier], tiered: SearchResults
    ) -> SearchResults:
        """Too few items in the date tiers: they come first, then what `answer` finds
        for the words as typed (the date's words as words) when it is partial, each item
        once. The count is exact when every answer fits on the page asked (as it does
        unless thousands answer); otherwise a tier item deeper in the answer may be
        counted twice (at most TOO_FEW − 1 too many). Facet counts are the two answers'
        sums (a tier item the answer has too counts twice there)."""
        query = compiled.query
        need = query.offset + query.page_size
        first = replace(query, page=1, page_size=TOO_FEW)
        tier_hits = self.tiered_results(replace(compiled, query=first), tiers).hits
        wide = replace(query, page=1, page_size=need + len(tier_hits))
        answer = self.answer(replace(compiled, query=wide))
        if not answer.partial or answer.count <= len(tier_hits):
            return tiered
        seen = {hit.identifier for hit in tier_hits}
        hits = list(tier_hits)
        hits += [hit for hit in answer.hits if hit.identifier not in seen]
        both = sum(hit.identifier in seen for hit in answer.hits)
        count = len(tier_hits) + answer.count - both
        return replace(
            answer,
            count=count,
            hits=hits[query.offset : need],
            complete=len(tier_hits),
            facets=summed_facets([tiered, answer]),
        )

    def answer(self, compiled: CompiledQuery) -> SearchResults:
        """`search` without date tiers: every word, then corrections and partial matches."""
        query = compiled.query
        results = self.execute(compiled)
        results.complete = results.count
        if not compiled.has_text or not too_few(results.count):
            return results
        if results.count:
            return self.partial_results(compiled, results) or results
        best = self.closest_terms(compiled.positive_terms)
        offer = self.correction(compiled, best)
        if offer and all(is_confident(word, term) for word, term in best.items()):
            retried = self.execute(compile_query(query.with_text(offer), fuzzy=True))
            if retried.count:
                retried.did_you_mean, retried.corrected = offer, True
                retried.complete = retried.count
                return retried
        answer = self.partial_results(compiled, results) or results
        answer.did_you_mean = offer
        return answer

    def tiered_results(self, compiled: CompiledQuery, tiers: Sequence[DateTier]) -> SearchResults:
        """The tiers' items one after the other, each item once (where it first comes),
        each tier in the engine's order. The counted tiers do not overlap, so the count and
        the facet counts are their sums; a tier that is not counted only brings forward
        items of later ones.

        Every tier is asked at once (`execute_many`: one request to a search engine), each
        for a whole page from its start: a tier can bring at most that many new items, and
        the items it repeats from earlier tiers are within those it lists first, so the
        page is the same as asking tier after tier for just what is still missing."""
        query = compiled.query
        need = query.offset + query.page_size
        answers = self.tier_answers(tiers, need)
        hits, seen, pages = [], set(), []
        for tier, page in zip(tiers, answers, strict=True):
            if tier.counted:
                pages.append(page)
            for hit in page.hits:
                if len(hits) >= need:
                    break
                if hit.identifier not in seen:
                    seen.add(hit.identifier)
                    hits.append(hit)
        count = sum(page.count for page in pages)
        return SearchResults(
            count=count,
            hits=hits[query.offset :],
            facets=summed_facets(pages),
            backend=pages[-1].backend if pages else self.name,
            complete=count,
        )

    def tier_answers(self, tiers: Sequence[DateTier], need: int) -> list[SearchResults]:
        """Each tier's answer for `tiered_results`: its count and facet counts, and its
        first `need` hits. A tier the page cannot reach (`reached_tiers`) may be answered
        without hits; here every tier is asked in full, at once (`execute_many`)."""
        return self.execute_many([tier_page(tier, need) for tier in tiers])

    def partial_results(self, compiled: CompiledQuery, full: SearchResults) -> SearchResults | None:
        """The items that have every word (`full`, too few of them) followed by those that
        have the best part of the query.

        The parts are the words and phrases. A part that matches nothing alone is missing
        for sure. When some items have every part, the sets missing one part are taken;
        when none has, the largest sets that still find items. Every set of that size that
        finds items is shown (not only one): they follow one another, the set whose parts
        are rarer first (more telling: the sum of their inverse document frequencies),
        each in the engine's own order. They are counted exactly: an item in two such sets
        would have the parts of both, i.e. a larger set, which finds only `full`'s items.
        When some items have every part, the sets must find clearly more
        (`CLEARLY_MORE`). Exclusions, filters and each phrase keep their meaning. None
        when fewer than two parts were asked or no part finds anything.
        """
        parts: list[tuple[str, tuple[Term, ...], bool]] = [
            (t.word, (t,), False) for t in compiled.words
        ] + [('"' + " ".join(t.word for t in p) + '"', p, True) for p in compiled.phrases]
        if len(parts) < 2:
            return None

        def subset(chosen) -> CompiledQuery:
            return replace(
                compiled,
                words=tuple(terms[0] for _, terms, phrase in chosen if not phrase),
                phrases=tuple(terms for _, terms, phrase in chosen if phrase),
            )

        counts = [r.count for r in self.execute_many([subset([p]).counting() for p in parts])]
        found = [(part, count) for part, count in zip(parts, counts, strict=True) if count]
        if not found:
            return None
        weight = {part[0]: 1.0 + math.log((1 + max(counts)) / count) for part, count in found}
        sizes = [len(parts) - 1] if full.count else range(len(found), 0, -1)
        tries, exhaustive, sets = 0, True, []
        for size in sizes:
            chosen_sets = list(combinations([part for part, _ in found], size))
            if size == 1:
                set_counts = [counts[parts.index(chosen[0])] for chosen in chosen_sets]
            else:  # the sets of one size counted at once, up to MAX_PARTIAL_TRIES in all
                if len(chosen_sets) > MAX_PARTIAL_TRIES - tries:
                    chosen_sets = chosen_sets[: MAX_PARTIAL_TRIES - tries]
                    exhaustive = False
                tries += len(chosen_sets)
                set_counts = [
                    r.count for r in self.execute_many([subset(c).counting() for c in chosen_sets])
                ]
            for chosen, count in zip(chosen_sets, set_counts, strict=True):
                if count > full.count:
                    sets.append((sum(weight[p[0]] for p in chosen), chosen, count))
            if sets or not exhaustive:
                break
        if not sets:
            if full.count:
                return None
            # Too many sets to count: the rarest part alone.
            sets = [(weight[part[0]], (part,), count) for part, count in found]
        sets.sort(key=lambda s: -s[0])
        if not exhaustive:
            sets = sets[:1]  # the others may overlap it: one set, counted exactly
        extra = sum(count - full.count for _w, _c, count in sets)
        if full.count and full.count + extra < CLEARLY_MORE * full.count:
            return None
        lacking = [tuple(p[0] for p in parts if p not in chosen) for _w, chosen, _n in sets]
        results = self._combined(
            compiled,
            full,
            [(subset(chosen), lack) for (_w, chosen, _n), lack in zip(sets, lacking, strict=True)],
        )
        results.count = full.count + extra
        results.complete = full.count
        results.partial = True
        results.missing = [p[0] for p in parts if any(p[0] in lack for lack in lacking)]
        return results

    def _combined(
        self,
        compiled: CompiledQuery,
        full: SearchResults,
        sets: list[tuple[CompiledQuery, tuple[str, ...]]],
    ) -> SearchResults:
        """One page of `full`'s items followed by each set's other items (each hit saying
        what it lacks), in that order; facet counts added up the same way (a set's own
        count less `full`'s)."""
        query = compiled.query
        need = query.offset + query.page_size
        first = replace(query, page=1, page_size=need + full.count)
        asked = [replace(compiled, query=first)] if full.count else []
        asked += [replace(s, query=first) for s, _lack in sets]
        pages = self.execute_many(asked)
        if not full.count:
            pages.insert(0, None)
        hits, seen = [], set()
        for page, lack in zip(pages, [(), *(lack for _s, lack in sets)], strict=True):
            for hit in page.hits if page else ():
                if hit.identifier not in seen and len(hits) < need:
                    seen.add(hit.identifier)
                    hits.append(replace(hit, missing=lack))
        facets: dict[str, dict[str, FacetCount]] = {}
        for page in pages[1:]:
            for name, values in page.facets.items():
                own = facets.setdefault(name, {})
                for value in values:
                    if value.value in own:
                        before = own[value.value]
                        own[value.value] = replace(before, count=before.count + value.count)
                    else:
                        own[value.value] = value
        if full.count:  # each set counted `full`'s items once more
            for name, values in full.facets.items():
                for value in values:
                    if value.value in facets.get(name, {}):
                        before = facets[name][value.value]
                        less = before.count - value.count * (len(sets) - 1)
                        facets[name][value.value] = replace(before, count=less)
        return SearchResults(
            count=0,
            hits=hits[query.offset :],
            facets={
                name: sorted(
                    (v for v in values.values() if v.count > 0), key=lambda v: (-v.count, v.value)
                )[:FACET_SIZE]
                for name, values in facets.items()
            },
            backend=pages[-1].backend,
        )

    def execute(self, compiled: CompiledQuery) -> SearchResults:
        """The engine's answer to one compiled query, with its exact semantics (see
        `CompiledQuery`): every word and phrase, no exclusion, the filters, one page."""
        raise NotImplementedError

    def execute_many(self, compiled: Sequence[CompiledQuery]) -> list[SearchResults]:
        """`execute` for each of several compiled queries, answers in the same order. The
        default asks one after the other (the database engines remember their answers per
        index version); a search engine sends them in one request (`_msearch`)."""
        return [self.execute(c) for c in compiled]

    def closest_terms(self, terms: Sequence[Term]) -> dict[str, str]:
        """For each term the index does not know at all (neither as typed nor by lemma),
        the folded index term closest to it (`search.corrections.closest_term`), by `term.word`.
        Known terms and terms with no close index term are left out."""
        raise NotImplementedError

    def correction(self, compiled: CompiledQuery, best: dict[str, str]) -> str | None:
        """The query text with unknown words replaced by their closest index terms `best`
        (from `closest_terms`, written as in the catalogue), or None when no word needed
        it. Exclusions stay as typed."""
        if not best:
            return None

        def fix(term: Term) -> str:
            return analysis.display_word(best[term.word]) if term.word in best else term.word

        parts = [fix(t) for t in compiled.words]
        parts += ['"' + " ".join(fix(t) for t in p) + '"' for p in compiled.phrases]
        parts += [f"-{t.word}" for t in compiled.exclusions]
        return " ".join(parts)

    def suggest(self, text: str, limit: int = 10) -> list[Suggestion]:
        """Type-ahead: items whose title or names match, the last word as a prefix."""
        raise NotImplementedError

    def is_available(self) -> bool:
        """Whether the engine answers right now (cheap; used by /healthz and degrading)."""
        raise NotImplementedError

    def document_count(self) -> int:
        """How many documents the index holds (for /healthz and the rebuild command)."""
        raise NotImplementedError


def configured_backend_name() -> str:
    """`SEARCH_BACKEND`, or the database's own backend when it is not set."""
    name = getattr(settings, "SEARCH_BACKEND", "") or ""
    return name or database_backend_name()


def database_backend_name() -> str:
    return DATABASE_BACKENDS.get(connection.vendor, "sqlite")


class InvalidSearchBackendError(ImproperlyConfigured):
    """`SEARCH_BACKEND` names no backend, or an engine backend has no `SEARCH_URL`."""


def backend_class(name: str) -> type[SearchBackend]:
    """The class of a short name (`BACKENDS`) or, like Django's own backends, of a dotted
    path to a `SearchBackend` subclass; `InvalidSearchBackendError` otherwise."""
    path = BACKENDS.get(name) or (name if "." in name else "")
    if not path:
        raise InvalidSearchBackendError(
            f"Unknown SEARCH_BACKEND {name!r}; use one of {', '.join(BACKENDS)} "
            "or a dotted path to a SearchBackend class."
        )
    try:
        cls = import_string(path)
    except ImportError as exc:
        raise InvalidSearchBackendError(
            f"SEARCH_BACKEND {name!r} cannot be imported: {exc}"
        ) from exc
    if not (isinstance(cls, type) and issubclass(cls, SearchBackend)):
        raise InvalidSearchBackendError(f"SEARCH_BACKEND {name!r} is not a SearchBackend.")
    return cls


def needs_url(name: str, cls: type[SearchBackend]) -> bool:
    """Whether the backend is a service reached at `SEARCH_URL` (OpenSearch, Elasticsearch)."""
    return name in ENGINE_BACKENDS or cls.requires_url


def backend_options() -> dict:
    """The backend's whole settings entry: the timeouts and the breaker's cool-down (each
    its own setting, read from the environment: docs/configuration.md), then anything in
    `SEARCH_OPTIONS` (e.g. `refresh`), which wins."""
    options = {
        option: getattr(settings, setting)
        for option, setting in OPTION_SETTINGS.items()
        if getattr(settings, setting, None) is not None
    }
    return {**options, **(getattr(settings, "SEARCH_OPTIONS", None) or {})}


#: Backend option ← the setting it comes from.
OPTION_SETTINGS = {
    "search_timeout": "SEARCH_TIMEOUT",
    "index_timeout": "SEARCH_INDEX_TIMEOUT",
    "health_timeout": "SEARCH_HEALTH_TIMEOUT",
    "cooldown": "SEARCH_COOLDOWN",
}


@cache
def _load(name: str, url: str, options: tuple = ()) -> SearchBackend:
    cls = backend_class(name)
    if needs_url(name, cls) and not url:
        raise InvalidSearchBackendError(
            f"SEARCH_BACKEND {name!r} is a search engine service and needs SEARCH_URL "
            "(e.g. http://127.0.0.1:9200/kronika)."
        )
    return cls(url=url, **dict(options))


def get_backend(name: str | None = None) -> SearchBackend:
    """The configured backend (or the one named), built with its whole settings entry
    (`backend_options`); instances are shared per process and per configuration."""
    name = name or configured_backend_name()
    url = getattr(settings, "SEARCH_URL", "") or ""
    options = tuple(sorted(backend_options().items()))
    return _load(name, "" if name in DATABASE_BACKENDS.values() else url, options)


def get_database_backend() -> SearchBackend:
    """The backend inside the project database: the fallback when an engine is down."""
    return get_backend(database_backend_name())


def indexing_backends() -> list[SearchBackend]:
    """Where the indexer writes: the configured engine and, if that is a separate
    service, the database backend too (first: it is always reachable), so a degraded
    search still has fresh answers."""
    primary = get_backend()
    if primary.is_database_backend:
        return [primary]
    return [get_database_backend(), primary]


def _log_degraded(backend: SearchBackend, exc: BackendUnavailable) -> None:
    # The failure that opened the breaker is a warning; requests it then sends to the
    # database while it stays open are only debug noise.
    from .breaker import BreakerOpen

    level = logging.DEBUG if isinstance(exc, BreakerOpen) else logging.WARNING
    logger.log(level, "Search engine %s unavailable, using the database: %s", backend.name, exc)


def search(query: SearchQuery) -> SearchResults:
    """Search with the configured engine, degrading to the database backend if the
    engine cannot be reached (logged, and flagged `degraded` in the results)."""
    backend = get_backend()
    try:
        return backend.search(query)
    except BackendUnavailable as exc:
        if backend.is_database_backend:
            raise
        _log_degraded(backend, exc)
    results = get_database_backend().search(query)
    results.degraded = True
    return results


def suggest(text: str, limit: int = 10) -> list[Suggestion]:
    """Type-ahead with the same degrading rule as `search`."""
    backend = get_backend()
    try:
        return backend.suggest(text, limit)
    except BackendUnavailable as exc:
        if backend.is_database_backend:
            raise
        _log_degraded(backend, exc)
    return get_database_backend().suggest(text, limit)
