#!/bin/sh
# SPDX-License-Identifier: ISC
# The shipped examples load: amtool check-config on alertmanager.example.yml, promtool check
# config on prometheus.example.yml (pointed at conf/'s rules and target file).
# Usage: test_configs.sh CONF_PROMETHEUS_DIR
set -eu
conf=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

amtool check-config "$conf/alertmanager.example.yml"

sed -e "s|/etc/prometheus/backupd.rules.yml|$conf/backupd.rules.yml|" \
	-e "s|/etc/prometheus/backupd-carts/\*.yml|$conf/carts.example.yml|" \
	"$conf/prometheus.example.yml" >"$work/prometheus.yml"
grep -qF "$conf/backupd.rules.yml" "$work/prometheus.yml" || { echo "FAIL: no rule_files line to point at conf/" >&2; exit 1; }
grep -qF "$conf/carts.example.yml" "$work/prometheus.yml" || { echo "FAIL: no file_sd line to point at conf/" >&2; exit 1; }
promtool check config "$work/prometheus.yml"
