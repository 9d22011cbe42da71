"""SQLite: a query's first request without FTS5's per-row bm25 or a pass over the
documents per date condition.

bm25 over many rows is computed with numpy from the terms' instances (`sqlite.Bm25`):
it must give FTS5's own scores to the last bit, after a rebuild and after incremental
writes and deletes, so the pages are the ones FTS5's scoring gives. A date condition is
evaluated over the items' years held in memory (`DateCondition.holds`): it must select
exactly what its SQL (`DateCondition.sql`, PostgreSQL's and formerly SQLite's) selects.
"""

import itertools
import random

import numpy as np
import pytest

from search.documents import FacetValue, SearchDocument
from search.query import DateCondition, SearchQuery

WORDS = [
    "kościół", "kościoła", "kościele", "rynek", "rynku", "młyn", "młyna", "szkoła",
    "pomnik", "stary", "starego", "drewniany", "pożar", "miasta", "straż", "pożarna",
]  # fmt: skip
TEXTS = [
    "kościół", "kościoła w rynku", "stary drewniany młyn", "straż pożarna", "pożar miasta",
    "szkoła", "pomnik rynek", "starego młyna", "kościele pomnik stary",
]  # fmt: skip


def _doc(pk: int, rng: random.Random) -> SearchDocument:
    def text(n: int) -> str:
        return " ".join(rng.choice([*WORDS, "dom", "droga", "las", "łąka"]) for _ in range(n))

    start = rng.choice([None, 1850, 1900, 1939, 1945, 1970])
    return SearchDocument(
        id=pk,
        identifier=f"B-{pk:04d}",
        title=text(rng.randint(1, 4)).capitalize(),
        description=text(rng.randint(0, 40)),
        subjects=[text(1)] if rng.random() < 0.5 else [],
        places=[rng.choice(["Mszczonów", "Osuchów", "Grzegorzewice"])],
        captions=[text(rng.randint(1, 6))] if rng.random() < 0.3 else [],
        memories=[text(rng.randint(3, 20))] if rng.random() < 0.2 else [],
        date_start=start,
        date_end=None if start is None or rng.random() < 0.2 else start + rng.randint(0, 30),
        item_type=rng.choice(["photograph", "map", "document"]),
        facets={"item_type": [FacetValue(rng.choice(["photograph", "map"]), "x")]},
    )


def _catalogue(n: int = 400, seed: int = 5) -> list[SearchDocument]:
    rng = random.Random(seed)
    return [_doc(pk, rng) for pk in range(1, n + 1)]


def _fts5_and_numpy_scores(backend, text: str):
    from django.db import connection

    from search.backends.sqlite import facet_bitmaps
    from search.compiler import compile_query

    compiled = compile_query(SearchQuery.from_params({"q": text}))
    phrases = backend._scored_phrases(compiled)
    assert phrases, text
    with connection.cursor() as cursor:
        bits = facet_bitmaps(cursor)
        matched = bits.match(cursor, backend._match(compiled, as_set=True))
        ids, fts5 = bits._fts5_bm25(cursor, backend._match(compiled), matched, matched)
        numpy_scores = bits.bm25(cursor).scores(cursor, phrases, ids)
    return ids, fts5, numpy_scores


@pytest.mark.sqlite
def test_numpy_bm25_is_fts5s_bm25_to_the_last_bit(db):
    from search.backends.sqlite import SQLiteSearchBackend

    backend = SQLiteSearchBackend()
    docs = _catalogue()
    backend.rebuild(docs)
    for text in TEXTS:
        ids, fts5, numpy_scores = _fts5_and_numpy_scores(backend, text)
        assert len(ids) > 3, text
        assert np.array_equal(fts5, numpy_scores), text
    # Incremental writes and deletes (the outbox, an admin save) change rows, lengths,
    # the number of rows and the terms' instances: the scores still agree.
    rng = random.Random(9)
    backend.index([_doc(pk, rng) for pk in range(1, 60)] + [_doc(900 + k, rng) for k in range(9)])
    backend.delete(list(range(100, 140)))
    for text in TEXTS:
        ids, fts5, numpy_scores = _fts5_and_numpy_scores(backend, text)
        assert not set(ids.tolist()) & set(range(100, 140)), text
        assert np.array_equal(fts5, numpy_scores), text


@pytest.mark.sqlite
def test_pages_scored_by_numpy_are_the_pages_fts5_scores(db, monkeypatch):
    """Every page of every query, with and without filters, is the same whichever
    computes bm25 (numpy for every group / FTS5 for every group)."""
    from search.backends import sqlite
    from search.backends.sqlite import SQLiteSearchBackend, clear_query_caches

    backend = SQLiteSearchBackend()
    backend.rebuild(_catalogue())
    requests = [{}, {"item_type": "map"}, {"page_size": "7", "page": "3"}, {"place": "Osuchów"}]
    pages = {}
    for per_term in (10**9, 0):  # FTS5 always / numpy always
        monkeypatch.setattr(sqlite, "NUMPY_BM25_ROWS", per_term)
        found = []
        for text, params in itertools.product([*TEXTS, "pożar 1939", "rynek -młyn"], requests):
            clear_query_caches()
            result = backend.search(SearchQuery.from_params({"q": text, **params}))
            found.append((result.count, [h.identifier for h in result.hits]))
        pages[per_term] = found
    assert pages[0] == pages[10**9]
    assert sum(bool(ids) for _count, ids in pages[0]) > 20


@pytest.mark.sqlite
def test_a_phrase_of_several_words_is_left_to_fts5(db):
    from search.backends.sqlite import SQLiteSearchBackend
    from search.compiler import compile_query

    backend = SQLiteSearchBackend()
    compiled = compile_query(SearchQuery.from_params({"q": '"stary młyn" rynek'}))
    assert backend._scored_phrases(compiled) == ()
    compiled = compile_query(SearchQuery.from_params({"q": "stary rynek"}))
    assert [t for t, _c in backend._scored_phrases(compiled)][:1] == ["stary"]


CONDITIONS = [
    DateCondition(kind, start, end, negated)
    for kind in ("within", "overlap")
    for start, end in [(1900, 1950), (None, 1939), (1939, None), (1945, 1945), (None, None)]
    for negated in (False, True)
    if kind == "overlap" or (start, end) != (None, None)  # "within" bounds an end at least
]


@pytest.mark.sqlite
def test_date_conditions_in_memory_select_what_their_sql_selects(db):
    """Every kind of condition, open ends and negation included, over items with both
    years, one of them, or none."""
    from django.db import connection

    years = [(s, e) for s in (None, 1890, 1900, 1939, 1950, 1960) for e in (None, 1900, 1945, 1970)]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE years (id INTEGER, date_start INTEGER, date_end INTEGER)")
        cursor.executemany(
            "INSERT INTO years VALUES (%s, %s, %s)", [(i, *y) for i, y in enumerate(years)]
        )
        start = np.array([np.nan if s is None else s for s, _e in years], dtype=float)
        end = np.array([np.nan if e is None else e for _s, e in years], dtype=float)
        for condition in CONDITIONS:
            clause, params = condition.sql()
            cursor.execute(f"SELECT id FROM years WHERE {clause} ORDER BY id", params)  # noqa: S608
            expected = [row[0] for row in cursor.fetchall()]
            assert np.flatnonzero(condition.holds(start, end)).tolist() == expected, condition
        cursor.execute("DROP TABLE years")


@pytest.mark.sqlite
def test_date_queries_and_year_filters_find_the_dated_items(db):
    """Year filters and a date in the words on the SQLite engine: each result's years
    meet the filter, and the items the filter finds are those the documents' years say."""
    from search.backends.sqlite import SQLiteSearchBackend

    backend = SQLiteSearchBackend()
    docs = _catalogue()
    backend.rebuild(docs)
    found = backend.search(
        SearchQuery.from_params(
            {"q": "", "date_from": "1930", "date_to": "1940", "page_size": "100"}
        )
    )
    expected = {
        d.identifier
        for d in docs
        if (d.date_start is not None or d.date_end is not None)
        and (d.date_end is None or d.date_end >= 1930)
        and (d.date_start is None or d.date_start <= 1940)
    }
    assert found.count == len(expected) > 0
    assert {h.identifier for h in found.hits} == expected
    tiered = backend.search(SearchQuery.from_params({"q": "pożar 1939", "page_size": "5"}))
    first = next(d for d in docs if d.identifier == tiered.hits[0].identifier)
    assert first.date_start is not None and first.date_start <= 1939 + 10


def _varint(value: int) -> bytes:
    """SQLite's varint (below 2**56): 7 bits a byte, most significant first."""
    groups = [value & 0x7F]
    value >>= 7
    while value:
        groups.append((value & 0x7F) | 0x80)
        value >>= 7
    return bytes(reversed(groups))


def test_row_lengths_decode_sqlite_varints_of_every_width():
    from search.backends.sqlite import _varint_sums

    rng = random.Random(3)
    rows = [
        [rng.choice([0, 1, 127, 128, 300, 16383, 16384, 2**21 + 5]) for _ in range(8)]
        for _ in range(50)
    ]
    raw = b"".join(_varint(v) for row in rows for v in row)
    assert _varint_sums(raw, 50, 8).tolist() == [sum(row) for row in rows]
    assert _varint_sums(raw, 49, 8) is None  # not what FTS5 writes: left to FTS5
    assert _varint_sums(raw[:-1], 50, 8) is None
