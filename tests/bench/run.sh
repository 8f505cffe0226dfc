#!/usr/bin/env bash
# Load benchmark: builds a demo database at --scale N, serves it on a loopback
# port and measures a few pages with wrk (10 s each, bounded, 127.0.0.1 only).
# Prints a Markdown table; docs/benchmarks.md keeps the figures of record.
#   tests/bench/run.sh [SCALE]      (default 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=${1:-10}
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null; }
[ -x build/bizsos ] || { cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null; cmake --build build -j"$(nproc)"; }

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
./build/bizsos demo --db "$work/bench.db" --scale "$scale" > "$work/demo.txt"
pw=$(awk '$1 == "leader" {print $3}' "$work/demo.txt")
./build/bizsos serve --db "$work/bench.db" --listen 127.0.0.1:0 --threads "$(nproc)" \
  > "$work/out.txt" 2> "$work/log.txt" &
pid=$!
for _ in $(seq 50); do grep -q listening "$work/out.txt" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$work/out.txt")

# Sign in as the leader and keep the session cookie for wrk.
jar="$work/jar"
csrf=$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "login=leader" \
  --data-urlencode "password=$pw" --data-urlencode "csrf=$csrf" "$base/login"
session=$(awk '$6 == "bz_session" {print $7}' "$jar")

echo "| page | requests/s | p50 | p99 |"
echo "|---|---|---|---|"
for path in /healthz /static/css/app.css /login / /cases /companies /card /dashboard \
            "/progress?year=2024&quarter=3"; do
  out=$(wrk -t2 -c32 -d10s --latency -H "Cookie: bz_session=$session" "$base$path" 2>&1)
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print " (non-2xx: " $5 ")"}' <<<"$out")
  echo "| \`$path\` | $rps$non2xx | $p50 | $p99 |"
done
