#!/bin/sh
# run-unit.sh -- run the cmocka unit-test binaries given as arguments.
#
# Usage: sh tests/run-unit.sh build/tests/test_a build/tests/test_b ...
# Each binary runs from the repository root (tests read conf/ and
# templates/ by relative path).  Its output is shown as is; the totals are
# taken from cmocka's "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s),"
# lines.  A binary that crashes, or exits non-zero without a FAILED line,
# counts as one failed test.  The last line is always
#   unit: N passed, N failed
# and the exit status is non-zero when anything failed.

root=$(cd "$(dirname "$0")/.." && pwd) || exit 2

# resolve the arguments before changing directory
bins=""
for b in "$@"; do
  case "$b" in
    /*) abs="$b" ;;
    *)  abs="$(pwd)/$b" ;;
  esac
  bins="$bins
$abs"
done

cd "$root" || exit 2
out=$(mktemp "${TMPDIR:-/tmp}/run-unit.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT INT TERM

passed=0
failed=0
# one binary per line (paths with spaces work, newlines do not)
old_ifs=$IFS
IFS='
'
for bin in $bins; do
  IFS=$old_ifs
  [ -n "$bin" ] || continue
  echo "== $(basename "$bin")"
  if [ ! -x "$bin" ]; then
    echo "run-unit: $bin: not found or not executable"
    failed=$((failed + 1))
    continue
  fi
  # plain cmocka output on stdout, whatever the caller's environment says
  CMOCKA_MESSAGE_OUTPUT=STDOUT "$bin" >"$out" 2>&1
  rc=$?
  cat "$out"
  p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\..*/\1/p' "$out" | tail -n 1)
  f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s),.*/\1/p' "$out" | tail -n 1)
  passed=$((passed + ${p:-0}))
  if [ -n "$f" ]; then
    failed=$((failed + f))
  elif [ "$rc" -ne 0 ]; then
    echo "run-unit: $(basename "$bin") exited with status $rc (crash or sanitizer report)"
    failed=$((failed + 1))
  elif [ -z "$p" ]; then
    echo "run-unit: $(basename "$bin") ran no tests"
    failed=$((failed + 1))
  fi
done
IFS=$old_ifs

echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
