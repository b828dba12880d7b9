#!/bin/sh
# SPDX-License-Identifier: ISC
# System test: builds backupd's .deb, installs it into a minimal Debian 12 root (cached),
# boots that root with systemd-nspawn, and lets inside/checks.sh assert the service's
# behaviour under a real systemd. Exit 0 = all checks passed, 77 = not root (skipped),
# anything else = failure (including an unreachable Debian mirror).
# Usage: run-system-test.sh SOURCE_DIR WORK_DIR
# Env: BACKUPD_TEST_CACHE (default /var/cache/backupd-test), BACKUPD_TEST_KEEP=1 keeps
# the root, BACKUPD_TEST_MIRROR overrides the mirror, BACKUPD_TEST_CMAKE_ARGS adds
# arguments to the package build's cmake configure, BACKUPD_TEST_PREVIOUS names the git
# revision whose package the upgrade check starts from (default HEAD~1; its .deb is cached).
set -eu

die() {
	echo "system test: FAIL: $*" >&2
	exit 1
}
log() { echo "system test: $*" >&2; }

[ $# -eq 2 ] || die "usage: run-system-test.sh SOURCE_DIR WORK_DIR"
if [ "$(id -u)" -ne 0 ]; then
	echo "system test: needs root (debootstrap, systemd-nspawn); skipped" >&2
	exit 77
fi
src=$(cd "$1" && pwd)
work=$2
here=$(cd "$(dirname "$0")" && pwd)
cache=${BACKUPD_TEST_CACHE:-/var/cache/backupd-test}

# Everything mounted from here on lives in a private mount namespace and goes with it.
if [ -z "${BACKUPD_SYSTEST_IN_NS:-}" ]; then
	BACKUPD_SYSTEST_IN_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi
for tool in debootstrap systemd-nspawn dpkg-shlibdeps cpack lintian git; do
	command -v "$tool" >/dev/null || die "$tool is missing (run scripts/deps.sh)"
done
mkdir -p "$work"
work=$(cd "$work" && pwd)
start=$(date +%s)

# 1. A release build (no sanitizers) packaged as the .deb users get.
build_package() {
	build=$work/pkg-build
	cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
		-DBACKUPD_SANITIZE=OFF -DBACKUPD_TESTS=ON -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON \
		${BACKUPD_TEST_CMAKE_ARGS:-} \
		>"$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; die "cmake configure failed"; }
	targets="backupd backupctl backupd_man backupd_changelog"
	[ ! -f "$src/tests/sim/CMakeLists.txt" ] || ! grep -q idevice-sim "$src/tests/sim/CMakeLists.txt" ||
		targets="$targets idevice-sim"
	# shellcheck disable=SC2086
	cmake --build "$build" --target $targets -j2 >"$work/build.log" 2>&1 ||
		{ tail -n 40 "$work/build.log"; die "build failed"; }
	rm -f "$build"/backupd_*.deb "$build"/backupd-dbgsym_*.ddeb
	(cd "$build" && cpack -G DEB >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; die "cpack failed"; }
	deb=$(ls "$build"/backupd_*.deb)
	log "package $(basename "$deb"): $(dpkg-deb -f "$deb" Depends)"
}

# 1b. lintian -I --pedantic on the packages: no error, no warning, and every info tag left is
# explained in docs/packaging.md, "Packaging notes" (or fixed).
lint_packages() {
	lintian -I --pedantic "$deb" "$build"/backupd-dbgsym_*.ddeb >"$work/lintian.log" 2>&1 || true
	cat "$work/lintian.log" >&2
	if grep -q '^[EW]: ' "$work/lintian.log"; then
		die "lintian reports errors or warnings (above)"
	fi
	for tag in $(sed -n 's/^[IXP]: [^ ]* \([a-z0-9-]*\).*/\1/p' "$work/lintian.log" | sort -u); do
		grep -q -- "$tag" "$src/docs/packaging.md" ||
			die "lintian info tag $tag is neither fixed nor explained in docs/packaging.md (Packaging notes)"
	done
	log "lintian: no error, no warning; info tags explained in docs/packaging.md"
}

# 1c. The package of the previous commit, for the upgrade check: built from a clone (so its
# version is the one that commit's build had), cached by commit. A clone without history (CI
# may clone shallow) has no previous commit: the upgrade then starts from this tree built as
# an older version ("~previous" sorts before it), which still runs every maintainer script of
# an upgrade, and the log says so.
build_package_from() { # SOURCE BUILD_DIR CMAKE_ARGS...
	from=$1 dir=$2
	shift 2
	cmake -S "$from" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
		-DBACKUPD_TESTS=OFF "$@" >"$work/previous.log" 2>&1 &&
		cmake --build "$dir" -j2 >>"$work/previous.log" 2>&1 &&
		(cd "$dir" && cpack -G DEB >>"$work/previous.log" 2>&1) ||
		{ tail -n 40 "$work/previous.log"; die "the previous package did not build"; }
}

build_previous() {
	if ! rev=$(git -C "$src" rev-parse --verify -q "${BACKUPD_TEST_PREVIOUS:-HEAD~1}^{commit}"); then
		[ -z "${BACKUPD_TEST_PREVIOUS:-}" ] || die "no commit $BACKUPD_TEST_PREVIOUS in $src"
		current=$(dpkg-deb -f "$(ls "$build"/backupd_*.deb)" Version)
		rm -rf "$work/previous-build"
		build_package_from "$src" "$work/previous-build" "-DBACKUPD_VERSION_OVERRIDE=$current~previous"
		previous=$work/previous.deb
		cp "$(ls "$work/previous-build"/backupd_*.deb)" "$previous"
		rm -rf "$work/previous-build"
		rev="none: a clone without history; this tree as $current~previous"
		log "previous package ($rev): $(dpkg-deb -f "$previous" Version)"
		return
	fi
	previous=$cache/previous-$rev.deb
	if [ ! -s "$previous" ]; then
		clone=$work/previous-src
		rm -rf "$clone" "$work/previous-build"
		git clone -q --shared --no-checkout "$src" "$clone" && git -C "$clone" checkout -q "$rev" ||
			die "cannot check out $rev"
		build_package_from "$clone" "$work/previous-build"
		mkdir -p "$cache"
		cp "$(ls "$work/previous-build"/backupd_*.deb)" "$previous.tmp" && mv "$previous.tmp" "$previous"
		rm -rf "$clone" "$work/previous-build"
	fi
	log "previous package ($rev): $(dpkg-deb -f "$previous" Version)"
}

# The simulator: a built program, or a script in the source tree.
find_sim() {
	for candidate in "$work/pkg-build/tests/sim/idevice-sim" "$src/tests/sim/idevice-sim"; do
		if [ -f "$candidate" ] && [ -x "$candidate" ]; then
			echo "$candidate"
			return
		fi
	done
}

cleanup() {
	status=$?
	if [ -n "${nspawn_pid:-}" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
		# timeout(1) passes TERM on to nspawn, which powers the container off (KILL after 20 s).
		kill -TERM "$nspawn_pid" 2>/dev/null || true
		wait "$nspawn_pid" 2>/dev/null || true
	fi
	if [ -n "${root:-}" ] && [ "${BACKUPD_TEST_KEEP:-0}" != 1 ]; then
		rm -rf "$root"
	fi
	log "finished in $(($(date +%s) - start)) s"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

build_package
lint_packages
build_previous
log "packages built after $(($(date +%s) - start)) s"
tarball=$(sh "$here/debian-root.sh" "$cache") || die "no Debian root (see above)"
root=$(mktemp -d /var/tmp/backupd-systest.XXXXXX)
tar -C "$root" -xf "$tarball"
log "root ready after $(($(date +%s) - start)) s"

mkdir -p /run/systemd/nspawn
mount -t tmpfs tmpfs /run/systemd/nspawn # nspawn refuses to run without it here
in_root() { systemd-nspawn -q -D "$root" --register=no --keep-unit --pipe "$@"; }

# 2. Install the package the way an admin would, without a running systemd (as in a chroot).
cp "$deb" "$root/root/backupd.deb"
cp "$previous" "$root/root/backupd-previous.deb"
in_root dpkg -i /root/backupd.deb >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; die "dpkg -i failed"; }
[ -L "$root/etc/systemd/system/multi-user.target.wants/backupd.service" ] ||
	die "postinst did not enable backupd.service"

# 3. The simulator at usbmuxd's default socket, the checks, and a short watchdog.
sim=$(find_sim)
if [ -n "$sim" ]; then
	cp "$sim" "$root/usr/local/bin/idevice-sim"
	cp "$here/inside/idevice-sim.service" "$root/etc/systemd/system/"
	systemctl --root="$root" enable idevice-sim.service >/dev/null 2>&1
else
	log "WARNING: no tests/sim/idevice-sim yet: device checks will fail"
fi
mkdir -p "$root/systest" "$root/etc/systemd/system/backupd.service.d"
cp "$here/inside/checks.sh" "$root/systest/"
cp "$here/inside/watchdog.conf" "$root/etc/systemd/system/backupd.service.d/50-systest-watchdog.conf"
printf '[Rules]\nMinimumIOS=99.0\n' >"$root/etc/backupd.conf.d/50-systest.conf"
cp "$here/inside/backupd-systest.service" "$root/etc/systemd/system/"
systemctl --root="$root" enable backupd-systest.service >/dev/null 2>&1

# 4. Boot; the checks power the container off when done.
log "booting the container"
timeout --signal=TERM --kill-after=20 300 systemd-nspawn -D "$root" -M "backupd-systest-$$" \
	--register=no --keep-unit --boot --console=pipe </dev/null >"$work/console.log" 2>&1 &
nspawn_pid=$!
wait "$nspawn_pid" || log "systemd-nspawn exited with $?"
nspawn_pid=

# 5. Verdict.
mkdir -p "$work/logs"
cp "$root/systest/results" "$root/systest/journal.txt" "$work/logs/" 2>/dev/null || true
cp "$work/console.log" "$work/logs/"
results=$work/logs/results
[ -s "$results" ] || { tail -n 60 "$work/console.log"; die "the checks never ran (console log above)"; }
cat "$results"
grep -q '^DONE$' "$results" || die "the checks did not finish (logs in $work/logs)"
if grep -q '^FAIL' "$results"; then
	grep -E 'backupd|idevice-sim' "$work/logs/journal.txt" | tail -n 60
	die "$(grep -c '^FAIL' "$results") check(s) failed (logs in $work/logs)"
fi
log "all checks passed"
