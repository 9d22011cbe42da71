"""PostgreSQL full-text search: the engine of a Kronika running on PostgreSQL.

Tables (created by migration `search.0090_postgres_search`, only on PostgreSQL):
- `search_pg_doc`: one row per indexed item. `tsv` is a `tsvector` with weights A–D
  (title A; subjects, places, creators, collections B; descriptions C; alt-texts,
  captions and the identifier D) under a GIN index. Its lexemes come from
  `search.analysis`, not from a PostgreSQL dictionary: each word is stored as its exact
  folded form *and* its folded lemma at the same position, so `kościoła` is
  `'kosciola':1A 'kosciol':1A`, phrases (`<->`) work on either, and lemmas meet exactly as
  on the other backends. `data` (jsonb) holds what result rendering needs.
- `search_pg_facet`: one row per (item, facet value); filters and facet counts are SQL
  `GROUP BY` over it, each facet counted with every filter but its own.
- `search_pg_term`: the vocabulary (exact folded term, its lemma) with a `pg_trgm` GIN
  index: "did you mean" candidates by trigram similarity (then the same edit ratio as
  SQLite), and every indexed form of a query lemma for
  highlighting.
- text search configuration `kronika_search`: `simple` with the `unaccent` dictionary in
  front. PostgreSQL reads *original* text only in `ts_headline`, which must match the
  folded query lexemes against words written with diacritics (`kościoła` → `kosciola`).

Ranking: items whose title holds more of the query words first, then `ts_rank_cd` over
the weights plus a bonus for exact forms (so `pożar` ranks *Pożar* above *pożarze*).

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
from collections.abc import Iterable
from html import escape

from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils.translation import get_language

from .. import analysis
from ..compiler import FACET_SIZE, GROUPS, CompiledQuery, Term, compile_words, relative_weights
from ..documents import FacetValue, SearchDocument, facet_label
from ..query import FACETS, SearchQuery
from .base import FacetCount, Hit, SearchResults, Suggestion, snippet_fields
from .database import DatabaseSearchBackend, closest_term, stored_data

DOC = "search_pg_doc"
FACET = "search_pg_facet"
TERM = "search_pg_term"
CONFIG = "kronika_search"

GROUP_WEIGHTS = ("A", "B", "C", "D")  # PostgreSQL's weight letter for each of GROUPS
# ts_rank_cd weights in PostgreSQL's order {D, C, B, A}, from the compiler's boosts.
RANK_WEIGHTS = "{" + ", ".join(f"{relative_weights()[g]:.4g}" for g in reversed(GROUPS)) + "}"
# Positions between field groups, so a phrase never spans the end of one field and the
# start of the next.
GROUP_GAP = 8
MAX_POSITION = 16383

CORRECTION_CANDIDATES = 50
MAX_HIGHLIGHT_TERMS = 300
# Markers around ts_headline matches; removed from indexed text so they cannot be forged.
START, STOP = "\x02", "\x03"
HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, ShortWord=0, "
    "HighlightAll=false, MaxFragments=0"
)
_MARKERS = re.compile(f"[{START}{STOP}]")

SCHEMA = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN
            CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.simple);
            ALTER TEXT SEARCH CONFIGURATION {CONFIG}
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
        END IF;
    END $$""",
    f"""CREATE TABLE IF NOT EXISTS {DOC} (
        item_id bigint PRIMARY KEY,
        identifier text NOT NULL,
        title_sort text NOT NULL,
        date_start integer,
        date_end integer,
        tsv tsvector NOT NULL,
        data jsonb NOT NULL)""",
    f"CREATE INDEX IF NOT EXISTS {DOC}_tsv ON {DOC} USING gin (tsv)",
    f'CREATE INDEX IF NOT EXISTS {DOC}_title ON {DOC} (title_sort COLLATE "C")',
    f"CREATE INDEX IF NOT EXISTS {DOC}_date ON {DOC} (date_start, date_end)",
    f"""CREATE TABLE IF NOT EXISTS {FACET} (
        item_id bigint NOT NULL,
        facet text NOT NULL,
        value text NOT NULL,
        label text NOT NULL,
        label_en text NOT NULL)""",
    f"CREATE INDEX IF NOT EXISTS {FACET}_value ON {FACET} (facet, value, item_id)",
    f"CREATE INDEX IF NOT EXISTS {FACET}_item ON {FACET} (item_id)",
    f"""CREATE TABLE IF NOT EXISTS {TERM} (
        term text NOT NULL,
        lemma text NOT NULL,
        PRIMARY KEY (term, lemma))""",
    f"CREATE INDEX IF NOT EXISTS {TERM}_trgm ON {TERM} USING gin (term gin_trgm_ops)",
    f"CREATE INDEX IF NOT EXISTS {TERM}_lemma ON {TERM} (lemma)",
]
DROP_SCHEMA = [
    f"DROP TABLE IF EXISTS {TERM}",
    f"DROP TABLE IF EXISTS {FACET}",
    f"DROP TABLE IF EXISTS {DOC}",
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}",
]


def lexeme(term: str) -> str:
    """A tsquery/tsvector lexeme literal: quoted, so it is never read as an operator."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def build_tsvector(doc: SearchDocument) -> tuple[str, set[tuple[str, str]]]:
    """The `tsvector` literal of a document and its (term, lemma) vocabulary.

    Exact folded words and their lemmas share positions; each field group has its weight.
    """
    entries: dict[str, list[str]] = {}
    vocabulary: set[tuple[str, str]] = set()
    position = 0
    for group, weight in zip(GROUPS, GROUP_WEIGHTS, strict=True):
        analysed = analysis.analyse_parts(doc.language_parts(group))
        for exact, lemma in zip(analysed.exact, analysed.lemmas, strict=True):
            position = min(position + 1, MAX_POSITION)
            entries.setdefault(exact, []).append(f"{position}{weight}")
            if lemma != exact:
                entries.setdefault(lemma, []).append(f"{position}{weight}")
            vocabulary.add((exact, lemma))
        position = min(position + GROUP_GAP, MAX_POSITION)
    # PostgreSQL keeps at most 256 positions per lexeme.
    literal = " ".join(f"{lexeme(t)}:{','.join(p[:256])}" for t, p in entries.items())
    return literal, vocabulary


def _or(terms: Iterable[str], weights: str = "") -> str:
    suffix = f":{weights}" if weights else ""
    return "(" + " | ".join(lexeme(t) + suffix for t in dict.fromkeys(terms)) + ")"


class PostgresSearchBackend(DatabaseSearchBackend):
    name = "postgres"
    document_table = DOC

    # Indexing ---------------------------------------------------------------------------

    def _write(self, docs: list[SearchDocument]) -> None:
        analysis.record_forms(
            text for d in docs for text in (d.title_text, d.names_text, d.body_text)
        )
        doc_rows, facet_rows, vocabulary = [], [], set()
        for d in docs:
            tsv, terms = build_tsvector(d)
            vocabulary |= terms
            doc_rows.append(
                (
                    d.id,
                    d.identifier,
                    analysis.fold(d.title),
                    d.date_start,
                    d.date_end,
                    tsv,
                    stored_data(d, _clean),
                )
            )
            for facet, values in d.facets.items():
                facet_rows += [(d.id, facet, v.value, v.label, v.label_en) for v in values]
        with connection.cursor() as cursor:
            self._delete(cursor, [d.id for d in docs])
            cursor.executemany(
                f"INSERT INTO {DOC} (item_id, identifier, title_sort, date_start, date_end, "
                "tsv, data) VALUES (%s, %s, %s, %s, %s, %s::tsvector, %s::jsonb)",
                doc_rows,
            )
            if facet_rows:
                cursor.executemany(
                    f"INSERT INTO {FACET} (item_id, facet, value, label, label_en)"
                    " VALUES (%s, %s, %s, %s, %s)",
                    facet_rows,
                )
            if vocabulary:
                terms, lemmas = zip(*sorted(vocabulary), strict=True)
                cursor.execute(
                    f"INSERT INTO {TERM} (term, lemma) SELECT * FROM unnest(%s::text[], %s::text[])"
                    " ON CONFLICT DO NOTHING",
                    [list(terms), list(lemmas)],
                )

    def _delete(self, cursor, ids: list[int]) -> None:
        cursor.execute(f"DELETE FROM {DOC} WHERE item_id = ANY(%s)", [ids])
        cursor.execute(f"DELETE FROM {FACET} WHERE item_id = ANY(%s)", [ids])

    def clear(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for table in (DOC, FACET, TERM):
                cursor.execute(f"DELETE FROM {table}")

    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        """Clear and refill in one transaction: other connections keep reading the old
        rows (MVCC) until the new index commits, so search never sees it half-built.
        Then ANALYZE, so the planner knows the new tables at once instead of after
        autovacuum's next pass (with the empty tables' statistics a 100,000-item search
        sorted its facet rows on disk: 0.9 s instead of 0.5 s)."""
        with transaction.atomic():
            self.clear()
            count = self.index(documents)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {DOC}, {FACET}, {TERM}")
        return count

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
        query = compiled.query
        parts = self._parts(compiled)
        match = " & ".join(parts)
        exclude = " | ".join(_or(t.forms) for t in compiled.exclusions)
        with connection.cursor() as cursor:
            where, params = self._where(query, match, exclude, skip_facet=None)
            cursor.execute(f"SELECT COUNT(*) FROM {DOC} d WHERE {where}", params)
            count = cursor.fetchone()[0]
            if compiled.count_only:
                return SearchResults(count=count, hits=[], backend=self.name)
            rows = []
            if count and query.offset < count:
                rows = self._page(cursor, compiled, parts, where, params)
            facets = self._facets(cursor, query, match, exclude)
        language = get_language() or "pl"
        hits = [self._hit(row, language) for row in rows]
        return SearchResults(count=count, hits=hits, facets=facets, backend=self.name)

    def _parts(self, compiled: CompiledQuery, weights: str = "") -> list:
        """One tsquery per required word (its exact form or any lemma) or phrase."""
        parts = [_or(t.forms, weights) for t in compiled.words]
        for phrase in compiled.phrases:
            parts.append("(" + " <-> ".join(_or(t.forms, weights) for t in phrase) + ")")
        return parts

    def _where(
        self, query: SearchQuery, match: str, exclude: str, skip_facet: str | None
    ) -> tuple[str, list]:
        clauses, params = ["TRUE"], []
        if match:
            clauses.append("d.tsv @@ %s::tsquery")
            params.append(match)
        if exclude:
            clauses.append("NOT d.tsv @@ %s::tsquery")
            params.append(exclude)
        for facet in FACETS:
            values = query.filter_values(facet)
            if facet == skip_facet or not values:
                continue
            clauses.append(
                f"d.item_id IN (SELECT item_id FROM {FACET} WHERE facet = %s AND value = ANY(%s))"
            )
            params += [facet, list(values)]
        if query.date_from is not None or query.date_to is not None:
            clauses.append("(d.date_start IS NOT NULL OR d.date_end IS NOT NULL)")
            if query.date_from is not None:
                clauses.append("(d.date_end IS NULL OR d.date_end >= %s)")
                params.append(query.date_from)
            if query.date_to is not None:
                clauses.append("(d.date_start IS NULL OR d.date_start <= %s)")
                params.append(query.date_to)
        return " AND ".join(clauses), params

    def _page(self, cursor, compiled: CompiledQuery, parts, where, params) -> list:
        query = compiled.query
        sort = query.effective_sort
        if sort == "relevance" and parts:
            # How many query words the title holds comes first (ts_rank_cd alone lets a
            # long description that repeats a word outrank the item named by it), then
            # cover density over the weights, plus a bonus when the exact forms match.
            title_parts = self._parts(compiled, weights="A")
            in_title = " + ".join("(d.tsv @@ %s::tsquery)::int" for _ in title_parts)
            exact = " & ".join(
                [_or([t.exact]) for t in compiled.words]
                + ["(" + " <-> ".join(_or([t.exact]) for t in p) + ")" for p in compiled.phrases]
            )
            order = (
                f"({in_title}) DESC, ts_rank_cd('{RANK_WEIGHTS}', d.tsv, %s::tsquery) "
                f"+ ts_rank_cd('{RANK_WEIGHTS}', d.tsv, %s::tsquery) DESC, "
                'd.title_sort COLLATE "C", d.identifier'
            )
            order_params = [*title_parts, " & ".join(parts), exact]
        else:
            order = {
                "date": 'd.date_start IS NULL, d.date_start, d.date_end, d.title_sort COLLATE "C"',
                "-date": "d.date_start IS NULL, d.date_start DESC, d.date_end DESC, "
                'd.title_sort COLLATE "C"',
            }.get(sort, 'd.title_sort COLLATE "C", d.identifier')
            order_params = []
        highlight = self._highlight_query(cursor, compiled)
        english = (get_language() or "pl").startswith("en")
        texts = ", ".join(f"p.data->>'{name}'" for name in snippet_fields(english))
        # The page is chosen first (ids in order); ts_headline then runs on its rows only.
        cursor.execute(
            f"SELECT p.item_id, p.identifier, p.data, "
            f"(SELECT ts_headline('{CONFIG}', t, %s::tsquery, %s) "
            f" FROM unnest(ARRAY[{texts}])"
            f"  WITH ORDINALITY AS u(t, n) WHERE t <> '' "
            f" ORDER BY to_tsvector('{CONFIG}', t) @@ %s::tsquery DESC, n LIMIT 1) "
            f"FROM unnest(ARRAY(SELECT d.item_id FROM {DOC} d WHERE {where} "
            f"  ORDER BY {order} LIMIT %s OFFSET %s)) WITH ORDINALITY AS page(item_id, n) "
            f"JOIN {DOC} p ON p.item_id = page.item_id ORDER BY page.n",
            [
                highlight,
                HEADLINE_OPTIONS,
                highlight,
                *params,
                *order_params,
                query.page_size,
                query.offset,
            ],
        )
        return cursor.fetchall()

    def _highlight_query(self, cursor, compiled: CompiledQuery) -> str:
        """Every indexed form of the query words (`kościół` marks *kościoła*, *kościele*)."""
        if not compiled.has_text:
            return ""
        terms = set(compiled.highlight_exact)
        wanted = sorted(compiled.highlight_lemmas)
        cursor.execute(
            f"SELECT DISTINCT term FROM {TERM} WHERE lemma = ANY(%s) LIMIT %s",
            [wanted, MAX_HIGHLIGHT_TERMS],
        )
        terms |= {row[0] for row in cursor.fetchall()}
        terms |= set(wanted)
        return _or(sorted(terms))

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
            cursor.execute(
                f"SELECT x.facet, x.value, MAX(x.label), MAX(x.label_en), COUNT(*) "
                f"FROM {FACET} x WHERE x.facet = ANY(%s) AND x.item_id IN "
                f"(SELECT d.item_id FROM {DOC} d WHERE {where}) GROUP BY x.facet, x.value",
                [facets, *params],
            )
            for facet, value, label, label_en, count in cursor.fetchall():
                counted[facet].append((value, label, label_en, count))
        result = {}
        for facet, rows in counted.items():
            rows.sort(key=lambda r: (-r[3], r[0]))
            result[facet] = [
                FacetCount(
                    value=value,
                    label=facet_label(facet, FacetValue(value, label, label_en), value, language),
                    count=count,
                )
                for value, label, label_en, count in rows[:FACET_SIZE]
            ]
        return result

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
        # two letters still qualifies), judged by the same edit ratio as on SQLite.
        cursor.execute(
            f"SELECT term, 0 FROM {TERM} WHERE term %% %s "
            f"GROUP BY term ORDER BY MAX(similarity(term, %s)) DESC, term LIMIT %s",
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
