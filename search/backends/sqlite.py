"""SQLite FTS5 search: the default engine, inside the project database, no services.

Tables (created by migration `search.0002_sqlite_fts`, only on SQLite):
- `search_sqlite_fts`: FTS5, `unicode61 remove_diacritics 2`, rowid = item pk. Each field
  group (title, names, body, extra) has an *exact* column (folded words) and a *lemma*
  column (folded lemmas, same positions), filled from `search.analysis`. bm25 weighs
  title ≫ names ≫ body ≫ extra, and exact above lemma.
- `search_sqlite_doc`: one row per indexed item with what filters, sorting and result
  rendering need (the plain texts for snippets are in `data`, JSON).
- `search_sqlite_facet`: one row per (item, facet value); filters and facet counts are
  plain SQL over it.
- `search_sqlite_vocab`: an fts5vocab view of the index terms, for "did you mean".

Every user word reaches MATCH only as a double-quoted string, so FTS5 syntax typed by a
visitor (`NEAR(`, `title:`, `*`, `AND`) is just text.
"""

# SQL is built only from the constant table/column names below and "%s" placeholders;
# every value, user text included, is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import difflib
import json
import logging
import re
from collections.abc import Iterable
from html import escape

from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils.translation import get_language

from .. import analysis
from ..documents import FacetValue, SearchDocument, facet_label, iter_chunks
from ..query import FACETS, SearchQuery
from .base import FacetCount, Hit, SearchBackend, SearchResults, Suggestion, Thumbnail

logger = logging.getLogger(__name__)

FTS = "search_sqlite_fts"
DOC = "search_sqlite_doc"
FACET = "search_sqlite_facet"
VOCAB = "search_sqlite_vocab"

GROUPS = ("title", "names", "body", "extra")
COLUMNS = [f"{g}_{kind}" for g in GROUPS for kind in ("exact", "lemma")]
# bm25 weights in COLUMNS order: title ≫ names ≫ body ≫ extra. A word in its exact form
# also matches the lemma column, so exact matches score twice and rank above lemma-only ones.
WEIGHTS = (10.0, 9.0, 5.0, 4.0, 1.2, 1.0, 0.4, 0.3)
EXACT_COLUMNS = "{" + " ".join(f"{g}_exact" for g in GROUPS) + "}"
LEMMA_COLUMNS = "{" + " ".join(f"{g}_lemma" for g in GROUPS) + "}"
SUGGEST_EXACT = "{title_exact names_exact}"
SUGGEST_LEMMA = "{title_lemma names_lemma}"

FACET_SIZE = 20
SNIPPET_WORDS = 30
DID_YOU_MEAN_RATIO = 0.75

SCHEMA = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(
        {", ".join(COLUMNS)}, tokenize = 'unicode61 remove_diacritics 2')""",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCAB} USING fts5vocab({FTS}, 'row')",
    f"""CREATE TABLE IF NOT EXISTS {DOC} (
        item_id INTEGER PRIMARY KEY,
        identifier TEXT NOT NULL,
        title_sort TEXT NOT NULL,
        date_start INTEGER,
        date_end INTEGER,
        data TEXT NOT NULL)""",
    f"CREATE INDEX IF NOT EXISTS {DOC}_title ON {DOC} (title_sort)",
    f"CREATE INDEX IF NOT EXISTS {DOC}_date ON {DOC} (date_start)",
    f"""CREATE TABLE IF NOT EXISTS {FACET} (
        item_id INTEGER NOT NULL,
        facet TEXT NOT NULL,
        value TEXT NOT NULL,
        label TEXT NOT NULL,
        label_en TEXT NOT NULL)""",
    f"CREATE INDEX IF NOT EXISTS {FACET}_value ON {FACET} (facet, value, item_id)",
    f"CREATE INDEX IF NOT EXISTS {FACET}_item ON {FACET} (item_id)",
]
DROP_SCHEMA = [
    f"DROP TABLE IF EXISTS {VOCAB}",
    f"DROP TABLE IF EXISTS {FTS}",
    f"DROP TABLE IF EXISTS {DOC}",
    f"DROP TABLE IF EXISTS {FACET}",
]


def quote(term: str) -> str:
    """An FTS5 string literal: whatever the user typed, it is only ever a phrase."""
    return '"' + term.replace('"', '""') + '"'


class SQLiteSearchBackend(SearchBackend):
    name = "sqlite"
    is_database_backend = True

    # Indexing ---------------------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> int:
        written = 0
        for chunk in iter_chunks(documents):
            with transaction.atomic():
                self._write(chunk)
            written += len(chunk)
        return written

    def _write(self, docs: list[SearchDocument]) -> None:
        ids = [d.id for d in docs]
        analysis.record_forms(
            text for d in docs for text in (d.title_text, d.names_text, d.body_text)
        )
        fts_rows, doc_rows, facet_rows = [], [], []
        for d in docs:
            row = [d.id]
            for text in (d.title_text, d.names_text, d.body_text, d.extra_text):
                analysed = analysis.analyse(text)
                row += [analysed.exact_text, analysed.lemma_text]
            fts_rows.append(row)
            doc_rows.append(
                (d.id, d.identifier, analysis.fold(d.title), d.date_start, d.date_end, _data(d))
            )
            for facet, values in d.facets.items():
                facet_rows += [(d.id, facet, v.value, v.label, v.label_en) for v in values]
        with connection.cursor() as cursor:
            self._delete(cursor, ids)
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
            cursor.executemany(
                f"INSERT INTO {FACET} (item_id, facet, value, label, label_en)"
                " VALUES (%s, %s, %s, %s, %s)",
                facet_rows,
            )

    def _delete(self, cursor, ids: list[int]) -> None:
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(f"DELETE FROM {FTS} WHERE rowid IN ({marks})", batch)
            cursor.execute(f"DELETE FROM {DOC} WHERE item_id IN ({marks})", batch)
            cursor.execute(f"DELETE FROM {FACET} WHERE item_id IN ({marks})", batch)

    def delete(self, ids: Iterable[int]) -> None:
        ids = [int(i) for i in ids]
        if ids:
            with transaction.atomic(), connection.cursor() as cursor:
                self._delete(cursor, ids)

    def clear(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for table in (FTS, DOC, FACET):
                cursor.execute(f"DELETE FROM {table}")

    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        """Clear and refill in one transaction: readers (WAL) keep the old index until the
        new one is complete."""
        with transaction.atomic():
            self.clear()
            count = self.index(documents)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')")
        return count

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

    def document_count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {DOC}")
            return cursor.fetchone()[0]

    # Searching --------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        results = self._search(query)
        if results.count == 0 and query.has_text:
            corrected = self.correct(query)
            if corrected:
                retried = self._search(query.with_text(corrected))
                if retried.count:
                    retried.did_you_mean, retried.corrected = corrected, True
                    return retried
        return results

    def _search(self, query: SearchQuery) -> SearchResults:
        lemmas = analysis.query_lemmas(
            [*query.words, *(w for p in query.phrases for w in p), *query.exclusions]
        )
        match = self._match(query, lemmas)
        exclude = self._exclusion_match(query, lemmas)
        with connection.cursor() as cursor:
            where, params = self._where(query, match, exclude, skip_facet=None)
            cursor.execute(f"SELECT COUNT(*) FROM {DOC} d WHERE {where}", params)
            count = cursor.fetchone()[0]
            rows = self._page(cursor, query, lemmas, match, where, params) if count else []
            facets = self._facets(cursor, query, match, exclude)
        language = get_language() or "pl"
        exact_terms, lemma_terms = self._highlight_terms(query, lemmas)
        hits = [self._hit(row, exact_terms, lemma_terms, language) for row in rows]
        return SearchResults(count=count, hits=hits, facets=facets, backend=self.name)

    def _match(self, query: SearchQuery, lemmas: dict[str, set[str]]) -> str:
        return " AND ".join(self._match_parts(query, lemmas))

    def _match_parts(
        self,
        query: SearchQuery,
        lemmas: dict[str, set[str]],
        exact_columns: str = EXACT_COLUMNS,
        lemma_columns: str = LEMMA_COLUMNS,
    ) -> list[str]:
        """One MATCH expression per required word or phrase: its exact folded form in the
        exact columns, or any of its lemmas in the lemma columns."""
        parts = []
        for word in query.words:
            parts.append(
                f"({exact_columns} : {quote(analysis.fold_word(word))} OR "
                f"{lemma_columns} : ({' OR '.join(quote(lm) for lm in sorted(lemmas[word]))}))"
            )
        for phrase in query.phrases:
            exact = " ".join(analysis.fold_word(w) for w in phrase)
            lemma = " ".join(_best_lemma(w, lemmas[w]) for w in phrase)
            parts.append(f"({exact_columns} : {quote(exact)} OR {lemma_columns} : {quote(lemma)})")
        return parts

    def _exclusion_match(self, query: SearchQuery, lemmas: dict[str, set[str]]) -> str:
        parts = []
        for word in query.exclusions:
            parts.append(f"{EXACT_COLUMNS} : {quote(analysis.fold_word(word))}")
            parts += [f"{LEMMA_COLUMNS} : {quote(lm)}" for lm in sorted(lemmas[word])]
        return " OR ".join(parts)

    def _where(
        self, query: SearchQuery, match: str, exclude: str, skip_facet: str | None
    ) -> tuple[str, list]:
        clauses, params = ["1"], []
        if match:
            clauses.append(f"d.item_id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)")
            params.append(match)
        if exclude:
            clauses.append(f"d.item_id NOT IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)")
            params.append(exclude)
        for facet in FACETS:
            values = query.filter_values(facet)
            if facet == skip_facet or not values:
                continue
            marks = ", ".join(["%s"] * len(values))
            clauses.append(
                f"d.item_id IN (SELECT item_id FROM {FACET} "
                f"WHERE facet = %s AND value IN ({marks}))"
            )
            params += [facet, *values]
        if query.date_from is not None or query.date_to is not None:
            clauses.append("(d.date_start IS NOT NULL OR d.date_end IS NOT NULL)")
            if query.date_from is not None:
                clauses.append("(d.date_end IS NULL OR d.date_end >= %s)")
                params.append(query.date_from)
            if query.date_to is not None:
                clauses.append("(d.date_start IS NULL OR d.date_start <= %s)")
                params.append(query.date_to)
        return " AND ".join(clauses), params

    def _page(
        self, cursor, query: SearchQuery, lemmas, match: str, where: str, params: list
    ) -> list:
        sort = query.effective_sort
        limit = (query.page_size, query.offset)
        if sort == "relevance" and match:
            # Rank first by how many query words the title holds, then bm25. bm25 alone
            # saturates term frequency, so a long item mentioning a word twice in its
            # description can outrank an item named by it; title ≫ description must hold.
            title_parts = self._match_parts(query, lemmas, "{title_exact}", "{title_lemma}")
            in_title = " + ".join(
                f"(f.rowid IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s))" for _ in title_parts
            )
            weights = ", ".join(str(w) for w in WEIGHTS)
            cursor.execute(
                f"SELECT d.item_id, d.identifier, d.data FROM {FTS} f "
                f"JOIN {DOC} d ON d.item_id = f.rowid "
                f"WHERE {FTS} MATCH %s AND {where} "
                f"ORDER BY ({in_title}) DESC, bm25({FTS}, {weights}), d.title_sort "
                f"LIMIT %s OFFSET %s",
                [match, *params, *title_parts, *limit],
            )
        else:
            order = {
                "title": "d.title_sort, d.identifier",
                "date": "d.date_start IS NULL, d.date_start, d.date_end, d.title_sort",
                "-date": "d.date_start IS NULL, d.date_start DESC, d.date_end DESC, d.title_sort",
            }.get(sort, "d.title_sort, d.identifier")
            cursor.execute(
                f"SELECT d.item_id, d.identifier, d.data FROM {DOC} d "
                f"WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, *limit],
            )
        return cursor.fetchall()

    def _facets(
        self, cursor, query: SearchQuery, match: str, exclude: str
    ) -> dict[str, list[FacetCount]]:
        """Counts per facet value, each facet with every filter but its own. Facets with
        no filter of their own share one matching set, so they are counted in one query."""
        language = get_language() or "pl"
        counted: dict[str, list[tuple]] = {facet: [] for facet in FACETS}
        shared = [f for f in FACETS if not query.filter_values(f)]
        groups = [(shared, None)] + [([f], f) for f in FACETS if query.filter_values(f)]
        for facets, skip in groups:
            if not facets:
                continue
            where, params = self._where(query, match, exclude, skip_facet=skip)
            marks = ", ".join(["%s"] * len(facets))
            cursor.execute(
                f"SELECT x.facet, x.value, MAX(x.label), MAX(x.label_en), COUNT(*) "
                f"FROM {FACET} x WHERE x.facet IN ({marks}) AND x.item_id IN "
                f"(SELECT d.item_id FROM {DOC} d WHERE {where}) GROUP BY x.facet, x.value",
                [*facets, *params],
            )
            for facet, value, label, label_en, count in cursor.fetchall():
                counted[facet].append((value, label, label_en, count))
        facets_out = {}
        for facet, rows in counted.items():
            rows.sort(key=lambda r: (-r[3], r[0]))
            facets_out[facet] = [
                FacetCount(
                    value=value,
                    label=facet_label(facet, FacetValue(value, label, label_en), value, language),
                    count=count,
                )
                for value, label, label_en, count in rows[:FACET_SIZE]
            ]
        return facets_out

    # Results ----------------------------------------------------------------------------

    def _highlight_terms(
        self, query: SearchQuery, lemmas: dict[str, set[str]]
    ) -> tuple[set[str], set[str]]:
        words = [*query.words, *(w for p in query.phrases for w in p)]
        exact = {analysis.fold_word(w) for w in words}
        lemma = {lm for w in words for lm in lemmas.get(w, ())}
        return exact, lemma

    def _hit(self, row, exact: set[str], lemma: set[str], language: str) -> Hit:
        item_id, identifier, raw = row
        data = json.loads(raw)
        english = language.startswith("en")
        title = (data.get("title_en") if english else "") or data["title"]
        texts = [data.get("description_en"), data.get("description")]
        if not english:
            texts.reverse()
        texts += [data.get("names"), data.get("extra")]
        thumbnail = None
        if data.get("thumbnail_url"):
            alt = (data.get("thumbnail_alt_en") if english else "") or data.get("thumbnail_alt")
            thumbnail = Thumbnail(url=data["thumbnail_url"], alt=alt or "")
        return Hit(
            identifier=identifier,
            url=reverse("archive:item", kwargs={"identifier": identifier}),
            title=title,
            item_type=data["item_type"],
            date=data.get("date", ""),
            snippet=make_snippet([t for t in texts if t], exact, lemma),
            thumbnail=thumbnail,
        )

    # Typo tolerance ---------------------------------------------------------------------

    def correct(self, query: SearchQuery) -> str | None:
        """The query with unknown words replaced by the closest index terms, or None."""
        changed = False
        parts = []
        with connection.cursor() as cursor:

            def fix(word: str) -> str:
                nonlocal changed
                better = self._closest_term(cursor, word)
                if better:
                    changed = True
                    return better
                return word

            parts += [fix(w) for w in query.words]
            parts += ['"' + " ".join(fix(w) for w in p) + '"' for p in query.phrases]
        parts += [f"-{w}" for w in query.exclusions]
        return " ".join(parts) if changed else None

    def _closest_term(self, cursor, word: str) -> str | None:
        folded = analysis.fold_word(word)
        if len(folded) < 3 or folded.isdigit():
            return None
        cursor.execute(
            f"SELECT 1 FROM {VOCAB} WHERE term = %s OR term = %s",
            [folded, analysis.lemma_of(word)],
        )
        if cursor.fetchone():
            return None  # known word: the miss is due to the combination, not a typo
        cursor.execute(
            f"SELECT term, doc FROM {VOCAB} WHERE term >= %s AND term < %s",
            [folded[0], chr(ord(folded[0]) + 1)],
        )
        best, best_key = None, (0.0, 0)
        matcher = difflib.SequenceMatcher(b=folded, autojunk=False)
        for term, docs in cursor.fetchall():
            if abs(len(term) - len(folded)) > 2:
                continue
            matcher.set_seq1(term)
            if matcher.real_quick_ratio() < DID_YOU_MEAN_RATIO:
                continue
            ratio = matcher.ratio()
            if ratio >= DID_YOU_MEAN_RATIO and (ratio, docs) > best_key:
                best, best_key = term, (ratio, docs)
        return analysis.display_word(best) if best else None

    # Type-ahead -------------------------------------------------------------------------

    def suggest(self, text: str, limit: int = 10) -> list[Suggestion]:
        words = analysis.content_tokens(text)[:8]
        if not words:
            return []
        *whole, last = words
        lemmas = analysis.query_lemmas(whole)
        parts = [
            f"({SUGGEST_EXACT} : {quote(analysis.fold_word(w))} OR "
            f"{SUGGEST_LEMMA} : ({' OR '.join(quote(lm) for lm in sorted(lemmas[w]))}))"
            for w in whole
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


def _best_lemma(word: str, candidates: set[str]) -> str:
    """For a phrase, one lemma per word: one learnt from the index beats simplemma's guess
    on a diacritic-less word (which is usually the word unchanged)."""
    own = analysis.lemma_of(word)
    others = sorted(candidates - {own})
    return others[0] if others and own == analysis.fold_word(word) else own


def _data(d: SearchDocument) -> str:
    return json.dumps(
        {
            "title": d.title,
            "title_en": d.title_en,
            "item_type": d.item_type,
            "date": d.date,
            "description": d.description,
            "description_en": d.description_en,
            "names": " · ".join([*d.subjects, *d.places, *d.creators, *d.collections]),
            "extra": " · ".join([*d.alt_texts, *d.captions]),
            "thumbnail_url": d.thumbnail_url,
            "thumbnail_alt": d.thumbnail_alt,
            "thumbnail_alt_en": d.thumbnail_alt_en,
        },
        ensure_ascii=False,
    )


_WORD = re.compile(r"[^\W_]+")


def make_snippet(texts: list[str], exact: set[str], lemma: set[str]) -> str:
    """A window of the first text that mentions a query word, matches in `<mark>`,
    everything else escaped. Without a match: the opening words of the first text."""
    for text in texts:
        spans = [
            m.span()
            for m in _WORD.finditer(text)
            if analysis.fold_word(m.group().lower()) in exact
            or analysis.lemma_of(m.group().lower()[: analysis.MAX_TOKEN_LENGTH]) in lemma
        ]
        if spans:
            return _window(text, spans)
    return _window(texts[0], []) if texts else ""


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
