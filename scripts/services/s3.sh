#!/usr/bin/env bash
# A throwaway S3-compatible object store for the service-tier tests (docs/services.md):
# SeaweedFS (`weed mini`: master, volume server, filer and S3 gateway in one process),
# built from its Go module and listening on 127.0.0.1 only.
#
#   scripts/services/s3.sh build    build `weed` into var/services/s3/bin (Go module proxy)
#   scripts/services/s3.sh start    start on 127.0.0.1:$KRONIKA_S3_PORT (58333)
#   scripts/services/s3.sh stop     SIGTERM, the server closes cleanly
#   scripts/services/s3.sh status   exit 0 when our server answers, 3 when it does not
#   scripts/services/s3.sh env      print the AWS_* settings Kronika needs for it
#
# `start` and `status` print AWS_S3_ENDPOINT_URL=…, AWS_ACCESS_KEY_ID=…,
# AWS_SECRET_ACCESS_KEY=… and AWS_STORAGE_BUCKET_NAME=… on stdout (everything else goes to
# stderr). The server's ports are $KRONIKA_S3_PORT (S3) and the nine above it (master,
# volume, filer, their gRPC ports, the S3 gRPC and admin ports); its data is in
# var/services/s3/data (wiped on each start), its pid in var/services/s3.pid, its output in
# var/services/s3.log. The bucket $KRONIKA_S3_BUCKET (kronika-test) is created at start;
# the one identity (KRONIKA_S3_ACCESS_KEY / KRONIKA_S3_SECRET_KEY, test-only defaults) may
# do everything.
#
# The build needs Go 1.26+ and the Go module proxy; it is kept in var/services/s3/bin
# (redone only when KRONIKA_SEAWEEDFS_VERSION changes), the Go caches hold the rest.
set -euo pipefail
SERVICE_NAME=s3
# shellcheck source=scripts/services/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SEAWEEDFS_MODULE=github.com/seaweedfs/seaweedfs
SEAWEEDFS_VERSION="${KRONIKA_SEAWEEDFS_VERSION:-v0.0.0-20261109003541-7506e5f91cd6}"
S3_PORT="${KRONIKA_S3_PORT:-58333}"
S3_BUCKET="${KRONIKA_S3_BUCKET:-kronika-test}"
S3_ACCESS_KEY="${KRONIKA_S3_ACCESS_KEY:-kronika-test}"
S3_SECRET_KEY="${KRONIKA_S3_SECRET_KEY:-kronika-test-secret-not-for-production}"
S3_TIMEOUT="${KRONIKA_S3_TIMEOUT:-120}"
case "$S3_PORT" in
'' | *[!0-9]*) die "KRONIKA_S3_PORT must be a port number" ;;
esac
[ "$S3_PORT" -le 65526 ] || die "KRONIKA_S3_PORT must leave nine ports above it"
S3_DIR="$SERVICES_DIR/s3"
BIN_DIR="$S3_DIR/bin"
WEED="$BIN_DIR/weed"
DATA_DIR="$S3_DIR/data"
PID_FILE="$SERVICES_DIR/s3.pid"
PORT_FILE="$SERVICES_DIR/s3.port"
LOG_FILE="$SERVICES_DIR/s3.log"
ENDPOINT="http://127.0.0.1:$S3_PORT"

print_env() {
	echo "AWS_S3_ENDPOINT_URL=$ENDPOINT"
	echo "AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY"
	echo "AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY"
	echo "AWS_STORAGE_BUCKET_NAME=$S3_BUCKET"
}

build_is_current() {
	[ -x "$WEED" ] && [ "$(cat "$BIN_DIR/.built" 2>/dev/null)" = "$SEAWEEDFS_VERSION" ]
}

# Build `weed` from the module's source. Not `go install module@version`: SeaweedFS's go.mod
# has replace directives, which `go install …@version` refuses; building inside the
# downloaded module (read-only in the module cache) honours them.
build() {
	if build_is_current; then
		return 0
	fi
	command -v go >/dev/null || die "Go is not installed (SeaweedFS needs Go 1.26 or newer: https://go.dev/dl/)"
	local started source
	started="$(now)"
	mkdir -p "$BIN_DIR"
	log "building SeaweedFS $SEAWEEDFS_VERSION with $(go version | cut -d' ' -f3) (first run: downloads and compiles for several minutes)"
	source="$(cd / && go mod download -json "$SEAWEEDFS_MODULE@$SEAWEEDFS_VERSION" |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir") or ""); sys.exit(1 if d.get("Error") else 0)')" ||
		die "the Go module proxy did not give $SEAWEEDFS_MODULE@$SEAWEEDFS_VERSION"
	[ -d "$source/weed" ] || die "no weed/ in $source"
	if ! (cd "$source" && GOFLAGS="-buildvcs=false -mod=readonly" \
		go build -trimpath -o "$WEED.new" ./weed) >"$S3_DIR/build.log" 2>&1; then
		tail -n 40 "$S3_DIR/build.log" >&2
		die "go build failed (full log: $S3_DIR/build.log)"
	fi
	mv "$WEED.new" "$WEED"
	echo "$SEAWEEDFS_VERSION" >"$BIN_DIR/.built"
	log "built $WEED in $(elapsed "$started") s"
}

# The pid of our server when it is alive, else nothing.
server_pid() { live_pid "$PID_FILE" weed; }

same_port_or_die() { die_if_other_port "$(cat "$PORT_FILE" 2>/dev/null || true)" "$S3_PORT" server; }

# True when the S3 gateway answers and our bucket exists (any HTTP answer to a signed-less
# HEAD of the bucket other than 404 means both: 403 or 200).
answers() {
	python3 - "$ENDPOINT/$S3_BUCKET" <<'PY'
import sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(urllib.request.Request(sys.argv[1], method="HEAD"), timeout=3)
except urllib.error.HTTPError as error:
    sys.exit(1 if error.code in (404, 502, 503) else 0)
except Exception:
    sys.exit(1)
PY
}

wait_ready() { wait_until_ready "$1" "$S3_TIMEOUT" server answers; }

start() {
	local started pid port
	started="$(now)"
	pid="$(server_pid)"
	if [ -n "$pid" ]; then
		same_port_or_die
		log "already running (pid $pid) at $ENDPOINT"
		wait_ready "$pid"
		print_env
		return 0
	fi
	for port in $(seq "$S3_PORT" $((S3_PORT + 9))); do
		port_in_use "$port" && die "port $port is taken by another program; choose another base with KRONIKA_S3_PORT=…"
	done
	mkdir -p "$S3_DIR"
	build
	rm -rf "$DATA_DIR"
	mkdir -p "$DATA_DIR"
	python3 - "$DATA_DIR/s3.json" "$S3_ACCESS_KEY" "$S3_SECRET_KEY" <<'PY'
import json, sys
path, key, secret = sys.argv[1:]
identity = {
    "name": "kronika",
    "credentials": [{"accessKey": key, "secretKey": secret}],
    "actions": ["Admin", "Read", "List", "Tagging", "Write"],
}
with open(path, "w") as out:
    json.dump({"identities": [identity]}, out)
PY
	# setsid: its own process group (a Ctrl-C reaches the test script, whose trap stops it).
	setsid "$WEED" mini -dir="$DATA_DIR" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
		-s3.port="$S3_PORT" -master.port=$((S3_PORT + 1)) -master.port.grpc=$((S3_PORT + 2)) \
		-volume.port=$((S3_PORT + 3)) -volume.port.grpc=$((S3_PORT + 4)) \
		-filer.port=$((S3_PORT + 5)) -filer.port.grpc=$((S3_PORT + 6)) \
		-s3.port.grpc=$((S3_PORT + 7)) -admin.port=$((S3_PORT + 8)) \
		-admin.port.grpc=$((S3_PORT + 9)) -admin.port.legacy=0 -admin.ui=false \
		-s3.port.iceberg=0 -s3.port.lance=0 -webdav=false \
		-master.volumeSizeLimitMB=64 -s3.config="$DATA_DIR/s3.json" -bucket="$S3_BUCKET" \
		</dev/null >"$LOG_FILE" 2>&1 &
	pid=$!
	echo "$pid" >"$PID_FILE"
	echo "$S3_PORT" >"$PORT_FILE"
	wait_ready "$pid"
	log "SeaweedFS S3 up at $ENDPOINT in $(elapsed "$started") s (pid $pid, bucket $S3_BUCKET, log $LOG_FILE)"
	print_env
}

stop() { stop_service weed; }

status() {
	local pid
	pid="$(server_pid)"
	[ -z "$pid" ] || same_port_or_die
	if [ -n "$pid" ] && answers; then
		log "running (pid $pid) at $ENDPOINT"
		print_env
		return 0
	fi
	if [ -n "$pid" ]; then
		log "process $pid is alive but $ENDPOINT does not answer (log: $LOG_FILE)"
	else
		log "not running"
	fi
	return 3
}

case "${1:-}" in
build) mkdir -p "$S3_DIR" && build ;;
start) start ;;
stop) stop ;;
status) status ;;
env) print_env ;;
*)
	echo "usage: $0 build|start|stop|status|env" >&2
	exit 2
	;;
esac
