"""Service tier: search on a real two-node OpenSearch cluster, one node killed (SIGKILL).

The test starts a cluster of its own (scripts/services/opensearch-cluster.sh: two JVMs,
node 1 cluster manager and data, node 2 data only, on ports of their own) and stops it
after; the suite's node (KRONIKA_TEST_SEARCH_URL) is never touched. Kronika gets both
nodes in one SEARCH_URL and the index one replica (SEARCH_OPTIONS["replicas"]).

With node 2 killed, searches keep answering from node 1's copy — from the engine, not the
database fallback — saves go on, the outbox indexes them once node 2 is back and the
replica recovered, and the index then holds exactly the database's published items.
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest

from archive.models import Item, Status
from search.backends import base
from search.backends.breaker import CLOSED
from search.models import OutboxEntry
from search.outbox import drain
from tests.factories import ItemFactory
from tests.services import free_ports

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "services" / "opensearch-cluster.sh"
ALIAS = "kronika_cluster"

pytestmark = pytest.mark.opensearch


class Cluster:
    def __init__(self, env: dict, url: str, services: Path, prefix: str):
        self.env, self.url, self.services, self.prefix = env, url, services, prefix

    def run(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run(
            [SCRIPT, *args], env=self.env, stdout=subprocess.PIPE, text=True, timeout=timeout
        )

    def pid(self, number: int) -> int:
        return int((self.services / f"{self.prefix}-{number}.pid").read_text())


@pytest.fixture
def cluster():
    if not os.environ.get("KRONIKA_TEST_SEARCH_URL"):
        pytest.fail(
            "The cluster test needs the OpenSearch service (make test-services builds the "
            "node and starts it; KRONIKA_TEST_SEARCH_URL marks that it did)."
        )
    prefix = f"os-cluster-{uuid.uuid4().hex[:8]}"
    http = free_ports(9250, 9299, 2)
    transport = free_ports(9400, 9499, 2)
    env = {
        **os.environ,
        "KRONIKA_OPENSEARCH_CLUSTER_PREFIX": prefix,
        "KRONIKA_OPENSEARCH_CLUSTER_NAME": f"kronika-{prefix}",
        "KRONIKA_OPENSEARCH_CLUSTER_PORTS": ",".join(map(str, http)),
        "KRONIKA_OPENSEARCH_CLUSTER_TRANSPORT_PORTS": ",".join(map(str, transport)),
        "KRONIKA_OPENSEARCH_TIMEOUT": "240",
    }
    services = Path(env.get("KRONIKA_SERVICES_DIR") or ROOT / "var" / "services")
    handle = Cluster(env, "", services, prefix)
    try:
        started = handle.run("start")
        assert started.returncode == 0, f"the test's own cluster did not start ({prefix})"
        handle.url = next(
            line.split("=", 1)[1]
            for line in started.stdout.splitlines()
            if line.startswith("SEARCH_URL=")
        )
        yield handle
    finally:
        for number in (1, 2):
            with contextlib.suppress(FileNotFoundError, ValueError, ProcessLookupError):
                os.kill(handle.pid(number), signal.SIGCONT)
        handle.run("stop", timeout=180)
        for number in (1, 2):
            name = f"{prefix}-{number}"
            shutil.rmtree(services / name, ignore_errors=True)
            for suffix in (".log", ".pid", ".port"):
                (services / f"{name}{suffix}").unlink(missing_ok=True)


def _found(body) -> list[str]:
    return [hit["identifier"] for hit in body["results"]]


def _health(engine, **params) -> dict:
    """The index's health as node 1 (the cluster manager, never killed) sees it."""
    query = urlencode({"timeout": "2s", **params})
    url = f"{engine.hosts[0]}/_cluster/health/{engine.alias}?{query}"
    with urlopen(url, timeout=150) as answer:  # noqa: S310 - our own node on loopback
        return json.load(answer)


def _indexed_ids(engine) -> set[int]:
    client = engine.engine.client
    client.indices.refresh(index=engine.alias)
    body = {"query": {"match_all": {}}, "_source": False, "size": 10_000}
    return {int(hit["_id"]) for hit in client.search(index=engine.alias, body=body)["hits"]["hits"]}


def _engine_search(client, query: str) -> dict:
    response = client.get("/api/v1/search/", {"q": query})
    assert response.status_code == 200
    body = response.json()
    assert body["backend"] == "opensearch" and body["degraded"] is False, body
    return body


def test_a_killed_node_costs_no_search_and_no_write(client, settings, db, cluster):
    settings.SEARCH_BACKEND = "opensearch"
    settings.SEARCH_URL = f"{cluster.url}/{ALIAS}"
    settings.SEARCH_OPTIONS = {"replicas": 1}
    # Fresh JVMs on a busy machine: the first requests (JIT, the new index) get time.
    settings.SEARCH_TIMEOUT = 10
    settings.SEARCH_INDEX_TIMEOUT = 60
    base._load.cache_clear()
    engine = base.get_backend()
    assert len(engine.hosts) == 2

    # The catalogue, indexed: every published item, no draft.
    ItemFactory.create_batch(24)
    ItemFactory(identifier="MOK-KOSCIOL", title="Kościół w Mszczonowie")
    ItemFactory(identifier="MOK-SZKIC", title="Kościół, szkic", status=Status.DRAFT)
    withdrawn = ItemFactory(identifier="MOK-MLYN", title="Młyn nad Okrzeszą")
    from django.core.management import call_command

    call_command("rebuild_search_index", "--no-progress")
    assert not drain().failed
    settings_of_index = engine.engine.client.indices.get_settings(index=ALIAS)
    (index_settings,) = (entry["settings"]["index"] for entry in settings_of_index.values())
    assert index_settings["number_of_replicas"] == "1"
    # Both copies of the shard are live, one on each node.
    health = _health(engine, wait_for_status="green", timeout="60s")
    assert health["status"] == "green" and health["number_of_nodes"] == 2
    published = set(Item.objects.published().values_list("pk", flat=True))
    assert _indexed_ids(engine) == published and len(published) == 26
    assert _found(_engine_search(client, "kościół")) == ["MOK-KOSCIOL"]

    # Settle the short timeouts a site runs with, then kill node 2 outright.
    settings.SEARCH_TIMEOUT = 2
    settings.SEARCH_INDEX_TIMEOUT = 30
    base._load.cache_clear()
    engine = base.get_backend()
    os.kill(cluster.pid(2), signal.SIGKILL)

    # At once, before the cluster has even noticed: every search is the engine's.
    for _ in range(12):
        assert _found(_engine_search(client, "kościół")) == ["MOK-KOSCIOL"]
    assert engine.breaker.state == CLOSED
    health = client.get("/healthz").json()["search"]
    assert health["reachable"] is True and health["breaker"] == CLOSED

    # Saves go on: a new item, an edit, a withdrawal. Once node 1 has taken node 2 out of
    # the cluster (its copy is the primary now), they are indexed without node 2.
    deadline = time.monotonic() + 90
    while _health(engine)["number_of_nodes"] != 1:
        assert time.monotonic() < deadline, "node 1 did not notice node 2 gone within 90 s"
        time.sleep(0.5)
    ItemFactory(identifier="MOK-RYNEK", title="Rynek w Mszczonowie")
    edited = Item.objects.get(identifier="MOK-KOSCIOL")
    edited.title = "Kościół św. Jana Chrzciciela w Mszczonowie"
    edited.save()
    withdrawn.status = Status.DRAFT
    withdrawn.save()
    assert OutboxEntry.objects.count() >= 3
    report = drain()
    assert not report.failed, report.error
    assert report.remaining == 0
    assert _found(_engine_search(client, "rynek")) == ["MOK-RYNEK"]
    assert _found(_engine_search(client, "młyn")) == []
    assert _health(engine)["status"] == "yellow"  # one copy: the replica waits for a node

    # Node 2 returns (a fresh data folder): the replica is copied back to it, and writes
    # made meanwhile go to both copies.
    back = cluster.run("node", "2", "start")
    assert back.returncode == 0, "node 2 did not start again"
    health = _health(engine, wait_for_status="green", wait_for_nodes="2", timeout="120s")
    assert health["status"] == "green" and health["number_of_nodes"] == 2
    ItemFactory(identifier="MOK-SYNAGOGA", title="Synagoga w Mszczonowie")
    report = drain()
    assert not report.failed and report.remaining == 0

    # The index is the database's published set, item for item, and every copy agrees.
    published = set(Item.objects.published().values_list("pk", flat=True))
    assert _indexed_ids(engine) == published
    stats = engine.engine.client.indices.stats(index=ALIAS, level="shards")
    copies = [
        shard["docs"]["count"]
        for index in stats["indices"].values()
        for shard in index["shards"]["0"]
    ]
    assert copies == [len(published)] * 2
    assert _found(_engine_search(client, "chrzciciela")) == ["MOK-KOSCIOL"]
    assert _found(_engine_search(client, "synagoga")) == ["MOK-SYNAGOGA"]
