#!/bin/sh
# lint-selftest.sh -- the lint must catch what it claims to catch.
#
# Copies what tests/lint.sh reads (cgi-bin, templates, static, conf and the
# lint itself) to a scratch directory, checks that the lint passes on the
# clean copy, then plants one violation at a time and checks that the lint
# fails *and names the planted line* (file:line), then restores the file.
# A few plants are allowed forms (a reviewed place, an escaping function, a
# comment): the lint must not name their line.
# Prints "lint-selftest: N passed, N failed".
root=$(cd "$(dirname "$0")/.." && pwd) || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lint-selftest.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
t="$tmp/tree"
mkdir -p "$t/tests"
cp -R "$root/cgi-bin" "$root/templates" "$root/static" "$root/conf" "$t/"
cp "$root/tests/lint.sh" "$root/tests/lint-c.awk" "$root/tests/lint-cs.awk" "$t/tests/"

pass=0; fail=0
ok(){ pass=$((pass+1)); echo "ok   - lint-selftest: $1"; }
no(){ fail=$((fail+1)); echo "FAIL - lint-selftest: $1"; [ -f "$tmp/out" ] && sed 's/^/       /' "$tmp/out"; }

if sh "$t/tests/lint.sh" >"$tmp/out" 2>&1; then ok "the clean tree passes"; else no "the clean tree passes"; fi

# put TEXT (may be several lines) into FILE before line N (0: at the end);
# sets LINE to the line number of its first line
put(){ # file, n, text
  cp "$t/$1" "$tmp/saved"
  if [ "$2" = 0 ]; then LINE=$(($(wc -l <"$t/$1") + 1)); else LINE=$2; fi
  PLANT="$3" awk -v n="$LINE" 'NR==n{print ENVIRON["PLANT"]} {print} END{if(NR<n) print ENVIRON["PLANT"]}' \
    "$tmp/saved" >"$t/$1"
}
restore(){ cp "$tmp/saved" "$t/$1"; }

# must fail: the lint exits non-zero and names file:line
bad(){ # description, file, n, text
  put "$2" "$3" "$4"
  if sh "$t/tests/lint.sh" >"$tmp/out" 2>&1; then no "$1: the lint passed"
  elif grep -q "$2:$LINE:" "$tmp/out"; then ok "$1 ($2:$LINE)"
  else no "$1: the lint failed but did not name $2:$LINE"; fi
  restore "$2"
}
# must pass: the lint names none of the planted lines
good(){ # description, file, n, text
  put "$2" "$3" "$4"
  sh "$t/tests/lint.sh" >"$tmp/out" 2>&1
  k=$(printf '%s\n' "$4" | wc -l); hit=""
  while [ "$k" -gt 0 ]; do
    k=$((k-1)); grep -q "$2:$((LINE+k)):" "$tmp/out" && hit="$2:$((LINE+k))"
  done
  if [ -n "$hit" ]; then no "$1: flagged $hit"; else ok "$1"; fi
  restore "$2"
}

# --- SQL outside its layer, in any case ---
bad "lower-case select in an executable" cgi-bin/login/login.c 0 \
  'static const char *const planted = "select login from app_user where id = ?";'
bad "lower-case select without FROM in an executable" cgi-bin/admin/admin.c 0 \
  'static const char *const planted = "  select 1";'
bad "WITH ... in dom/" cgi-bin/core/dom/org.c 0 \
  'static const char *const planted = "WITH RECURSIVE sub AS (";'
bad "lower-case with ... as ( in dom/" cgi-bin/core/dom/import.c 0 \
  'static const char *const planted = "with sub (id) as (select id from org_unit)";'
bad "TRUNCATE in web/" cgi-bin/core/web/sess.c 0 \
  'static const char *const planted = "TRUNCATE login_lock";'
bad "lower-case truncate table in an executable" cgi-bin/tool/ctl.c 0 \
  'static const char *const planted = "truncate table audit_log";'
bad "a WHERE fragment continuing a literal in web/" cgi-bin/core/web/app.c 0 \
  'static const char *const planted = " where a.login = ? and a.active = 1";'
bad "SQL in a header of the SQL layer that dom/ and web/ include" cgi-bin/core/sql/q_user.h 0 \
  '#define Q_PLANTED "SELECT id FROM app_user WHERE login = ?"'
bad "dom/ including a header of SQL macros meant for sql/q_*.c" cgi-bin/core/dom/org.c 5 '#include "q_scope.h"'
bad "SQL in a header of dom/" cgi-bin/core/dom/org.h 0 \
  'static const char *const planted = "delete from org_unit";'
bad "SQL in sql/q_*.c kept in a variable, not passed to db_*()" cgi-bin/core/sql/q_org.c 0 \
  'static const char *const planted = "SELECT id FROM org_unit";'
good "SQL words in a comment are not SQL" cgi-bin/login/login.c 0 \
  '/* select login from app_user where id = ? */'

# --- SQL built at run time, anywhere ---
bad "arena_printf-built SQL in sql/" cgi-bin/core/sql/q_org.c 0 \
  'static char *planted(ARENA *a, const char *t){ return arena_printf(a, "SELECT id FROM %s", t); }'
bad "arena_printf-built SQL in dom/, format on the next line" cgi-bin/core/dom/org.c 0 \
  'static char *planted(ARENA *a, const char *w){ return arena_printf(a,
    "%s where id = ?", w); }'
bad "snprintf-built SQL in base/db.c" cgi-bin/core/base/db.c 0 \
  'static void planted(char *b, size_t n, const char *t){ snprintf(b, n, "DELETE FROM %s", t); }'
bad "a SQL macro pasted by arena_printf" cgi-bin/core/sql/q_org.c 0 \
  'static char *planted(ARENA *a){ return arena_printf(a, "%s", UNIT_COLS); }'
bad "a header's SQL macro pasted by arena_printf" cgi-bin/core/sql/q_org.c 0 \
  'static char *planted(ARENA *a){ return arena_printf(a, "%s", Q_SCOPE("o")); }'
bad "strcat of SQL" cgi-bin/core/sql/q_user.c 0 \
  'static void planted(char *b){ strcat(b, " ORDER BY login"); }'
bad "db_exec with SQL from a variable" cgi-bin/core/sql/q_org.c 0 \
  'static NEOERR *planted(DB *db, const char *q){ return db_exec(db, q, ""); }'
bad "a GRANT built from keywords passed to a printf" cgi-bin/core/sql/q_user.c 0 \
  'static char *planted(ARENA *a, int g){ return arena_printf(a, "%s ALL ON %s", g ? "GRANT" : "REVOKE", "t"); }'
bad "db_exec_text with SQL from a variable, in dom/" cgi-bin/core/dom/org.c 0 \
  'static NEOERR *planted(DB *db, const char *q){ return db_exec_text(db, q); }'
good "a reviewed mark alone on the line above" cgi-bin/core/dom/org.c 0 \
  '/* lint: sql-built reviewed: self-test */
static NEOERR *planted(DB *db, const char *q){ return db_exec_text(db, q); }'
good "a keyword alone is a word (an HTTP method, a privilege)" cgi-bin/core/web/req.c 0 \
  'static const char *const planted[] = { "DELETE", "SELECT", "GRANT OPTION" };'
good "a reviewed place may build SQL" cgi-bin/core/sql/q_org.c 0 \
  'static char *planted(ARENA *a, const char *t){ return arena_printf(a, "SELECT id FROM %s", t); } /* lint: sql-built reviewed: self-test */'

# --- the driver ---
bad "a mysql_ call outside db.c" cgi-bin/core/web/req.c 0 \
  'static void planted(void){ mysql_close(0); }'
bad "the MariaDB header outside db.c" cgi-bin/core/dom/import.c 0 \
  '#include <mysql.h>'

# --- includes against the layers ---
bad "a dom -> web include" cgi-bin/core/dom/pw.c 5 '#include "view.h"'
bad "a fmt -> sql include" cgi-bin/core/fmt/csv.c 5 '#include "q_org.h"'
bad "a base -> fmt include" cgi-bin/core/base/str.c 5 '#include "csv.h"'
bad "a sql -> dom include" cgi-bin/core/sql/q_org.c 5 '#include "org.h"'
bad "a dom -> executable include" cgi-bin/core/dom/org.c 5 '#include "../../login/planted.h"'
bad "an executable -> another executable include" cgi-bin/admin/admin.c 5 '#include "../login/planted.h"'
bad "an include that resolves to nothing" cgi-bin/core/web/view.c 5 '#include "nosuch.h"'
mkdir -p "$t/cgi-bin/login" && : >"$t/cgi-bin/login/planted.h"
bad "a dom -> executable include (header present)" cgi-bin/core/dom/org.c 5 '#include "../../login/planted.h"'
bad "an executable -> another executable include (header present)" cgi-bin/admin/admin.c 5 '#include "../login/planted.h"'
good "an executable includes its own header" cgi-bin/login/login.c 5 '#include "planted.h"'
rm -f "$t/cgi-bin/login/planted.h"
good "web includes dom, sql, fmt and base" cgi-bin/core/web/app.c 5 '#include "org.h"
#include "q_org.h"
#include "csv.h"
#include "str.h"'

# --- templates ---
bad "uvar: in a template" templates/portal.cs 0 '<?cs uvar:Page.Title ?>'
bad "UVAR in capitals, tag over two lines" templates/portal.cs 0 '<?CS
  UVAR:Page.Title ?>'
bad "escape: \"none\" outside a reviewed block" templates/portal.cs 0 '<?cs escape: "none" ?><?cs var:Page.Title ?><?cs /escape ?>'
bad "lvar: in a template" templates/login.cs 0 '<?cs lvar:Page.Title ?>'
bad "evar: in a template" templates/login.cs 0 '<?cs evar:Page.Title ?>'
bad "linclude: in a template" templates/login.cs 0 '<?cs linclude:"macros.cs" ?>'
bad "name: in a template" templates/login.cs 0 '<?cs name:Page.Title ?>'
bad "include: of a non-template file" templates/layout.cs 0 '<?cs include:"../conf/diaodu.conf" ?>'
bad "include: of a variable" templates/layout.cs 0 '<?cs include:Query.page ?>'
good "var:html_escape() and alt: are fine" templates/portal.cs 0 '<?cs var:html_escape(Page.Title) ?><?cs alt:Page.Title ?>-<?cs /alt ?>'
good "include: of a .cs template is fine" templates/portal.cs 0 '<?cs include:"macros.cs" ?>'
good "a reviewed uvar: is fine" templates/portal.cs 0 '<?cs uvar:Page.Title ?><?cs # reviewed: self-test ?>'
good "raw output inside a reviewed escape block is fine" templates/portal.cs 0 '<?cs escape: "none" ?><?cs # reviewed: self-test ?>
<?cs uvar:Page.Title ?><?cs lvar:Page.Title ?>
<?cs /escape ?>'
bad "raw output after the reviewed block ends" templates/portal.cs 0 '<?cs /escape ?><?cs uvar:Page.Title ?>'

echo "lint-selftest: $pass passed, $fail failed"
[ "$fail" = 0 ]
