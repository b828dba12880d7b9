#!/bin/sh
# SPDX-License-Identifier: ISC
# gzip on /metrics of the real daemon against idevice-sim: plain and gzip answers, their heads
# and equal bodies from http.client, curl and a real prometheus (metrics_gzip_check.py).
# Usage (inside journal-ns.sh): backupd_metrics_gzip.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"
. "$SRC/tests/integration/metrics_lib.sh"

command -v prometheus >/dev/null || fail "prometheus missing (scripts/deps.sh installs it)"
command -v curl >/dev/null || fail "curl missing (scripts/deps.sh installs it)"
PORT=$(free_port)
METRICS_LISTEN="127.0.0.1:$PORT"
start_sim_devices 40
write_config ""
start_daemon
all_listed() { [ "$(scrape "127.0.0.1:$PORT" | grep -c '^backupd_device_attached{')" -eq 40 ]; }
wait_for 60 all_listed || fail "the 40 phones are not in /metrics"
python3 "$SRC/tests/integration/metrics_gzip_check.py" "127.0.0.1:$PORT" 40 "$WORK" ||
	fail "metrics_gzip_check"
