# lint-cs.awk -- templates keep ClearSilver's html auto-escaping (tests/lint.sh).
#
#   awk -f tests/lint-cs.awk templates/*.cs
#
# Prints "file:line: what" for every raw-output form outside a reviewed
# place, nothing when clean.  Tags are read as ClearSilver's parser reads
# them: "<?cs" in any case followed by white space (a tag may span lines),
# the command in any case, then ':' or '!'.  Raw forms:
#   uvar:            a variable without escaping
#   lvar: evar:      a variable's value parsed and rendered as a template
#   linclude:        a file loaded and rendered at render time
#   name:            an HDF node's name, never escaped
#   escape: "none"   a block without escaping (ClearSilver reads any mode
#                    text starting with "none" as none)
#   include:         anything but a quoted .cs file name
#   Config.VarEscapeMode in a template
# Fine: var: (escaped by the mode; html_escape() etc. are escapers), alt:.
# Reviewed: a comment <?cs # reviewed: why ?> on the line of the tag, or
# inside an escape: "none" block whose opening line carries one.

function report(line, msg){ printf "%s:%d: %s\n", file, line, msg; bad++ }

function lines_before(s, p,   head){
  head = substr(s, 1, p - 1)
  return 1 + gsub(/\n/, "", head)
}

function process(   rest, low, off, p, q, body, cmd, ln, nt, t, arg, mode, sp, okblk, k){
  if( file=="" ) return
  split("", TL); split("", TB); split("", REV); nt = 0
  rest = buf; off = 0
  while( 1 ){
    low = tolower(rest)
    p = index(low, "<?cs")
    if( p==0 ) break
    if( substr(rest, p + 4, 1) !~ /^[ \t\r\n]$/ ){ rest = substr(rest, p + 4); off += p + 3; continue }
    q = index(substr(rest, p), "?>")
    if( q==0 ){ report(lines_before(buf, off + p), "a <?cs tag without ?>"); break }
    body = substr(rest, p + 5, q - 6)
    ln = lines_before(buf, off + p)
    sub(/^[ \t\r\n]+/, "", body)
    nt++; TL[nt] = ln; TB[nt] = body
    if( body ~ /^#/ && body ~ /reviewed:[ \t]*[^ \t]/ ) REV[ln] = 1
    rest = substr(rest, p + q + 1); off += p + q
  }
  sp = 0
  for( t=1; t<=nt; t++ ){
    body = TB[t]; ln = TL[t]; cmd = tolower(body)
    if( cmd ~ /^#/ ) continue
    okblk = REV[ln]
    for( k=1; k<=sp && !okblk; k++ ) if( STK[k] ) okblk = 1
    if( cmd ~ /^escape[ \t\r\n]*[:!]/ ){
      mode = cmd; sub(/^escape[ \t\r\n]*[:!][ \t\r\n]*/, "", mode); gsub(/["' \t\r\n]/, "", mode)
      STK[++sp] = 0
      if( mode ~ /^none/ ){
        if( !okblk ) report(ln, "escape: \"none\" outside a reviewed block: <?cs " body "?>")
        else STK[sp] = 1
      }
      continue
    }
    if( cmd ~ /^\/escape/ ){ if( sp>0 ) sp--; continue }
    if( okblk ) continue
    if( cmd ~ /^(uvar|lvar|evar|linclude|name)[:! \t\r\n]/ ){
      report(ln, "raw output (" substr(cmd, 1, index(cmd, ":") ? index(cmd, ":") - 1 : 5) ") outside a reviewed block: <?cs " body "?>")
      continue
    }
    if( cmd ~ /^include[:! \t\r\n]/ ){
      arg = body; sub(/^[A-Za-z]+[:!]?[ \t\r\n]*/, "", arg); sub(/[ \t\r\n]+$/, "", arg)
      if( arg !~ /^"[A-Za-z0-9_.\/-]+\.cs"$/ && arg !~ /^'[A-Za-z0-9_.\/-]+\.cs'$/ )
        report(ln, "include: of something other than a quoted .cs template: <?cs " body "?>")
      continue
    }
    if( cmd ~ /varescapemode/ ) report(ln, "Config.VarEscapeMode is set by view.c only: <?cs " body "?>")
  }
}

FNR==1 { process(); file = FILENAME; buf = "" }
{ buf = buf $0 "\n" }
END { process(); exit bad ? 1 : 0 }
