#!/usr/bin/env bash
# run-all.sh -- every test, run by ./diaodu test (and so by .ci/run):
#   1. build (normal and ASan+UBSan), warning-free with -Werror
#   2. C unit tests (cmocka) under ASan+UBSan
#   3. lint (layering: includes, SQL, driver calls, HTML, raw template
#      output only where they belong) and its self-test
#   4. a fresh test instance (var/test, port 18080) of the ASan build:
#      HTTP integration tests through nginx and the workers against the
#      real MariaDB, then the browser test in headless chromium
#   5. C tests of domain functions against the instance's MariaDB
#   6. the workers' ASan/LSan logs must be empty after a clean stop
#   7. the run command's failures (tests/runcmd.sh) and the README's
#      deployment steps in a scratch prefix (tests/deploy.sh)
# The last line is "N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export DIAODU_INSTANCE=test DIAODU_PORT=${DIAODU_TEST_PORT:-18080} DIAODU_BUILD=build-asan
export DIAODU_TLS_PORT=${DIAODU_TEST_TLS_PORT:-18443}
# jobs run slowly (a pause before each progress report) with short leases,
# so that tests/http/jobs.test.mjs can watch one half-way and kill its runner
export DIAODU_EXTRA_CONF=$'Workers.MaxRequests = 100\nDb.StatementTimeout = 3\nPassword.MaxAgeDays = 90\nJobs.TestDelayMs = 600\nJobs.RefreshSeconds = 1\nJobs.LeaseSeconds = 4\nJobs.HousekeepSeconds = 1\nJobs.PollMs = 200'
export ASAN_OPTIONS="detect_leaks=1:log_path=$ROOT/var/test/log/asan"
export UBSAN_OPTIONS="print_stacktrace=1:log_path=$ROOT/var/test/log/ubsan"
PASS=0; FAIL=0
count(){ # parse "... N passed, N failed" from the last matching line of a file
  local line; line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
  local p f; p=$(sed -E 's/.*[^0-9]([0-9]+) passed.*/\1/' <<<" $line"); f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  PASS=$((PASS + ${p:-0})); FAIL=$((FAIL + ${f:-1}))
}
finish(){ echo; echo "$PASS passed, $FAIL failed"; [ "$FAIL" = 0 ]; exit $?; }
mkdir -p tests/out

echo "== build"
if make -s -j"$(nproc)" all >tests/out/build.log 2>&1 && make -s -j"$(nproc)" asan >>tests/out/build.log 2>&1; then
  PASS=$((PASS+1)); echo "ok   - build (-Wall -Wextra -Werror, ASan+UBSan)"
else
  cat tests/out/build.log; FAIL=$((FAIL+1)); echo "FAIL - build"; finish
fi

echo "== unit tests (ASan+UBSan)"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  make -s B=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
  SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" unit 2>&1 | tee tests/out/unit.log
count tests/out/unit.log

echo "== lint"
sh tests/lint.sh | tee tests/out/lint.log
count tests/out/lint.log
echo "== lint self-test (each kind of violation planted in a scratch copy)"
sh tests/lint-selftest.sh | tee tests/out/lint-selftest.log
count tests/out/lint-selftest.log

echo "== test instance on port $DIAODU_PORT"
./diaodu stop >/dev/null 2>&1 || true
rm -rf var/test
if ! ./diaodu start > tests/out/start.log 2>&1; then
  cat tests/out/start.log; FAIL=$((FAIL+1)); echo "FAIL - the test instance did not start"; finish
fi
PASS=$((PASS+1)); echo "ok   - the test instance starts"

(cd tests && npm ci --no-audit --no-fund --silent >/dev/null 2>&1 || npm install --no-audit --no-fund --silent >/dev/null)
echo "== HTTP and browser tests"
# one file at a time: some tests restart MariaDB or kill workers
for t in tests/http/*.test.mjs tests/browser/*.test.mjs; do
  tap=tests/out/$(basename "$t" .test.mjs).tap
  node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" "$t"
  p=$(sed -n 's/^# pass //p' "$tap"); f=$(sed -n 's/^# fail //p' "$tap")
  PASS=$((PASS + ${p:-0})); FAIL=$((FAIL + ${f:-1}))
done

echo "== domain functions against MariaDB (C, ASan+UBSan)"
DIAODU_CONF="$ROOT/conf/diaodu.conf:$ROOT/var/test/local.conf" ASAN_OPTIONS=detect_leaks=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  make -s B=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
  SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" dbtest 2>&1 | tee tests/out/dbtest.log
count tests/out/dbtest.log

./diaodu stop >/dev/null 2>&1
echo "== sanitizer logs of the workers"
if ls var/test/log/asan.* var/test/log/ubsan.* >/dev/null 2>&1; then
  FAIL=$((FAIL+1)); echo "FAIL - ASan/UBSan reports:"; head -60 var/test/log/asan.* var/test/log/ubsan.* 2>/dev/null
else
  PASS=$((PASS+1)); echo "ok   - no ASan, LeakSanitizer or UBSan report from any worker"
fi

echo "== the run command when things go wrong"
bash tests/runcmd.sh 2>&1 | tee tests/out/runcmd.log
count tests/out/runcmd.log

echo "== deployment as the README says (scratch prefix, own MariaDB, nginx)"
bash tests/deploy.sh 2>&1 | tee tests/out/deploy.log
count tests/out/deploy.log
finish
