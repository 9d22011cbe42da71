#!/usr/bin/env bash
# A throwaway two-node OpenSearch cluster for the service tier (docs/services.md): two JVMs
# started by scripts/services/opensearch.sh, each with its own name, ports and data, that
# find each other by their transport addresses (discovery seed hosts) and form one cluster.
#
#   scripts/services/opensearch-cluster.sh start    start both nodes, print SEARCH_URL=…
#   scripts/services/opensearch-cluster.sh stop     stop both (SIGTERM)
#   scripts/services/opensearch-cluster.sh status   exit 0 when both answer in one cluster
#   scripts/services/opensearch-cluster.sh url      print the SEARCH_URL (both nodes)
#   scripts/services/opensearch-cluster.sh node 1|2 start|stop|status|pid
#                                                   one node alone (a test restarts one)
#
# Node 1 is eligible as cluster manager and holds data; node 2 holds data only, so the
# cluster keeps its manager when node 2 goes (with two nodes only one can be manager: a
# cluster that survives the loss of either needs three manager-eligible nodes,
# docs/deployment.md). Kronika gets both addresses in one SEARCH_URL
# (http://127.0.0.1:P1,127.0.0.1:P2/<alias>) and keeps searching through the one alive.
#
# Ports (never those of the shared node, 9201 and 9301-9399):
#   KRONIKA_OPENSEARCH_CLUSTER_NAME   cluster name             (kronika-cluster)
#   KRONIKA_OPENSEARCH_CLUSTER_PREFIX node names <prefix>-1/-2 (opensearch-cluster)
#   KRONIKA_OPENSEARCH_CLUSTER_PORTS  HTTP ports, two          (9231,9232)
#   KRONIKA_OPENSEARCH_CLUSTER_TRANSPORT_PORTS  transport ports (9431,9432)
# Heap per node: KRONIKA_OPENSEARCH_HEAP_MIN/MAX as for one node (default here 256m/512m).
set -euo pipefail
SERVICE_NAME=opensearch-cluster
HERE="$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=scripts/services/lib.sh
. "$HERE/lib.sh"

CLUSTER="${KRONIKA_OPENSEARCH_CLUSTER_NAME:-kronika-cluster}"
PREFIX="${KRONIKA_OPENSEARCH_CLUSTER_PREFIX:-opensearch-cluster}"
IFS=, read -r HTTP1 HTTP2 <<<"${KRONIKA_OPENSEARCH_CLUSTER_PORTS:-9231,9232}"
IFS=, read -r TRANSPORT1 TRANSPORT2 <<<"${KRONIKA_OPENSEARCH_CLUSTER_TRANSPORT_PORTS:-9431,9432}"
for port in "$HTTP1" "$HTTP2" "$TRANSPORT1" "$TRANSPORT2"; do
	case "$port" in
	'' | *[!0-9]*) die "the cluster needs two HTTP and two transport ports (numbers, comma-separated)" ;;
	esac
done
for port in "$HTTP1" "$HTTP2"; do
	[ "$port" != 9201 ] || die "port 9201 belongs to the shared node; choose others"
done
SEEDS="127.0.0.1:$TRANSPORT1,127.0.0.1:$TRANSPORT2"
SEARCH_URL="http://127.0.0.1:$HTTP1,127.0.0.1:$HTTP2"

# Run opensearch.sh for node $1 (1 or 2) with the given command.
node() {
	local number="$1" command="$2" http transport manager
	case "$number" in
	1) http="$HTTP1" transport="$TRANSPORT1" manager=1 ;;
	2) http="$HTTP2" transport="$TRANSPORT2" manager=0 ;;
	*) die "node is 1 or 2, not $number" ;;
	esac
	KRONIKA_OPENSEARCH_NAME="$PREFIX-$number" \
		KRONIKA_OPENSEARCH_PORT="$http" \
		KRONIKA_OPENSEARCH_TRANSPORT_PORT="$transport" \
		KRONIKA_OPENSEARCH_CLUSTER="$CLUSTER" \
		KRONIKA_OPENSEARCH_SEED_HOSTS="$SEEDS" \
		KRONIKA_OPENSEARCH_MANAGER="$manager" \
		KRONIKA_OPENSEARCH_INITIAL_MANAGERS="$PREFIX-1" \
		KRONIKA_OPENSEARCH_HEAP_MIN="${KRONIKA_OPENSEARCH_HEAP_MIN:-256m}" \
		KRONIKA_OPENSEARCH_HEAP_MAX="${KRONIKA_OPENSEARCH_HEAP_MAX:-512m}" \
		"$HERE/opensearch.sh" "$command"
}

# Wait until the cluster counts two nodes (node 2 has joined node 1).
wait_for_two() {
	local deadline=$((SECONDS + ${KRONIKA_OPENSEARCH_TIMEOUT:-180}))
	until http_get "http://127.0.0.1:$HTTP1/_cluster/health?wait_for_nodes=2&timeout=2s" 5 2>/dev/null |
		python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["number_of_nodes"] == 2 else 1)' 2>/dev/null; do
		[ "$SECONDS" -lt "$deadline" ] || die "the two nodes did not form one cluster in time (logs: $SERVICES_DIR/$PREFIX-*.log)"
		sleep 1
	done
}

start() {
	local started
	started="$(now)"
	mkdir -p "$SERVICES_DIR"
	"$HERE/opensearch.sh" build
	node 1 start >/dev/null
	if ! node 2 start >/dev/null; then
		node 1 stop || true
		die "node 2 did not start (log: $SERVICES_DIR/$PREFIX-2.log)"
	fi
	wait_for_two
	log "cluster $CLUSTER of two nodes up at $SEARCH_URL in $(elapsed "$started") s"
	echo "SEARCH_URL=$SEARCH_URL"
}

stop() {
	local rc=0
	node 2 stop || rc=1
	node 1 stop || rc=1
	return "$rc"
}

status() {
	node 1 status >/dev/null 2>&1 && node 2 status >/dev/null 2>&1 || {
		log "not running (both nodes)"
		return 3
	}
	http_get "http://127.0.0.1:$HTTP1/_cluster/health" 5 |
		python3 -c 'import json,sys; h=json.load(sys.stdin); sys.exit(0 if h["number_of_nodes"] == 2 else 3)' ||
		{
			log "both nodes run but not as one cluster"
			return 3
		}
	log "running: cluster $CLUSTER of two nodes at $SEARCH_URL"
	echo "SEARCH_URL=$SEARCH_URL"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
url) echo "$SEARCH_URL" ;;
node)
	[ $# -eq 3 ] || die "usage: $0 node 1|2 start|stop|status|pid"
	node "$2" "$3"
	;;
*)
	echo "usage: $0 start|stop|status|url|node 1|2 start|stop|status|pid" >&2
	exit 2
	;;
esac
