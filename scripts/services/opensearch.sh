#!/usr/bin/env bash
# A throwaway single-node OpenSearch for the service-tier tests (docs/services.md).
#
#   scripts/services/opensearch.sh build    compile scripts/services/opensearch (Maven Central)
#   scripts/services/opensearch.sh start    start on 127.0.0.1:$KRONIKA_OPENSEARCH_PORT (9201)
#   scripts/services/opensearch.sh stop     SIGTERM, the node closes cleanly
#   scripts/services/opensearch.sh status   exit 0 when our node answers, 3 when it does not
#   scripts/services/opensearch.sh url      print the SEARCH_URL
#   scripts/services/opensearch.sh pid      print the node's pid (nothing when not running)
#
# `start` prints SEARCH_URL=… on stdout (everything else goes to stderr). The node runs
# in its own JVM under a JDK 21+ (a Temurin JDK in /usr/lib/jvm, found at run time), with its
# pid in var/services/opensearch.pid, its output in var/services/opensearch.log and its data
# in var/services/opensearch/home (wiped on each start). The classes and jars are built once
# into var/services/opensearch/build; Maven keeps its downloads in ~/.m2.
#
# A second node beside the first (the test that freezes a node starts its own):
#   KRONIKA_OPENSEARCH_NAME=opensearch-2 KRONIKA_OPENSEARCH_PORT=9202 \
#   KRONIKA_OPENSEARCH_TRANSPORT_PORT=9400 scripts/services/opensearch.sh start
# keeps its pid, port, log and data under var/services/opensearch-2*, in a cluster of its
# own (KRONIKA_OPENSEARCH_CLUSTER, default kronika-<name>), and shares the build.
#
# A node of a cluster of several JVMs (scripts/services/opensearch-cluster.sh starts two):
# KRONIKA_OPENSEARCH_SEED_HOSTS lists the others' transport addresses (host:port,…; then the
# transport port should be one port, not a range), KRONIKA_OPENSEARCH_MANAGER=0 makes a
# data-only node, KRONIKA_OPENSEARCH_INITIAL_MANAGERS names the nodes of the first election.
#
# KRONIKA_OPENSEARCH_KEEP_DATA=1 starts a node on the data its last run left (after `kill -9`:
# a crashed node coming back) instead of wiping it.
set -euo pipefail
SERVICE_NAME=opensearch
# shellcheck source=scripts/services/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OS_PORT="${KRONIKA_OPENSEARCH_PORT:-9201}"
OS_TRANSPORT_PORT="${KRONIKA_OPENSEARCH_TRANSPORT_PORT:-9301-9399}"
OS_HEAP_MIN="${KRONIKA_OPENSEARCH_HEAP_MIN:-512m}"
OS_HEAP_MAX="${KRONIKA_OPENSEARCH_HEAP_MAX:-1g}"
OS_TIMEOUT="${KRONIKA_OPENSEARCH_TIMEOUT:-180}"
OS_NAME="${KRONIKA_OPENSEARCH_NAME:-opensearch}"
case "$OS_NAME" in
*[!A-Za-z0-9_-]* | "") die "KRONIKA_OPENSEARCH_NAME may hold letters, digits, - and _ only" ;;
esac
if [ "$OS_NAME" = opensearch ]; then
	OS_CLUSTER="${KRONIKA_OPENSEARCH_CLUSTER:-kronika-test}"
else
	OS_CLUSTER="${KRONIKA_OPENSEARCH_CLUSTER:-kronika-$OS_NAME}"
fi
OS_SEED_HOSTS="${KRONIKA_OPENSEARCH_SEED_HOSTS:-}"
OS_MANAGER="${KRONIKA_OPENSEARCH_MANAGER:-1}"
OS_INITIAL_MANAGERS="${KRONIKA_OPENSEARCH_INITIAL_MANAGERS:-}"
SEARCH_URL="http://127.0.0.1:$OS_PORT"
PROJECT_DIR="$KRONIKA_ROOT/scripts/services/opensearch"
OS_DIR="$SERVICES_DIR/opensearch"
BUILD_DIR="$OS_DIR/build"
NODE_DIR="$SERVICES_DIR/$OS_NAME"
HOME_DIR="$NODE_DIR/home"
PID_FILE="$SERVICES_DIR/$OS_NAME.pid"
PORT_FILE="$SERVICES_DIR/$OS_NAME.port"
LOG_FILE="$SERVICES_DIR/$OS_NAME.log"
MAIN_CLASS=org.kronika.services.SearchNode

# Major version of the JDK in $1 (from its `release` file, else by asking java).
jdk_major() {
	local version=""
	if [ -f "$1/release" ]; then
		version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release")"
	fi
	if [ -z "$version" ] && [ -x "$1/bin/java" ]; then
		version="$("$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)"
	fi
	version="${version#1.}"
	echo "${version%%[.+-]*}"
}

# A JDK 21+: $KRONIKA_JAVA_HOME, else the newest Temurin in /usr/lib/jvm, else $JAVA_HOME,
# else any JDK 21+ in /usr/lib/jvm. (Debian 12's default OpenJDK 17 is too old.)
find_java_home() {
	local candidate major
	local candidates=()
	[ -n "${KRONIKA_JAVA_HOME:-}" ] && candidates+=("$KRONIKA_JAVA_HOME")
	while IFS= read -r candidate; do candidates+=("$candidate"); done < <(
		find /usr/lib/jvm -mindepth 1 -maxdepth 1 -name 'temurin-*' 2>/dev/null | sort -V -r
	)
	[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
	while IFS= read -r candidate; do candidates+=("$candidate"); done < <(
		find /usr/lib/jvm -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort -V -r
	)
	for candidate in "${candidates[@]}"; do
		[ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
		major="$(jdk_major "$candidate")"
		if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
			echo "$candidate"
			return 0
		fi
	done
	die "no JDK 21 or newer found in /usr/lib/jvm; install one (e.g. Temurin 21+) or set KRONIKA_JAVA_HOME"
}

# Identity of what a build produces: the sources and the JDK's major version. Content, not
# mtimes, so a cached var/services/opensearch/build survives a fresh clone.
build_key() {
	{
		find "$PROJECT_DIR/pom.xml" "$PROJECT_DIR/src" -type f -print0 | sort -z | xargs -0 sha256sum |
			sed "s|$PROJECT_DIR/||"
		echo "jdk $(jdk_major "$(find_java_home)")"
	} | sha256sum | cut -d' ' -f1
}

build_is_current() {
	[ -d "$BUILD_DIR/lib" ] && [ -d "$BUILD_DIR/classes" ] &&
		[ "$(cat "$BUILD_DIR/.built" 2>/dev/null)" = "$(build_key)" ]
}

build() {
	if build_is_current; then
		return 0
	fi
	command -v mvn >/dev/null || die "Maven (mvn) is not installed: apt-get install -y maven"
	local java_home started
	java_home="$(find_java_home)"
	started="$(now)"
	log "building the node with Maven (JDK $(jdk_major "$java_home") at $java_home); first run downloads ~100 MB into ~/.m2"
	rm -rf "$BUILD_DIR"
	mkdir -p "$BUILD_DIR"
	if ! JAVA_HOME="$java_home" mvn -B -q -f "$PROJECT_DIR/pom.xml" \
		-Dkronika.build.dir="$BUILD_DIR" compile >"$OS_DIR/build.log" 2>&1; then
		tail -n 40 "$OS_DIR/build.log" >&2
		die "Maven build failed (full log: $OS_DIR/build.log)"
	fi
	build_key >"$BUILD_DIR/.built"
	log "built in $(elapsed "$started") s ($(find "$BUILD_DIR/lib" -name '*.jar' | wc -l) jars)"
}

# The pid of our node when it is alive, else nothing.
node_pid() { live_pid "$PID_FILE" "$MAIN_CLASS"; }

# Fail when our node runs on another port than the one asked for.
same_port_or_die() { die_if_other_port "$(cat "$PORT_FILE" 2>/dev/null || true)" "$OS_PORT" node; }

node_version() {
	http_get "$SEARCH_URL/" 5 | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"]["number"])'
}

yellow() { http_get "$SEARCH_URL/_cluster/health?wait_for_status=yellow&timeout=2s" 5; }

# Wait until the node's cluster is yellow; on a crash or a timeout show the log and fail.
wait_ready() { wait_until_ready "$1" "$OS_TIMEOUT" node yellow; }

start() {
	local started pid java_home
	started="$(now)"
	pid="$(node_pid)"
	if [ -n "$pid" ]; then
		same_port_or_die
		log "already running (pid $pid) at $SEARCH_URL"
		wait_ready "$pid"
		echo "SEARCH_URL=$SEARCH_URL"
		return 0
	fi
	if port_in_use "$OS_PORT"; then
		die "port $OS_PORT is taken by another program; choose another with KRONIKA_OPENSEARCH_PORT=…"
	fi
	mkdir -p "$OS_DIR" "$NODE_DIR"
	build
	java_home="$(find_java_home)"
	# KRONIKA_OPENSEARCH_KEEP_DATA=1: start on the data of the last run (a node coming back
	# after a crash, as the fault tests need); otherwise a fresh, empty node.
	if [ "${KRONIKA_OPENSEARCH_KEEP_DATA:-0}" != 1 ]; then
		rm -rf "$HOME_DIR"
	fi
	mkdir -p "$HOME_DIR"

	# setsid: the node has its own process group, so a Ctrl-C in the terminal reaches the
	# test script, whose trap stops the node cleanly.
	setsid "$java_home/bin/java" \
		"-Xms$OS_HEAP_MIN" "-Xmx$OS_HEAP_MAX" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
		--enable-native-access=ALL-UNNAMED \
		-Djava.awt.headless=true -Dfile.encoding=UTF-8 -Dlog4j2.disable.jmx=true \
		-Djava.io.tmpdir="$HOME_DIR" \
		-Dkronika.base.path="$HOME_DIR" -Dkronika.http.port="$OS_PORT" \
		-Dkronika.transport.port="$OS_TRANSPORT_PORT" -Dkronika.cluster.name="$OS_CLUSTER" \
		-Dkronika.seed.hosts="$OS_SEED_HOSTS" -Dkronika.node.name="$OS_NAME" \
		-Dkronika.node.manager="$([ "$OS_MANAGER" = 0 ] && echo false || echo true)" \
		-Dkronika.initial.managers="$OS_INITIAL_MANAGERS" \
		-cp "$BUILD_DIR/classes:$BUILD_DIR/lib/*" "$MAIN_CLASS" \
		</dev/null >"$LOG_FILE" 2>&1 &
	pid=$!
	echo "$pid" >"$PID_FILE"
	echo "$OS_PORT" >"$PORT_FILE"

	wait_ready "$pid"
	log "OpenSearch $(node_version) up at $SEARCH_URL in $(elapsed "$started") s (pid $pid, log $LOG_FILE)"
	echo "SEARCH_URL=$SEARCH_URL"
}

stop() { stop_service "$MAIN_CLASS"; }

status() {
	local pid
	pid="$(node_pid)"
	[ -z "$pid" ] || same_port_or_die
	if [ -n "$pid" ] && http_get "$SEARCH_URL/_cluster/health" 5 >/dev/null 2>&1; then
		log "running (pid $pid), OpenSearch $(node_version) at $SEARCH_URL"
		echo "SEARCH_URL=$SEARCH_URL"
		return 0
	fi
	if [ -n "$pid" ]; then
		log "process $pid is alive but $SEARCH_URL does not answer (log: $LOG_FILE)"
	else
		log "not running"
	fi
	return 3
}

case "${1:-}" in
build) mkdir -p "$OS_DIR" && build ;;
start) start ;;
stop) stop ;;
status) status ;;
url) echo "$SEARCH_URL" ;;
pid) node_pid ;;
java-home) find_java_home ;;
*)
	echo "usage: $0 build|start|stop|status|url|pid|java-home" >&2
	exit 2
	;;
esac
