#!/bin/sh
# SPDX-License-Identifier: ISC
# Installs what building, running and testing backupd needs on Debian 12. Idempotent: asks
# apt only when a package is missing.
set -eu
packages="build-essential cmake pkg-config clang-format clang libclang-rt-14-dev
libevent-dev libimobiledevice-dev libplist-dev libusbmuxd-dev libsystemd-dev
libcurl4-openssl-dev libjansson-dev libssl-dev zlib1g-dev libcmocka-dev
libimobiledevice-utils systemd util-linux procps ca-certificates openssl
systemd-container debootstrap dpkg-dev file python3 curl git
scdoc lintian bash-completion
prometheus prometheus-alertmanager valgrind chromium"
# Node.js and npm drive the browser test (tests/browser): Debian's, unless a Node.js with npm
# is there already (NodeSource's nodejs carries npm).
command -v npm >/dev/null 2>&1 || packages="$packages nodejs npm"
# go-ios, the independent client that proves idevice-sim's supervised pairing (issue 20):
# from npm, into its own folder (no global install; --ignore-scripts: its postinstall would
# copy the binary into npm's global bin). tests/sim/lib.sh finds it there (GO_IOS_DIR).
GO_IOS_VERSION=1.2.0
GO_IOS_DIR=${GO_IOS_DIR:-/opt/backupd-test/go-ios}
install_go_ios() {
	grep -q "\"version\": \"$GO_IOS_VERSION\"" "$GO_IOS_DIR/node_modules/go-ios/package.json" \
		2>/dev/null && return 0
	mkdir -p "$GO_IOS_DIR"
	npm install --prefix "$GO_IOS_DIR" --ignore-scripts --no-audit --no-fund --no-save \
		"go-ios@$GO_IOS_VERSION" >/dev/null
}
missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# The browser test's npm packages (playwright-core drives Debian's chromium, axe-core checks
# accessibility), pinned in tests/browser/package-lock.json, into tests/browser/node_modules.
# playwright-core downloads no browser.
npm_packages() {
	browser_dir="$(dirname "$0")/../tests/browser"
	cmp -s "$browser_dir/package-lock.json" "$browser_dir/node_modules/.deps-sh-lock" && return 0
	npm ci --prefix "$browser_dir" --no-audit --no-fund --loglevel=error
	cp "$browser_dir/package-lock.json" "$browser_dir/node_modules/.deps-sh-lock"
}
if [ -z "$missing" ]; then
	if ! install_go_ios; then
		echo "deps.sh: cannot install go-ios $GO_IOS_VERSION into $GO_IOS_DIR (run as root?)" >&2
		exit 1
	fi
	npm_packages
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages:$missing; run as root to install them" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# prometheus and prometheus-alertmanager start their system services on install; the tests
# run private instances, and in a container or chroot the services cannot start (and a failed
# start fails the install). A policy-rc.d that says no (101) is put in place for the install
# when the machine has none, and removed afterwards.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# deps.sh (backupd): no service starts during this install\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	own_policy=1
fi
trap '[ $own_policy -eq 0 ] || rm -f "$policy"' EXIT
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
# what the tests run, whatever the services did
for tool in prometheus promtool prometheus-alertmanager amtool chromium npm; do
	command -v "$tool" >/dev/null || { echo "deps.sh: $tool missing after the install" >&2; exit 1; }
done
npm_packages
install_go_ios
