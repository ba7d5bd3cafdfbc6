# werun: one place for the commands the README documents.
#
#   make lib                 libwerun.a and libwerun.so in target/release (the C ABI)
#   make install PREFIX=...  what `make lib` built, with the headers, pkg-config and CMake files,
#                            under PREFIX (runs no cargo: `sudo make install` works)
#   make dist                target/dist/werun-<version>-x86_64-linux-gnu.tar.gz, the C/C++
#                            release archive (glibc 2.17 build: docs/install.md)
#   make test                every test: Rust, C (ASan/UBSan, valgrind), Python, Go, C++,
#                            fuzz smoke runs, firmware under QEMU, the release artifacts as users
#                            get them (archive, Go module, CMake subproject, crate, the werun
#                            command) and the ABI
#
# Each language's tests live beside their code and are run by one script each.

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
CARGO ?= cargo
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
RELEASE := target/release
# The shared library's soname: changes only with an incompatible ABI (docs/abi.md).
SONAME := libwerun.so.0
# What `make install` installs (`make dist` points it at the glibc 2.17 build), and the paths
# written into werun.pc (`make dist` writes relocatable ones).
LIBSRC ?= $(RELEASE)
PC_PREFIX ?= $(PREFIX)
PC_LIBDIR ?= $(LIBDIR)
PC_INCLUDEDIR ?= $(INCLUDEDIR)

.PHONY: all lib install test test-rust test-c test-python test-go test-cpp test-fuzz test-firmware \
	lib-compat dist test-abi abi-baseline test-crate test-dist test-go-module test-subproject test-docs

all: lib

# The crate is an rlib (so bare-metal builds need no panic handler); the C artifacts are built
# with `cargo rustc --crate-type`, with `std` so that panics are caught at the boundary.
lib:
	$(CARGO) rustc --release --lib --features std --crate-type staticlib,cdylib -- \
		-C link-arg=-Wl,-soname,$(SONAME)

# No cargo here (and no dependency on `lib`): `make lib` as yourself, then `sudo make install`.
install:
	@for f in $(LIBSRC)/libwerun.a $(LIBSRC)/libwerun.so; do \
	  [ -f $$f ] || { echo "make install: $$f is missing: run 'make lib' first" >&2; exit 1; }; \
	done
	install -d $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(LIBDIR)/cmake/werun
	install -m 644 include/werun.h bindings/cpp/werun.hpp $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 $(LIBSRC)/libwerun.a $(DESTDIR)$(LIBDIR)/libwerun.a
	install -m 755 $(LIBSRC)/libwerun.so $(DESTDIR)$(LIBDIR)/libwerun.so.$(VERSION)
	ln -sf libwerun.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libwerun.so
	for pc in werun werun-static; do \
	  sed -e 's|@PREFIX@|$(PC_PREFIX)|g' -e 's|@LIBDIR@|$(PC_LIBDIR)|g' \
	      -e 's|@INCLUDEDIR@|$(PC_INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
	      $$pc.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/$$pc.pc; \
	done
	sed -e 's|@VERSION@|$(VERSION)|g' bindings/cpp/cmake/werunConfigVersion.cmake.in \
	  > $(DESTDIR)$(LIBDIR)/cmake/werun/werunConfigVersion.cmake
	sed -e 's|@SONAME@|$(SONAME)|g' bindings/cpp/cmake/werunConfig.cmake \
	  > $(DESTDIR)$(LIBDIR)/cmake/werun/werunConfig.cmake

# The release build for the archive: the same `cargo rustc` as `lib`, linked by zig through
# cargo-zigbuild (bindings/python/zigcargo, as the Python wheels) so that libwerun.so needs
# glibc 2.17 at most. Tools: .ci/install-python.sh (target/python-tools).
WERUN_PYTHON_TOOLS ?= $(CURDIR)/target/python-tools
COMPAT_TARGET := x86_64-unknown-linux-gnu
COMPAT := target/compat/$(COMPAT_TARGET)/release
lib-compat:
	PATH="$(WERUN_PYTHON_TOOLS)/bin:$$PATH" CARGO_ZIGBUILD_PYTHON_PATH="$(WERUN_PYTHON_TOOLS)/bin/python" \
	  CARGO_TARGET_DIR=target/compat WERUN_GLIBC=2.17 bindings/python/zigcargo rustc --release --lib \
	  --features std --crate-type staticlib,cdylib --target $(COMPAT_TARGET) -- \
	  -C link-arg=-Wl,-soname,$(SONAME)

# target/dist/werun-<version>-x86_64-linux-gnu.tar.gz (packaging/dist.sh: layout, checks).
dist: lib-compat
	VERSION=$(VERSION) SONAME=$(SONAME) LIBSRC=$(COMPAT) packaging/dist.sh

test: test-rust test-c test-python test-go test-cpp test-node test-java test-php test-fuzz test-firmware \
	test-abi test-crate test-dist test-go-module test-subproject test-docs test-cli test-soak

# (The library's tests, then the werun command's: cli/, package werun-cli.)
test-rust:
	$(CARGO) test --all-targets
	$(CARGO) test --all-targets --features std
	$(CARGO) test --doc
	$(CARGO) test -p werun-cli
	tests/secrets.sh

test-c: lib
	tests/c/run.sh

test-python: lib
	bindings/python/run-tests.sh
	bindings/python/test-dist.sh

# (The Go package finds libwerun with pkg-config: run-tests.sh installs into target/go-prefix.)
test-go: lib
	bindings/go/run-tests.sh

test-cpp: lib
	bindings/cpp/run-tests.sh

.PHONY: test-node
test-node: lib
	bindings/node/run-tests.sh

# The PHP binding (bindings/php): PHPUnit in the checkout (every vector, the API, the generated
# header, loading, a real php-fpm with opcache.preload), then the Composer package from
# `make php-dist` installed into a project outside the checkout (tests/release/php.sh).
.PHONY: test-php php-dist bench-php
test-php: lib php-dist
	bindings/php/run-tests.sh
	tests/release/php.sh

# target/dist/werun-werun-<version>.zip: the Composer package with libwerun.so for linux-x86_64
# (lib-compat) and linux-aarch64, glibc 2.17 (tools: .ci/install-python.sh).
php-dist: lib-compat
	bindings/php/build-dist.sh

# werun against openssl_decrypt + json_decode (EasyWeChat's path), opcache on, 31 and 7 entries;
# BENCH_PHP_ARGS="--dataset FILE.jsonl" for a dataset file.
bench-php: lib
	WERUN_LIBRARY=$(CURDIR)/$(RELEASE)/libwerun.so php -d opcache.enable_cli=1 bindings/php/bench.php $(BENCH_PHP_ARGS)

# The Java binding (bindings/java): its natives (glibc 2.17, zig), `mvn -q verify`, then the
# artifact installed into a fresh Maven repository and used by a consumer on two JDKs.
.PHONY: test-java bench-java
test-java: lib
	bindings/java/run-tests.sh

# The Java binding against the Java peer (JDK AES + Gson) on a harness dataset (bindings/java/bench).
bench-java: lib
	bindings/java/bench/run.sh $(BENCH_DATASETS)

test-fuzz:
	fuzz/smoke.sh

# A fuzz campaign: every target for FUZZ_SECONDS (default 600) from fuzz/corpus/, the new coverage
# merged back into it, one row per target in fuzz/campaigns.tsv (docs/hardening.md). FUZZ_TARGETS
# picks targets, each with a duration of its own if wanted: FUZZ_TARGETS="parser:1800 base64".
.PHONY: fuzz-campaign
fuzz-campaign:
	FUZZ_SECONDS="$(FUZZ_SECONDS)" FUZZ_TARGETS="$(FUZZ_TARGETS)" fuzz/campaign.sh

# The format-oracle attack timed on the wall clock (tests/ct/sweep.sh, about a minute): the
# 256-guess sweep of the first iv byte must not single out '{' and whitespace, and a leaky control
# must be caught. A timing measurement, so not part of `make test` (docs/hardening.md).
.PHONY: ct-sweep
ct-sweep:
	tests/ct/sweep.sh

test-firmware:
	tests/firmware/run.sh

# The C ABI against the committed baseline abi/<version>/ (docs/abi.md).
test-abi: lib
	SONAME=$(SONAME) tests/abi/check.sh

# Writes abi/$(VERSION)/ from this tree: only for a release that changes the ABI on purpose.
abi-baseline: lib
	SONAME=$(SONAME) tests/abi/check.sh --bless $(VERSION)

# The crate as crates.io gets it: `cargo package` (contents, and a build of the packaged crate)
# and `cargo publish --dry-run`.
test-crate:
	tests/release/crate.sh

# The werun command as `cargo install --path cli` installs it, run outside the checkout.
.PHONY: test-cli
test-cli:
	tests/release/cli.sh

# The release archive as a team without Rust uses it (C with pkg-config, C++ with CMake).
test-dist: dist
	tests/release/archive.sh target/dist/werun-$(VERSION)-x86_64-linux-gnu.tar.gz

# The Go package from a read-only module copy, against an installed libwerun.
test-go-module: lib
	tests/release/go-module.sh

# A CMake project that add_subdirectory()s this source tree.
test-subproject:
	tests/release/subproject.sh

# Every page's links; every example of README.md and docs/ built and run.
test-docs: lib
	tests/docs/run.sh

# Soak and stress through the C ABI, Python, Go, C++ and Node.js (tests/soak/run.sh,
# docs/hardening.md): `make test-soak` makes 300,000 calls per binding and a short stress;
# `make soak` 1,000,000 per binding (minutes) and prints the table of calls, seconds, RSS and
# throughput with 1, 2 and 4 threads.
.PHONY: soak test-soak
test-soak: lib
	tests/soak/run.sh

soak: lib
	tests/soak/run.sh --full

# The Python package's sdist and manylinux2014 wheels (x86_64, aarch64) in target/dist/
# (setuptools-rust, zig through cargo-zigbuild, auditwheel; tools: .ci/install-python.sh).
.PHONY: python-dist
python-dist:
	bindings/python/build-dist.sh

# One decryption of the bundled sample through the Rust API, the C ABI and werun.hpp, side by side.
.PHONY: bench-c
bench-c: lib
	$(CARGO) build -q --release --features std --example time_sample
	cc -std=c11 -O2 -Iinclude -Itests/vectors tests/c/bench.c $(RELEASE)/libwerun.a \
		-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc -o target/c-bench
	c++ -std=c++17 -O2 -Iinclude -Ibindings/cpp -Itests/vectors bindings/cpp/tests/bench.cpp \
		$(RELEASE)/libwerun.a -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc -o target/cpp-bench
	for i in 1 2 3; do $(RELEASE)/examples/time_sample; target/c-bench; target/cpp-bench; done

# Mutation testing of the core (cargo-mutants; files and test suites in .cargo/mutants.toml):
# every mutant runs the Rust suites, with fewer proptest cases. Hours on 2 cores; accepted
# survivors and the last results are in mutants.md. MUTANTS_ARGS adds options, e.g. a share of
# the mutants: `make mutants MUTANTS_ARGS="-j 2 --shard 0/4"`.
.PHONY: mutants
mutants:
	WERUN_PROPTEST_CASES=64 $(CARGO) mutants $(MUTANTS_ARGS)
