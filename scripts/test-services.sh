#!/usr/bin/env bash
# make test-services: the service and browser tiers against real services (docs/services.md).
#
# 1. Installs what is missing (PostgreSQL, Chromium and nginx from Debian, the OpenSearch node from
#    Maven Central, SeaweedFS's S3 server from the Go module proxy) and starts what is not
#    running: a throwaway PostgreSQL cluster, an OpenSearch node and an S3 server (in parallel;
#    their addresses can be changed, see docs/services.md).
# 2. Runs the marked tests: pytest -m "postgres or opensearch or browser or s3" "$@", with Django
#    on PostgreSQL and KRONIKA_TEST_DATABASE_URL, KRONIKA_TEST_SEARCH_URL, KRONIKA_CHROMIUM and
#    KRONIKA_TEST_S3_* set.
# 3. Runs the ordinary suite once more with DATABASE_URL on PostgreSQL (the catalogue on a
#    real PostgreSQL); KRONIKA_PG_SUITE=0 leaves this run out.
# 4. Stops the services it started (never ones that were already running), even on failure
#    or Ctrl-C, and exits 1 when any run failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SERVICES=scripts/services
PY="${KRONIKA_PYTHON:-.venv/bin/python}"
MARKED="postgres or opensearch or browser or s3"

say() { printf '\n=== %s\n' "$*" >&2; }
seconds_since() { echo $((SECONDS - $1)); }

if [ ! -x "$PY" ]; then
	echo "test-services: $PY not found; run \`make install\` first (make test-services does)." >&2
	exit 1
fi
mkdir -p var/services

STARTED=() # services this run started, stopped again on exit
OS_STARTER=""
S3_STARTER=""

cleanup() {
	local rc=$? i
	trap - EXIT INT TERM
	if [ -n "$OS_STARTER" ] && kill -0 "$OS_STARTER" 2>/dev/null; then
		kill "$OS_STARTER" 2>/dev/null
		wait "$OS_STARTER" 2>/dev/null
	fi
	if [ -n "$S3_STARTER" ] && kill -0 "$S3_STARTER" 2>/dev/null; then
		kill "$S3_STARTER" 2>/dev/null
		wait "$S3_STARTER" 2>/dev/null
	fi
	if [ "${#STARTED[@]}" -gt 0 ]; then
		say "stopping what this run started: ${STARTED[*]}"
		for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
			"$SERVICES/${STARTED[i]}.sh" stop || rc=1
		done
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Value of NAME=… in the output of a service script.
value_of() { sed -n "s/^$1=//p" | tail -n 1; }

t_all=$SECONDS
say "services: installing and starting what is missing"

# OpenSearch takes longest (Maven download on a fresh machine, then JVM start): in the background.
os_out="var/services/opensearch-start.out"
if "$SERVICES/opensearch.sh" status >"$os_out" 2>/dev/null; then
	echo "[opensearch] already running; this run will not stop it" >&2
else
	STARTED+=(opensearch)
	"$SERVICES/opensearch.sh" start >"$os_out" &
	OS_STARTER=$!
fi

# The S3 server (SeaweedFS; the first run compiles it from the Go module proxy): in the background.
s3_out="var/services/s3-start.out"
if "$SERVICES/s3.sh" status >"$s3_out" 2>/dev/null; then
	echo "[s3] already running; this run will not stop it" >&2
else
	STARTED+=(s3)
	"$SERVICES/s3.sh" start >"$s3_out" &
	S3_STARTER=$!
fi

t=$SECONDS
chromium_out="$("$SERVICES/chromium.sh" install)" || exit 1
KRONIKA_CHROMIUM="$(value_of KRONIKA_CHROMIUM <<<"$chromium_out")"
echo "[chromium] ready in $(seconds_since $t) s" >&2

# nginx for the production stack (tests/test_deploy_stack.py starts the stack itself).
t=$SECONDS
"$SERVICES/stack.sh" install || exit 1
echo "[stack] nginx ready in $(seconds_since $t) s" >&2

t=$SECONDS
if pg_out="$("$SERVICES/postgres.sh" status 2>/dev/null)"; then
	echo "[postgres] already running; this run will not stop it" >&2
else
	STARTED+=(postgres)
	pg_out="$("$SERVICES/postgres.sh" start)" || exit 1
fi
KRONIKA_TEST_DATABASE_URL="$(value_of DATABASE_URL <<<"$pg_out")"
echo "[postgres] ready in $(seconds_since $t) s" >&2

if [ -n "$OS_STARTER" ]; then
	if ! wait "$OS_STARTER"; then
		echo "[opensearch] did not start (the reason is above; log: var/services/opensearch.log)" >&2
		exit 1
	fi
	OS_STARTER=""
fi
KRONIKA_TEST_SEARCH_URL="$(value_of SEARCH_URL <"$os_out")"
[ -n "$KRONIKA_TEST_SEARCH_URL" ] || {
	echo "[opensearch] no SEARCH_URL reported" >&2
	exit 1
}
if [ -n "$S3_STARTER" ]; then
	if ! wait "$S3_STARTER"; then
		echo "[s3] did not start (the reason is above; log: var/services/s3.log)" >&2
		exit 1
	fi
	S3_STARTER=""
fi
KRONIKA_TEST_S3_ENDPOINT_URL="$(value_of AWS_S3_ENDPOINT_URL <"$s3_out")"
KRONIKA_TEST_S3_ACCESS_KEY_ID="$(value_of AWS_ACCESS_KEY_ID <"$s3_out")"
KRONIKA_TEST_S3_SECRET_ACCESS_KEY="$(value_of AWS_SECRET_ACCESS_KEY <"$s3_out")"
[ -n "$KRONIKA_TEST_S3_ENDPOINT_URL" ] || {
	echo "[s3] no AWS_S3_ENDPOINT_URL reported" >&2
	exit 1
}
export KRONIKA_TEST_S3_ENDPOINT_URL KRONIKA_TEST_S3_ACCESS_KEY_ID KRONIKA_TEST_S3_SECRET_ACCESS_KEY
say "services ready in $(seconds_since $t_all) s:" \
	"KRONIKA_TEST_DATABASE_URL=$KRONIKA_TEST_DATABASE_URL" \
	"KRONIKA_TEST_SEARCH_URL=$KRONIKA_TEST_SEARCH_URL KRONIKA_CHROMIUM=$KRONIKA_CHROMIUM" \
	"KRONIKA_TEST_S3_ENDPOINT_URL=$KRONIKA_TEST_S3_ENDPOINT_URL"
export KRONIKA_TEST_DATABASE_URL KRONIKA_TEST_SEARCH_URL KRONIKA_CHROMIUM

failed=0

t=$SECONDS
say "service and browser tiers: pytest -m \"$MARKED\" $*"
DATABASE_URL="$KRONIKA_TEST_DATABASE_URL" "$PY" -m pytest -m "$MARKED" "$@"
rc=$?
# Exit 5 (nothing collected) is a failure here: tests/test_services_smoke.py is always marked.
[ "$rc" -eq 0 ] || failed=1
echo "[tests] marked tiers: exit $rc in $(seconds_since $t) s" >&2

if [ "${KRONIKA_PG_SUITE:-1}" != 0 ]; then
	t=$SECONDS
	say "ordinary suite on PostgreSQL: DATABASE_URL=$KRONIKA_TEST_DATABASE_URL pytest -m \"not ($MARKED)\" $*"
	DATABASE_URL="$KRONIKA_TEST_DATABASE_URL" "$PY" -m pytest -m "not ($MARKED)" "$@"
	rc=$?
	# Exit 5: the arguments selected only marked tests, so there is nothing to run here.
	[ "$rc" -eq 0 ] || [ "$rc" -eq 5 ] || failed=1
	echo "[tests] ordinary suite on PostgreSQL: exit $rc in $(seconds_since $t) s" >&2
fi

say "test-services: $([ "$failed" -eq 0 ] && echo passed || echo FAILED) in $(seconds_since $t_all) s"
exit "$failed"
