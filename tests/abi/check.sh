#!/usr/bin/env bash
# The ABI check (`make test-abi`): the C ABI of this tree against the newest committed baseline
# in abi/<version>/ (werun.h and libwerun.abi, the library's ABI as libabigail reads it).
#
# 1. Header: a C11 program generated from the baseline header (tests/abi/header_check.py) is
#    compiled against include/werun.h with -Werror: every #define (ABI version, capacity, option
#    flags, diagnoses) and status value, every struct's size, field offsets and field sizes,
#    the werun_status typedef and every prototype (const-ness included) must be the baseline's.
#    It is linked against target/release/libwerun.a and libwerun.so and run, so every baseline
#    function must still be exported.
# 2. Library: the soname of target/release/libwerun.so must be the baseline's.
# 3. Library, from its debug information: abidiff (libabigail) compares a debug build of the
#    shared library with the baseline: removed or changed functions, parameter and return
#    types, struct sizes and field offsets, enumerator values, the soname. Additions (new
#    functions, new enumerators at the end) pass.
#
# libabigail reads Rust's DWARF well (functions, repr(C) structs, the werun_status enum), but
# the #define constants, `const` on pointers and the C typedefs exist only in the header:
# hence both checks. The release library carries no debug information, so step 3 reads a debug
# build of the same source (the layout does not depend on the optimisation level).
#
#   tests/abi/check.sh                  check against the newest abi/<version>/
#   tests/abi/check.sh --bless VERSION  write abi/VERSION/ from this tree (an intentional ABI
#                                       change: see docs/abi.md)
#   SONAME   the shared library's soname (the Makefile passes its SONAME)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
SONAME=${SONAME:-libwerun.so.0}
fail() { echo "ABI check: FAILED: $*" >&2; exit 1; }
for tool in abidw abidiff python3 cc readelf; do
  command -v "$tool" >/dev/null || fail "$tool not found (abigail-tools: .ci/install-release.sh)"
done
work=$(mktemp -d "${TMPDIR:-/tmp}/werun-abi.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The shared library with debug information (dev profile), soname as `make lib` gives it.
abi_dump() {
  local json so
  json=$(cargo rustc -q --lib --features std --crate-type cdylib --message-format=json \
    -- -C link-arg=-Wl,-soname,"$SONAME")
  so=$(python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "werun":
        print(*[f for f in m["filenames"] if f.endswith(".so")])' <<<"$json")
  [ -f "$so" ] || fail "no shared library from cargo rustc"
  abidw --no-show-locs --no-comp-dir-path --no-corpus-path --no-elf-needed \
    --drop-undefined-syms --type-id-style hash "$so"
}

if [ "${1-}" = --bless ]; then
  version=${2:?usage: check.sh --bless VERSION}
  mkdir -p "abi/$version"
  cp include/werun.h "abi/$version/werun.h"
  abi_dump >"abi/$version/libwerun.abi"
  echo "wrote abi/$version/werun.h and abi/$version/libwerun.abi"
  exit 0
fi

baseline=${WERUN_ABI_BASELINE:-abi/$(ls abi | grep -E '^[0-9]+\.[0-9]+\.[0-9]+' | sort -V | tail -n 1)}
[ -f "$baseline/werun.h" ] && [ -f "$baseline/libwerun.abi" ] || fail "no baseline in $baseline"
lib=target/release
[ -f "$lib/libwerun.a" ] && [ -f "$lib/libwerun.so" ] || fail "build the library first: make lib"
echo "== ABI of this tree against $baseline"

echo "-- header: values, layouts, prototypes"
mkdir "$work/baseline"
cp "$baseline/werun.h" "$work/baseline/werun.h"
python3 tests/abi/header_check.py --probe "$baseline/werun.h" >"$work/probe.c"
cc -std=c11 -I"$work/baseline" "$work/probe.c" -o "$work/probe"
"$work/probe" >"$work/layout.txt"
python3 tests/abi/header_check.py "$baseline/werun.h" "$work/layout.txt" >"$work/check.c"
cflags=(-std=c11 -Wall -Wextra -Werror -pedantic -Iinclude)
cc "${cflags[@]}" -c "$work/check.c" -o "$work/check.o" 2>"$work/cc.log" || {
  grep -E 'error' "$work/cc.log" >&2
  fail "include/werun.h breaks the ABI of $baseline/werun.h"
}
echo "-- header: every baseline function is exported (static and shared)"
cc "$work/check.o" "$lib/libwerun.a" -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc \
  -o "$work/check-static" 2>"$work/ld.log" || { cat "$work/ld.log" >&2; fail "libwerun.a lacks a baseline function"; }
mkdir "$work/so"
cp "$lib/libwerun.so" "$work/so/$SONAME"
ln -s "$SONAME" "$work/so/libwerun.so"
cc "$work/check.o" -L"$work/so" -lwerun -Wl,-rpath,"$work/so" -o "$work/check-shared" \
  2>"$work/ld.log" || { cat "$work/ld.log" >&2; fail "libwerun.so lacks a baseline function"; }
"$work/check-static" || fail "check-static: werun_abi_version() is not WERUN_ABI_VERSION"
"$work/check-shared" || fail "check-shared: werun_abi_version() is not WERUN_ABI_VERSION"

echo "-- soname"
want=$(sed -n "s/.*<abi-corpus [^>]*soname='\([^']*\)'.*/\1/p" "$baseline/libwerun.abi")
got=$(readelf -d "$lib/libwerun.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$got" = "$want" ] || fail "target/release/libwerun.so has soname '$got', the baseline '$want'"

echo "-- library: abidiff against $baseline/libwerun.abi"
abi_dump >"$work/current.abi"
set +e
abidiff --no-added-syms "$baseline/libwerun.abi" "$work/current.abi" >"$work/abidiff.txt"
status=$?
set -e
if [ "$status" != 0 ]; then
  cat "$work/abidiff.txt" >&2
  fail "abidiff reports ABI changes against $baseline (exit status $status)"
fi
echo "ABI check passed: include/werun.h, $lib/libwerun.{a,so} and the library's debug information agree with $baseline"
