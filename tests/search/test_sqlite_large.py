"""SQLite search at 1,000,000 items: match bitmaps built in C, groups ranked on demand.

What a user sees must not depend on which of the per-process caches answered: the
ranking of a group remembered by an earlier request (another filter, another page) is
the same as a fresh process's; the facet counts read from the bitmaps are the database's.
"""

import random

import pytest

from search.backends import idsets
from search.documents import FacetValue, SearchDocument
from search.query import SearchQuery


def _ids_to_bitmap(ids):
    bits = 0
    for i in ids:
        bits |= 1 << i
    return bits


def test_bitmaps_from_sqlite_id_lists_and_back():
    ids = [0, 3, 7, 8, 63, 64, 65, 1000]
    bits = idsets.bitmap_from_csv(",".join(map(str, ids)))
    assert bits == _ids_to_bitmap(ids)
    assert idsets.ids_of(bits).tolist() == ids
    flags = idsets.flags_of(bits, 2000)
    assert len(flags) >= 2000 and flags.sum() == len(ids) and flags[1000] and not flags[999]
    assert idsets.byte_flags(bits) == bytes(1 if i in ids else 0 for i in range(1001))
    assert idsets.bitmap_from_csv(None) == idsets.bitmap_from_csv("") == 0
    assert idsets.ids_of(0).tolist() == []


def test_levels_count_in_how_many_sets_each_item_is():
    rng = random.Random(7)
    universe = set(range(0, 300, 2))
    parts = [set(rng.sample(range(300), 120)) for _ in range(4)]
    levels = idsets.levels([_ids_to_bitmap(p) for p in parts], _ids_to_bitmap(universe))
    for k, level in enumerate(levels):
        expected = {i for i in universe if sum(i in p for p in parts) == k}
        assert idsets.ids_of(level).tolist() == sorted(expected)
    assert idsets.levels([], _ids_to_bitmap(universe)) == [_ids_to_bitmap(universe)]


def _doc(pk, title, description, item_type, place):
    return SearchDocument(
        id=pk,
        identifier=f"L-{pk:03d}",
        title=title,
        description=description,
        item_type=item_type,
        facets={
            "item_type": [FacetValue(item_type, item_type)],
            "place": [FacetValue(place, place.title())],
        },
    )


def _catalogue():
    rng = random.Random(12)
    words = ["kościół", "kościoła", "rynek", "młyn", "szkoła", "pomnik", "stary", "drewniany"]
    docs = []
    for pk in range(1, 161):
        title = " ".join(rng.choice(words) for _ in range(rng.randint(1, 3))).capitalize()
        body = " ".join(rng.choice([*words, "dom", "droga", "las"]) for _ in range(pk % 13 + 3))
        docs.append(
            _doc(pk, title, body, rng.choice(["photograph", "map", "document"]), f"p{pk % 5}")
        )
    return docs


def _page(backend, text, **params):
    found = backend.search(SearchQuery.from_params({"q": text, **params}))
    return found.count, [h.identifier for h in found.hits]


@pytest.mark.sqlite
@pytest.mark.parametrize("text", ["kościół", "kościół rynek", "stary drewniany młyn"])
def test_sqlite_remembered_rankings_agree_with_a_fresh_process(db, monkeypatch, text):
    """A group ranked whole for one filter is only filtered for the next one; a group
    ranked for one subset only (much larger than it) is not reused for another: either
    way each answer is the one a process with empty caches gives."""
    from search.backends import sqlite
    from search.backends.sqlite import SQLiteSearchBackend, clear_query_caches

    backend = SQLiteSearchBackend()
    backend.rebuild(_catalogue())
    requests = [
        {},
        {"item_type": "map"},
        {"item_type": "photograph", "page_size": "7", "page": "2"},
        {"place": "p1"},
        {"page_size": "50", "page": "2"},
        {"item_type": "document", "place": "p3"},
    ]
    fresh = []
    for params in requests:
        clear_query_caches()
        fresh.append(_page(backend, text, **params))
    assert any(ids for _count, ids in fresh)
    for whole in (10_000, 1):  # every group ranked whole / only the filtered subset
        monkeypatch.setattr(sqlite, "WHOLE_GROUP_IDS", whole)
        clear_query_caches()
        for _round in range(2):
            assert [_page(backend, text, **params) for params in requests] == fresh


@pytest.mark.sqlite
def test_sqlite_bitmap_match_finds_what_the_scoring_match_finds(db):
    """The cheaper MATCH for the set of matches (one phrase over every column when a
    word's only lemma is itself) finds exactly the rows the scoring MATCH does."""
    from django.db import connection

    from search.backends.sqlite import SQLiteSearchBackend
    from search.compiler import compile_query

    backend = SQLiteSearchBackend()
    backend.rebuild(_catalogue())
    for text in ["kościół", "kościoła", "rynek młyn", '"stary kościół"', "drewniany"]:
        compiled = compile_query(SearchQuery.from_params({"q": text}))
        found = []
        for as_set in (False, True):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT rowid FROM search_sqlite_fts WHERE search_sqlite_fts MATCH %s "
                    "ORDER BY rowid",
                    [backend._match(compiled, as_set=as_set)],
                )
                found.append([row[0] for row in cursor.fetchall()])
        assert found[0] == found[1] and found[0], text


@pytest.mark.sqlite
def test_sqlite_facet_bitmaps_count_what_the_database_holds(db, monkeypatch):
    """Facet bitmaps are read a range of items at a time (here a few items per range):
    every count equals the count of the stored item ↔ value pairs."""
    from django.db import connection

    from search.backends import sqlite
    from search.backends.sqlite import SQLiteSearchBackend, facet_bitmaps

    monkeypatch.setattr(sqlite, "LOAD_BATCH_FLAGS", 64)
    backend = SQLiteSearchBackend()
    backend.rebuild(_catalogue())
    found = backend.search(SearchQuery.from_params({"q": ""}))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.facet, v.value, COUNT(*) FROM search_sqlite_item_value iv "
            "JOIN search_sqlite_value v ON v.id = iv.value_id GROUP BY v.facet, v.value"
        )
        stored = {(facet, value): n for facet, value, n in cursor.fetchall()}
        assert facet_bitmaps(cursor).all.bit_count() == 160
    shown = {(f, v.value): v.count for f, values in found.facets.items() for v in values}
    assert shown == stored
