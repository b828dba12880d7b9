# SPDX-License-Identifier: ISC
# Shared by the iOS catalog tests (source after backupd_lib.sh).

# ioscat_serve: serves $WORK/www over plain HTTP on a free port ($CAT_PID, $CATALOG_URL for
# $WORK/www/ios.json); stopped at exit.
ioscat_serve() {
	python3 "$SRC/tests/integration/ioscat_server.py" "$WORK/www" "$WORK/cat.port" 2>"$WORK/cat.log" &
	CAT_PID=$!
	trap 'status=$?; kill "$CAT_PID" 2>/dev/null || true; cleanup $status' EXIT INT TERM
	wait_for 10 test -s "$WORK/cat.port" || fail "catalog server did not start"
	export no_proxy=127.0.0.1 NO_PROXY=127.0.0.1
	CATALOG_URL="http://127.0.0.1:$(cat "$WORK/cat.port")/ios.json"
}

# verdict UDID: "STATE|REASON" of ios_current from backupctl --json
verdict() {
	ctl --json status "$1" | python3 -c '
import json, sys
for p in json.load(sys.stdin)["devices"][0]["preconditions"]:
    if p["name"] == "ios_current":
        print(p["state"] + "|" + p["reason"])'
}
verdict_is() {
	verdict "$1" | grep -Eq "$2"
}
