# Gazette: a terminal reader for archives of posts.
#   make run    installs what is missing, builds a release binary, opens seeds/
#   make test   installs what is missing, runs every test (unit, snapshot, end-to-end in tmux)

PREFIX  ?= /usr/local
DESTDIR ?=
SWIFT   ?= swift
BINDIR   = $(DESTDIR)$(PREFIX)/bin
MANDIR   = $(DESTDIR)$(PREFIX)/share/man/man1

# System packages: the header or program that proves each one is there.
NEED_BUILD = /usr/include/ncursesw/curses.h:libncurses-dev /usr/include/sqlite3.h:libsqlite3-dev
NEED_TEST  = $(NEED_BUILD) tmux:tmux

.PHONY: all build run test install clean deps deps-test bench

all: build

# Installs missing packages with apt-get when root; otherwise says exactly what to run.
define ensure
	@missing=""; \
	for pair in $(1); do \
	  what=$${pair%%:*}; pkg=$${pair##*:}; \
	  case "$$what" in /*) [ -e "$$what" ] || missing="$$missing $$pkg";; \
	                   *) command -v "$$what" >/dev/null 2>&1 || missing="$$missing $$pkg";; esac; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null || exit 1; \
	  else \
	    echo "Missing system packages. Run:  sudo apt-get install -y$$missing" >&2; exit 1; \
	  fi; \
	fi
endef

deps:
	$(call ensure,$(NEED_BUILD))

deps-test:
	$(call ensure,$(NEED_TEST))

build: deps
	$(SWIFT) build -c release

run: build
	.build/release/gazette seeds/

test: deps-test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing

install: build
	install -d $(BINDIR)
	install -m 755 .build/release/gazette $(BINDIR)/gazette

clean:
	rm -rf .build .build-* .build_*
