#!/bin/sh
# SPDX-License-Identifier: ISC
# Repairs the -dbgsym package CPack 3.25 writes, so it looks like the ones dh_strip makes:
# its md5sums name files by the staging directory's absolute path (dpkg --verify and lintian
# find none of them), and it has no doc directory (dh links /usr/share/doc/PKG-dbgsym to the
# main package's, whose copyright and changelog then cover it).
# Usage: fix-dbgsym.sh PACKAGE.ddeb
set -eu
ddeb=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -R "$ddeb" "$tmp/root"
package=$(dpkg-deb -f "$ddeb" Package)
sed -i 's#^\([0-9a-f]*\)  /.*-dbgsym/#\1  #' "$tmp/root/DEBIAN/md5sums"
mkdir -p "$tmp/root/usr/share/doc"
ln -s "${package%-dbgsym}" "$tmp/root/usr/share/doc/$package"
dpkg-deb --root-owner-group -b "$tmp/root" "$ddeb" >/dev/null
