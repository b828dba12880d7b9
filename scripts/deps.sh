#!/bin/sh
# Installs what building, running and testing backupd needs on Debian 12. Idempotent: asks
# apt only when a package is missing.
set -eu
packages="build-essential cmake pkg-config clang-format clang libclang-rt-14-dev
libevent-dev libimobiledevice-dev libplist-dev libusbmuxd-dev libsystemd-dev
libcurl4-openssl-dev libjansson-dev libssl-dev libcmocka-dev
libimobiledevice-utils systemd util-linux procps ca-certificates openssl
systemd-container debootstrap dpkg-dev file python3 curl
scdoc lintian bash-completion"
missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages:$missing; run as root to install them" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
