# SPDX-License-Identifier: ISC
# wait_for.sh: one polling helper for the project's shell scripts (sourced, POSIX sh).
# wait_for SECONDS COMMAND... : runs COMMAND (output discarded) every 50 ms until it succeeds;
# returns 1 when SECONDS pass first.
wait_for() {
	wait_for_limit=$(($1 * 20))
	shift
	wait_for_i=0
	while [ $wait_for_i -lt $wait_for_limit ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
		wait_for_i=$((wait_for_i + 1))
	done
	return 1
}
