#!/bin/sh
# lint.sh -- layering checks in the spirit of Fossil's codecheck1.c:
#  1. only cgi-bin/core/base/db.c calls the MariaDB client library;
#  2. SQL text lives only in the SQL layer (cgi-bin/core/sql/q_*.c, base/db.c) and
#     in the tools' fixed set-up statements -- never in an executable;
#  3. no executable builds HTML by hand, prints to stdout or calls exit();
#  4. templates never switch escaping off outside a reviewed block.
# Prints "lint: N passed, N failed".
cd "$(dirname "$0")/.." || exit 2
pass=0; fail=0
check(){ # name, command that must print nothing
  out=$(eval "$2")
  if [ -z "$out" ]; then pass=$((pass+1)); echo "ok   - lint: $1"
  else fail=$((fail+1)); echo "FAIL - lint: $1"; echo "$out" | sed 's/^/       /'; fi
}
check "MariaDB API only in db.c" \
  "grep -n 'mysql_[a-z_]*(' cgi-bin --include=*.c -r | grep -v '^cgi-bin/core/base/db.c:'"
check "SQL only in the SQL layer" \
  "grep -nE '\"[[:space:]]*(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|SET)[[:space:]]' -r cgi-bin --include=*.c | grep -vE '^cgi-bin/core/(sql/q_[a-z_]*|base/db)\\.c:'"
check "executables have no HTML, stdout or exit()" \
  "grep -nE '<(html|div|p|table|form|a) |(^|[^_a-z])printf\\(|[^_a-z]puts\\(|[^_a-z]exit\\(' cgi-bin/*/*.c | grep -vE '^cgi-bin/(core|tool|hello)/'"
check "templates keep auto-escaping on" \
  "grep -n 'escape: *\"none\"\\|uvar:' -r templates | grep -v 'reviewed:'"
check "no inline script or style attributes in templates" \
  "grep -nE '<script|[[:space:]]on[a-z]+=\"|[[:space:]]style=\"' -r templates static/*.html"
echo "lint: $pass passed, $fail failed"
[ "$fail" = 0 ]
