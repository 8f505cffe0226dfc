#!/usr/bin/env bash
# The README's second command: install, build, and run every test — unit, http
# and browser tests on a normal build, then unit and http tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer. Also checks formatting.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --with-tests
jobs=$(nproc)

echo "==> build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
echo "==> tests (unit, http, browser)"
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
(cd build && ctest --output-on-failure -j"$jobs") | tee -a "$summary"

echo "==> build with ASan + UBSan"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DBIZSOS_SANITIZE=ON -DBIZSOS_FAULT_INJECTION=ON >/dev/null
cmake --build build-asan -j"$jobs"
echo "==> tests under ASan + UBSan (unit, http, and the fault-injection test)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest --output-on-failure -j"$jobs" -LE e2e) | tee -a "$summary"

echo "==> fuzz targets replay their corpora (libFuzzer, ASan + UBSan)"
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DBIZSOS_FUZZ=ON -DBIZSOS_SANITIZE=ON \
  -DBIZSOS_TESTS=ON >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzz_http fuzz_mustache fuzz_brn_date fuzz_json_body \
  fuzz_multipart fuzz_sheet
for t in http:http mustache:mustache brn_date:domain json_body:json multipart:multipart sheet:sheet; do
  ./build-fuzz/tests/fuzz_"${t%%:*}" -runs=0 tests/fuzz/corpus/"${t##*:}" 2>&1 | tail -n 1
done

echo "==> clang-format check"
mapfile -t sources < <(git ls-files 'src/*.c' 'src/*.h' 'include/*.h' 'tests/*.c' 'tests/*.h')
clang-format --dry-run --Werror "${sources[@]}"

# One closing line for both runs: "N passed, N failed, N skipped". ctest counts
# a skipped test (exit 77: the Mustache spec is not where the build looks for
# it) among the passed ones and lists it as "(Skipped)"; here it is counted apart.
total=$(awk '/tests passed, [0-9]+ tests failed out of/ {t += $NF} END {print t + 0}' "$summary")
failed=$(awk '/tests passed, [0-9]+ tests failed out of/ {f += $4} END {print f + 0}' "$summary")
skipped=$(grep -c ' (Skipped)$' "$summary" || true)
if [ "$skipped" -gt 0 ]; then
  echo "note: skipped tests are the Mustache spec cases (third-party data, not in the repository);"
  echo "      put a copy in ../shared/mustache-spec or configure with"
  echo "      -DBIZSOS_MUSTACHE_SPEC_DIR=/path/to/mustache-spec to run them (see README)."
fi
echo "$((total - failed - skipped)) passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
