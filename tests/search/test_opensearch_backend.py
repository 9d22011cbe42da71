"""What only the engine backend does, against a live OpenSearch node: alias swap on
rebuild with no downtime, bulk indexing, the mapping, fuzzy retry, and "unavailable".

Needs KRONIKA_TEST_SEARCH_URL (e.g. http://127.0.0.1:9200) and `-m opensearch`
(make test-services starts a node). Without it every test here fails and says so.
"""

import os
import socket
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

from search.backends import BackendUnavailable, base, search
from search.backends.engine import MultiSearchError, OpenSearchBackend
from search.compiler import compile_query
from search.documents import FacetValue, SearchDocument
from search.query import SearchQuery
from tests.factories import ItemFactory

pytestmark = pytest.mark.opensearch

ALIAS_SUFFIX = "backend_test"


def _test_url() -> tuple[str, str]:
    """The node of KRONIKA_TEST_SEARCH_URL and this module's alias: the URL's own alias
    (its path, e.g. `/kronika_os` on a shared node) with `_backend_test` appended."""
    url = os.environ.get("KRONIKA_TEST_SEARCH_URL")
    if not url:
        pytest.fail(
            "The opensearch backend tests need KRONIKA_TEST_SEARCH_URL pointing at a live "
            "node (make test-services starts one)."
        )
    parts = urlsplit(url)
    alias = f"{parts.path.strip('/') or 'kronika'}_{ALIAS_SUFFIX}"
    return f"{parts.scheme}://{parts.netloc}", alias


@pytest.fixture
def node_url():
    return _test_url()[0]


@pytest.fixture
def alias():
    return _test_url()[1]


@pytest.fixture
def engine(node_url, alias, db):
    backend = OpenSearchBackend(url=f"{node_url}/{alias}")
    backend.clear()
    yield backend
    for index in backend._indices():
        backend.engine.client.indices.delete(index=index)


def document(pk, title, description="", **fields):
    return SearchDocument(
        id=pk,
        identifier=f"OS-{pk}",
        title=title,
        description=description,
        item_type="document",
        facets={"item_type": [FacetValue("document", "document")]},
        **fields,
    )


def find(backend, text="", **params):
    return backend.search(SearchQuery.from_params({"q": text, **params}))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_rebuild_fills_a_new_index_and_swaps_the_alias_with_no_downtime(engine):
    engine.index([document(1, "Stary młyn"), document(2, "Stary dworzec")])
    (old_index,) = engine._indices()
    seen_during_rebuild = []

    def stream():
        for n in range(10, 13):
            yield document(n, f"Nowa kapliczka {n}")
        # Mid-rebuild, searches still answer from the old, complete index.
        seen_during_rebuild.append(find(engine, "stary").count)
        seen_during_rebuild.append(find(engine, "kapliczka").count)

    assert engine.rebuild(stream()) == 3
    assert seen_during_rebuild == [2, 0]
    (new_index,) = engine._indices()
    assert new_index != old_index
    assert not engine.engine.client.indices.exists(index=old_index)  # the old one is gone
    assert find(engine, "kapliczka").count == 3 and find(engine, "stary").count == 0


def test_bulk_indexing_writes_every_chunk(engine):
    assert engine.index(document(n, f"Pocztówka numer {n}") for n in range(1, 1202)) == 1201
    assert engine.document_count() == 1201
    results = find(engine, "pocztowka", sort="title", page="2", page_size="100")
    assert results.count == 1201 and len(results.hits) == 100


def test_index_and_delete_are_idempotent(engine):
    engine.index([document(1, "Remiza")])
    engine.index([document(1, "Remiza strażacka")])
    engine.delete([1, 999])
    engine.delete([1])
    assert engine.document_count() == 0


def test_the_mapping_folds_diacritics_in_the_engine_too(engine):
    (index,) = engine._indices()
    settings = engine.engine.client.indices.get_settings(index=index)[index]["settings"]
    assert settings["index"]["analysis"]["analyzer"]["kronika_folded"]["filter"] == [
        "lowercase",
        "asciifolding",
    ]
    mapping = engine.engine.client.indices.get_mapping(index=index)[index]["mappings"]
    # Type-ahead: folded tokens and their first 1–19 characters (no shingles, no scores).
    assert mapping["properties"]["suggest"]["index_prefixes"] == {"min_chars": 1, "max_chars": 19}
    engine.index([document(1, "Łąka nad Pisią")])
    assert [h.identifier for h in find(engine, "ŁĄKA").hits] == ["OS-1"]


def test_a_typo_is_retried_with_the_suggested_word_and_fuzziness(engine):
    engine.index([document(1, "Kirkut", "Macewy przy ulicy Tarczyńskiej.")])
    results = find(engine, "macwey")
    assert results.corrected and results.did_you_mean == "macewy"
    assert [h.identifier for h in results.hits] == ["OS-1"]
    assert find(engine, "qqqzzzx").count == 0


def test_highlights_mark_matches_and_escape_the_rest(engine):
    engine.index([document(1, "Rynek", "Widok: 5 < 6 & wieża kościoła <b>stara</b>.")])
    snippet = find(engine, "kosciola").hits[0].snippet
    assert "<mark>kościoła</mark>" in snippet
    assert "5 &lt; 6 &amp; wieża" in snippet and "<b>" not in snippet


def test_an_unreachable_engine_raises_backend_unavailable(db):
    backend = OpenSearchBackend(url=f"http://127.0.0.1:{free_port()}/kronika_unreachable")
    assert backend.is_available() is False
    with pytest.raises(BackendUnavailable):
        find(backend, "młyn")
    with pytest.raises(BackendUnavailable):
        backend.index([document(1, "Młyn")])
    with pytest.raises(BackendUnavailable):
        backend.suggest("mły")


def test_search_degrades_to_the_database_when_the_engine_is_down(settings, node_url, db):
    settings.SEARCH_BACKEND = "opensearch"
    settings.SEARCH_URL = f"http://127.0.0.1:{free_port()}/kronika_unreachable"
    base._load.cache_clear()
    try:
        ItemFactory(title="Młyn wodny nad Pisią")
        base.get_database_backend().rebuild(
            [document(1, "Młyn wodny nad Pisią")]
        )  # the database index is fed by the outbox as well
        results = search(SearchQuery.from_params({"q": "młyn"}))
        assert results.degraded and results.backend == base.database_backend_name()
        assert [h.title for h in results.hits] == ["Młyn wodny nad Pisią"]
    finally:
        base._load.cache_clear()


def test_a_rebuild_of_many_chunks_indexes_every_document_and_records_its_forms(engine):
    from search.models import LemmaForm

    def stream():
        for n in range(1, 1602):
            # One word with diacritics only in a chunk analysed by a worker process.
            extra = " Źródło" if n == 1300 else ""
            yield document(n, f"Pocztówka numer {n}{extra}")

    assert engine.rebuild(stream()) == 1601
    assert engine.document_count() == 1601
    assert find(engine, "pocztowka").count == 1601
    assert [h.identifier for h in find(engine, "zrodlo").hits] == ["OS-1300"]
    # Its folded form was recorded, so a query typed without diacritics meets the lemma.
    assert LemmaForm.objects.filter(form="zrodlo", word="źródło").exists()
    (index,) = engine._indices()
    serving = engine.engine.client.indices.get_settings(index=index)[index]["settings"]["index"]
    assert serving.get("refresh_interval") is None  # the default (1 s) is back
    assert serving["auto_expand_replicas"] == "0-1"
    assert serving["translog"]["durability"] == "request"


# Several searches in one request (date tiers, partial matches) ------------------------------


@contextmanager
def requests_sent(backend):
    """The paths of the HTTP requests the backend's search client really sends."""
    transport = backend.client_for("search").client.transport
    sent, send = [], transport.perform_request

    def counting(method, url, *args, **kwargs):
        sent.append(url)
        return send(method, url, *args, **kwargs)

    transport.perform_request = counting
    try:
        yield sent
    finally:
        del transport.perform_request


def dated_document(pk, title, year, description=""):
    return document(pk, title, description, date=str(year), date_start=year, date_end=year)


def test_a_date_query_asks_every_tier_in_one_request(engine):
    engine.index(
        [
            dated_document(1, "Pożar remizy", 1939),
            dated_document(2, "Pożar młyna", 1950, "Wspomnienie pożaru z 1939 roku."),
            dated_document(3, "Pożar kościoła", 1862),
            dated_document(4, "Pożar stodoły", 1939),
        ]
    )
    with requests_sent(engine) as sent:
        answer = find(engine, "pożar 1939")
    # Five date tiers (dated in 1939, mentioning it, …): their counts in one `_msearch`,
    # the pages the answer reaches in another; not five searches.
    assert [path.rsplit("/", 1)[-1] for path in sent] == ["_msearch", "_msearch"]
    assert [h.identifier for h in answer.hits] == ["OS-1", "OS-4", "OS-2"]
    assert answer.count == 3


def test_tiers_the_page_cannot_reach_are_not_searched_and_change_nothing(engine, monkeypatch):
    engine.index(
        [
            dated_document(1, "Pożar remizy", 1939),
            dated_document(2, "Pożar młyna", 1950, "Wspomnienie pożaru z 1939 roku."),
            dated_document(3, "Pożar kościoła", 1862),
            dated_document(4, "Pożar stodoły", 1939),
            dated_document(5, "Pożar lasu", 1939, "Las pod Mszczonowem."),
            dated_document(6, "Pożar plebanii", 1938, "Opis pożaru z 1939."),
        ]
    )
    bodies = []
    msearch = engine._msearch

    def recording(sent):
        bodies.append(sent)
        return msearch(sent)

    answers = {}
    for fast in (True, False):
        if not fast:  # every tier's whole page, as every other engine asks
            monkeypatch.setattr(
                engine,
                "tier_answers",
                lambda tiers, need: base.SearchBackend.tier_answers(engine, tiers, need),
            )
        monkeypatch.setattr(engine, "_msearch", recording)
        for size in (1, 2, 3, 4, 20):
            for page in (1, 2):
                bodies.clear()
                got = find(engine, "pożar 1939", page_size=str(size), page=str(page))
                answers.setdefault((size, page), []).append(
                    (got.count, [h.identifier for h in got.hits], got.facets)
                )
                if fast and size * page <= 3:
                    # Three items are dated 1939: the first tier fills the page alone.
                    pages = [b for b in bodies[-1] if b.get("size")]
                    assert len(pages) == 1, (size, page)
    for (size, page), (fast_answer, full_answer) in answers.items():
        assert fast_answer == full_answer, (size, page)


def test_partial_matches_count_their_word_sets_in_one_request_each(engine):
    engine.index(
        [
            document(1, "Kapliczka pod lipą przy drodze"),
            document(2, "Kapliczka pod lipą"),
            document(3, "Kapliczka przy drodze"),
            document(4, "Lipa przy drodze"),
            document(5, "Stara lipa przy drodze"),
        ]
    )
    with requests_sent(engine) as sent:
        answer = find(engine, "kapliczka lipa droga")
    assert answer.partial and answer.complete == 1 and answer.count == 5
    # Every word, then: each word's count, the pairs' counts, the pages of the sets.
    assert [path.rsplit("/", 1)[-1] for path in sent] == ["_msearch"] * 4


def test_searches_sent_together_answer_as_each_alone(engine):
    engine.index(
        [
            dated_document(1, "Pożar remizy", 1939, "Strażacy z Mszczonowa."),
            dated_document(2, "Młyn wodny", 1950, "Pożar młyna."),
            document(3, "Remiza strażacka", "Pożar i strażacy."),
        ]
    )
    asked = [
        compile_query(SearchQuery.from_params({"q": text, **params}))
        for text, params in (
            ("pożar", {}),
            ("strażacy", {"item_type": "document"}),
            ("pożar", {"page_size": "1", "page": "2"}),
            ("nic takiego", {}),
        )
    ]
    together = engine.execute_many([*asked, asked[0].counting()])
    alone = [engine.execute(c) for c in [*asked, asked[0].counting()]]
    assert [r.as_json() for r in together] == [r.as_json() for r in alone]
    assert [r.count for r in together] == [3, 2, 3, 0, 3]


def test_a_refused_search_among_several_is_an_error_not_a_degrade(engine):
    engine.index([document(1, "Remiza")])
    with pytest.raises(MultiSearchError) as refused:
        # A body the node reads but cannot run: a text field has no values to aggregate.
        engine._msearch([{"size": 0}, {"aggs": {"x": {"terms": {"field": "description"}}}}])
    assert refused.value.status_code == 400
    assert engine.breaker.state == "closed"


def test_a_search_after_the_index_was_removed_behind_its_back_recreates_it(engine):
    engine.index([document(1, "Remiza")])
    assert find(engine, "remiza").count == 1
    for index in engine._indices():
        engine.engine.client.indices.delete(index=index)
    # The backend still believes its index exists: the `_msearch` answers "no such index".
    answer = find(engine, "remiza")
    assert answer.count == 0 and not answer.degraded
    assert engine._indices()  # a new, empty index behind the alias
