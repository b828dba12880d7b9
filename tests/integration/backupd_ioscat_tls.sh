#!/bin/sh
# SPDX-License-Identifier: ISC
# The iOS catalog over TLS, pinned as in production: a loopback HTTPS server whose certificate
# a test CA signed (made here with openssl), [IOS] CatalogCA= naming that CA. A phone behind
# becomes failing with the right reason; then the same address answers with a certificate of
# another CA: refused (said once in the journal), the last good catalog and verdicts kept.
# Last, with CatalogCA= unset (the default: the system's store, Apple's root only for
# gdmf.apple.com) and no cached catalog, the test CA's server is refused: the verdict stays
# "not checked", said once in the journal, nothing cached.
# Usage (inside journal-ns.sh): backupd_ioscat_tls.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"
. "$SRC/tests/integration/ioscat_lib.sh"
FIX="$SRC/tests/fixtures/ios-catalog"
command -v openssl >/dev/null || { echo "skip: no openssl"; exit 77; }

# make_ca NAME: a CA, and a server certificate for 127.0.0.1 it signed.
make_ca() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=backupd test CA $1" \
		-keyout "$WORK/$1-ca.key" -out "$WORK/$1-ca.pem" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$WORK/$1-srv.key" \
		-out "$WORK/$1-srv.csr" 2>/dev/null
	printf 'subjectAltName=IP:127.0.0.1\n' >"$WORK/$1.ext"
	openssl x509 -req -in "$WORK/$1-srv.csr" -CA "$WORK/$1-ca.pem" -CAkey "$WORK/$1-ca.key" \
		-CAcreateserial -days 2 -extfile "$WORK/$1.ext" -out "$WORK/$1-srv.pem" 2>/dev/null
}
make_ca good
make_ca other

mkdir -p "$WORK/www"
python3 "$SRC/tests/integration/ioscat_shift.py" "$FIX/sofa-v2.json" 15 >"$WORK/www/ios.json"
# serve_with NAME [PORT]: the HTTPS server with NAME's certificate.
serve_with() {
	rm -f "$WORK/cat.port"
	python3 "$SRC/tests/integration/ioscat_server.py" "$WORK/www" "$WORK/cat.port" \
		"$WORK/$1-srv.pem" "$WORK/$1-srv.key" ${2:-} 2>>"$WORK/cat.log" &
	CAT_PID=$!
	wait_for 10 test -s "$WORK/cat.port" || fail "catalog server did not start"
}
CAT_PID=""
trap 'status=$?; [ -z "$CAT_PID" ] || kill "$CAT_PID" 2>/dev/null || true; cleanup $status' EXIT INT TERM
serve_with good
PORT=$(cat "$WORK/cat.port")
export no_proxy=127.0.0.1 NO_PROXY=127.0.0.1
CATALOG_URL="https://127.0.0.1:$PORT/ios.json"

start_sim healthy
H=$(udid_of healthy)
write_config "[IOS]
CatalogCA=$WORK/good-ca.pem"
start_daemon
CAT=$(msgid fleet.ios_catalog_unusable)

BEHIND='^failing\|iOS 17\.5\.1: update to 17\.7\.2 \(behind since [0-9-]+, [0-9]+ days\), fixes 1 actively exploited CVE$'
wait_for 30 verdict_is "$H" "$BEHIND" || fail "over TLS: ios_current is \"$(verdict "$H")\""
expect_entries 0 MESSAGE_ID="$CAT"
echo "ok - catalog over https, pinned to the test CA: the phone behind is failing"

kill "$CAT_PID"
wait "$CAT_PID" 2>/dev/null || true
serve_with other "$PORT"
kill -HUP "$DAEMON_PID"
expect_entries 1 MESSAGE_ID="$CAT" STATE=failing CATALOG_ERROR~"certificate"
verdict_is "$H" "$BEHIND" || fail "last good verdict lost: \"$(verdict "$H")\""
kill -0 "$DAEMON_PID" || fail "backupd died"
echo "ok - a certificate of another CA: refused, said once, the last good catalog kept"

# The default trust: CatalogCA unset. The test CA is in no system store, so the catalog is
# refused however often it is asked for, said once, and nothing is cached.
stop_daemon
kill "$CAT_PID"
wait "$CAT_PID" 2>/dev/null || true
serve_with good "$PORT"
rm -f "$WORK/state/ios-catalog.cache"
write_config ""
start_daemon
expect_entries 2 MESSAGE_ID="$CAT" STATE=failing
expect_entries 1 MESSAGE_ID="$CAT" STATE=failing CATALOG_ERROR~"certificate" \
	MESSAGE~"iOS currency not checked"
kill -HUP "$DAEMON_PID" # asks again at once
sleep 2
expect_entries 2 MESSAGE_ID="$CAT" STATE=failing
verdict_is "$H" '^ok\|not checked' || fail "CatalogCA unset: ios_current is \"$(verdict "$H")\""
[ ! -e "$WORK/state/ios-catalog.cache" ] || fail "a refused catalog was cached"
echo "ok - CatalogCA unset: the test CA's catalog refused, not checked, said once"
