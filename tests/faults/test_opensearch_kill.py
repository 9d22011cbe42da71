"""OpenSearch killed (`kill -9`) during a rebuild and during edits (issue #13 §3): every save
succeeds, searches answer from the database, and once the node is back the outbox brings
the index to exactly the database's published set.

The node is the test's own (scripts/services/opensearch.sh under another name, port,
transport port and data directory; never the suite's node), killed with SIGKILL as a crash
or the kernel's OOM killer would, and started again on the data it left
(KRONIKA_OPENSEARCH_KEEP_DATA=1), as a node restarted by systemd after a crash.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from archive.models import Item, Status
from archive.roles import EDITOR
from search.backends import base
from search.backends.breaker import CLOSED
from search.models import OutboxEntry
from search.outbox import drain
from tests.factories import ItemFactory
from tests.search.test_degrade import ManualClock
from tests.services import OwnSearchNode

pytestmark = pytest.mark.opensearch

ITEMS = 1100  # three bulk chunks: the rebuild is still filling when the node dies
DRAFTS = 10


@pytest.fixture
def node():
    node = OwnSearchNode("faults")
    try:
        node.start()
        yield node
    finally:
        node.remove()


@pytest.fixture
def archivist_user(django_user_model, db):
    user = django_user_model.objects.create_user(username="kustosz", password="x" * 20)
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


def _indexed(engine) -> dict[int, tuple[str, str]]:
    """Every document behind the alias: id → (identifier, title); duplicates fail."""
    client = engine.engine.client
    client.indices.refresh(index=engine.alias)
    found: dict[int, tuple[str, str]] = {}
    hits_seen = 0
    body = {
        "query": {"match_all": {}},
        "_source": ["identifier", "title"],
        "size": 1000,
        "sort": [{"_doc": "asc"}],
    }
    response = client.search(index=engine.alias, body=body, scroll="1m")
    try:
        while hits := response["hits"]["hits"]:
            for hit in hits:
                hits_seen += 1
                found[int(hit["_id"])] = (hit["_source"]["identifier"], hit["_source"]["title"])
            response = client.scroll(scroll_id=response["_scroll_id"], scroll="1m")
    finally:
        client.clear_scroll(scroll_id=response["_scroll_id"])
    assert hits_seen == len(found), f"{hits_seen - len(found)} duplicate documents"
    return found


def _published() -> dict[int, tuple[str, str]]:
    return {
        pk: (identifier, title)
        for pk, identifier, title in Item.objects.published().values_list(
            "pk", "identifier", "title"
        )
    }


def _kill_when_rebuild_starts(node, engine, before: set[str], killed: threading.Event):
    """Kill the node as soon as the rebuild's new index exists (it is then being filled)."""
    client = engine.engine.client
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            names = set(client.indices.get(index=f"{engine.alias}-*").keys())
            if names - before:
                node.kill()
                killed.set()
                return
        time.sleep(0.05)


def test_opensearch_killed_during_rebuild_and_edits_loses_nothing(
    settings, db, node, django_capture_on_commit_callbacks, archivist_user
):
    settings.SEARCH_BACKEND = "opensearch"
    settings.SEARCH_URL = f"{node.url}/kronika_faults"
    settings.SEARCH_TIMEOUT = 10  # a fresh node on a busy machine: time for its first requests
    settings.SEARCH_INDEX_TIMEOUT = 30
    settings.SEARCH_HEALTH_TIMEOUT = 2
    settings.SEARCH_COOLDOWN = 30
    base._load.cache_clear()
    engine = base.get_backend()
    clock = ManualClock()
    engine.breaker.clock = clock

    items = ItemFactory.create_batch(ITEMS, title="Kościół w Mszczonowie")
    drafts = ItemFactory.create_batch(DRAFTS, status=Status.DRAFT, title="Szkic kapliczki")
    report = drain()
    assert not report.failed, report.error
    assert _indexed(engine) == _published()
    old_indices = set(engine._indices())

    # 1. Killed while a rebuild fills its new index: the rebuild fails with a clear error,
    #    and the alias still points at the complete old index.
    settings.SEARCH_INDEX_TIMEOUT = 5
    base._load.cache_clear()
    engine = base.get_backend()
    engine.breaker.clock = clock
    killed = threading.Event()
    killer = threading.Thread(
        target=_kill_when_rebuild_starts, args=(node, engine, old_indices, killed)
    )
    killer.start()
    began = time.monotonic()
    with pytest.raises(CommandError, match="unavailable"):
        call_command("rebuild_search_index", "--no-progress")
    failed_after = time.monotonic() - began
    killer.join(timeout=130)
    assert killed.is_set(), "the rebuild finished before the node could be killed"
    assert OutboxEntry.objects.count() == 0  # nothing was pending; the failed rebuild kept it so

    # 2. Edits while the node is dead: every save through the API succeeds (its after-commit
    #    drain fails and leaves the work in the outbox), searches answer from the database.
    api = APIClient()
    api.force_authenticate(archivist_user)
    token = uuid.uuid4().hex[:8]
    saves = []
    with django_capture_on_commit_callbacks(execute=True):
        for item in items[:20]:
            saves.append(
                api.patch(
                    f"/api/v1/items/{item.identifier}/", {"title": f"Rynek {token}"}, format="json"
                )
            )
        for item in drafts[:5]:
            saves.append(
                api.patch(
                    f"/api/v1/items/{item.identifier}/", {"status": "published"}, format="json"
                )
            )
        for item in items[20:25]:
            saves.append(
                api.patch(f"/api/v1/items/{item.identifier}/", {"status": "draft"}, format="json")
            )
        for item in items[25:30]:
            saves.append(api.delete(f"/api/v1/items/{item.identifier}/"))
        for n in range(5):
            body = {
                "identifier": f"FAULT-NEW-{n}",
                "title": f"Rynek {token}",
                "item_type": "artifact",
                "status": "published",
            }
            saves.append(api.post("/api/v1/items/", body, format="json"))
    assert [s.status_code for s in saves if s.status_code >= 300] == [], [
        s.content[:200] for s in saves if s.status_code >= 300
    ]
    assert OutboxEntry.objects.count() >= len(saves)

    down = api.get("/api/v1/search/", {"q": token})
    assert down.status_code == 200 and down.json()["degraded"] is True
    assert down.json()["count"] == 25  # the 20 renamed and the 5 new, read from the database

    # 3. The node comes back on the data it had: the outbox alone (no rebuild) brings the
    #    index to exactly the published set, with the edits in it.
    restarted_in = node.start(keep_data=True)
    assert node.url == settings.SEARCH_URL.rsplit("/", 1)[0]
    clock.advance(30)
    deadline = time.monotonic() + 60
    while (report := drain()).failed and time.monotonic() < deadline:
        clock.advance(30)
        time.sleep(1)
    assert not report.failed, report.error
    assert OutboxEntry.objects.count() == 0
    assert engine.breaker.state == CLOSED
    assert set(engine._indices()) == old_indices  # the alias never moved
    indexed = _indexed(engine)
    published = _published()
    assert indexed == published
    assert len(published) == ITEMS - 10 + 5 + 5
    served = api.get("/api/v1/search/", {"q": token}).json()
    assert served["degraded"] is False and served["count"] == 25

    # 4. A rebuild afterwards leaves one index: none half-built by the killed one remains.
    call_command("rebuild_search_index", "--no-progress")
    client = engine.engine.client
    assert set(client.indices.get(index=f"{engine.alias}-*").keys()) == set(engine._indices())
    assert _indexed(engine) == published
    print(
        f"\nOpenSearch kill -9: the rebuild failed {failed_after:.1f} s after it began; the "
        f"node restarted on its data in {restarted_in:.1f} s; {len(saves)} saves while it "
        "was down, all kept; the outbox drained to the published set"
    )
