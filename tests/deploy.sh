#!/usr/bin/env bash
# deploy.sh -- the README's deployment steps, followed literally in a scratch
# prefix ($P/opt/diaodu, $P/etc/diaodu, $P/run/diaodu) against a MariaDB of
# its own (own data directory and socket), with the optimised build:
#   1. install the files            2. ./diaodu deploy-user
#   3. the database owner account   4. site.conf and owner.conf
#   5. diaodu-ctl migrate and forms apply (as the owner), diaodu-ctl setup
#   6. ./diaodu deploy-config; the systemd unit (checked with systemd-analyze
#      and run as systemd would: its User, Group, SupplementaryGroups,
#      UMask, WorkingDirectory, RuntimeDirectory and ExecStart); the nginx
#      site file in an nginx that includes it the way Debian's nginx.conf
#      does (nginx -t first)
# then checks through that nginx: the login page, /admin/ (a redirect to
# the log-in, not 404), the socket and directory modes, security headers,
# the 502 page of a stopped executable, `systemctl reload` (SIGHUP) taking
# a changed setting and keeping the running one when the file is broken;
# and stops everything.  Needs root (users, nginx as www-data).
# Prints "deploy: N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PORT=${DIAODU_DEPLOY_PORT:-18180}
pass=0; fail=0
ok(){ pass=$((pass+1)); echo "ok   - deploy: $*"; }
no(){ fail=$((fail+1)); echo "FAIL - deploy: $*"; }
check(){ local what=$1; shift; if "$@"; then ok "$what"; else no "$what"; fi; }
finish(){ echo "deploy: $pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }

if [ "$(id -u)" != 0 ]; then no "needs root (a system user, nginx as www-data)"; finish; fi
[ -x build/bin/diaodu-login ] || make -s -j"$(nproc)" all >/dev/null

P=$(mktemp -d /tmp/diaodu-deploy.XXXXXX)
chmod 0755 "$P"
PREFIX=$P/opt/diaodu ETC=$P/etc/diaodu RUN=$P/run/diaodu DB=$P/mysql
LOG=$P/log
mkdir -p "$LOG" "$DB"
MASTERS=""
stop_all(){
  local pid
  [ -f "$P/nginx.pid" ] && kill -QUIT "$(cat "$P/nginx.pid")" 2>/dev/null
  for pid in $MASTERS; do kill -TERM "$pid" 2>/dev/null; done
  for pid in $MASTERS; do for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; done
  mariadb-admin --no-defaults --socket="$DB/mysqld.sock" -uroot shutdown 2>/dev/null
  for _ in $(seq 1 50); do [ -S "$DB/mysqld.sock" ] || break; sleep 0.1; done
  for _ in $(seq 1 30); do curl -s --max-time 1 "http://127.0.0.1:$PORT/" >/dev/null 2>&1 || break; sleep 0.1; done
}
cleanup(){
  stop_all
  rm -rf "$P"
}
trap cleanup EXIT

# ---- 1. build and install (README step 1)
install -d "$PREFIX/bin" "$ETC"
VARLIB=$P/var/lib/diaodu
cp build/bin/diaodu-* "$PREFIX/bin/"
cp -r templates static conf schema "$PREFIX/"
cp -r build/fonts "$PREFIX/"
check "files installed" test -x "$PREFIX/bin/diaodu-login" -a -x "$PREFIX/bin/diaodu-ctl" -a -d "$PREFIX/schema"

# ---- 2. the system user
# (the user stays: the step is idempotent, and parallel runs share it)
check "./diaodu deploy-user creates the user diaodu" ./diaodu deploy-user
check "user diaodu has no login shell" test "$(getent passwd diaodu | cut -d: -f7)" = /usr/sbin/nologin

# ---- 3. the database (a MariaDB of our own stands in for the system's)
mariadb-install-db --no-defaults --datadir="$DB/data" --auth-root-authentication-method=normal \
  --skip-test-db >"$LOG/mariadb-install.log" 2>&1
mariadbd --no-defaults --datadir="$DB/data" --socket="$DB/mysqld.sock" --skip-networking \
  --pid-file="$DB/mysqld.pid" --log-error="$LOG/mariadb.log" --user=root \
  --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --innodb-buffer-pool-size=64M \
  </dev/null >/dev/null 2>&1 &
for _ in $(seq 1 100); do
  mariadb --no-defaults --socket="$DB/mysqld.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.1
done
dba(){ mariadb --no-defaults --socket="$DB/mysqld.sock" -uroot "$@"; }
OWNER_PW=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
APP_PW=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
# the owner account, as README step 3 creates it
check "the owner account is created" dba -e "
  CREATE USER 'diaodu_owner'@'localhost' IDENTIFIED BY '$OWNER_PW';
  GRANT ALL PRIVILEGES ON diaodu.* TO 'diaodu_owner'@'localhost' WITH GRANT OPTION;
  GRANT CREATE USER ON *.* TO 'diaodu_owner'@'localhost';
  GRANT SELECT ON mysql.* TO 'diaodu_owner'@'localhost';"

# ---- 4. settings
sed -e "s#^Db.Socket = .*#Db.Socket = $DB/mysqld.sock#" -e "s#^Db.Password = .*#Db.Password = $APP_PW#" \
    -e "s#^Site.Url = .*#Site.Url = http://127.0.0.1:$PORT#" -e "s#/etc/diaodu/#$ETC/#; s#/var/lib/diaodu/#$VARLIB/#" \
    conf/systemd/site.conf.example > "$ETC/site.conf"
install -d -m 0750 -o diaodu -g diaodu "$VARLIB"
chown root:diaodu "$ETC/site.conf"; chmod 0640 "$ETC/site.conf"
sed -e "s#^Db.Owner.Password = .*#Db.Owner.Password = $OWNER_PW#" conf/systemd/owner.conf.example > "$ETC/owner.conf"
chmod 0600 "$ETC/owner.conf"

# ---- 5. migrate as the owner, then the first admin
(cd "$PREFIX" && bin/diaodu-ctl -c conf/diaodu.conf -c "$ETC/site.conf" -c "$ETC/owner.conf" migrate) \
  >"$LOG/migrate.log" 2>&1
NMIG=$(ls schema/[0-9][0-9][0-9]_*.sql | wc -l)
check "diaodu-ctl migrate as the owner account ($NMIG migrations)" grep -q "^migrate: $NMIG migrations applied" "$LOG/migrate.log" \
  || cat "$LOG/migrate.log"
check "the application account has DML only" \
  bash -c "dba(){ mariadb --no-defaults --socket='$DB/mysqld.sock' -uroot \"\$@\"; }
           g=\$(dba -N -e \"SHOW GRANTS FOR 'diaodu'@'localhost'\")
           echo \"\$g\" | grep -q 'GRANT SELECT, INSERT ON \`diaodu\`.\`audit_log\`' &&
           echo \"\$g\" | grep -q 'GRANT SELECT, INSERT, UPDATE, DELETE ON \`diaodu\`.\`app_user\`' &&
           ! echo \"\$g\" | grep -qE 'CREATE|ALTER|DROP|ALL PRIVILEGES'"
(cd "$PREFIX" && bin/diaodu-ctl -c conf/diaodu.conf -c "$ETC/site.conf" -c "$ETC/owner.conf" forms apply) \
  >"$LOG/forms.log" 2>&1
check "diaodu-ctl forms apply as the owner account" grep -qE '^applied vehicle_daily version [0-9]+: new' "$LOG/forms.log" \
  || cat "$LOG/forms.log"
check "... the application account gets DML on the forms' tables, nothing on the registry" \
  bash -c "g=\$(mariadb --no-defaults --socket='$DB/mysqld.sock' -uroot -N -e \"SHOW GRANTS FOR 'diaodu'@'localhost'\")
           echo \"\$g\" | grep -q 'GRANT SELECT, INSERT, UPDATE, DELETE ON \`diaodu\`.\`f_vehicle_daily_r\`' &&
           echo \"\$g\" | grep -q 'GRANT SELECT ON \`diaodu\`.\`form\` '"
ADMIN_PW=$(cd "$PREFIX" && bin/diaodu-ctl -c conf/diaodu.conf -c "$ETC/site.conf" setup 2>>"$LOG/setup.log")
check "diaodu-ctl setup prints the first admin's password" test -n "$ADMIN_PW"
check "the set-up made the audit key, 0600, for the user diaodu" test "$(stat -c '%a %U' "$ETC/audit.key")" = "600 diaodu"
check "the set-up wrote the chain head outside the database" grep -q ' setup$' "$VARLIB/audit-head.log"
(cd "$PREFIX" && bin/diaodu-ctl -c conf/diaodu.conf -c "$ETC/site.conf" -c "$ETC/owner.conf" migrate) \
  >"$LOG/migrate2.log" 2>&1
check "a second migrate changes nothing" grep -q '^migrate: 0 migrations applied, 0 grants, 0 revokes' "$LOG/migrate2.log"

# ---- 6. configuration files, the systemd unit, nginx
OUT=$P/generated
./diaodu deploy-config --prefix "$PREFIX" --run "$RUN" --etc "$ETC" --server-name localhost \
  --listen "127.0.0.1:$PORT" --out "$OUT" 2>"$LOG/deploy-config.log"
check "./diaodu deploy-config writes the nginx site, the Apache site and the unit" \
  test -s "$OUT/nginx-diaodu.conf" -a -s "$OUT/apache-diaodu.conf" -a -s "$OUT/diaodu@.service"
check "... and the archive's service and timer, with the paths" \
  bash -c "grep -q '^ExecStart=$PREFIX/bin/diaodu-ctl -c $PREFIX/conf/diaodu.conf -c $ETC/site.conf report-archive\$' '$OUT/diaodu-report-archive.service' &&
           grep -q '^OnCalendar=' '$OUT/diaodu-report-archive.timer'"
UNIT=$OUT/diaodu@.service
if command -v systemd-analyze >/dev/null; then
  cp "$UNIT" "$P/diaodu@login.service"
  check "systemd-analyze verify accepts the unit" \
    bash -c "systemd-analyze verify '$P/diaodu@login.service' 2>&1 | grep -v 'Failed to\|mariadb.service' | grep . && exit 1 || exit 0"
  cp "$OUT/diaodu-report-archive.service" "$OUT/diaodu-report-archive.timer" "$P/"
  check "systemd-analyze verify accepts the archive's timer and service" \
    bash -c "systemd-analyze verify '$P/diaodu-report-archive.timer' '$P/diaodu-report-archive.service' 2>&1 | grep -v 'Failed to\|mariadb.service\|is not executable' | grep . && exit 1 || exit 0"
fi
unit(){ sed -n "s/^$1=//p" "$UNIT" | head -1; }
# what systemd does for `systemctl start diaodu@NAME`; the run directory is
# outside /run here, so the unit says to make it: as RuntimeDirectory would
check "the unit asks for the run directory outside /run" grep -q "^# RuntimeDirectory=.*make it yourself" "$UNIT"
install -d -m 0755 -o "$(unit User)" -g "$(unit Group)" "$RUN"
# StateDirectory=diaodu, as systemd makes it (here under the scratch prefix)
check "the unit asks for its state directory (job files, the audit head), writable by the service" \
  bash -c "grep -q '^StateDirectory=diaodu$' '$UNIT' && grep -q '^StateDirectoryMode=0750$' '$UNIT'"
start_unit(){
  local cmd
  cmd=$(unit ExecStart); cmd=${cmd//%i/$1}
  ( cd "$(unit WorkingDirectory)" && umask "$(unit UMask)" &&
    exec setsid setpriv --reuid="$(unit User)" --regid="$(unit Group)" --groups="$(unit SupplementaryGroups)" \
      --no-new-privs $cmd ) </dev/null >>"$LOG/$1.log" 2>&1 &
  echo $! > "$P/$1.pid"
  MASTERS="$MASTERS $!"
  for _ in $(seq 1 50); do [ -S "$RUN/$1.sock" ] && break; sleep 0.1; done
  [ -S "$RUN/$1.sock" ]
}
check "diaodu@login starts as in the unit" start_unit login || tail "$LOG/login.log"
check "diaodu@admin starts as in the unit" start_unit admin || tail "$LOG/admin.log"
check "diaodu@entry starts as in the unit" start_unit entry || tail "$LOG/entry.log"
check "diaodu@approval starts as in the unit" start_unit approval || tail "$LOG/approval.log"
check "diaodu@audit starts as in the unit" start_unit audit || tail "$LOG/audit.log"
check "diaodu@report starts as in the unit" start_unit report || tail "$LOG/report.log"
# the job runner under the same unit: no socket; -s says where its status file goes
start_runner(){
  local cmd
  cmd=$(unit ExecStart); cmd=${cmd//%i/runner}
  ( cd "$(unit WorkingDirectory)" && umask "$(unit UMask)" &&
    exec setsid setpriv --reuid="$(unit User)" --regid="$(unit Group)" --groups="$(unit SupplementaryGroups)" \
      --no-new-privs $cmd ) </dev/null >>"$LOG/runner.log" 2>&1 &
  echo $! > "$P/runner.pid"
  MASTERS="$MASTERS $!"
  for _ in $(seq 1 100); do grep -qE '\s(ready|serving)\s' "$RUN/runner.workers" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
check "diaodu@runner (the job runner) starts as in the unit, its processes ready" start_runner || tail "$LOG/runner.log"
check "... its files' directory is 0700 diaodu" test "$(stat -c '%a %U' "$VARLIB/jobs")" = "700 diaodu"
# 报表归档 as the archive's service runs it: queued by diaodu-ctl, made by the runner
(cd "$PREFIX" && setpriv --reuid=diaodu --regid=diaodu --clear-groups \
   bin/diaodu-ctl -c conf/diaodu.conf -c "$ETC/site.conf" report-archive --date 2025-06-11) >"$LOG/archive.log" 2>&1
check "diaodu-ctl report-archive queues the leadership reports of a period" grep -qE '^archive: [1-9][0-9]* report' "$LOG/archive.log" \
  || cat "$LOG/archive.log"
archived(){ mariadb --no-defaults --socket="$DB/mysqld.sock" -uroot -N diaodu -e \
  "SELECT COUNT(*) FROM report_archive WHERE state='done'" 2>/dev/null; }
for _ in $(seq 1 300); do [ "$(archived)" -ge 2 ] 2>/dev/null && break; sleep 0.2; done
check "... the runner makes their PDFs: 0600 files of the user diaodu" \
  bash -c "[ \"\$(find '$VARLIB/jobs/archive' -name '*.pdf' -user diaodu -perm 0600 | wc -l)\" -ge 2 ]" \
  || tail "$LOG/runner.log"

# nginx as Debian runs it: the site file included inside http {}
mkdir -p "$P/nginx/sites-enabled"
cp "$OUT/nginx-diaodu.conf" "$P/nginx/sites-enabled/diaodu"
cat > "$P/nginx/nginx.conf" <<NGINX
user www-data;
worker_processes 1;
pid $P/nginx.pid;
error_log $LOG/nginx-error.log warn;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log $LOG/nginx-access.log;
  client_body_temp_path $P/nginx/body; proxy_temp_path $P/nginx/proxy; fastcgi_temp_path $P/nginx/fastcgi;
  uwsgi_temp_path $P/nginx/uwsgi; scgi_temp_path $P/nginx/scgi;
  include $P/nginx/sites-enabled/*;
}
NGINX
check "nginx -t accepts the generated site file" nginx -t -q -c "$P/nginx/nginx.conf" -e "$LOG/nginx-error.log"
check "nginx starts with it" nginx -c "$P/nginx/nginx.conf" -e "$LOG/nginx-error.log"

URL=http://127.0.0.1:$PORT
status(){ curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@"; }
body(){ curl -s --max-time 10 "$@"; }
check "the login page through nginx" bash -c "curl -s --max-time 10 '$URL/login' | grep -q 'name=\"password\"'"
check "/admin/ answers (302/303 to the log-in, not 404)" \
  bash -c "curl -s -o /dev/null -D - --max-time 10 '$URL/admin/' | grep -qi '^location: /login?next=/admin/'"
check "/entry/ answers (a redirect to the log-in)" \
  bash -c "curl -s -o /dev/null -D - --max-time 10 '$URL/entry/' | grep -qi '^location: /login?next=/entry/'"
check "/approval/ answers (a redirect to the log-in)" \
  bash -c "curl -s -o /dev/null -D - --max-time 10 '$URL/approval/' | grep -qi '^location: /login?next=/approval/'"
check "/audit/ answers (a redirect to the log-in, not 404)" \
  bash -c "curl -s -o /dev/null -D - --max-time 10 '$URL/audit/' | grep -qi '^location: /login?next=/audit/'"
check "/report/ answers (a redirect to the log-in)" \
  bash -c "curl -s -o /dev/null -D - --max-time 10 '$URL/report/' | grep -qi '^location: /login?next=/report/'"
check "static files" test "$(status "$URL/static/diaodu.css")" = 200
check "robots.txt carries the security headers" \
  bash -c "curl -s -D - -o /dev/null '$URL/robots.txt' | grep -qi '^x-frame-options: DENY'"

# the admin logs in through the deployed site
JAR=$P/cookies
csrf=$(curl -s -c "$JAR" -b "$JAR" "$URL/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" -b "$JAR" --data-urlencode "csrf=$csrf" \
  --data-urlencode "login=admin" --data-urlencode "password=$ADMIN_PW" "$URL/login")
check "the first admin logs in through nginx (303)" test "$code" = 303
check "the workers keyed the log-in's audit record: the chain verifies" \
  bash -c "cd '$PREFIX' && bin/diaodu-ctl -c conf/diaodu.conf -c '$ETC/site.conf' verify-audit | grep -q 'intact up to record'"

# ---- modes
mode(){ stat -c '%a %U %G' "$1"; }
check "login.sock is 0660 diaodu:www-data" test "$(mode "$RUN/login.sock")" = "660 diaodu www-data"
check "admin.sock is 0660 diaodu:www-data" test "$(mode "$RUN/admin.sock")" = "660 diaodu www-data"
check "the socket directory is not world-writable" test "$(( 0$(stat -c '%a' "$RUN") & 02 ))" = 0
check "the web server's user may connect to the socket" \
  setpriv --reuid=www-data --regid=www-data --clear-groups test -w "$RUN/login.sock"
check "another local user may not" \
  bash -c "! setpriv --reuid=nobody --regid=nogroup --clear-groups test -w '$RUN/login.sock'"
check "site.conf is not readable by the web server" \
  bash -c "! setpriv --reuid=www-data --regid=www-data --clear-groups cat '$ETC/site.conf' >/dev/null 2>&1"

# ---- systemctl reload: ExecReload sends SIGHUP to the master
RELOAD=$(unit ExecReload)
reload(){ local pid; pid=$(cat "$P/$1.pid"); ${RELOAD//\$MAINPID/$pid}; }
csp(){ curl -s -D - -o /dev/null --max-time 10 "$URL/login" | sed -n 's/^[Cc]ontent-[Ss]ecurity-[Pp]olicy: //p' | tr -d '\r'; }
before=$(csp)
echo "Http.ContentSecurityPolicy = default-src 'self'; frame-ancestors 'none'; form-action 'self'" >> "$ETC/site.conf"
reload login
for _ in $(seq 1 30); do [ "$(csp)" != "$before" ] && break; sleep 0.2; done
check "reload re-reads the configuration" test "$(csp)" = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
echo "Broken line without a value" >> "$ETC/site.conf"
reload login
sleep 1
check "a broken file on reload: logged, the running configuration kept" \
  bash -c "grep -q 'does not load' '$LOG/login.log' && [ \"\$(curl -s -o /dev/null -w '%{http_code}' '$URL/login')\" = 200 ]"
check "... and still the re-read setting" test "$(csp)" = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"

# ---- a stopped executable: nginx's 502 page, friendly and with headers
kill -TERM "$(cat "$P/admin.pid")"
for _ in $(seq 1 50); do [ -S "$RUN/admin.sock" ] || break; sleep 0.1; done
check "a stopped executable gives the 502 page with security headers" \
  bash -c "curl -s -D - --max-time 10 '$URL/admin/' > '$P/502.txt'; grep -q '^HTTP/1.1 502' '$P/502.txt' &&
           grep -qi '^content-security-policy:' '$P/502.txt' && grep -q '服务' '$P/502.txt'"

# ---- Apache (only where it is installed)
if command -v apache2 >/dev/null && [ -d /etc/apache2/mods-available ]; then
  mkdir -p "$P/apache"
  { for m in mpm_event authz_core alias headers mime proxy proxy_fcgi; do
      echo "Include /etc/apache2/mods-available/$m.load"; done
    echo "Listen $((PORT + 1))"; echo "ServerName localhost"; echo "PidFile $P/apache/pid"
    echo "ErrorLog $LOG/apache-error.log"; echo "User www-data"; echo "Group www-data"
    sed "s#<VirtualHost \*:80>#<VirtualHost *:$((PORT + 1))>#" "$OUT/apache-diaodu.conf"; } > "$P/apache/apache.conf"
  check "apache2 -t accepts the generated site" apache2 -t -f "$P/apache/apache.conf"
fi

stop_all
check "everything stopped (no socket left, the port closed)" \
  bash -c "[ ! -e '$RUN/login.sock' ] && [ ! -e '$DB/mysqld.sock' ] && ! curl -s --max-time 2 '$URL/' >/dev/null"
finish
