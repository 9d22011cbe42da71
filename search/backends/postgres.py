"""PostgreSQL full-text search: the engine of a Kronika running on PostgreSQL.

Tables (created by migrations `search.0090_postgres_search`,
`search.0092_postgres_facet_arrays` and `search.0094_postgres_index_version`, only on
PostgreSQL):
- `search_pg_doc`: one row per indexed item. `tsv` is a `tsvector` with weights A–D
  (title A; subjects, places, creators, collections B; descriptions C; alt-texts,
  captions and the identifier D) under a GIN index. Its lexemes come from
  `search.analysis`, not from a PostgreSQL dictionary: each word is stored as its exact
  folded form *and* its folded lemma at the same position, so `kościoła` is
  `'kosciola':1A 'kosciol':1A`, phrases (`<->`) work on either, and lemmas meet exactly as
  on the other backends. `title_tsv` is the title's part alone (GIN: the title tier of
  relevance), `facet_ids` the item's facet value ids (GIN: filters and facet counts),
  `data` (jsonb) what result rendering needs. `tsv` and `data` are kept out of line
  (`toast_pad`, see the migration) so the heap a count reads is narrow.
- `search_pg_value`: each facet value once (id, facet, value, labels).
- `search_pg_term`: the vocabulary (exact folded term, its lemma) with a `pg_trgm` GIN
  index: "did you mean" candidates by trigram similarity (then the same edit ratio as
  SQLite), and every indexed form of a query lemma for
  highlighting.
- `search_pg_meta`: `version`, a random token rewritten by every index change: each
  process reloads its facet bitmaps (`search/backends/bitmaps.py`) when it changes.
- `search_pg_posting` (`search.0096_postgres_postings`): the item ids of each common
  lexeme of `tsv` (field `a`) and `title_tsv` (`t`), and every item in title order
  (`o`), written by a rebuild (`write_postings`): matching and the title tier of a query
  text read these rows instead of listing every match from the GIN index.
  `search_pg_dirty`: the items written or deleted since, matched by their current row.
- text search configuration `kronika_search`: `simple` with the `unaccent` dictionary in
  front. PostgreSQL reads *original* text only in `ts_headline`, which must match the
  folded query lexemes against words written with diacritics (`kościoła` → `kosciola`).

Ranking: items whose title holds more of the query words first, then `ts_rank_cd` over
the weights plus a bonus for exact forms (so `pożar` ranks *Pożar* above *pożarze*);
the other matches are ranked only when the title tier does not fill the page. The
matching ids come from the GIN index in one statement; the count and every facet count
are bit counts over this process's facet bitmaps (docs/search.md, "PostgreSQL: speed").
The matching ids, the title tier's order and the highlighted forms of a query text are
remembered per process and index version (`FacetBitmaps.queries`), so paging, filtering
and repeating a query cost one ranking statement over at most `TIER_CANDIDATES` rows and
the page's rows ("PostgreSQL speed, second pass").

User text reaches PostgreSQL only as bound parameters: tsqueries are built here from
analysed tokens (letters and digits), each lexeme quoted, and cast with `::tsquery`, so
`&`, `|`, `!`, `:*` or `(` typed by a visitor are never operators.
"""

# SQL is built only from the constant table names below and "%s" placeholders; every
# value, user text included, is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import json
import re
import secrets
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from html import escape
from typing import TYPE_CHECKING

import numpy as np
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils.translation import get_language

from .. import analysis
from ..compiler import GROUPS, CompiledQuery, Term, compile_words, relative_weights
from ..corrections import closest_term
from ..documents import AnalysedChunk, SearchDocument, analysed_groups
from ..query import SearchQuery
from . import bitmaps
from .base import Hit, SearchResults, Suggestion, snippet_fields
from .bitmaps import BitmapCache, QueryCache, as_bytes, bitmap, bitmap_from_text
from .database import DatabaseRebuild, DatabaseSearchBackend, known_value_ids, stored_data

if TYPE_CHECKING:
    from ..analysis import Analysed

DOC = "search_pg_doc"
VALUE = "search_pg_value"
TERM = "search_pg_term"
META = "search_pg_meta"
POSTING = "search_pg_posting"
DIRTY = "search_pg_dirty"
CONFIG = "kronika_search"

GROUP_WEIGHTS = ("A", "B", "C", "D")  # PostgreSQL's weight letter for each of GROUPS
# ts_rank_cd weights in PostgreSQL's order {D, C, B, A}, from the compiler's boosts.
RANK_WEIGHTS = "{" + ", ".join(f"{relative_weights()[g]:.4g}" for g in reversed(GROUPS)) + "}"
# Positions between field groups, so a phrase never spans the end of one field and the
# start of the next.
GROUP_GAP = 8
MAX_POSITION = 16383

# Matches outside the title tier ranked by ts_rank_cd at most (see `_ranked_ids`).
RANK_CANDIDATES = 1000
# Title-tier matches ranked by ts_rank_cd at most: the most query words in the title
# first, then the shortest titles (see `_ranked_ids`).
TIER_CANDIDATES = 300
CORRECTION_CANDIDATES = 50
MAX_HIGHLIGHT_TERMS = 300
# Markers around ts_headline matches; removed from indexed text so they cannot be forged.
START, STOP = "\x02", "\x03"
HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, ShortWord=0, "
    "HighlightAll=false, MaxFragments=0"
)
_MARKERS = re.compile(f"[{START}{STOP}]")

# For the statements of one search (SET LOCAL: until its transaction ends). The planner
# does not count the cost of reading each row's out-of-line `tsv` (see migration
# search.0092): with a narrow heap it would scan every row and detoast every tsvector
# (1.5 s for a common word at 100,000 items) instead of asking the GIN index (0.07 s).
# JIT compilation would cost more than these short statements save. The same statement
# reads the index version (`facet_bitmaps`): one round trip.
PLANNER_SETTINGS = (
    f"SELECT (SELECT value FROM {META} WHERE key = 'version'), "
    "set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)"
)
# What each process remembers of one index version's queries (see `FacetBitmaps`):
# ≈ 250 match bitmaps of common words at 1,000,000 items, thousands at 100,000.
QUERY_CACHE_BYTES = 32 * 1024 * 1024
# Tables a full rebuild builds beside the live ones and swaps in (see `rebuild`).
BUILD = "_build"
# Value ids are resolved per chunk; labels are refreshed when they change.
VALUE_BATCH = 1000
# A lexeme in at least this many items (and this share of them) when the index is rebuilt
# gets its item ids stored (`search_pg_posting`); a rarer one is read from the GIN index,
# a heap visit per match, as cheap as the stored row below this.
POSTING_MIN = 1000
POSTING_SHARE = 0.002
# Items written or deleted since the rebuild above which matching no longer uses the
# stored ids (each search would test that many rows' current text).
DIRTY_MAX = 5000


def lexeme(term: str) -> str:
    """A tsquery/tsvector lexeme literal: quoted, so it is never read as an operator."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def build_tsvector(
    doc: SearchDocument,
    forms: dict[tuple[str, str], str] | None = None,
    vocabulary: set[tuple[str, str]] | None = None,
    groups: list[tuple[str, Analysed]] | None = None,
) -> tuple[str, str, set[tuple[str, str]]]:
    """The `tsvector` literals of a document (all of it, and its title alone) and its
    (term, lemma) vocabulary (added to `vocabulary` when given, which is returned).

    Exact folded words and their lemmas share positions; each field group has its weight.
    With `forms`, the surface forms of the title, names and body are collected into it
    (for `analysis.record_form_map`), so each text is analysed once. `groups`: the
    document's field groups analysed already (`AnalysedChunk`), so not again.
    """
    entries: defaultdict[str, list[str]] = defaultdict(list)
    vocabulary = set() if vocabulary is None else vocabulary
    position = 0
    title = ""
    if groups is None:
        groups = analysed_groups(doc, forms)
    for (group, analysed), weight in zip(groups, GROUP_WEIGHTS, strict=True):
        words = list(zip(analysed.exact, analysed.lemmas, strict=True))
        first = position + 1
        if first + len(words) <= _LABELLED:  # the usual case: no position reaches the cap
            labels = _POSITION_LABELS[weight][first : first + len(words)]
            position += len(words)
        else:
            labels = []
            for _word in words:
                position = min(position + 1, MAX_POSITION)
                labels.append(f"{position}{weight}")
        for label, (exact, lemma) in zip(labels, words, strict=True):
            entries[exact].append(label)
            if lemma != exact:
                entries[lemma].append(label)
        vocabulary.update(words)
        position = min(position + GROUP_GAP, MAX_POSITION)
        if group == "title":
            title = _literal(entries)
    return _literal(entries), title, vocabulary


# The position labels (`12A`) of a document's first positions, per weight: formatted once
# per process rather than once per word of every document.
_LABELLED = 1024
_POSITION_LABELS = {w: [f"{p}{w}" for p in range(_LABELLED)] for w in GROUP_WEIGHTS}
# Quoted lexemes (`lexeme`) of the words seen, bounded by clearing.
_LEXEMES: dict[str, str] = {}
_LEXEMES_MAX = 500_000


def _quoted(term: str) -> str:
    quoted = lexeme(term)
    if len(_LEXEMES) >= _LEXEMES_MAX:
        _LEXEMES.clear()
    _LEXEMES[term] = quoted
    return quoted


def _literal(entries: dict[str, list[str]]) -> str:
    # PostgreSQL keeps at most 256 positions per lexeme.
    get = _LEXEMES.get
    return " ".join(f"{get(t) or _quoted(t)}:{','.join(p[:256])}" for t, p in entries.items())


# COPY's text format: a backslash, and the row and column delimiters, are escaped.
_COPY_SPECIAL = re.compile(r"[\\\n\r\t]")
_COPY_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _copy_field(value: object) -> str:
    """One column of a COPY text-format row (`\\N` is NULL)."""
    if value is None:
        return "\\N"
    text = str(value)
    # Four scans for a character are cheaper than one regular expression search.
    if "\\" in text or "\n" in text or "\r" in text or "\t" in text:
        return _COPY_SPECIAL.sub(lambda m: _COPY_ESCAPES[m.group()], text)
    return text


def _or(terms: Iterable[str], weights: str = "") -> str:
    suffix = f":{weights}" if weights else ""
    return "(" + " | ".join(lexeme(t) + suffix for t in dict.fromkeys(terms)) + ")"


# A chunk's document rows as COPY text lines without their last column (the facet ids,
# which only the writing process knows), each row's facet (facet, value) keys, the
# (term, lemma) vocabulary and the facet values' labels.
AnalysedRows = tuple[
    list[str],
    list[set[tuple[str, str]]],
    set[tuple[str, str]],
    dict[tuple[str, str], tuple[str, str]],
]


def analysed_rows(chunk: AnalysedChunk) -> AnalysedRows:
    """The `search_pg_doc` rows of an analysed chunk. Pure (no database): rebuilds run it
    in worker processes (`parallel.rebuild_together`), which also format the rows for
    COPY (one string per chunk to send back, not a tuple per row)."""
    lines, keys, vocabulary, labels = [], [], set(), {}
    for d, groups in chunk:
        tsv, title_tsv, _terms = build_tsvector(d, vocabulary=vocabulary, groups=groups)
        values = set()
        for facet, facet_values in d.facets.items():
            for v in facet_values:
                labels[(facet, v.value)] = (v.label, v.label_en)
                values.add((facet, v.value))
        keys.append(values)
        row = (
            d.id,
            d.identifier,
            analysis.fold(d.title),
            d.date_start,
            d.date_end,
            tsv,
            title_tsv,
            stored_data(d, _clean),
        )
        lines.append("\t".join(map(_copy_field, row)))
    return lines, keys, vocabulary, labels


@dataclass
class _Build:
    """What a rebuild remembers across its chunks (see `PostgresSearchBackend._load`)."""

    terms: set[tuple[str, str]] = field(default_factory=set)
    values: dict[tuple[str, str], tuple[int, tuple[str, str]]] = field(default_factory=dict)


class PostgresSearchBackend(DatabaseSearchBackend):
    name = "postgres"
    document_table = DOC

    # Indexing ---------------------------------------------------------------------------

    def _store(self, cursor, chunk: AnalysedChunk) -> None:
        self._load(cursor, analysed_rows(chunk), DOC, TERM)

    def _load(
        self,
        cursor,
        analysed: AnalysedRows,
        doc_table: str,
        term_table: str,
        build: _Build | None = None,
    ) -> None:
        """COPY analysed documents' rows into `doc_table`, their vocabulary into
        `term_table` (new pairs only) and their facet values into `search_pg_value` (new
        values, changed labels). Their surface forms are the caller's to record.

        A rebuild passes its `_Build`: the vocabulary pairs and facet values written by
        its earlier chunks are not sent again (most of a chunk's are), and the new pairs
        go into the empty build table with COPY, not an upsert."""
        lines, keys, vocabulary, labels = analysed
        ids = self._value_ids(cursor, labels, build.values if build else None)
        with cursor.cursor.copy(
            f"COPY {doc_table} (item_id, identifier, title_sort, date_start, date_end, tsv, "
            "title_tsv, data, facet_ids) FROM STDIN"
        ) as copy:
            copy.write(
                "".join(
                    f"{line}\t{{{','.join(map(str, sorted({ids[key] for key in values})))}}}\n"
                    for line, values in zip(lines, keys, strict=True)
                )
            )
        if build is not None:
            new = vocabulary - build.terms
            build.terms |= new
            if new:
                with cursor.cursor.copy(f"COPY {term_table} (term, lemma) FROM STDIN") as copy:
                    for pair in new:
                        copy.write_row(pair)
        elif vocabulary:
            terms, lemmas = zip(*sorted(vocabulary), strict=True)
            cursor.execute(
                f"INSERT INTO {term_table} (term, lemma) "
                "SELECT * FROM unnest(%s::text[], %s::text[]) ON CONFLICT DO NOTHING",
                [list(terms), list(lemmas)],
            )

    def _value_ids(
        self,
        cursor,
        labels: dict[tuple[str, str], tuple[str, str]],
        known: dict[tuple[str, str], tuple[int, tuple[str, str]]] | None = None,
    ) -> dict[tuple[str, str], int]:
        """Ids of these facet values, creating them or refreshing their labels. `known`
        ((facet, value) → (id, labels), a rebuild's memory) skips the values already
        written with the same labels, and learns the others."""
        ids, keys = known_value_ids(labels, known)
        for start in range(0, len(keys), VALUE_BATCH):
            batch = keys[start : start + VALUE_BATCH]
            rows = [(f, v, *labels[(f, v)]) for f, v in batch]
            columns = [list(c) for c in zip(*rows, strict=True)]
            cursor.execute(
                f"INSERT INTO {VALUE} AS x (facet, value, label, label_en) "
                "SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[]) "
                "ON CONFLICT (facet, value) DO UPDATE SET label = excluded.label, "
                "label_en = excluded.label_en "
                "WHERE (x.label, x.label_en) <> (excluded.label, excluded.label_en)",
                columns,
            )
            cursor.execute(
                f"SELECT x.id, x.facet, x.value FROM {VALUE} x "
                "JOIN unnest(%s::text[], %s::text[]) AS k(facet, value) USING (facet, value)",
                columns[:2],
            )
            found = {(facet, value): pk for pk, facet, value in cursor.fetchall()}
            ids.update(found)
            if known is not None:
                known.update({key: (pk, labels[key]) for key, pk in found.items()})
        return ids

    def _delete(self, cursor, ids: list[int]) -> None:
        cursor.execute(f"DELETE FROM {DOC} WHERE item_id = ANY(%s)", [ids])
        # The stored ids (`search_pg_posting`) no longer speak for these items.
        cursor.execute(
            f"INSERT INTO {DIRTY} SELECT unnest(%s::bigint[]) ON CONFLICT DO NOTHING", [ids]
        )
        self._touch(cursor)

    def _touch(self, cursor) -> None:
        """A new index version: every process reloads its facet bitmaps on next search.
        Random, not a counter, so a rolled-back change can never reuse a version."""
        cursor.execute(
            f"INSERT INTO {META} (key, value) VALUES ('version', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [secrets.token_hex(8)],
        )

    def clear(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for table in (DOC, TERM, VALUE, POSTING, DIRTY):
                cursor.execute(f"DELETE FROM {table}")
            self._touch(cursor)

    def rebuild_plan(self) -> PostgresRebuild:
        return PostgresRebuild(self)

    def _create_build_table(self, cursor, table: str) -> list[str]:
        """An empty copy of `table` (columns, defaults, storage, options); returns the
        statements that create its indexes and primary key, to run once it is full (a
        rebuild writes each vocabulary pair and item once, see `_load`)."""
        build = table + BUILD
        cursor.execute(f"DROP TABLE IF EXISTS {build}")
        cursor.execute(f"CREATE TABLE {build} (LIKE {table} INCLUDING DEFAULTS INCLUDING STORAGE)")
        cursor.execute("SELECT c.reloptions FROM pg_class c WHERE c.oid = %s::regclass", [table])
        options = cursor.fetchone()[0]
        if options:
            cursor.execute(f"ALTER TABLE {build} SET ({', '.join(options)})")
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), i.indisprimary "
            "FROM pg_index i WHERE i.indrelid = %s::regclass ORDER BY 1",
            [table],
        )
        later = []
        for name, definition, primary in cursor.fetchall():
            statement = definition.replace(f"INDEX {name} ON", f"INDEX {name}{BUILD} ON", 1)
            statement = re.sub(rf"\b{table}\b(?= USING)", build, statement, count=1)
            later.append(statement)
            if primary:
                later.append(
                    f"ALTER TABLE {build} ADD CONSTRAINT {name}{BUILD} "
                    f"PRIMARY KEY USING INDEX {name}{BUILD}"
                )
        return later

    def _swap(self, cursor, table: str) -> None:
        """Drop `table` and give its `_build` copy (and that copy's indexes) its names."""
        build = table + BUILD
        cursor.execute(
            "SELECT i.indexrelid::regclass::text FROM pg_index i WHERE i.indrelid = %s::regclass",
            [build],
        )
        names = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"DROP TABLE {table}")
        cursor.execute(f"ALTER TABLE {build} RENAME TO {table}")
        for name in names:
            cursor.execute(f"ALTER INDEX {name} RENAME TO {name.removesuffix(BUILD)}")

    # Health -----------------------------------------------------------------------------

    def is_available(self) -> bool:
        if connection.vendor != "postgresql":
            return False
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SELECT 1 FROM {DOC} LIMIT 1")
        except DatabaseError:
            return False
        return True

    # Searching --------------------------------------------------------------------------

    def execute(self, compiled: CompiledQuery) -> SearchResults:
        """The matching ids come from the GIN index in one statement; the count and every
        facet count are then bit counts over this process's facet bitmaps (exact, and
        nearly free however many items match); only the page is ranked in SQL."""
        query = compiled.query
        parts = self._parts(compiled)
        match = " & ".join(parts)
        exclude = " | ".join(_or(t.forms) for t in compiled.exclusions)
        outermost = not connection.in_atomic_block
        with transaction.atomic(), connection.cursor() as cursor:
            if outermost:
                # One snapshot for the version and the matches: the bitmaps and the
                # matching ids then describe the same index.
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            bits = facet_bitmaps(cursor)  # and the planner settings, in one statement
            text = self._where(query, match, exclude, {})
            base = self._matching(cursor, bits, text, compiled)
            masks = bits.filters(query)
            selected = base
            for mask in masks.values():
                selected &= mask
            count = selected.bit_count()
            if compiled.count_only:
                return SearchResults(count=count, hits=[], backend=self.name)
            rows = []
            if count and query.offset < count:
                filters = {
                    facet: [bits.by_key[(facet, v)] for v in values if (facet, v) in bits.by_key]
                    for facet in masks
                    for values in [query.filter_values(facet)]
                }
                where, params = self._where(query, match, exclude, filters)
                rows = self._page(cursor, compiled, parts, (where, params), (bits, text, selected))
        facets = bits.facet_counts(base, masks)
        language = get_language() or "pl"
        hits = [self._hit(row, language) for row in rows]
        return SearchResults(count=count, hits=hits, facets=facets, backend=self.name)

    def _matching(
        self, cursor, bits: FacetBitmaps, text: tuple[str, list], compiled: CompiledQuery
    ) -> int:
        """The bitmap of the items matching the text, exclusions and dates (`text`: their
        conditions and parameters; every indexed item when there are none), remembered
        for this index version (`FacetBitmaps`): from the stored ids of the words'
        lexemes when the query is words and exclusions only (`_stored_match`), else one
        GIN-indexed statement."""
        where, params = text
        if not params and where == "TRUE":
            return bits.all

        def load() -> tuple[int, int]:
            found = self._stored_match(cursor, bits, compiled)
            if found is None:
                # One text value, parsed by numpy: no Python object per matching row.
                cursor.execute(
                    f"SELECT array_to_string(array_agg(d.item_id), ',') FROM {DOC} d WHERE {where}",
                    params,
                )
                found = bitmap_from_text(cursor.fetchone()[0])
            return found, found.bit_length() // 8 + 100

        return bits.queries.get(("match", where, *params), load)

    def _stored_match(self, cursor, bits: FacetBitmaps, compiled: CompiledQuery) -> int | None:
        """The items holding every word (any of its forms) and no excluded one, from the
        stored ids (`_form_bitmaps`): what `tsv @@ words AND NOT tsv @@ exclusions`
        finds, without a heap visit per match. None when the query has phrases or dates
        (positions and date columns are in the rows), or too many items changed since
        the rebuild (`DIRTY_MAX`)."""
        query = compiled.query
        if (
            not compiled.words
            or compiled.phrases
            or query.date_from is not None
            or query.date_to is not None
            or query.date_conditions
            or bits.dirty_count > DIRTY_MAX
        ):
            return None
        groups = [t.forms for t in compiled.words] + [t.forms for t in compiled.exclusions]
        found = _form_bitmaps(cursor, bits, "a", groups)
        if found is None:
            return None
        match = found[0]
        for words in found[1 : len(compiled.words)]:
            match &= words
        for excluded in found[len(compiled.words) :]:
            match &= ~excluded
        return match

    def _parts(self, compiled: CompiledQuery, weights: str = "") -> list:
        """One tsquery per required word (its exact form or any lemma) or phrase."""
        parts = [_or(t.forms, weights) for t in compiled.words]
        for phrase in compiled.phrases:
            parts.append("(" + " <-> ".join(_or(t.forms, weights) for t in phrase) + ")")
        return parts

    def _where(
        self, query: SearchQuery, match: str, exclude: str, filters: dict[str, list[int]]
    ) -> tuple[str, list]:
        """The conditions on `search_pg_doc d`: text, exclusions, dates and, for each
        facet in `filters`, `facet_ids` overlapping its values (GIN)."""
        clauses, params = ["TRUE"], []
        if match:
            clauses.append("d.tsv @@ %s::tsquery")
            params.append(match)
        if exclude:
            clauses.append("NOT d.tsv @@ %s::tsquery")
            params.append(exclude)
        for ids in filters.values():
            clauses.append("d.facet_ids && %s::int[]")
            params.append(ids)
        if query.date_from is not None or query.date_to is not None:
            clauses.append("(d.date_start IS NOT NULL OR d.date_end IS NOT NULL)")
            if query.date_from is not None:
                clauses.append("(d.date_end IS NULL OR d.date_end >= %s)")
                params.append(query.date_from)
            if query.date_to is not None:
                clauses.append("(d.date_start IS NULL OR d.date_start <= %s)")
                params.append(query.date_to)
        for condition in query.date_conditions:
            clause, values = condition.sql("d.")
            clauses.append(clause)
            params.extend(values)
        return " AND ".join(clauses), params

    def _page(self, cursor, compiled: CompiledQuery, parts, where, scope) -> list:
        """The page's rows (id, identifier, data, headline). `where` holds the conditions
        of every filter as (SQL, parameters); `scope` is (this version's bitmaps, the
        text's conditions alone, the bitmap of the items selected)."""
        query = compiled.query
        where, params = where
        sort = query.effective_sort
        if sort == "relevance" and parts:
            # How many query words the title holds comes first (ts_rank_cd alone lets a
            # long description that repeats a word outrank the item named by it), then
            # cover density over the weights, plus a bonus when the exact forms match.
            # No weight restriction: `title_tsv` holds only the title (weight A), and a
            # weighted tsquery would make every GIN match be rechecked, reading `tsv`.
            title_parts = self._parts(compiled)
            in_title = " + ".join("(d.title_tsv @@ %s::tsquery)::int" for _ in title_parts)
            exact = " & ".join(
                [_or([t.exact]) for t in compiled.words]
                + ["(" + " <-> ".join(_or([t.exact]) for t in p) + ")" for p in compiled.phrases]
            )
            # Proximity (compiler.PROXIMITY_BONUS): pairs of consecutive query words side
            # by side order items within a title tier, before cover density.
            # Outside the title (weights B–D), after the entity rule (compiler.ENTITY_BONUS:
            # the title's first word is a query word).
            pairs = self._parts(
                replace(compiled, words=(), phrases=compiled.proximity_pairs), "BCD"
            )
            near = " + ".join("(d.tsv @@ %s::tsquery)::int" for _ in pairs)
            rank = (
                "EXISTS (SELECT 1 FROM unnest(d.title_tsv) u "
                "WHERE u.lexeme = ANY(%s::text[]) AND 1 = ANY(u.positions)) DESC, "
                + (f"({near}) DESC, " if pairs else "")
                + f"ts_rank_cd('{RANK_WEIGHTS}', d.tsv, %s::tsquery) "
                f"+ ts_rank_cd('{RANK_WEIGHTS}', d.tsv, %s::tsquery) DESC, "
                'd.title_sort COLLATE "C", d.identifier'
            )
            rank_params = [list(compiled.entity_forms), *pairs, " & ".join(parts), exact]
            ids = self._ranked_ids(
                cursor,
                query,
                (where, params),
                (f"({in_title}) DESC", title_parts),
                (rank, rank_params),
                scope,
                len(parts),
                compiled,
            )
        else:
            order = {
                "date": 'd.date_start IS NULL, d.date_start, d.date_end, d.title_sort COLLATE "C"',
                "-date": "d.date_start IS NULL, d.date_start DESC, d.date_end DESC, "
                'd.title_sort COLLATE "C"',
            }.get(sort, 'd.title_sort COLLATE "C", d.identifier')
            cursor.execute(
                f"SELECT d.item_id FROM {DOC} d WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, query.page_size, query.offset],
            )
            ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return []
        highlight = self._highlight_query(cursor, compiled, scope[0])
        english = (get_language() or "pl").startswith("en")
        texts = ", ".join(f"p.data->>'{name}'" for name in snippet_fields(english))
        # The page is chosen first (ids in order); ts_headline then runs on its rows only.
        cursor.execute(
            f"SELECT p.item_id, p.identifier, p.data, "
            f"(SELECT ts_headline('{CONFIG}', t, %s::tsquery, %s) "
            f" FROM unnest(ARRAY[{texts}])"
            f"  WITH ORDINALITY AS u(t, n) WHERE t <> '' "
            f" ORDER BY to_tsvector('{CONFIG}', t) @@ %s::tsquery DESC, n LIMIT 1) "
            f"FROM unnest(%s::bigint[]) WITH ORDINALITY AS page(item_id, n) "
            f"JOIN {DOC} p ON p.item_id = page.item_id ORDER BY page.n",
            [highlight, HEADLINE_OPTIONS, highlight, ids],
        )
        return cursor.fetchall()

    def _ranked_ids(
        self, cursor, query: SearchQuery, where, in_title, rank, scope, n: int, compiled=None
    ):
        """The ids of the page by relevance, ranking only the items the page can need.

        Relevance orders first by how many query words the title holds, so an item with
        none of them in its title can only follow every item with one. The items with a
        query word in the title (the *title tier*) come first, by that count and then
        `ts_rank_cd` over the whole text, which must read each item's `tsv` out of line:
        of the tier, at most `TIER_CANDIDATES` (or the page's depth, if more) are ranked,
        those with the most query words in the title and, among as many, the shortest
        titles (the title that *is* the query before the one that mentions it), then the
        first by title. Which those are comes from the tier's order (`_title_order`,
        remembered per query text) filtered by the bitmap of the selected items, so the
        ranking statement reads only those candidates' rows. When the tier fills the page
        (offset + page size), no other match can appear on it and nothing else is ranked.
        Otherwise the page is completed from the other matches by `ts_rank_cd`: at most
        `RANK_CANDIDATES` of them (or the page's depth), the first by title, the order
        ties fall back to. Ranking every match would read every match's `tsv`: a second
        per search for a very common word at 100,000 items.
        `where`, `in_title` (the title word count, descending) and `rank` (ts_rank_cd,
        then title) are (SQL, parameters) pairs; `scope` as for `_page`; `n` the number
        of query parts (words and phrases)."""
        bits, text, selected = scope
        need = query.offset + query.page_size
        title_any = " | ".join(in_title[1])
        wanted = max(TIER_CANDIDATES, need)
        stored = _stored_title_order(cursor, bits, compiled) if compiled is not None else None
        if stored is not None:
            candidates = _stored_candidates(cursor, stored, selected, in_title, wanted)
        else:
            order = self._title_order(cursor, bits, text, in_title, title_any, n)
            flags = as_bytes(selected, bits.size)
            limit = len(flags) * 8
            candidates = []
            for item_id in order:
                if item_id < limit and flags[item_id >> 3] >> (item_id & 7) & 1:
                    candidates.append(item_id)
                    if len(candidates) >= wanted:
                        break
        tier = []
        if candidates:
            tier = _remembered_ids(
                cursor,
                bits,
                "SELECT d.item_id FROM "
                + _detoasted(f"SELECT * FROM {DOC} WHERE item_id = ANY(%s::bigint[])")
                + f" ORDER BY {in_title[0]}, {rank[0]} LIMIT %s",
                # An array literal: psycopg would dump a list of ints one by one.
                ["{" + ",".join(map(str, candidates)) + "}", *in_title[1], *rank[1], need],
            )
        if len(tier) >= need:
            return tier[query.offset :]
        skip = max(0, query.offset - len(tier))  # of the other matches, before the page
        rest = _remembered_ids(
            cursor,
            bits,
            "SELECT d.item_id FROM "
            + _detoasted(
                f"SELECT d.* FROM {DOC} d WHERE {where[0]} AND NOT d.title_tsv @@ %s::tsquery "
                'ORDER BY d.title_sort COLLATE "C", d.identifier LIMIT %s'
            )
            + f" ORDER BY {rank[0]} LIMIT %s OFFSET %s",
            [
                *where[1],
                title_any,
                max(RANK_CANDIDATES, need),
                *rank[1],
                need - max(query.offset, len(tier)),
                skip,
            ],
        )
        return tier[query.offset :] + rest

    def _title_order(self, cursor, bits, text, in_title, title_any: str, n: int) -> array:
        """The ids of the title tier of a query text (items matching the text, exclusions
        and dates with a query word in the title) in the order its candidates are chosen:
        most query words in the title, shortest title, title, identifier. Remembered for
        this index version: one statement per query text, whatever the filters and page.
        It reads the inline `title_tsv` of the tier's rows only (GIN); `tsv` is asked as
        well only when the title match does not imply the text match (several words, an
        exclusion or dates)."""
        where, params = text
        if n == 1 and len(params) == 1:
            where, params = "TRUE", []  # one word or phrase in the title: it is in `tsv`

        def load() -> tuple[array, int]:
            cursor.execute(
                f"SELECT array_agg(d.item_id ORDER BY {in_title[0]}, length(d.title_tsv), "
                f'd.title_sort COLLATE "C", d.identifier) FROM {DOC} d '
                f"WHERE {where} AND d.title_tsv @@ %s::tsquery",
                [*in_title[1], *params, title_any],
            )
            found = array("q", cursor.fetchone()[0] or [])
            return found, found.itemsize * len(found) + 100

        return bits.queries.get(("tier", where, *params, *in_title[1]), load)

    def _highlight_query(self, cursor, compiled: CompiledQuery, bits: FacetBitmaps) -> str:
        """Every indexed form of the query words (`kościół` marks *kościoła*, *kościele*),
        remembered for this index version."""
        if not compiled.has_text:
            return ""
        exact, wanted = sorted(compiled.highlight_exact), sorted(compiled.highlight_lemmas)

        def load() -> tuple[str, int]:
            cursor.execute(
                f"SELECT DISTINCT term FROM {TERM} WHERE lemma = ANY(%s) LIMIT %s",
                [wanted, MAX_HIGHLIGHT_TERMS],
            )
            terms = {row[0] for row in cursor.fetchall()} | set(exact) | set(wanted)
            found = _or(sorted(terms))
            return found, len(found) + 100

        return bits.queries.get(("highlight", tuple(exact), tuple(wanted)), load)

    # Results ----------------------------------------------------------------------------

    def _hit(self, row, language: str) -> Hit:
        item_id, identifier, data, headline = row
        if isinstance(data, str):
            data = json.loads(data)
        english = language.startswith("en")
        texts = [(f, data.get(f) or "") for f in snippet_fields(english)]
        snippet, field_name = render_headline(headline or "", texts)
        return Hit.from_data(identifier, data, english, snippet, snippet_field=field_name)

    # Typo tolerance ---------------------------------------------------------------------

    def _closest_term(self, cursor, term: Term) -> str | None:
        folded = term.exact
        if len(folded) < 3 or folded.isdigit():
            return None
        cursor.execute(
            f"SELECT 1 FROM {TERM} WHERE term = %s OR term = %s LIMIT 1",
            [folded, analysis.lemma_of(term.word)],
        )
        if cursor.fetchone():
            return None  # known word: the miss is due to the combination, not a typo
        # Trigram candidates from the index (pg_trgm's `%`: similarity ≥ 0.3, so a swap of
        # two letters still qualifies), judged by the same edit ratio as on SQLite. The
        # vocabulary only grows between rebuilds, so a candidate must still be in an indexed
        # document (a GIN lookup each): a withdrawn or deleted item's words are never
        # offered as "did you mean".
        cursor.execute(
            f"SELECT c.term, 0 FROM (SELECT term, MAX(similarity(term, %s)) AS score "
            f"FROM {TERM} WHERE term %% %s GROUP BY term ORDER BY score DESC, term LIMIT %s) c "
            f"WHERE EXISTS (SELECT 1 FROM {DOC} d WHERE d.tsv @@ quote_literal(c.term)::tsquery) "
            f"ORDER BY c.score DESC, c.term",
            [folded, folded, CORRECTION_CANDIDATES],
        )
        return closest_term(folded, cursor.fetchall())

    # Type-ahead -------------------------------------------------------------------------

    def suggest(self, text: str, limit: int = 10) -> list[Suggestion]:
        """Items whose title or names (weights A, B) hold the words, the last as a prefix."""
        words = analysis.content_tokens(text)[:8]
        if not words:
            return []
        *whole, last = words
        parts = [_or(t.forms, "AB") for t in compile_words(whole)]
        parts.append(lexeme(analysis.fold_word(last)) + ":*AB")
        match = " & ".join(parts)
        language = get_language() or "pl"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.identifier, d.data FROM {DOC} d WHERE d.tsv @@ %s::tsquery "
                f"ORDER BY ts_rank_cd('{RANK_WEIGHTS}', d.tsv, %s::tsquery) DESC, "
                f'd.title_sort COLLATE "C" LIMIT %s',
                [match, match, max(1, min(limit, 10))],
            )
            rows = cursor.fetchall()
        suggestions = []
        for identifier, data in rows:
            if isinstance(data, str):
                data = json.loads(data)
            title = (data.get("title_en") if language.startswith("en") else "") or data["title"]
            suggestions.append(
                Suggestion(
                    identifier=identifier,
                    title=title,
                    url=reverse("archive:item", kwargs={"identifier": identifier}),
                )
            )
        return suggestions


class PostgresRebuild(DatabaseRebuild):
    """Build the new index beside the live one and swap it in, in one transaction.

    The document and vocabulary tables are created empty (`<table>_build`, no indexes),
    filled with COPY (each vocabulary pair once: `_load`), and only then get their
    primary keys, GIN and other indexes (one bulk build each instead of millions of
    index updates); the live tables are then dropped and the new ones renamed in their
    place. Until the transaction commits other connections read the old tables (MVCC),
    so search never sees a half-built index; the swap itself holds its lock only for the
    renames and the commit that follows (`parallel.rebuild_together` finishes the other
    backends first). An abort rolls it all back. `VACUUM ANALYZE` then gives the planner
    the new tables' statistics and marks their pages all-visible (so counting matches
    need not visit the heap).
    """

    analyse = staticmethod(analysed_rows)

    def __init__(self, backend: PostgresSearchBackend):
        super().__init__(backend)
        self.build = _Build()
        self.indexes: dict[str, list[str]] = {}

    def begin(self) -> None:
        cursor = self.open()
        self.indexes = {
            table: self.backend._create_build_table(cursor, table) for table in (DOC, TERM, POSTING)
        }

    def write(self, result: AnalysedRows) -> None:
        self.backend._load(self.cursor, result, DOC + BUILD, TERM + BUILD, self.build)
        self.written += len(result[0])

    def finish(self) -> None:
        cursor = self.cursor
        write_postings(cursor, DOC + BUILD, POSTING + BUILD, self.written)
        for table, statements in self.indexes.items():
            for statement in statements:
                cursor.execute(statement)
            self.backend._swap(cursor, table)
        # Values no document uses any more (a renamed place) are never counted, but would
        # stay forever: drop them with the old index.
        used = [pk for pk, _labels in self.build.values.values()]
        cursor.execute(f"DELETE FROM {VALUE} WHERE id <> ALL(%s)", [used])
        cursor.execute(f"DELETE FROM {DIRTY}")  # the stored ids are the new index's
        self.backend._touch(cursor)

    def cleanup(self) -> None:
        with connection.cursor() as cursor:
            if connection.in_atomic_block:  # a caller's transaction: VACUUM cannot run in one
                cursor.execute(f"ANALYZE {DOC}, {TERM}, {VALUE}")
            else:
                cursor.execute(f"VACUUM (ANALYZE) {DOC}, {TERM}, {VALUE}")


def write_postings(cursor, doc_table: str, posting_table: str, count: int) -> None:
    """Store the item ids of each common lexeme of `doc_table`, per field (`a`: `tsv`,
    `t`: `title_tsv`), into the empty `posting_table`, as 4-byte big-endian integers
    (`ids_bitmap`): run by a rebuild once its documents are written, before its tables
    are swapped in. Common: in at least `POSTING_MIN` items and `POSTING_SHARE` of them
    by the column's statistics (`ANALYZE` samples at most 30,000 rows, and lists the
    1,000 most common lexemes with their frequencies). The ids are then aggregated in
    the server for those lexemes only, in one pass over each column: aggregating every
    lexeme and dropping the rare ones spilled to disk and took twice as long. A common
    lexeme the sample misses is read from the GIN index, as a rare one is."""
    minimum = max(POSTING_MIN, int(count * POSTING_SHARE))
    cursor.execute(f"ANALYZE {doc_table} (tsv, title_tsv)")
    for field_name, column in (("a", "tsv"), ("t", "title_tsv")):
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = %s AND attname = %s",
            [doc_table, column],
        )
        row = cursor.fetchone()
        common = [
            lexeme
            for lexeme, share in zip(row[0] or [], row[1] or [], strict=False)
            if share * count >= minimum
        ] if row else []  # fmt: skip
        if common:
            # The list as a literal (psycopg binds on the client): PostgreSQL hashes it.
            cursor.execute(
                f"INSERT INTO {posting_table} (field, lexeme, ids) "
                f"SELECT %s, l, string_agg(int4send(d.item_id::int), ''::bytea) "
                f"FROM {doc_table} d, unnest(tsvector_to_array(d.{column})) AS l "
                "WHERE l = ANY(%s::text[]) GROUP BY l",
                [field_name, common],
            )
    # Every item in the title tier's order after the number of query words in the title
    # (`_title_order`), so a tier is ordered by its ids alone (`_stored_title_order`).
    cursor.execute(
        f"INSERT INTO {posting_table} (field, lexeme, ids) SELECT 'o', '', "
        "COALESCE(string_agg(int4send(d.item_id::int), ''::bytea ORDER BY "
        f"length(d.title_tsv), d.title_sort COLLATE \"C\", d.identifier), '') FROM {doc_table} d"
    )


def _bool_array(bits: int, length: int) -> np.ndarray:
    """The bitmap as a numpy array of `length` booleans (`length` ≥ its bit length)."""
    data = np.frombuffer(bits.to_bytes((length + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(data, count=length, bitorder="little").view(bool)


def _title_rank(cursor, bits: FacetBitmaps) -> np.ndarray | None:
    """Each item's place in the order of the rebuild's titles (`write_postings`: fewest
    title lexemes, then title, then identifier), by item id; loaded once per index
    version. None when the index has no stored order (never rebuilt since 0095)."""
    if bits.title_rank is None:
        cursor.execute(f"SELECT ids FROM {POSTING} WHERE field = 'o' AND lexeme = ''")
        row = cursor.fetchone()
        rank = np.empty(0, dtype=np.int64)
        if row is not None and row[0]:
            ids = np.frombuffer(row[0], dtype=">i4").astype(np.int64)
            rank = np.full(int(ids.max()) + 1, np.iinfo(np.int64).max, dtype=np.int64)
            rank[ids] = np.arange(len(ids))
        bits.title_rank = rank
    return bits.title_rank if len(bits.title_rank) else None


def _stored_title_order(cursor, bits: FacetBitmaps, compiled: CompiledQuery):
    """What `_title_order` finds, from the stored ids (`search_pg_posting`) instead of
    a heap visit per title match: (the items with a query word in the title, unchanged
    since the rebuild, by most query words in the title and then the rebuild's title
    order; the changed ones, whose place `_stored_candidates` asks their rows for).
    Remembered for this index version. None for phrases, too many changes or no stored
    order (then `_title_order`)."""
    if compiled.phrases or not compiled.words or bits.dirty_count > DIRTY_MAX:
        return None
    rank = _title_rank(cursor, bits)
    if rank is None:
        return None
    groups = [t.forms for t in compiled.words]

    def load() -> tuple[tuple | None, int]:
        found = _form_bitmaps(cursor, bits, "t", groups)
        if found is None:
            return None, 100
        length = max(len(rank), bits.dirty.bit_length(), *(b.bit_length() for b in found))
        counts = np.zeros(length, dtype=np.int16)
        for title in found:
            counts += _bool_array(title, length)
        dirty = _bool_array(bits.dirty, length)
        held = counts > 0
        clean = np.flatnonzero(held & ~dirty)
        ranks = np.full(length, np.iinfo(np.int64).max, dtype=np.int64)
        ranks[: len(rank)] = rank
        order = clean[np.lexsort((ranks[clean], -counts[clean]))]
        changed = np.flatnonzero(held & dirty)
        return (order, changed), order.nbytes + changed.nbytes + 100

    return bits.queries.get(("stored tier", *map(tuple, groups)), load)


def _stored_candidates(cursor, stored, selected: int, in_title, wanted: int) -> list[int]:
    """The first `wanted` selected items of a stored title order (`_stored_title_order`):
    exactly those `_title_order` would give. Changed items' places are not stored: when
    any is selected, the unchanged candidates and those are ordered by their rows."""
    order, changed = stored
    length = max(selected.bit_length(), int(order.max(initial=-1)) + 1,
                 int(changed.max(initial=-1)) + 1)  # fmt: skip
    chosen = _bool_array(selected, length)
    candidates = order[chosen[order]][:wanted].tolist()
    extra = changed[chosen[changed]].tolist()
    if not extra:
        return candidates
    cursor.execute(
        f"SELECT d.item_id FROM {DOC} d WHERE d.item_id = ANY(%s::bigint[]) "
        f'ORDER BY {in_title[0]}, length(d.title_tsv), d.title_sort COLLATE "C", '
        "d.identifier LIMIT %s",
        ["{" + ",".join(map(str, candidates + extra)) + "}", *in_title[1], wanted],
    )
    return [row[0] for row in cursor.fetchall()]


def ids_bitmap(data: bytes) -> int:
    """The bitmap of ids stored as 4-byte big-endian integers (`write_postings`), set
    and packed by numpy."""
    if not data:
        return 0
    ids = np.frombuffer(data, dtype=">i4")
    flags = np.zeros(int(ids.max()) + 1, dtype=bool)
    flags[ids] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def _form_bitmaps(cursor, bits: FacetBitmaps, field_name: str, groups: list) -> list[int] | None:
    """For each group of lexemes, the items whose text (`field_name` 'a') or title ('t')
    holds any of them, as the GIN index would find them: the stored ids of the lexemes
    stored at the last rebuild (one statement for all), less the items changed since
    (`search_pg_dirty`), which are tested against their current row instead (one
    statement), plus what the GIN index finds for the lexemes not stored (rare: one
    statement per group holding any). None when no lexeme of the groups is stored."""
    column = {"a": "tsv", "t": "title_tsv"}[field_name]
    forms = sorted({f for group in groups for f in group})
    cursor.execute(
        f"SELECT lexeme, ids FROM {POSTING} WHERE field = %s AND lexeme = ANY(%s)",
        [field_name, forms],
    )
    stored = {lexeme: ids_bitmap(data) for lexeme, data in cursor.fetchall()}
    if not stored:
        return None  # rare words only (or no rebuild yet): one GIN statement is as good
    found = []
    for group in groups:
        union = 0
        for form in group:
            union |= stored.get(form, 0)
        found.append(union & ~bits.dirty if bits.dirty else union)
    if bits.dirty and stored:
        tests = ", ".join(f"d.{column} @@ %s::tsquery" for _ in groups)
        cursor.execute(
            f"SELECT d.item_id, {tests} FROM {DOC} d WHERE d.item_id = ANY(%s::bigint[])",
            [*(_or(group) for group in groups), bits.dirty_ids],
        )
        holding: list[list[int]] = [[] for _ in groups]
        for item_id, *holds in cursor.fetchall():
            for k, held in enumerate(holds):
                if held:
                    holding[k].append(item_id)
        for k, ids in enumerate(holding):
            found[k] |= bitmap(ids)
    for k, group in enumerate(groups):
        rare = [form for form in group if form not in stored]
        if rare:
            cursor.execute(
                f"SELECT array_to_string(array_agg(d.item_id), ',') FROM {DOC} d "
                f"WHERE d.{column} @@ %s::tsquery",
                [_or(rare)],
            )
            found[k] |= bitmap_from_text(cursor.fetchone()[0])
    return found


def _remembered_ids(cursor, bits: FacetBitmaps, sql: str, params: list) -> list[int]:
    """The ids a ranking statement returns, remembered for this index version: the same
    statement with the same parameters finds the same rows until the index changes."""

    def load() -> tuple[list[int], int]:
        cursor.execute(sql, params)
        found = [row[0] for row in cursor.fetchall()]
        return found, 40 * len(found) + len(sql) + 100

    key = (sql, *(tuple(p) if isinstance(p, list) else p for p in params))
    return list(bits.queries.get(key, load))


def _detoasted(rows: str) -> str:
    """`rows` (a SELECT of `search_pg_doc` rows) as `d`, with `tsv` read out of line once
    per row: ranking reads it in every `ts_rank_cd` and proximity test, and a value kept
    in TOAST is fetched and decompressed again by each (the copy, `|| ''`, is in
    memory). OFFSET 0 keeps the planner from merging it into the ranking query."""
    return (
        "(SELECT r.item_id, r.identifier, r.title_sort, r.title_tsv, "
        f"r.tsv || ''::tsvector AS tsv FROM ({rows}) r OFFSET 0) d"
    )


def _clean(text: str) -> str:
    return _MARKERS.sub(" ", text or "")


def render_headline(headline: str, texts: list[tuple[str, str]]) -> tuple[str, str]:
    """ts_headline output made safe: matches in `<mark>`, everything else escaped, and
    `…` where the excerpt cuts the text it came from; with the name of that text among
    the (name, text) pairs `texts` ("" if none holds it)."""
    plain = _MARKERS.sub("", headline).strip()
    html = escape(headline.strip()).replace(START, "<mark>").replace(STOP, "</mark>")
    if not plain:
        return html, ""
    name, source = next(((n, t) for n, t in texts if plain in t), ("", ""))
    if source:
        if not source.strip().startswith(plain):
            html = "… " + html
        if not source.strip().endswith(plain):
            html += " …"
    return html, name


# Facet bitmaps (search/backends/bitmaps.py) ---------------------------------------------


@dataclass
class FacetBitmaps(bitmaps.FacetBitmaps):
    """The shared facet bitmaps, and what this process found for queries of the same
    index version (`queries`): each query text's matching items (a bitmap), its title
    tier's order (`_title_order`) and its highlighted forms. Paging, refining by facets
    and the next visitor asking the same words repeat them; an index change (a new
    version) starts empty, so nothing remembered is ever stale."""

    queries: QueryCache = field(default_factory=lambda: QueryCache(QUERY_CACHE_BYTES))
    # The items written or deleted since the last rebuild (`search_pg_dirty`).
    dirty: int = 0
    dirty_ids: str = "{}"
    dirty_count: int = 0
    # Each item's place in the rebuild's title order (`_title_rank`), loaded when needed.
    title_rank: np.ndarray | None = None


_bitmaps = BitmapCache()


def facet_bitmaps(cursor) -> FacetBitmaps:
    """This process's bitmaps of the current index version (reloaded when it changed).
    The version is read in the statement that sets this search's `PLANNER_SETTINGS`."""
    cursor.execute(PLANNER_SETTINGS)
    version = cursor.fetchone()[0] or ""
    return _bitmaps.get(version, lambda version: _load_bitmaps(cursor, version))


def clear_query_caches() -> None:
    """Forget what this process remembered of queries (the facet bitmaps stay): what a
    request for a query text nobody asked since the last index change costs. Used by
    the benchmark and the tests."""
    for bits in _bitmaps:
        bits.queries.clear()


def _load_bitmaps(cursor, version: str) -> FacetBitmaps:
    """Every indexed item id, and each facet value's item ids, as one text per value
    (`bitmap_from_text`: parsed and set by numpy, no Python object per item)."""
    bits = FacetBitmaps(version=version)
    cursor.execute(f"SELECT id, facet, value, label, label_en FROM {VALUE} ORDER BY id")
    bits.set_values(cursor.fetchall())
    cursor.execute(f"SELECT array_to_string(array_agg(item_id), ','), max(item_id) FROM {DOC}")
    text, largest = cursor.fetchone()
    bits.all = bitmap_from_text(text)
    bits.size = (largest or 0) + 1
    del text
    cursor.execute(
        f"SELECT u.v, array_to_string(array_agg(d.item_id), ',') "
        f"FROM {DOC} d, unnest(d.facet_ids) AS u(v) GROUP BY u.v"
    )
    masks = dict.fromkeys(bits.values, 0)
    while row := cursor.fetchone():
        if row[0] in masks:
            masks[row[0]] = bitmap_from_text(row[1])
    bits.masks = masks
    cursor.execute(f"SELECT array_to_string(array_agg(item_id), ','), count(*) FROM {DIRTY}")
    text, bits.dirty_count = cursor.fetchone()
    bits.dirty = bitmap_from_text(text)
    bits.dirty_ids = "{" + (text or "") + "}"
    return bits
