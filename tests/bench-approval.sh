#!/usr/bin/env bash
# bench-approval.sh -- part of `make bench`: the approval flow at size.
#   * 100,000 sheets of one form with a two-step chain (head of the unit or
#     above, then the dispatch centre) for 200 teams over 500 days, most of
#     them approved; of the ones waiting, a few hundred wait for the account
#     measured (the head of one department of 20 teams), thousands for others
#   * (f) 待我审批, the inbox's first page for that head: wrk, as a ratio to
#     the hello-world FastCGI measured again in this run
#   * (g) the approve action (POST /approval/act, step 1 -> step 2: the row
#     locked, the version checked, the move, the history, the audit record),
#     each request a different sheet, by a head with 10,000 sheets waiting
#   * MariaDB's EXPLAIN of the inbox query (diaodu-ctl flow explain)
# Expects DIAODU_INSTANCE to be a running instance with the demo company
# (bench.sh starts it) and diaodu-hello on $VAR/run/hello.sock.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
VAR=$ROOT/var/${DIAODU_INSTANCE:-bench}
URL=http://127.0.0.1:${DIAODU_PORT:-18090}
SECS=${BENCH_SECONDS:-8}
CONN=${BENCH_CONNECTIONS:-32}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
sq(){ ./diaodu sql -N -B "$@"; }

# ---- the form and the units
mkdir -p "$T/forms"
cat > "$T/forms/bench_flow.hdf" <<'HDF'
Code = bench_flow
Name = 压测日报
Version = 1
Period = day
UnitKinds = team
Header {
  who {
    Type = text
    Label = 填报人
  }
}
Rows {
  item {
    Type = text
    Label = 项目
  }
}
Approval {
  Steps {
    head {
      Role = head
      Scope = up
    }
    centre {
      Role = dispatcher
      At = 100010
    }
  }
}
HDF
./diaodu ctl forms apply "$T/forms" >/dev/null
PW='Bench#2026-pw'
HASH=$(echo "$PW" | ./diaodu ctl hash)
echo "making 100,000 sheets ..." >&2
sq -e "
  SET SESSION max_statement_time = 0;
  INSERT INTO org_unit (parent_id, code, name, kind, sort, created_at, updated_at)
    SELECT (SELECT id FROM org_unit WHERE parent_id IS NULL), CONCAT('BD', LPAD(seq, 2, '0')), CONCAT('压测部门', seq),
           'dept', seq, UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM seq_0_to_9;
  UPDATE org_unit u JOIN org_unit p ON p.id = u.parent_id SET u.path = CONCAT(p.path, u.id, '/') WHERE u.code LIKE 'BD__';
  INSERT INTO org_unit (parent_id, code, name, kind, sort, created_at, updated_at)
    SELECT d.id, CONCAT(d.code, 'T', LPAD(s.seq, 2, '0')), CONCAT(d.name, '班组', s.seq), 'team', s.seq,
           UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM org_unit d JOIN seq_0_to_19 s WHERE d.code LIKE 'BD__';
  UPDATE org_unit u JOIN org_unit p ON p.id = u.parent_id SET u.path = CONCAT(p.path, u.id, '/') WHERE u.code LIKE 'BD__T__';
  INSERT INTO app_user (login, name, org_unit_id, pw_hash, must_change, pw_changed_at, created_at, updated_at)
    SELECT x.login, x.name, o.id, '$HASH', 0, UTC_TIMESTAMP(), UTC_TIMESTAMP(), UTC_TIMESTAMP()
    FROM (SELECT 'bench_head' login, '压测审核甲' name, 'BD00' code UNION ALL SELECT 'bench_appr', '压测审核乙', 'BD01'
          UNION ALL SELECT 'bench_clerk', '压测录入', 'BD00T00') x JOIN org_unit o ON o.code = x.code;
  INSERT INTO user_role (user_id, role_id, org_unit_id, scope)
    SELECT u.id, r.id, u.org_unit_id, IF(u.login = 'bench_clerk', 'unit', 'subtree') FROM app_user u JOIN role r
    ON r.code = IF(u.login = 'bench_clerk', 'clerk', 'head') WHERE u.login IN ('bench_head', 'bench_appr', 'bench_clerk');
  CREATE TEMPORARY TABLE bt (n INT PRIMARY KEY, unit_id INT, dept INT);
  INSERT INTO bt SELECT (d.sort * 20 + t.sort), t.id, d.sort FROM org_unit t JOIN org_unit d ON d.id = t.parent_id
    WHERE t.code LIKE 'BD__T__';
  SET @f = (SELECT id FROM form WHERE code = 'bench_flow'), @c = (SELECT id FROM app_user WHERE login = 'bench_clerk'),
      @d = (SELECT id FROM app_user WHERE login = 'ddzx_disp'), @now = UTC_TIMESTAMP();
  -- sheet i: team i % 200, day i DIV 200; waiting when (day + team) % 25 = 0 (at step 1 two times in
  -- three, else step 2), and every sheet of department BD01 waits at step 1 (the approve run's)
  INSERT INTO entry (form_id, org_unit_id, period_key, period_start, status, form_version, nrows, version,
                     created_by, created_at, updated_by, updated_at, submitted_by, submitted_at, decided_by, decided_at,
                     step, nsteps, state_at, due_at, counted)
    SELECT @f, bt.unit_id, DATE_FORMAT(DATE '2024-01-01' + INTERVAL (s.seq DIV 200) DAY, '%Y-%m-%d'),
           DATE '2024-01-01' + INTERVAL (s.seq DIV 200) DAY,
           IF(w, 'submitted', 'approved'), 1, 1, 1, @c, @now, @c, @now, @c, @now - INTERVAL (100000 - s.seq) MINUTE,
           IF(w, NULL, @d), IF(w, NULL, @now), IF(w, IF(bt.dept = 1 OR (s.seq DIV 25) % 3 <> 0, 1, 2), 0), 2,
           @now - INTERVAL (100000 - s.seq) MINUTE, IF(w, @now - INTERVAL (100000 - s.seq) MINUTE + INTERVAL 1 DAY, NULL),
           IF(w, NULL, 1)
    FROM (SELECT seq, (seq DIV 200 + seq % 200) % 25 = 0 OR (seq % 200) DIV 20 = 1 AS w FROM seq_0_to_99999) s
    JOIN bt ON bt.n = s.seq % 200;
  INSERT INTO entry_step (entry_id, step, role_id, at_kind, at_unit_id, label, overdue_min)
    SELECT e.id, k.seq, IF(k.seq = 1, (SELECT id FROM role WHERE code = 'head'), (SELECT id FROM role WHERE code = 'dispatcher')),
           IF(k.seq = 1, 'up', 'at'), IF(k.seq = 1, NULL, (SELECT id FROM org_unit WHERE code = '100010')), '', 1440
    FROM entry e JOIN seq_1_to_2 k WHERE e.form_id = @f;
  INSERT INTO flow_wait (entry_id, step, role_id, kind, at_unit_id, org_unit_id, submitted_by, form_id, period_start,
                         state_at, due_at)
    SELECT e.id, s.step, s.role_id, s.at_kind, s.at_unit_id, e.org_unit_id, e.submitted_by, e.form_id, e.period_start,
           e.state_at, e.due_at
    FROM entry e JOIN entry_step s ON s.entry_id = e.id AND s.step = e.step WHERE e.form_id = @f AND e.status = 'submitted';
  ANALYZE TABLE entry, entry_step, flow_wait;" >/dev/null
TOTAL=$(sq -e "SELECT COUNT(*) FROM entry")
WAIT=$(sq -e "SELECT COUNT(*) FROM entry WHERE status = 'submitted'")
MINE=$(sq -e "SELECT COUNT(*) FROM entry e JOIN org_unit o ON o.id = e.org_unit_id JOIN org_unit d ON d.id = o.parent_id
              WHERE e.status = 'submitted' AND e.step = 1 AND d.code = 'BD00'")

# ---- sessions
session(){ # login -> cookie value
  local jar csrf
  jar=$(mktemp)
  curl -s -c "$jar" -b "$jar" "$URL/login" -o /dev/null
  csrf=$(awk '/dd_csrf/{print $7}' "$jar")
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "login=$1" \
    --data-urlencode "password=$PW" "$URL/login"
  awk '/dd_sess/{print $7}' "$jar"
  rm -f "$jar"
}
HEAD=$(session bench_head)
APPR=$(session bench_appr)
SHOWN=$(curl -s -b "dd_sess=$HEAD" "$URL/approval/" | grep -c '<tr id="e-' || true)
COUNT=$(curl -s -b "dd_sess=$HEAD" "$URL/approval/" | sed -n 's/.*共 <b>\([0-9]*\)<\/b>.*/\1/p' | head -1)
[ "$SHOWN" = 50 ] || { echo "bench-approval: the inbox shows $SHOWN rows, not 50" >&2; exit 1; }
CSRF=$(curl -s -b "dd_sess=$APPR" "$URL/approval/" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
sq -e "SELECT e.id FROM entry e JOIN org_unit o ON o.id = e.org_unit_id JOIN org_unit d ON d.id = o.parent_id
       WHERE e.status = 'submitted' AND e.step = 1 AND d.code = 'BD01' ORDER BY e.id" > "$T/ids"
cat > "$T/approve.lua" <<LUA
-- each request approves another sheet: thread k takes ids k, k+n, k+2n ...
local ids = {}
for line in io.lines("$T/ids") do ids[#ids + 1] = line end
local count = 0
function setup(thread) count = count + 1; thread:set("tid", count) end
function init(args) i = tid - 2; step = 2 end
function request()
  i = i + step
  local id = ids[(i - 1) % #ids + 1]
  return wrk.format("POST", "/approval/act", { ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "dd_sess=$APPR" }, "csrf=$CSRF&version=1&op=approve&note=&id=" .. id)
end
LUA

rps(){ awk '/Requests\/sec/{print $2}' <<<"$1"; }
bad(){ awk '/Non-2xx/{print $5}' <<<"$1"; }
echo "measuring ..." >&2
H=$(rps "$(wrk -t2 -c"$CONN" -d"${SECS}s" "$URL/hello")")
OUT=$(wrk -t2 -c"$CONN" -d"${SECS}s" -H "Cookie: dd_sess=$HEAD" "$URL/approval/"); I=$(rps "$OUT")
[ -n "$(bad "$OUT")" ] && echo "warning: the inbox had $(bad "$OUT") non-2xx answers" >&2
OUT=$(wrk -t2 -c"$CONN" -d"${SECS}s" -H "Cookie: dd_sess=$HEAD" "$URL/approval/?form=$(sq -e "SELECT id FROM form WHERE code='bench_flow'")&from=2024-06-01&to=2024-12-31"); IF=$(rps "$OUT")
B1=$(sq -e "SELECT COUNT(*) FROM entry_action WHERE action = 'approve'")
OUT=$(wrk -t2 -c"$CONN" -d"${SECS}s" -s "$T/approve.lua" "$URL/approval/act"); A=$(rps "$OUT"); ABAD=$(bad "$OUT")
B2=$(sq -e "SELECT COUNT(*) FROM entry_action WHERE action = 'approve'")
R=$(sq -e "SELECT COUNT(*) FROM audit_log WHERE action = 'flow.approve' AND result = 'refused'")
ratio(){ awk -v a="$1" -v b="$H" 'BEGIN{printf "%.2f", a/b}'; }

echo
echo "Approval at size: $TOTAL sheets, $WAIT waiting in all, $MINE waiting for the head measured (the inbox says $COUNT)"
echo
echo "| target | requests/s | ratio to hello FastCGI |"
echo "|---|---:|---:|"
echo "| (b) hello-world FastCGI (baseline, again) | $H | 1.00 |"
echo "| (f) 待我审批, first page of 50 | $I | $(ratio "$I") |"
echo "| (f) 待我审批, filtered by form and half a year | $IF | $(ratio "$IF") |"
echo "| (g) approve (POST, one transaction + history + audit) | $A | $(ratio "$A") |"
echo
echo "approvals recorded during (g): $((B2 - B1)); refused (a sheet taken twice: ids ran out): ${ABAD:-0} answers, $R audit records"
echo
echo "EXPLAIN of the inbox query for bench_head:"
echo
./diaodu ctl flow explain bench_head | awk -F'\t' 'NR==1{print "| " $1 " | " $2 " | " $3 " | " $4 " | " $5 " | " $6 " | " $7 " |"; print "|---|---|---|---|---|---:|---|"; next} {print "| " $1 " | " $2 " | " $3 " | " $4 " | " $5 " | " $6 " | " $7 " |"}'
