#!/usr/bin/env bash
# The README's second command: install, build, and run every test — unit, http
# and browser tests on a normal build, then unit and http tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer. Also checks formatting.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --with-tests
jobs=$(nproc)

echo "==> clang-format check"
mapfile -t sources < <(git ls-files 'src/*.c' 'src/*.h' 'include/*.h' 'tests/*.c' 'tests/*.h')
clang-format --dry-run --Werror "${sources[@]}"

echo "==> build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
echo "==> tests (unit, http, browser)"
(cd build && ctest --output-on-failure -j"$jobs")

echo "==> build with ASan + UBSan"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DBIZSOS_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
echo "==> tests under ASan + UBSan (unit, http)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest --output-on-failure -j"$jobs" -LE e2e)
