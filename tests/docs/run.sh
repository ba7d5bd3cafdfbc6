#!/usr/bin/env bash
# The documentation's own test (`make test-docs`): tests/docs/check.py checks links and that
# every code block of README.md and docs/*.md is a runnable program (a block in a language no
# test runs fails the check, unless check.py names it); then each C, C++, Python and JavaScript
# block is built (-Wall -Wextra -Werror -pedantic; C11, C++17, against target/release/libwerun.a)
# or run (Python and Node.js against target/release/libwerun.so; `require('werun')` is
# bindings/node, with its node_modules from .ci/install-node.sh), and must print the test
# vector's one entry, "1717171200 21014". (The Rust block runs
# as a doctest, the Go block from the module cache: tests/release/go-module.sh; docs/c-abi.md's
# C example in tests/c/run.sh and tests/release/.)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=$(mktemp -d "${TMPDIR:-/tmp}/werun-docs.XXXXXX")
trap 'rm -rf "$work"' EXIT
lib=target/release/libwerun.a
[ -f "$lib" ] || { echo "build the library first: make lib" >&2; exit 1; }
native=(-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc)
expected="1717171200 21014"

blocks=$(python3 tests/docs/check.py "$work")
if grep -q '\.js$' <<<"$blocks"; then
  # A block that cannot run is a failure, not a skip.
  command -v node >/dev/null || { echo "tests/docs: node not found (.ci/install-node.sh)" >&2; exit 1; }
  [ -d bindings/node/node_modules/koffi ] ||
    { echo "tests/docs: bindings/node/node_modules is missing (.ci/install-node.sh)" >&2; exit 1; }
  mkdir "$work/node_modules"
  ln -s "$root/bindings/node" "$work/node_modules/werun"
fi
for block in $blocks; do
  src=$work/$block
  case $block in
    *.c) cc -std=c11 -Wall -Wextra -Werror -pedantic -Iinclude "$src" "$lib" "${native[@]}" -o "$src.bin"
         run=("$src.bin") ;;
    *.cpp) c++ -std=c++17 -Wall -Wextra -Werror -pedantic -Iinclude -Ibindings/cpp "$src" "$lib" \
             "${native[@]}" -o "$src.bin"
           run=("$src.bin") ;;
    *.py) run=(env PYTHONPATH=bindings/python WERUN_LIBRARY="$root/target/release/libwerun.so" \
               python3 -W error "$src") ;;
    *.js) run=(env WERUN_LIBRARY="$root/target/release/libwerun.so" node "$src") ;;
  esac
  got=$("${run[@]}") || { echo "tests/docs: $block failed" >&2; exit 1; }
  [ "$got" = "$expected" ] || { echo "tests/docs: $block printed '$got', not '$expected'" >&2; exit 1; }
  echo "ok: $block"
done
echo "docs: links and examples ok"
