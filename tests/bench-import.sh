#!/usr/bin/env bash
# bench-import.sh -- part of `make bench`: import 300 units and 5,000
# accounts through the import engine (diaodu-ctl import: the same code the
# browser's upload runs), dry run and apply, against a baseline measured in
# the same run: the MariaDB client inserting the same 5,300 rows as plain
# multi-row INSERTs in one transaction (no checks, no audit, no codes).
# Expects DIAODU_INSTANCE to be a running instance (bench.sh starts it).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
python3 - "$T" <<'PY'
import sys, random
random.seed(1)
d = sys.argv[1]
with open(f"{d}/units.csv", "w", encoding="utf-8-sig") as f:
    f.write("单位编码,单位名称,上级单位编码,类型\r\n")
    for i in range(30):
        f.write(f"B{i:03d},压测部门{i},100,部门\r\n")
        for j in range(9):
            f.write(f"B{i:03d}{j:02d},压测部门{i}班组{j},B{i:03d},班组\r\n")
roles = ["录入员", "审核人", "录入员;审核人", "调度员", "领导"]
with open(f"{d}/users.csv", "w", encoding="utf-8-sig") as f:
    f.write("账户,姓名,单位编码,角色,电话\r\n")
    for k in range(5000):
        i, j = k % 30, (k // 30) % 9
        f.write(f"bench{k:05d},压测用户{k},B{i:03d}{j:02d},{roles[k % 5]},1380000{k:04d}\r\n")
with open(f"{d}/baseline.sql", "w") as f:
    f.write("START TRANSACTION;\n")
    f.write("INSERT INTO org_unit (parent_id, code, name, kind, created_at, updated_at) VALUES ")
    f.write(",".join(f"(1,'Z{i:03d}{j:02d}','基线单位{i}-{j}','team',UTC_TIMESTAMP(),UTC_TIMESTAMP())" for i in range(30) for j in range(10)) + ";\n")
    for c in range(0, 5000, 500):
        f.write("INSERT INTO app_user (login, name, org_unit_id, must_change, created_at, updated_at) VALUES ")
        f.write(",".join(f"('zbase{k:05d}','基线用户{k}',1,1,UTC_TIMESTAMP(),UTC_TIMESTAMP())" for k in range(c, c + 500)) + ";\n")
    f.write("ROLLBACK;\n")
PY
now(){ date +%s.%N; }
secs(){ awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b-a}'; }
t0=$(now); ./diaodu sql < "$T/baseline.sql"; t1=$(now); BASE=$(secs "$t0" "$t1")
t0=$(now); ./diaodu ctl import units "$T/units.csv" --dry-run >/dev/null; t1=$(now); UD=$(secs "$t0" "$t1")
t0=$(now); ./diaodu ctl import units "$T/units.csv" >/dev/null; t1=$(now); UA=$(secs "$t0" "$t1")
t0=$(now); ./diaodu ctl import users "$T/users.csv" --dry-run >/dev/null; t1=$(now); AD=$(secs "$t0" "$t1")
t0=$(now); ./diaodu ctl import users "$T/users.csv" >/dev/null; t1=$(now); AA=$(secs "$t0" "$t1")
t0=$(now); ./diaodu ctl import users "$T/users.csv" --dry-run >/dev/null; t1=$(now); AR=$(secs "$t0" "$t1")
ratio(){ awk -v a="$1" -v b="$BASE" 'BEGIN{printf "%.1f", a/b}'; }
echo
echo "Import of 300 units and 5,000 accounts (seconds, and as a multiple of the baseline)"
echo
echo "| step | seconds | × baseline |"
echo "|---|---:|---:|"
echo "| baseline: mariadb client, 5,300 plain INSERT rows in one transaction | $BASE | 1.0 |"
echo "| 300 units, dry run | $UD | $(ratio "$UD") |"
echo "| 300 units, apply (one transaction + audit) | $UA | $(ratio "$UA") |"
echo "| 5,000 accounts, dry run | $AD | $(ratio "$AD") |"
echo "| 5,000 accounts, apply (grants, activation codes, one transaction + audit) | $AA | $(ratio "$AA") |"
echo "| 5,000 accounts again, dry run (all matched, unchanged) | $AR | $(ratio "$AR") |"
