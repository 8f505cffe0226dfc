#!/bin/bash
# Runs the fast tests (ctest -LE e2e) with the clock set to other dates, so a
# test that holds only on some days (a weekday, a quarter, the KST/UTC day
# boundary, a holiday, the year's end) shows up before CI meets that day.
# Not part of ctest or CI: it needs libfaketime (apt-get install faketime).
#
#   tests/dates/run.sh [BUILD_DIR] [ "YYYY-MM-DD HH:MM:SS" ... ]   (UTC)
#   E2E="home week" tests/dates/run.sh build    also these browser tests
#
# The tests start the daemon as a child process, which inherits LD_PRELOAD,
# so the daemon and the test agree on "today". Chromium does not start under
# libfaketime: for the browser tests it runs on the real clock (through a
# wrapper that drops LD_PRELOAD), which is harmless as the pages' dates come
# from the daemon. Keep the monotonic clock faked too (no
# FAKETIME_DONT_FAKE_MONOTONIC): with it, libfaketime breaks
# pthread_cond_timedwait on CLOCK_MONOTONIC condition variables
# (tests/unit/test_flight.c then fails for that reason alone).
set -u
build=${1:-build}
[ $# -gt 0 ] && shift
build=$(cd "$build" && pwd) || exit 2
lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
if [ -z "$lib" ]; then
	echo "libfaketime not found: apt-get install faketime" >&2
	exit 2
fi
if [ $# -eq 0 ]; then
	# Sat, Sun, Mon, Fri; the year's end in UTC and in KST (15:30Z is the next
	# day in Korea); a quarter's end and start (KST); 설날 and 추석 2027; a
	# substitute holiday at the year's end; 29 Feb; before 08:30 KST (no daily
	# notices yet); the first working day of a year with no holidays seeded.
	set -- "2026-12-05 03:00:00" "2026-12-06 20:00:00" "2026-12-07 01:00:00" \
		"2026-12-04 08:00:00" "2026-12-31 03:00:00" "2026-12-31 15:30:00" \
		"2027-01-01 00:30:00" "2027-03-31 16:00:00" "2027-04-01 03:00:00" \
		"2027-02-05 03:00:00" "2027-02-08 03:00:00" "2027-09-14 03:00:00" \
		"2027-12-27 03:00:00" "2028-02-29 03:00:00" "2026-12-07 23:29:40" \
		"2028-01-03 01:00:00"
fi
wrap=$(mktemp -d)
trap 'rm -rf "$wrap"' EXIT
printf '#!/bin/sh\nexec env -u LD_PRELOAD -u FAKETIME %s "$@"\n' \
	"${BIZSOS_CHROMIUM:-/usr/bin/chromium}" >"$wrap/chromium"
chmod +x "$wrap/chromium"
fails=0
for d in "$@"; do
	log="$wrap/log"
	(cd "$build" && FAKETIME="@$d" LD_PRELOAD="$lib" ctest -LE e2e -j2 \
		--output-on-failure >"$log" 2>&1)
	rc=$?
	for t in ${E2E:-}; do
		(cd "$build" && FAKETIME="@$d" LD_PRELOAD="$lib" BIZSOS_CHROMIUM="$wrap/chromium" \
			ctest -R "e2e/$t\$" --output-on-failure >>"$log" 2>&1) || rc=1
	done
	echo "== $d (UTC): $(grep -E 'tests passed|tests failed' "$log" | tr '\n' ' ')"
	if [ $rc -ne 0 ]; then
		fails=$((fails + 1))
		grep -E '^FAIL |^\s+[0-9]+ - ' "$log"
	fi
done
echo "dates: $(($# - fails)) of $# without a failure"
[ $fails -eq 0 ]
