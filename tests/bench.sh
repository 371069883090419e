#!/usr/bin/env bash
# bench.sh -- `make bench` / `./diaodu bench`: wrk against
#   (a) a static file from nginx
#   (b) a hello-world FastCGI responder (the baseline: libfcgi accept loop,
#       same number of processes as the real executables)
#   (c) the login page (template render, no DB)
#   (d) the portal with a valid session (the hot path: session + grants
#       from MariaDB, template render)
# all through the same nginx in the same run, and prints requests/s with
# each figure as a ratio to (b).  Not a test: nothing here can fail a build.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export DIAODU_INSTANCE=bench DIAODU_PORT=${DIAODU_BENCH_PORT:-18090} DIAODU_BUILD=build DIAODU_HELLO=1
SECS=${BENCH_SECONDS:-8}
CONN=${BENCH_CONNECTIONS:-32}
VAR=$ROOT/var/bench
URL=http://127.0.0.1:$DIAODU_PORT

./diaodu stop >/dev/null 2>&1 || true
rm -rf "$VAR"                       # every run measures the same fresh instance
./diaodu start >/dev/null
build/bin/diaodu-hello "$VAR/run/hello.sock" 2 >/dev/null 2>&1 &
HELLO=$!
trap 'kill $HELLO 2>/dev/null; ./diaodu stop >/dev/null 2>&1' EXIT
for _ in $(seq 1 50); do [ -S "$VAR/run/hello.sock" ] && break; sleep 0.1; done

# a bench account with a known password and a session cookie
PW='Bench#2026-pw'
HASH=$(echo "$PW" | ./diaodu ctl hash)
./diaodu sql -e "DELETE s FROM session s JOIN app_user u ON u.id=s.user_id WHERE u.login='bench';
  DELETE ur FROM user_role ur JOIN app_user u ON u.id=ur.user_id WHERE u.login='bench';
  DELETE FROM app_user WHERE login='bench';
  INSERT INTO app_user (login,name,org_unit_id,pw_hash,must_change,pw_changed_at,created_at,updated_at)
   SELECT 'bench','压测用户',id,'$HASH',0,UTC_TIMESTAMP(),UTC_TIMESTAMP(),UTC_TIMESTAMP() FROM org_unit WHERE parent_id IS NULL;
  INSERT INTO user_role (user_id,role_id,org_unit_id,scope) SELECT u.id,r.id,u.org_unit_id,'subtree'
   FROM app_user u, role r WHERE u.login='bench' AND r.code IN ('clerk','head','report');"
JAR=$(mktemp)
curl -s -c "$JAR" -b "$JAR" "$URL/login" -o /dev/null
CSRF=$(awk '/dd_csrf/{print $7}' "$JAR")
curl -s -c "$JAR" -b "$JAR" -o /dev/null --data-urlencode "csrf=$CSRF" --data-urlencode login=bench --data-urlencode "password=$PW" "$URL/login"
SESS=$(awk '/dd_sess/{print $7}' "$JAR")
rm -f "$JAR"
[ "$(curl -s -o /dev/null -w '%{http_code}' -b "dd_sess=$SESS" "$URL/")" = 200 ] || { echo "bench: portal login failed"; exit 1; }

run(){ # name url [header]
  local out
  if [ -n "${3:-}" ]; then out=$(wrk -t2 -c"$CONN" -d"${SECS}s" -H "$3" "$2")
  else out=$(wrk -t2 -c"$CONN" -d"${SECS}s" "$2"); fi
  local rps non2xx; rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/{print $5}' <<<"$out")
  [ -n "$non2xx" ] && echo "warning: $1 had $non2xx non-2xx answers" >&2
  echo "$rps"
}

curl -s "$URL/hello" >/dev/null
echo "warming up ..." >&2
wrk -t2 -c8 -d2s "$URL/login" >/dev/null
S=$(run static "$URL/static/robots.txt")
H=$(run hello "$URL/hello")
L=$(run login "$URL/login")
P=$(run portal "$URL/" "Cookie: dd_sess=$SESS")
RSS=$(ps -o rss= --ppid "$(cat "$VAR/run/login.pid")" | awk '{s+=$1; n++} END {printf "%.1f", s/n/1024}')

ratio(){ awk -v a="$1" -v b="$H" 'BEGIN{printf "%.2f", a/b}'; }
DATE=$(date -u +%Y-%m-%d)
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo
echo "Diaodu benchmark, $DATE, $(nproc) cores ($CPU), wrk -t2 -c$CONN -d${SECS}s, 2 workers per executable"
echo
echo "| target | requests/s | ratio to hello FastCGI |"
echo "|---|---:|---:|"
echo "| (a) static file from nginx | $S | $(ratio "$S") |"
echo "| (b) hello-world FastCGI (baseline) | $H | 1.00 |"
echo "| (c) login page (template, no DB) | $L | $(ratio "$L") |"
echo "| (d) portal with a session (2 SELECTs + template) | $P | $(ratio "$P") |"
echo
echo "login worker RSS after the run: $RSS MB on average"
bash tests/bench-import.sh
