"""What only the PostgreSQL backend does: its schema, tsvector weights, unaccent in
headlines, pg_trgm corrections, bulk writes and a rebuild readers never see half-done.

Needs a PostgreSQL test database: run with DATABASE_URL=postgres://… and `-m postgres`
(make test-services does). Without it every test here fails and says so.
"""

# Table names are module constants; values are bound parameters.
# ruff: noqa: S608

import re

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from search import names
from search.backends import base, search, suggest
from search.backends.postgres import DOC, TERM, TIER_CANDIDATES, VALUE, clear_query_caches
from search.documents import FacetValue, SearchDocument
from search.outbox import drain
from search.query import SearchQuery
from tests.factories import ItemFactory, PlaceFactory

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(settings, db):
    if connection.vendor != "postgresql":
        pytest.fail(
            "The postgres backend tests need a PostgreSQL test database: run pytest with "
            "DATABASE_URL=postgres://… (make test-services does)."
        )
    settings.SEARCH_BACKEND = "postgres"
    base._load.cache_clear()
    backend = base.get_backend()
    backend.clear()
    yield backend
    base._load.cache_clear()


def find(text="", **params):
    return search(SearchQuery.from_params({"q": text, **params}))


def document(pk, title, description="", **fields):
    return SearchDocument(
        id=pk,
        identifier=f"PG-{pk}",
        title=title,
        description=description,
        item_type="document",
        facets={"item_type": [FacetValue("document", "document")]},
        **fields,
    )


def test_schema_has_a_weighted_tsvector_under_gin_and_both_extensions(pg):
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        assert {"unaccent", "pg_trgm"} <= {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = %s AND column_name = 'tsv'",
            [DOC],
        )
        assert cursor.fetchone() == ("tsvector",)
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename IN (%s, %s)", [DOC, TERM])
        indexes = " ".join(row[0] for row in cursor.fetchall())
        assert "USING gin (tsv)" in indexes
        assert "gin_trgm_ops" in indexes
        cursor.execute("SELECT cfgname FROM pg_ts_config WHERE cfgname = 'kronika_search'")
        assert cursor.fetchone()


def test_fields_get_weights_a_to_d_and_lemmas_share_positions(pg):
    pg.index(
        [
            document(
                1,
                "Kościoła wieża",
                "Opis parafii",
                subjects=["Zabytki"],
                alt_texts=["Widok z rynku"],
            )
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tsv::text FROM {DOC} WHERE item_id = 1")
        tsv = cursor.fetchone()[0]
    assert "'kosciola':1A" in tsv and "'kosciol':1A" in tsv  # exact form and lemma
    assert "'zabytki':" in tsv and "B" in tsv.split("'zabytki':")[1].split()[0]
    assert "C" in tsv.split("'opis':")[1].split()[0]
    assert re.search(r"'rynku':\d+( |$)", tsv)  # weight D, PostgreSQL's default, unprinted


def test_bulk_index_writes_every_chunk(pg):
    written = pg.index(document(n, f"Kapliczka numer {n}") for n in range(1, 1202))
    assert written == 1201 and pg.document_count() == 1201
    assert find("kapliczka").count == 1201
    assert find("kapliczki", page="61").hits[0].title == "Kapliczka numer 999"


def test_headline_marks_words_typed_without_diacritics_and_escapes_the_rest(pg):
    pg.index([document(1, "Rynek", "Widok: 5 < 6 & wieża kościoła <b>stara</b> przy rynku.")])
    hit = find("kosciola").hits[0]
    assert "<mark>kościoła</mark>" in hit.snippet  # unaccent in ts_headline
    assert "5 &lt; 6 &amp; wieża" in hit.snippet and "<b>" not in hit.snippet
    # Another form of the same lemma is marked too, found through the vocabulary.
    assert "<mark>kościoła</mark>" in find("kościół").hits[0].snippet


def test_long_text_headline_is_an_excerpt_with_ellipses(pg):
    words = " ".join(f"słowo{n}" for n in range(200))
    pg.index([document(1, "Kronika", f"{words} pożar kościoła {words}")])
    snippet = find("pożar").hits[0].snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>pożar</mark>" in snippet and len(snippet) < 600


def test_trigram_similarity_corrects_a_typo_to_the_word_as_written(pg):
    pg.index([document(1, "Kirkut", "Macewy przy ulicy Tarczyńskiej.")])
    results = find("tarczyskiej")
    assert results.corrected and results.did_you_mean == "tarczyńskiej"
    assert [h.identifier for h in results.hits] == ["PG-1"]
    assert find("zzzzqqq").count == 0  # nothing similar: no correction, no error


def test_tsquery_operators_typed_by_a_visitor_are_plain_text(pg):
    pg.index([document(1, "Młyn wodny", "Młyn nad Pisią")])
    for text in ["młyn & !wodny", "młyn | x", "młyn:*", "<-> młyn", "'młyn'", "\\", "!!"]:
        results = find(text)
        assert results.count in (0, 1)
    assert find("młyn & !wodny").count == 1  # "&" and "!" are not operators
    assert suggest("młyn:*") == suggest("młyn")


def test_suggest_matches_titles_and_names_not_descriptions(pg):
    pg.index(
        [
            document(1, "Młyn wodny", places=["Mszczonów"]),
            document(2, "Pocztówka", "Widok młyna od strony Mszczonowa"),
        ]
    )
    assert [s.identifier for s in suggest("mszcz")] == ["PG-1"]
    assert [s.identifier for s in suggest("mły")] == ["PG-1"]


def test_facets_ignore_their_own_filter(pg):
    mszczonow = PlaceFactory(name="Mszczonów", slug="mszczonow")
    for n in range(3):
        ItemFactory(title=f"Kamienica {n}", item_type="photograph").places.set([mszczonow])
    ItemFactory(title="Kamienica na rogu", item_type="document")
    drain()
    results = find("kamienica", item_type="document")
    assert results.count == 1
    counts = {f.value: f.count for f in results.facets["item_type"]}
    assert counts == {"photograph": 3, "document": 1}  # its own filter is ignored
    assert {f.value: f.count for f in results.facets["place"]} == {}


@pytest.mark.django_db(transaction=True)
def test_rebuild_is_invisible_to_other_connections_until_it_commits(settings):
    if connection.vendor != "postgresql":
        pytest.fail("The postgres backend tests need DATABASE_URL=postgres://….")
    settings.SEARCH_BACKEND = "postgres"
    base._load.cache_clear()
    backend = base.get_backend()
    backend.clear()
    backend.index([document(1, "Stary indeks"), document(2, "Stary indeks drugi")])
    other = connections.create_connection("default")
    seen_during_rebuild = []

    def stream():
        for n in range(10, 15):
            yield document(n, f"Nowy indeks {n}")
        with other.cursor() as cursor:
            cursor.execute(f"SELECT identifier FROM {DOC} ORDER BY item_id")
            seen_during_rebuild.extend(row[0] for row in cursor.fetchall())

    try:
        assert backend.rebuild(stream()) == 5
        assert seen_during_rebuild == ["PG-1", "PG-2"]  # the old index, whole
        assert find("stary").count == 0 and find("nowy").count == 5
    finally:
        other.close()
        backend.clear()
        base._load.cache_clear()


def test_api_answers_from_postgres_with_the_contract_shape(client, pg):
    ItemFactory(identifier="MOK-1", title="Kościół w Mszczonowie", description="Stary kościół.")
    drain()
    body = client.get("/api/v1/search/", {"q": "kosciola"}).json()
    assert body["backend"] == "postgres" and body["degraded"] is False
    assert body["results"][0]["identifier"] == "MOK-1"
    assert "<mark>" in body["results"][0]["snippet"]
    health = client.get("/healthz").json()
    assert health["search"] == {"backend": "postgres", "reachable": True}


def test_rebuild_swaps_in_a_complete_table_with_every_index(pg):
    old_map = SearchDocument(
        id=2,
        identifier="PG-2",
        title="Mapa",
        item_type="map",
        facets={"item_type": [FacetValue("map", "map")]},
    )
    pg.index([document(1, "Stary młyn"), old_map])
    pg.rebuild(
        [
            document(3, "Młyn wodny", "Nad rzeką"),
            SearchDocument(
                id=4,
                identifier="PG-4",
                title="Młyn parowy",
                item_type="photograph",
                facets={"item_type": [FacetValue("photograph", "photograph")]},
            ),
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE 'search_pg_%%'")
        assert not [t for (t,) in cursor.fetchall() if t.endswith("_build")]
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [DOC])
        indexes = dict(cursor.fetchall())
        cursor.execute(f"SELECT facet, value FROM {VALUE} ORDER BY facet, value")
        values = cursor.fetchall()
    assert {f"{DOC}_pkey", f"{DOC}_tsv", f"{DOC}_facets", f"{DOC}_title_tsv"} <= set(indexes)
    assert "USING gin (facet_ids)" in indexes[f"{DOC}_facets"]
    assert values == [("item_type", "document"), ("item_type", "photograph")]  # no "map"
    assert find("stary").count == 0
    results = find("młyn", item_type="photograph")
    assert [h.identifier for h in results.hits] == ["PG-4"]
    assert {f.value: f.count for f in results.facets["item_type"]} == {
        "document": 1,
        "photograph": 1,
    }


def test_title_tier_comes_first_and_pages_continue_into_the_other_matches(pg):
    titled = [document(n, f"Kapliczka {n}") for n in range(1, 4)]
    mentioned = [document(n, f"Obiekt {n}", "Obok stoi kapliczka.") for n in range(10, 30)]
    pg.index(titled + mentioned)
    first = find("kapliczka", page_size="5")
    assert first.count == 23
    assert {h.identifier for h in first.hits[:3]} == {"PG-1", "PG-2", "PG-3"}
    seen = []
    for page in range(1, 6):
        seen += [h.identifier for h in find("kapliczka", page_size="5", page=str(page)).hits]
    assert len(seen) == len(set(seen)) == 23  # every match once, across the tier's edge
    assert find("kapliczka", page_size="2").hits[0].identifier in {"PG-1", "PG-2", "PG-3"}


def _sql_counts(where: str, params: list) -> tuple[int, dict[str, int]]:
    """The count and the item_type counts straight from the table, by SQL."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {DOC} d WHERE {where}", params)
        count = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT x.value, COUNT(*) FROM {DOC} d JOIN {VALUE} x ON x.id = ANY(d.facet_ids) "
            f"WHERE x.facet = 'item_type' AND {where} GROUP BY x.value",
            params,
        )
        return count, dict(cursor.fetchall())


def test_count_and_facets_equal_exact_sql_counts_over_a_large_match_set(pg):
    kinds = ["photograph", "document", "map", "artifact", "recording"]
    pg.index(
        [
            SearchDocument(
                id=n,
                identifier=f"PG-{n}",
                title=f"Obiekt {n}",
                description="Stary młyn nad rzeką." if n % 3 else "Nowa szkoła.",
                item_type=kinds[n % 5 if n % 7 else 0],
                facets={"item_type": [FacetValue(kinds[n % 5 if n % 7 else 0], "")]},
            )
            for n in range(1, 1201)
        ]
    )
    match = "d.tsv @@ '''mlyn'''::tsquery"
    count, by_type = _sql_counts(match, [])
    results = find("młyn")
    assert results.count == count == 800
    assert {f.value: f.count for f in results.facets["item_type"]} == by_type
    filtered = find("młyn", item_type=["map", "photograph"])
    narrowed, _ = _sql_counts(
        match + f" AND d.facet_ids && ARRAY(SELECT id FROM {VALUE} "
        "WHERE facet = 'item_type' AND value IN ('map', 'photograph'))",
        [],
    )
    assert filtered.count == narrowed
    # A facet ignores its own filter: the same counts as without it.
    assert {f.value: f.count for f in filtered.facets["item_type"]} == by_type


def test_counts_follow_every_index_change_at_once(pg):
    pg.index([document(1, "Młyn wodny"), document(2, "Młyn parowy")])
    assert find("młyn").count == 2  # this process now holds the facet bitmaps
    pg.index(
        [
            SearchDocument(
                id=3,
                identifier="PG-3",
                title="Młyn na mapie",
                item_type="map",
                facets={"item_type": [FacetValue("map", "map")]},
            )
        ]
    )
    results = find("młyn")
    assert results.count == 3
    assert {f.value: f.count for f in results.facets["item_type"]} == {"document": 2, "map": 1}
    assert [h.identifier for h in find("młyn", item_type="map").hits] == ["PG-3"]
    pg.delete([1])
    results = find("młyn")
    assert results.count == 2
    assert {f.value: f.count for f in results.facets["item_type"]} == {"document": 1, "map": 1}
    pg.clear()
    assert find("").count == 0


def test_rebuild_in_worker_processes_writes_what_one_process_writes(pg, monkeypatch):
    # Analysis re-checks the proper-name vocabulary in the database: every time here, so
    # the workers query it (through their own connections, never the parent's).
    monkeypatch.setattr(names, "RECHECK_SECONDS", 0.0)
    docs = [
        SearchDocument(
            id=n,
            identifier=f"PG-{n}",
            title=f"Kościół {n}",
            description=f"Widok z wieży na rynek w Mszczonowie, numer {n}.",
            item_type="photograph" if n % 2 else "document",
            facets={"item_type": [FacetValue("photograph" if n % 2 else "document", "")]},
        )
        for n in range(1, 1101)  # three chunks of up to 500
    ]

    def table() -> list:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.item_id, d.tsv::text, d.title_tsv::text, d.data::text, "
                f"ARRAY(SELECT x.value FROM {VALUE} x WHERE x.id = ANY(d.facet_ids)) "
                f"FROM {DOC} d ORDER BY d.item_id"
            )
            rows = cursor.fetchall()
            cursor.execute(f"SELECT term, lemma FROM {TERM} ORDER BY term, lemma")
            return [rows, cursor.fetchall()]

    pg.index_workers = 1
    assert pg.rebuild(iter(docs)) == 1100
    alone = table()
    pg.index_workers = 2
    assert pg.rebuild(iter(docs)) == 1100
    assert table() == alone
    assert find("kościół", item_type="document").count == 550


def _typed(pk, title, kind, description=""):
    return SearchDocument(
        id=pk,
        identifier=f"PG-{pk}",
        title=title,
        description=description,
        item_type=kind,
        facets={"item_type": [FacetValue(kind, kind)]},
    )


def test_a_filter_picks_its_title_tier_from_every_title_match_not_the_first_ones(pg):
    # More than TIER_CANDIDATES titles name the word, all shorter than the maps' titles:
    # the tier's order (remembered per query text) must be filtered before it is cut.
    many = TIER_CANDIDATES + 20
    pg.index([_typed(n, f"Młyn {n}", "document") for n in range(1, many + 1)])
    maps = [_typed(1000 + n, f"Młyn wodny nad rzeką na starej mapie {n}", "map") for n in range(3)]
    pg.index(maps + [_typed(2000, "Plan okolicy", "map", "Obok stoi młyn.")])
    assert find("młyn").count == many + 4  # remembers the tier of "młyn", unfiltered
    filtered = find("młyn", item_type="map")
    assert filtered.count == 4
    assert {h.identifier for h in filtered.hits[:3]} == {"PG-1000", "PG-1001", "PG-1002"}
    assert filtered.hits[3].identifier == "PG-2000"  # only mentions it: after the tier


def test_a_remembered_query_follows_an_index_change_in_its_ranking(pg):
    pg.index([_typed(1, "Stary młyn wodny nad Pisią", "document"), _typed(2, "Dwór", "document",
              "Za dworem młyn.")])  # fmt: skip
    assert [h.identifier for h in find("młyn").hits] == ["PG-1", "PG-2"]
    pg.index([_typed(3, "Młyn", "photograph")])  # the title that *is* the query
    assert [h.identifier for h in find("młyn").hits] == ["PG-3", "PG-1", "PG-2"]
    assert [h.identifier for h in find("młyn", item_type="photograph").hits] == ["PG-3"]
    pg.delete([3])
    assert [h.identifier for h in find("młyn").hits] == ["PG-1", "PG-2"]


def test_a_repeated_query_does_not_ask_for_its_matches_again(pg):
    pg.index([_typed(n, f"Kapliczka {n}", "document", "Kapliczka przy drodze.")
              for n in range(1, 30)])  # fmt: skip
    with CaptureQueriesContext(connection) as first:
        assert find("kapliczka").count == 29
    with CaptureQueriesContext(connection) as again:
        results = find("kapliczka", item_type="document", page="2")
    assert results.count == 29 and len(results.hits) == 9

    def asked(captured):
        return [q["sql"] for q in captured if "array_agg" in q["sql"] and "@@" in q["sql"]]

    assert len(asked(first)) == 2  # the matches, the title tier's order
    assert asked(again) == []  # both remembered for this index version
    assert len(again) < len(first)
    clear_query_caches()
    with CaptureQueriesContext(connection) as cleared:
        assert find("kapliczka").count == 29
    assert len(asked(cleared)) == 2
