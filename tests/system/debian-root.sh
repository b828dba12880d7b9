#!/bin/sh
# SPDX-License-Identifier: ISC
# Prints the path of a cached tarball holding a minimal Debian 12 root with systemd and the
# runtime libraries backupd needs, creating it with debootstrap on the first run.
# Usage: debian-root.sh CACHE_DIR
# The cache key is the suite, the mirror and the package list, so changing any of them
# bootstraps again; the mirror comes from this machine's apt sources (never hard-coded).
set -eu

suite=bookworm
packages="systemd systemd-sysv dbus init-system-helpers passwd util-linux ca-certificates
libimobiledevice6 libimobiledevice-utils libusbmuxd6 libplist3 libevent-2.1-7 libevent-core-2.1-7
libevent-openssl-2.1-7 libevent-pthreads-2.1-7 libevent-extra-2.1-7 libcurl4 libjansson4
libsystemd0 libssl3"

die() {
	echo "debian-root.sh: $*" >&2
	exit 1
}

# The first "deb" source that offers exactly $suite, from one-line (.list) or deb822
# (.sources) files. BACKUPD_TEST_MIRROR overrides it.
find_mirror() {
	if [ -n "${BACKUPD_TEST_MIRROR:-}" ]; then
		echo "$BACKUPD_TEST_MIRROR"
		return
	fi
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		awk -v suite="$suite" '$1 == "deb" {
			i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
			if ($(i + 1) == suite) { print $i; exit } }' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk -v suite="$suite" '
			function flush() { if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && uri != "") { print uri; found = 1 } types = suites = uri = "" }
			/^[ \t]*$/ { flush(); if (found) exit; next }
			/^Types:/ { sub(/^Types:[ \t]*/, ""); types = $0 }
			/^Suites:/ { sub(/^Suites:[ \t]*/, ""); suites = $0 }
			/^URIs:/ { sub(/^URIs:[ \t]*/, ""); split($0, u, " "); uri = u[1] }
			END { if (!found) flush() }' "$f"
	done
}

[ $# -eq 1 ] || die "usage: debian-root.sh CACHE_DIR"
cache_dir=$1
mirror=$(find_mirror | head -n 1)
[ -n "$mirror" ] || die "no Debian '$suite' source in /etc/apt/sources.list*; set BACKUPD_TEST_MIRROR"

key=$(printf '%s\n%s\n%s\n' "$suite" "$mirror" "$packages" | sha256sum | cut -c1-16)
tarball="$cache_dir/$suite-root-$key.tar"
if [ -s "$tarball" ]; then
	echo "$tarball"
	exit 0
fi

mkdir -p "$cache_dir"
work=$(mktemp -d "$cache_dir/bootstrap.XXXXXX")
trap 'rm -rf "$work"' EXIT
include=$(echo $packages | tr ' ' ',')
echo "debian-root.sh: bootstrapping $suite from $mirror (cache miss: $tarball)" >&2
if ! debootstrap --variant=minbase --include="$include" "$suite" "$work/root" "$mirror" \
	>"$work/debootstrap.log" 2>&1; then
	tail -n 20 "$work/debootstrap.log" >&2
	die "debootstrap of $suite from $mirror FAILED (is the mirror reachable?); see above"
fi
# Downloaded .debs are not needed to boot; the tarball stays about half as big without them.
rm -f "$work/root"/var/cache/apt/archives/*.deb
tar -C "$work/root" --numeric-owner -cf "$work/root.tar" .
mv "$work/root.tar" "$tarball"
echo "$tarball"
