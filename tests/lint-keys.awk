# lint-keys.awk -- the full names of an HDF file's values (a.b.c), one a line,
# sorted by the caller's diff: both language files must name the same keys.
/^[[:space:]]*#/ || /^[[:space:]]*$/ { next }
/\{[[:space:]]*$/ { name = $1; sub(/[[:space:]]*\{.*/, "", name); path[++d] = name; next }
/^[[:space:]]*}[[:space:]]*$/ { d--; next }
/=/ || /<</ {
  key = $0; sub(/^[[:space:]]*/, "", key); sub(/[[:space:]]*(=|<<|:=).*/, "", key)
  full = ""; for (i = 1; i <= d; i++) full = full path[i] "."
  print full key
}
