"""Degrading in milliseconds: the circuit breaker in front of an external engine.

The state machine runs on an injected clock (no sleeping). The end-to-end tests point the
real OpenSearch backend at a real TCP endpoint that accepts connections and never answers
(what a node frozen with SIGSTOP looks like from outside): the first search waits the
short search timeout and opens the breaker; later ones go straight to the database
without touching the endpoint. Assertions are on the breaker and on the connections the
endpoint saw, never on timings.
"""

import socket
import threading

import pytest

from search.backends import base
from search.backends.breaker import CLOSED, HALF_OPEN, OPEN, BreakerOpen, CircuitBreaker
from search.models import OutboxEntry
from search.outbox import drain
from tests.factories import ItemFactory


class ManualClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


def engine_down():
    raise base.BackendUnavailable("Connection refused")


# The state machine ---------------------------------------------------------------------


def test_a_failure_opens_the_breaker_and_later_requests_skip_the_engine():
    clock = ManualClock()
    breaker = CircuitBreaker(cooldown=30, clock=clock)
    assert breaker.state == CLOSED
    with pytest.raises(base.BackendUnavailable), breaker.guard():
        engine_down()
    assert breaker.state == OPEN

    asked = []
    clock.advance(29.9)
    with pytest.raises(BreakerOpen), breaker.guard():
        asked.append("engine")
    assert asked == [] and breaker.state == OPEN


def test_after_the_cooldown_one_probe_at_a_time_and_success_closes():
    clock = ManualClock()
    breaker = CircuitBreaker(cooldown=30, clock=clock)
    breaker.record_failure("timeout")
    clock.advance(30)
    assert breaker.state == HALF_OPEN

    asked = []
    with breaker.guard():  # the probe
        asked.append("probe")
        with pytest.raises(BreakerOpen), breaker.guard():  # another request meanwhile
            asked.append("second")
    assert asked == ["probe"]
    assert breaker.state == CLOSED
    with breaker.guard():
        asked.append("after")
    assert asked == ["probe", "after"]


def test_a_failed_probe_opens_for_a_whole_new_cooldown():
    clock = ManualClock()
    breaker = CircuitBreaker(cooldown=30, clock=clock)
    breaker.record_failure("timeout")
    clock.advance(31)
    with pytest.raises(base.BackendUnavailable), breaker.guard():
        engine_down()
    assert breaker.state == OPEN
    clock.advance(29)
    assert breaker.state == OPEN
    clock.advance(1)
    assert breaker.state == HALF_OPEN


def test_an_error_that_is_not_the_engines_frees_the_probe_and_keeps_the_state():
    clock = ManualClock()
    breaker = CircuitBreaker(cooldown=30, clock=clock)
    breaker.record_failure("timeout")
    clock.advance(30)
    with pytest.raises(ValueError), breaker.guard():
        raise ValueError("a bug, not an outage")
    assert breaker.state == HALF_OPEN
    with breaker.guard():  # the next request may probe
        pass
    assert breaker.state == CLOSED


def test_a_closed_breaker_does_not_limit_concurrent_requests():
    breaker = CircuitBreaker(cooldown=30, clock=ManualClock())
    with breaker.guard(), breaker.guard():
        pass
    assert breaker.state == CLOSED


# Against a real endpoint that never answers -----------------------------------------------


class UnresponsiveServer:
    """Listens on 127.0.0.1, accepts every connection and never sends a byte."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.changed = threading.Condition()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.changed:
                self.accepted.append(conn)
                self.changed.notify_all()

    def connections_after_marker(self) -> int:
        """How many connections clients had opened, counted exactly: connect a marker of
        our own and wait until it is accepted (the backlog is accepted in order), so a
        client's connection still waiting in the backlog is not missed."""
        with self.changed:
            before = len(self.accepted)
        marker = socket.create_connection(("127.0.0.1", self.port))
        try:
            with self.changed:
                assert self.changed.wait_for(
                    lambda: any(_peer(c) == marker.getsockname() for c in self.accepted[before:]),
                    timeout=10,
                ), "the marker connection was never accepted"
                index = next(
                    i for i, c in enumerate(self.accepted) if _peer(c) == marker.getsockname()
                )
                return index  # connections accepted before the marker
        finally:
            marker.close()

    def close(self):
        self.sock.close()
        for conn in self.accepted:
            conn.close()


def _peer(conn: socket.socket):
    try:
        return conn.getpeername()
    except OSError:
        return None


@pytest.fixture
def frozen_engine(settings, db):
    """SEARCH_BACKEND=opensearch at an endpoint that never answers; short timeouts."""
    server = UnresponsiveServer()
    settings.SEARCH_BACKEND = "opensearch"
    settings.SEARCH_URL = f"http://127.0.0.1:{server.port}/kronika_frozen"
    settings.SEARCH_TIMEOUT = 0.2
    settings.SEARCH_INDEX_TIMEOUT = 0.2
    settings.SEARCH_HEALTH_TIMEOUT = 0.2
    settings.SEARCH_COOLDOWN = 30
    base._load.cache_clear()
    yield server
    server.close()
    base._load.cache_clear()


def _identifiers(body):
    return [hit["identifier"] for hit in body["results"]]


@pytest.fixture
def church(frozen_engine):
    item = ItemFactory(identifier="MOK-KOSCIOL", title="Kościół w Mszczonowie")
    # Indexed in the database backend only (the engine cannot be reached).
    report = drain(backends=[base.get_database_backend()])
    assert not report.failed, report.error
    return item


def test_after_one_timeout_searches_answer_from_the_database_without_the_engine(
    client, frozen_engine, church
):
    engine = base.get_backend()
    first = client.get("/api/v1/search/", {"q": "kościół"})
    assert first.status_code == 200
    assert first.json()["degraded"] is True
    assert _identifiers(first.json()) == ["MOK-KOSCIOL"]
    assert engine.breaker.state == OPEN
    asked = frozen_engine.connections_after_marker()
    assert asked >= 1  # the first search did try the engine

    second = client.get("/api/v1/search/", {"q": "kościół"})
    suggestions = client.get("/api/v1/search/suggest/", {"q": "kości"})
    assert second.status_code == 200 and second.json()["degraded"] is True
    assert _identifiers(second.json()) == ["MOK-KOSCIOL"]
    assert suggestions.status_code == 200
    assert "MOK-KOSCIOL" in [s["identifier"] for s in suggestions.json()["results"]]
    # Neither the second search nor the suggestion opened a connection to the engine
    # (the marker is accepted right after the first search's connections).
    assert frozen_engine.connections_after_marker() == asked + 1


def test_the_search_page_degrades_too(client, frozen_engine, church):
    client.get("/pl/search/", {"q": "kościół"})
    asked = frozen_engine.connections_after_marker()
    response = client.get("/pl/search/", {"q": "kościół"})
    assert response.status_code == 200
    assert "Kościół w Mszczonowie" in response.content.decode()
    assert frozen_engine.connections_after_marker() == asked + 1


def test_after_the_cooldown_one_probe_asks_the_engine_again(client, frozen_engine, church):
    engine = base.get_backend()
    clock = ManualClock()
    engine.breaker.clock = clock
    client.get("/api/v1/search/", {"q": "kościół"})
    assert engine.breaker.state == OPEN
    asked = frozen_engine.connections_after_marker()

    clock.advance(30)
    assert engine.breaker.state == HALF_OPEN
    probe = client.get("/api/v1/search/", {"q": "kościół"})
    assert probe.json()["degraded"] is True
    assert _identifiers(probe.json()) == ["MOK-KOSCIOL"]
    # The probe tried the engine (one more connection than the marker), failed, reopened.
    assert frozen_engine.connections_after_marker() > asked + 1
    assert engine.breaker.state == OPEN


def test_the_outbox_keeps_work_while_the_breaker_is_open(client, frozen_engine, church):
    engine = base.get_backend()
    client.get("/api/v1/search/", {"q": "kościół"})
    assert engine.breaker.state == OPEN
    asked = frozen_engine.connections_after_marker()
    ItemFactory(identifier="MOK-RYNEK", title="Rynek w Mszczonowie")
    pending = OutboxEntry.objects.count()
    assert pending >= 1

    report = drain()  # the database backend, then the engine: skipped, not waited for
    assert report.failed and report.remaining == pending
    assert frozen_engine.connections_after_marker() == asked + 1
    # Nothing is lost, and the degraded search already has the new item.
    body = client.get("/api/v1/search/", {"q": "rynek"}).json()
    assert _identifiers(body) == ["MOK-RYNEK"]


def test_healthz_reports_the_frozen_engine_with_its_own_short_timeout(
    client, frozen_engine, settings
):
    # A search timeout far longer than the test would ever wait: /healthz must use its own.
    settings.SEARCH_TIMEOUT = 600
    base._load.cache_clear()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "outbox": 0,
        "search": {"backend": "opensearch", "reachable": False, "breaker": CLOSED},
    }
    # The health check does not move the breaker; a failed search does, and health says so.
    base.get_backend().breaker.record_failure("timeout")
    assert client.get("/healthz").json()["search"] == {
        "backend": "opensearch",
        "reachable": False,
        "breaker": OPEN,
    }


@pytest.fixture
def failing_cluster(settings, db):
    """An endpoint that answers every request with 503 (a cluster that cannot serve)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    requests = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            requests.append(self.path)
            body = b'{"error": {"type": "cluster_block_exception"}, "status": 503}'
            self.send_response(503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_HEAD = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SEARCH_BACKEND = "opensearch"
    settings.SEARCH_URL = f"http://127.0.0.1:{server.server_address[1]}/kronika_failing"
    base._load.cache_clear()
    yield requests
    server.shutdown()
    server.server_close()
    base._load.cache_clear()


def test_a_5xx_from_the_cluster_opens_the_breaker(client, failing_cluster):
    ItemFactory(identifier="MOK-KOSCIOL", title="Kościół w Mszczonowie")
    drain(backends=[base.get_database_backend()])
    first = client.get("/api/v1/search/", {"q": "kościół"})
    assert first.status_code == 200 and first.json()["degraded"] is True
    assert _identifiers(first.json()) == ["MOK-KOSCIOL"]
    assert base.get_backend().breaker.state == OPEN
    asked = len(failing_cluster)
    assert asked >= 1
    second = client.get("/api/v1/search/", {"q": "kościół"})
    assert second.json()["degraded"] is True
    assert len(failing_cluster) == asked  # the server answers synchronously: none came
