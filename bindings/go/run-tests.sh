#!/bin/sh
# Tests of the Go binding: gofmt, go vet, the tests under the race detector with cgo pointer
# checks, and a benchmark smoke run, against the shared library; then the vectors again with the
# static library (-tags werun_static). The package finds libwerun with pkg-config, so this
# script installs what `make lib` built into a staging prefix, target/go-prefix, and points
# PKG_CONFIG_PATH (and LD_LIBRARY_PATH) there. Needs target/release/libwerun.{a,so} (`make lib`;
# `make test-go` builds them first).
set -eu
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)

if [ ! -f "$root/target/release/libwerun.a" ] || [ ! -f "$root/target/release/libwerun.so" ]; then
  echo "run-tests.sh: $root/target/release/libwerun.{a,so} are missing: run 'make lib' first" >&2
  exit 1
fi
prefix=$root/target/go-prefix
rm -rf "$prefix"
make -C "$root" --no-print-directory -s install PREFIX="$prefix" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
export LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# Go's build cache does not hash a header or a library found outside the module (pkg-config's
# include directory, libwerun.a): with a warm cache, a regenerated header (a renamed struct
# field) or a new libwerun.a would still pass on the old build. Their hash in CGO_CFLAGS is part
# of every cgo action's key, so a change rebuilds this package (only it: seconds), and an
# unchanged tree keeps the cache. (Go's default CGO_CFLAGS is "-O2 -g".)
stamp=$(cat "$prefix/include/werun.h" "$prefix/lib/libwerun.a" "$prefix/lib/libwerun.so" | sha256sum | cut -c1-16)
export CGO_CFLAGS="${CGO_CFLAGS:--O2 -g} -DWERUN_BUILD_STAMP=$stamp"
echo "== cgo cache key: the installed header and libraries, sha256 $stamp"

echo "== gofmt"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "gofmt: not formatted: $unformatted" >&2
  exit 1
fi

echo "== go vet"
go vet ./...

echo "== go test -race (GODEBUG=cgocheck=1)"
GODEBUG=cgocheck=1 go test -race -count=1 ./...

echo "== go test (allocation counts need the race detector off)"
GODEBUG=cgocheck=1 go test -count=1 -run 'TestAllocations|TestVectors|Example' ./...

echo "== benchmark smoke"
go test -run '^$' -bench . -benchtime 100x -benchmem ./...

echo "== static library (-tags werun_static): go vet, the vectors and the examples"
go vet -tags werun_static ./...
GODEBUG=cgocheck=1 go test -tags werun_static -count=1 -run 'TestVectors|Example' ./...
