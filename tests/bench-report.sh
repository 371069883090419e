#!/usr/bin/env bash
# bench-report.sh -- part of `make bench`: the report engine at size.
#   * the data generator (diaodu-ctl gen-data): a company of 300 teams with a
#     year (2025) of approved sheets of the demo forms, about 440,000 sheets
#     and 1.3 million rows, written with INSERT ... SELECT; its time
#   * each built-in report for a month (June 2025) and two for the year:
#     the engine (diaodu-ctl report bench: definition -> SQL -> result table
#     with its measures, totals and order, in DEC) against the same SQL
#     statements run alone with their rows read and dropped, alternating, in
#     the same process on the same connection; the ratio engine / raw
#   * the PDF of a 1,000-row report (车辆运行月报 of a month: 1,000
#     vehicles): its time and size with the font embedded
# Expects DIAODU_INSTANCE to be a running instance (bench.sh starts it).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
RUNS=${BENCH_REPORT_RUNS:-7}
echo "generating a year of a 300-team company ..." >&2
GEN=$(./diaodu ctl gen-data --units 300 --days 365 --from 2025-01-01)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
row(){ # label code args...
  local label=$1 code=$2; shift 2
  ./diaodu ctl report bench "$code" "$RUNS" "$@" | awk -F'\t' -v l="$label" \
    '{sub(/^rows /,"",$2); sub(/^engine /,"",$3); sub(/ us$/,"",$3); sub(/^raw /,"",$4); sub(/ us$/,"",$4); sub(/^ratio /,"",$5);
      printf "| %s | %s | %.1f | %.1f | %s |\n", l, $2, $3/1000, $4/1000, $5}'
}
echo
echo "Reports over the generated data: $GEN"
echo "(mean of $((RUNS - 1)) runs after a first one; milliseconds)"
echo
echo "| report | rows | engine ms | raw SQL ms | engine / raw |"
echo "|---|---:|---:|---:|---:|"
M="--period month --date 2025-06-15"
row "调度日报汇总, a month by unit" dispatch_daily $M
row "调度日报汇总, a day by unit" dispatch_daily --period day --date 2025-06-15
row "车辆运行月报, a month by vehicle" vehicle_month $M
row "维修工单统计, a month by category and unit" repair_stats $M
row "餐饮供应月报, a month by canteen and meal" canteen_month $M
row "能耗月报, a month by unit and meter, with the previous month" energy_month $M
row "车辆运行月报, the whole year" vehicle_month --period range --from 2025-01-01 --to 2025-12-31
row "维修工单统计, the whole year" repair_stats --period range --from 2025-01-01 --to 2025-12-31
row "调度日报汇总, a month, one team (unit filter)" dispatch_daily $M --unit GD00T00
echo
./diaodu ctl report bench vehicle_month "$RUNS" $M --format pdf --out "$T/r.pdf" | tail -1 | awk -F'\t' \
  '{sub(/^pdf rows /,"",$2); printf "PDF of a %s-row report (车辆运行月报, a month): %s per document, %s (A4, the font embedded)\n", $2, $3, $4}'
echo "pages: $(pdfinfo "$T/r.pdf" 2>/dev/null | awk '/^Pages/{print $2}'), qpdf --check: $(qpdf --check "$T/r.pdf" >/dev/null 2>&1 && echo passed || echo FAILED)"
