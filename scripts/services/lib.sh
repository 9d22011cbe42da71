# Shared helpers for scripts/services/*.sh (sourced, never run on its own).
# Everything a service writes lives under var/services/ (KRONIKA_SERVICES_DIR overrides it).

KRONIKA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SERVICES_DIR="${KRONIKA_SERVICES_DIR:-$KRONIKA_ROOT/var/services}"
SERVICE_NAME="${SERVICE_NAME:-services}"

log() { printf '[%s] %s\n' "$SERVICE_NAME" "$*" >&2; }
die() {
	log "ERROR: $*"
	exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# HTTP GET with the system Python (curl is not on a bare Debian image).
# Prints the body; exit 0 on a 2xx answer, 1 otherwise.
http_get() {
	python3 - "$1" "${2:-5}" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=float(sys.argv[2])) as answer:
        sys.stdout.write(answer.read().decode("utf-8", "replace"))
except Exception as error:
    sys.stderr.write(f"{error}\n")
    sys.exit(1)
PY
}

# apt-get install the given packages; `apt-get update` runs at most once a day per machine.
apt_install() {
	if ! is_root; then
		die "missing packages: $*. Install them as root: apt-get update && apt-get install -y $*"
	fi
	command -v apt-get >/dev/null || die "apt-get not found; install $* with your system's package manager"
	local stamp="$SERVICES_DIR/.apt-updated"
	mkdir -p "$SERVICES_DIR"
	if [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
		log "apt-get update"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed"
		touch "$stamp"
	fi
	log "apt-get install $*"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
		die "apt-get install $* failed"
}

# Seconds since the epoch with decimals, for timings printed by the scripts.
now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }

# --- Processes the scripts start (pid and port files, start-up wait, stop) -----------------

# Print the pid in file $1 when that process is alive and its command line contains $2
# (a recycled pid of another program does not count); print nothing otherwise.
live_pid() {
	local file="$1" pattern="$2" pid
	[ -f "$file" ] || return 0
	pid="$(cat "$file")"
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q "$pattern" "/proc/$pid/cmdline" 2>/dev/null; then
		echo "$pid"
	fi
}

# Fail when our $3 (node, server, cluster) already runs on port $1 and port $2 was asked for.
die_if_other_port() {
	local running="$1" wanted="$2" what="$3"
	if [ -n "$running" ] && [ "$running" != "$wanted" ]; then
		die "our $what already runs on port $running, not $wanted; stop it first ($0 stop)"
	fi
}

# Send signal $3 (TERM) to pid $1 and wait for it to end, at most $2 seconds; then KILL.
terminate() {
	local pid="$1" seconds="$2" signal="${3:-TERM}" waited=0
	kill "-$signal" "$pid" 2>/dev/null || true
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$waited" -ge $((seconds * 5)) ]; then
			log "pid $pid did not stop on $signal within $seconds s; killing it"
			kill -KILL "$pid" 2>/dev/null || true
			break
		fi
		sleep 0.2
		waited=$((waited + 1))
	done
}

# Wait until the command `$4 …` succeeds while pid $1 lives, at most $2 seconds. When the
# process dies or time runs out, show the end of $LOG_FILE and fail naming the $3 (node,
# server); a timeout also stops it (the script's own `stop`). Uses PID_FILE and PORT_FILE.
wait_until_ready() {
	local pid="$1" timeout="$2" what="$3"
	shift 3
	local deadline=$((SECONDS + timeout))
	until "$@" >/dev/null 2>&1; do
		if ! kill -0 "$pid" 2>/dev/null; then
			rm -f "$PID_FILE" "$PORT_FILE"
			tail -n 60 "$LOG_FILE" >&2
			die "the $what exited during start (log: $LOG_FILE)"
		fi
		if [ "$SECONDS" -ge "$deadline" ]; then
			tail -n 60 "$LOG_FILE" >&2
			stop >/dev/null 2>&1 || true
			die "the $what did not answer within ${timeout}s (log: $LOG_FILE)"
		fi
		sleep 0.5
	done
}

# Stop the process of PID_FILE found by live_pid with pattern $1: TERM, 30 s, then KILL.
stop_service() {
	local pid
	pid="$(live_pid "$PID_FILE" "$1")"
	if [ -z "$pid" ]; then
		rm -f "$PID_FILE" "$PORT_FILE"
		log "not running"
		return 0
	fi
	terminate "$pid" 30
	rm -f "$PID_FILE" "$PORT_FILE"
	log "stopped"
}
