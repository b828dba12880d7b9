#!/bin/sh
# SPDX-License-Identifier: ISC
# /metrics fair under connection floods (issue 21 item 3): with the default MaxConnections=
# and RequestTimeout=, a client holding 100 idle connections (reopening each one closed)
# leaves every normal scrape answered within 1 s (and a scrape sent in two parts answered),
# whether it floods from another address than the scraper or from the same one.
# Usage (inside journal-ns.sh): backupd_metrics_flood.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"
. "$SRC/tests/integration/metrics_lib.sh"
PORT=$(free_port)
METRICS_LISTEN="127.0.0.1:$PORT"
write_config ""
start_daemon
wait_for 20 scrape "127.0.0.1:$PORT" >/dev/null || fail "no /metrics"
python3 "$SRC/tests/integration/metrics_flood_check.py" "$PORT" 100 6 || fail "flood check"
stop_daemon
echo "all passed"
