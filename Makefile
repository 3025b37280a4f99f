# Makefile - builds build/mptcpanalyzer; `make check` builds and runs every
# test, also under AddressSanitizer and UndefinedBehaviorSanitizer.
# SPDX-License-Identifier: GPL-3.0-or-later

PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
PKGS = glib-2.0 json-glib-1.0 readline
CFLAGS ?= -O2 -g
WARN = -Wall -Wextra -std=gnu11
# '=' not ':=': evaluated when a recipe runs, after `deps` installed them
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS)) -lcsv
DEMO = fixtures/v1-lossy-client.pcapng
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SRCS = $(wildcard src/*.c)
LIB_SRCS = $(filter-out src/main.c,$(SRCS))
OBJS = $(SRCS:src/%.c=build/obj/%.o)
ASAN_OBJS = $(SRCS:src/%.c=build/asan/%.o)
UNIT_SRCS = $(wildcard tests/unit/*.c)

all: deps build/mptcpanalyzer

# debian/rules sets INSTALL_DEPS=: (the build dependencies are dpkg's job)
INSTALL_DEPS ?= scripts/install-deps
deps:
	@$(INSTALL_DEPS)

# build, then show the tool on a capture the project ships
demo: all
	build/mptcpanalyzer list-mptcp $(DEMO)
	build/mptcpanalyzer mptcp-summary $(DEMO) 0

build/mptcpanalyzer: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

build/obj/%.o: src/%.c $(wildcard src/*.h) | build/obj
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

build/asan/mptcpanalyzer: $(ASAN_OBJS)
	$(CC) $(SAN) -g -o $@ $^ $(PKG_LIBS)

build/asan/%.o: src/%.c $(wildcard src/*.h) | build/asan
	$(CC) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) -c -o $@ $<

build/unit-tests: $(UNIT_SRCS) $(LIB_SRCS) $(wildcard src/*.h) | build/obj
	$(CC) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) -Isrc -o $@ $(UNIT_SRCS) $(LIB_SRCS) $(PKG_LIBS)

build/obj build/asan build/fuzz:
	mkdir -p $@

# --- fuzzing (clang's libFuzzer); `make fuzz FUZZ_TIME=N` ---
FUZZ_TIME ?= 60
FUZZ_TARGETS = rows model
FUZZ_CC = clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRCS) $(wildcard src/*.h) | build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(PKG_CFLAGS) -Isrc -o $@ $< $(LIB_SRCS) $(PKG_LIBS)

# the same entry points without libFuzzer, to replay saved inputs in `check`
build/replay_%: tests/fuzz/replay.c tests/fuzz/fuzz_%.c $(LIB_SRCS) $(wildcard src/*.h) | build/obj
	$(CC) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) -Isrc -o $@ tests/fuzz/replay.c $(filter-out tests/fuzz/replay.c,$(filter %.c,$^)) $(PKG_LIBS)

fuzz: deps $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	tests/fuzz/run $(FUZZ_TIME) $(FUZZ_TARGETS)

check: deps build/mptcpanalyzer build/asan/mptcpanalyzer build/unit-tests $(FUZZ_TARGETS:%=build/replay_%)
	tests/run

# the program, its manual page and its bash completion (share/)
BINDIR = $(PREFIX)/bin
MAN1DIR = $(PREFIX)/share/man/man1
COMPDIR = $(PREFIX)/share/bash-completion/completions

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(COMPDIR)
	install -m 755 build/mptcpanalyzer $(DESTDIR)$(BINDIR)/mptcpanalyzer
	install -m 644 share/mptcpanalyzer.1 $(DESTDIR)$(MAN1DIR)/mptcpanalyzer.1
	install -m 644 share/mptcpanalyzer.bash $(DESTDIR)$(COMPDIR)/mptcpanalyzer

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mptcpanalyzer $(DESTDIR)$(MAN1DIR)/mptcpanalyzer.1 \
	      $(DESTDIR)$(COMPDIR)/mptcpanalyzer

clean:
	rm -rf build

.PHONY: all deps demo check fuzz install uninstall clean
