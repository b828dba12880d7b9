#!/bin/sh
# SPDX-License-Identifier: ISC
# Builds the libFuzzer targets (tests/fuzz) with clang in their own build directory:
#   sh tests/fuzz/build.sh [BUILD_DIR]      (default build-fuzz)
# The normal build (gcc) is untouched; scripts/deps.sh installs clang and its fuzzer runtime.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-fuzz}
cc=${FUZZ_CC:-clang}
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "build.sh: $cc not found: run scripts/deps.sh (installs clang and libclang-rt-14-dev)" >&2
	exit 1
fi
CC=$cc cmake -S "$src" -B "$build" -DBACKUPD_FUZZ=ON -DBACKUPD_TESTS=OFF \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target fuzz -j"$(nproc)"
