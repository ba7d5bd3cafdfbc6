#!/bin/sh
# Tests of the Go binding: gofmt, go vet, the tests under the race detector with cgo pointer
# checks, and a benchmark smoke run. Needs target/release/libwerun.a (`make lib`; `make test-go`
# builds it first).
set -eu
cd "$(dirname "$0")"

if [ ! -f ../../target/release/libwerun.a ]; then
  echo "run-tests.sh: ../../target/release/libwerun.a is missing: run 'make lib' first" >&2
  exit 1
fi

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
