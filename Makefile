# werun: one place for the commands the README documents.
#
#   make lib                 libwerun.a and libwerun.so in target/release (the C ABI)
#   make install PREFIX=...  header, libraries, pkg-config and CMake files under PREFIX
#   make test                every test: Rust, C (ASan/UBSan, valgrind), Python, Go, C++,
#                            fuzz smoke runs, firmware under QEMU
#
# Each language's tests live beside their code and are run by one script each.

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
CARGO ?= cargo
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
RELEASE := target/release

.PHONY: all lib install test test-rust test-c test-python test-go test-cpp test-fuzz test-firmware

all: lib

# The crate is an rlib (so bare-metal builds need no panic handler); the C artifacts are built
# with `cargo rustc --crate-type`, with `std` so that panics are caught at the boundary.
lib:
	$(CARGO) rustc --release --lib --features std --crate-type staticlib,cdylib -- \
		-C link-arg=-Wl,-soname,libwerun.so.0

install: lib
	install -d $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(LIBDIR)/cmake/werun
	install -m 644 include/werun.h $(DESTDIR)$(INCLUDEDIR)/werun.h
	install -m 644 $(RELEASE)/libwerun.a $(DESTDIR)$(LIBDIR)/libwerun.a
	install -m 755 $(RELEASE)/libwerun.so $(DESTDIR)$(LIBDIR)/libwerun.so.$(VERSION)
	ln -sf libwerun.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libwerun.so.0
	ln -sf libwerun.so.0 $(DESTDIR)$(LIBDIR)/libwerun.so
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
	    werun.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/werun.pc
	if [ -d bindings/cpp/cmake ]; then \
	  sed -e 's|@VERSION@|$(VERSION)|g' bindings/cpp/cmake/werunConfigVersion.cmake.in \
	    > $(DESTDIR)$(LIBDIR)/cmake/werun/werunConfigVersion.cmake; \
	  install -m 644 bindings/cpp/cmake/werunConfig.cmake $(DESTDIR)$(LIBDIR)/cmake/werun/; \
	  install -m 644 bindings/cpp/werun.hpp $(DESTDIR)$(INCLUDEDIR)/werun.hpp; \
	fi

test: test-rust test-c test-python test-go test-cpp test-node test-fuzz test-firmware

test-rust:
	$(CARGO) build --examples
	$(CARGO) test --all-targets
	$(CARGO) test --all-targets --features std
	$(CARGO) test --doc
	tests/secrets.sh

test-c: lib
	tests/c/run.sh

test-python: lib
	bindings/python/run-tests.sh
	bindings/python/test-dist.sh

test-go: lib
	bindings/go/run-tests.sh

test-cpp: lib
	bindings/cpp/run-tests.sh

.PHONY: test-node
test-node: lib
	bindings/node/run-tests.sh

test-fuzz:
	fuzz/smoke.sh

test-firmware:
	tests/firmware/run.sh

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
