#!/usr/bin/env bash
# bench-track.sh -- part of `make bench`: submission tracking at size.
#   * 300 teams (15 departments of 20) submitting one day form, and October
#     2026 of their sheets: about 8,400 sheets in every state (approved, some
#     late; submitted; returned; drafts; a tenth missing), some reminders
#   * (h) 上报情况, the matrix of the month for a dispatcher over the whole
#     company (300+ units x 31 days: units in scope, the month's sheets and
#     reminders, 9,300+ cells rendered): wrk, as a ratio to the hello-world
#     FastCGI measured again in this run; and the page's size
#   * (h1) the same month for the head of one department (20 teams)
#   * (i) 催报, the due list of today and yesterday for the dispatcher
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

mkdir -p "$T/forms"
cat > "$T/forms/bench_track.hdf" <<'HDF'
Code = bench_track
Name = 压测上报日报
Version = 1
Period = day
UnitKinds = team
Window {
  Cutoff = 9h
}
Header {
  who {
    Type = text
    Label = 填报人
  }
}
HDF
./diaodu ctl forms apply "$T/forms" >/dev/null
PW='Bench#2026-pw'
HASH=$(echo "$PW" | ./diaodu ctl hash)
echo "making 300 teams and a month of their sheets ..." >&2
sq -e "
  SET SESSION max_statement_time = 0;
  UPDATE form SET created_at = '2020-01-01 00:00:00' WHERE code = 'bench_track';
  INSERT INTO org_unit (parent_id, code, name, kind, sort, created_at, updated_at)
    SELECT (SELECT id FROM org_unit WHERE parent_id IS NULL), CONCAT('BK', LPAD(seq, 2, '0')), CONCAT('上报压测部', seq),
           'dept', 100 + seq, UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM seq_0_to_14;
  UPDATE org_unit u JOIN org_unit p ON p.id = u.parent_id SET u.path = CONCAT(p.path, u.id, '/') WHERE u.code LIKE 'BK__';
  INSERT INTO org_unit (parent_id, code, name, kind, sort, created_at, updated_at)
    SELECT d.id, CONCAT(d.code, 'T', LPAD(s.seq, 2, '0')), CONCAT(d.name, '班', s.seq), 'team', s.seq,
           UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM org_unit d JOIN seq_0_to_19 s WHERE d.code LIKE 'BK__';
  UPDATE org_unit u JOIN org_unit p ON p.id = u.parent_id SET u.path = CONCAT(p.path, u.id, '/') WHERE u.code LIKE 'BK__T__';
  INSERT INTO app_user (login, name, org_unit_id, pw_hash, must_change, pw_changed_at, created_at, updated_at)
    SELECT x.login, x.name, o.id, '$HASH', 0, UTC_TIMESTAMP(), UTC_TIMESTAMP(), UTC_TIMESTAMP()
    FROM (SELECT 'bench_tdisp' login, '压测调度' name, '100010' code UNION ALL SELECT 'bench_thead', '压测负责人', 'BK03'
          UNION ALL SELECT 'bench_tclerk', '压测录入', 'BK03') x JOIN org_unit o ON o.code = x.code;
  INSERT INTO user_role (user_id, role_id, org_unit_id, scope)
    SELECT u.id, r.id, u.org_unit_id, IF(u.login = 'bench_tdisp', 'all', 'subtree') FROM app_user u JOIN role r
    ON r.code = CASE u.login WHEN 'bench_tdisp' THEN 'dispatcher' WHEN 'bench_thead' THEN 'head' ELSE 'clerk' END
    WHERE u.login IN ('bench_tdisp', 'bench_thead', 'bench_tclerk');
  SET @f = (SELECT id FROM form WHERE code = 'bench_track'), @c = (SELECT id FROM app_user WHERE login = 'bench_tclerk'),
      @d = (SELECT id FROM app_user WHERE login = 'bench_tdisp');
  -- team t, day d: h = (t * 7 + d * 13) % 100 decides its fate: < 10 missing, < 12 a draft, < 15 returned,
  -- < 20 submitted, else approved; late when h % 10 = 3; submitted the evening of the day (late: the next noon)
  INSERT INTO entry (form_id, org_unit_id, period_key, period_start, status, late, form_version, nrows, version,
                     created_by, created_at, updated_by, updated_at, submitted_by, submitted_at, decided_by, decided_at,
                     step, nsteps, counted)
    SELECT @f, t.id, DATE_FORMAT(DATE '2026-10-01' + INTERVAL s.seq DAY, '%Y-%m-%d'), DATE '2026-10-01' + INTERVAL s.seq DAY,
           CASE WHEN h < 12 THEN 'draft' WHEN h < 15 THEN 'returned' WHEN h < 20 THEN 'submitted' ELSE 'approved' END,
           h % 10 = 3 AND h >= 15, 1, 0, 1, @c, at, @c, at, IF(h < 12, NULL, @c), IF(h < 12, NULL, at),
           IF(h >= 20, @d, NULL), IF(h >= 20, at + INTERVAL 1 DAY, NULL), 0, 0, IF(h >= 20, 1, NULL)
    FROM (SELECT t.id, (t.id * 7 + s.seq * 13) % 100 AS h, s.seq,
                 TIMESTAMP(DATE '2026-10-01' + INTERVAL s.seq DAY, '12:00:00')
                 + INTERVAL IF((t.id * 7 + s.seq * 13) % 10 = 3, 16, 0) HOUR AS at
          FROM org_unit t JOIN seq_0_to_30 s WHERE t.code LIKE 'BK__T__') x
    JOIN org_unit t ON t.id = x.id JOIN seq_0_to_30 s ON s.seq = x.seq
    WHERE h >= 10;
  -- a reminder for one missing sheet in three
  INSERT INTO track_remind (form_id, org_unit_id, period_key, period_start, kind, seq, sent_by, sent_at, recipients)
    SELECT @f, t.id, DATE_FORMAT(DATE '2026-10-01' + INTERVAL s.seq DAY, '%Y-%m-%d'), DATE '2026-10-01' + INTERVAL s.seq DAY,
           'remind', 1, @d, TIMESTAMP(DATE '2026-10-02' + INTERVAL s.seq DAY, '02:00:00'), 1
    FROM org_unit t JOIN seq_0_to_30 s WHERE t.code LIKE 'BK__T__' AND (t.id * 7 + s.seq * 13) % 100 < 10
      AND (t.id + s.seq) % 3 = 0;
  ANALYZE TABLE entry, track_remind, org_unit;" >/dev/null
SHEETS=$(sq -e "SELECT COUNT(*) FROM entry e JOIN form f ON f.id = e.form_id WHERE f.code = 'bench_track'")
REM=$(sq -e "SELECT COUNT(*) FROM track_remind r JOIN form f ON f.id = r.form_id WHERE f.code = 'bench_track'")

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
DISP=$(session bench_tdisp)
HEAD=$(session bench_thead)
M="$URL/report/track?form=bench_track&from=2026-10-01&to=2026-10-31"
curl -s -b "dd_sess=$DISP" "$M" > "$T/page"
ROWS=$(grep -o '<tr id="u-' "$T/page" | wc -l)
CELLS=$(grep -o '<td class="t-' "$T/page" | wc -l)
BYTES=$(wc -c < "$T/page")
[ "$ROWS" -ge 300 ] || { echo "bench-track: the matrix shows $ROWS units, not 300 or more" >&2; exit 1; }
HROWS=$(curl -s -b "dd_sess=$HEAD" "$M" | grep -o '<tr id="u-' | wc -l)
[ "$HROWS" = 20 ] || { echo "bench-track: the head's matrix shows $HROWS units, not 20" >&2; exit 1; }
DUE=$(curl -s -b "dd_sess=$DISP" "$URL/report/track/due" | grep -o 'data-unit=' | wc -l)

rps(){ awk '/Requests\/sec/{print $2}' <<<"$1"; }
# CPU time per request (ms) of the report workers and of mariadbd during a wrk run, from /proc:
# on a shared machine requests/s follow the load, the CPU a request costs does not
ticks(){ awk '{print $14+$15+$16+$17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
workers(){ local s=0 p; for p in $(awk '!/^#/ {print $2}' "$VAR/run/report.workers"); do s=$((s + $(ticks "$p"))); done; echo $s; }
MDB=$(cat "$VAR/run/mysqld.pid"); HZ=$(getconf CLK_TCK)
measure(){ # cookie url -> sets OUT and CPU ("workers ms + mariadbd ms")
  local w1 m1 w2 m2 n
  w1=$(workers); m1=$(ticks "$MDB")
  OUT=$(wrk -t2 -c"$CONN" -d"${SECS}s" -H "Cookie: dd_sess=$1" "$2")
  w2=$(workers); m2=$(ticks "$MDB")
  n=$(awk '/requests in/{print $1}' <<<"$OUT")
  CPU=$(awk -v w=$((w2 - w1)) -v m=$((m2 - m1)) -v n="$n" -v hz="$HZ" 'BEGIN{printf "%.1f + %.1f", w*1000/hz/n, m*1000/hz/n}')
}
lat(){ awk '/Latency/{print $2}' <<<"$1"; }
bad(){ awk '/Non-2xx/{print $5}' <<<"$1"; }
echo "measuring ..." >&2
H=$(rps "$(wrk -t2 -c"$CONN" -d"${SECS}s" "$URL/hello")")
measure "$DISP" "$M"; MX=$(rps "$OUT"); MXL=$(lat "$OUT"); MXC=$CPU
[ -n "$(bad "$OUT")" ] && echo "warning: the matrix had $(bad "$OUT") non-2xx answers" >&2
measure "$HEAD" "$M"; MH=$(rps "$OUT"); MHL=$(lat "$OUT"); MHC=$CPU
measure "$DISP" "$URL/report/track/due"; DU=$(rps "$OUT"); DUL=$(lat "$OUT"); DUC=$CPU
# one request alone, no load: the time a dispatcher waits
ONE=$(curl -s -o /dev/null -w '%{time_total}' -b "dd_sess=$DISP" "$M")
ratio(){ awk -v a="$1" -v b="$H" 'BEGIN{printf "%.3f", a/b}'; }

echo
echo "Submission tracking at size: $SHEETS sheets of October 2026 for 300 teams (15 departments), $REM reminders;"
echo "the dispatcher's matrix: $ROWS units x 31 days = $CELLS cells, $BYTES bytes of HTML; the due list: $DUE rows"
echo
echo "| target | requests/s | latency (avg, $CONN connections) | ratio to hello FastCGI | CPU ms per request: workers + mariadbd |"
echo "|---|---:|---:|---:|---:|"
echo "| (b) hello-world FastCGI (baseline, again) | $H | | 1.000 | |"
echo "| (h) 上报情况, a month x $ROWS units (dispatcher, whole company) | $MX | $MXL | $(ratio "$MX") | $MXC |"
echo "| (h1) 上报情况, a month x 20 units (head of one department) | $MH | $MHL | $(ratio "$MH") | $MHC |"
echo "| (i) 催报, today's and yesterday's due list ($DUE rows) | $DU | $DUL | $(ratio "$DU") | $DUC |"
echo
echo "one request of (h) alone: ${ONE}s"
