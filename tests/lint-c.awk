# lint-c.awk -- the C checks of tests/lint.sh, one pass over the sources.
#
#   awk -v check=NAME -v headers="LIST" -f tests/lint-c.awk FILE...
#
# Prints one line per violation, "file:line: what", nothing when clean;
# check=all runs every check in one pass, each line prefixed "NAME<tab>".
# Comments are skipped and string literals read as C reads them, so a word
# in a comment is never SQL and a quote inside a string never ends it.
#
# check=includes  every #include "x.h" resolves (its own directory first,
#                 then the layer directories on the include path; LIST is
#                 every header under cgi-bin/) and points down the layers:
#                 base < fmt < sql < dom < web < executables.  base uses only
#                 base; fmt base+fmt; sql base+sql; dom base+fmt+sql+dom; web
#                 all of the core; an executable all of the core and its own
#                 directory, never another executable's files.
# check=sql       SQL text (any case) only in the SQL layer: sql/q_*.c and
#                 base/db.c, and macros in a header of sql/ that no file but
#                 sql/q_*.c includes (so SQL cannot reach another layer
#                 through a macro); never in any other header; inside
#                 sql/q_*.c a SQL literal is an argument of a db_*() call or
#                 part of a #define pasted into one.
# check=built     SQL is never built at run time, in any file: no printf or
#                 strcat family call with SQL in its format or arguments (a
#                 SQL macro counts), and the SQL argument of db_exec,
#                 db_query, db_one_int and db_exec_text is literals and
#                 macros only.  A place that must do it carries on one of
#                 its lines, or alone on the line above, the comment
#                 /* lint: sql-built reviewed: <why> */
# check=driver    the MariaDB client API (mysql_*(), mariadb_*(), its
#                 headers) only in base/db.c.

BEGIN {
  NLAY = split("base fmt sql dom web", L, " ")
  for( i=1; i<=NLAY; i++ ) LAYERS[L[i]] = i
  allow["base"] = " base "
  allow["fmt"]  = " base fmt "
  allow["sql"]  = " base sql "
  allow["dom"]  = " base fmt sql dom "
  allow["web"]  = " base fmt sql dom web "
  nh = split(headers, H, /[ \n]+/)
  for( i=1; i<=nh; i++ ) if( H[i]!="" ){ HDR[H[i]] = 1; header_macros(H[i]) }
  nb = split("printf fprintf sprintf snprintf vprintf vfprintf vsprintf vsnprintf asprintf" \
             " vasprintf dprintf vdprintf arena_printf arena_vprintf string_appendf" \
             " string_appendvf string_append string_appendn strcat strncat strcpy strncpy" \
             " stpcpy stpncpy strlcat strlcpy arena_strdup arena_strndup", B, " ")
  for( i=1; i<=nb; i++ ) BUILD[B[i]] = 1
  SQLARG["db_exec"] = 2; SQLARG["db_query"] = 3; SQLARG["db_one_int"] = 4; SQLARG["db_exec_text"] = 2
  ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
  ALNUM = ALPHA "0123456789"
}

function want(c){ return check=="all" || check==c }
# with check=all every line starts with the name of its check and a tab
# the SQL macros of a header (#define NAME ... "SQL ..."), known before any
# file is read, so a .c file pasting one into a printf is caught
function header_macros(f,   line, name, body, more){
  more = 0
  while( (getline line < f) > 0 ){
    if( !more && line ~ /^[ \t]*#[ \t]*define[ \t]/ ){
      name = line; sub(/^[ \t]*#[ \t]*define[ \t]+/, "", name); sub(/[^A-Za-z0-9_].*$/, "", name)
      body = ""; more = 1
    }
    if( more ){
      body = body " " line
      if( line !~ /\\[ \t]*$/ ){ more = 0; if( has_sql_literal(body) ) SQLMACRO_H[name] = 1 }
    }
  }
  close(f)
}
function has_sql_literal(s,   parts, n, i){
  n = split(s, parts, "\"")
  for( i=2; i<=n; i+=2 ) if( is_sql(parts[i]) ) return 1
  return 0
}

function report(c, line, msg){ report_at(c, FILENAME, line, msg) }
function report_at(c, file, line, msg){
  if( !want(c) ) return
  printf "%s%s:%d: %s\n", check=="all" ? c "\t" : "", file, line, msg; bad++
}

function layer_of(p,   a){
  if( p ~ /^cgi-bin\/core\// ){
    split(p, a, "/")
    return (a[3] in LAYERS) && p ~ /^cgi-bin\/core\/[a-z]+\/[^\/]+$/ ? a[3] : "?"
  }
  if( p ~ /^cgi-bin\/[^\/]+\/[^\/]+$/ ){ split(p, a, "/"); return "exe:" a[2] }
  return "?"
}

function normpath(p,   a, n, i, out, k, s){
  n = split(p, a, "/"); k = 0
  for( i=1; i<=n; i++ ){
    if( a[i]=="" || a[i]=="." ) continue
    if( a[i]==".." ){ if( k>0 ) k--; continue }
    out[++k] = a[i]
  }
  s = ""
  for( i=1; i<=k; i++ ) s = s (i>1 ? "/" : "") out[i]
  return s
}

# --- SQL recognition (on the text of one literal, or of a call's literals) ---
function is_sql(s,   t){
  # a statement keyword in upper case opening the text
  # (a keyword alone is a word: "DELETE" may be an HTTP method, "SELECT" a
  # privilege's name; "GRANT OPTION" is one)
  if( s ~ /^[ \t(]*(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|TRUNCATE|WITH|SET|REVOKE|RENAME|CALL|LOCK|UNLOCK|SHOW|DESCRIBE|EXPLAIN|HANDLER|LOAD|ANALYZE|OPTIMIZE|REPAIR|FLUSH|KILL|START|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PREPARE|EXECUTE|DEALLOCATE|USE|DO)[ \t\n;]/ ) return 1
  if( s ~ /^[ \t(]*GRANT[ \t]/ && s !~ /^[ \t(]*GRANT[ \t]+OPTION[ \t]*$/ ) return 1
  t = tolower(s)
  # in any case: a statement opening the text ...
  if( t ~ /^[ \t(]*(select|insert|update|delete|replace|truncate|create|drop|alter|revoke|describe|explain)[ \t]/ ) return 1
  if( t ~ /^[ \t(]*grant[ \t]/ && t !~ /^[ \t(]*grant[ \t]+option[ \t]*$/ ) return 1
  if( t ~ /^[ \t(]*with[ \t]+(recursive[ \t]+)?[a-z_`][a-z_0-9`]*[ \t]*(\([^)]*\)[ \t]*)?as[ \t]*(\(|$)/ ) return 1
  if( t ~ /^[ \t(]*(start[ \t]+transaction|begin[ \t]+work|(commit|rollback)([ \t]+work)?[ \t]*;?[ \t]*$|savepoint[ \t]|release[ \t]+savepoint|lock[ \t]+tables?[ \t]|unlock[ \t]+tables|load[ \t]+data[ \t]|call[ \t]+[a-z_]+[ \t]*\(|show[ \t]+(tables|databases|grants|variables|status|create|columns|index|processlist|warnings|errors))/ ) return 1
  if( t ~ /^[ \t(]*set[ \t]+(@|names[ \t]|session[ \t]|global[ \t]|autocommit|transaction[ \t]|password|[a-z_]+[ \t]*=)/ ) return 1
  # ... or a clause anywhere (a fragment of a statement split over literals)
  if( t ~ /(^|[^a-z_])select[ \t].*[ \t]from[ \t]/ ) return 1
  if( t ~ /(^|[^a-z_])insert[ \t]+(ignore[ \t]+)?into[ \t]/ ) return 1
  if( t ~ /(^|[^a-z_])delete[ \t]+from[ \t]/ ) return 1
  if( t ~ /(^|[^a-z_])update[ \t]+`?[a-z_][a-z_0-9]*`?[ \t]+set[ \t]/ ) return 1
  if( t ~ /(^|[^a-z_])truncate[ \t]+(table[ \t]+)?`?[a-z_]/ ) return 1
  if( t ~ /(^|[^a-z_])where[ \t]+[a-z_.`(?]+[ \t]*(=|<|>|!=|in[ \t(]|like[ \t]|is[ \t]|between[ \t])/ ) return 1
  if( t ~ /(^|[^a-z_])(utc_timestamp|timestampdiff|coalesce|group_concat|date_format|last_insert_id)[ \t]*\(/ ) return 1
  if( t ~ /(^|[^a-z_])count[ \t]*\([ \t]*\*[ \t]*\)/ ) return 1
  if( t ~ /(^|[^a-z_])interval[ \t]+(\?|[0-9]+)[ \t]+(second|minute|hour|day|week|month|year)/ ) return 1
  if( t ~ /([a-z_0-9]|\?)[ \t]+is[ \t]+(not[ \t]+)?null([^a-z_]|$)/ ) return 1
  if( t ~ /(^|[^a-z_])(order|group)[ \t]+by[ \t]+[a-z_`(]/ ) return 1
  if( t ~ /(^|[^a-z_])join[ \t]+`?[a-z_][a-z_0-9]*`?([ \t]+[a-z_]+)?[ \t]+on[ \t]/ ) return 1
  if( t ~ /(^|[^a-z_])from[ \t]+`?[a-z_][a-z_0-9.]*`?[ \t]+([a-z_]+[ \t]+)?(where|join|left|inner|order|group|limit|for[ \t]+update)([ \t]|$)/ ) return 1
  if( t ~ /(^|[^a-z_])values[ \t]*\([ \t]*(\?|%|'|[0-9])/ ) return 1
  if( t ~ /(^|[^a-z_])on[ \t]+duplicate[ \t]+key[ \t]/ ) return 1
  return 0
}

# --- per-file state ---
FNR==1 {
  incomment = 0; indefine = 0; cont = 0; mark_above = 0
  bdepth = 0; ddepth = 0; sdepth = 0; depth = 0; lasttok = ";"
  src = layer_of(FILENAME)
  isheader = FILENAME ~ /\.h$/
  isdb = FILENAME == "cgi-bin/core/base/db.c"
  issql = FILENAME ~ /^cgi-bin\/core\/sql\/q_[a-z_0-9]*\.c$/
  split("", SQLMACRO)
  dir = FILENAME; sub(/\/[^\/]*$/, "", dir)
}

{
  raw = $0
  # preprocessor lines: includes, and #define bodies (with continuations)
  startdef = 0
  if( !cont && raw ~ /^[ \t]*#[ \t]*include[ \t]*"/ ){
    check_include(raw)
    next
  }
  if( !cont && raw ~ /^[ \t]*#[ \t]*include[ \t]*</ ){
    if( want("driver") && !isdb && raw ~ /<(mysql|mariadb|my_global|errmsg|mysqld_error)[\/.]/ )
      report("driver", FNR, "the MariaDB client headers only in base/db.c: " clean(raw))
    next
  }
  if( !cont && raw ~ /^[ \t]*#[ \t]*define[ \t]/ ){
    defname = raw; sub(/^[ \t]*#[ \t]*define[ \t]+/, "", defname); sub(/[^A-Za-z0-9_].*$/, "", defname)
    indefine = 1; startdef = 1
  }else if( !cont ){
    indefine = 0
  }
  cont = raw ~ /\\[ \t]*$/
  # the mark on the line, or alone on the line above it
  reviewed_line = raw ~ /lint: sql-built reviewed: *[^ *]/ || mark_above
  mark_above = raw ~ /^[ \t]*\/\*[ \t]*lint: sql-built reviewed: *[^ *].*\*\/[ \t]*$/
  # fast path: a line with no literal, bracket or comment outside every
  # tracked call says nothing; keep only what its last token was
  if( !incomment && !indefine && bdepth==0 && sdepth==0 && raw !~ /["'()\/]/ ){
    t = raw; sub(/[ \t]+$/, "", t)
    if( t ~ /[A-Za-z0-9_]$/ ){ sub(/^.*[^A-Za-z0-9_]/, "", t); lasttok = "id:" t; lastid = t; lastid_end = 1 }
    else if( t!="" ){ lasttok = substr(t, length(t), 1); lastid_end = 0 }
    next
  }
  scan(raw)
}

function clean(s){ gsub(/^[ \t]+|[ \t]+$/, "", s); return s }

function check_include(line,   name, cand, i, k, found, dst, where, h){
  if( src=="?" ){ report("includes", FNR, "not in a layer directory of cgi-bin/core/ nor an executable's directory"); return }
  name = line; sub(/^[^"]*"/, "", name); sub(/".*$/, "", name)
  cand = normpath(dir "/" name)
  found = ""
  if( cand in HDR ) found = cand
  else {
    k = 0
    for( i=1; i<=NLAY; i++ ) if( ("cgi-bin/core/" L[i] "/" name) in HDR ){ k++; found = "cgi-bin/core/" L[i] "/" name }
    if( k>1 ){ report("includes", FNR, "#include \"" name "\" is ambiguous: a header of that name in " k " layers"); return }
    # not on the include path: say whose header it is (an executable's)
    if( k==0 ) for( h in HDR ) if( h ~ /^cgi-bin\/[^\/]+\/[^\/]+$/ && substr(h, length(h) - length(name))=="/" name ) found = h
  }
  if( found=="" ){ report("includes", FNR, "#include \"" name "\" resolves to no header of cgi-bin/"); return }
  INCL[found] = INCL[found] " " FILENAME ":" FNR
  dst = layer_of(found)
  if( dst==src ) return
  if( src ~ /^exe:/ ){
    if( dst in LAYERS ) return
    report("includes", FNR, "#include \"" name "\" (" found "): an executable uses the core, never another executable's files")
    return
  }
  if( (dst in LAYERS) && index(allow[src], " " dst " ") ) return
  where = dst ~ /^exe:/ ? "an executable" : dst
  report("includes", FNR, "#include \"" name "\" (" found "): " src " may include only" allow[src] "-- not " where)
}

# A literal was read: its text is lit, it started on this line.
function on_literal(lit){
  if( want("sql") && is_sql(lit) ){
    if( isheader && FILENAME ~ /^cgi-bin\/core\/sql\/q_[a-z_0-9]*\.h$/ ){
      # a header of the SQL layer may hold SQL macros for sql/q_*.c alone:
      # judged at the end, when every file's includes are known
      if( !(FILENAME in PEND) ) PEND[FILENAME] = FNR "\t" lit
    }else if( isheader )
      report("sql", FNR, "SQL in a header (SQL text lives only in sql/q_*.c): \"" lit "\"")
    else if( !issql && !isdb )
      report("sql", FNR, "SQL outside the SQL layer (sql/q_*.c, base/db.c): \"" lit "\"")
    else if( issql && !indefine && ddepth==0 && !reviewed_line && !(bdepth>0 && brev) )
      report("sql", FNR, "SQL not passed to a db_*() call (build no SQL in variables): \"" lit "\"")
  }
  if( indefine && is_sql(lit) ) SQLMACRO[defname] = 1
  # among a printf's arguments a keyword alone ("GRANT") is SQL too
  if( bdepth>0 ){ bbuf = bbuf lit; if( is_sql(lit) || lit ~ /^[ \t]*(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|TRUNCATE|GRANT|REVOKE|WITH|SET)[ \t]*$/ ) bsql = 1 }
  if( sdepth>0 && sdepth==depth && sargi==sqlarg ) sshape = sshape "L"
}

function on_ident(id){
  if( indefine && (id in SQLMACRO) ) SQLMACRO[defname] = 1
  if( bdepth>0 && ((id in SQLMACRO) || (id in SQLMACRO_H)) ) bmacro = bmacro " " id
  if( sdepth>0 && sdepth==depth && sargi==sqlarg ){
    if( id ~ /^[A-Z][A-Z0-9_]*$/ ) sshape = sshape "M"; else sshape = sshape "V(" id ")"
  }
}

# a name followed by "(" is a call unless it is declared or defined here:
# after a type name or "*" (NEOERR *db_exec(DB *db, ...)
function on_open(   decl){
  depth++
  decl = (idbefore ~ /^id:/ && idbefore!="id:return") || idbefore=="*"
  if( decl ) return
  if( bdepth==0 && (lastid in BUILD) && lastid_end ){
    bdepth = depth; bline = FNR; bname = lastid; bbuf = ""; bsql = 0; bmacro = ""; brev = reviewed_line
  }
  if( ddepth==0 && lastid ~ /^db_/ && lastid_end ) ddepth = depth
  if( sdepth==0 && (lastid in SQLARG) && lastid_end && !isdb ){
    sdepth = depth; sline = FNR; sname = lastid; sqlarg = SQLARG[lastid]; sargi = 1; sshape = ""; srev = reviewed_line
  }
}

function on_close(){
  if( bdepth>0 && depth==bdepth ){
    if( want("built") && !brev && (bsql || is_sql(bbuf) || bmacro!="") )
      report("built", bline, "SQL built with " bname "() -- pass a literal to db_*(), or mark a reviewed place: " \
             (bmacro!="" ? "uses" bmacro : "\"" bbuf "\""))
    bdepth = 0
  }
  if( sdepth>0 && depth==sdepth ){
    if( want("built") && !srev && (sshape=="" || sshape ~ /V\(/) )
      report("built", sline, "the SQL of " sname "() is not a string literal" (sshape ~ /V\(/ ? " (" sshape ")" : ""))
    sdepth = 0
  }
  if( ddepth>0 && depth==ddepth ) ddepth = 0
  if( depth>0 ) depth--
}

# Walk one line: comments, literals, identifiers and brackets.
function scan(line,   i, len, c, c2, lit, j, id, code){
  len = length(line); i = 1; code = ""
  if( bdepth>0 && reviewed_line ) brev = 1
  if( sdepth>0 && reviewed_line ) srev = 1
  while( i<=len ){
    c = substr(line, i, 1); c2 = substr(line, i, 2)
    if( incomment ){
      j = index(substr(line, i), "*/")
      if( j==0 ) return
      i += j + 1; incomment = 0; continue
    }
    if( c2=="/*" ){ incomment = 1; i += 2; continue }
    if( c2=="//" ) break
    if( c=="\"" ){
      lit = ""; i++
      while( i<=len ){
        c = substr(line, i, 1)
        if( c=="\\" ){ lit = lit substr(line, i, 2); i += 2; continue }
        if( c=="\"" ) break
        lit = lit c; i++
      }
      i++
      on_literal(lit); lastid_end = 0; lasttok = "lit"
      continue
    }
    if( c=="'" ){                               # a character constant
      i++
      while( i<=len ){ c = substr(line, i, 1); if( c=="\\" ){ i += 2; continue }; if( c=="'" ) break; i++ }
      i++; lastid_end = 0; lasttok = "chr"; continue
    }
    if( index(ALPHA, c) ){
      j = i
      while( i<=len && index(ALNUM, substr(line, i, 1)) ) i++
      id = substr(line, j, i - j)
      on_ident(id)
      if( want("driver") && !isdb && id ~ /^(mysql|mariadb)_[a-z_0-9]+$/ && substr(line, i) ~ /^[ \t]*\(/ )
        report("driver", FNR, "MariaDB client call outside base/db.c: " id "()")
      lastid = id; lastid_end = 1; idbefore = lasttok; lasttok = "id:" id
      continue
    }
    if( c=="(" ){ on_open(); lastid_end = 0; lasttok = c; i++; continue }
    if( c==")" ){ on_close(); lastid_end = 0; lasttok = c; i++; continue }
    if( c=="," && sdepth>0 && depth==sdepth ) sargi++
    if( c!=" " && c!="\t" ){ lastid_end = 0; lasttok = c }
    i++
  }
}

END {
  for( h in PEND ){
    n = split(INCL[h], who, " "); out = ""
    for( i=1; i<=n; i++ ) if( who[i]!="" && who[i] !~ /^cgi-bin\/core\/sql\/q_[a-z_0-9]*\.c:/ ) out = out " " who[i]
    if( out=="" ) continue
    for( i=1; i<=n; i++ ) if( who[i]!="" && who[i] !~ /^cgi-bin\/core\/sql\/q_[a-z_0-9]*\.c:/ ){
      split(who[i], at, ":")
      report_at("sql", at[1], at[2], "includes " h ", whose SQL macros are for sql/q_*.c only")
    }
    split(PEND[h], pl, "\t")
    report_at("sql", h, pl[1], "SQL in a header that files outside sql/q_*.c include (" substr(out, 2) \
              "): a header with SQL is for sql/q_*.c only: \"" pl[2] "\"")
  }
  exit bad ? 1 : 0
}
