#!/usr/bin/env bash
# bench-audit.sh -- part of `make bench`: the audit log's costs.
#  1. the audit record on a write path: the same write (a base-data record
#     changed in its own transaction) with and without its record, in the
#     same run (tests/bench/bench_audit.c); the entry submit path (a 20-row
#     sheet through the entry engine) with and without its record, same run
#     (tests/bench/bench_submit.c); and the whole write path through
#     HTTP (POST /admin/base/item, a real change each request, so each
#     writes its record) as a ratio to the hello-world responder;
#  2. the auditor's viewer with 10^6 records: the first page, a deep page
#     (keyset: ?before= near the oldest record) and a filtered page, each
#     as a ratio to the hello-world responder.
# The 10^6 records are bulk-loaded in SQL (MariaDB's sequence engine) with
# a placeholder MAC: the viewer reads, it does not verify, and appending
# them one by one would take the bench minutes.  Expects the running bench
# instance (bench.sh), HELLO (hello's requests/s), SECS and CONN.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
VAR=$ROOT/var/$DIAODU_INSTANCE
URL=http://127.0.0.1:$DIAODU_PORT
N=${BENCH_AUDIT_ROWS:-1000000}
ratio(){ awk -v a="$1" -v b="$HELLO" 'BEGIN{printf "%.2f", a/b}'; }
run(){ # url cookie [wrk args...]
  local url=$1 cookie=$2; shift 2
  wrk -t2 -c"$CONN" -d"${SECS}s" -H "Cookie: dd_sess=$cookie" "$@" "$url" | awk '/Requests\/sec/{print $2}'
}
session(){ # login password -> session cookie value
  local jar csrf; jar=$(mktemp)
  curl -s -c "$jar" -b "$jar" "$URL/login" -o /dev/null
  csrf=$(awk '/dd_csrf/{print $7}' "$jar")
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "login=$1" --data-urlencode "password=$2" "$URL/login"
  awk '/dd_sess/{print $7}' "$jar"; rm -f "$jar"
}
PW='Bench#2026-pw'
HASH=$(echo "$PW" | ./diaodu ctl hash)
./diaodu sql -e "
  INSERT INTO app_user (login,name,org_unit_id,pw_hash,must_change,pw_changed_at,created_at,updated_at)
   SELECT l,'压测',o.id,'$HASH',0,UTC_TIMESTAMP(),UTC_TIMESTAMP(),UTC_TIMESTAMP()
   FROM (SELECT 'bench_adm' l UNION ALL SELECT 'bench_aud') x, org_unit o WHERE o.code='100090';
  INSERT INTO user_role (user_id,role_id,org_unit_id,scope) SELECT u.id,r.id,u.org_unit_id,'all'
   FROM app_user u JOIN role r ON (u.login='bench_adm' AND r.code='admin') OR (u.login='bench_aud' AND r.code='auditor');
  INSERT INTO base_item (kind_id, code, name, a1, created_at, updated_at)
   SELECT id, 'BENCH', '压测车', '京A00000', UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM base_kind WHERE code='vehicle';"
ITEM=$(./diaodu sql -N -e "SELECT i.id FROM base_item i JOIN base_kind k ON k.id=i.kind_id WHERE k.code='vehicle' AND i.code='BENCH'")
ADM=$(./diaodu sql -N -e "SELECT id FROM app_user WHERE login='bench_adm'")

# ---- 1. the write path (wrk's request() keeps the -H headers: nil headers)
make -s build/bench/bench_audit
read -r W0 W1 < <(DIAODU_CONF="$ROOT/conf/diaodu.conf:$VAR/local.conf" build/bench/bench_audit "$ITEM" 10 "$ADM" bench_adm)
SA=$(session bench_adm "$PW")
CSRF=$(./diaodu sql -N -e "SELECT s.csrf FROM session s JOIN app_user u ON u.id=s.user_id WHERE u.login='bench_adm' ORDER BY s.id DESC LIMIT 1")
LUA=$(mktemp --suffix=.lua)
cat > "$LUA" <<LUA
-- each request creates a base-data kind with a fresh code: a real change,
-- checked, written and recorded in one transaction
math.randomseed(os.time())
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"   -- with -H's Cookie
local n = 0
request = function()
  n = n + 1
  local body = "csrf=$CSRF&code=bk" .. tostring(math.random(1, 2000000000)) .. "x" .. tostring(n) ..
               "&name=%E5%8E%8B%E6%B5%8B&fields=size%3A%E5%B0%BA%E5%AF%B8"
  return wrk.format("POST", "/admin/base/kinds", nil, body)
end
LUA
B0=$(./diaodu sql -N -e "SELECT COUNT(*) FROM audit_log WHERE action='base.kind.create'")
WP=$(run "$URL/admin/base/kinds" "$SA" -s "$LUA")
B1=$(./diaodu sql -N -e "SELECT COUNT(*) FROM audit_log WHERE action='base.kind.create'")
rm -f "$LUA"

# ---- 1b. the entry submit path: a 20-row sheet submitted through the entry
# engine with and without its audit record, interleaved, same run (the bench
# form and units of tests/bench-entry.sh; the clerk "bench" of tests/bench.sh)
make -s build/bench/bench_submit
SUNIT=$(./diaodu sql -N -e "SELECT id FROM org_unit WHERE code='BENCH4'")
read -r E0 E1 EN ESKIP < <(DIAODU_CONF="$ROOT/conf/diaodu.conf:$VAR/local.conf" build/bench/bench_submit bench "$SUNIT" 8 60)

# ---- 2. the viewer over 10^6 records
BASEID=$(./diaodu sql -N -e "SELECT seq FROM audit_head")
echo "loading $N audit records ..." >&2
T0=$(date +%s.%N)
./diaodu sql -e "SET SESSION max_statement_time = 0;
  INSERT INTO audit_log (id, alg, at, user_id, login, role, unit_id, unit, ip, ua, req_id, action, object, result, detail, prev_hash, hash)
  SELECT $BASEID + seq, 2, UTC_TIMESTAMP(6) + INTERVAL seq MICROSECOND, 1000 + seq % 5000, CONCAT('user', seq % 5000),
    'clerk', 2 + seq % 40, CONCAT('1000', seq % 40), CONCAT('10.', seq % 7, '.', seq % 250, '.', seq % 200), 'Mozilla/5.0 bench',
    LPAD(HEX(seq), 16, '0'), ELT(1 + seq % 6, 'login.ok', 'login.fail', 'user.update', 'unit.update', 'base.item.update', 'logout'),
    CONCAT(ELT(1 + seq % 3, 'user:user', 'unit:1000', 'base:vehicle:CL'), seq % 5000), IF(seq % 6 = 1, 'fail', 'ok'),
    '{\"before\":{\"name\":\"a\"},\"after\":{\"name\":\"b\"}}', REPEAT('0', 64), REPEAT('0', 64)
  FROM seq_1_to_$N;
  UPDATE audit_head SET seq = $BASEID + $N, at = (SELECT MAX(at) FROM audit_log) WHERE id = 1;
  ANALYZE TABLE audit_log;" >/dev/null
# a log that grew over months has its secondary indexes merged; right after
# a bulk load InnoDB still holds the changes in its change buffer: merge
# them by reading each index once
for ix in ix_audit_at ix_audit_user ix_audit_action ix_audit_login ix_audit_unit ix_audit_object ix_audit_objtype ix_audit_result ix_audit_ip; do
  ./diaodu sql -N -e "SET SESSION max_statement_time = 0; SELECT COUNT(*) FROM audit_log FORCE INDEX ($ix)" >/dev/null
done
T1=$(date +%s.%N)
LOAD=$(awk -v a="$T0" -v b="$T1" 'BEGIN{printf "%.0f", b-a}')
SU=$(session bench_aud "$PW")
[ "$(curl -s -o /dev/null -w '%{http_code}' -b "dd_sess=$SU" "$URL/audit/")" = 200 ] || { echo "bench: the auditor's page failed"; exit 1; }
DEEP=$((BASEID + 2000))
V1=$(run "$URL/audit/" "$SU")
V2=$(run "$URL/audit/?before=$DEEP" "$SU")
V3=$(run "$URL/audit/?login=user42&before=$DEEP" "$SU")
V4=$(run "$URL/audit/?object=unit%3A100042" "$SU")

echo
echo "### The audit log: write overhead and the viewer with $N records"
echo
echo "| what | figure | ratio to hello FastCGI |"
echo "|---|---:|---:|"
echo "| a write (one base-data record in its own transaction), without its audit record | $W0 µs | — |"
echo "| the same write with its audit record (same run, interleaved) | $W1 µs | overhead $(awk -v a="$W0" -v b="$W1" 'BEGIN{printf "%+.0f %%", (b-a)/a*100}') |"
echo "| write path through HTTP: POST /admin/base/kinds, each a new kind + its record | $WP req/s | $(ratio "$WP") |"
echo "| submit a 20-row sheet (entry engine, one transaction), without its audit record | $E0 µs | — |"
echo "| the same submit with its audit record (same run, interleaved) | $E1 µs | overhead $(awk -v a="$E0" -v b="$E1" 'BEGIN{printf "%+.1f %%", (b-a)/a*100}') |"
echo "| viewer, first page (50 of $N, newest first) | $V1 req/s | $(ratio "$V1") |"
echo "| viewer, a deep page (keyset ?before= near the oldest) | $V2 req/s | $(ratio "$V2") |"
echo "| viewer, one account's records from deep down (?login=&before=) | $V3 req/s | $(ratio "$V3") |"
echo "| viewer, one object's history (?object=) | $V4 req/s | $(ratio "$V4") |"
echo
echo "$((B1 - B0)) write requests recorded; $EN sheets submitted ($ESKIP records left out by the bench's link-time wrapper); $N records loaded in ${LOAD} s"
