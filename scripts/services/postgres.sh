#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the service-tier tests (docs/services.md).
#
#   scripts/services/postgres.sh install   apt-get install postgresql postgresql-contrib if missing
#   scripts/services/postgres.sh start     fresh cluster on 127.0.0.1:$KRONIKA_PG_PORT (54329)
#   scripts/services/postgres.sh stop      pg_ctl stop -m fast
#   scripts/services/postgres.sh status    exit 0 when our cluster runs, 3 when it does not
#   scripts/services/postgres.sh url       print the DATABASE_URL
#   scripts/services/postgres.sh resume    start the stopped cluster again, keeping its data
#                                          (a restart: the fault tests stop and resume their own)
#
# A second cluster beside the first (the fault tests start their own and restart it):
#   KRONIKA_PG_PORT=55432 KRONIKA_PG_DIR=/tmp/kronika-pg-faults/pg scripts/services/postgres.sh start
#
# `start` prints DATABASE_URL=… on stdout (everything else goes to stderr). The cluster has
# trust auth on loopback, the superuser `postgres`, databases `kronika` and `kronika_test`,
# and unaccent + pg_trgm installed in template1, so every database created later (Django's
# `test_kronika` too) has them. Its data is wiped on each start: it is for tests only.
set -euo pipefail
SERVICE_NAME=postgres
# shellcheck source=scripts/services/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_PORT="${KRONIKA_PG_PORT:-54329}"
PG_HOST=127.0.0.1
PG_USER=postgres
PG_DATABASES=(kronika kronika_test)
PG_EXTENSIONS=(unaccent pg_trgm)
DATABASE_URL="postgres://$PG_USER@$PG_HOST:$PG_PORT/kronika"

# The server refuses to run as root: as root we run it as the `postgres` system user.
if is_root; then RUN_USER="${KRONIKA_PG_RUN_USER:-postgres}"; else RUN_USER="$(id -un)"; fi

as_run_user() {
	if is_root; then
		(cd / && runuser -u "$RUN_USER" -- "$@")
	else
		"$@"
	fi
}

# Directory of initdb/pg_ctl: $KRONIKA_PG_BIN, else the newest /usr/lib/postgresql/<ver>/bin,
# else whatever is on PATH.
find_pg_bin() {
	if [ -n "${KRONIKA_PG_BIN:-}" ]; then
		echo "$KRONIKA_PG_BIN"
		return
	fi
	local dir
	dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
	if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
		echo "$dir"
	elif command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
		dirname "$(readlink -f "$(command -v pg_ctl)")"
	fi
}

# The cluster directory must be reachable by the server's user. A checkout under /root is
# not (mode 700), so then the cluster lives under /tmp instead; status/stop find it the same way.
pg_dir() {
	local wanted="$SERVICES_DIR/pg"
	if ! is_root || [ -n "${KRONIKA_PG_DIR:-}" ]; then
		echo "${KRONIKA_PG_DIR:-$wanted}"
		return
	fi
	mkdir -p "$SERVICES_DIR"
	if runuser -u "$RUN_USER" -- test -x "$SERVICES_DIR" 2>/dev/null; then
		echo "$wanted"
	else
		echo "${TMPDIR:-/tmp}/kronika-pg-$(printf '%s' "$KRONIKA_ROOT" | cksum | cut -d' ' -f1)"
	fi
}

install_pg() {
	if [ -n "$(find_pg_bin)" ] && [ -n "$(find /usr/share/postgresql -name 'unaccent.control' 2>/dev/null | head -n 1)" ]; then
		return
	fi
	apt_install postgresql postgresql-contrib
	[ -n "$(find_pg_bin)" ] || die "PostgreSQL was installed but initdb/pg_ctl are not in /usr/lib/postgresql/*/bin"
}

ensure_run_user() {
	is_root || return 0
	if ! id -u "$RUN_USER" >/dev/null 2>&1; then
		log "creating the system user $RUN_USER"
		useradd --system --no-create-home --shell /usr/sbin/nologin "$RUN_USER"
	fi
}

pg_running() {
	local bin dir
	bin="$(find_pg_bin)"
	dir="$(pg_dir)/data"
	[ -n "$bin" ] && [ -f "$dir/PG_VERSION" ] && as_run_user "$bin/pg_ctl" status -D "$dir" >/dev/null 2>&1
}

# Port of our running cluster (line 4 of postmaster.pid), which may differ from $PG_PORT.
running_port() {
	sed -n 4p "$(pg_dir)/data/postmaster.pid" 2>/dev/null
}

# Fail when our cluster runs on another port than the one asked for.
same_port_or_die() { die_if_other_port "$(running_port)" "$PG_PORT" cluster; }

psql_admin() {
	"$(find_pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$@"
}

start() {
	local started bin dir
	started="$(now)"
	if pg_running; then
		same_port_or_die
		log "already running on $PG_HOST:$PG_PORT ($(pg_dir)/data)"
		echo "DATABASE_URL=$DATABASE_URL"
		return 0
	fi
	if port_in_use "$PG_PORT"; then
		die "port $PG_PORT is taken by another program; choose another with KRONIKA_PG_PORT=…"
	fi
	install_pg
	ensure_run_user
	bin="$(find_pg_bin)"
	dir="$(pg_dir)"
	case "$dir" in
	*/pg | */kronika-pg-*) ;;
	*) die "refusing to wipe $dir: a cluster directory must end in /pg or be /tmp/kronika-pg-*" ;;
	esac
	rm -rf "$dir"
	mkdir -p "$dir"
	if is_root; then chown "$RUN_USER:" "$dir"; fi
	chmod 700 "$dir"
	as_run_user "$bin/initdb" -D "$dir/data" -U "$PG_USER" --auth=trust --encoding=UTF8 \
		--locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
		die "initdb failed: $(tail -n 20 "$dir/initdb.log")"
	# Loopback only, no Unix socket (its path length and directory rights vary), and no
	# durability: the cluster is thrown away after the tests.
	cat >>"$dir/data/postgresql.conf" <<-CONF

		# --- Kronika test cluster (scripts/services/postgres.sh) ---
		listen_addresses = '$PG_HOST'
		port = $PG_PORT
		unix_socket_directories = ''
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		max_connections = 100
		log_min_messages = warning
	CONF
	if is_root; then chown "$RUN_USER:" "$dir/data/postgresql.conf"; fi
	if ! as_run_user "$bin/pg_ctl" start -D "$dir/data" -l "$dir/postgres.log" -w -t 60 >/dev/null; then
		die "the server did not start: $(tail -n 30 "$dir/postgres.log" 2>/dev/null)"
	fi

	local ext db
	for ext in "${PG_EXTENSIONS[@]}"; do
		psql_admin -d template1 -c "CREATE EXTENSION IF NOT EXISTS $ext" ||
			die "extension $ext is not available (is postgresql-contrib installed?)"
	done
	for db in "${PG_DATABASES[@]}"; do
		psql_admin -d postgres -c "CREATE DATABASE $db"
	done
	local version
	version="$(psql_admin -d postgres -At -c 'SHOW server_version')"
	log "PostgreSQL $version up on $PG_HOST:$PG_PORT in $(elapsed "$started") s (data: $dir/data)"
	echo "DATABASE_URL=$DATABASE_URL"
}

# Start the existing cluster again (after `stop`), data kept: a database restart as a site sees it.
resume() {
	local started dir
	started="$(now)"
	if pg_running; then
		same_port_or_die
		log "already running on $PG_HOST:$PG_PORT"
		echo "DATABASE_URL=$DATABASE_URL"
		return 0
	fi
	dir="$(pg_dir)"
	[ -f "$dir/data/PG_VERSION" ] || die "no cluster in $dir/data to resume; use start"
	if ! as_run_user "$(find_pg_bin)/pg_ctl" start -D "$dir/data" -l "$dir/postgres.log" -w -t 60 >/dev/null; then
		die "the server did not start again: $(tail -n 30 "$dir/postgres.log" 2>/dev/null)"
	fi
	log "resumed on $PG_HOST:$PG_PORT in $(elapsed "$started") s"
	echo "DATABASE_URL=$DATABASE_URL"
}

stop() {
	if ! pg_running; then
		log "not running"
		return 0
	fi
	as_run_user "$(find_pg_bin)/pg_ctl" stop -D "$(pg_dir)/data" -m fast -w -t 60 >/dev/null
	log "stopped"
}

status() {
	if pg_running; then
		same_port_or_die
		log "running on $PG_HOST:$PG_PORT ($(pg_dir)/data)"
		echo "DATABASE_URL=$DATABASE_URL"
		return 0
	fi
	log "not running"
	return 3
}

case "${1:-}" in
install) install_pg ;;
start) start ;;
stop) stop ;;
status) status ;;
url) echo "$DATABASE_URL" ;;
resume) resume ;;
*)
	echo "usage: $0 install|start|stop|status|url|resume" >&2
	exit 2
	;;
esac
