"""A cluster in SEARCH_URL and the replicas option (the live two-node test is
tests/search/test_cluster_live.py, in the service tier)."""

from search.backends.engine import OpenSearchBackend


def test_search_url_may_list_several_nodes():
    backend = OpenSearchBackend(url="http://10.0.0.1:9200, 10.0.0.2:9201/kronika_x")
    assert backend.hosts == ["http://10.0.0.1:9200", "http://10.0.0.2:9201"]
    assert backend.alias == "kronika_x"
    # A search that meets a dead node is retried on the other one, not failed.
    transport = backend.client_for("search").client.transport
    assert transport.max_retries == 1
    assert len(transport.connection_pool.connections) == 2


def test_one_node_keeps_searches_unretried():
    backend = OpenSearchBackend(url="http://127.0.0.1:9200/kronika")
    assert backend.hosts == ["http://127.0.0.1:9200"]
    assert backend.client_for("search").client.transport.max_retries == 0


def test_replicas_option_fixes_the_replica_count():
    assert OpenSearchBackend(url="http://h:1/a").replica_settings() == {
        "auto_expand_replicas": "0-1"
    }
    assert OpenSearchBackend(url="http://h:1/a", replicas="1").replica_settings() == {
        "number_of_replicas": 1,
        "auto_expand_replicas": "false",
    }
