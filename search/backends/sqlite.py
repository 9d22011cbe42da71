"""SQLite FTS5 search: the default engine, inside the project database, no services.

Tables (created by migration `search.0002_sqlite_fts`, only on SQLite):
- `search_sqlite_fts`: FTS5, `unicode61 remove_diacritics 2`, rowid = item pk. Each field
  group (title, names, body, extra) has an *exact* column (folded words) and a *lemma*
  column (folded lemmas, same positions), filled from `search.analysis`. bm25 weighs
  title ≫ names ≫ body ≫ extra, and exact above lemma.
- `search_sqlite_doc`: one row per indexed item with what filters, sorting and result
  rendering need (the plain texts for snippets are in `data`, JSON).
- `search_sqlite_value` / `search_sqlite_item_value` (migration `search.0091_sqlite_speed`):
  each facet value once (integer id, labels) and the item ↔ value pairs.
- `search_sqlite_meta`: `version`, a random token rewritten by every index change.
- `search_sqlite_vocab`: an fts5vocab view of the index terms, for "did you mean".
- `search_sqlite_instance` (migration `search.0095_sqlite_instance_vocab`): an fts5vocab
  view of each term's instances (row, column), from which bm25 is computed with numpy
  for large groups of matches (`Bm25`).

Speed (see docs/benchmarks.md): a request runs the FTS5 `MATCH` once for the matching
rowids; filters, the count and every facet count are then bitmap operations on Python
integers (one bit per item id) held per process and reloaded when `version` changes.
Only the items a page can need are ranked: those with the most query words in their
title when there are enough of them, else every match. bm25 over many rows is computed
with numpy (`Bm25`, FTS5's scores to the last bit), and date conditions over the items'
years held in memory: a query's first request pays neither FTS5's per-row bm25 nor a
pass over the documents per condition.

Every user word reaches MATCH only as a double-quoted string, so FTS5 syntax typed by a
visitor (`NEAR(`, `title:`, `*`, `AND`) is just text.
"""

# SQL is built only from the constant table/column names below and "%s" placeholders;
# every value, user text included, is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import json
import logging
import math
import re
import secrets
from contextlib import suppress
from dataclasses import dataclass, field, replace
from html import escape

import numpy as np
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils.translation import get_language

from .. import analysis
from ..compiler import (
    BOOSTS,
    GROUPS,
    CompiledQuery,
    Term,
    compile_words,
    lemma_sequences,
)
from ..corrections import closest_term
from ..documents import AnalysedChunk
from ..query import DateCondition
from . import bitmaps, idsets
from .base import Hit, SearchResults, Suggestion, snippet_fields
from .database import DatabaseRebuild, DatabaseSearchBackend, known_value_ids, stored_data

logger = logging.getLogger(__name__)

FTS = "search_sqlite_fts"
DOC = "search_sqlite_doc"
VALUE = "search_sqlite_value"
ITEM_VALUE = "search_sqlite_item_value"
META = "search_sqlite_meta"
VOCAB = "search_sqlite_vocab"
INSTANCE = "search_sqlite_instance"
DOCSIZE = "search_sqlite_fts_docsize"

COLUMNS = [f"{g}_{kind}" for g in GROUPS for kind in ("exact", "lemma")]
# bm25 weights in COLUMNS order: title ≫ names ≫ body ≫ extra. A word in its exact form
# also matches the lemma column, so exact matches score twice and rank above lemma-only ones.
WEIGHTS = tuple(w for g in GROUPS for w in (BOOSTS[g].exact, BOOSTS[g].lemma))
_WEIGHTS = ", ".join(str(w) for w in WEIGHTS)
EXACT_COLUMNS = "{" + " ".join(f"{g}_exact" for g in GROUPS) + "}"
LEMMA_COLUMNS = "{" + " ".join(f"{g}_lemma" for g in GROUPS) + "}"
# Every group but the title (proximity counts outside it: compiler.PROXIMITY_BONUS).
BODY_EXACT_COLUMNS = "{" + " ".join(f"{g}_exact" for g in GROUPS if g != "title") + "}"
BODY_LEMMA_COLUMNS = "{" + " ".join(f"{g}_lemma" for g in GROUPS if g != "title") + "}"
TITLE_COLUMNS = ("{title_exact}", "{title_lemma}")
# FTS5's bm25 constants (fts5_aux.c), for the same score computed with numpy (`Bm25`).
BM25_K1, BM25_B = 1.2, 0.75
# A term FTS5's tokenizer (unicode61) reads as itself, one token: such terms are scored
# with numpy; anything else (a phrase of several words) by FTS5's own bm25.
_ONE_TOKEN = re.compile(r"[0-9a-z]+")
SUGGEST_EXACT = "{title_exact names_exact}"
SUGGEST_LEMMA = "{title_lemma names_lemma}"

SNIPPET_WORDS = 30

# The tables are created by migrations 0002_sqlite_fts and 0091_sqlite_speed (only on SQLite).


def _either_columns(exact_columns: str, lemma_columns: str) -> str:
    """A column filter for both sets of columns (with its ` : `), "" for every column."""
    names = exact_columns.strip("{}").split() + lemma_columns.strip("{}").split()
    if set(names) == set(COLUMNS):
        return ""
    return "{" + " ".join(names) + "} : "


def quote(term: str) -> str:
    """An FTS5 string literal: whatever the user typed, it is only ever a phrase."""
    return '"' + term.replace('"', '""') + '"'


# A chunk's FTS rows, document rows, (item id, (facet, value)) pairs and the facet
# values' labels.
AnalysedRows = tuple[
    list[tuple],
    list[tuple],
    list[tuple[int, tuple[str, str]]],
    dict[tuple[str, str], tuple[str, str]],
]


def analysed_rows(chunk: AnalysedChunk) -> AnalysedRows:
    """The rows of an analysed chunk. Pure (no database): rebuilds run it in worker
    processes (`parallel.rebuild_together`)."""
    fts_rows, doc_rows, pairs = [], [], []
    labels: dict[tuple[str, str], tuple[str, str]] = {}
    for d, groups in chunk:
        fts_rows.append((d.id, *[t for _group, a in groups for t in a.texts]))
        row = (d.id, d.identifier, analysis.fold(d.title), d.date_start, d.date_end)
        doc_rows.append((*row, stored_data(d)))
        for facet, values in d.facets.items():
            for v in values:
                labels[(facet, v.value)] = (v.label, v.label_en)
                pairs.append((d.id, (facet, v.value)))
    return fts_rows, doc_rows, pairs, labels


class SQLiteSearchBackend(DatabaseSearchBackend):
    name = "sqlite"
    document_table = DOC
    # Bulk-load settings of a full rebuild (see `rebuild`).
    REBUILD_HASH_BYTES = 16 * 1024 * 1024
    REBUILD_CACHE_KIB = 65_536

    # Indexing ---------------------------------------------------------------------------

    def _store(self, cursor, chunk: AnalysedChunk) -> None:
        self._insert(cursor, analysed_rows(chunk))

    def _insert(self, cursor, analysed: AnalysedRows, known: dict | None = None) -> None:
        """Insert analysed documents' rows (their previous rows are gone) and their facet
        values (new values, changed labels; `known`: see `_value_ids`)."""
        fts_rows, doc_rows, pairs, labels = analysed
        cursor.executemany(
            f"INSERT INTO {FTS} (rowid, {', '.join(COLUMNS)}) "
            f"VALUES ({', '.join(['%s'] * (len(COLUMNS) + 1))})",
            fts_rows,
        )
        cursor.executemany(
            f"INSERT INTO {DOC} (item_id, identifier, title_sort, date_start, date_end, data)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            doc_rows,
        )
        value_ids = self._value_ids(cursor, labels, known)
        cursor.executemany(
            f"INSERT OR IGNORE INTO {ITEM_VALUE} (item_id, value_id) VALUES (%s, %s)",
            [(item_id, value_ids[key]) for item_id, key in pairs],
        )

    def _value_ids(
        self,
        cursor,
        labels: dict[tuple[str, str], tuple[str, str]],
        known: dict[tuple[str, str], tuple[int, tuple[str, str]]] | None = None,
    ) -> dict[tuple[str, str], int]:
        """Ids of these facet values, creating them or refreshing their labels. `known`
        (a rebuild's memory) skips the values already written with the same labels."""
        ids, missing = known_value_ids(labels, known)
        if not missing:
            return ids
        cursor.executemany(
            f"INSERT INTO {VALUE} (facet, value, label, label_en) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (facet, value) DO UPDATE SET label = excluded.label, "
            "label_en = excluded.label_en "
            "WHERE label != excluded.label OR label_en != excluded.label_en",
            [(f, v, *labels[(f, v)]) for f, v in missing],
        )
        for start in range(0, len(missing), 400):
            batch = missing[start : start + 400]
            cursor.execute(
                f"SELECT id, facet, value FROM {VALUE} WHERE "
                + " OR ".join(["(facet = %s AND value = %s)"] * len(batch)),
                [x for key in batch for x in key],
            )
            found = {(facet, value): pk for pk, facet, value in cursor.fetchall()}
            ids.update(found)
            if known is not None:
                known.update({key: (pk, labels[key]) for key, pk in found.items()})
        return ids

    def _touch(self, cursor) -> None:
        """A new index version: every process reloads its facet bitmaps on next search.
        Random, not a counter, so a rolled-back change can never reuse a version."""
        cursor.execute(
            f"INSERT OR REPLACE INTO {META} (key, value) VALUES ('version', %s)",
            [secrets.token_hex(8)],
        )

    def _delete(self, cursor, ids: list[int]) -> None:
        """Remove these documents' rows (a new index version)."""
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(f"DELETE FROM {FTS} WHERE rowid IN ({marks})", batch)
            cursor.execute(f"DELETE FROM {DOC} WHERE item_id IN ({marks})", batch)
            cursor.execute(f"DELETE FROM {ITEM_VALUE} WHERE item_id IN ({marks})", batch)
        self._touch(cursor)

    def clear(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for table in (FTS, DOC, ITEM_VALUE, VALUE):
                cursor.execute(f"DELETE FROM {table}")
            self._touch(cursor)

    def rebuild_plan(self) -> SQLiteRebuild:
        return SQLiteRebuild(self)

    # Health -----------------------------------------------------------------------------

    def is_available(self) -> bool:
        if connection.vendor != "sqlite":
            return False
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT 1 FROM {DOC} LIMIT 1")
        except DatabaseError:
            return False
        return True

    # Searching --------------------------------------------------------------------------

    def execute(self, compiled: CompiledQuery) -> SearchResults:
        query = compiled.query
        match = self._match(compiled)
        exclude = self._exclusion_match(compiled)
        with connection.cursor() as cursor:
            bits = facet_bitmaps(cursor)
            base = bits.match(cursor, self._match(compiled, as_set=True)) if match else bits.all
            if exclude:
                base &= ~bits.match(cursor, exclude)
            if query.date_from is not None or query.date_to is not None:
                base &= bits.dated(cursor, DateCondition("overlap", query.date_from, query.date_to))
            for condition in query.date_conditions:
                base &= bits.dated(cursor, condition)
            filters = bits.filters(query)
            selected = base
            for mask in filters.values():
                selected &= mask
            count = selected.bit_count()
            if compiled.count_only:
                return SearchResults(count=count, hits=[], backend=self.name)
            page_ids = self._page(cursor, compiled, match, selected, count, bits)
            rows = self._rows(cursor, page_ids)
            exact_terms, lemma_terms = compiled.highlight_exact, compiled.highlight_lemmas
            marked = (
                self._marked_forms(cursor, page_ids, exact_terms, lemma_terms)
                if exact_terms
                else {}
            )
        facets = bits.facet_counts(base, filters)
        language = get_language() or "pl"
        hits = [
            self._hit(row, exact_terms, lemma_terms, language, marked.get(row[0])) for row in rows
        ]
        return SearchResults(count=count, hits=hits, facets=facets, backend=self.name)

    def _page(
        self,
        cursor,
        compiled: CompiledQuery,
        match: str,
        selected: int,
        count: int,
        bits: FacetBitmaps,
    ) -> list[int]:
        """Item ids of the requested page, in order."""
        query = compiled.query
        need = query.offset + query.page_size
        if not selected or query.offset >= count:
            return []
        sort = query.effective_sort
        if sort != "relevance" or not match:
            order = bits.order(cursor, sort if sort in ("date", "-date") else "title")
            flags = idsets.flags_of(selected, bits.size)
            return order[flags[order]][query.offset : need].tolist()
        # Relevance: first by how many query words the title holds; among items with
        # query words in their title, those whose title starts with one (the entity
        # named, compiler.ENTITY_BONUS) first; then by how many pairs of consecutive
        # query words stand side by side outside the title (compiler.PROXIMITY_BONUS),
        # then bm25, then title order. bm25 alone saturates term frequency, so a long item
        # mentioning a word twice in its description can outrank an item named by it;
        # title ≫ description must hold.
        # Those counts split the matches into groups, found with bitmaps from cheap
        # MATCHes (title-only, each word pair as a phrase, the title's first word), so
        # bm25 is computed only for the groups the page reaches, best group first.
        matched = bits.match(cursor, self._match(compiled, as_set=True))
        titles = [
            bits.match(cursor, part)
            for part in self._match_parts(compiled, *TITLE_COLUMNS, as_set=True)
        ]
        pairs = replace(compiled, words=(), phrases=compiled.proximity_pairs)
        outside_title = (
            self._match_parts(pairs, BODY_EXACT_COLUMNS, BODY_LEMMA_COLUMNS, as_set=True)
            if compiled.proximity_pairs
            else []
        )
        near = [bits.match(cursor, part) for part in outside_title]
        first = " OR ".join(
            f"{{title_exact title_lemma}} : ^{quote(f)}" for f in compiled.entity_forms
        )
        entity = bits.match(cursor, first) if first else 0
        scored = Scored(match, self._scored_phrases(compiled))
        page: list[int] = []
        near_levels = idsets.levels(near, matched)
        for tier, in_tier in reversed(list(enumerate(idsets.levels(titles, matched)))):
            if not in_tier & selected:
                continue
            # (no entity split without a title word: the order there is near, bm25)
            splits = [(1, in_tier & entity), (0, in_tier & ~entity)] if tier else [(0, in_tier)]
            for named, in_split in splits:
                for closeness, is_near in reversed(list(enumerate(near_levels))):
                    group = in_split & is_near
                    chosen = group & selected
                    if chosen:
                        ranked = bits.ranked(
                            cursor, scored, (tier, named, closeness), group, chosen, matched
                        )
                        page += ranked[: need - len(page)]
                        if len(page) >= need:
                            return page[query.offset : need]
        return page[query.offset :]

    def _rows(self, cursor, ids: list[int]) -> list:
        if not ids:
            return []
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(
            f"SELECT item_id, identifier, data FROM {DOC} WHERE item_id IN ({marks})", ids
        )
        rows = {row[0]: row for row in cursor.fetchall()}
        return [rows[i] for i in ids if i in rows]

    def _marked_forms(
        self, cursor, ids: list[int], exact: set[str], lemma: set[str]
    ) -> dict[int, dict[str, bool]]:
        """Per page item: each folded word of its snippet texts → whether to mark it.

        Read from the item's own analysed FTS columns (exact and lemma, position for
        position), so a snippet needs no lemmatiser call: in a fresh process simplemma
        costs ≈ 0.1 ms per unseen word, i.e. tens of milliseconds per page."""
        if not ids:
            return {}
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(
            f"SELECT rowid, names_exact, names_lemma, body_exact, body_lemma, extra_exact, "
            f"extra_lemma FROM {FTS} WHERE rowid IN ({marks})",
            ids,
        )
        out = {}
        for item_id, *columns in cursor.fetchall():
            forms: dict[str, bool] = {}
            for n in range(0, len(columns), 2):
                for e, lm in zip(
                    (columns[n] or "").split(), (columns[n + 1] or "").split(), strict=False
                ):
                    if not forms.get(e):
                        forms[e] = e in exact or lm in lemma
            out[item_id] = forms
        return out

    def _match(self, compiled: CompiledQuery, as_set: bool = False) -> str:
        return " AND ".join(self._match_parts(compiled, as_set=as_set))

    def _match_parts(
        self,
        compiled: CompiledQuery,
        exact_columns: str = EXACT_COLUMNS,
        lemma_columns: str = LEMMA_COLUMNS,
        as_set: bool = False,
    ) -> list[str]:
        """One MATCH expression per required word or phrase: its exact folded form in the
        exact columns, or any of its lemmas in the lemma columns.

        `as_set`: only which rows match counts (not bm25, which scores each phrase of the
        expression on its own): a word or phrase whose only lemma is its exact form is
        then one phrase in both kinds of columns, which FTS5 finds faster (with no
        column filter at all when they are every column)."""
        either = _either_columns(exact_columns, lemma_columns)
        parts = []
        for term in compiled.words:
            if as_set and term.lemmas == (term.exact,):
                parts.append(f"{either}{quote(term.exact)}")
                continue
            parts.append(
                f"({exact_columns} : {quote(term.exact)} OR "
                f"{lemma_columns} : ({' OR '.join(quote(lm) for lm in term.lemmas)}))"
            )
        for phrase in compiled.phrases:
            words = tuple(t.exact for t in phrase)
            exact = " ".join(words)
            sequences = lemma_sequences(phrase)
            if as_set and sequences == (words,):
                parts.append(f"{either}{quote(exact)}")
                continue
            lemmas = " OR ".join(quote(" ".join(seq)) for seq in sequences)
            parts.append(f"({exact_columns} : {quote(exact)} OR {lemma_columns} : ({lemmas}))")
        return parts

    def _scored_phrases(self, compiled: CompiledQuery) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """The phrases of `_match(compiled)` (not `as_set`) in its order, each as (term,
        indexes of its columns): what bm25 sums over. Empty when a phrase is not one
        token (`_ONE_TOKEN`): FTS5 then scores (`FacetBitmaps.ranked`)."""
        exact = tuple(n for n, c in enumerate(COLUMNS) if c.endswith("_exact"))
        lemma = tuple(n for n, c in enumerate(COLUMNS) if c.endswith("_lemma"))
        phrases = []
        for term in compiled.words:
            phrases.append((term.exact, exact))
            phrases += [(lm, lemma) for lm in term.lemmas]
        if compiled.phrases or not all(_ONE_TOKEN.fullmatch(t) for t, _c in phrases):
            return ()
        return tuple(phrases)

    def _exclusion_match(self, compiled: CompiledQuery) -> str:
        parts = []
        for term in compiled.exclusions:
            parts.append(f"{EXACT_COLUMNS} : {quote(term.exact)}")
            parts += [f"{LEMMA_COLUMNS} : {quote(lm)}" for lm in term.lemmas]
        return " OR ".join(parts)

    # Results ----------------------------------------------------------------------------

    def _hit(
        self,
        row,
        exact: frozenset[str],
        lemma: frozenset[str],
        language: str,
        marked: dict[str, bool] | None = None,
    ) -> Hit:
        item_id, identifier, raw = row
        data = json.loads(raw)
        english = language.startswith("en")
        snippet, field_name = make_snippet(
            [(f, data[f]) for f in snippet_fields(english) if data.get(f)], exact, lemma, marked
        )
        return Hit.from_data(identifier, data, english, snippet, snippet_field=field_name)

    # Typo tolerance ---------------------------------------------------------------------

    def _closest_term(self, cursor, term: Term) -> str | None:
        folded = term.exact
        if len(folded) < 3 or folded.isdigit():
            return None
        bits = facet_bitmaps(cursor)
        key = (folded, analysis.lemma_of(term.word))

        def correct() -> tuple[str | None, int]:
            cursor.execute(f"SELECT 1 FROM {VOCAB} WHERE term = %s OR term = %s", list(key))
            if cursor.fetchone():  # then the miss is due to the combination, not a typo
                return None, 64
            # Terms of the same first letter and length ± 2.
            by_length = bits.vocabulary.terms_from(cursor, folded[0])
            n = len(folded)
            best = closest_term(
                folded, (t for length in range(n - 2, n + 3) for t in by_length.get(length, ()))
            )
            return best, 64 + len(best or "")

        return bits.queries.get(("correction", *key), correct)

    # Type-ahead -------------------------------------------------------------------------

    def suggest(self, text: str, limit: int = 10) -> list[Suggestion]:
        words = analysis.content_tokens(text)[:8]
        if not words:
            return []
        *whole, last = words
        parts = [
            f"({SUGGEST_EXACT} : {quote(t.exact)} OR "
            f"{SUGGEST_LEMMA} : ({' OR '.join(quote(lm) for lm in t.lemmas)}))"
            for t in compile_words(whole)
        ]
        prefix = analysis.fold_word(last)
        parts.append(f"({SUGGEST_EXACT} : {quote(prefix)}* OR {SUGGEST_LEMMA} : {quote(prefix)}*)")
        weights = ", ".join(str(w) for w in WEIGHTS)
        language = get_language() or "pl"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.identifier, d.data FROM {FTS} f "
                f"JOIN {DOC} d ON d.item_id = f.rowid WHERE {FTS} MATCH %s "
                f"ORDER BY bm25({FTS}, {weights}), d.title_sort LIMIT %s",
                [" AND ".join(parts), max(1, min(limit, 10))],
            )
            rows = cursor.fetchall()
        suggestions = []
        for identifier, raw in rows:
            data = json.loads(raw)
            title = (data.get("title_en") if language.startswith("en") else "") or data["title"]
            suggestions.append(
                Suggestion(
                    identifier=identifier,
                    title=title,
                    url=reverse("archive:item", kwargs={"identifier": identifier}),
                )
            )
        return suggestions


class SQLiteRebuild(DatabaseRebuild):
    """Clear and refill in one transaction: readers (WAL) keep the old index until the new
    one is complete (and until every other backend of the rebuild has finished too:
    `parallel.rebuild_together`); an abort rolls it back.

    Bulk-load settings for that transaction only: the chunks are written without a
    savepoint each (FTS5 writes its pending terms to a new segment at every savepoint;
    the one transaction already makes the rebuild all or nothing), FTS5 keeps up to
    REBUILD_HASH_BYTES of new terms in memory before writing a segment (fewer, larger
    segments, far less merging), the page cache grows to REBUILD_CACHE_KIB, and the
    document table's secondary indexes are dropped and built once at the end; the file
    is read, not memory-mapped (each row is read once). Each is restored before the
    commit (or the rollback). The FTS5 `optimize` (one segment) runs after the commit,
    as before: searches in between are correct, merely read more segments."""

    analyse = staticmethod(analysed_rows)

    def __init__(self, backend: SQLiteSearchBackend):
        super().__init__(backend)
        self.settings: tuple[int, int] | None = None
        self.indexes: list[tuple[str, str]] = []
        self.known: dict = {}

    def begin(self) -> None:
        cursor = self.open()
        # Emptied by dropping and recreating the FTS5 table (its own SQL): deleting every
        # row of a full index reads each row's terms to remove them.
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [FTS])
        fts_sql = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {FTS}")
        cursor.execute(fts_sql)
        for table in (DOC, ITEM_VALUE, VALUE):
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute("PRAGMA cache_size")
        cache_size = cursor.fetchone()[0]
        cursor.execute("PRAGMA mmap_size")
        self.settings = (int(cache_size), int(cursor.fetchone()[0]))
        cursor.execute(f"PRAGMA cache_size = -{SQLiteSearchBackend.REBUILD_CACHE_KIB}")
        # Every row is read once: mapping the file (search/apps.py, for searches) would
        # only add up to 256 MB of its pages to this process's resident set.
        cursor.execute("PRAGMA mmap_size = 0")
        cursor.execute(
            f"INSERT INTO {FTS} ({FTS}, rank) VALUES ('hashsize', %s)",
            [SQLiteSearchBackend.REBUILD_HASH_BYTES],
        )
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = %s AND sql IS NOT NULL",
            [DOC],
        )
        self.indexes = cursor.fetchall()
        for name, _sql in self.indexes:
            cursor.execute(f'DROP INDEX "{name}"')

    def write(self, result: AnalysedRows) -> None:
        self.backend._insert(self.cursor, result, self.known)
        self.written += len(result[0])

    def finish(self) -> None:
        cursor = self.cursor
        for _name, sql in self.indexes:
            cursor.execute(sql)
        # Back to FTS5's default for the incremental writes that follow.
        cursor.execute(f"INSERT INTO {FTS} ({FTS}, rank) VALUES ('hashsize', %s)", [2**20])
        cursor.execute(f"DELETE FROM {FTS}_config WHERE k = 'hashsize'")
        self.backend._touch(cursor)
        self._restore_settings()

    def cleanup(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')")

    def abort(self) -> None:
        with suppress(DatabaseError):  # the rollback below restores what matters
            self._restore_settings()
        super().abort()

    def _restore_settings(self) -> None:
        if self.settings is not None and self.cursor is not None:
            cache_size, mmap_size = self.settings
            self.settings = None
            self.cursor.execute(f"PRAGMA cache_size = {cache_size}")
            self.cursor.execute(f"PRAGMA mmap_size = {mmap_size}")


@dataclass
class Vocabulary:
    """One index version's vocabulary for "did you mean", read lazily by first letter.

    Reading one letter's terms from fts5vocab walks their doclists (≈ 0.04 s at 100,000
    items, ≈ 1 s at 1,000,000), so each letter is read once per index version and
    process, like the facet bitmaps it lives on; each word's correction is a query's
    answer, remembered with the others (`FacetBitmaps.queries`)."""

    by_letter: dict[str, dict[int, list[tuple[str, int]]]] = field(default_factory=dict)

    def terms_from(self, cursor, letter: str) -> dict[int, list[tuple[str, int]]]:
        """Terms starting with `letter`, by length: {length: [(term, documents)]}."""
        if letter not in self.by_letter:
            cursor.execute(
                f"SELECT term, doc FROM {VOCAB} WHERE term >= %s AND term < %s",
                [letter, chr(ord(letter) + 1)],
            )
            by_length: dict[int, list[tuple[str, int]]] = {}
            for term, docs in cursor.fetchall():
                by_length.setdefault(len(term), []).append((term, docs))
            self.by_letter[letter] = by_length
        return self.by_letter[letter]


_WORD = re.compile(r"[^\W_]+")


def make_snippet(
    texts: list[tuple[str, str]],
    exact: set[str],
    lemma: set[str],
    marked: dict[str, bool] | None = None,
) -> tuple[str, str]:
    """A window of the first text that mentions a query word, matches in `<mark>`,
    everything else escaped, and the name of that text (`texts` are (name, text) pairs).
    Without a match: the opening words of the first text.

    `marked` (folded word → mark it?, from the item's analysed index columns) answers
    for the words it knows; any other word is lemmatised here."""
    if not texts:
        return "", ""
    if not exact and not lemma:
        return _window(texts[0][1], []), texts[0][0]
    marked = marked or {}
    fold_word, lemma_of, cut = analysis.fold_word, analysis.lemma_of, analysis.MAX_TOKEN_LENGTH

    def is_match(word: str) -> bool:
        word = word.lower()[:cut]
        folded = fold_word(word)
        known = marked.get(folded)
        if known is not None:
            return known
        return folded in exact or lemma_of(word) in lemma

    for name, text in texts:
        spans = [m.span() for m in _WORD.finditer(text) if is_match(m.group())]
        if spans:
            return _window(text, spans), name
    return _window(texts[0][1], []), texts[0][0]


def _window(text: str, spans: list[tuple[int, int]]) -> str:
    words = [m.span() for m in _WORD.finditer(text)]
    if not words:
        return escape(text[:200])
    first = 0
    if spans:
        first = next(i for i, w in enumerate(words) if w[0] >= spans[0][0])
        first = max(0, first - 8)
    last = min(len(words), first + SNIPPET_WORDS) - 1
    start = words[first][0] if first else 0
    end = words[last][1] if last < len(words) - 1 else len(text)
    out, cursor = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(escape(text[cursor:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    out.append(escape(text[cursor:end]))
    snippet = "".join(out).strip()
    if start > 0:
        snippet = "… " + snippet
    if end < len(text):
        snippet += " …"
    return snippet


# Bitmaps (search/backends/bitmaps.py) --------------------------------------------------


def _id_array(cursor) -> np.ndarray:
    """The first column of a query's rows (integer ids) as an array: SQLite joins them
    into one string and numpy parses it (no Python object per row)."""
    row = cursor.fetchone()
    if not row or not row[0]:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(row[0], dtype=np.int64, sep=",")


def _varint_sums(raw: bytes, rows: int, per_row: int) -> np.ndarray | None:
    """The sum of each row's `per_row` SQLite varints (7 bits a byte, most significant
    first, the last byte of each without its high bit) in `raw`, decoded with numpy;
    None when `raw` is not `rows` × `per_row` varints."""
    data = np.frombuffer(raw, dtype=np.uint8)
    ends = data < 0x80
    if not len(data) or int(ends.sum()) != rows * per_row or not ends[-1]:
        return None
    last = np.flatnonzero(ends)
    varint = np.repeat(np.arange(len(last)), np.diff(last, prepend=-1))
    shift = 7 * (last[varint] - np.arange(len(data)))
    parts = (data & 0x7F).astype(np.int64) << shift
    starts = np.concatenate(([0], last[:-1] + 1))
    return np.add.reduceat(parts, starts).reshape(rows, per_row).sum(axis=1)


@dataclass(frozen=True)
class Scored:
    """How a query's matches are scored: the FTS5 MATCH expression bm25 runs over, and
    its phrases as `_scored_phrases` gives them (empty: only FTS5 can score it)."""

    expression: str
    phrases: tuple[tuple[str, tuple[int, ...]], ...]


@dataclass
class Bm25:
    """FTS5's bm25 (fts5_aux.c `fts5Bm25Function`), computed with numpy for many rows at
    once, the same floating-point operations in the same order, so the scores are equal
    to FTS5's to the last bit (tests/search/test_sqlite_bm25.py). FTS5 costs ≈ 2 µs a
    row (each row's size record and position lists read through its auxiliary-function
    API); here a term's instances (`search_sqlite_instance`, fts5vocab) are read once,
    as two strings numpy parses, and each row's score is array arithmetic.

    Per phrase (a term in some columns): its frequency in a row is the sum of the column
    weights of its instances there, in position order; its IDF is log((N − n + 0.5) /
    (n + 0.5)) (1e-6 when not positive) over the n rows that have it; the score is
    −Σ IDF · f · (k1 + 1) / (f + k1 · (1 − b + b · D / avgdl)), D the row's tokens."""

    lengths: np.ndarray  # tokens of each row by rowid (float)
    rows: int
    average: float
    weights: np.ndarray  # column weights as SQLite reads the literals

    @staticmethod
    def instances(cursor, term: str) -> tuple[np.ndarray, np.ndarray]:
        """Every instance of `term` in the index, in position order: its rows and its
        columns (indexes in COLUMNS), one number each from SQLite (row × columns +
        column) as one string."""
        n = len(COLUMNS)
        cases = " ".join(f"WHEN '{c}' THEN {i}" for i, c in enumerate(COLUMNS))
        cursor.execute(
            f"SELECT group_concat(doc * {n} + CASE col {cases} END) FROM {INSTANCE} "
            "WHERE term = %s",
            [term],
        )
        text = cursor.fetchone()[0]
        coded = np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, np.int64)
        return coded // n, coded % n

    @classmethod
    def load(cls, cursor, size: int) -> Bm25 | None:
        """Every row's length from FTS5's size records (`%_docsize`: one varint per
        column), a range of rowids at a time (a bounded memory: ≈ 10 bytes a row per
        range); None when they are not that."""
        cursor.execute(f"SELECT {_WEIGHTS}")
        weights = np.array(cursor.fetchone(), dtype=np.float64)
        cursor.execute(f"SELECT max(id) FROM {DOCSIZE}")
        top = cursor.fetchone()[0]
        if top is None:
            return None
        lengths = np.zeros(max(size, top + 1), dtype=np.float64)
        rows = tokens = 0
        for start in range(0, top + 1, LENGTH_BATCH_ROWS):
            cursor.execute(
                f"SELECT group_concat(id), group_concat(hex(sz), '') FROM {DOCSIZE} "
                "WHERE id >= %s AND id < %s",
                [start, start + LENGTH_BATCH_ROWS],
            )
            ids_text, hex_text = cursor.fetchone()
            if not ids_text:
                continue
            ids = np.fromstring(ids_text, dtype=np.int64, sep=",")
            per_row = _varint_sums(bytes.fromhex(hex_text), len(ids), len(COLUMNS))
            if per_row is None:
                return None
            lengths[ids] = per_row
            rows += len(ids)
            tokens += int(per_row.sum())
        if not rows:
            return None
        return cls(lengths=lengths, rows=rows, average=float(tokens) / float(rows), weights=weights)

    def scores(
        self, cursor, phrases: tuple[tuple[str, tuple[int, ...]], ...], ids: np.ndarray
    ) -> np.ndarray:
        """bm25 of the rows `ids` (each a match) for these phrases, as FTS5 gives it."""
        k1, b = BM25_K1, BM25_B
        known = ids < len(self.lengths)
        length = np.where(known, self.lengths[np.where(known, ids, 0)], 0.0)
        norm = k1 * ((1 - b) + (b * length) / self.average)
        score = np.zeros(len(ids), dtype=np.float64)
        instances = {term: self.instances(cursor, term) for term in dict(phrases)}
        for term, columns in phrases:
            docs, cols = instances[term]
            inside = np.isin(cols, columns)
            docs, cols = docs[inside], cols[inside]
            hits = int(len(docs) and 1 + np.count_nonzero(np.diff(docs)))
            # Summed in position order, one instance after another (bincount adds its
            # weights in input order, as FTS5's loop does).
            summed = np.bincount(docs, weights=self.weights[cols], minlength=1)
            freq = np.zeros(len(ids), dtype=np.float64)
            where = ids < len(summed)
            freq[where] = summed[ids[where]]
            idf = math.log((self.rows - hits + 0.5) / (hits + 0.5))
            if idf <= 0.0:
                idf = 1e-6
            score += idf * ((freq * (k1 + 1.0)) / (freq + norm))
        return -1.0 * score


@dataclass
class FacetBitmaps(bitmaps.FacetBitmaps):
    """The shared facet bitmaps, plus sort orders and the items' years loaded on demand,
    and what queries found in this index version (`queries`, see `match` and `ranked`)."""

    # Sort orders (item ids) and each id's place in title order, as numpy arrays:
    # 8 MB and 4 MB per process at 1,000,000 items.
    orders: dict[str, np.ndarray] = field(default_factory=dict)
    positions: np.ndarray | None = None
    # Each item's first and last year by item id (NaN: open or undated), for the date
    # conditions (`dated`): 16 MB per process at 1,000,000 items, read once.
    years: tuple[np.ndarray, np.ndarray] | None = None
    # The index terms by first letter, for "did you mean" (read on demand).
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    # Document lengths for bm25 with numpy (`bm25`): False when they cannot be read.
    lengths: Bm25 | bool | None = None
    # MATCH results (bitmaps) and bm25 rankings of groups of matches, the least recently
    # used forgotten first (bitmaps.QueryCache, as PostgreSQL's).
    queries: bitmaps.QueryCache = field(
        default_factory=lambda: bitmaps.QueryCache(QUERY_CACHE_BYTES)
    )

    def match(self, cursor, expression: str) -> int:
        """The bitmap of the rows an FTS5 MATCH expression finds, remembered for this
        index version: paging through results and refining them by facets (the usual
        next requests) repeat the same MATCH with other filters or offsets."""

        def load() -> tuple[int, int]:
            cursor.execute(
                f"SELECT group_concat(rowid) FROM {FTS} WHERE {FTS} MATCH %s", [expression]
            )
            found = idsets.bitmap_from_csv(cursor.fetchone()[0])
            return found, found.bit_length() // 8 + 64

        return self.queries.get(("match", expression), load)

    def dated(self, cursor, condition: DateCondition) -> int:
        """The bitmap of the documents a condition on their years holds for, computed
        from the items' years held as arrays (`item_years`): a date in the words
        (search/compiler.py's tiers) asks for several conditions per request, each a
        pass over the document table when asked of SQLite (≈ 35 ms at 100,000 items)."""
        start, end = self.item_years(cursor)
        return idsets.bitmap_from_flags(condition.holds(start, end)) & self.all

    def item_years(self, cursor) -> tuple[np.ndarray, np.ndarray]:
        """`date_start` and `date_end` of every indexed item by item id (NaN for NULL)."""
        if self.years is None:
            years = []
            for column in ("date_start", "date_end"):
                cursor.execute(
                    f"SELECT group_concat(item_id), group_concat({column}) FROM {DOC} "
                    f"WHERE {column} IS NOT NULL"
                )
                ids_text, values_text = cursor.fetchone()
                values = np.full(max(self.size, 1), np.nan)
                if ids_text:
                    ids = np.fromstring(ids_text, dtype=np.int64, sep=",")
                    known = ids < len(values)  # ids past it: indexed since the load
                    values[ids[known]] = np.fromstring(values_text, dtype=np.float64, sep=",")[
                        known
                    ]
                years.append(values)
            self.years = (years[0], years[1])
        return self.years

    def ranked(
        self, cursor, scored: Scored, key: tuple, group: int, chosen: int, matched: int
    ) -> list[int]:
        """The ids of `chosen` (a subset of `group`, some of `matched`, every match of
        `scored.expression`) by bm25, then title order.

        The whole group is scored and its ranking remembered (a facet clicked next only
        filters it) unless it is much larger than `chosen`; then only `chosen` is, and
        remembered for this very subset (the next page)."""
        size, wanted = group.bit_count(), chosen.bit_count()
        whole = size <= WHOLE_GROUP_IDS or size <= 4 * wanted
        scoring = group if whole else chosen

        def load() -> tuple[np.ndarray, int]:
            ranking = self._bm25_order(cursor, scored, scoring, matched)
            return ranking, 8 * len(ranking) + 64

        ranking = self.queries.get(
            ("ranking", scored.expression, *key, None if whole else chosen), load
        )
        if wanted == len(ranking):
            return ranking.tolist()
        flags = idsets.flags_of(chosen, self.size)
        inside = ranking[ranking < len(flags)]
        return inside[flags[inside]].tolist()

    def _bm25_order(self, cursor, scored: Scored, scoring: int, matched: int) -> np.ndarray:
        """The ids of `scoring` (some of `matched`, every match of `scored.expression`)
        by bm25, then title order: FTS5's bm25 for a few rows, else the same scores
        computed with numpy from the terms' instances (`Bm25`)."""
        bm25 = None
        terms = len(dict(scored.phrases))
        rows = scoring.bit_count()
        if terms and rows >= NUMPY_BM25_ROWS * terms * max(1, matched.bit_count()):
            bm25 = self.bm25(cursor)
        if bm25 is not None:
            ids = idsets.ids_of(scoring)
            scores = bm25.scores(cursor, scored.phrases, ids)
        else:
            ids, scores = self._fts5_bm25(cursor, scored.expression, scoring, matched)
        position = self.title_position(cursor)
        known = ids < len(position)  # ids past it: indexed since the bitmaps were loaded
        rank = np.where(known, position[np.where(known, ids, 0)], 0)
        return ids[np.lexsort((rank, scores))]

    def _fts5_bm25(
        self, cursor, expression: str, scoring: int, matched: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The ids of `scoring` (ascending) and their bm25 scores, from FTS5."""
        sql = f"SELECT rowid, bm25({FTS}, {_WEIGHTS}) FROM {FTS} WHERE {FTS} MATCH %s"
        params: list = [expression]
        if scoring != matched:
            # Only the group's rows: a byte per id (1 MB at 1,000,000 items) tested
            # for each row of the MATCH (`+rowid`: do not look each id up in FTS5,
            # which costs milliseconds a lookup), cheaper than an IN list.
            sql += " AND substr(%s, +rowid + 1, 1) = x'01'"
            params.append(idsets.byte_flags(scoring))
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        scores = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
        return ids, scores

    def bm25(self, cursor) -> Bm25 | None:
        """This index version's document lengths for `Bm25` (read once), None when the
        index's size records cannot be read as expected."""
        if self.lengths is None:
            self.lengths = Bm25.load(cursor, self.size) or False
        return self.lengths or None

    def order(self, cursor, sort: str) -> np.ndarray:
        """Every indexed item id in this sort order (title, date or -date)."""
        if sort not in self.orders:
            order_by = {
                "title": "title_sort, identifier",
                "date": "date_start IS NULL, date_start, date_end, title_sort, identifier",
                "-date": "date_start IS NULL, date_start DESC, date_end DESC, title_sort, "
                "identifier",
            }[sort]
            cursor.execute(
                f"SELECT group_concat(item_id) FROM (SELECT item_id FROM {DOC} ORDER BY {order_by})"
            )
            self.orders[sort] = _id_array(cursor)
        return self.orders[sort]

    def title_position(self, cursor) -> np.ndarray:
        """Place in title order by item id (0 for an id not indexed): the last
        tie-breaker of relevance."""
        if self.positions is None:
            order = self.order(cursor, "title")
            positions = np.zeros(max(self.size, 1), dtype=np.int32)
            inside = order < len(positions)
            positions[order[inside]] = np.arange(len(order), dtype=np.int32)[inside]
            self.positions = positions
        return self.positions


def clear_query_caches() -> None:
    """Forget every remembered MATCH result, bm25 ranking and did-you-mean correction of
    this process (what belongs to the index version stays: the facet bitmaps, sort
    orders, years, row lengths and the vocabulary by first letter): what a request for a
    query text nobody asked since the last index change costs. Used by the benchmark and
    the tests."""
    for bits in _bitmaps:
        bits.queries.clear()


def _index_version(cursor) -> str:
    cursor.execute(f"SELECT value FROM {META} WHERE key = 'version'")
    row = cursor.fetchone()
    return row[0] if row else ""


_bitmaps = bitmaps.BitmapCache()
# Bytes of MATCH bitmaps (12.5 kB each at 100,000 items, 125 kB at 1,000,000) and
# rankings (8 bytes an id) each process remembers: a few hundred recent MATCHes at
# 1,000,000 items. Every index change starts an empty cache (it lives on the bitmaps of
# one index version).
QUERY_CACHE_BYTES = 64 * 1024 * 1024
# A group of matches this small is ranked whole (and remembered), whatever the filters:
# bm25 costs ≈ 2 µs a row, so a facet clicked on a 250,000-match group saves ≈ 0.5 s.
WHOLE_GROUP_IDS = 250_000
# Rows of FTS5's size records decoded at a time (`Bm25.load`).
LENGTH_BATCH_ROWS = 131_072
# bm25 is computed with numpy (`Bm25`) when the rows to score are at least this share of
# the matches per distinct term: FTS5 costs ≈ 2.5 µs a row scored (plus walking the
# matches), numpy ≈ 0.45 µs an instance of each term, in every row that has it (at
# least the matches, ≈ 1.5 instances each), however few rows are scored.
NUMPY_BM25_ROWS = 0.3


def facet_bitmaps(cursor) -> FacetBitmaps:
    """This process's bitmaps of the current index version (reloaded when it changed)."""
    return _bitmaps.get(_index_version(cursor), lambda version: _load_bitmaps(cursor, version))


def _load_bitmaps(cursor, version: str) -> FacetBitmaps:
    bits = FacetBitmaps(version=version)
    cursor.execute(f"SELECT group_concat(item_id) FROM {DOC}")
    ids = _id_array(cursor)
    bits.all = idsets.bitmap_from_ids(ids)
    bits.size = int(ids.max()) + 1 if len(ids) else 1
    cursor.execute(f"SELECT id, facet, value, label, label_en FROM {VALUE} ORDER BY id")
    bits.set_values(cursor.fetchall())
    bits.masks = _value_masks(cursor, bits.size, list(bits.values))
    return bits


# Flags (bytes) one batch of the item ↔ value pairs is spread into: the batch covers
# fewer items the more values there are.
LOAD_BATCH_FLAGS = 8 * 1024 * 1024


def _value_masks(cursor, size: int, value_ids: list[int]) -> dict[int, int]:
    """Each facet value's bitmap of items below `size`, read from the item ↔ value pairs
    (≈ 7 million at 1,000,000 items) a range of item ids at a time, each range as two
    `group_concat` strings that numpy spreads into a flags matrix (values × items)."""
    if not value_ids:
        return {}
    row_of = np.full(max(value_ids) + 1, -1, dtype=np.int64)
    row_of[value_ids] = np.arange(len(value_ids))
    step = max(64, LOAD_BATCH_FLAGS // len(value_ids) // 8 * 8)
    packed = [bytearray() for _ in value_ids]
    for start in range(0, size, step):
        cursor.execute(
            f"SELECT group_concat(item_id), group_concat(value_id) FROM {ITEM_VALUE} "
            "WHERE item_id >= %s AND item_id < %s",
            [start, start + step],
        )
        items_text, values_text = cursor.fetchone()
        flags = np.zeros((len(value_ids), step), dtype=bool)
        if items_text:
            items = np.fromstring(items_text, dtype=np.int64, sep=",") - start
            values = np.fromstring(values_text, dtype=np.int64, sep=",")
            known = values <= max(value_ids)
            rows = np.where(known, row_of[np.where(known, values, 0)], -1)
            flags[rows[rows >= 0], items[rows >= 0]] = True
        for n, row in enumerate(np.packbits(flags, axis=1, bitorder="little")):
            packed[n] += row.tobytes()
    return {value_id: int.from_bytes(packed[n], "little") for n, value_id in enumerate(value_ids)}
