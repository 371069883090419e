#!/bin/sh
# lint.sh -- layering checks in the spirit of Fossil's codecheck1.c:
#  1. #include "x.h" points down the layers of cgi-bin/core/ (base < fmt <
#     sql < dom < web < executables; fmt and sql use only base, dom never
#     web, an executable never another executable's files);
#  2. only cgi-bin/core/base/db.c calls the MariaDB client library;
#  3. SQL text (any case, WITH, TRUNCATE ...) lives only in the SQL layer
#     (cgi-bin/core/sql/q_*.c, base/db.c), never in a header, and inside
#     q_*.c only as literals passed to db_*();
#  4. SQL is never built with a printf or strcat, anywhere, except in a
#     place marked  /* lint: sql-built reviewed: <why> */;
#  5. no executable builds HTML by hand, prints to stdout or calls exit();
#  6. templates use no raw-output form (uvar, lvar, evar, linclude, name,
#     escape "none", include of a non-template) outside a reviewed place;
#  7. no inline script or style in templates.
# The C checks are tests/lint-c.awk, the template check tests/lint-cs.awk;
# tests/lint-selftest.sh plants each kind of violation and expects a failure.
# Prints "lint: N passed, N failed".
cd "$(dirname "$0")/.." || exit 2
pass=0; fail=0
check(){ # name, command that must print nothing
  out=$(eval "$2")
  if [ -z "$out" ]; then pass=$((pass+1)); echo "ok   - lint: $1"
  else fail=$((fail+1)); echo "FAIL - lint: $1"; echo "$out" | sed 's/^/       /'; fi
}
# the C checks in one pass; each line of C_OUT starts with its check's name
# (mawk, Debian's required awk, when there: twice as fast as gawk here)
AWK=$(command -v mawk || echo awk)
C_OUT=$($AWK -v check=all -v headers="$(find cgi-bin -name '*.h' | sort)" -f tests/lint-c.awk \
        $(find cgi-bin -name '*.[ch]' | sort))
TAB=$(printf '\t')
c_check(){ printf '%s\n' "$C_OUT" | sed -n "s/^$1$TAB//p"; }
check "includes point down the layers (base < fmt, sql < dom < web < executables)" "c_check includes"
check "MariaDB API only in db.c" "c_check driver"
check "SQL only in the SQL layer (sql/q_*.c, base/db.c; no headers; literals passed to db_*)" "c_check sql"
check "SQL never built with printf/strcat, SQL arguments of db_* are literals" "c_check built"
check "executables have no HTML, stdout or exit()" \
  "grep -nE '<(html|div|p|table|form|a) |(^|[^_a-z])printf\\(|[^_a-z]puts\\(|[^_a-z]exit\\(' cgi-bin/*/*.c | grep -vE '^cgi-bin/(core|tool|hello)/'"
check "templates keep auto-escaping on (no raw output outside a reviewed place)" \
  "$AWK -f tests/lint-cs.awk templates/*.cs; grep -rniE 'VarEscapeMode' cgi-bin templates conf | grep -viE 'VarEscapeMode\"?, *\"html\"|VarEscapeMode *= *html'"
check "no inline script or style attributes in templates" \
  "grep -nE '<script|[[:space:]]on[a-z]+=\"|[[:space:]]style=\"' -r templates static/*.html"
check "language files: every block closed where it opens, the same keys in both languages" \
  "for f in templates/lang/*.hdf; do \$AWK '/^[[:space:]]*#/{next} /\\{[[:space:]]*\$/{d++} /^[[:space:]]*}[[:space:]]*\$/{d--; if(d<0){print FILENAME\": \"NR\": a } without its block\"; d=0}} END{if(d) print FILENAME\": \"d\" block(s) not closed\"}' \"\$f\"; \$AWK -f tests/lint-keys.awk \"\$f\" | sort > \"\${TMPDIR:-/tmp}/lint-keys.\$\$.\${f##*/}\"; done; \
   K=\"\${TMPDIR:-/tmp}/lint-keys.\$\$\"; comm -3 \"\$K.zh_CN.hdf\" \"\$K.en.hdf\" | sed 's/^/only in one language: /' | head -20; rm -f \"\$K\".*"
echo "lint: $pass passed, $fail failed"
[ "$fail" = 0 ]
