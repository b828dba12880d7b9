#!/bin/sh
# SPDX-License-Identifier: ISC
# Everywhere the iOS verdict goes, through the real daemon with a catalog served over
# loopback: backupctl --json ios_update and the detail view, the journal entry's IOS_UPDATE
# and IOS_EXPLOITED_CVES, /metrics (promtool-clean, the info series, the exposure gauge, the
# catalog's health) and the phone's cart page, with a catalog whose CVE id is hostile HTML.
# Usage (inside journal-ns.sh): backupd_ios_outputs.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"
. "$SRC/tests/integration/ioscat_lib.sh"
. "$SRC/tests/integration/metrics_lib.sh"
command -v promtool >/dev/null || fail "promtool missing (scripts/deps.sh installs prometheus)"
FIX="$SRC/tests/fixtures/ios-catalog"
HOSTILE='CVE-2099-<b>"&x'

mkdir -p "$WORK/www"
# The newest release 15 days ago; 17.7.2 fixes CVE-2024-44308 and, here, a hostile id.
python3 "$SRC/tests/integration/ioscat_shift.py" "$FIX/sofa-v2.json" 15 | python3 -c '
import json, sys
feed = json.load(sys.stdin)
def walk(node):
    if isinstance(node, dict):
        if "CVE-2024-44308" in (node.get("ActivelyExploitedCVEs") or []):
            node["ActivelyExploitedCVEs"].append(sys.argv[1])
        for value in node.values():
            walk(value)
    elif isinstance(node, list):
        for value in node:
            walk(value)
walk(feed)
json.dump(feed, sys.stdout)' "$HOSTILE" >"$WORK/www/ios.json"
ioscat_serve
PORT=$(free_port)
METRICS_LISTEN="127.0.0.1:$PORT"

start_sim healthy stale-backup
H=$(udid_of healthy) CUR=$(udid_of stale-backup)
sim set "$CUR" - ProductType iPhone16,1
sim set "$CUR" - ProductVersion 26.2
write_config ""
start_daemon
IOS=$(msgid precondition.ios_current)

# update_of UDID: "STATE VERSION COUNT CVE|CVE..." of ios_update from backupctl --json
update_of() {
	ctl --json status "$1" | python3 -c '
import json, sys
u = json.load(sys.stdin)["devices"][0].get("ios_update") or {}
print(u.get("state"), u.get("version"), u.get("exploited_count"), "|".join(u.get("exploited_cves", [])))'
}
update_is() {
	[ "$(update_of "$1")" = "$2" ]
}
wait_for 20 update_is "$H" "available 17.7.2 2 CVE-2024-44308|$HOSTILE" ||
	fail "healthy: ios_update is \"$(update_of "$H")\""
wait_for 20 update_is "$CUR" "current None 0 " || fail "26.2: ios_update is \"$(update_of "$CUR")\""
ctl status "$H" >"$WORK/detail" || true
grep -q "^    iOS update: 17.7.2, released [0-9-]*; fixes 2 actively exploited CVEs; newest for this model: 26.2$" "$WORK/detail" ||
	fail "detail view: $(grep iOS "$WORK/detail")"
grep -qF "Exploited CVEs: CVE-2024-44308, $HOSTILE" "$WORK/detail" || fail "detail view lacks the CVE list"
echo "ok - backupctl: the update, its date and which exploited CVEs it fixes"

expect_entries 1 MESSAGE_ID="$IOS" DEVICE_UDID="$H" STATE=failing IOS_UPDATE=17.7.2 \
	IOS_EXPLOITED_CVES="CVE-2024-44308, $HOSTILE"
expect_entries 0 MESSAGE_ID="$IOS" DEVICE_UDID="$CUR"
echo "ok - journal: IOS_UPDATE and IOS_EXPLOITED_CVES on the ios_current entry"

scrape "127.0.0.1:$PORT" >"$WORK/scrape.txt" || fail "scrape failed"
promtool_silent "$WORK/scrape.txt"
for line in \
	"backupd_device_ios_update_info{udid=\"$H\",state=\"available\",ios_version=\"17.5.1\",target_version=\"17.7.2\",latest_version=\"26.2\"} 1" \
	"backupd_device_ios_update_info{udid=\"$CUR\",state=\"current\",ios_version=\"26.2\",target_version=\"\",latest_version=\"26.2\"} 1" \
	"backupd_device_ios_exploited_cves{udid=\"$H\"} 2" \
	"backupd_device_ios_exploited_cves{udid=\"$CUR\"} 0" \
	"backupd_ios_catalog_up 1" \
	"backupd_ios_exploited_grace_seconds 172800"; do
	grep -qxF "$line" "$WORK/scrape.txt" || fail "/metrics lacks: $line"
done
grep -Eq "^backupd_ios_catalog_releases [1-9][0-9]*$" "$WORK/scrape.txt" || fail "no releases count"
grep -Eq "^backupd_ios_catalog_last_success_timestamp_seconds [0-9]{10}$" "$WORK/scrape.txt" ||
	fail "no last success time"
grep -Eq "^backupd_device_ios_exploited_since_timestamp_seconds\{udid=\"$H\"\} [0-9]{10}$" "$WORK/scrape.txt" ||
	fail "no exploited-since time for $H"
grep -q "backupd_device_ios_behind_since_timestamp_seconds{udid=\"$CUR\"}" "$WORK/scrape.txt" &&
	fail "a current phone has a behind-since time"
echo "ok - /metrics: promtool-clean, the info series, the exposure and the catalog's health"

python3 -c 'import sys, urllib.request
sys.stdout.write(urllib.request.urlopen("http://127.0.0.1:%s/phone/%s" % (sys.argv[1], sys.argv[2]), timeout=5).read().decode())' \
	"$PORT" "$H" >"$WORK/page.html" || fail "no phone page"
grep -Fq '<h2 id="ios-h">iOS update</h2><p class="ios-update">iOS 17.7.2, released ' "$WORK/page.html" ||
	fail "phone page: no update section"
grep -Fq 'Update iOS: Settings &gt; General &gt; Software Update' "$WORK/page.html" || fail "phone page: no fix"
grep -Fq '<li>CVE-2024-44308</li><li>CVE-2099-&lt;b&gt;&quot;&amp;x</li>' "$WORK/page.html" ||
	fail "phone page: the CVE list, escaped: $(grep -o '<ul class="cves".*</ul>' "$WORK/page.html")"
grep -Fq '<b>' "$WORK/page.html" && fail "phone page: the hostile id unescaped"
echo "ok - phone page: the update to install and the CVE list, escaped"

# Debian's prometheus scrapes this backupd with the shipped rules (for: 1s): the exploited-CVE
# alert fires for the phone, and the dashboard's iOS panel has data.
PROM_PORT=$(free_port)
PROM="http://127.0.0.1:$PROM_PORT"
sed 's/^\(  *for:\).*/\1 1s/' "$SRC/conf/prometheus/backupd.rules.yml" >"$WORK/backupd.rules.yml"
cat >"$WORK/prometheus.yml" <<EOC
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: ["$WORK/backupd.rules.yml"]
scrape_configs:
  - job_name: backupd
    static_configs: [{targets: ["127.0.0.1:$PORT"], labels: {cart: "cart-a", site: "north"}}]
EOC
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
	--web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
trap 'status=$?; kill "$CAT_PID" "$PROM_PID" 2>/dev/null || true; cleanup $status' EXIT INT TERM
API="python3 $SRC/tests/prometheus/prom_api.py"
wait_for 20 $API ready "$PROM" || fail "prometheus not ready: $(tail -n 5 "$WORK/prometheus.log")"
wait_for 30 sh -c "$API firing $PROM BackupdPhoneExploitedCVEs | grep -q '\"udid\": \"$H\"'" ||
	fail "BackupdPhoneExploitedCVEs does not fire for $H: $($API firing "$PROM" BackupdPhoneExploitedCVEs)"
$API firing "$PROM" BackupdPhoneExploitedCVEs | grep -q "\"udid\": \"$CUR\"" &&
	fail "BackupdPhoneExploitedCVEs fires for a current phone"
python3 "$SRC/tests/prometheus/dashboard_check.py" "$PROM" "$SRC/conf/grafana/backupd-carts.json" \
	--data "Phones per iOS version and how far behind" >"$WORK/dashboard.out" 2>&1 ||
	fail "dashboard: $(grep -i 'fail\|error' "$WORK/dashboard.out" | head -n 5)"
echo "ok - prometheus: the exploited-CVE alert fires for the exposed phone; the iOS panel has data"
