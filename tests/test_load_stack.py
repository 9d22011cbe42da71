"""A short load on the production stack while an archivist works: nothing fails, nothing is lost.

The bounded version of `benchmarks/load.py` (docs/benchmarks.md, "Load"): a stack of its own
(scripts/services/stack.sh: nginx over HTTPS → gunicorn → PostgreSQL + OpenSearch, with the
outbox worker) on free ports, its own database and search alias (both dropped after);
10 clients × 10 s over the whole mix (pages, search, API, IIIF, OAI-PMH, sitemap) through
wrk while an archivist PATCHes items through the API and imports a CSV through the admin.
Asserted: no error, no timeout, every write acknowledged and then found in the database and
the search index, the outbox drained. Not asserted: speed (the benchmark reports it).
"""

import importlib.util
from pathlib import Path

import pytest

from tests.services import required_env

pytestmark = [pytest.mark.postgres, pytest.mark.opensearch]

PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "load.py"
_spec = importlib.util.spec_from_file_location("kronika_load_benchmark", PATH)
load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(load)

CLIENTS, SECONDS = 10, 10


@pytest.fixture(scope="module")
def prepared():
    database = required_env("KRONIKA_TEST_DATABASE_URL", "a running PostgreSQL server")
    search = required_env("KRONIKA_TEST_SEARCH_URL", "a running OpenSearch node")
    stack = load.Stack("loadtest", database, search, workers=2)
    try:
        mix, targets = load.prepare(stack)
        yield stack, mix, targets
    finally:
        stack.stop()
        stack.drop_database()
        stack.drop_index()


def test_every_route_group_answers_under_load_while_an_archivist_writes(prepared):
    stack, mix, targets = prepared
    archivist = load.Archivist(stack, targets, duration=SECONDS, imported=20, pause=0.2)
    result = load.run_load(stack, mix, CLIENTS, SECONDS, archivist)
    writes = load.verify_writes(stack, archivist)

    for name, group in result["groups"].items():
        assert group["requests"] > 0, f"{name}: no request was answered"
        assert (group["errors"], group["timeouts"]) == (0, 0), f"{name}: {group}"
    assert writes["failed_writes"] == []
    assert writes["acknowledged"] > 0 and archivist.imports, "the archivist did not get to work"
    assert writes["lost_writes"] == []
    assert writes["outbox_drained_s"] is not None, "the outbox did not drain"
    # The index holds what the database holds: each item's last edit, not the one before.
    assert (writes["index_missing"], writes["index_stale"]) == ([], [])
    assert writes["imported_items_found_by_search"] == 20
