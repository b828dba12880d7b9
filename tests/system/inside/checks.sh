#!/bin/sh
# SPDX-License-Identifier: ISC
# The system test's checks, run inside the booted container by backupd-systest.service.
# Writes "PASS name" / "FAIL name: why" lines and a final "DONE" to /systest/results, then
# powers the container off. Every check waits with a deadline, never a fixed sleep.
set -u

results=/systest/results
: >"$results"
alice=systest-admin   # in group backupd
bob=systest-outsider  # not in it
carol=systest-operator # in group systest-ops only
catalog=/usr/lib/systemd/catalog/backupd.catalog

pass() { echo "PASS $1" | tee -a "$results"; }
fail() { echo "FAIL $1: $2" | tee -a "$results"; }
note() { echo "NOTE $1" | tee -a "$results"; }

finish() {
	journalctl -b --no-pager -o short-monotonic >/systest/journal.txt 2>&1
	echo DONE >>"$results"
	systemctl --no-block poweroff
}
trap finish EXIT

# wait_for SECONDS COMMAND...: true once COMMAND succeeds within SECONDS.
wait_for() {
	deadline=$(($(date +%s) + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

prop() { systemctl show -P "$2" "$1"; }
main_pid() { prop backupd.service MainPID; }
is_active_running() {
	[ "$(prop backupd.service ActiveState)" = active ] && [ "$(prop backupd.service SubState)" = running ]
}
# backupctl's answer as JSON; its exit status 1 ("some device is not ready") is an answer
# too, 3 means unreachable or refused.
ctl_as() {
	rc=0
	runuser -u "$1" -- backupctl --json status || rc=$?
	[ "$rc" -le 1 ]
}
# Every UDID the simulated usbmuxd announces, read with libimobiledevice's own client.
sim_udids() { idevice_id -l 2>/dev/null | sort -u; }
status_lists_all() {
	out=$(ctl_as "$alice" 2>&1) || return 1
	for udid in $(sim_udids); do
		echo "$out" | grep -q "$udid" || return 1
	done
}

check_ready() {
	if wait_for 60 is_active_running; then
		pass "unit active (running) via READY=1 (Type=$(prop backupd.service Type), Status=$(prop backupd.service StatusText))"
	else
		fail ready "state $(prop backupd.service ActiveState)/$(prop backupd.service SubState)"
	fi
	[ "$(prop backupd.service Type)" = notify ] || fail ready "Type is not notify"
	[ "$(prop backupd.service NRestarts)" = 0 ] || fail ready "restarted $(prop backupd.service NRestarts) times before the checks"
}

probes_ok() {
	probed=$(ctl_as "$alice" 2>/dev/null | grep -oE '"probe_status": *"ok"' | wc -l)
	[ "$probed" -ge "$(sim_udids | wc -l)" ]
}

check_status_access() {
	n=$(sim_udids | wc -l)
	[ "$n" -gt 0 ] || fail status "idevice_id -l sees no simulated device"
	if wait_for 60 status_lists_all; then
		pass "backupctl status as a backupd member lists all $n simulated devices"
	else
		fail status "backupctl status as $alice: $(ctl_as "$alice" 2>&1 | head -n 20)"
	fi
	# Probe helpers re-execute /proc/self/exe: this shows that works under ProcSubset=pid.
	if wait_for 60 probes_ok; then
		pass "every device probed (probe helpers run in the sandbox)"
	else
		fail probe "probe_status: $(ctl_as "$alice" 2>&1 | grep -oE '"probe_status": *"[a-z_]*"' | tr '\n' ' ')"
	fi
	rc=0
	out=$(runuser -u "$bob" -- backupctl status 2>&1) || rc=$?
	if [ "$rc" = 3 ] && echo "$out" | grep -qi "permission denied"; then
		pass "backupctl status refused for a user outside group backupd: $(echo "$out" | head -n 1)"
	else
		fail refused "backupctl status as $bob (not in group backupd): exit $rc: $out"
	fi
}

# A MESSAGE_ID from backupd's catalog that journald holds for backupd.service.
logged_catalog_id() {
	for id in $(sed -n 's/^-- \([0-9a-f]\{32\}\).*/\1/p' "$catalog"); do
		if journalctl -u backupd -o json --no-pager MESSAGE_ID="$id" | grep -q "\"MESSAGE_ID\":\"$id\""; then
			echo "$id"
			return 0
		fi
	done
	return 1
}

check_journal() {
	if [ ! -r "$catalog" ]; then
		fail journal "no catalog at $catalog"
		return
	fi
	if ! wait_for 60 logged_catalog_id; then
		fail journal "no backupd journal entry carries a MESSAGE_ID of $catalog"
		return
	fi
	id=$(logged_catalog_id)
	pass "failing precondition in journalctl -u backupd -o json with MESSAGE_ID=$id"
	# The catalog entry's first line must show up under -x, its @FIELD@s filled in: look for
	# its longest literal piece, and for no placeholder left over.
	subject=$(awk -v id="$id" '$1 == "--" { on = ($2 == id); next } on && NF { print; exit }' "$catalog")
	literal=$(echo "$subject" | sed 's/@[A-Z0-9_]*@/\n/g' | awk '{ if (length($0) > length(best)) best = $0 } END { print best }')
	explained=$(journalctl -u backupd -x --no-pager MESSAGE_ID="$id")
	if echo "$explained" | grep -qF -- "$literal" && ! echo "$explained" | grep -q '@[A-Z_]*@'; then
		pass "journalctl -x shows the catalog text: $(echo "$explained" | grep -F -- "$literal" | head -n 1)"
	else
		fail catalog "journalctl -x lacks \"$subject\" (looked for \"$literal\")"
	fi
}

status_has() { ctl_as "$alice" 2>/dev/null | grep -q -- "$1"; }
status_lacks() { ! status_has "$1"; }

check_reload() {
	pid=$(main_pid)
	if wait_for 60 status_has ios-old; then
		pass "MinimumIOS=99 from the drop-in shows as ios-old"
	else
		fail reload "ios-old never shown with MinimumIOS=99"
	fi
	printf '[Rules]\nMinimumIOS=1.0\n' >/etc/backupd.conf.d/50-systest.conf
	if systemctl reload backupd && wait_for 30 status_lacks ios-old && [ "$(main_pid)" = "$pid" ]; then
		pass "systemctl reload applied MinimumIOS=1.0 in the same process ($pid)"
	else
		fail reload "after reload: pid $(main_pid) (was $pid), status: $(ctl_as "$alice" 2>&1 | head -n 10)"
	fi
	printf '[Rules]\nMinimumIOS=\"not a version\n[Broken\n' >/etc/backupd.conf.d/60-broken.conf
	if systemctl reload backupd 2>/dev/null; then
		fail reload "reload with a broken drop-in succeeded"
	elif is_active_running && [ "$(main_pid)" = "$pid" ]; then
		pass "reload with a broken drop-in fails and the daemon keeps running"
	else
		fail reload "broken drop-in: state $(prop backupd.service ActiveState), pid $(main_pid)"
	fi
	rm -f /etc/backupd.conf.d/60-broken.conf
}

check_socket_activation() {
	systemctl stop backupd.service
	if out=$(ctl_as "$alice" 2>&1) && wait_for 30 is_active_running; then
		pass "backupctl started the stopped daemon through backupd.socket"
	else
		fail socket "backupctl with backupd.service stopped: $out"
	fi
	wait_for 60 status_lists_all || fail socket "devices missing after socket activation"
}

check_hardening() {
	pid=$(main_pid)
	status=/proc/$pid/status
	for want in "CapEff:	0000000000000000" "CapBnd:	0000000000000000" "NoNewPrivs:	1" "Seccomp:	2"; do
		if grep -q "^$want\$" "$status"; then
			pass "hardening: $want"
		else
			fail hardening "$status has no '$want': $(grep "^${want%%:*}:" "$status")"
		fi
	done
	uid=$(awk '/^Uid:/ { print $2 }' "$status")
	[ "$uid" = "$(id -u backupd)" ] && pass "hardening: runs as user backupd ($uid)" ||
		fail hardening "runs as uid $uid"
	# Root inside the service's mount namespace: ProtectSystem=strict makes /etc read-only.
	if nsenter -t "$pid" -m sh -c 'echo x >/etc/systest-write' 2>/dev/null; then
		fail hardening "could write /etc in the service's mount namespace"
	else
		pass "hardening: /etc is read-only in the service's mount namespace"
	fi
	if nsenter -t "$pid" -m sh -c 'echo x >/var/lib/backupd/.systest && rm /var/lib/backupd/.systest'; then
		pass "hardening: StateDirectory /var/lib/backupd is writable"
	else
		fail hardening "StateDirectory not writable"
	fi
	[ -z "$(nsenter -t "$pid" -m ls -A /home 2>/dev/null)" ] && pass "hardening: /home is empty" ||
		fail hardening "/home visible"
	# SysfsRoot=/sys: the slot lookup reads sysfs attributes (mode 0444) as user backupd in the
	# sandbox. This machine has no USB bus, so any attribute proves the sandbox leaves /sys
	# readable; the daemon then shows no port for any phone rather than an error.
	if nsenter -t "$pid" -m -S "$(id -u backupd)" -G "$(id -g backupd)" \
		sh -c 'ls /sys/bus >/dev/null && cat /sys/devices/system/cpu/online >/dev/null'; then
		pass "hardening: /sys is readable by user backupd in the service's mount namespace"
	else
		fail hardening "/sys not readable in the service's mount namespace"
	fi
	line=$(systemd-analyze security backupd.service 2>&1 | grep 'Overall exposure level')
	level=$(echo "$line" | sed -n 's/.*: \([0-9.]*\) .*/\1/p')
	if [ -n "$level" ] && awk -v l="$level" 'BEGIN { exit !(l <= 1.2) }'; then
		pass "systemd-analyze security: exposure $level"
	else
		fail hardening "systemd-analyze security: $line"
	fi
}

restarted_since() { [ "$(main_pid)" != "$1" ] && [ "$(main_pid)" != 0 ] && is_active_running; }

check_watchdog() {
	pid=$(main_pid)
	restarts=$(prop backupd.service NRestarts)
	kill -STOP "$pid"
	if wait_for 60 restarted_since "$pid"; then
		pass "SIGSTOPped daemon ($pid) restarted by the watchdog as $(main_pid) (WatchdogUSec=$(prop backupd.service WatchdogUSec))"
	else
		fail watchdog "pid still $(main_pid), state $(prop backupd.service ActiveState)/$(prop backupd.service SubState)"
	fi
	[ "$(prop backupd.service NRestarts)" -gt "$restarts" ] || fail watchdog "NRestarts did not grow"
	journalctl -u backupd --no-pager | grep -q "Watchdog timeout" ||
		fail watchdog "no 'Watchdog timeout' in the journal"
}

check_stop() {
	since=$(date '+%Y-%m-%d %H:%M:%S')
	systemctl stop backupd.socket backupd.service
	result=$(prop backupd.service Result)
	code=$(prop backupd.service ExecMainCode)
	st=$(prop backupd.service ExecMainStatus)
	unclean=$(journalctl -u backupd --since "$since" --no-pager | grep -E 'SIGKILL|timed out|Failed with|crash')
	if [ "$(prop backupd.service ActiveState)" = inactive ] && [ "$result" = success ] && [ "$st" = 0 ] &&
		[ -z "$unclean" ]; then
		pass "systemctl stop is clean (Result=$result, exit code $code status $st)"
	else
		fail stop "state $(prop backupd.service ActiveState), Result=$result, code $code status $st; $unclean"
	fi
	[ ! -e /run/backupd/control ] || fail stop "/run/backupd/control left behind"
}

# The maintainer scripts under a running systemd: purge stops and forgets everything, and
# a new install starts the service by itself.
check_package() {
	systemctl start backupd.socket backupd.service
	if dpkg --purge backupd >/systest/purge.log 2>&1 &&
		[ "$(prop backupd.service ActiveState)" = inactive ] &&
		[ ! -e /var/lib/backupd ] && [ ! -e /etc/backupd.conf ] &&
		[ ! -e /etc/systemd/system/multi-user.target.wants/backupd.service ]; then
		pass "dpkg --purge stops the service and removes its state, config and enablement"
	else
		fail package "purge: state $(prop backupd.service ActiveState); $(cat /systest/purge.log)"
	fi
	if dpkg -i /root/backupd.deb >/systest/install.log 2>&1 && wait_for 60 is_active_running &&
		wait_for 30 status_lists_all; then
		pass "dpkg -i under a running systemd enables and starts backupd"
	else
		fail package "install: state $(prop backupd.service ActiveState); $(cat /systest/install.log)"
	fi
	systemctl stop backupd.socket backupd.service
}

# backupd --check-config's output and exit status (glibc's fatal messages to stderr too).
check_config() {
	rc=0
	LIBC_FATAL_STDERR_=1 backupd --check-config >/systest/check-config.log 2>&1 || rc=$?
	echo "exit $rc" >>/systest/check-config.log
	cat /systest/check-config.log
}

# The journal's position now, to read only what comes after it.
journal_cursor() { journalctl -n 0 --show-cursor --no-pager | sed -n 's/^-- cursor: //p'; }
journal_since_has() { journalctl -u backupd --after-cursor="$1" --no-pager | grep -qF -- "$2"; }
ctl_refused() {
	rc=0
	runuser -u "$1" -- backupctl status >/dev/null 2>&1 || rc=$?
	[ "$rc" = 3 ]
}
restart_units() {
	systemctl stop backupd.service backupd.socket
	systemctl start backupd.socket backupd.service
	wait_for 60 is_active_running
}

# ControlGroup= under socket activation: without a socket drop-in the daemon says what
# differs (journal, --check-config); with SocketGroup= in a drop-in for backupd.socket the
# group's members get in and the old group's do not.
check_control_group() {
	groupadd -f systest-ops
	id "$carol" >/dev/null 2>&1 || useradd --no-create-home --groups systest-ops "$carol"
	systemctl start backupd.socket backupd.service
	printf '[Daemon]\nControlGroup=systest-ops\n' >/etc/backupd.conf.d/70-systest-group.conf
	cursor=$(journal_cursor)
	restart_units
	if wait_for 30 journal_since_has "$cursor" '"SocketGroup=systest-ops"'; then
		pass "ControlGroup=systest-ops without a socket drop-in: journal warns: $(journalctl -u backupd --after-cursor="$cursor" --no-pager -o cat | grep -F SocketGroup= | head -n 1 | cut -c1-160)"
	else
		fail control-group "no journal warning about SocketGroup=systest-ops"
	fi
	if check_config | grep -qF '"SocketGroup=systest-ops"'; then
		pass "backupd --check-config names the socket drop-in"
	else
		fail control-group "--check-config: $(check_config)"
	fi
	ctl_refused "$carol" && pass "a systest-ops member is refused while the socket's group is backupd" ||
		fail control-group "$carol was let in through a socket of group backupd"
	mkdir -p /etc/systemd/system/backupd.socket.d
	printf '[Socket]\nSocketGroup=systest-ops\n' >/etc/systemd/system/backupd.socket.d/50-systest-group.conf
	systemctl daemon-reload
	cursor=$(journal_cursor)
	restart_units
	if wait_for 30 ctl_as "$carol" && [ "$(stat -c %G /run/backupd/control)" = systest-ops ]; then
		pass "with SocketGroup=systest-ops in a drop-in for backupd.socket, $carol gets the status"
	else
		fail control-group "after the drop-in: socket group $(stat -c %G /run/backupd/control); $(ctl_as "$carol" 2>&1 | head -n 3)"
	fi
	ctl_refused "$alice" && pass "members of group backupd alone are now refused" ||
		fail control-group "$alice still let in"
	out=$(check_config)
	if journal_since_has "$cursor" "SocketGroup=" || echo "$out" | grep -q "SocketGroup=" ||
		! echo "$out" | grep -q "configuration is valid"; then
		fail control-group "with the drop-in in place: $out"
	else
		pass "no warning once the unit and the configuration agree (journal, --check-config)"
	fi
	rm -rf /etc/systemd/system/backupd.socket.d /etc/backupd.conf.d/70-systest-group.conf
	systemctl daemon-reload
	restart_units
}

# StateDirectory= outside what ProtectSystem=strict leaves writable: --check-config says so.
check_state_directory() {
	printf '[Daemon]\nStateDirectory=/srv/backupd-state\n' >/etc/backupd.conf.d/70-systest-state.conf
	if check_config | grep -qF '"ReadWritePaths=/srv/backupd-state"'; then
		pass "StateDirectory=/srv/backupd-state: --check-config names ReadWritePaths= for backupd.service"
	else
		fail state-directory "--check-config: $(check_config)"
	fi
	rm -f /etc/backupd.conf.d/70-systest-state.conf
}

# The example alert commands: programs, so under /usr/lib/backupd (nothing runnable under
# /usr/share/doc), and --check-config takes one as AlertCommand= (it must be executable).
alert_commands=/usr/lib/backupd/alert-commands
check_alert_commands() {
	printf '[Alerts]\nAlertCommand=%s/mail-sendmail\n' "$alert_commands" \
		>/etc/backupd.conf.d/70-systest-alert.conf
	in_doc=$(find /usr/share/doc/backupd -type f -perm /111)
	if [ -x "$alert_commands/mail-sendmail" ] && [ -x "$alert_commands/chat-webhook" ] &&
		[ -z "$in_doc" ] && check_config | grep -qx "exit 0"; then
		pass "example alert commands executable in $alert_commands, accepted as AlertCommand="
	else
		fail alert-commands "$(ls -l "$alert_commands" 2>&1); in /usr/share/doc: $in_doc; $(check_config)"
	fi
	rm -f /etc/backupd.conf.d/70-systest-alert.conf
}

not_masked() {
	for unit in backupd.service backupd.socket; do
		[ "$(systemctl is-enabled "$unit" 2>/dev/null)" != masked ] || return 1
		[ "$(readlink "/etc/systemd/system/$unit" 2>/dev/null)" != /dev/null ] || return 1
	done
}

# dpkg -r, then the same files installed by hand: nothing is masked, so systemctl enable
# --now works; then the package goes back on top.
check_remove_reinstall() {
	systemctl start backupd.socket backupd.service
	if dpkg -r backupd >/systest/remove.log 2>&1 && [ "$(prop backupd.service ActiveState)" = inactive ] &&
		not_masked && [ -e /etc/backupd.conf ] && [ -d /var/lib/backupd ]; then
		pass "dpkg -r stops backupd, keeps its configuration and state, and masks nothing"
	else
		fail remove "state $(prop backupd.service ActiveState), is-enabled $(systemctl is-enabled backupd.service 2>&1); $(cat /systest/remove.log)"
	fi
	# As tar would unpack the package by hand; /lib is a symlink on a merged-/usr system.
	dpkg-deb --fsys-tarfile /root/backupd.deb | tar -x -C / --keep-directory-symlink
	systemctl daemon-reload
	if systemctl enable --now backupd.socket backupd.service >/systest/by-hand.log 2>&1 &&
		wait_for 60 is_active_running && wait_for 30 status_lists_all; then
		pass "installed by hand after dpkg -r: systemctl enable --now starts backupd"
	else
		fail reinstall "by hand: $(cat /systest/by-hand.log); state $(prop backupd.service ActiveState)"
	fi
	# Enabled by hand as the package would: dpkg -i keeps it so and starts it.
	systemctl stop backupd.service backupd.socket
	if dpkg -i /root/backupd.deb >/systest/reinstall.log 2>&1 && wait_for 60 is_active_running &&
		wait_for 30 status_lists_all; then
		pass "dpkg -i over the hand install enables and starts backupd again"
	else
		fail reinstall "dpkg -i: $(cat /systest/reinstall.log)"
	fi
}

# From the previous commit's package to this one, with a drop-in of the admin's in place.
check_upgrade() {
	old=$(dpkg-deb -f /root/backupd-previous.deb Version)
	new=$(dpkg-deb -f /root/backupd.deb Version)
	if ! dpkg --compare-versions "$new" gt "$old"; then
		fail upgrade "$new is not newer than the previous build's $old"
		return
	fi
	dpkg --purge backupd >/dev/null 2>&1
	if ! dpkg -i /root/backupd-previous.deb >/systest/previous.log 2>&1 || ! wait_for 60 is_active_running; then
		fail upgrade "the previous package ($old) did not install and start: $(cat /systest/previous.log)"
		return
	fi
	pid=$(main_pid)
	printf '[Rules]\nMaxBackupAge=2d\n' >/etc/backupd.conf.d/80-systest-upgrade.conf
	if dpkg --force-confdef --force-confold -i /root/backupd.deb >/systest/upgrade.log 2>&1 &&
		[ "$(dpkg-query -W -f='${Version}' backupd)" = "$new" ] && wait_for 60 restarted_since "$pid" &&
		wait_for 30 status_lists_all && [ -e /etc/backupd.conf.d/80-systest-upgrade.conf ] &&
		[ "$(prop backupd.service UnitFileState)" = enabled ] &&
		[ ! -e /usr/share/doc/backupd/alert-commands ] && [ -x "$alert_commands/mail-sendmail" ]; then
		pass "upgrade $old -> $new: restarted ($pid -> $(main_pid)), still enabled, the admin's drop-in kept, alert commands in $alert_commands"
	else
		fail upgrade "$(cat /systest/upgrade.log); version $(dpkg-query -W -f='${Version}' backupd), pid $(main_pid); $(ls -ld /usr/share/doc/backupd/alert-commands "$alert_commands" 2>&1)"
	fi
	rm -f /etc/backupd.conf.d/80-systest-upgrade.conf
}

if ! id "$alice" >/dev/null 2>&1; then
	useradd --no-create-home --groups backupd "$alice"
	useradd --no-create-home "$bob"
fi
check_ready
check_status_access
check_journal
check_reload
check_socket_activation
check_hardening
check_watchdog
check_control_group
check_state_directory
check_alert_commands
check_stop
check_remove_reinstall
check_package
check_upgrade
systemctl stop backupd.socket backupd.service
