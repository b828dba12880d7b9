# SPDX-License-Identifier: ISC
# feed_lib.sh: the loopback status-feed server for shell tests (sourced, POSIX sh). Expects
# BUILD, WORK, fail() and wait_for (scripts/wait_for.sh).
# start_feed_server: starts feed_server (tests/integration/feed_server_main.c) in the
# background on a free port, its commands on fd 3; sets FEED_PID and FEED_URL.
start_feed_server() {
	mkfifo "$WORK/feed.cmd"
	"$BUILD/tests/integration/feed_server" "$WORK/feed.port" <"$WORK/feed.cmd" >"$WORK/feed.log" 2>&1 &
	FEED_PID=$!
	exec 3>"$WORK/feed.cmd"
	FEED_CMDS=0
	wait_for 5 test -s "$WORK/feed.port" || fail "feed server did not start"
	FEED_URL="http://127.0.0.1:$(cat "$WORK/feed.port")/system_status_en_US.js"
	export no_proxy=127.0.0.1 NO_PROXY=127.0.0.1
}

# feed COMMAND: tell the server what to answer, and wait until it has taken it.
feed() {
	echo "$*" >&3
	FEED_CMDS=$((FEED_CMDS + 1))
	wait_for 5 grep -qx "$FEED_CMDS" "$WORK/feed.port.ack" || fail "feed server ignored: $*"
}
