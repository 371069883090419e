# Diaodu -- build, run, test, bench.  `make help` lists the targets.
#
# The two commands of the README are ./diaodu run and ./diaodu test; they
# install what is missing and then call the targets below.

CC      ?= cc
OPT     ?= -O2 -g
SAN     ?=
CFLAGS  ?= $(OPT)
WARN     = -Wall -Wextra -Wformat=2 -Wshadow -Wno-unused-parameter -Werror
CS_INC   = -I/usr/include/ClearSilver
DB_INC   = $(shell mariadb_config --cflags 2>/dev/null)
ALL_CFLAGS = -std=gnu11 $(WARN) $(CORE_INC) $(CS_INC) $(DB_INC) $(CFLAGS) $(SAN) -MMD -MP
LIBS     = -lneo_cgi -lneo_cs -lneo_utl -lz -lfcgi $(shell mariadb_config --libs 2>/dev/null) \
           -lsodium -lhpdf -lxlsxwriter -lminizip -lexpat -lm
B        = build

LAYERS   = base fmt sql dom web
CORE_INC = $(LAYERS:%=-Icgi-bin/core/%)
CORE_SRC = $(foreach l,$(LAYERS),$(wildcard cgi-bin/core/$(l)/*.c))
CORE_OBJ = $(CORE_SRC:%.c=$(B)/%.o)
APPS     = login admin entry approval audit report
APP_BIN  = $(APPS:%=$(B)/bin/diaodu-%)
TOOLS    = $(B)/bin/diaodu-ctl $(B)/bin/diaodu-hello $(B)/bin/diaodu-runner $(B)/fonts/diaodu-zh.ttf
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
DBT_SRC  = $(wildcard tests/db/test_*.c)
DBT_BIN  = $(DBT_SRC:tests/db/%.c=$(B)/dbtests/%)

.PHONY: all help run start stop status test unit dbtest lint bench clean asan fuzz

all: $(APP_BIN) $(TOOLS)

help:
	@echo "make            build the FastCGI executables and tools into $(B)/bin"
	@echo "make run        start everything in the foreground (./diaodu run)"
	@echo "make start|stop start in the background / stop it"
	@echo "make test       every test (./diaodu test): unit, lint, HTTP, browser"
	@echo "make unit       C unit tests only"
	@echo "make dbtest     C tests of domain code against a running instance (DIAODU_CONF)"
	@echo "make asan       build with AddressSanitizer + UBSan into build-asan/"
	@echo "make bench      wrk benchmarks, as ratios to a hello-world FastCGI"
	@echo "make clean      remove build output"

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/libdiaodu.a: $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

# an executable is every .c file of its directory (report.c and its parts)
define app_rule
$(B)/bin/diaodu-$(1): $(patsubst %.c,$(B)/%.o,$(wildcard cgi-bin/$(1)/*.c)) $(B)/libdiaodu.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(SAN) -o $$@ $(patsubst %.c,$(B)/%.o,$(wildcard cgi-bin/$(1)/*.c)) $(B)/libdiaodu.a $$(LIBS)
endef
$(foreach a,$(APPS),$(eval $(call app_rule,$(a))))

CTL_OBJ  = $(B)/cgi-bin/tool/ctl.o $(B)/cgi-bin/tool/demo.o $(B)/cgi-bin/tool/flowctl.o $(B)/cgi-bin/tool/reportctl.o $(B)/cgi-bin/tool/gendata.o $(B)/cgi-bin/tool/trackctl.o $(B)/cgi-bin/tool/jobctl.o
$(B)/bin/diaodu-ctl: $(CTL_OBJ) $(B)/libdiaodu.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $(CTL_OBJ) $(B)/libdiaodu.a $(LIBS)

# the job runner (not a FastCGI executable: a master and Jobs.Runners processes)
$(B)/bin/diaodu-runner: $(B)/cgi-bin/runner/runner.o $(B)/libdiaodu.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $< $(B)/libdiaodu.a $(LIBS)

# The PDFs' Chinese font cut down from wqy-zenhei: ASCII, Latin-1, the CJK
# Unified Ideographs block (U+4E00-9FA5: every common and most rare name
# characters), GB2312's symbols and punctuation, and conf/font-extra.txt --
# about a third of the full font's size in every PDF and half its time
# (make bench: tests/bench-font.sh; a cut to GB2312 alone is smaller but
# slower: thousands of cmap segments that libharu searches one by one per
# character).  A document with a character outside the cut embeds the full
# font (Pdf.Font, pdf.c).  Needs pyftsubset (Debian: fonttools); without it
# the PDFs use the full font.
FONT_FULL = /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
$(B)/fonts/diaodu-zh.ttf: conf/font-extra.txt
	@mkdir -p $(dir $@)
	@if command -v pyftsubset >/dev/null && [ -f $(FONT_FULL) ]; then \
	  python3 -c 'import sys; sys.stdout.write("".join(bytes([a, b]).decode("gb2312", "ignore") for a in range(0xA1, 0xF8) for b in range(0xA1, 0xFF)))' > $(B)/fonts/gb2312.txt && \
	  cat conf/font-extra.txt >> $(B)/fonts/gb2312.txt && \
	  pyftsubset $(FONT_FULL) --font-number=0 --text-file=$(B)/fonts/gb2312.txt --unicodes=U+0020-007E,U+00A0-00FF,U+4E00-9FA5 \
	    --no-hinting --drop-tables+=EBDT,EBLC,EBSC,BDF,FFTM --output-file=$@.tmp && mv $@.tmp $@; \
	else echo "pyftsubset (fonttools) or $(FONT_FULL) missing: the PDFs embed the full font" >&2; fi

$(B)/bin/diaodu-hello: $(B)/cgi-bin/hello/hello.o
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $< -lfcgi

$(B)/tests/%: tests/unit/%.c $(B)/libdiaodu.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libdiaodu.a -lcmocka $(LIBS)

unit: $(UNIT_BIN) $(B)/fonts/diaodu-zh.ttf
	@sh tests/run-unit.sh $(UNIT_BIN)

# C tests of domain code against a running instance's MariaDB (DIAODU_CONF)
$(B)/dbtests/%: tests/db/%.c tests/db/dbtest.h $(B)/libdiaodu.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-unused-function -o $@ $< $(B)/libdiaodu.a -lcmocka $(LIBS)

# benchmark programs (make bench runs them through tests/bench-*.sh);
# bench_submit measures a submit without its audit record by wrapping
# audit_append at link time (the product has no way to skip it)
$(B)/bench/bench_submit: LIBS += -Wl,--wrap=audit_append
$(B)/bench/%: tests/bench/%.c $(B)/libdiaodu.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libdiaodu.a $(LIBS)

dbtest: $(DBT_BIN)
	@sh tests/run-unit.sh $(DBT_BIN)

# SQL text and driver calls stay in their layer (the spirit of Fossil's codecheck)
lint:
	@sh tests/lint.sh

asan:
	$(MAKE) B=build-asan OPT="-O1 -g -fno-omit-frame-pointer" SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" all

run:
	./diaodu run
start:
	./diaodu start
stop:
	./diaodu stop
status:
	./diaodu status
test:
	./diaodu test
bench: all
	./diaodu bench

# the PDFs' font in make bench (tests/bench-font.sh)
$(B)/bench/pdf_font: tests/bench/pdf_font.c $(B)/libdiaodu.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libdiaodu.a $(LIBS)

clean:
	rm -rf build build-asan

-include $(CORE_OBJ:.o=.d) $(wildcard $(B)/cgi-bin/*/*.d)

# libFuzzer harnesses of the parsers into build-fuzz/ (tests/fuzz/README.md); not part of `make test`
FUZZ_SECONDS ?= 60
fuzz:
	$(MAKE) -f tests/fuzz/fuzz.mk run FUZZ_SECONDS=$(FUZZ_SECONDS)
