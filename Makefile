# Gazette: a terminal reader for archives of posts.
#   make run    installs what is missing, builds a release binary, opens seeds/
#   make test   installs what is missing, runs every test (unit, snapshot, end-to-end in tmux)

PREFIX  ?= /usr/local
DESTDIR ?=
SWIFT   ?= swift
BINDIR   = $(DESTDIR)$(PREFIX)/bin
MANDIR   = $(DESTDIR)$(PREFIX)/share/man/man1
SHAREDIR = $(DESTDIR)$(PREFIX)/share
# The binary `install-files` installs (and asks for its shell completions).
BINARY  ?= .build/release/gazette

# Release builds link the Swift runtime and Foundation statically: start-up a few milliseconds instead of 13 (no
# dynamic linking of twenty libraries), 7 MB less resident memory, and a binary that runs without the Swift
# toolchain. Linked by the toolchain's lld, with packed relative relocations (fewer pages touched at start).
# The functions a session runs are placed together (one section per function, in the order of
# support/gazette.order, `make order-file`): the kernel maps code in 64 kB windows, so hot code spread over 16 MB
# of text cost 3 MB more memory. libstdc++ (needed by the Swift runtime and ICU) is linked statically when its
# archive is there: one shared library less to load and relocate. See BENCHMARKS.md.
ORDER_FILE    = support/gazette.order
BENCH_SCRATCH = .build-bench
STATIC_CXX   := $(shell clang -print-file-name=libstdc++.a 2>/dev/null)
STATIC_CXX_DIR = $(CURDIR)/.build-cxx
RELEASE_FLAGS ?= --static-swift-stdlib -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld \
                 -Xlinker -z -Xlinker pack-relative-relocs -Xswiftc -Xfrontend -Xswiftc -function-sections \
                 -Xlinker --symbol-ordering-file=$(CURDIR)/$(ORDER_FILE) -Xlinker --no-warn-symbol-ordering \
                 $(if $(filter /%,$(STATIC_CXX)),-Xlinker -L$(STATIC_CXX_DIR))

# System packages: the header or program that proves each one is there.
NEED_BUILD = /usr/include/ncursesw/curses.h:libncurses-dev /usr/include/sqlite3.h:libsqlite3-dev \
             /usr/include/libxml2/libxml/parser.h:libxml2-dev \
             /usr/include/x86_64-linux-gnu/curl/curl.h:libcurl4-openssl-dev
NEED_TEST  = $(NEED_BUILD) tmux:tmux /usr/sbin/nginx:nginx-light openssl:openssl newsboat:newsboat
NEED_BENCH = $(NEED_TEST) less:less /usr/bin/time:time
# Tiny Tiny RSS for the sync tests and bench (issue 15): Debian's tt-rss 21 on PHP 8.2's built-in server and a
# throwaway PostgreSQL 15 cluster, started by the tests themselves. Installed without recommends (they would add
# apache2) and PHP's CGI first (otherwise apt satisfies "a PHP for a web server" with apache's module);
# dbconfig-no-thanks: the package must not set up a database of its own. System services are not started.
PHP_EXT    = /usr/lib/php/20220829
NEED_TTRSS_PHP = /usr/bin/php-cgi8.2:php-cgi /usr/bin/php8.2:php-cli
NEED_TTRSS = /usr/share/dbconfig-common/internal/dbc-no-thanks:dbconfig-no-thanks \
             /usr/share/tt-rss/www/api/index.php:tt-rss /usr/lib/postgresql/15/bin/initdb:postgresql-15 \
             $(PHP_EXT)/pdo_pgsql.so:php-pgsql $(PHP_EXT)/intl.so:php-intl $(PHP_EXT)/mbstring.so:php-mbstring \
             $(PHP_EXT)/dom.so:php-xml $(PHP_EXT)/curl.so:php-curl setpriv:util-linux

.PHONY: all build run test install install-files docs clean deps deps-test bench order-file

all: build

# Installs missing packages with apt-get when root; otherwise says exactly what to run. $(2): more apt-get options.
# While installing, services are not started (a policy-rc.d that says no, when the machine has none).
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
	    policy=""; if [ ! -e /usr/sbin/policy-rc.d ]; then policy=/usr/sbin/policy-rc.d; \
	      printf '#!/bin/sh\nexit 101\n' > $$policy && chmod 755 $$policy; fi; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2)$$missing >/dev/null; status=$$?; \
	    [ -z "$$policy" ] || rm -f $$policy; [ $$status = 0 ] || exit 1; \
	  else \
	    echo "Missing system packages. Run:  sudo apt-get install -y $(2)$$missing" >&2; exit 1; \
	  fi; \
	fi
endef

deps:
	$(call ensure,$(NEED_BUILD))
	@# The package manager does not know the order file is a link input: relink when it is newer.
	@for b in .build/release/gazette $(BENCH_SCRATCH)/release/gazette; do \
	  if [ -e "$$b" ] && [ $(ORDER_FILE) -nt "$$b" ]; then rm -f "$$b"; fi; done
	@if [ -f "$(STATIC_CXX)" ]; then mkdir -p $(STATIC_CXX_DIR) && ln -sf "$(STATIC_CXX)" $(STATIC_CXX_DIR)/libstdc++.a; fi

deps-test:
	$(call ensure,$(NEED_TEST))
	$(call ensure,$(NEED_TTRSS_PHP),--no-install-recommends)
	$(call ensure,$(NEED_TTRSS),--no-install-recommends)

build: deps
	$(SWIFT) build -c release $(RELEASE_FLAGS)

run: build
	.build/release/gazette seeds/

test: deps-test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing

# make bench [BENCH_FLAGS=--quick]: generates bench-data/ when missing (1,000, 10,000 and 100,000 posts, and the
# same posts as RSS for newsboat), measures parsing, the first frame, keys, marking and memory of the release
# binary beside less and newsboat (when installed: apt-get install newsboat), prints the tables and writes them
# to bench-results/ and BENCHMARKS.md. About 10 minutes; let nothing else run meanwhile (the figures are times).
bench: deps
	$(call ensure,$(NEED_BENCH))
	$(call ensure,$(NEED_TTRSS_PHP),--no-install-recommends)
	$(call ensure,$(NEED_TTRSS),--no-install-recommends)
	$(SWIFT) build -c release $(RELEASE_FLAGS) --scratch-path $(BENCH_SCRATCH) --product gazette
	$(SWIFT) build -c release $(RELEASE_FLAGS) --scratch-path $(BENCH_SCRATCH) --product gazette-bench
	$(BENCH_SCRATCH)/release/gazette-bench all --gazette $(CURDIR)/$(BENCH_SCRATCH)/release/gazette $(BENCH_FLAGS)

# Regenerates support/gazette.order (the link order of the release binary, see RELEASE_FLAGS) from callgrind
# profiles of a real session on a 1,000-post archive: after changes to what runs at start or on a key.
order-file: deps
	$(call ensure,$(NEED_BENCH) valgrind:valgrind)
	$(SWIFT) build -c release $(RELEASE_FLAGS) --scratch-path $(BENCH_SCRATCH) --product gazette
	$(SWIFT) build -c release $(RELEASE_FLAGS) --scratch-path $(BENCH_SCRATCH) --product gazette-bench
	$(BENCH_SCRATCH)/release/gazette-bench order-file --gazette $(CURDIR)/$(BENCH_SCRATCH)/release/gazette $(ORDER_FILE)

# Long versions of the reliability tests (issue 6; `make test` runs short ones): 500 SIGKILLs of a process
# marking as fast as it can and 200 of `gazette mark`, a storm of 600 resizes, two readers toggling 25 times
# a post, an 8 MB line, 20,000 mutated inputs per fuzz target. Each test prints its figures.
.PHONY: stress fuzz
stress: deps-test
	$(SWIFT) build --build-tests
	GAZETTE_KILL_CYCLES=500 GAZETTE_CLI_KILL_CYCLES=200 GAZETTE_RESIZE_STORM=600 GAZETTE_TWO_READER_TOGGLES=25 \
	GAZETTE_HUGE_LINE_MB=8 GAZETTE_FUZZ_MUTATIONS=20000 \
	  $(SWIFT) test --skip-build --disable-swift-testing \
	  --filter 'StoreCrashTests|TwoReadersTests|OddInputTests|HostileTextTests|FuzzCorpusTests'

# libFuzzer on the archive parser, the sanitizer, the wrapper, the configuration parser and the article renderer
# (Sources/FuzzTargets), FUZZ_SECONDS each.
# New inputs collect in .build-fuzz/corpus/<target>; Tests/FuzzCorpus/<target> holds the committed seeds and
# minimised crashers, which `make test` replays. A crash stops with its input in fuzz-artifacts/ (minimise it
# with `.build-fuzz/debug/<Target> -minimize_crash=1 -runs=10000 <file>`, fix, commit it to the corpus).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS  = FuzzArchiveParser:archive-parser FuzzSanitizer:sanitizer FuzzWrapper:wrapper \
                FuzzConfiguration:configuration FuzzArticle:article FuzzFeed:feed
FUZZ_BUILD    = $(SWIFT) build --scratch-path .build-fuzz --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address \
                -Xswiftc -use-ld=lld
fuzz: deps
	@set -e; for pair in $(FUZZ_TARGETS); do $(FUZZ_BUILD) --product $${pair%%:*}; done
	@set -e; mkdir -p fuzz-artifacts; for pair in $(FUZZ_TARGETS); do \
	  target=$${pair%%:*}; corpus=$${pair##*:}; log=.build-fuzz/$$target.log; \
	  mkdir -p .build-fuzz/corpus/$$corpus; \
	  echo "$$target: fuzzing for $(FUZZ_SECONDS) s (log: $$log)"; \
	  if SWIFT_BACKTRACE=enable=no .build-fuzz/debug/$$target -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
	       -dict=Tests/FuzzCorpus/tokens.dict -artifact_prefix=fuzz-artifacts/$$corpus- -print_final_stats=1 \
	       .build-fuzz/corpus/$$corpus Tests/FuzzCorpus/$$corpus > $$log 2>&1; then \
	    grep -E '^(Done [0-9]+ runs|stat::number_of_executed_units|stat::new_units_added)' $$log | sed 's/^/  /'; \
	  else \
	    grep -E 'Fatal error|ERROR|Test unit written' $$log | sed 's/^/  /'; exit 1; \
	  fi; \
	done

# make install [PREFIX=/usr/local] [DESTDIR=staging]: the release binary, gazette(1) and the bash, zsh and
# fish completions (generated by the binary itself). install-files installs $(BINARY) without building.
install: build install-files

install-files:
	install -d $(BINDIR) $(MANDIR) $(SHAREDIR)/bash-completion/completions $(SHAREDIR)/zsh/site-functions \
	  $(SHAREDIR)/fish/vendor_completions.d
	install -m 755 $(BINARY) $(BINDIR)/gazette
	install -m 644 doc/gazette.1 $(MANDIR)/gazette.1
	$(BINARY) --generate-completion-script bash > $(SHAREDIR)/bash-completion/completions/gazette
	$(BINARY) --generate-completion-script zsh > $(SHAREDIR)/zsh/site-functions/_gazette
	$(BINARY) --generate-completion-script fish > $(SHAREDIR)/fish/vendor_completions.d/gazette.fish
	chmod 644 $(SHAREDIR)/bash-completion/completions/gazette $(SHAREDIR)/zsh/site-functions/_gazette \
	  $(SHAREDIR)/fish/vendor_completions.d/gazette.fish

# Regenerates the key tables of README.md and doc/gazette.1 from the keymap (a test fails when they are stale).
docs: deps
	$(SWIFT) build --product gazette
	$$($(SWIFT) build --show-bin-path)/gazette config keys --markdown --update README.md
	$$($(SWIFT) build --show-bin-path)/gazette config keys --man --update doc/gazette.1

clean:
	rm -rf .build .build-* .build_*
