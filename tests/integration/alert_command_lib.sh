# SPDX-License-Identifier: ISC
# alert_command_lib.sh: shared steps of the alert command tests (sourced after backupd_lib.sh).

# install_recorder: $WORK/cmd.sh, an alert command that records each run in $WORK/runs and
# behaves as $WORK/mode.* say (see alert_command_recorder.sh).
install_recorder() {
	mkdir -p "$WORK/runs"
	sed "s|@WORK@|$WORK|g" "$SRC/tests/integration/alert_command_recorder.sh" >"$WORK/cmd.sh"
	chmod +x "$WORK/cmd.sh"
}
