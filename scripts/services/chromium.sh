#!/usr/bin/env bash
# Chromium for the browser tier (docs/services.md).
#
#   scripts/services/chromium.sh install   apt-get install chromium (+ fonts) if missing, then check
#   scripts/services/chromium.sh check     headless Chromium renders about:blank
#   scripts/services/chromium.sh path      print the executable
#
# `install` and `check` print KRONIKA_CHROMIUM=… on stdout. KRONIKA_CHROMIUM may be set
# beforehand to use another Chromium/Chrome executable.
set -euo pipefail
SERVICE_NAME=chromium
# shellcheck source=scripts/services/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

find_chromium() {
	local candidate
	for candidate in "${KRONIKA_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
		if [ -n "$candidate" ] && [ -x "$candidate" ]; then
			echo "$candidate"
			return 0
		fi
	done
}

check() {
	local exe out profile status=0
	exe="$(find_chromium)"
	[ -n "$exe" ] || die "Chromium is not installed (run: $0 install)"
	profile="$(mktemp -d)"
	# --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
	out="$(timeout 60 "$exe" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--user-data-dir="$profile" --dump-dom about:blank 2>/dev/null)" || status=$?
	rm -rf "$profile"
	[ "$status" -eq 0 ] || die "$exe --headless failed (exit $status)"
	case "$out" in
	*"<html"*) ;;
	*) die "$exe --headless --dump-dom about:blank printed no page: $out" ;;
	esac
	log "$("$exe" --version 2>/dev/null || echo "$exe") works headless"
	echo "KRONIKA_CHROMIUM=$exe"
}

install() {
	if [ -z "$(find_chromium)" ]; then
		apt_install chromium fonts-liberation fonts-dejavu-core
	fi
	check
}

case "${1:-}" in
install) install ;;
check) check ;;
path) find_chromium ;;
*)
	echo "usage: $0 install|check|path" >&2
	exit 2
	;;
esac
