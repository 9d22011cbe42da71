"""Service tier: a frozen engine on the way to a live OpenSearch node, then recovery.

The node may be shared with other test runs, so it is not itself stopped: between Kronika
and the node (KRONIKA_TEST_SEARCH_URL) runs a TCP relay in its own process, and that
process is frozen with SIGSTOP. From Kronika's side this is what a frozen node is: the
kernel still accepts connections and nothing ever answers. SIGCONT (always, in a finally)
lets the relay pass requests again. The test uses an alias of its own and removes it.
"""

import os
import signal
import subprocess
import sys
import uuid
from urllib.parse import urlsplit

import pytest

from search.backends import base
from search.backends.breaker import CLOSED, HALF_OPEN, OPEN
from search.models import OutboxEntry
from search.outbox import drain
from tests.factories import ItemFactory
from tests.search.test_degrade import ManualClock

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
            assert health.json()["search"] == {
                "backend": "opensearch",
                "reachable": False,
                "breaker": OPEN,
            }

            # Written while the engine is frozen: the database has it, the outbox keeps it.
            ItemFactory(identifier="MOK-RYNEK", title="Rynek w Mszczonowie")
            report = drain()
            assert report.failed and report.remaining == OutboxEntry.objects.count() >= 1
            during = client.get("/api/v1/search/", {"q": "rynek"}).json()
            assert during["degraded"] is True and _found(during) == ["MOK-RYNEK"]
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
