#!/usr/bin/env bash
# The production stack on loopback, for the service tier (docs/services.md, docs/deployment.md):
# nginx (Debian's package) with the site of deploy/nginx/kronika.conf, TLS on a self-signed
# certificate, in front of gunicorn (deploy/gunicorn.conf.py) and the indexing worker
# (process_search_outbox --loop), on the PostgreSQL and OpenSearch the tier already runs.
#
#   scripts/services/stack.sh install  apt-get install nginx (and openssl) if missing
#   scripts/services/stack.sh start    fresh database + index, demo catalogue, then the processes
#   scripts/services/stack.sh stop     stops nginx, gunicorn and the worker (the ones it started)
#   scripts/services/stack.sh status   exit 0 (and the addresses) when all three run, 3 when
#                                      none does, 1 when only some do
#
# Needs KRONIKA_TEST_DATABASE_URL (a PostgreSQL server; its database name + "_stack" is
# created, or KRONIKA_STACK_DATABASE) and, optionally, KRONIKA_TEST_SEARCH_URL (an OpenSearch
# node; the alias is its path + "_stack", default kronika_stack). Without a search URL the
# site searches its database. `start` prints STACK_URL=, STACK_HTTP_URL=, STACK_ENV= (the
# environment the processes got, for `manage.py` commands against the same site) and
# STACK_CERT= on stdout; everything else goes to stderr. All processes listen on 127.0.0.1.
# KRONIKA_STACK_EXTRA_ENV (NAME=value lines) is added to the processes' environment.
# KRONIKA_STACK_START_TIMEOUT: seconds gunicorn and nginx get to answer (60 and 30; more on a
# busy machine).
set -euo pipefail
SERVICE_NAME=stack
# shellcheck source=scripts/services/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STACK_DIR="$SERVICES_DIR/stack"
HTTPS_PORT="${KRONIKA_STACK_HTTPS_PORT:-58443}"
HTTP_PORT="${KRONIKA_STACK_HTTP_PORT:-58080}"
APP_PORT="${KRONIKA_STACK_APP_PORT:-58000}"
WORKERS="${KRONIKA_STACK_WORKERS:-2}"
PY="${KRONIKA_PYTHON:-$KRONIKA_ROOT/.venv/bin/python}"
case "$PY" in /*) ;; *) PY="$KRONIKA_ROOT/$PY" ;; esac

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# The database URL with its name replaced, and the search URL with its alias replaced.
stack_urls() {
	"$PY" - "${KRONIKA_TEST_DATABASE_URL:-}" "${KRONIKA_TEST_SEARCH_URL:-}" "${KRONIKA_STACK_DATABASE:-}" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit
db, search, name = sys.argv[1:4]
parts = urlsplit(db)
if not parts.scheme.startswith("postgres"):
    sys.exit("KRONIKA_TEST_DATABASE_URL must be a postgres:// URL (make test-services sets it)")
name = name or (parts.path.strip("/") or "kronika") + "_stack"
print("DATABASE_URL=" + urlunsplit(parts._replace(path="/" + name)))
print("STACK_DATABASE=" + name)
if search:
    parts = urlsplit(search)
    alias = (parts.path.strip("/") or "kronika") + "_stack"
    print("SEARCH_URL=" + urlunsplit(parts._replace(path="/" + alias)))
PY
}

# Drop and create the stack's database (unaccent and pg_trgm come from template1, or are
# created by the migrations).
fresh_database() {
	"$PY" - "$1" "$2" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit
import psycopg
url, name = sys.argv[1:3]
admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
with psycopg.connect(admin, autocommit=True) as connection:
    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.execute(f'CREATE DATABASE "{name}"')
PY
}

# Wait until URL answers 2xx (self-signed TLS accepted), at most $2 seconds.
wait_for() {
	"$PY" - "$1" "$2" <<'PY' || return 1
import ssl, sys, time, urllib.request
url, limit = sys.argv[1], float(sys.argv[2])
# As nginx asks gunicorn: over HTTPS (SECURE_SSL_REDIRECT would redirect plain HTTP).
request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
deadline = time.monotonic() + limit
while True:
    try:
        with urllib.request.urlopen(request, timeout=5, context=context) as answer:
            if answer.status < 300:
                sys.exit(0)
    except Exception as error:
        last = error
    if time.monotonic() > deadline:
        sys.exit(f"{url} did not answer in {limit:.0f} s: {last}")
    time.sleep(0.3)
PY
}

install_nginx() {
	if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then
		return
	fi
	apt_install nginx
}

nginx_bin() { command -v nginx || echo /usr/sbin/nginx; }

render_site() {
	# The production template with loopback values; no IPv6 listeners (a container may
	# have no ::1).
	sed -e "s|@SERVER_NAME@|127.0.0.1 localhost|g" \
		-e "s|@HTTPS_PORT@|$HTTPS_PORT|g" -e "s|@HTTP_PORT@|$HTTP_PORT|g" \
		-e "s|@SSL_CERTIFICATE@|$STACK_DIR/tls/cert.pem|g" \
		-e "s|@SSL_CERTIFICATE_KEY@|$STACK_DIR/tls/key.pem|g" \
		-e "s|@STATIC_ROOT@|$STACK_DIR/static|g" \
		-e "s|@UPSTREAM@|127.0.0.1:$APP_PORT|g" \
		-e "s|@CACHE_DIR@|$STACK_DIR/nginx/cache|g" \
		-e "s|@ACME_ROOT@|$STACK_DIR/nginx/acme|g" \
		-e "s|^\(\s*\)listen \([0-9]\)|\1listen 127.0.0.1:\2|" \
		-e '/listen \[::\]/d' \
		"$KRONIKA_ROOT/deploy/nginx/kronika.conf" >"$STACK_DIR/nginx/kronika.conf"
	grep -v '^\s*#' "$STACK_DIR/nginx/kronika.conf" | grep -q '@[A-Z_]*@' &&
		die "a placeholder of deploy/nginx/kronika.conf was left unrendered"
	# The main configuration: everything nginx writes stays under $STACK_DIR/nginx. As root
	# the workers run as root too (they must read the checkout, which may be under /root).
	local user_line=""
	if is_root; then user_line="user root;"; fi
	cat >"$STACK_DIR/nginx/nginx.conf" <<-CONF
		$user_line
		worker_processes 1;
		pid $STACK_DIR/nginx/nginx.pid;
		error_log $STACK_DIR/nginx/error.log warn;
		events { worker_connections 512; }
		http {
		    include /etc/nginx/mime.types;
		    default_type application/octet-stream;
		    sendfile on;
		    server_tokens off;
		    access_log $STACK_DIR/nginx/access.log;
		    client_body_temp_path $STACK_DIR/nginx/tmp/body;
		    proxy_temp_path $STACK_DIR/nginx/tmp/proxy;
		    fastcgi_temp_path $STACK_DIR/nginx/tmp/fastcgi;
		    uwsgi_temp_path $STACK_DIR/nginx/tmp/uwsgi;
		    scgi_temp_path $STACK_DIR/nginx/tmp/scgi;
		    include $STACK_DIR/nginx/kronika.conf;
		}
	CONF
}

write_env() {
	local urls="$1"
	umask 077
	{
		echo "DEBUG=0"
		echo "SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
		echo "ALLOWED_HOSTS=127.0.0.1,localhost"
		echo "CSRF_TRUSTED_ORIGINS=https://127.0.0.1:$HTTPS_PORT,https://localhost:$HTTPS_PORT"
		sed -n 's/^DATABASE_URL=/DATABASE_URL=/p' <<<"$urls"
		if grep -q '^SEARCH_URL=' <<<"$urls"; then
			echo "SEARCH_BACKEND=opensearch"
			grep '^SEARCH_URL=' <<<"$urls"
		fi
		echo "TASKS_BACKEND=django_tasks.backends.dummy.DummyBackend"
		echo "API_NUM_PROXIES=1"
		echo "STATIC_ROOT=$STACK_DIR/static"
		echo "MEDIA_ROOT=$STACK_DIR/media"
		echo "KRONIKA_LOCK_DIR=$STACK_DIR/locks"
		echo "KRONIKA_IMPORT_STAGING_DIR=$STACK_DIR/import-staging"
		echo "KRONIKA_CLASSROOM_CACHE_DIR=$STACK_DIR/cache/classroom"
		echo "KRONIKA_IIIF_CACHE_DIR=$STACK_DIR/cache/iiif"
		echo "KRONIKA_OAI_REPOSITORY_ID=kronika.test"
		echo "KRONIKA_OAI_ADMIN_EMAIL=archiwum@kronika.test"
		echo "KRONIKA_CONTACT_EMAIL=archiwum@kronika.test"
		echo "KRONIKA_CONTACT_PHONE=\"+48 46 000 00 00\""
		echo "KRONIKA_BIND=127.0.0.1:$APP_PORT"
		echo "WEB_CONCURRENCY=$WORKERS"
		echo "KRONIKA_ACCESS_LOG=$STACK_DIR/gunicorn-access.log"
		echo "LOG_LEVEL=WARNING"
		# The HTTPS settings of deploy/kronika.env.example, as production sets them (nginx
		# sends X-Forwarded-Proto, gunicorn trusts it from 127.0.0.1).
		echo "KRONIKA_HTTPS=1"
		echo "SECURE_SSL_REDIRECT=1"
		echo "SECURE_HSTS_SECONDS=3600"
		echo "SESSION_COOKIE_SECURE=1"
		echo "CSRF_COOKIE_SECURE=1"
		# Settings a caller adds for its run (benchmarks/load.py lifts the anonymous API
		# rate limit: all its clients share one address), one NAME=value a line.
		if [ -n "${KRONIKA_STACK_EXTRA_ENV:-}" ]; then printf '%s\n' "$KRONIKA_STACK_EXTRA_ENV"; fi
	} >"$STACK_DIR/env"
	umask 022
}

# Run a command with the stack's environment and nothing else of the caller's (a test
# process's settings must not leak into the site's processes).
with_env() {
	(cd "$KRONIKA_ROOT" && exec env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 \
		TMPDIR="${TMPDIR:-/tmp}" bash -c 'set -a && . "$0" && set +a && exec "$@"' "$STACK_DIR/env" "$@")
}

start() {
	local started urls name
	started="$(now)"
	if pid_alive "$STACK_DIR/gunicorn.pid" || pid_alive "$STACK_DIR/nginx/nginx.pid"; then
		die "the stack already runs ($0 stop first)"
	fi
	[ -x "$PY" ] || die "no Python at $PY (set KRONIKA_PYTHON)"
	[ -n "${KRONIKA_TEST_DATABASE_URL:-}" ] || die "KRONIKA_TEST_DATABASE_URL is not set (make test-services sets it)"
	local port
	for port in "$HTTPS_PORT" "$HTTP_PORT" "$APP_PORT"; do
		port_in_use "$port" && die "port $port is taken; choose others with KRONIKA_STACK_{HTTPS,HTTP,APP}_PORT"
	done
	install_nginx
	command -v openssl >/dev/null || apt_install openssl

	urls="$(stack_urls)" || die "cannot derive the stack's URLs"
	name="$(sed -n 's/^STACK_DATABASE=//p' <<<"$urls")"
	rm -rf "$STACK_DIR"
	mkdir -p "$STACK_DIR"/{tls,media,static,locks,import-staging,cache} "$STACK_DIR"/nginx/{tmp,cache,acme}
	write_env "$urls"

	log "self-signed certificate for 127.0.0.1"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
		-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
		-keyout "$STACK_DIR/tls/key.pem" -out "$STACK_DIR/tls/cert.pem" 2>"$STACK_DIR/tls/openssl.log" ||
		die "openssl failed: $(cat "$STACK_DIR/tls/openssl.log")"

	# No rebuild_search_index: load_demo queued every item in the search outbox, and the
	# worker (like production's) builds the index from it.
	log "database $name: create, migrate, demo catalogue, static files"
	fresh_database "$(sed -n 's/^DATABASE_URL=//p' <<<"$urls")" "$name" || die "cannot create database $name"
	# One Python process for all the setup commands: Django starts once.
	with_env "$PY" - >"$STACK_DIR/setup.log" 2>&1 <<-'PY' || die "setup failed: $(tail -n 30 "$STACK_DIR/setup.log")"
		import os, time
		import django
		os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
		django.setup()
		from django.core.management import call_command
		steps = [
		    ("migrate", {"interactive": False}),
		    ("load_demo", {}),
		    ("collectstatic", {"interactive": False}),
		]
		for name, options in steps:
		    started = time.monotonic()
		    call_command(name, verbosity=0, **options)
		    print(f"{name}: {time.monotonic() - started:.1f} s", flush=True)
	PY
	log "gunicorn on 127.0.0.1:$APP_PORT ($WORKERS workers), the worker, nginx on :$HTTPS_PORT/:$HTTP_PORT"
	with_env setsid "$PY" -m gunicorn -c deploy/gunicorn.conf.py --pid "$STACK_DIR/gunicorn.pid" \
		>"$STACK_DIR/gunicorn.log" 2>&1 </dev/null &
	# The worker writes its own pid (the shell's, which then becomes Python's through exec),
	# in a session of its own.
	with_env setsid -f sh -c 'echo $$ >"$0" && exec "$@"' "$STACK_DIR/worker.pid" \
		"$PY" manage.py process_search_outbox --loop --interval 1 \
		>"$STACK_DIR/worker.log" 2>&1 </dev/null
	for _ in $(seq 50); do [ -s "$STACK_DIR/worker.pid" ] && break; sleep 0.1; done
	wait_for "http://127.0.0.1:$APP_PORT/healthz" "${KRONIKA_STACK_START_TIMEOUT:-60}" 2>>"$STACK_DIR/gunicorn.log" ||
		die "gunicorn did not start: $(tail -n 30 "$STACK_DIR/gunicorn.log")"

	render_site
	"$(nginx_bin)" -t -q -c "$STACK_DIR/nginx/nginx.conf" -p "$STACK_DIR/nginx/" -e "$STACK_DIR/nginx/error.log" ||
		die "nginx rejects the rendered site: $(tail -n 5 "$STACK_DIR/nginx/error.log")"
	"$(nginx_bin)" -c "$STACK_DIR/nginx/nginx.conf" -p "$STACK_DIR/nginx/" -e "$STACK_DIR/nginx/error.log" ||
		die "nginx did not start: $(tail -n 5 "$STACK_DIR/nginx/error.log")"
	wait_for "https://127.0.0.1:$HTTPS_PORT/healthz" "${KRONIKA_STACK_START_TIMEOUT:-30}" ||
		die "nginx does not answer: $(tail -n 5 "$STACK_DIR/nginx/error.log")"
	pid_alive "$STACK_DIR/worker.pid" || die "the worker stopped: $(tail -n 20 "$STACK_DIR/worker.log")"

	log "up in $(elapsed "$started") s: https://127.0.0.1:$HTTPS_PORT/ (state: $STACK_DIR)"
	addresses
}

addresses() {
	echo "STACK_URL=https://127.0.0.1:$HTTPS_PORT"
	echo "STACK_HTTP_URL=http://127.0.0.1:$HTTP_PORT"
	echo "STACK_ENV=$STACK_DIR/env"
	echo "STACK_CERT=$STACK_DIR/tls/cert.pem"
}

# Stop the process in pid file $1 with signal $2, waiting for it at most 20 s.
stop_pid() {
	pid_alive "$1" || return 0
	terminate "$(cat "$1")" 20 "$2"
	rm -f "$1"
}

stop() {
	stop_pid "$STACK_DIR/nginx/nginx.pid" QUIT
	stop_pid "$STACK_DIR/worker.pid" TERM
	stop_pid "$STACK_DIR/gunicorn.pid" TERM
	log "stopped"
}

status() {
	local running=()
	pid_alive "$STACK_DIR/nginx/nginx.pid" && running+=(nginx)
	pid_alive "$STACK_DIR/gunicorn.pid" && running+=(gunicorn)
	pid_alive "$STACK_DIR/worker.pid" && running+=(worker)
	if [ "${#running[@]}" -eq 0 ]; then
		log "not running"
		return 3
	fi
	log "running: ${running[*]} (https://127.0.0.1:$HTTPS_PORT/)"
	[ "${#running[@]}" -eq 3 ] || return 1
	addresses
}

case "${1:-}" in
install)
	install_nginx
	command -v openssl >/dev/null || apt_install openssl
	;;
start) start ;;
stop) stop ;;
status) status ;;
*)
	echo "usage: $0 install|start|stop|status" >&2
	exit 2
	;;
esac
