#!/usr/bin/env bash
# The Go package as users get it (`make test-go-module`): bindings/go is published, as Go's
# module proxy protocol would serve it, from a file proxy (GOPROXY=file://...) holding the module
# zip of github.com/werun-dev/werun/bindings/go@v0.1.0; a consumer module outside the checkout
# `go get`s it into a fresh module cache (which Go keeps read-only) and builds against libwerun
# installed with `make install PREFIX=<tmp>`, found through pkg-config. `go vet`, then `go run`
# (shared library; tests/release/go-consumer/main.go: the sample's 31 entries, WeChat's
# official demo through OpenData, errors.Is(err, werun.StatusAppIDMismatch) for a wrong appid)
# and `go run -tags werun_static` (the static library; the binary must not need libwerun.so).
# The Go examples of README.md and bindings/go/README.md run from the same module cache.
source "$(dirname "$0")/common.sh"
command -v go >/dev/null || fail "go not found (.ci/install-go.sh)"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
module=$(sed -n 's/^module //p' "$root/bindings/go/go.mod")
[ "$module" = github.com/werun-dev/werun/bindings/go ] || fail "unexpected module path $module"

echo "== make install PREFIX=$work/prefix"
make -C "$root" --no-print-directory -s install PREFIX="$work/prefix" >/dev/null
export PKG_CONFIG_PATH=$work/prefix/lib/pkgconfig
export LD_LIBRARY_PATH=$work/prefix/lib   # for the shared library at run time

echo "== the module zip of $module@v$version in a file proxy"
proxy=$work/proxy/$module/@v
mkdir -p "$proxy"
python3 - "$root/bindings/go" "$module@v$version" "$proxy/v$version.zip" <<'PY'
import os, sys, zipfile
src, prefix, out = sys.argv[1:]
with zipfile.ZipFile(out, "w") as z:
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = sorted(d for d in dirnames if not os.path.exists(os.path.join(dirpath, d, "go.mod")))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            z.write(path, prefix + "/" + os.path.relpath(path, src))
PY
cp "$root/bindings/go/go.mod" "$proxy/v$version.mod"
echo "{\"Version\":\"v$version\",\"Time\":\"2026-01-01T00:00:00Z\"}" >"$proxy/v$version.info"
echo "v$version" >"$proxy/list"

export GOPROXY=file://$work/proxy GOSUMDB=off GOFLAGS=-mod=mod GOMODCACHE=$work/gomodcache
export GOTOOLCHAIN=local GOWORK=off
consumer=$work/consumer
mkdir -p "$consumer/readme"
cp "$root/tests/release/go-consumer/main.go" "$consumer/main.go"
mkdir -p "$consumer/gopage"
sed -n '/<!-- run: go -->/,/^```$/p' "$root/README.md" | sed '1,2d;$d' >"$consumer/readme/main.go"
sed -n '/<!-- run: go -->/,/^```$/p' "$root/bindings/go/README.md" | sed '1,2d;$d' >"$consumer/gopage/main.go"
for f in readme/main.go gopage/main.go; do
  grep -q '^package main' "$consumer/$f" || fail "no Go program after <!-- run: go --> for $f"
  [ -z "$(gofmt -l "$consumer/$f")" ] || fail "the Go example for $f is not gofmt-formatted"
done
printf 'module example.com/werun-consumer\n\ngo 1.19\n' >"$consumer/go.mod"
cd "$consumer"
go get "$module@v$version" 2>"$work/get.log" || { cat "$work/get.log" >&2; fail "go get"; }
cached=$GOMODCACHE/$module@v$version
[ -f "$cached/werun.go" ] || fail "the module is not in the module cache"
# Go keeps it read-only (mode bits: root could write anyway); nothing may be written into it.
writable=$(find "$cached" -perm /222)
[ -z "$writable" ] || fail "writable files in the module cache: $writable"
touch "$work/stamp"
sleep 1

read -r dkey div dappid ddata < <(python3 -c '
import json, sys
v = next(v for v in json.load(open(sys.argv[1]))["vectors"] if v["id"] == "official-demo-userinfo")
print(v["sessionKey"], v["iv"], v["appId"], v["encryptedData"])' "$root/tests/vectors/real-world.json")

echo "== go vet"
go vet ./... && go vet -tags werun_static ./...
echo "== go run (shared library)"
got=$(go run . "$key" "$iv" "$appid" "$data" "$dkey" "$div" "$dappid" "$ddata" 2>"$work/err") ||
  { cat "$work/err" >&2; fail "go run"; }
[ "$got" = "$expected" ] || fail "go run printed something else than the sample's entries"
cat "$work/err"
go build -o "$work/app-shared" .
needed "$work/app-shared" | grep -qx libwerun.so.0 || fail "the default build does not use libwerun.so.0"
echo "== go run -tags werun_static (static library)"
got=$(env -u LD_LIBRARY_PATH go run -tags werun_static . "$key" "$iv" "$appid" "$data" "$dkey" \
  "$div" "$dappid" "$ddata" 2>"$work/err") || { cat "$work/err" >&2; fail "go run -tags werun_static"; }
[ "$got" = "$expected" ] || fail "go run -tags werun_static printed something else"
go build -tags werun_static -o "$work/app-static" .
! needed "$work/app-static" | grep -q libwerun || fail "-tags werun_static still needs libwerun.so"
echo "== the Go examples of README.md and bindings/go/README.md"
for example in readme gopage; do
  got=$(go run "./$example") || fail "the Go example $example failed"
  [ "$got" = "1717171200 21014" ] || fail "the Go example $example printed: $got"
done
changed=$(find "$cached" -newer "$work/stamp")
[ -z "$changed" ] || fail "the builds wrote into the module cache: $changed"
done_in
