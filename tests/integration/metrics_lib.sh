# SPDX-License-Identifier: ISC
# metrics_lib.sh: steps shared by the /metrics tests and benchmarks (sourced, POSIX sh).
# Needs fail() from the sourcing script.

# A TCP port free on loopback right now.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# scrape ADDRESS:PORT : the body of GET /metrics on stdout; fails unless 200.
scrape() {
	python3 -c 'import sys, urllib.request
sys.stdout.write(urllib.request.urlopen("http://%s/metrics" % sys.argv[1], timeout=5).read().decode())' "$1" 2>/dev/null
}

# metrics_has ADDRESS:PORT LINE : the scrape holds exactly this line.
metrics_has() {
	scrape "$1" | grep -qxF "$2"
}

# promtool_silent FILE : promtool check metrics says nothing and exits 0.
promtool_silent() {
	if ! promtool check metrics <"$1" >"$1.promtool" 2>&1 || [ -s "$1.promtool" ]; then
		fail "promtool check metrics: $(head -n 20 "$1.promtool")"
	fi
}

# logged TEXT : backupd's journal (or its stderr log) holds TEXT.
logged() {
	journalctl --sync 2>/dev/null
	{ journalctl --no-pager -o cat SYSLOG_IDENTIFIER=backupd 2>/dev/null; cat "$WORK/daemon.log"; } |
		grep -qF "$1"
}
