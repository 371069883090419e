# tests/fuzz/fuzz.mk -- libFuzzer harnesses (tests/fuzz/README.md).
# Run from the repository root:  make fuzz [FUZZ_SECONDS=60]
# which is  make -f tests/fuzz/fuzz.mk run FUZZ_SECONDS=...
#
#   all    build every tests/fuzz/fuzz_*.c into build-fuzz/
#   run    build, then run each harness for FUZZ_SECONDS on a copy of its
#          corpus (build-fuzz/corpus-<name>); fails if any of them fails
#   seeds  regenerate the generated seeds of tests/fuzz/corpus/ (gen_seeds.c)

FUZZ_SECONDS ?= 60
FUZZ_FLAGS   ?=
FB       = build-fuzz
FCC     ?= clang
FOPT     = -g -O1 -fno-omit-frame-pointer -std=gnu11 -Wall -Wno-unused-parameter -Wno-unused-function
FINC     = $(patsubst %,-Icgi-bin/core/%,base fmt sql dom web) -I/usr/include/ClearSilver -I/usr/include/mariadb
FSAN     = address,undefined
FNOREC   = -fno-sanitize-recover=undefined
FLIBS    = -lneo_cgi -lneo_cs -lneo_utl -lz -lfcgi -lmariadb -lsodium -lhpdf -lxlsxwriter \
           -lminizip -lexpat -lm
# the whole core, arena.c included: built with ASan it poisons red zones
# between allocations, so an overflow of an arena allocation is reported
FCORE_SRC = $(wildcard cgi-bin/core/*/*.c)
FCORE_OBJ = $(FCORE_SRC:%.c=$(FB)/%.o)
HARNESSES = $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS = $(HARNESSES:%=$(FB)/%)
FHDR      = $(wildcard tests/fuzz/*.h) $(wildcard cgi-bin/core/*/*.h)

.PHONY: all run seeds
all: $(FUZZ_BINS)

$(FB)/cgi-bin/core/%.o: cgi-bin/core/%.c $(FHDR)
	@mkdir -p $(dir $@)
	$(FCC) $(FOPT) $(FINC) -fsanitize=fuzzer-no-link,$(FSAN) $(FNOREC) -c $< -o $@

$(FB)/libcore.a: $(FCORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FB)/fuzz_%: tests/fuzz/fuzz_%.c $(FB)/libcore.a $(FHDR)
	$(FCC) $(FOPT) $(FINC) -DFUZZ_TEMPLATES='"$(CURDIR)/templates"' \
	  -fsanitize=fuzzer,$(FSAN) $(FNOREC) -o $@ $< $(FB)/libcore.a $(FLIBS)

# Each harness in turn (one core).  The repo's corpus is merged into
# build-fuzz/corpus-<name>, which keeps what earlier runs found; crashes
# and leaks go to build-fuzz/artifacts/<name>/, the log to build-fuzz/<harness>.log.
run: all
	@export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1 \
	        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1; \
	failed=""; \
	for h in $(HARNESSES); do \
	  n=$${h#fuzz_}; c=$(FB)/corpus-$$n; a=$(FB)/artifacts/$$n; \
	  mkdir -p $$c $$a; cp -R tests/fuzz/corpus/$$n/. $$c/; \
	  d=""; [ -f tests/fuzz/dict/$$n.dict ] && d="-dict=tests/fuzz/dict/$$n.dict"; \
	  echo "== $$h: $(FUZZ_SECONDS) s, corpus $$c"; \
	  if $(FB)/$$h -max_total_time=$(FUZZ_SECONDS) -timeout=30 -print_final_stats=1 \
	       -artifact_prefix=$$a/ $$d $(FUZZ_FLAGS) $$c >$(FB)/$$h.log 2>&1; then \
	    grep -E '^#[0-9]+.*(DONE|pulse)' $(FB)/$$h.log | tail -1; \
	    grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' $(FB)/$$h.log; \
	  else \
	    echo "!! $$h FAILED (log: $(FB)/$$h.log, artifacts: $$a/)"; \
	    grep -E -A30 '^(==[0-9]+== ?ERROR|\*\*\*|.*runtime error)' $(FB)/$$h.log | head -60; \
	    grep -E '^(SUMMARY|artifact_prefix|Test unit written)' $(FB)/$$h.log; \
	    failed="$$failed $$h"; \
	  fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzzing failed:$$failed"; exit 1; fi; \
	echo "fuzzing: no crash, leak or invariant failure"

# the generated seeds (XLSX made by xlsx_write, stored copies, multipart
# bodies, xlsx_xml member sets); commit the result
$(FB)/gen_seeds: tests/fuzz/gen_seeds.c $(FB)/libcore.a tests/fuzz/zipmem.h
	$(FCC) $(FOPT) $(FINC) -fsanitize=fuzzer-no-link,$(FSAN) -o $@ $< $(FB)/libcore.a $(FLIBS)

seeds: $(FB)/gen_seeds
	$(FB)/gen_seeds tests/fuzz/corpus
