#!/bin/sh
# SPDX-License-Identifier: ISC
# Installs the dependencies, builds with ASan+UBSan and runs the whole test suite with ctest.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
build=build-asan
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DBACKUPD_SANITIZE=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
ctest --output-on-failure --timeout 900 -j"$(nproc)"
