#!/usr/bin/env bash
# Load benchmark (a documented command, never part of the test suite).
#
#   tests/bench/run.sh [SCALE] [SECONDS]        defaults: 300 and 10
#   BENCH_ONLY=writes tests/bench/run.sh ...     /healthz and the write mix only
#   BENCH_WRITE_CONNS="16 32 16 32" ...          the write mix's runs (default "16 32")
#   BENCH_IDLE=SECONDS ...                       the daemon idles that long before the write mix
#   BENCH_LOG=FILE ...                           keep the daemon's log (with, e.g.,
#                                                BIZSOS_BATCH_STATS=1000 in the environment)
#   BENCH_BACKDATE=1 ...                         the write mix's cases and visits dated
#                                                yesterday (KST) instead of today
#   BENCH_PERF=FILE, BENCH_ATTACH='command'      a perf profile of the daemon, or a command
#                                                (DAEMON_PID, SECS), during the first
#                                                16-connection write run
#
# Builds an optimised binary (build-bench/, Release), a `bizsos demo --scale
# SCALE` database cached in build-bench/ between runs (rebuilt when the
# migrations or the generator change), serves a copy of it on 127.0.0.1 with one
# worker per core, signs in as the leader and runs wrk for SECONDS against each
# page, then a write mix (case creation and visits through the API, 16 and 32
# connections). Prints one Markdown table: requests/s, ratio to /healthz in the
# same run, p50, p99, errors (socket errors and timeouts + answers other than
# 2xx/3xx), then the daemon's
# peak RSS, its cold start to the first answer, and the bytes a browser
# transfers for the first and a repeat visit to /dashboard.
# Everything talks only to 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
scale=${1:-300}
secs=${2:-10}
conns=${BENCH_CONNECTIONS:-32}
# Worker threads: a write waits for the shared fsync (group commit) on its
# thread, so more threads than cores let concurrent writes share one flush.
threads=${BENCH_THREADS:-16}

command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v sqlite3 >/dev/null || apt-get install -y -qq sqlite3 >/dev/null

bdir=$root/build-bench
cmake -S . -B "$bdir" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$bdir" -j"$(nproc)" --target bizsos vendor >/dev/null
bin=$bdir/bizsos

# The cached database: keyed by the generator, the scale and the list of
# migrations (a migration numbered below one already applied would be skipped,
# so a new one means a new database); an edited migration is applied by
# `bizsos init` only if it is new, so edit none (they are forward-only anyway).
key=$( (cat src/demo/* include/bizsos/demo.h; ls sql) | sha256sum | cut -c1-16)
cache=$bdir/bench-$scale-$key.db
if [ ! -f "$cache" ]; then
	rm -f "$bdir"/bench-"$scale"-*.db "$bdir"/bench-"$scale"-*.txt
	echo "building the --scale $scale database (once; cached as $cache)…" >&2
	"$bin" demo --db "$cache.tmp" --scale "$scale" >"$cache.txt" 2>/dev/null
	sqlite3 "$cache.tmp" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
	mv "$cache.tmp" "$cache"
	rm -f "$cache.tmp-wal" "$cache.tmp-shm"
fi
"$bin" init --db "$cache" >/dev/null 2>&1
sqlite3 "$cache" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
pw=$(awk '$1 == "leader" {print $3}' "$cache.txt")

work=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	# BENCH_LOG=FILE: keep the daemon's log (e.g. with BIZSOS_BATCH_STATS=N).
	[ -n "${BENCH_LOG:-}" ] && cp "$work/log.txt" "$BENCH_LOG"
	rm -rf "$work"
}
trap cleanup EXIT
cp "$cache" "$work/bench.db"
# On disk before the clock starts: otherwise the kernel writes the fresh 1 GB
# copy back during the first runs, competing with the daemon's own fsyncs.
sync "$work/bench.db"
db=$work/bench.db

# Cold start: from exec to the first answer of /healthz.
port=$((20000 + RANDOM % 20000))
base=http://127.0.0.1:$port
t0=$(date +%s%N)
# No scheduled backup: the first one (a copy and integrity check of the whole
# database, seconds of CPU and disk) would fall into a page's run.
BIZSOS_BACKUP_INTERVAL=0 "$bin" serve --db "$db" --listen "127.0.0.1:$port" --threads "$threads" \
	>"$work/out.txt" 2>"$work/log.txt" &
pid=$!
until curl -sf -o /dev/null "$base/healthz"; do
	kill -0 "$pid" 2>/dev/null || { cat "$work/log.txt" >&2; exit 1; }
done
cold_ms=$((($(date +%s%N) - t0) / 1000000))

# Sign in as the leader; keep the session cookie for wrk.
jar=$work/jar
csrf=$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "login=leader" \
	--data-urlencode "password=$pw" --data-urlencode "csrf=$csrf" "$base/login"
session=$(awk '$6 == "bz_session" {print $7}' "$jar")
[ -n "$session" ] || { echo "sign-in failed" >&2; exit 1; }
# The sign-in's password hash (Argon2id, 19 MiB, 2 passes) is the peak so far.
# Reset the peak (clear_refs 5) so that the peak while serving pages and writes
# is measured on its own; the daemon's peak is the larger of the two.
signin_rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true
cookie="Cookie: bz_session=$session"

# Records to point at: a case and a company from the middle of the data.
q() { sqlite3 "$db" "$1"; }
case_id=$(q "SELECT id FROM sos_case ORDER BY id LIMIT 1 OFFSET (SELECT count(*)/2 FROM sos_case)")
company_id=$(q "SELECT company_id FROM sos_case GROUP BY company_id ORDER BY count(*) DESC LIMIT 1")
category_id=$(q "SELECT id FROM case_category WHERE retired_at IS NULL ORDER BY id LIMIT 1")
staff_id=$(q "SELECT id FROM app_user WHERE login = 'staff'")
ncases=$(q "SELECT count(*) FROM sos_case")
deep=$((ncases / 4 / 20 / 2)) # half-way through the done cases of 2024 by 20s
[ "$deep" -ge 2 ] || deep=2

enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
pages=(
	/healthz
	/
	/dashboard
	/card
	"/progress?year=2024&quarter=3"
	/cases
	"/cases?status=done&year=2024&page=$deep"
	"/cases?q=$(enc 자금)"
	"/cases?q=$(enc 판로개척)"
	"/cases/$case_id"
	"/companies/$company_id"
	"/companies?q=$(enc 정밀)"
)
# BENCH_ONLY=writes: /healthz and the write mix only (for work on the write path).
[ "${BENCH_ONLY:-}" = writes ] && pages=(/healthz)

# Waits until the daemon has finished what the previous run left queued (its
# CPU time stops moving for 1.5 s: longer than the model warm-up waits after
# the last commit before it refreshes, so a refresh that is about to start is
# seen starting), so that no run pays for the one before.
settle() {
	local a b quiet=0
	# and the disk has written back what the previous run left dirty (its
	# access log alone is ~20 MB): otherwise that writeback slows this run's
	# fsyncs (4 ms instead of under 1 in the write mix after the pages)
	sync
	b=$(cpu_ticks)
	while [ "$quiet" -lt 3 ]; do
		sleep 0.5
		a=$b
		b=$(cpu_ticks)
		if [ "$((b - a))" -le 2 ]; then quiet=$((quiet + 1)); else quiet=0; fi
	done
}

# The daemon's CPU time so far, in clock ticks (user + system).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
# The machine's CPU time stolen by its host so far, and all of it (ticks).
steal_total() { awk '$1 == "cpu" {s = $9; t = 0; for (i = 2; i <= NF; i++) t += $i; print s, t}' /proc/stat; }
read -r steal0 total0 < <(steal_total)
# The bytes the daemon has written so far (to the WAL, the database, logs).
written() { awk '$1 == "wchar:" {print $2}' "/proc/$pid/io"; }

# wrk's summary as: rps p50 p99 errors requests cpu-ms-per-request
# kb-written-per-request (the daemon's CPU time and bytes written over the run
# divided by the requests answered: what a page costs, whatever else the
# machine is doing)
run_wrk() {
	settle
	local out t0 t1 w0 w1 watchers=()
	if [ -n "${attach:-}" ]; then
		# BENCH_PERF=FILE: a perf profile of the daemon during this run.
		if [ -n "${BENCH_PERF:-}" ]; then
			perf record -F 999 -g -o "$BENCH_PERF" -p "$pid" -- sleep "$secs" >/dev/null 2>&1 &
			watchers+=($!)
		fi
		# BENCH_ATTACH='command': run (with DAEMON_PID and SECS set) during it too.
		if [ -n "${BENCH_ATTACH:-}" ]; then
			DAEMON_PID=$pid SECS=$secs bash -c "$BENCH_ATTACH" &
			watchers+=($!)
		fi
	fi
	t0=$(cpu_ticks)
	w0=$(written)
	out=$(wrk -t2 -c"$1" -d"${secs}s" --latency "${@:2}" 2>&1)
	[ "${#watchers[@]}" -eq 0 ] || wait "${watchers[@]}" || true
	t1=$(cpu_ticks)
	w1=$(written)
	awk '
		/Requests\/sec/ { rps = $2 }
		$1 == "50%" { p50 = $2 }
		$1 == "99%" { p99 = $2 }
		/requests in/ { n = $1 }
		/Socket errors/ { gsub(/,/, ""); e += $4 + $6 + $8 + $10 }
		/Non-2xx or 3xx/ { e += $5 }
		END { printf "%s %s %s %d %s %.2f %.1f\n", rps, p50, p99, e, n,
			(n > 0 ? (t1 - t0) * 1000 / hz / n : 0), (n > 0 ? (w1 - w0) / 1024 / n : 0) }' \
		t0="$t0" t1="$t1" w0="$w0" w1="$w1" hz="$(getconf CLK_TCK)" <<<"$out"
}

# "first answer": one request alone, before the run, timed by curl — what the
# first visitor after a start or a change waits for when the page (or its
# model) must be built; the wrk run that follows measures the page served
# again and again, the steady state.
first_ms() {
	settle
	curl -s -o /dev/null -H "$cookie" -w '%{time_total}' "$1" |
		awk '{ printf "%.1f ms", $1 * 1000 }'
}

echo "| page | first answer | requests/s | vs /healthz | p50 | p99 | errors | CPU ms/request | KB written/request |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
health=
for p in "${pages[@]}"; do
	first=$(first_ms "$base$p")
	read -r rps p50 p99 errs _ cpu kb < <(run_wrk "$conns" -H "$cookie" "$base$p")
	[ -n "$health" ] || health=$rps
	ratio=$(awk -v a="$rps" -v b="$health" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }')
	label=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.unquote(sys.argv[1]))' "$p")
	echo "| \`$label\` | $first | $rps | $ratio | $p50 | $p99 | $errs | $cpu | $kb |"
done

# BENCH_IDLE=SECONDS: the daemon idles that long before the write mix.
[ -n "${BENCH_IDLE:-}" ] && sleep "$BENCH_IDLE"

# The write mix: API requests with a bearer token (no CSRF), half new cases,
# half visits (each with its own idempotency key and one grievance → a case).
# Dated today in Korea (KST, the daemon's day), or yesterday with BENCH_BACKDATE=1:
# a UTC date is yesterday's for nine hours of every day, and backdated writes
# touch other pages of the indexes than today's.
backdate=0
[ -n "${BENCH_BACKDATE:-}" ] && backdate=86400
token=$("$bin" token create --db "$db" --login leader --label bench 2>/dev/null | grep -o 'bz_[A-Za-z0-9_-]*' | head -n1)
cat >"$work/write.lua" <<EOF
local n = 0
local tid = 0
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("tid", counter) end
request = function()
  n = n + 1
  local today = os.date("!%Y-%m-%d", os.time() + 9 * 3600 - $backdate)
  if n % 2 == 0 then
    local body = "company_id=$company_id&channel=phone&category_id=$category_id" ..
      "&title=%EC%9E%90%EA%B8%88+%EC%A7%80%EC%9B%90+%EB%AC%B8%EC%9D%98" ..
      "&description=bench&request=bench&received_on=" .. today
    return wrk.format("POST", "/api/v1/cases", nil, body)
  end
  local key = string.format("%08x%08x%08x%08x", tid, n, math.random(0, 0x7fffffff),
    os.time() % 0x7fffffff)
  local body = "idempotency_key=" .. key .. "&rows=1&staff=$staff_id&company_id=$company_id" ..
    "&held_on=" .. today .. "&summary=bench&place=bench&action=save" ..
    "&g1_title=%EC%9D%B8%EB%A0%A5&g1_category=$category_id&g1_description=bench"
  return wrk.format("POST", "/api/v1/visits/new", nil, body)
end
EOF
# BENCH_PERF and BENCH_ATTACH watch the first 16-connection run (started by
# run_wrk once the daemon has settled: they see that run only).
attach=
first16=1
for c in ${BENCH_WRITE_CONNS:-16 32}; do
	before=$(q "SELECT count(*) FROM sos_case")
	if [ "$c" = 16 ] && [ -n "$first16" ]; then attach=1 first16=; fi
	read -r rps p50 p99 errs n cpu kb < <(run_wrk "$c" -s "$work/write.lua" \
		-H "Authorization: Bearer $token" \
		-H "Content-Type: application/x-www-form-urlencoded" "$base/")
	attach=
	after=$(q "SELECT count(*) FROM sos_case")
	ratio=$(awk -v a="$rps" -v b="$health" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }')
	echo "| write mix, $c connections ($((after - before)) cases made) | — | $rps | $ratio | $p50 | $p99 | $errs | $cpu | $kb |"
done

rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")

# Bytes a browser transfers for /dashboard: the page, then every stylesheet,
# script, icon and font it loads (first visit: nothing cached; repeat visit:
# the page again, assets with ?v= are immutable, others are revalidated).
ae="Accept-Encoding: br, gzip"
fetch() { curl -s -o "$2" -w '%{size_header} %{size_download}\n' -H "$ae" -H "$cookie" "${@:3}" "$base$1" | awk '{print $1 + $2}'; }
first=0
repeat=0
html=$work/page.html
b=$(fetch /dashboard "$html" --compressed)
first=$((first + b))
repeat=$((repeat + b))
mapfile -t assets < <(grep -o '\(href\|src\)="/static/[^"]*"' "$html" | sed 's/^[a-z]*="//; s/"$//' | sed 's/&amp;/\&/g' | sort -u)
css=()
for a in "${assets[@]}"; do
	b=$(fetch "$a" "$work/asset" --compressed)
	first=$((first + b))
	case $a in *.css*) css+=("$a") ;; esac
	cp "$work/asset" "$work/$(basename "${a%%\?*}")"
	case $a in *"?v="*) ;; *) # not immutable: a conditional request
		etag=$(curl -s -D - -o /dev/null -H "$ae" "$base$a" | awk -F': ' 'tolower($1) == "etag" {print $2}' | tr -d '\r')
		b=$(fetch "$a" /dev/null -H "If-None-Match: $etag")
		repeat=$((repeat + b)) ;;
	esac
done
# Fonts and images the stylesheets use (url(...) relative to the stylesheet);
# only fonts count: a browser loads a background image only when it is drawn.
for a in "${css[@]}"; do
	dir=$(dirname "${a%%\?*}")
	for u in $(grep -o 'url([^)]*\.woff2[^)]*)' "$work/$(basename "${a%%\?*}")" | sed 's/url(//; s/)$//; s/"//g' | sort -u); do
		path=$(python3 -c 'import os, sys; print(os.path.normpath(os.path.join(sys.argv[1], sys.argv[2])))' "$dir" "${u%%\?*}")
		b=$(fetch "$path" /dev/null --compressed)
		first=$((first + b))
		etag=$(curl -s -D - -o /dev/null -H "$ae" "$base$path" | awk -F': ' 'tolower($1) == "etag" {print $2}' | tr -d '\r')
		b=$(fetch "$path" /dev/null -H "If-None-Match: $etag")
		repeat=$((repeat + b))
	done
done

echo
read -r steal1 total1 < <(steal_total)
steal_pct=$(awk -v a="$((steal1 - steal0))" -v b="$((total1 - total0))" 'BEGIN { printf "%.0f", (b > 0 ? 100 * a / b : 0) }')
echo "daemon peak RSS serving: $((rss_kb / 1024)) MB (after the sign-in, before serving: $((signin_rss_kb / 1024)) MB) · cold start to first answer: ${cold_ms} ms · /dashboard first visit: $((first / 1024)) KB, repeat visit: $((repeat / 1024)) KB"
echo "data: $ncases cases, $(q 'SELECT count(*) FROM activity') activities, $(q 'SELECT count(*) FROM company') companies (--scale $scale); wrk -t2 -c$conns -d${secs}s; $(nproc) cores; CPU time taken by the host (steal) during the runs: ${steal_pct}%"
