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
