"""OpenSearch and Elasticsearch: one backend, two clients.

The index mapping and the queries are built here once with elasticsearch-dsl, the search
bodies around them as plain dicts; a small client adapter sends them with opensearch-py
(`opensearch`) or the 8.x `elasticsearch` client (`elasticsearch`, which talks to
Elasticsearch 8 and 9). So the Elasticsearch flavour sends exactly the bodies the
OpenSearch one is tested with live.

Polish analysis is done in Python (search/analysis.py), as on the other backends: each
field group (title, names, body, extra) is indexed as `<group>_exact` (folded words) and
`<group>_lemma` (folded lemmas), whitespace-tokenised, with `lowercase` + `asciifolding`
in the engine as well, so a query typed any way meets the same tokens. The original texts
(`description`, `names`, …) are indexed with the standard tokenizer + `asciifolding` for
highlighting only. `suggest` is a `search_as_you_type` field over titles and names.

Ranking: `multi_match` over the groups with boosts (title ≫ names ≫ body ≫ extra, exact
above lemma), bm25 by the engine. A query that finds nothing is retried with the term
suggester's correction and `fuzziness: AUTO` ("did you mean"). Facets are `terms`
aggregations inside per-facet `filter` aggregations (every filter but the facet's own),
with the facet filters as `post_filter`, in a `size` 0 search the node's request cache
keeps; the page of hits is a second search of the same `_msearch` request
(`search_bodies`).

Indices and aliases: searches go to the alias (by default `kronika`, or the path of
`SEARCH_URL`, e.g. `http://127.0.0.1:9200/kronika_test`). A rebuild creates a new index
`<alias>-<timestamp>`, bulk-fills it, swaps the alias in one atomic `update_aliases` and
deletes the old index, so searches never see a half-built index.

Connection failures, timeouts and 5xx answers of the cluster raise `BackendUnavailable`;
the caller degrades to the database backend. A circuit breaker (search/backends/breaker.py)
stands in front of every search, suggestion and indexing request: after a failure the
engine is not asked again until a cool-down has passed, then one probe at a time. Searches,
suggestions, /healthz and indexing each have their own timeout (`SEARCH_TIMEOUT`,
`SEARCH_HEALTH_TIMEOUT`, `SEARCH_INDEX_TIMEOUT`), so a frozen node costs a search at most
the short search timeout, once per process per cool-down.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache, partial
from html import escape
from urllib.parse import urlsplit, urlunsplit

from django.urls import reverse
from django.utils.translation import get_language
from elasticsearch_dsl import Index as DslIndex
from elasticsearch_dsl import Q, Search, analyzer
from elasticsearch_dsl.field import Boolean, Integer, Keyword, Text

from .. import analysis
from ..compiler import (
    BOOSTS,
    ENTITY_BONUS,
    FACET_SIZE,
    GROUPS,
    PROXIMITY_BONUS,
    TITLE_BONUS,
    CompiledQuery,
    DateTier,
    Term,
    compile_words,
    lemma_sequences,
)
from ..corrections import closest_term
from ..documents import (
    AnalysedChunk,
    FacetValue,
    SearchDocument,
    analysed_groups,
    facet_label,
    iter_chunks,
)
from ..query import FACETS, DateCondition, SearchQuery
from .base import (
    BackendUnavailable,
    FacetCount,
    Hit,
    SearchBackend,
    SearchResults,
    Suggestion,
    reached_tiers,
    snippet_fields,
    tier_page,
)
from .breaker import CircuitBreaker
from .parallel import RebuildPlan

logger = logging.getLogger(__name__)

DEFAULT_ALIAS = "kronika"
HIGHLIGHT_FIELDS = ("description", "description_en", "names", "names_en", "extra")
#: What a hit shows (`Hit.from_data`) besides its snippet.
SHOWN_FIELDS = (
    "identifier",
    "item_type",
    "title",
    "title_en",
    "date",
    "thumbnail_url",
    "thumbnail_alt",
    "thumbnail_alt_en",
)
#: What a hit shows and the texts its snippet is cut from when there are no highlights;
#: the rest of `_source` is not sent back.
DISPLAY_FIELDS = (*SHOWN_FIELDS, *HIGHLIGHT_FIELDS)
SNIPPET_CHARS = 200
#: How many close index terms the suggester offers per unknown word (judged by closest_term).
CORRECTION_OPTIONS = 5
MAX_RESULT_WINDOW = 10_000
BULK_CHUNK = 500
POOL_SIZE = 4  # connections kept per client: a rebuild sends from several threads
#: Index settings while a rebuild fills a new index (nobody searches it yet), and the
#: values they get back before the alias is swapped to it.
BUILD_SETTINGS = {
    "refresh_interval": "-1",
    "number_of_replicas": 0,
    "auto_expand_replicas": "false",
    "translog.durability": "async",
}
SERVING_SETTINGS = {
    "refresh_interval": None,
    "number_of_replicas": None,
    "auto_expand_replicas": "0-1",
    "translog.durability": "request",
}
SEP = "\x1f"  # between a facet value and its labels in the aggregated keyword

folded = analyzer("kronika_folded", tokenizer="whitespace", filter=["lowercase", "asciifolding"])
original = analyzer("kronika_original", tokenizer="standard", filter=["lowercase", "asciifolding"])


# Bodies (built once, shared by both engines) -------------------------------------------


def index_body() -> dict:
    """Settings and mapping of a new index (the same for OpenSearch and Elasticsearch)."""
    index = DslIndex("kronika")
    index.settings(
        number_of_shards=1, auto_expand_replicas="0-1", max_result_window=MAX_RESULT_WINDOW
    )
    fields = {
        "identifier": Keyword(),
        "item_type": Keyword(),
        "title_sort": Keyword(),
        "date_start": Integer(),
        "date_end": Integer(),
        "has_media": Boolean(),
        "all_exact": Text(analyzer=folded),
        # Type-ahead (`suggest_body`): whole words as `terms`, the last as a prefix, all
        # constant-score (suggestions are ordered by title): the folded tokens, and each
        # token's first 1–19 characters as terms of `suggest._index_prefix` (a longer
        # prefix is a prefix query on `suggest`). Nothing
        # scores, so no frequencies, positions or norms. (It was `search_as_you_type`,
        # whose 2- and 3-word shingles and prefixes of shingles a one-word prefix never
        # matched: ≈ 2/3 of the node's CPU in a rebuild, for the same answers.)
        "suggest": Text(
            analyzer=folded,
            index_options="docs",
            norms=False,
            index_prefixes={"min_chars": 1, "max_chars": 19},
        ),
    }
    for group in GROUPS:
        fields[f"{group}_exact"] = Text(analyzer=folded, copy_to="all_exact")
        fields[f"{group}_lemma"] = Text(analyzer=folded)
    for name in HIGHLIGHT_FIELDS:
        fields[name] = Text(analyzer=original, index_options="offsets")
    for name in ("title", "title_en", "date", "thumbnail_url", "thumbnail_alt", "thumbnail_alt_en"):
        fields[name] = Keyword(index=False, doc_values=False)
    for facet in FACETS:
        fields[f"facet_{facet}"] = Keyword()
        # Every search aggregates these: their global ordinals are built when the index
        # refreshes, not by the first search after it.
        fields[f"facetlabel_{facet}"] = Keyword(eager_global_ordinals=True)
    index.mapping(_mapping(fields))
    body = index.to_dict()
    body["mappings"]["dynamic"] = "strict"
    return body


def _mapping(fields: dict):
    from elasticsearch_dsl import Mapping

    mapping = Mapping()
    for name, field_type in fields.items():
        mapping.field(name, field_type)
    return mapping


def document_source(doc: SearchDocument, groups: list | None = None) -> dict:
    """The `_source` of one document: analysed groups, original texts, facets. `groups`:
    its field groups analysed already (`AnalysedChunk`), so not again."""
    source = {
        "identifier": doc.identifier,
        "item_type": doc.item_type,
        "title_sort": analysis.fold(doc.title),
        "date_start": doc.date_start,
        "date_end": doc.date_end,
        "has_media": doc.has_media,
        "title": doc.title,
        "title_en": doc.title_en,
        "date": doc.date,
        "description": doc.description,
        "description_en": doc.description_en,
        "names": doc.display_names(english=False),
        "names_en": doc.display_names(english=True),
        "extra": doc.extra_display,
        "thumbnail_url": doc.thumbnail_url,
        "thumbnail_alt": doc.thumbnail_alt,
        "thumbnail_alt_en": doc.thumbnail_alt_en,
    }
    suggest = []
    for group, analysed in analysed_groups(doc) if groups is None else groups:
        source[f"{group}_exact"] = analysed.exact_text
        source[f"{group}_lemma"] = analysed.lemma_text
        if group in ("title", "names"):
            suggest += [analysed.exact_text, analysed.lemma_text]
    source["suggest"] = [s for s in suggest if s]
    for facet in FACETS:
        values = doc.facets.get(facet, [])
        source[f"facet_{facet}"] = [v.value for v in values]
        source[f"facetlabel_{facet}"] = [SEP.join((v.value, v.label, v.label_en)) for v in values]
    return source


def bulk_body(chunk: AnalysedChunk, index: str) -> str:
    """The NDJSON `_bulk` body that (re)indexes an analysed chunk's documents into
    `index`. Pure (no database, no engine): rebuilds run it in worker processes
    (`parallel.rebuild_together`)."""
    lines = []
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for doc, groups in chunk:
        lines.append(dumps({"index": {"_index": index, "_id": str(doc.id)}}))
        lines.append(dumps(document_source(doc, groups)))
    lines.append("")
    return "\n".join(lines)


def _fields(kind: str, groups: Sequence[str] = GROUPS) -> list[str]:
    """`<group>_<kind>^<boost>` for every field group (or `groups`), boosts from the
    compiler."""
    return [f"{group}_{kind}^{getattr(BOOSTS[group], kind):g}" for group in groups]


def word_query(term: Term, fuzzy: bool = False) -> Q:
    """One required word: its exact folded form, or any of its lemmas."""
    exact = {"query": term.exact, "fields": _fields("exact")}
    if fuzzy:
        exact["fuzziness"] = "AUTO"
    should = [Q("multi_match", **exact)]
    should += [Q("multi_match", query=lemma, fields=_fields("lemma")) for lemma in term.lemmas]
    # Items whose title holds the word come first, as on the other backends: bm25 alone
    # lets a short item mentioning the word in its description outrank the one named by it.
    in_title = Q(
        "bool",
        should=[
            Q("term", title_exact=term.exact),
            Q("terms", title_lemma=list(term.lemmas)),
        ],
        minimum_should_match=1,
    )
    should.append(Q("constant_score", filter=in_title, boost=TITLE_BONUS))
    return Q("bool", should=should, minimum_should_match=1)


def phrase_query(phrase: tuple[Term, ...], groups: Sequence[str] = GROUPS) -> Q:
    """Words in this order: as written (folded) or as lemmas (`lemma_sequences`), in
    the field `groups` (all of them unless told)."""
    exact = " ".join(t.exact for t in phrase)
    should = [Q("multi_match", query=exact, type="phrase", fields=_fields("exact", groups))]
    should += [
        Q("multi_match", query=" ".join(seq), type="phrase", fields=_fields("lemma", groups))
        for seq in lemma_sequences(phrase)
    ]
    return Q("bool", should=should, minimum_should_match=1)


#: Proximity counts outside the title (compiler.PROXIMITY_BONUS).
OUTSIDE_TITLE = tuple(g for g in GROUPS if g != "title")


def entity_query(compiled: CompiledQuery) -> Q:
    """The title's first word is one of the query's forms (compiler.ENTITY_BONUS)."""
    forms = list(compiled.entity_forms)
    return Q(
        "bool",
        should=[
            Q(
                "span_first",
                match={"span_or": {"clauses": [{"span_term": {field: f}} for f in forms]}},
                end=1,
            )
            for field in ("title_exact", "title_lemma")
        ],
        minimum_should_match=1,
    )


def date_condition(condition: DateCondition) -> Q:
    """A `DateCondition` without its negation (the caller puts it in `must_not`)."""
    if condition.kind == "within":
        clauses = []
        if condition.start is not None:
            clauses.append(Q("range", date_start={"gte": condition.start}))
        if condition.end is not None:
            clauses.append(Q("range", date_end={"lte": condition.end}))
        return Q("bool", filter=clauses)
    dated = Q(
        "bool",
        should=[Q("exists", field="date_start"), Q("exists", field="date_end")],
        minimum_should_match=1,
    )
    too_early = (
        [Q("range", date_end={"lt": condition.start})] if condition.start is not None else []
    )
    too_late = [Q("range", date_start={"gt": condition.end})] if condition.end is not None else []
    return Q("bool", filter=[dated], must_not=too_early + too_late)


def text_query(compiled: CompiledQuery) -> Q:
    query = compiled.query
    must = [word_query(t, compiled.fuzzy) for t in compiled.words]
    must += [phrase_query(p) for p in compiled.phrases]
    must_not = [
        Q(
            "multi_match",
            query=form,
            fields=[f"{g}_{kind}" for g in GROUPS for kind in ("exact", "lemma")],
        )
        for t in compiled.exclusions
        for form in t.forms
    ]
    filters = []
    if query.date_from is not None or query.date_to is not None:
        filters.append(
            Q(
                "bool",
                should=[Q("exists", field="date_start"), Q("exists", field="date_end")],
                minimum_should_match=1,
            )
        )
        if query.date_from is not None:
            must_not.append(Q("range", date_end={"lt": query.date_from}))
        if query.date_to is not None:
            must_not.append(Q("range", date_start={"gt": query.date_to}))
    for condition in query.date_conditions:
        (must_not if condition.negated else filters).append(date_condition(condition))
    if not (must or must_not or filters):
        return Q("match_all")
    pairs = compiled.proximity_pairs
    should = [
        Q(
            "constant_score",
            filter=phrase_query(pair, groups=OUTSIDE_TITLE),
            boost=PROXIMITY_BONUS / len(pairs),
        )
        for pair in pairs
    ]
    if compiled.entity_forms:
        should.append(Q("constant_score", filter=entity_query(compiled), boost=ENTITY_BONUS))
    return Q(
        "bool", must=must or [Q("match_all")], should=should, must_not=must_not, filter=filters
    )


class _TextKey:
    """What `text_query` reads of a compiled query, as a hashable key (the compiled
    query itself holds the request's filters, page and sort, which it does not read)."""

    __slots__ = ("compiled", "key")

    def __init__(self, compiled: CompiledQuery) -> None:
        query = compiled.query
        self.compiled = compiled
        self.key = (
            compiled.words,
            compiled.phrases,
            compiled.exclusions,
            compiled.fuzzy,
            query.date_from,
            query.date_to,
            query.date_conditions,
        )

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _TextKey) and self.key == other.key


@lru_cache(maxsize=1024)
def _text_query_dict(key: _TextKey) -> dict:
    return text_query(key.compiled).to_dict()


def text_query_dict(compiled: CompiledQuery) -> dict:
    """`text_query` as the plain dict a body holds, remembered per process for the
    last 1,024 questions: the DSL objects it is built from cost more than a cached count
    on the node (a date query with partial matches builds hundreds), and a question asked
    again (the next page, another facet, the date tiers of a repeated query) is the same
    dict. Read-only: bodies embed it and never change it."""
    return _text_query_dict(_TextKey(compiled))


def facet_filter(query: SearchQuery, skip: str | None = None) -> dict | None:
    """Facet filters ANDed between facets, values of one facet ORed; `skip` left out."""
    clauses = [
        {"terms": {f"facet_{facet}": list(query.filter_values(facet))}}
        for facet in FACETS
        if facet != skip and query.filter_values(facet)
    ]
    return {"bool": {"filter": clauses}} if clauses else None


def facet_aggregations(query: SearchQuery) -> dict:
    """Each facet's top values, counted with every facet filter but its own."""
    return {
        facet: {
            "filter": facet_filter(query, skip=facet) or {"match_all": {}},
            "aggs": {"values": {"terms": {"field": f"facetlabel_{facet}", "size": FACET_SIZE}}},
        }
        for facet in FACETS
    }


SORTS = {
    "title": [{"title_sort": "asc"}, {"identifier": "asc"}],
    "date": [
        {"date_start": {"order": "asc", "missing": "_last"}},
        {"date_end": {"order": "asc", "missing": "_last"}},
        {"title_sort": "asc"},
    ],
    "-date": [
        {"date_start": {"order": "desc", "missing": "_last"}},
        {"date_end": {"order": "desc", "missing": "_last"}},
        {"title_sort": "asc"},
    ],
    "relevance": ["_score", {"title_sort": "asc"}, {"identifier": "asc"}],
}


def search_bodies(compiled: CompiledQuery) -> list[dict]:
    """The searches that answer one compiled query, sent together in one `_msearch`:

    1. the **counts**: the total and the per-facet counts (`size` 0, exact total, the
       facet filters as `post_filter`) — a `size` 0 search the node keeps in its shard
       request cache until the index next changes (a refresh that brings a write, a
       withdrawal or a rebuild's new index starts it afresh), so a repeated question
       costs no counting at all, and the answer is never older than the index;
    2. the **page**: hits, highlights, sorted, with the facet filters as a filter (they
       do not score, so the hits are those the counts are of) and `track_total_hits`
       off, so the node scores only the documents that may reach the page.

    Only the first when `compiled.count_only` or the page lies past the result window."""
    # Plain dicts around the one query dict: building them with the DSL's objects (which
    # copy themselves at every step) cost more than the node's answer to a cached count.
    query = compiled.query
    matches = text_query_dict(compiled)
    counts = {"query": matches, "size": 0, "track_total_hits": True}
    if compiled.count_only:
        return [counts]
    post = facet_filter(query)
    if post is not None:
        counts["post_filter"] = post
    counts["aggs"] = facet_aggregations(query)
    start = query.offset
    if start + query.page_size > MAX_RESULT_WINDOW:
        return [counts]
    highlight_terms = _highlight_terms(compiled)
    page = {
        "query": matches if post is None else {"bool": {"must": [matches], "filter": [post]}},
        "from": start,
        "size": query.page_size,
        "track_total_hits": False,
        "sort": SORTS.get(query.effective_sort, SORTS["title"]),
        # With highlights every text shown is a highlight (`no_match_size`): only the
        # display fields are read from `_source`; without, a snippet is cut from the texts.
        "_source": list(SHOWN_FIELDS if highlight_terms else DISPLAY_FIELDS),
    }
    if highlight_terms:
        page["highlight"] = {
            "fields": {name: {} for name in HIGHLIGHT_FIELDS},
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "encoder": "html",
            "number_of_fragments": 1,
            "fragment_size": SNIPPET_CHARS,
            "no_match_size": SNIPPET_CHARS,
            "require_field_match": False,
            "highlight_query": {
                "multi_match": {
                    "query": " ".join(highlight_terms),
                    "fields": list(HIGHLIGHT_FIELDS),
                }
            },
        }
    return [counts, page]


def correction_body(terms: Sequence[Term]) -> dict:
    """A term-suggester request: index terms close to each word the index lacks
    (`suggest_mode: missing` leaves known words out), with their document frequencies."""
    return (
        Search()
        .extra(size=0)
        .suggest(
            "did_you_mean",
            " ".join(t.exact for t in terms),
            term={
                "field": "all_exact",
                "suggest_mode": "missing",
                "min_word_length": 3,
                "sort": "score",
                "max_edits": 2,
                "size": CORRECTION_OPTIONS,
            },
        )
        .to_dict()
    )


def suggest_body(text: str, limit: int) -> dict | None:
    """Type-ahead: whole words on titles and names, the last word as a prefix."""
    words = analysis.content_tokens(text)[:8]
    if not words:
        return None
    *whole, last = words
    must = [Q("terms", suggest=sorted(set(t.forms))) for t in compile_words(whole)]
    must.append(
        Q(
            "multi_match",
            query=analysis.fold_word(last),
            type="bool_prefix",
            fields=["suggest"],
        )
    )
    search = (
        Search()
        .query(Q("bool", must=must))
        .extra(size=max(1, min(limit, 10)))
        .sort("_score", {"title_sort": "asc"})
        .source(["identifier", "title", "title_en"])
    )
    return search.to_dict()


def _highlight_terms(compiled: CompiledQuery) -> list[str]:
    """Folded forms to mark in the original texts: the words as typed, their lemmas and
    the forms with diacritics recorded for those lemmas (`kościół` → *kościoła*)."""
    if not compiled.has_text:
        return []
    wanted = set(compiled.highlight_lemmas)
    terms = set(compiled.highlight_exact) | wanted
    terms |= _recorded_forms(sorted(wanted), limit=300)
    return sorted(terms)


def _recorded_forms(lemmas: list[str], limit: int) -> set[str]:
    """Folded surface forms recorded for these lemmas (LemmaForm). Plain SQL, as in
    `analysis.query_lemmas`: it runs on every search, and building the ORM query cost
    more than the indexed lookup."""
    from django.db import connection

    from ..models import LemmaForm

    if not lemmas:
        return set()
    marks = ", ".join(["%s"] * len(lemmas))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT form FROM {LemmaForm._meta.db_table} "  # noqa: S608
            f"WHERE lemma IN ({marks}) LIMIT %s",
            [*lemmas, limit],
        )
        return {form for (form,) in cursor.fetchall()}


# Clients ------------------------------------------------------------------------------


class _Client:
    """Sends the shared bodies with one engine's client; the only per-engine code."""

    unavailable: tuple[type[Exception], ...] = ()
    #: Errors carrying an HTTP status; 5xx among them means the cluster cannot serve.
    api_error: type[Exception] = Exception

    def __init__(
        self, hosts: list[str], timeout: float, retries: int, retry_on_timeout: bool = False
    ):
        raise NotImplementedError

    def server_error(self, exc: Exception) -> bool:
        status = getattr(exc, "status_code", None)
        return isinstance(exc, self.api_error) and isinstance(status, int) and status >= 500

    def send_bulk(self, body: str, refresh: bool = False) -> int:
        """Send one prepared NDJSON `_bulk` body; a rejected document raises
        `BulkIndexError` (nothing is silently dropped). Returns how many were written."""
        response = self.client.bulk(body=body, refresh="true" if refresh else "false")
        response = response.body if hasattr(response, "body") else response
        items = response.get("items", [])
        if response.get("errors"):
            failed = [i for i in items if next(iter(i.values())).get("status", 500) >= 300]
            raise self.helpers.BulkIndexError(
                f"{len(failed)} document(s) failed to index.", failed[:10]
            )
        return len(items)


class OpenSearchClient(_Client):
    def __init__(
        self, hosts: list[str], timeout: float, retries: int, retry_on_timeout: bool = False
    ):
        from opensearchpy import OpenSearch, helpers
        from opensearchpy import exceptions as errors

        self.client = OpenSearch(
            hosts=hosts,
            timeout=timeout,
            max_retries=retries,
            retry_on_timeout=retry_on_timeout,
            pool_maxsize=POOL_SIZE,
        )
        self.helpers = helpers
        self.unavailable = (errors.ConnectionError, errors.ConnectionTimeout)
        self.api_error = errors.TransportError
        self.not_found = errors.NotFoundError


class ElasticsearchClient(_Client):
    def __init__(
        self, hosts: list[str], timeout: float, retries: int, retry_on_timeout: bool = False
    ):
        import elastic_transport
        from elasticsearch import Elasticsearch, helpers
        from elasticsearch import exceptions as errors

        self.client = Elasticsearch(
            hosts,
            request_timeout=timeout,
            max_retries=retries,
            retry_on_timeout=retry_on_timeout,
            connections_per_node=POOL_SIZE,
        )
        self.helpers = helpers
        self.unavailable = (
            elastic_transport.ConnectionError,
            elastic_transport.ConnectionTimeout,
            errors.ConnectionError,
        )
        self.api_error = errors.ApiError
        self.not_found = errors.NotFoundError


class MultiSearchError(Exception):
    """One search of an `_msearch` request was refused (4xx): a bug in its body."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status_code = status


def _not_found(response: dict) -> bool:
    """Whether one answer of an `_msearch` says the index (our alias) does not exist."""
    error = response.get("error")
    return isinstance(error, dict) and error.get("type") == "index_not_found_exception"


# The backend --------------------------------------------------------------------------


class EngineBackend(SearchBackend):
    """A search engine service (OpenSearch or Elasticsearch) behind an alias."""

    client_class: type[_Client] = OpenSearchClient
    requires_url = True
    #: Seconds per request, by purpose; the options `search_timeout`, `index_timeout` and
    #: `health_timeout` (settings SEARCH_TIMEOUT, … through base.backend_options) override
    #: them, `rebuild_timeout` (SEARCH_OPTIONS) the rebuild's. A rebuild's requests (bulk
    #: bodies sent while the node is busy merging, the final refresh of a large index)
    #: wait at least as long as indexing's.
    timeouts = {"search": 1.0, "index": 10.0, "health": 0.5, "rebuild": 120.0}
    #: Searches and health checks are not retried: the breaker and the database answer.
    #: A rebuild's requests are retried after a timeout too: its bulk bodies carry each
    #: document's id, so a body sent twice indexes the same documents again.
    retries = {"search": 0, "index": 1, "health": 0, "rebuild": 2}
    cooldown = 30.0

    def __init__(self, url: str = "", **options):
        super().__init__(url=url, **options)
        parts = urlsplit(url or "http://127.0.0.1:9200")
        self.alias = parts.path.strip("/") or DEFAULT_ALIAS
        self.endpoint = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        #: The nodes of a cluster, as `http://host1:9200,host2:9200/alias` lists them
        #: (as libpq does): requests go round them, and one that fails is retried on the
        #: next, so a node lost answers nothing short (docs/search.md, "A cluster").
        self.hosts = [
            urlunsplit((parts.scheme, netloc.strip(), "", "", ""))
            for netloc in parts.netloc.split(",")
            if netloc.strip()
        ]
        #: Replicas of each shard: None keeps `auto_expand_replicas` 0-1 (one copy per
        #: extra node, up to one); a number fixes it (SEARCH_OPTIONS["replicas"]).
        replicas = options.get("replicas")
        self.replicas = None if replicas in (None, "") else int(replicas)
        self.refresh = options.get("refresh", True)
        # The options are the backend's whole settings entry (base.backend_options: the
        # KRONIKA_SEARCH_* timeouts, the cool-down, then SEARCH_OPTIONS); the class
        # defaults serve a backend built by hand.
        self.timeouts = {
            purpose: float(options.get(f"{purpose}_timeout") or default)
            for purpose, default in type(self).timeouts.items()
        }
        self.timeouts["rebuild"] = max(self.timeouts["rebuild"], self.timeouts["index"])
        cooldown = options.get("cooldown")
        self.breaker = CircuitBreaker(self.cooldown if cooldown is None else float(cooldown))
        self._clients: dict[str, _Client] = {}
        self._ready = False
        #: Rebuilds: threads sending bulk requests (`index_workers` analyse: the base).
        self.send_threads = int(options.get("send_threads") or 2)

    def replica_settings(self) -> dict:
        """The index's replica settings: fixed by the `replicas` option, else 0-1."""
        if self.replicas is None:
            return {"auto_expand_replicas": "0-1"}
        return {"number_of_replicas": self.replicas, "auto_expand_replicas": "false"}

    def client_for(self, purpose: str) -> _Client:
        """The client for searches, indexing or health checks (each its own timeout)."""
        if purpose not in self._clients:
            # Against several nodes a connection failure is retried on each other node.
            retries = max(self.retries[purpose], len(self.hosts) - 1)
            self._clients[purpose] = self.client_class(
                self.hosts,
                self.timeouts[purpose],
                retries,
                retry_on_timeout=purpose == "rebuild",
            )
        return self._clients[purpose]

    @property
    def engine(self) -> _Client:
        """The indexing client (the long timeout)."""
        return self.client_for("index")

    @contextmanager
    def _reachable(self, engine: _Client | None = None):
        """Connection failures, timeouts and 5xx answers become BackendUnavailable (search
        degrades, outbox waits)."""
        engine = engine or self.engine
        try:
            yield
        except engine.unavailable as exc:
            self._ready = False
            raise BackendUnavailable(f"{self.name} at {self.endpoint}: {exc}") from exc
        except engine.api_error as exc:
            if not engine.server_error(exc):
                raise
            self._ready = False
            raise BackendUnavailable(f"{self.name} at {self.endpoint}: {exc}") from exc

    # Indices and aliases ----------------------------------------------------------------

    def _indices(self, engine: _Client | None = None) -> list[str]:
        """The concrete indices behind the alias (none before the first write)."""
        engine = engine or self.engine
        try:
            found = engine.client.indices.get_alias(name=self.alias)
        except engine.not_found:
            return []
        return sorted(found.body if hasattr(found, "body") else found)

    def _create_index(self, building: bool = False, engine: _Client | None = None) -> str:
        name = f"{self.alias}-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
        body = index_body()
        body["settings"].update(self.replica_settings())
        if building:
            body["settings"].pop("auto_expand_replicas", None)
            body["settings"].update(BUILD_SETTINGS)
        (engine or self.engine).client.indices.create(index=name, body=body)
        return name

    def _delete_leftovers(self, serving: list[str], engine: _Client | None = None) -> None:
        """Drop the indices of rebuilds that died before their swap (the node killed, the
        process stopped: they could not clean up): named like ours, not behind the alias.
        One rebuild runs at a time (`rebuild_search_index`), so none is still filling."""
        client = (engine or self.engine).client
        ours = re.compile(rf"{re.escape(self.alias)}-\d{{14}}-[0-9a-f]{{6}}")
        found = client.indices.get(index=f"{self.alias}-*")
        names = found.body if hasattr(found, "body") else found
        for name in names:
            if ours.fullmatch(name) and name not in serving:
                logger.warning("Removing %s, left by a rebuild that did not finish", name)
                client.indices.delete(index=name, ignore_unavailable=True)

    def _swap(self, new: str, old: list[str], engine: _Client | None = None) -> None:
        actions = [{"remove": {"index": o, "alias": self.alias}} for o in old]
        actions.append({"add": {"index": new, "alias": self.alias}})
        (engine or self.engine).client.indices.update_aliases(body={"actions": actions})

    def ensure_index(self, engine: _Client | None = None) -> None:
        """Create the first index and its alias if there is none yet (a search checks
        with its own short timeout)."""
        if self._ready:
            return
        with self._reachable(engine):
            if not self._indices(engine):
                self._swap(self._create_index(), [])
        self._ready = True

    # Indexing ---------------------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> int:
        # Through the breaker: while it is open the outbox keeps the work, without waiting.
        with self.breaker.guard():
            self.ensure_index()
            with self._reachable():
                count = 0
                for docs in iter_chunks(documents, BULK_CHUNK):
                    chunk = AnalysedChunk.of(docs)
                    analysis.record_form_map(chunk.forms)
                    body = bulk_body(chunk, self.alias)
                    count += self.engine.send_bulk(body, refresh=self.refresh)
                return count

    def delete(self, ids: Iterable[int]) -> None:
        ids = [str(int(i)) for i in ids]
        if not ids:
            return
        actions = [{"_op_type": "delete", "_index": self.alias, "_id": i} for i in ids]
        with self.breaker.guard():
            self.ensure_index()
            with self._reachable():
                self.engine.helpers.bulk(
                    self.engine.client, actions, refresh=self.refresh, raise_on_error=False
                )
                # Deleting an absent id reports 404 for that item: fine (idempotent).

    def clear(self) -> None:
        self.rebuild([])

    def rebuild_plan(self) -> EngineRebuild:
        return EngineRebuild(self)

    # Health -----------------------------------------------------------------------------

    def is_available(self) -> bool:
        """One ping with the short health-check timeout (it does not move the breaker)."""
        try:
            return bool(self.client_for("health").client.ping())
        except Exception:  # noqa: BLE001 - any failure means "not reachable now"
            return False

    def document_count(self) -> int:
        self.ensure_index()
        with self._reachable():
            return int(self.engine.client.count(index=self.alias)["count"])

    # Searching --------------------------------------------------------------------------

    def _search(self, body: dict) -> dict:
        """One search request, through the breaker, with the short search timeout."""
        engine = self.client_for("search")
        with self.breaker.guard():
            self.ensure_index(engine)
            with self._reachable(engine):
                try:
                    response = engine.client.search(index=self.alias, body=body)
                except engine.not_found:
                    self._ready = False  # the alias was removed behind our back: recreate
                    self.ensure_index(engine)
                    response = engine.client.search(index=self.alias, body=body)
        return response.body if hasattr(response, "body") else response

    def execute(self, compiled: CompiledQuery) -> SearchResults:
        return self.execute_many([compiled])[0]

    def execute_many(self, compiled: Sequence[CompiledQuery]) -> list[SearchResults]:
        """Compiled queries in ONE request: each one's searches (`search_bodies`: counts,
        page), and several queries' together (date tiers, the counts of partial matches),
        searched side by side on the node."""
        asked = [search_bodies(c) for c in compiled]
        bodies = [body for bodies in asked for body in bodies]
        if not bodies:
            return []
        responses = self._msearch(bodies) if len(bodies) > 1 else [self._search(bodies[0])]
        results, at = [], 0
        for bodies in asked:
            results.append(self._results(*responses[at : at + len(bodies)]))
            at += len(bodies)
        return results

    def tier_answers(self, tiers: Sequence[DateTier], need: int) -> list[SearchResults]:
        """A date query's tiers in two requests: first every tier's counts (`size` 0
        searches the node keeps in its request cache), then the pages of only the tiers
        the page can reach (`reached_tiers`): scoring and highlighting a whole page per
        tier was most of a date query's time, and the first tier usually fills the page."""
        asked = [search_bodies(tier_page(tier, need)) for tier in tiers]
        counts = self._msearch([bodies[0] for bodies in asked])
        reached = reached_tiers(tiers, [c["hits"]["total"]["value"] for c in counts], need)
        wanted = [bodies[1] for bodies, r in zip(asked, reached, strict=True) if r and bodies[1:]]
        pages = iter(self._msearch(wanted) if wanted else ())
        return [
            self._results(counted, next(pages) if r and bodies[1:] else None)
            for bodies, counted, r in zip(asked, counts, reached, strict=True)
        ]

    def _msearch(self, bodies: list[dict]) -> list[dict]:
        """One `_msearch` request, through the breaker, with the short search timeout, as
        `_search`. An answer that failed on the node is a failure of the whole request:
        5xx → BackendUnavailable, the alias missing → recreated and asked again, anything
        else raised as the engine's error (a bug in a body)."""
        engine = self.client_for("search")
        # Counting searches (`size` 0) are kept in the node's request cache (search_bodies).
        lines = [
            line
            for body in bodies
            for line in ({"request_cache": True} if body.get("size") == 0 else {}, body)
        ]
        with self.breaker.guard():
            self.ensure_index(engine)
            with self._reachable(engine):
                responses = self._msearch_once(engine, lines)
                if any(_not_found(r) for r in responses):
                    self._ready = False  # the alias was removed behind our back: recreate
                    self.ensure_index(engine)
                    responses = self._msearch_once(engine, lines)
                for response in responses:
                    if "error" in response:
                        status = int(response.get("status") or 500)
                        error = f"{self.name} at {self.endpoint}: {response['error']}"
                        if status >= 500:
                            self._ready = False
                            raise BackendUnavailable(error)
                        raise MultiSearchError(status, error)
        return responses

    def _msearch_once(self, engine: _Client, lines: list[dict]) -> list[dict]:
        response = engine.client.msearch(index=self.alias, body=lines)
        response = response.body if hasattr(response, "body") else response
        return response["responses"]

    def closest_terms(self, terms: Sequence[Term]) -> dict[str, str]:
        """The term suggester's options for the words the index lacks, judged by the same
        rule as the database engines (`closest_term`: edit ratio, then frequency)."""
        terms = [t for t in terms if len(t.exact) >= 3 and not t.exact.isdigit()]
        if not terms:
            return {}
        response = self._search(correction_body(terms))
        options: dict[str, list[tuple[str, int]]] = {}
        for entry in response.get("suggest", {}).get("did_you_mean", []):
            options.setdefault(entry["text"], []).extend(
                (o["text"], o.get("freq", 0)) for o in entry.get("options", [])
            )
        candidates = sorted({text for found in options.values() for text, _ in found})
        if candidates:
            live = self._live_counts(candidates)
            options = {
                word: [(text, live[text]) for text, _ in found if live.get(text)]
                for word, found in options.items()
            }
        found = {}
        for term in terms:
            best = closest_term(term.exact, options.get(term.exact, ()))
            if best:
                found[term.word] = best
        return found

    def _live_counts(self, texts: list[str]) -> dict[str, int]:
        """How many indexed documents hold each term now. The term suggester reads the term
        dictionary, which keeps a deleted (withdrawn) document's words until its segment is
        merged; queries count live documents only, so a withdrawn item's words are never
        offered as "did you mean"."""
        filters = {text: {"term": {"all_exact": text}} for text in texts}
        body = {"size": 0, "aggs": {"live": {"filters": {"filters": filters}}}}
        buckets = self._search(body).get("aggregations", {}).get("live", {}).get("buckets", {})
        return {text: bucket.get("doc_count", 0) for text, bucket in buckets.items()}

    def _results(self, response: dict, page: dict | None = None) -> SearchResults:
        """The answer from a query's counts `response` and, if asked, its `page`."""
        language = get_language() or "pl"
        english = language.startswith("en")
        hits = [self._hit(h, english) for h in (page or response)["hits"]["hits"]]
        facets = {}
        for facet in FACETS:
            buckets = response.get("aggregations", {}).get(facet, {}).get("values", {})
            merged: dict[str, list] = {}
            for bucket in buckets.get("buckets", []):
                value, label, label_en = (bucket["key"].split(SEP) + ["", ""])[:3]
                if value in merged:
                    merged[value][2] += bucket["doc_count"]
                else:
                    merged[value] = [label, label_en, bucket["doc_count"]]
            rows = sorted(merged.items(), key=lambda kv: (-kv[1][2], kv[0]))
            facets[facet] = [
                FacetCount(
                    value=value,
                    label=facet_label(facet, FacetValue(value, label, label_en), value, language),
                    count=count,
                )
                for value, (label, label_en, count) in rows[:FACET_SIZE]
            ]
        return SearchResults(
            count=response["hits"]["total"]["value"], hits=hits, facets=facets, backend=self.name
        )

    def _hit(self, hit: dict, english: bool) -> Hit:
        source = hit["_source"]
        highlight = hit.get("highlight", {})
        order = snippet_fields(english)
        # A highlight with a match first, then any highlight, then the start of a text.
        field_name = next(
            (f for f in order if highlight.get(f) and "<mark>" in highlight[f][0]),
            next((f for f in order if highlight.get(f)), ""),
        )
        if field_name:
            snippet = highlight[field_name][0]
        else:
            field_name = next((f for f in order if source.get(f)), "")
            snippet = escape(source[field_name][:SNIPPET_CHARS]) if field_name else ""
        return Hit.from_data(
            source["identifier"],
            source,
            english,
            snippet.strip(),
            score=float(hit.get("_score") or 0.0),
            snippet_field=field_name,
        )

    # Type-ahead -------------------------------------------------------------------------

    def suggest(self, text: str, limit: int = 10) -> list[Suggestion]:
        body = suggest_body(text, limit)
        if body is None:
            return []
        english = (get_language() or "pl").startswith("en")
        response = self._search(body)
        suggestions = []
        for hit in response["hits"]["hits"]:
            source = hit["_source"]
            suggestions.append(
                Suggestion(
                    identifier=source["identifier"],
                    title=(source.get("title_en") if english else "") or source["title"],
                    url=reverse("archive:item", kwargs={"identifier": source["identifier"]}),
                )
            )
        return suggestions


class EngineRebuild(RebuildPlan):
    """Fill a new index, then swap the alias to it atomically and drop the old one.

    While it fills, the new index does not refresh, has no replicas and syncs its
    translog in the background (nobody searches it yet); its serving settings come back,
    and it is refreshed, in `finish`, before the swap (`commit`). Each chunk's bulk body
    is built in a worker process (`bulk_body`) and sent by `send_threads` threads while
    the next chunks are analysed and the other backends write theirs: at most
    `send_threads` bodies are in flight. Every request has the long rebuild timeout and
    is retried after a timeout (`EngineBackend.timeouts`, `retries`): one slow bulk
    request on a busy node must not undo the whole rebuild. An abort deletes the new
    index; one left by a rebuild that could not abort (the process killed) is deleted by
    the next rebuild's `begin`. Engine failures are `BackendUnavailable`."""

    chunk_size = BULK_CHUNK

    def __init__(self, backend: EngineBackend):
        super().__init__(backend)
        self.engine = backend.client_for("rebuild")
        self.old: list[str] = []
        self.new: str | None = None
        self.sender: ThreadPoolExecutor | None = None
        self.sending: deque = deque()

    def begin(self) -> None:
        with self.backend._reachable(self.engine):
            self.old = self.backend._indices(self.engine)
            self.backend._delete_leftovers(self.old, self.engine)
            self.new = self.backend._create_index(building=True, engine=self.engine)
        self.analyse = partial(bulk_body, index=self.new)
        self.sender = ThreadPoolExecutor(
            self.backend.send_threads, thread_name_prefix="kronika-bulk"
        )

    def write(self, result: str) -> None:
        with self.backend._reachable(self.engine):
            while len(self.sending) >= self.backend.send_threads:
                self.written += self.sending.popleft().result()
            self.sending.append(self.sender.submit(self.engine.send_bulk, result))

    def finish(self) -> None:
        client = self.engine.client
        with self.backend._reachable(self.engine):
            while self.sending:
                self.written += self.sending.popleft().result()
            serving = {**SERVING_SETTINGS, **self.backend.replica_settings()}
            client.indices.put_settings(index=self.new, body={"index": serving})
            client.indices.refresh(index=self.new)
        self._stop_sending()

    def commit(self) -> None:
        with self.backend._reachable(self.engine):
            self.backend._swap(self.new, self.old, self.engine)
        self.backend._ready = True

    def cleanup(self) -> None:
        with self.backend._reachable(self.engine):
            for index in self.old:
                self.engine.client.indices.delete(index=index, ignore_unavailable=True)

    def abort(self) -> None:
        self._stop_sending()
        if self.new is not None:
            with self.backend._reachable(self.engine):
                self.engine.client.indices.delete(index=self.new, ignore_unavailable=True)

    def _stop_sending(self) -> None:
        for future in self.sending:
            future.cancel()
        self.sending.clear()
        if self.sender is not None:
            self.sender.shutdown(wait=True)
            self.sender = None


class OpenSearchBackend(EngineBackend):
    """OpenSearch (tested live with 3.8; the same bodies work on 2.x) via opensearch-py."""

    name = "opensearch"
    client_class = OpenSearchClient


class ElasticsearchBackend(EngineBackend):
    """Elasticsearch 8 and 9 via the 8.x `elasticsearch` client (same bodies)."""

    name = "elasticsearch"
    client_class = ElasticsearchClient
