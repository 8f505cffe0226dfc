#!/usr/bin/env bash
# Export benchmark: a demo database grown to N cases (default 100,000) by
# copying the demo's cases with new numbers, served on a loopback port; the
# case list is downloaded as XLSX and CSV (no filter: every row) and the
# daemon's peak resident memory (VmHWM) is read from /proc before and after.
# Prints a Markdown table; docs/benchmarks.md keeps the figures of record.
#   tests/bench/export.sh [CASES]
set -euo pipefail
cd "$(dirname "$0")/../.."
cases=${1:-100000}
[ -x build/bizsos ] || { cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null; cmake --build build -j"$(nproc)"; }

work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$pid" ] && wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
./build/bizsos demo --db "$work/bench.db" --scale 1 > "$work/demo.txt" 2>/dev/null
pw=$(awk '$1 == "leader" {print $3}' "$work/demo.txt")

# Grow the case table: copies of the demo's cases under new numbers SOS-9xxx-NNNNNN.
have=$(sqlite3 "$work/bench.db" "SELECT count(*) FROM sos_case")
need=$((cases - have))
if [ "$need" -gt 0 ]; then
  sqlite3 "$work/bench.db" <<SQL
PRAGMA foreign_keys = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $need)
INSERT INTO sos_case (case_no, company_id, received_at, received_on, channel, category_id,
  title, description, request, triage, flag, status, disposition, outcome, outcome_reason,
  closed_on, notified_method, notified_on, due_on, assignee_id, created_by, created_at,
  updated_at)
SELECT printf('SOS-%04d-%06d', 9000 + (n.i % 900), n.i), s.company_id, s.received_at,
  s.received_on, s.channel, s.category_id, s.title, s.description, s.request, s.triage,
  s.flag, s.status, s.disposition, s.outcome, s.outcome_reason, s.closed_on,
  s.notified_method, s.notified_on, s.due_on, s.assignee_id, s.created_by, s.created_at,
  s.updated_at
FROM n JOIN sos_case s ON s.id = 1 + (n.i % $have);
COMMIT;
SQL
fi
total=$(sqlite3 "$work/bench.db" "SELECT count(*) FROM sos_case")

./build/bizsos serve --db "$work/bench.db" --listen 127.0.0.1:0 --threads 4 \
  > "$work/out.txt" 2> "$work/log.txt" &
pid=$!
for _ in $(seq 100); do grep -q listening "$work/out.txt" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$work/out.txt")
jar="$work/jar"
csrf=$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "login=leader" \
  --data-urlencode "password=$pw" --data-urlencode "csrf=$csrf" "$base/login"

rss() { awk -v k="$1:" '$1 == k {print int($2 / 1024)}' "/proc/$pid/status"; }
curl -s -b "$jar" -o /dev/null "$base/cases"
echo "cases in the database: $total; daemon after the first page: RSS $(rss VmRSS) MB"
echo
echo "| download | rows | file size | time | daemon peak RSS (VmHWM) after |"
echo "|---|---|---|---|---|"
for ext in xlsx csv; do
  out=$(curl -s -b "$jar" -o "$work/cases.$ext" -w '%{http_code} %{size_download} %{time_total}' \
    "$base/cases.$ext")
  read -r code size secs <<<"$out"
  [ "$code" = 200 ] || { echo "/cases.$ext answered $code" >&2; exit 1; }
  rows=$(sqlite3 "$work/bench.db" "SELECT json_extract(detail, '\$.rows') FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1")
  echo "| \`/cases.$ext\` | $rows | $((size / 1024 / 1024)) MB | ${secs}s | $(rss VmHWM) MB |"
done
peak=$(rss VmHWM)

# Import: 50,000 companies from one CSV (valid BRNs 9xx-xx-xxxxx with their
# check digit), first as a check, then imported, then imported again (no change).
awk 'BEGIN {
  srand(7); print "\xef\xbb\xbf기업명,사업자등록번호,대표자,종업원 수,창립일,주소";
  split("1 3 7 1 3 7 1 3 5", w, " ");
  for (i = 0; i < 50000; i++) {
    b = sprintf("9%08d", i); s = 0;
    for (k = 1; k <= 9; k++) s += substr(b, k, 1) * w[k];
    s += int(substr(b, 9, 1) * 5 / 10); c = (10 - s % 10) % 10;
    printf "가상기업%05d,%s-%s-%s%d,대표%d,%d,20%02d-0%d-1%d,가상시 산단로 %d\r\n", i,
      substr(b, 1, 3), substr(b, 4, 2), substr(b, 6, 4), c, i, i % 300, i % 24, 1 + i % 9, i % 9, i
  } }' > "$work/companies.csv"
csrf=$(curl -s -b "$jar" "$base/companies/import" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
echo
echo "| import of $(($(wc -l < "$work/companies.csv") - 1)) companies ($(($(stat -c %s "$work/companies.csv") / 1024 / 1024)) MB CSV) | time | result | daemon peak RSS after |"
echo "|---|---|---|---|"
for action in check import import; do
  out=$(curl -s -b "$jar" -H 'Accept: application/json' -F csrf="$csrf" -F action=$action \
    -F file=@"$work/companies.csv" -o "$work/import.json" -w '%{http_code} %{time_total}' "$base/companies/import")
  read -r code secs <<<"$out"
  res=$(sqlite3 :memory: "SELECT json_extract(readfile('$work/import.json'), '\$.report.created') || ' new, ' || json_extract(readfile('$work/import.json'), '\$.report.unchanged') || ' unchanged, ' || json_extract(readfile('$work/import.json'), '\$.report.error_rows') || ' errors'" 2>/dev/null || echo "?")
  echo "| $action | ${secs}s | $code: $res | $(rss VmHWM) MB |"
done
peak=$(rss VmHWM)
echo
if [ "$peak" -lt 100 ]; then echo "peak RSS $peak MB < 100 MB: ok"; else echo "peak RSS $peak MB >= 100 MB: TOO HIGH"; exit 1; fi
