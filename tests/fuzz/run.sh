#!/bin/sh
# SPDX-License-Identifier: ISC
# Runs libFuzzer targets built by build.sh, each for SECONDS, over its seed corpus (the
# fixtures), its regression inputs (tests/fixtures/fuzz/TARGET, every one run first) and
# the corpus it grew before (BUILD_DIR/corpus/TARGET):
#   sh tests/fuzz/run.sh BUILD_DIR SECONDS [TARGET...]     (default: every target)
# FUZZ_FLAGS adds libFuzzer flags, e.g. FUZZ_FLAGS=-runs=10000000. Prints each target's
# executions and time; exits non-zero when a target found a crash, a leak or a failed check,
# leaving the input in BUILD_DIR/artifacts/TARGET/.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$1
seconds=$2
shift 2
[ $# -gt 0 ] || set -- config feed control state probe ioscat

seeds() {
	case $1 in
	config) echo "$src/conf $src/tests/fuzz/seeds/config" ;;
	feed) echo "$src/tests/fixtures/status-feed" ;;
	ioscat) echo "$src/tests/fixtures/ios-catalog" ;;
	control) echo "$src/tests/fuzz/seeds/control" ;;
	state) echo "$src/tests/fuzz/seeds/state" ;;
	probe) echo "$src/tests/fixtures/devices $src/tests/fuzz/seeds/probe" ;;
	*) echo "run.sh: unknown target $1" >&2; exit 2 ;;
	esac
}

# Extra flags per target. state: records are alike, so a 1 KB document already holds every
# shape of field; longer ones only make each input slower (half the executions at 2 KB).
flags() {
	case $1 in
	state) echo "-max_len=1024" ;;
	esac
}

status=0
for target in "$@"; do
	dirs=$(seeds "$target")
	bin=$build/bin/fuzz_$target
	corpus=$build/corpus/$target
	artifacts=$build/artifacts/$target
	log=$build/fuzz_$target.log
	[ -x "$bin" ] || { echo "run.sh: $bin missing: run tests/fuzz/build.sh $build" >&2; exit 1; }
	mkdir -p "$corpus" "$artifacts"
	[ -d "$src/tests/fixtures/fuzz/$target" ] && dirs="$dirs $src/tests/fixtures/fuzz/$target"
	dict=""
	[ -f "$src/tests/fuzz/$target.dict" ] && dict="-dict=$src/tests/fuzz/$target.dict"
	start=$(date +%s)
	# shellcheck disable=SC2086
	if "$bin" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts/" \
		$dict $(flags "$target") ${FUZZ_FLAGS:-} "$corpus" $dirs >"$log" 2>&1; then
		result=ok
	else
		result=FAILED
		status=1
		tail -n 60 "$log" >&2
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	echo "fuzz_$target: $result, ${runs:-?} executions in $(($(date +%s) - start)) s (log $log)"
done
exit $status
