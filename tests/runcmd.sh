#!/usr/bin/env bash
# runcmd.sh -- the run command (./diaodu start) when things go wrong, on an
# instance of its own (var/runcmd, the optimised build, no terminal):
#   - a demo file that fails to import: exit 1, a message naming the file,
#     and nothing left running (MariaDB stopped, no port open);
#   - the port taken by another program: exit 1, a message, nothing running;
#   - the rerun goes on where the demo load stopped (the steps done before
#     are not run again) and ends with every demo account's code;
#   - Site.Url: never http://0.0.0.0 for DIAODU_LISTEN=0.0.0.0, DIAODU_URL
#     wins, and a value the user wrote in local.conf is kept.
# Prints "runcmd: N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export DIAODU_INSTANCE=runcmd DIAODU_BUILD=build DIAODU_PORT=${DIAODU_RUNCMD_PORT:-18190}
unset DIAODU_TLS_PORT DIAODU_EXTRA_CONF DIAODU_URL DIAODU_LISTEN ASAN_OPTIONS UBSAN_OPTIONS
VAR=$ROOT/var/runcmd
OUT=$(mktemp -d /tmp/diaodu-runcmd.XXXXXX)
pass=0; fail=0
ok(){ pass=$((pass+1)); echo "ok   - runcmd: $*"; }
no(){ fail=$((fail+1)); echo "FAIL - runcmd: $*"; }
check(){ local what=$1; shift; if "$@"; then ok "$what"; else no "$what"; fi; }
LISTENER=""
cleanup(){
  [ -n "$LISTENER" ] && kill "$LISTENER" 2>/dev/null
  ./diaodu stop >/dev/null 2>&1
  rm -rf "$VAR" "$OUT"
}
trap cleanup EXIT
./diaodu stop >/dev/null 2>&1; rm -rf "$VAR"

nothing_running(){
  ! mariadb --no-defaults --socket="$VAR/run/mysqld.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 &&
  [ ! -e "$VAR/run/login.sock" ] && [ ! -e "$VAR/run/admin.sock" ] &&
  ! curl -s --max-time 2 "http://127.0.0.1:$DIAODU_PORT/" >/dev/null 2>&1
}
conf_url(){ sed -n 's/^Site\.Url *= *//p' "$VAR/local.conf" | tail -1; }

# ---- a demo file that does not import
cp -r demo "$OUT/demo"
printf 'code,name\n,\n' > "$OUT/demo/vehicle.csv"
DIAODU_DEMO_DIR=$OUT/demo ./diaodu start </dev/null >"$OUT/1.log" 2>&1
check "a failed demo load exits 1" test $? = 1
check "... saying which file failed" grep -q "demo company failed at $OUT/demo/vehicle.csv" "$OUT/1.log"
check "... and leaves nothing running" nothing_running
check "... keeping the steps done before it" test -f "$VAR/demo/units.done" -a -f "$VAR/demo/users.done"
units_mtime=$(stat -c %Y "$VAR/demo/units.done")

# ---- the port taken by another program
node -e "require('net').createServer().listen($DIAODU_PORT, '127.0.0.1')" & LISTENER=$!
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$DIAODU_PORT") 2>/dev/null && break; sleep 0.1; done
./diaodu start </dev/null >"$OUT/2.log" 2>&1
check "a port in use exits 1" test $? = 1
check "... saying so" grep -q "nginx did not start (is port $DIAODU_PORT in use" "$OUT/2.log"
kill "$LISTENER"; wait "$LISTENER" 2>/dev/null; LISTENER=""
check "... and leaves nothing running" nothing_running

# ---- the rerun goes on, and the address is the user's
sleep 1
DIAODU_LISTEN=0.0.0.0 ./diaodu start </dev/null >"$OUT/3.log" 2>&1
check "the rerun starts" test $? = 0 || cat "$OUT/3.log"
check "... without loading the units again" test "$(stat -c %Y "$VAR/demo/units.done")" = "$units_mtime"
check "... and with every demo account's code" test "$(wc -l < "$VAR/demo-accounts.tsv")" = 46
check "DIAODU_LISTEN=0.0.0.0 does not put 0.0.0.0 in Site.Url" bash -c "! grep -q '0\.0\.0\.0' <<<'$(conf_url)' && [ -n '$(conf_url)' ]"
./diaodu stop >/dev/null 2>&1
DIAODU_URL=https://dispatch.example.com DIAODU_DEMO=0 ./diaodu start </dev/null >"$OUT/4.log" 2>&1
check "DIAODU_URL sets Site.Url" test "$(conf_url)" = https://dispatch.example.com
check "... and the banner shows it" grep -q "https://dispatch.example.com/" "$OUT/4.log"
./diaodu stop >/dev/null 2>&1
sed -i '1i Site.Url = http://diaodu.intranet.example:8080' "$VAR/local.conf"
DIAODU_DEMO=0 ./diaodu start </dev/null >"$OUT/5.log" 2>&1
check "a Site.Url written in local.conf is kept" test "$(conf_url)" = http://diaodu.intranet.example:8080
./diaodu stop >/dev/null 2>&1
check "stop leaves nothing running" nothing_running
echo "runcmd: $pass passed, $fail failed"
[ "$fail" = 0 ]
