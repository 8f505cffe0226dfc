#!/usr/bin/env bash
# The README's "Operations" section followed as a new administrator would:
# install into a fresh prefix with `cmake --install`, check the unit (with
# systemd-analyze when there is one), make the data folder as tmpfiles.d says,
# run the unit's ExecStartPre and ExecStart exactly as written (systemd is not
# PID 1 here, so the script plays its part), add the first admin, sign in,
# record something, back up while serving, stop, restore, start again and find
# the record. Usage: test_install.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
T=$(mktemp -d /tmp/bizsos-install-XXXXXX)
pid=
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
	rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$T/err" ] && tail -20 "$T/err" >&2; exit 1; }
step() { echo "==> $*"; }

prefix=$T/usr
export BIZSOS_STATE_DIR=$T/var/lib/bizsos
state=$BIZSOS_STATE_DIR

step "cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/bizsos share/bizsos/templates/layout.mustache share/bizsos/static/css/app.css \
	etc/bizsos/bizsos.conf.sample lib/systemd/system/bizsos.service \
	lib/sysusers.d/bizsos.conf lib/tmpfiles.d/bizsos.conf share/doc/bizsos/README.md \
	share/doc/bizsos/nginx-bizsos.conf; do
	[ -e "$prefix/$f" ] || fail "$f was not installed"
done
ls "$prefix/share/bizsos/static/vendor" | grep -q . || fail "KRDS (static/vendor) was not installed"
unit=$prefix/lib/systemd/system/bizsos.service
for want in '^User=bizsos$' '^ProtectSystem=strict$' '^NoNewPrivileges=yes$' '^PrivateTmp=yes$' \
	'^StateDirectoryMode=0700$' '^UMask=0077$' "^ReadWritePaths=$state\$" '^CapabilityBoundingSet=$'; do
	grep -q "$want" "$unit" || fail "the unit lacks $want"
done
grep -q "^u bizsos " "$prefix/lib/sysusers.d/bizsos.conf" || fail "no system user in sysusers.d"
grep -q "^d $state 0700 bizsos bizsos" "$prefix/lib/tmpfiles.d/bizsos.conf" || fail "tmpfiles.d"
if command -v systemd-analyze >/dev/null 2>&1; then
	step "systemd-analyze verify bizsos.service"
	out=$(systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze: $out"
	# a missing bizsos user is expected here (sysusers has not run), nothing else
	if echo "$out" | grep -v -i "bizsos.*user\|user.*bizsos" | grep -q .; then
		fail "systemd-analyze: $out"
	fi
fi

step "configure: cp bizsos.conf.sample bizsos.conf"
cp "$prefix/etc/bizsos/bizsos.conf.sample" "$prefix/etc/bizsos/bizsos.conf"
bin=$prefix/bin/bizsos
db=$(sed -n 's/^db = //p' "$prefix/etc/bizsos/bizsos.conf")
[ "$db" = "$state/bizsos.db" ] || fail "the sample config names $db"

step "data folder as systemd-tmpfiles --create makes it (0700)"
umask 0077
mkdir -p -m 0700 "$state" "$state/backups"

pre=$(sed -n 's/^ExecStartPre=//p' "$unit")
start=$(sed -n 's/^ExecStart=//p' "$unit")
step "ExecStartPre: $pre"
$pre >/dev/null 2>>"$T/err" || fail "ExecStartPre"

step "first admin: bizsos user add ... --role admin --password-stdin"
printf '%s\n' 'First-admin-42' | "$bin" user add --db "$db" --login admin --name 관리자 \
	--role admin --department 기업경제과 --password-stdin >/dev/null 2>>"$T/err" || fail "user add"

serve() {
	# the unit's ExecStart as written; a free port instead of 8080 (BIZSOS_LISTEN)
	: >"$T/out"
	BIZSOS_LISTEN=127.0.0.1:0 $start >"$T/out" 2>>"$T/err" &
	pid=$!
	for _ in $(seq 1 100); do
		grep -q '^listening on' "$T/out" && break
		kill -0 "$pid" 2>/dev/null || fail "the daemon stopped"
		sleep 0.1
	done
	base=$(sed -n 's/^listening on //p' "$T/out" | head -1)
	[ -n "$base" ] || fail "the daemon did not start"
	curl -fsS "$base/healthz" | grep -q ok || fail "/healthz"
}
stop() {
	kill -TERM "$pid"
	wait "$pid" || fail "the daemon did not stop cleanly"
	pid=
}
jar=$T/cookies
signin() {
	rm -f "$jar"
	csrf=$(curl -fsS -c "$jar" -b "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
	code=$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
		--data-urlencode "csrf=$csrf" --data-urlencode login=admin \
		--data-urlencode password=First-admin-42 "$base/login")
	[ "$code" = 303 ] || fail "sign-in answered $code"
	csrf=$(curl -fsS -c "$jar" -b "$jar" "$base/admin/departments" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
	[ -n "$csrf" ] || fail "no page after sign-in"
}
add_department() {
	code=$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
		--data-urlencode "csrf=$csrf" --data-urlencode "name=$1" --data-urlencode kind=internal \
		"$base/admin/departments")
	[ "$code" = 303 ] || fail "adding department $1 answered $code"
}

step "start (ExecStart): $start"
serve
step "sign in as admin"
signin
add_department "백업전과"
mkdir -p "$state/files/attachments" && echo "%PDF upload" >"$state/files/attachments/a.pdf"
curl -fsS -b "$jar" "$base/admin/operations" | grep -c '백업·운영 상태' >/dev/null || fail "operations page"

step "bizsos backup --config $prefix/etc/bizsos/bizsos.conf --to $state/backups/manual.db (while serving)"
"$bin" backup --config "$prefix/etc/bizsos/bizsos.conf" --to "$state/backups/manual.db" || fail "backup"
add_department "백업후과"
rm "$state/files/attachments/a.pdf"
if "$bin" restore --from "$state/backups/manual.db" --db "$db" 2>/dev/null; then
	fail "restore overwrote a database in use"
fi

step "stop (systemctl stop bizsos = SIGTERM)"
stop
step "bizsos restore --from $state/backups/manual.db --config $prefix/etc/bizsos/bizsos.conf"
"$bin" restore --from "$state/backups/manual.db" --config "$prefix/etc/bizsos/bizsos.conf" || fail "restore"
"$bin" audit verify --db "$db" || fail "audit verify after restore"
[ -f "$state/files/attachments/a.pdf" ] || fail "the uploaded file did not come back"

step "start again, sign in, find the record"
serve
signin
page=$(curl -fsS -b "$jar" "$base/admin/departments")
echo "$page" | grep -q '백업전과' || fail "the record from before the backup is missing"
if echo "$page" | grep -q '백업후과'; then fail "the restore kept a record from after the backup"; fi
deep=$(curl -sS -b "$jar" "$base/healthz?deep=1")
echo "$deep" | grep -q '"database": "ok"' || fail "healthz deep for an admin: $deep"
anon=$(curl -sS "$base/healthz?deep=1")
case "$anon" in ok*|degraded*) ;; *) fail "healthz deep for anyone: $anon" ;; esac
stop

step "permissions"
[ "$(stat -c %a "$state")" = 700 ] || fail "data folder is $(stat -c %a "$state")"
[ "$(stat -c %a "$db")" = 600 ] || fail "database is $(stat -c %a "$db")"
echo "install test passed"
