"""A rebuild against a node that is slow to answer one bulk request (issue 12: the 100,000
item OpenSearch rebuild died when one `_bulk` took longer than the 10 s index timeout).

Between the backend and the live node (KRONIKA_TEST_SEARCH_URL) sits a small HTTP relay
that holds the first `_bulk` request longer than the client waits and then drops it, as a
node busy merging segments may: the rebuild must retry that body and finish.
"""

import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from search.backends import BackendUnavailable
from search.backends.engine import OpenSearchBackend
from tests.search.test_opensearch_backend import _test_url, document, find

pytestmark = pytest.mark.opensearch


class SlowFirstBulk:
    """Relays requests to `node`; the first `_bulk` is held `hold` seconds, then dropped."""

    def __init__(self, node: str, hold: float):
        self.node, self.hold = node, hold
        self.bulks = 0
        relay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _relay(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if "_bulk" in self.path:
                    relay.bulks += 1
                    if relay.bulks == 1:
                        threading.Event().wait(relay.hold)
                        self.close_connection = True
                        return
                request = urllib.request.Request(  # noqa: S310 - the test node's http URL
                    relay.node + self.path, data=body, method=self.command
                )
                if self.headers.get("Content-Type"):
                    request.add_header("Content-Type", self.headers["Content-Type"])
                try:
                    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                        status, payload, kind = (
                            answer.status,
                            answer.read(),
                            answer.headers.get("Content-Type"),
                        )
                except urllib.error.HTTPError as error:
                    status, payload, kind = (
                        error.code,
                        error.read(),
                        error.headers.get("Content-Type"),
                    )
                self.send_response(status)
                self.send_header("Content-Type", kind or "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _relay

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def slow_node():
    node, _alias = _test_url()
    relay = SlowFirstBulk(node, hold=3.0)
    yield relay
    relay.close()


@pytest.fixture
def alias():
    return _test_url()[1] + "_slow"


@pytest.fixture
def cleanup(alias, db):
    node, _ = _test_url()
    yield
    backend = OpenSearchBackend(url=f"{node}/{alias}")
    for index in backend._indices():
        backend.engine.client.indices.delete(index=index)


def test_a_rebuild_retries_a_bulk_request_the_node_did_not_answer_in_time(
    slow_node, alias, cleanup
):
    # Indexing's own timeout is short (a site's outbox must not wait long); the rebuild
    # waits up to its own timeout, and sends a body again after it timed out.
    backend = OpenSearchBackend(
        url=f"{slow_node.url}/{alias}", index_timeout=0.5, rebuild_timeout=1.0
    )
    docs = [document(n, f"Kapliczka przydrożna {n}") for n in range(1, 4)]
    assert backend.rebuild(docs) == 3
    assert slow_node.bulks == 2  # the held body, then the same body again
    assert backend.document_count() == 3
    assert find(backend, "kapliczka").count == 3


def test_outbox_indexing_keeps_its_short_timeout(slow_node, alias, cleanup):
    backend = OpenSearchBackend(url=f"{slow_node.url}/{alias}", index_timeout=0.5)
    with pytest.raises(BackendUnavailable):
        backend.index([document(1, "Kapliczka")])
