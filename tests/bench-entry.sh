#!/usr/bin/env bash
# bench-entry.sh -- part of `make bench` (run by tests/bench.sh on its fresh
# instance, with URL, VAR, SESS and SECS set): submitting a 20-row sheet end
# to end -- nginx, the entry worker, session, CSRF, the one-time token, the
# scope and window, every cell checked (two lookups, a select, times,
# decimals, two computed fields, two rules), the header and rows, the entry
# row, the audit record with every field, one transaction -- against the raw
# C-API insert of the same rows (the entry row, the header, the 20 rows in
# one statement) in one transaction, measured in the same run, one request
# (one transaction) at a time.  Prints a Markdown table.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
: "${URL:?}" "${VAR:?}" "${SESS:?}"
SECS=${SECS:-8}
B=build/bench
mkdir -p "$B"
cc -O2 -o "$B/raw_insert" tests/bench/raw_insert.c $(mariadb_config --cflags --libs)

# four bench teams under the root (the HTTP side) and one for the raw side
./diaodu sql -e "
  INSERT IGNORE INTO org_unit (parent_id, code, name, kind, sort, created_at, updated_at)
   SELECT r.id, x.code, x.name, 'team', 99, UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM org_unit r,
   (SELECT 'BENCH0' code, '压测班零' name UNION ALL SELECT 'BENCH1', '压测班一' UNION ALL SELECT 'BENCH2', '压测班二'
    UNION ALL SELECT 'BENCH3', '压测班三' UNION ALL SELECT 'BENCH4', '压测班四') x WHERE r.parent_id IS NULL;
  UPDATE org_unit u JOIN org_unit p ON p.id = u.parent_id SET u.path = CONCAT(p.path, u.id, '/') WHERE u.code LIKE 'BENCH_';"
DIR=$(mktemp -d)
sed 's/@UNITS@/BENCH1, BENCH2, BENCH3, BENCH4/' tests/bench/bench_sheet.hdf > "$DIR/bench_sheet.hdf"
./diaodu ctl forms apply "$DIR" >/dev/null
rm -rf "$DIR"
IDS=$(./diaodu sql -N -e "SELECT GROUP_CONCAT(id ORDER BY code SEPARATOR ' ') FROM org_unit WHERE code IN ('BENCH1','BENCH2','BENCH3','BENCH4')")
RAWUNIT=$(./diaodu sql -N -e "SELECT id FROM org_unit WHERE code='BENCH0'")
CSRF=$(curl -s -b "dd_sess=$SESS" "$URL/entry/" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
[ -n "$CSRF" ] || { echo "bench-entry: no CSRF token"; exit 1; }
PW=$(sed -n 's/^Db\.Password = //p' "$VAR/local.conf" | head -1)
SOCK=$(sed -n 's/^Db\.Socket = //p' "$VAR/local.conf" | tail -1)

count(){ ./diaodu sql -N -e "SELECT COUNT(*) FROM entry e JOIN form f ON f.id = e.form_id WHERE f.code = 'bench_sheet'"; }
submit(){ # connections threads offset -> requests/s
  local before out n rps bad made
  before=$(count)
  # shellcheck disable=SC2086
  out=$(wrk -t"$2" -c"$1" -d"${SECS}s" -H "Cookie: dd_sess=$SESS" -s tests/bench/bench-submit.lua "$URL" -- "$CSRF" bench_sheet "$3" $IDS)
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  n=$(awk '/requests in/{print $1}' <<<"$out")
  bad=$(awk '/Non-2xx/{print $5}' <<<"$out")
  [ -n "$bad" ] && echo "warning: $bad submissions were not answered with a redirect" >&2
  # (a request still in flight when wrk stops is not counted by wrk but made its sheet)
  made=$(( $(count) - before ))
  { [ "$made" -ge "$n" ] && [ "$made" -le $(( n + $1 )) ]; } || echo "warning: $n submissions made $made sheets" >&2
  echo "$rps"
}

echo "warming up the sheet ..." >&2
wrk -t1 -c1 -d2s -H "Cookie: dd_sess=$SESS" -s tests/bench/bench-submit.lua "$URL" -- "$CSRF" bench_sheet 0 $IDS >/dev/null
# (the raw warm-up far back: its loop may insert thousands of periods)
"$B/raw_insert" "$SOCK" diaodu "$PW" diaodu "$RAWUNIT" 2 50000 >/dev/null
# BENCH_ROUNDS (default 1): the two sides alternate in that many rounds of
# SECS/ROUNDS each, and the figures are the means, so a shared machine's
# load falls on both sides alike
# (at most 7: round r submits the periods r, r + 8, r + 16 ... days back)
ROUNDS=${BENCH_ROUNDS:-1}
[ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le 7 ] || ROUNDS=1
T=$(awk -v s="$SECS" -v r="$ROUNDS" 'BEGIN{printf "%d", (s / r < 1 ? 1 : s / r)}')
SS=""; RR=""
for r in $(seq 1 "$ROUNDS"); do
  SS="$SS $(SECS=$T submit 1 1 "$( [ "$ROUNDS" = 1 ] && echo 1000 || echo "$r")")"
  RR="$RR $("$B/raw_insert" "$SOCK" diaodu "$PW" diaodu "$RAWUNIT" "$T" $(( (r - 1) * 20000 )))"
done
mean(){ awk '{s=0; for(i=1;i<=NF;i++) s+=$i; printf "%.1f", s/NF}' <<<"$1"; }
S1=$(mean "$SS"); R1=$(mean "$RR")
[ "$ROUNDS" -gt 1 ] && echo "rounds: submit$SS; raw$RR" >&2
ms(){ awk -v r="$1" 'BEGIN{printf "%.2f", 1000/r}'; }
echo
echo "Submitting a 20-row sheet, one at a time (wrk -t1 -c1; the raw loop; $ROUNDS round(s) of ${T}s each side, alternating)"
echo
echo "| target | sheets/s | ms per sheet | ratio to the raw insert |"
echo "|---|---:|---:|---:|"
echo "| (e) a 20-row sheet submitted through nginx (checks, computed fields, audit, one transaction) | $S1 | $(ms "$S1") | $(awk -v a="$R1" -v b="$S1" 'BEGIN{printf "%.2f", a/b}') |"
echo "| (f) raw C-API insert of the same rows in one transaction (baseline) | $R1 | $(ms "$R1") | 1.00 |"
