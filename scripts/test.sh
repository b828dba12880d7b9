#!/bin/sh
# SPDX-License-Identifier: ISC
# Installs the dependencies, builds with ASan+UBSan and runs the whole test suite with ctest.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
build=build-asan
# The benchmark tools are built too (not run), so one cannot stop compiling unnoticed.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DBACKUPD_SANITIZE=ON -DBACKUPD_BENCH=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
ctest --output-on-failure --timeout 900 -j"$(nproc)"
