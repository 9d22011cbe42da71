"""Service tier: a frozen engine, then recovery, with nothing lost.

Two ways to freeze, each SIGSTOP then (always, in a finally) SIGCONT:
- a TCP relay between Kronika and the suite's node (KRONIKA_TEST_SEARCH_URL), frozen in its
  own process: the shared node keeps serving other test runs, and from Kronika's side the
  kernel still accepts connections and nothing ever answers;
- the node itself: one this test starts (scripts/services/opensearch.sh with a name, port,
  transport port and data directory of its own, a small heap) and stops afterwards, never
  the suite's node.
Each test uses an alias of its own and removes it.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from search.backends import base
from search.backends.breaker import CLOSED, HALF_OPEN, OPEN
from search.models import OutboxEntry
from search.outbox import drain
from tests.factories import ItemFactory
from tests.search.test_degrade import ManualClock
from tests.services import OwnSearchNode

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "services" / "opensearch.sh"

pytestmark = pytest.mark.opensearch

RELAY = r"""
import socket, sys, threading
target = (sys.argv[1], int(sys.argv[2]))
server = socket.create_server(("127.0.0.1", 0), backlog=64)
print(server.getsockname()[1], flush=True)

def pipe(src, dst):
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

while True:
    client, _ = server.accept()
    try:
        upstream = socket.create_connection(target)
    except OSError:
        client.close()
        continue
    threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
    threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
"""


@pytest.fixture
def relay():
    url = os.environ.get("KRONIKA_TEST_SEARCH_URL")
    if not url:
        pytest.fail(
            "The opensearch degrade test needs KRONIKA_TEST_SEARCH_URL pointing at a live "
            "node (make test-services starts one)."
        )
    node = urlsplit(url)
    process = subprocess.Popen(
        [sys.executable, "-c", RELAY, node.hostname, str(node.port or 9200)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(process.stdout.readline())
        yield process, f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGCONT)
        process.terminate()
        process.wait(timeout=30)


def _found(body):
    return [hit["identifier"] for hit in body["results"]]


def _assert_down_and_writes_kept(client, health) -> None:
    """With the engine frozen: /healthz says it is down and the breaker open, and an item
    written meanwhile is in the database (and searchable there) while the outbox keeps its
    indexing for later."""
    assert health.json()["search"] == {"backend": "opensearch", "reachable": False, "breaker": OPEN}
    ItemFactory(identifier="MOK-RYNEK", title="Rynek w Mszczonowie")
    report = drain()
    assert report.failed and report.remaining == OutboxEntry.objects.count() >= 1
    during = client.get("/api/v1/search/", {"q": "rynek"}).json()
    assert during["degraded"] is True and _found(during) == ["MOK-RYNEK"]


def test_a_frozen_engine_degrades_and_recovers_with_nothing_lost(client, settings, db, relay):
    process, endpoint = relay
    alias = f"kronika_degrade_{uuid.uuid4().hex[:8]}"
    settings.SEARCH_BACKEND = "opensearch"
    settings.SEARCH_URL = f"{endpoint}/{alias}"
    settings.SEARCH_TIMEOUT = 0.5
    settings.SEARCH_HEALTH_TIMEOUT = 0.5
    settings.SEARCH_INDEX_TIMEOUT = 5
    settings.SEARCH_COOLDOWN = 30
    base._load.cache_clear()
    engine = base.get_backend()
    clock = ManualClock()
    engine.breaker.clock = clock
    try:
        ItemFactory(identifier="MOK-KOSCIOL", title="Kościół w Mszczonowie")
        assert not drain().failed
        body = client.get("/api/v1/search/", {"q": "kościół"}).json()
        assert body["backend"] == "opensearch" and body["degraded"] is False
        assert _found(body) == ["MOK-KOSCIOL"]

        process.send_signal(signal.SIGSTOP)
        try:
            first = client.get("/api/v1/search/", {"q": "kościół"})
            assert first.status_code == 200 and first.json()["degraded"] is True
            assert _found(first.json()) == ["MOK-KOSCIOL"]
            assert engine.breaker.state == OPEN
            second = client.get("/api/v1/search/", {"q": "kościół"}).json()
            assert second["degraded"] is True and _found(second) == ["MOK-KOSCIOL"]

            health = client.get("/healthz")
            assert health.status_code == 200
            _assert_down_and_writes_kept(client, health)
        finally:
            process.send_signal(signal.SIGCONT)

        # Within the cool-down nothing changes; after it, the probe finds the engine back.
        assert engine.breaker.state == OPEN
        clock.advance(30)
        assert engine.breaker.state == HALF_OPEN
        back = client.get("/api/v1/search/", {"q": "kościół"}).json()
        assert back["backend"] == "opensearch" and back["degraded"] is False
        assert engine.breaker.state == CLOSED
        assert client.get("/healthz").json()["search"]["reachable"] is True

        report = drain()
        assert not report.failed, report.error
        assert report.remaining == 0
        assert engine.document_count() == 2
        served = client.get("/api/v1/search/", {"q": "rynek"}).json()
        assert served["backend"] == "opensearch" and served["degraded"] is False
        assert _found(served) == ["MOK-RYNEK"]
    finally:
        process.send_signal(signal.SIGCONT)
        client_ = engine.engine.client
        for index in engine._indices():
            client_.indices.delete(index=index, ignore_unavailable=True)


@pytest.fixture
def own_node():
    """A node of this test's own (never the suite's), stopped and removed after."""
    node = OwnSearchNode("freeze")
    try:
        node.start()
        yield node.pid, node.url
    finally:
        node.remove()


def _timed_get(client, path, params=None):
    started = time.perf_counter()
    response = client.get(path, params or {})
    return response, time.perf_counter() - started


def test_a_frozen_node_degrades_in_milliseconds_and_recovers(client, settings, db, own_node):
    pid, endpoint = own_node
    settings.SEARCH_BACKEND = "opensearch"
    settings.SEARCH_URL = f"{endpoint}/kronika_freeze"
    # A fresh node on a busy machine: its first requests (JIT, the new index) get time.
    settings.SEARCH_TIMEOUT = 10
    settings.SEARCH_INDEX_TIMEOUT = 30
    base._load.cache_clear()
    ItemFactory(identifier="MOK-KOSCIOL", title="Kościół w Mszczonowie")
    assert not drain().failed
    body = client.get("/api/v1/search/", {"q": "kościół"}).json()
    assert body["backend"] == "opensearch" and body["degraded"] is False
    assert _found(body) == ["MOK-KOSCIOL"]

    # Then the short timeouts a site runs with.
    settings.SEARCH_TIMEOUT = 0.5
    settings.SEARCH_HEALTH_TIMEOUT = 0.5
    settings.SEARCH_INDEX_TIMEOUT = 2
    settings.SEARCH_COOLDOWN = 30
    base._load.cache_clear()
    engine = base.get_backend()
    clock = ManualClock()
    engine.breaker.clock = clock
    assert client.get("/api/v1/search/", {"q": "kościół"}).json()["degraded"] is False

    os.kill(pid, signal.SIGSTOP)
    try:
        first = client.get("/api/v1/search/", {"q": "kościół"})
        assert first.status_code == 200 and first.json()["degraded"] is True
        assert engine.breaker.state == OPEN
        # From the second request on the engine is not waited for.
        durations = []
        for _ in range(20):
            response, took = _timed_get(client, "/api/v1/search/", {"q": "kościół"})
            assert response.json()["degraded"] is True
            assert _found(response.json()) == ["MOK-KOSCIOL"]
            durations.append(took)
        p95 = sorted(durations)[int(0.95 * len(durations)) - 1]
        assert p95 < 0.2, f"search p95 {p95 * 1000:.0f} ms with the node frozen"

        health, took = _timed_get(client, "/healthz")
        assert took < 1.0, f"/healthz took {took:.2f} s with the node frozen"
        _assert_down_and_writes_kept(client, health)
    finally:
        os.kill(pid, signal.SIGCONT)

    # The node answers again (a resumed JVM may take a moment): give it 60 s at most.
    deadline = time.monotonic() + 60
    while not engine.is_available() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert engine.is_available(), "the node did not answer within 60 s of SIGCONT"
    # Within the cool-down searches still skip it; the first after it is the engine's.
    assert client.get("/api/v1/search/", {"q": "kościół"}).json()["degraded"] is True
    clock.advance(30)
    assert engine.breaker.state == HALF_OPEN
    back = client.get("/api/v1/search/", {"q": "kościół"}).json()
    assert back["backend"] == "opensearch" and back["degraded"] is False
    assert engine.breaker.state == CLOSED

    report = drain()
    assert not report.failed, report.error
    assert report.remaining == 0
    assert engine.document_count() == 2
    served = client.get("/api/v1/search/", {"q": "rynek"}).json()
    assert served["backend"] == "opensearch" and served["degraded"] is False
    assert _found(served) == ["MOK-RYNEK"]
