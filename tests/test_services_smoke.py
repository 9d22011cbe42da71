"""The service tier's own services are really up and have what Kronika needs.

`make test-services` (scripts/test-services.sh) starts PostgreSQL, an OpenSearch node and
Chromium and exports their addresses; `make test` deselects these tests. Selected without
their service, they fail and say what is missing: a skipped service test would hide a broken
tier.
"""

import json
import subprocess
import tempfile
import urllib.error
import urllib.request
import uuid

import psycopg
import pytest

from tests.services import required_env


@pytest.fixture
def pg_url():
    return required_env("KRONIKA_TEST_DATABASE_URL", "a running PostgreSQL server")


@pytest.fixture
def search_url():
    return required_env("KRONIKA_TEST_SEARCH_URL", "a running OpenSearch node").rstrip("/")


@pytest.fixture
def chromium():
    return required_env("KRONIKA_CHROMIUM", "a Chromium executable")


def _call(method: str, url: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is the test node's
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return json.load(answer)
    except urllib.error.HTTPError as error:
        pytest.fail(f"{method} {url} -> {error.code}: {error.read().decode(errors='replace')}")
    except urllib.error.URLError as error:
        pytest.fail(f"{method} {url}: the node does not answer ({error.reason})")


@pytest.mark.postgres
def test_postgres_folds_polish_and_matches_trigrams(pg_url):
    with psycopg.connect(pg_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        folded = conn.execute("SELECT unaccent('Kościół'), unaccent('Łódź, Żółć')").fetchone()
        similar, near, far = conn.execute(
            "SELECT 'Mszczonow' % 'Mszczonów', "
            "similarity('kosciol', 'koscioly'), similarity('kosciol', 'synagoga')"
        ).fetchone()
        can_create_db = conn.execute(
            "SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user"
        ).fetchone()[0]
        version = conn.info.server_version

    assert folded == ("Kosciol", "Lodz, Zolc")
    assert similar is True
    assert near > 0.5 > far
    # Django's test runner creates (and drops) its own test database.
    assert can_create_db is True
    assert version >= 130000


@pytest.mark.opensearch
def test_opensearch_is_healthy_and_folds_polish(search_url):
    health = _call("GET", f"{search_url}/_cluster/health?wait_for_status=yellow&timeout=30s")
    assert health["status"] in {"green", "yellow"}, health

    analysed = _call(
        "POST",
        f"{search_url}/_analyze",
        {"tokenizer": "standard", "filter": ["lowercase", "asciifolding"], "text": "Kościół"},
    )
    assert [token["token"] for token in analysed["tokens"]] == ["kosciol"]


@pytest.mark.opensearch
def test_opensearch_indexes_and_finds_with_folding_and_prefixes(search_url):
    """The analysis-common module is loaded: a mapping like Kronika's works end to end."""
    index = f"kronika-smoke-{uuid.uuid4().hex[:12]}"
    settings = {
        "settings": {
            "number_of_shards": 1,
            "number_of_replicas": 0,
            "analysis": {
                "tokenizer": {
                    "prefixes": {
                        "type": "edge_ngram",
                        "min_gram": 2,
                        "max_gram": 15,
                        "token_chars": ["letter", "digit"],
                    }
                },
                "analyzer": {
                    "folded": {
                        "tokenizer": "standard",
                        "filter": ["lowercase", "asciifolding"],
                    },
                    "prefixes": {
                        "tokenizer": "prefixes",
                        "filter": ["lowercase", "asciifolding"],
                    },
                },
            },
        },
        "mappings": {
            "properties": {
                "title": {
                    "type": "text",
                    "analyzer": "folded",
                    "fields": {
                        "prefix": {
                            "type": "text",
                            "analyzer": "prefixes",
                            "search_analyzer": "folded",
                        }
                    },
                }
            }
        },
    }
    _call("PUT", f"{search_url}/{index}", settings)
    try:
        _call(
            "PUT",
            f"{search_url}/{index}/_doc/MOK-1?refresh=true",
            {"title": "Kościół św. Jana Chrzciciela w Mszczonowie"},
        )
        _call(
            "PUT",
            f"{search_url}/{index}/_doc/MOK-2?refresh=true",
            {"title": "Synagoga w Mszczonowie"},
        )

        def ids(query: dict) -> list[str]:
            found = _call("POST", f"{search_url}/{index}/_search", {"query": query})
            return sorted(hit["_id"] for hit in found["hits"]["hits"])

        assert ids({"match": {"title": "KOSCIOL"}}) == ["MOK-1"]
        assert ids({"match": {"title.prefix": "kości"}}) == ["MOK-1"]
        assert ids({"match": {"title.prefix": "mszcz"}}) == ["MOK-1", "MOK-2"]
        assert ids({"match": {"title": "cerkiew"}}) == []
    finally:
        _call("DELETE", f"{search_url}/{index}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chromium_renders_a_page_of_the_live_site(chromium, live_server):
    with tempfile.TemporaryDirectory() as profile:
        shown = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                f"--user-data-dir={profile}",
                "--dump-dom",
                f"{live_server.url}/healthz",
            ],
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
    assert shown.returncode == 0, shown.stderr[-2000:]
    assert '"database": "ok"' in shown.stdout, shown.stdout[:2000]
