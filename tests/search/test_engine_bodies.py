"""The Elasticsearch flavour sends exactly what the OpenSearch one sends.

No Elasticsearch node can run here, and the OpenSearch flavour is tested live
(test_opensearch_backend.py and the relevance suite). So both real clients talk to a small
recording HTTP server (the one stand-in: it answers like an engine that holds nothing) and
the requests they make for the same work must be identical: method, path and JSON body.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from search.backends.engine import (
    ElasticsearchBackend,
    OpenSearchBackend,
    index_body,
    search_bodies,
    suggest_body,
    text_query,
    text_query_dict,
)
from search.compiler import compile_query
from search.documents import FacetValue, SearchDocument
from search.query import SearchQuery


class Recorder(BaseHTTPRequestHandler):
    requests: list = []

    def log_message(self, *args):
        pass

    def _answer(self, status: int, payload) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        lines = [json.loads(line) for line in raw.splitlines() if line.strip()]
        type(self).requests.append((self.command, self.path, lines))
        path = self.path.split("?")[0]
        if path == "/":
            return self._answer(200, {"version": {"number": "8.19.0"}, "tagline": "You Know"})
        if path.startswith("/_alias/"):
            return self._answer(404, {"error": "alias missing", "status": 404})
        if path.endswith("/_bulk"):
            actions = [line for line in lines if {"index", "delete"} & set(line)]
            items = [{next(iter(a)): {"status": 200, "_id": "1"}} for a in actions]
            return self._answer(200, {"errors": False, "took": 1, "items": items})
        if path.endswith("/_search"):
            return self._answer(
                200, {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}
            )
        if path.endswith("/_msearch"):
            empty = {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}
            return self._answer(200, {"responses": [empty] * (len(lines) // 2)})
        if path.endswith("/_count"):
            return self._answer(200, {"count": 0})
        return self._answer(200, {"acknowledged": True})

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle


@pytest.fixture
def recorder():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Recorder.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}/kronika_bodies"
    server.shutdown()
    server.server_close()


def document(pk: int) -> SearchDocument:
    return SearchDocument(
        id=pk,
        identifier=f"B-{pk}",
        title="Kościół w Mszczonowie",
        description="Murowany kościół parafialny.",
        item_type="monument",
        date_start=1377,
        date_end=1377,
        places=["Mszczonów"],
        facets={"item_type": [FacetValue("monument", "monument")]},
    )


def normalised(requests):
    """Requests without the new index names (they carry a timestamp and a random suffix)."""
    out = []
    for method, path, lines in requests:
        path = "/".join("<new>" if p.startswith("kronika_bodies-") else p for p in path.split("/"))
        for line in lines:
            for action in line.values():
                if isinstance(action, dict) and str(action.get("_index", "")).startswith(
                    "kronika_bodies-"
                ):
                    action["_index"] = "<new>"
            for action in line.get("actions", []):
                for step in action.values():
                    if step.get("index", "").startswith("kronika_bodies-"):
                        step["index"] = "<new>"
        if path.startswith("/_bulk"):
            method = "POST|PUT"  # the clients differ here; the _bulk API takes both
        out.append((method, path, lines))
    return out


def work(backend_class, url):
    """Everything the backend sends to an engine: rebuild, index, delete, search, suggest."""
    Recorder.requests = []
    backend = backend_class(url=url)
    backend.rebuild([document(1), document(2)])
    backend.index([document(3)])
    backend.delete([2])
    backend.search(SearchQuery.from_params({"q": "kosciola -synagoga", "item_type": "map"}))
    backend.search(SearchQuery.from_params({"q": '"wieża kościoła"', "date_from": "1900"}))
    backend.search(SearchQuery.from_params({"sort": "-date", "page": "3"}))
    backend.suggest("cmentarz zyd")
    return normalised(Recorder.requests)


def test_elasticsearch_sends_the_same_requests_as_opensearch(db, recorder):
    sent_by_opensearch = work(OpenSearchBackend, recorder)
    sent_by_elasticsearch = work(ElasticsearchBackend, recorder)
    assert len(sent_by_opensearch) > 10
    assert sent_by_elasticsearch == sent_by_opensearch


def test_requests_go_to_the_alias_and_a_rebuild_swaps_it(db, recorder):
    requests = work(ElasticsearchBackend, recorder)
    paths = [(method, path.split("?")[0]) for method, path, _ in requests]
    assert ("PUT", "/<new>") in paths  # the new index is created…
    assert ("POST", "/_aliases") in paths  # …and swapped in atomically
    assert ("POST", "/kronika_bodies/_search") in paths  # searches use the alias
    assert ("POST", "/kronika_bodies/_msearch") in paths  # counts and page in one request
    swap = next(lines for method, path, lines in requests if path.startswith("/_aliases"))
    assert {"add": {"index": "<new>", "alias": "kronika_bodies"}} in swap[0]["actions"]


def test_mapping_analyses_in_python_and_folds_in_the_engine(db):
    body = index_body()
    analyzers = body["settings"]["analysis"]["analyzer"]
    assert analyzers["kronika_folded"]["filter"] == ["lowercase", "asciifolding"]
    properties = body["mappings"]["properties"]
    assert properties["title_exact"]["analyzer"] == "kronika_folded"
    assert properties["title_lemma"]["analyzer"] == "kronika_folded"
    assert properties["suggest"]["type"] == "text"
    assert properties["suggest"]["index_prefixes"] == {"min_chars": 1, "max_chars": 19}
    assert properties["facet_place"]["type"] == "keyword"


def test_search_bodies_count_and_list_in_two_searches(db):
    query = SearchQuery.from_params({"q": "kościoła", "item_type": "map", "place": "mszczonow"})
    counts, page = search_bodies(compile_query(query))
    text = json.dumps(page)
    assert "title_exact^10" in text and "body_lemma^1" in text
    facet_filters = [
        {"terms": {"facet_item_type": ["map"]}},
        {"terms": {"facet_place": ["mszczonow"]}},
    ]
    # The counts: no hits (so the node's request cache keeps them), the exact total of the
    # filtered matches, each facet's aggregation filtered by every facet but itself.
    assert counts["size"] == 0 and counts["track_total_hits"] is True
    assert counts["post_filter"]["bool"]["filter"] == facet_filters
    assert counts["aggs"]["item_type"]["filter"] == {
        "bool": {"filter": [{"terms": {"facet_place": ["mszczonow"]}}]}
    }
    assert "highlight" not in counts and "sort" not in counts
    # The page: the same matches with the facet filters, no total, no aggregations.
    assert page["query"]["bool"]["must"] == [counts["query"]]
    assert page["query"]["bool"]["filter"] == [{"bool": {"filter": facet_filters}}]
    assert page["track_total_hits"] is False and "aggs" not in page
    assert page["highlight"]["pre_tags"] == ["<mark>"] and page["highlight"]["encoder"] == "html"
    retry = search_bodies(compile_query(query, fuzzy=True))
    assert '"fuzziness": "AUTO"' in json.dumps(retry)


def test_a_count_or_a_page_past_the_result_window_asks_for_counts_only(db):
    (body,) = search_bodies(compile_query(SearchQuery.from_params({"page": "999999"})))
    assert body["size"] == 0 and body["aggs"]
    (body,) = search_bodies(compile_query(SearchQuery.from_params({"q": "młyn"})).counting())
    assert body["size"] == 0 and "aggs" not in body


@pytest.mark.parametrize(
    "params",
    [
        {"q": "pożar miasta 1939"},
        {"q": 'kościół -drewniany "stary młyn"', "date_from": "1900", "date_to": "1950"},
        {"q": "mlyn", "item_type": "map", "sort": "date"},
        {},
    ],
)
def test_the_remembered_text_query_is_the_one_built_and_stays_unchanged(db, params):
    compiled = compile_query(SearchQuery.from_params(params))
    built = text_query(compiled).to_dict()
    assert text_query_dict(compiled) == built
    # The same words on another page, with other facet filters: the same dict, unchanged by
    # the bodies that hold it.
    other = compile_query(SearchQuery.from_params({**params, "page": "2", "place": "mszczonow"}))
    for each in (compiled, other, compiled.counting()):
        search_bodies(each)
    assert text_query_dict(other) is text_query_dict(compiled)
    assert text_query_dict(compiled) == built
    # Other words, a retry with fuzziness, other dates: another dict.
    fuzzy = compile_query(SearchQuery.from_params(params), fuzzy=True)
    if compiled.words:
        assert text_query_dict(fuzzy) == text_query(fuzzy).to_dict() != built
    dated = compile_query(SearchQuery.from_params({**params, "date_from": "1800"}))
    assert text_query_dict(dated) == text_query(dated).to_dict()


def test_suggest_body_treats_the_last_word_as_a_prefix(db):
    body = suggest_body("cmentarz zyd", 10)
    must = body["query"]["bool"]["must"]
    assert must[0] == {"terms": {"suggest": ["cmentarz"]}}
    assert must[1]["multi_match"]["type"] == "bool_prefix"
    assert suggest_body("i w", 10) is None
