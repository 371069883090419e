#!/usr/bin/env bash
# bench.sh -- `make bench` / `./diaodu bench`: wrk against
#   (a) a static file from nginx
#   (b) a hello-world FastCGI responder (the baseline: libfcgi accept loop,
#       same number of processes as the real executables)
#   (c) the login page (template render, no DB)
#   (d) the portal with a valid session (the hot path: session, user and
#       grants from MariaDB in one query, template render; today's sheets of
#       every unit the bench account enters for: the forms, the units with
#       their sheets) and (d1) the same for the clerk of one unit
#   (e) the entry list page with a session (50 of the demo company's sheets,
#       keyset page, scope in SQL)
# and tests/bench-entry.sh: a 20-row sheet submitted end to end against the
# raw C-API insert of the same rows; tests/bench-track.sh: 上报情况, the
# submission matrix of a month of 300 units, and 催报; tests/bench-approval.sh: the inbox
# (待我审批) among 100,000 sheets and the approve action, with the EXPLAIN of
# the inbox query; then the audit log's costs (tests/bench-audit.sh), the
# import (tests/bench-import.sh) and the report engine over a year of a
# 300-team company (tests/bench-report.sh: the data generator, each built-in
# report against its raw SQL, the PDF of a 1,000-row report) and the PDFs'
# cut-down font against the full one (tests/bench-font.sh)
# all through the same nginx in the same run, and prints requests/s with
# each figure as a ratio to (b), and where the CPU time of a request went
# (mariadbd, the FastCGI workers, nginx: from /proc, per request).
# BENCH_PROFILE=1 adds a perf profile of the portal run (needs linux-perf).
# BENCH_BEFORE=DIR (a build directory of another commit, e.g. main's
# build/) measures (c) and (d) again with DIR/bin/diaodu-login in the same
# run, against the same baseline: before/after ratios.
# BENCH_ONLY=entry runs only the sheet submit against the raw insert
# (tests/bench-entry.sh) on the fresh instance, nothing else.
# Not a test: nothing here can fail a build.
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

# bench accounts with a known password and a session cookie: 'bench' with
# clerk, head and leader over the whole company (its portal lists today's
# sheets of every unit), and 'bench1', the clerk of one unit (车队, 100020)
PW='Bench#2026-pw'
HASH=$(echo "$PW" | ./diaodu ctl hash)
account(){ # login unit-condition roles scope
  ./diaodu sql -e "DELETE s FROM session s JOIN app_user u ON u.id=s.user_id WHERE u.login='$1';
  DELETE ur FROM user_role ur JOIN app_user u ON u.id=ur.user_id WHERE u.login='$1';
  DELETE FROM app_user WHERE login='$1';
  INSERT INTO app_user (login,name,org_unit_id,pw_hash,must_change,pw_changed_at,created_at,updated_at)
   SELECT '$1','压测用户',id,'$HASH',0,UTC_TIMESTAMP(),UTC_TIMESTAMP(),UTC_TIMESTAMP() FROM org_unit WHERE $2 LIMIT 1;
  INSERT INTO user_role (user_id,role_id,org_unit_id,scope) SELECT u.id,r.id,u.org_unit_id,'$4'
   FROM app_user u, role r WHERE u.login='$1' AND r.code IN ($3);"
  local jar csrf
  jar=$(mktemp)
  curl -s -c "$jar" -b "$jar" "$URL/login" -o /dev/null
  csrf=$(awk '/dd_csrf/{print $7}' "$jar")
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "login=$1" --data-urlencode "password=$PW" "$URL/login"
  awk '/dd_sess/{print $7}' "$jar"
  rm -f "$jar"
}
SESS=$(account bench "parent_id IS NULL" "'clerk','head','leader'" subtree)
SESS1=$(account bench1 "code='100020'" "'clerk'" unit)
for s in "$SESS" "$SESS1"; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -b "dd_sess=$s" "$URL/")" = 200 ] || { echo "bench: portal login failed"; exit 1; }
done

# CPU time (clock ticks) of a process and the children it has or has waited for
ticks(){ awk '{print $14+$15+$16+$17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
tree_ticks(){
  local s c; [ -n "$1" ] || { echo 0; return; }; s=$(ticks "$1")
  for c in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do s=$((s + $(ticks "$c"))); done
  echo "$s"
}
MDB=$(cat "$VAR/run/mysqld.pid"); NGX=$(cat "$VAR/run/nginx.pid"); LOGIN=$(cat "$VAR/run/login.pid")
ENTRY=$(cat "$VAR/run/entry.pid")
HZ=$(getconf CLK_TCK)
CPU_NOTE=""
run(){ # name url workers-pid [header]; sets RPS
  local out a1 w1 n1 a2 w2 n2 non2xx n
  a1=$(ticks "$MDB"); w1=$(tree_ticks "$3"); n1=$(tree_ticks "$NGX")
  if [ -n "${4:-}" ]; then out=$(wrk -t2 -c"$CONN" -d"${SECS}s" -H "$4" "$2")
  else out=$(wrk -t2 -c"$CONN" -d"${SECS}s" "$2"); fi
  a2=$(ticks "$MDB"); w2=$(tree_ticks "$3"); n2=$(tree_ticks "$NGX")
  RPS=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/{print $5}' <<<"$out")
  n=$(awk '/requests in/{print $1}' <<<"$out")
  [ -n "$non2xx" ] && echo "warning: $1 had $non2xx non-2xx answers" >&2
  CPU_NOTE="$CPU_NOTE$(awk -v t="$1" -v n="$n" -v hz="$HZ" -v a=$((a2-a1)) -v w=$((w2-w1)) -v g=$((n2-n1)) \
    'BEGIN{f=1e6/hz/n; printf "| %s | %.0f | %.0f | %.0f | %.0f |", t, a*f, w*f, g*f, (a+w+g)*f}')
"
}

if [ "${BENCH_ONLY:-}" = entry ]; then
  URL=$URL VAR=$VAR SESS=$SESS SECS=$SECS bash tests/bench-entry.sh
  exit 0
fi

curl -s "$URL/hello" >/dev/null
echo "warming up ..." >&2
wrk -t2 -c8 -d2s "$URL/login" >/dev/null
run "(a) static" "$URL/static/robots.txt" ""; S=$RPS
run "(b) hello" "$URL/hello" "$HELLO"; H=$RPS
run "(c) login page" "$URL/login" "$LOGIN"; L=$RPS
run "(d) portal" "$URL/" "$LOGIN" "Cookie: dd_sess=$SESS"; P=$RPS
run "(d1) portal, one unit's clerk" "$URL/" "$LOGIN" "Cookie: dd_sess=$SESS1"; P1=$RPS
[ "$(curl -s -o /dev/null -w '%{http_code}' -b "dd_sess=$SESS" "$URL/entry/list")" = 200 ] || { echo "bench: entry list failed"; exit 1; }
run "(e) entry list" "$URL/entry/list" "$ENTRY" "Cookie: dd_sess=$SESS"; E=$RPS
RSS=$(ps -o rss= --ppid "$(cat "$VAR/run/login.pid")" | awk '{s+=$1; n++} END {printf "%.1f", s/n/1024}')

login_from(){ # restart the login master from another build directory
  local pid; pid=$(cat "$VAR/run/login.pid")
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  setsid "$1/bin/diaodu-login" -c "$ROOT/conf/diaodu.conf" -c "$VAR/local.conf" \
    </dev/null >>"$VAR/log/login.log" 2>&1 &
  echo $! > "$VAR/run/login.pid"
  LOGIN=$!
  for _ in $(seq 1 50); do [ -S "$VAR/run/login.sock" ] && break; sleep 0.1; done
  curl -s -o /dev/null "$URL/login"
}
if [ -n "${BENCH_BEFORE:-}" ]; then
  login_from "$BENCH_BEFORE"
  run "(c) login page, before" "$URL/login" "$LOGIN"; LB=$RPS
  run "(d) portal, before" "$URL/" "$LOGIN" "Cookie: dd_sess=$SESS"; PB=$RPS
  login_from "$ROOT/build"
fi

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
echo "| (d) portal with a session (session query; today's sheets of every unit: 2 SELECTs; template) | $P | $(ratio "$P") |"
echo "| (d1) portal of one unit's clerk (the same, one unit's sheets of today) | $P1 | $(ratio "$P1") |"
echo "| (e) entry list with a session (50 sheets of the demo company, keyset page) | $E | $(ratio "$E") |"
if [ -n "${BENCH_BEFORE:-}" ]; then
  echo "| (c) login page, before ($BENCH_BEFORE) | $LB | $(ratio "$LB") |"
  echo "| (d) portal, before ($BENCH_BEFORE) | $PB | $(ratio "$PB") |"
fi
echo
echo "login worker RSS after the run: $RSS MB on average"
echo
echo "CPU time per request in microseconds, from /proc (utime + stime of each process and its workers)"
echo
echo "| target | mariadbd | FastCGI workers | nginx | total |"
echo "|---|---:|---:|---:|---:|"
printf "%s" "$CPU_NOTE"

if [ -n "${BENCH_PROFILE:-}" ]; then
  # where the portal's time goes: CPU share by command (whole machine), then
  # the login workers' hottest paths (DWARF call graphs; the workers are
  # read from the master's status file)
  echo
  echo "perf profile of the portal: share of all CPU samples by command and object"
  PERF=$(mktemp)
  wrk -t2 -c"$CONN" -d"$((SECS + 6))s" -H "Cookie: dd_sess=$SESS" "$URL/" >/dev/null &
  WRK=$!
  sleep 1
  perf record -q -a -g -o "$PERF" -- sleep "$SECS" >/dev/null 2>&1 || true
  echo
  { perf report -i "$PERF" --no-children --sort comm,dso -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -14; } || true
  W=$(awk '!/^#/ && $2>0 {print $2}' "$VAR/run/login.workers" | paste -sd, -)
  perf record -q -F 2000 --call-graph dwarf,16384 -p "$W" -o "$PERF" -- sleep 2 >/dev/null 2>&1 || true
  wait $WRK || true
  echo
  echo "login workers, share of their samples by function (with callees)"
  echo
  { perf report -i "$PERF" --children --sort sym -g none 2>/dev/null \
    | grep -v '^#' | grep -v '^$' | grep -v '0x0000' | grep -v '\[k\]' | head -45; } || true
  rm -f "$PERF"
fi

URL=$URL VAR=$VAR SESS=$SESS SECS=$SECS bash tests/bench-entry.sh
bash tests/bench-track.sh
bash tests/bench-approval.sh
HELLO=$H SECS=$SECS CONN=$CONN bash tests/bench-audit.sh
bash tests/bench-import.sh
bash tests/bench-report.sh
bash tests/bench-font.sh
