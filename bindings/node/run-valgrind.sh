#!/usr/bin/env bash
# test/reentrancy.test.js under valgrind (memcheck), run by run-tests.sh: nested calls from
# getters, Proxies and accessors must leave no invalid read or write in libwerun (a call that
# points at options another call freed, as the 0.1.0 options cache allowed). WERUN_QUICK=1
# keeps it small (each hook makes a few nested calls instead of ~80); about 20-25 s here.
# test/valgrind.supp hides koffi's accesses around its own call stack, nothing in libwerun.
# Needs valgrind (.ci/install-node.sh installs it) and `make lib`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lib="${WERUN_LIBRARY:-$root/target/release/libwerun.so}"
command -v valgrind >/dev/null 2>&1 ||
  { echo "run-valgrind.sh: valgrind is missing (.ci/install-node.sh installs it)" >&2; exit 1; }
cd "$here"
out=$(mktemp "${TMPDIR:-/tmp}/werun-node-valgrind.XXXXXX")
trap 'rm -f "$out"' EXIT
if ! WERUN_QUICK=1 WERUN_LIBRARY="$lib" valgrind --quiet --error-exitcode=1 \
    --suppressions="$here/test/valgrind.supp" node test/reentrancy.test.js >"$out"; then
  grep -E '^(not )?ok|^# (pass|fail)' "$out" >&2 || true
  echo "run-valgrind.sh: FAILED (valgrind errors above, or a failed test)" >&2
  exit 1
fi
echo "run-valgrind.sh: test/reentrancy.test.js under valgrind: no errors"
