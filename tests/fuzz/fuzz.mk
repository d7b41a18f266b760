# tests/fuzz/fuzz.mk — the libFuzzer targets; included from the Makefile,
# so BUILD, LIB_SRC, CPPFLAGS, WARN, PKG_CFLAGS and PKG_LIBS are the
# project's own.
#
#   make fuzz          build every target, then for each: replay its fixed
#                      seed corpus, then FUZZ_TIME seconds (default 5) of
#                      new inputs; fails on the first crash, leak or
#                      invariant abort
#   make fuzz-build    only build $(BUILD)/fuzz/fuzz_NAME
#
# `make check` runs the same steps through tests/run.sh (suites fuzz/build
# and fuzz/fuzz_NAME). A target is tests/fuzz/fuzz_NAME.c; its seeds are
# tests/fuzz/corpus/NAME/ (plus the test-data folders tests/fuzz/run.sh
# names). Each target links an instrumented copy of the whole engine
# library: every source in LIB_SRC compiled by clang with coverage and
# ASan/UBSan into $(BUILD)/fuzz/libslicedeck.a, so libFuzzer sees coverage
# inside the parsers and a file added to or split out of a module is picked
# up without touching this file. -Werror applies to the fuzz targets, not to
# the library: gcc builds with -Werror already and clang's warnings differ.

FUZZ_CC     ?= clang
FUZZ_TIME   ?= 5
FUZZ_DIR    := $(BUILD)/fuzz
FUZZ_NAMES  := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS   := $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_NAMES))
FUZZ_LIB    := $(FUZZ_DIR)/libslicedeck.a
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -std=c11 -g -O1 -fno-omit-frame-pointer -Wno-unknown-warning-option \
               $(PKG_CFLAGS) $(FUZZ_SAN)

.PHONY: fuzz fuzz-build

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(filter-out -Werror,$(WARN)) \
	  -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

# the engine's library, the console's parsers of outside input, and the
# simulator's timeline parser with the fault specs it builds on
FUZZ_SRC    := $(LIB_SRC) tui/walk.c sim/timeline.c sim/fault.c
$(FUZZ_LIB): $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_SRC))
	@rm -f $@
	$(Q)ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  FUZZLD  $@")
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(WARN) -fsanitize=fuzzer \
	  -MMD -MP -MF $@.d -o $@ $< $(FUZZ_LIB) -lnetsnmpagent $(PKG_LIBS) -lm

fuzz-build:
	@command -v $(FUZZ_CC) >/dev/null || \
	  { echo "fuzz: $(FUZZ_CC) not found (apt-get install clang; make deps does)" >&2; exit 1; }
	@$(MAKE) --no-print-directory $(FUZZ_BINS)

fuzz: fuzz-build
	@FUZZ_TIME=$(FUZZ_TIME) sh tests/fuzz/run.sh $(BUILD) $(FUZZ_NAMES)
