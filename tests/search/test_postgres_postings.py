"""PostgreSQL: the stored ids of common lexemes (`search_pg_posting`, written by a
rebuild) find exactly what the GIN index finds, before and after incremental writes.

Needs a PostgreSQL test database: run with DATABASE_URL=postgres://… and `-m postgres`.
"""

# Table names are module constants; values are bound parameters.
# ruff: noqa: S608

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.backends import postgres
from search.backends.postgres import DIRTY, POSTING, clear_query_caches
from tests.search.test_postgres_backend import _typed, find, pg  # noqa: F401

pytestmark = pytest.mark.postgres

WORDS = ["młyn", "rzeka", "kościół", "szkoła", "dwór", "kapliczka"]
QUERIES = ["młyn", "młynów", "kosciol", "młyn rzeka", "młyn -rzeka", "szkoła dwór -młyn",
           "kapliczka", "kapliczka młyn", "wiatrak", "młyn wiatrak"]  # fmt: skip


def _catalogue(n=90):
    docs = []
    for k in range(1, n + 1):
        title = " ".join(WORDS[j] for j in range(len(WORDS)) if k % (j + 2) == 0) or "Obiekt"
        description = " ".join(WORDS[j] for j in range(len(WORDS)) if k % (j + 3) == 1)
        if k == 7:
            description += " wiatrak"  # a rare word: read from the GIN index
        docs.append(_typed(k, f"{title} {k}", "document" if k % 2 else "map", description))
    return docs


def _answers(**params):
    """Every query's first 100 hits, and its first 10 and next 10 (the title tier's
    candidates cut at TIER_CANDIDATES, made small here), asked afresh."""
    clear_query_caches()
    answers = {}
    for q in QUERIES:
        answers[q] = [h.identifier for h in find(q, page_size="100", **params).hits]
        for page in ("1", "2"):
            hits = find(q, page_size="10", page=page, **params).hits
            answers[(q, page)] = [h.identifier for h in hits]
    return answers


def _gin_answers(monkeypatch, **params):
    """The same questions answered without the stored ids (the GIN path)."""
    with monkeypatch.context() as m:
        m.setattr(postgres, "DIRTY_MAX", -1)
        return _answers(**params)


def _matching_statements(captured):
    return [
        q["sql"] for q in captured if "array_agg(d.item_id)" in q["sql"] and "d.tsv @@" in q["sql"]
    ]


@pytest.fixture
def stored(pg, monkeypatch):  # noqa: F811
    monkeypatch.setattr(postgres, "TIER_CANDIDATES", 5)
    monkeypatch.setattr(postgres, "POSTING_MIN", 5)
    monkeypatch.setattr(postgres, "POSTING_SHARE", 0.0)
    assert pg.rebuild(iter(_catalogue())) == 90
    return pg


def test_a_rebuild_stores_the_ids_of_common_lexemes_only(stored):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT field, lexeme, length(ids) / 4 FROM {POSTING}")
        rows = {(f, lexeme): n for f, lexeme, n in cursor.fetchall()}
        cursor.execute(f"SELECT count(*) FROM {DIRTY}")
        assert cursor.fetchone()[0] == 0
    assert rows[("a", "mlyn")] == find("młyn").count
    assert ("a", "wiatrak") not in rows  # in one item: below POSTING_MIN
    assert ("t", "mlyn") in rows and ("t", "rzeka") in rows
    assert rows[("o", "")] == 90  # every item, in the title tier's order


def test_stored_ids_find_what_the_gin_index_finds(stored, monkeypatch):
    with CaptureQueriesContext(connection) as captured:
        answers = _answers()
    assert answers == _gin_answers(monkeypatch)
    assert len(answers["młyn"]) > 30 and answers["młyn wiatrak"][0] == "PG-7"
    # Common words never list their matches (or their title tier) from the GIN index;
    # rare ones do.
    tiers = " ".join(q["sql"] for q in captured if "array_agg(d.item_id ORDER BY" in q["sql"])
    asked = " ".join(_matching_statements(captured))
    assert "''wiatrak''" in asked and "''wiatrak''" in tiers
    common = ("mlyn", "rzeka", "kosciol", "szkola")
    assert not any(f"''{lexeme}''" in asked + tiers for lexeme in common)
    assert _answers(item_type="map") == _gin_answers(monkeypatch, item_type="map")


def test_stored_ids_follow_writes_and_deletes_since_the_rebuild(stored, monkeypatch):
    before = find("młyn").count
    # Item 2 loses the word (title "młyn 2" → "Dom 2"), item 500 is new with it, item 6
    # (which has it) is withdrawn: deleted from the index.
    assert "PG-2" in _answers()["młyn"] and "PG-6" in _answers()["młyn"]
    stored.index([_typed(2, "Dom 2", "document", "rzeka"), _typed(500, "Młyn 500", "map")])
    stored.delete([6])
    answers = _answers()
    assert "PG-2" not in answers["młyn"] and "PG-6" not in answers["młyn"]
    assert "PG-500" in answers["młyn"] and "PG-500" in answers["młyn -rzeka"]
    assert find("młyn").count == before - 1
    assert answers == _gin_answers(monkeypatch)
    assert _answers(item_type="map") == _gin_answers(monkeypatch, item_type="map")
