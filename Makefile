# slicedeck — plain GNU make build.
#
#   make            build the three programs into build/
#   make check      install missing Debian packages, build, run every test
#   make demo       install missing packages, build, start sim + engine + console
#   make asan       the same tests under AddressSanitizer + UBSan (build-asan/)
#   make bench      benchmarks (figures and ratios, never pass/fail on time)
#   make install    PREFIX=/usr/local DESTDIR= (FHS layout)
#   make clean
#
# Every source file under core/ slicing/ monitor/ billing/ goes into one
# static library; each program is its directory's main.c plus that library.
# A new module is picked up by dropping its .c in place; a new unit test by
# adding tests/unit/test_NAME.c.
#
# -Wno-format-truncation: snprintf truncation is how we clip text to a column
# or a message buffer, on purpose.
#
# RELEASE=1 drops -Werror (packaged builds must not fail on a newer compiler's
# new warnings); development and CI keep it.

BUILD     ?= build
PREFIX    ?= /usr/local
DESTDIR   ?=
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
VERSION   := 0.1.0
# where slicedeckd loads plugins from by default (plugins.dir)
PLUGINDIR ?= $(PREFIX)/lib/slicedeck/plugins

CC        ?= cc
PKGS      := jansson libcurl libnghttp2 sqlite3 ncursesw openssl netsnmp
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN      := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
             -Wmissing-prototypes -Wno-unused-parameter -Wvla \
             -Wno-format-truncation
ifneq ($(RELEASE),1)
WARN      += -Werror
endif
OPT       ?= -O2 -g
HARDEN    := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
HARDEN_LD := -pie -Wl,-z,relro,-z,now
ifeq ($(SANITIZE),1)
OPT       := -O1 -g -fno-omit-frame-pointer
HARDEN    := -fPIE
SAN       := -fsanitize=address,undefined -fno-sanitize-recover=undefined
endif

CPPFLAGS  += -I. -D_GNU_SOURCE -DSD_VERSION=\"$(VERSION)\" \
             -DSD_SYSCONFDIR=\"$(SYSCONFDIR)\" -DSD_PLUGINDIR=\"$(PLUGINDIR)\"
CFLAGS    += -std=c11 $(OPT) $(WARN) $(HARDEN) $(SAN) $(PKG_CFLAGS)
LDFLAGS   += $(HARDEN_LD) $(SAN)
# the AgentX subagent needs libnetsnmpagent, not the agent's MIB modules
# (netsnmp-agent.pc would add libnetsnmpmibs and its dependencies)
LDLIBS    += -lnetsnmpagent $(PKG_LIBS) -lm -ldl

LIB_SRC   := $(filter-out core/main.c engine/main.c,$(wildcard core/*.c slicing/*.c monitor/*.c billing/*.c snmp/*.c engine/*.c))
TUI_SRC   := $(filter-out tui/main.c,$(wildcard tui/*.c))
# what the console links of core/: the IPC codec and what it needs, no more
# (tests/tools/layers.sh keeps tui/ to these headers)
CODEC_SRC := core/ipc_codec.c core/util.c core/log.c
CON_LIBS  := $(shell pkg-config --libs jansson ncursesw 2>/dev/null) -lm
SIM_SRC   := $(filter-out sim/main.c,$(wildcard sim/*.c))
TEST_SRC  := $(wildcard tests/unit/test_*.c)
BENCH_SRC := $(wildcard tests/bench/bench_*.c)

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))

LIB       := $(BUILD)/libslicedeck.a
TUILIB    := $(BUILD)/libsdtui.a
CODECLIB  := $(BUILD)/libsdcodec.a
SIMLIB    := $(BUILD)/libsdsim.a
PROGS     := $(BUILD)/slicedeckd $(BUILD)/slicedeck $(BUILD)/slicedeck-sim
TESTS     := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_SRC))
BENCHES   := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
# the configuration parser beside libconfig 1.5 (tests/integration/cfg_compat.sh)
TOOLS     := $(BUILD)/tools/cfgdump $(BUILD)/tools/cfgdump-libconfig

.PHONY: all check unit integration demo asan bench deps install clean valgrind layers
# keep test and bench objects (make would delete them as intermediates)
.SECONDARY:
.SECONDEXPANSION:
all: $(PROGS) plugins

# --- plugins (docs/plugins.md): plugins/NAME/*.c -> build/plugins/NAME.so;
# test plugins tests/plugins/NAME.c -> build/tests/plugins/NAME.so. A
# plugin includes only plugins/slicedeck-plugin.h and its own libraries.
PLUGIN_NAMES := $(notdir $(patsubst %/,%,$(wildcard plugins/*/)))
PLUGIN_SOS   := $(patsubst %,$(BUILD)/plugins/%.so,$(PLUGIN_NAMES))
TPLUGIN_SOS  := $(patsubst tests/plugins/%.c,$(BUILD)/tests/plugins/%.so,$(wildcard tests/plugins/*.c))
PLUGIN_CFLAGS := -std=c11 $(OPT) $(WARN) -D_FORTIFY_SOURCE=2 -fstack-protector-strong \
                 -fPIC -fvisibility=hidden $(SAN)
PLUGIN_LDFLAGS := -shared -Wl,-z,relro,-z,now -Wl,--no-undefined $(SAN)
# each plugin's libraries
PLUGIN_LIBS_syslog  := $(shell pkg-config --libs openssl 2>/dev/null)
PLUGIN_LIBS_webhook := $(shell pkg-config --libs libcurl openssl jansson 2>/dev/null)
PLUGIN_LIBS_open5gs := $(shell pkg-config --libs libcurl 2>/dev/null) -lm

.PHONY: plugins
plugins: $(PLUGIN_SOS) $(TPLUGIN_SOS)

$(BUILD)/plugins/%.so: $$(wildcard plugins/%/*.c) plugins/slicedeck-plugin.h $$(wildcard plugins/%/*.h)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  PLUGIN  $@")
	$(Q)$(CC) -I. -D_GNU_SOURCE $(PLUGIN_CFLAGS) $(PKG_CFLAGS) $(PLUGIN_LDFLAGS) -o $@ \
	  $(filter %.c,$^) $(PLUGIN_LIBS_$*)
$(BUILD)/tests/plugins/%.so: tests/plugins/%.c plugins/slicedeck-plugin.h
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  PLUGIN  $@")
	$(Q)$(CC) -I. -D_GNU_SOURCE $(PLUGIN_CFLAGS) $(PLUGIN_LDFLAGS) -o $@ $<

# quiet by default; V=1 shows the commands
Q := $(if $(V),,@)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(call obj,$(LIB_SRC))
	@rm -f $@
	$(Q)ar rcs $@ $^
$(TUILIB): $(call obj,$(TUI_SRC))
	@rm -f $@
	$(Q)ar rcs $@ $^
$(CODECLIB): $(call obj,$(CODEC_SRC))
	@rm -f $@
	$(Q)ar rcs $@ $^
$(SIMLIB): $(call obj,$(SIM_SRC))
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/slicedeckd: $(BUILD)/engine/main.o $(LIB)
	$(if $(Q),@echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/slicedeck: $(BUILD)/tui/main.o $(TUILIB) $(CODECLIB)
	$(if $(Q),@echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(CON_LIBS)
$(BUILD)/slicedeck-sim: $(BUILD)/sim/main.o $(SIMLIB) $(LIB)
	$(if $(Q),@echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(SIMLIB) $(TUILIB) $(LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(CMOCKA_LIBS)

$(BUILD)/tools/cfgdump: $(BUILD)/tests/tools/cfgdump.o $(LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
# libconfig only here, to compare with: the programs do not link it
$(BUILD)/tools/cfgdump-libconfig: tests/tools/cfgdump.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $@")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -DWITH_LIBCONFIG $(shell pkg-config --cflags libconfig) \
	  -o $@ $< $(shell pkg-config --libs libconfig)

$(BUILD)/bench/%: $(BUILD)/tests/bench/%.o $(SIMLIB) $(TUILIB) $(LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# --- the two commands --------------------------------------------------------

deps:
	@sh packaging/install-deps.sh

check: deps layers
	@$(MAKE) --no-print-directory all tests
	@sh tests/run.sh $(BUILD)

# `make print-VAR`: a variable's value, for tests (print-SYSCONFDIR)
print-%:
	@echo '$($*)'

# the include arrows allowed between folders (tests/tools/layers.sh)
layers:
	@sh tests/tools/layers.sh

.PHONY: tests
tests: $(TESTS) $(TOOLS)

unit: $(PROGS) $(TESTS)
	@sh tests/run.sh $(BUILD) unit

integration: $(PROGS)
	@sh tests/run.sh $(BUILD) integration

demo: deps
	@$(MAKE) --no-print-directory all
	@sh tests/demo.sh $(BUILD)

asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan SANITIZE=1 all tests
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 sh tests/run.sh build-asan

valgrind: all tests
	@SD_VALGRIND=1 sh tests/run.sh $(BUILD) unit

bench: deps
	@$(MAKE) --no-print-directory all $(BENCHES)
	@sh tests/bench/run.sh $(BUILD)

# --- install (FHS) -----------------------------------------------------------

BINDIR  := $(PREFIX)/bin
SBINDIR := $(PREFIX)/sbin
MANDIR  := $(PREFIX)/share/man
DOCDIR  := $(PREFIX)/share/doc/slicedeck
# net-snmp's default MIB directory (Debian: /usr/share/snmp/mibs); the base
# modules we import go beside our MIB (etc/mibs/README.md)
MIBDIR  := $(PREFIX)/share/snmp/mibs
COMPLETIONDIR := $(PREFIX)/share/bash-completion/completions

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
	  $(DESTDIR)$(SYSCONFDIR)/slicedeck $(DESTDIR)$(DOCDIR) $(DESTDIR)$(MIBDIR) \
	  $(DESTDIR)$(COMPLETIONDIR)
	install -m 0755 $(BUILD)/slicedeckd $(DESTDIR)$(SBINDIR)/slicedeckd
	install -m 0755 $(BUILD)/slicedeck $(DESTDIR)$(BINDIR)/slicedeck
	install -m 0755 $(BUILD)/slicedeck-sim $(DESTDIR)$(BINDIR)/slicedeck-sim
	install -m 0644 packaging/bash-completion/slicedeck $(DESTDIR)$(COMPLETIONDIR)/slicedeck
	install -m 0644 packaging/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 packaging/man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 packaging/man/*.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0640 etc/slicedeck.conf $(DESTDIR)$(SYSCONFDIR)/slicedeck/slicedeck.conf
	install -m 0644 docs/*.md README.md $(DESTDIR)$(DOCDIR)/
	install -m 0644 etc/timeline-*.txt $(DESTDIR)$(DOCDIR)/   # samples for slicedeck-sim --timeline
	install -m 0644 etc/open5gs-example.conf $(DESTDIR)$(DOCDIR)/   # README, "Connecting to a real core"
	install -m 0644 etc/SLICEDECK-MIB.txt etc/mibs/*.txt $(DESTDIR)$(MIBDIR)/
	install -d -m 0755 $(DESTDIR)$(PLUGINDIR)
	$(if $(PLUGIN_SOS),install -m 0644 $(PLUGIN_SOS) $(DESTDIR)$(PLUGINDIR)/)

clean:
	rm -rf build build-asan build-*

include tests/fuzz/fuzz.mk
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# --- Debian packages (packaging/debian, docs in packaging/debian/rules) -----
# dpkg-buildpackage wants ./debian at the source root and writes to the
# parent directory: the tracked tree is copied (builds excluded) to
# build-pkg/slicedeck-$(VERSION), packaging/debian becomes its debian/, and
# the .debs land in build-pkg/. The checkout keeps one copy of debian/.
DEBOUT := build-pkg
deb:
	@v=$$(dpkg-parsechangelog -l packaging/debian/changelog -S Version); \
	 [ "$$v" = "$(VERSION)" ] || { echo "deb: debian/changelog says $$v, Makefile VERSION $(VERSION)" >&2; exit 1; }
	rm -rf $(DEBOUT) && mkdir -p $(DEBOUT)/slicedeck-$(VERSION)
	tar --exclude=./build --exclude='./build-*' --exclude=./.git --exclude=./debian -cf - . | tar -C $(DEBOUT)/slicedeck-$(VERSION) -xf -
	cp -a packaging/debian $(DEBOUT)/slicedeck-$(VERSION)/debian
	cd $(DEBOUT)/slicedeck-$(VERSION) && dpkg-buildpackage -us -uc -b
.PHONY: deb
package-check:
	@sh packaging/package-check.sh
.PHONY: package-check
