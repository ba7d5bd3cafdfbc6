#!/usr/bin/env bash
# The Node.js binding's tests, run by `make test-node` (after `make lib`):
#   1. `npm ci` when node_modules is missing or older than package-lock.json (koffi, and
#      typescript + @types/node for the type check);
#   2. tsc --noEmit over test/types/consumer.{cts,mts}: index.d.ts as CommonJS and ESM
#      consumers see it;
#   3. node --test against target/release/libwerun.so: every vector, the API's argument
#      rules, re-entrant calls from getters, loading, the header, the ES module entry point,
#      worker_threads;
#   3b. run-valgrind.sh: test/reentrancy.test.js (small) under valgrind, which must stay clean;
#   4. test-pack.sh: `npm pack`, installed into a fresh project outside the checkout, smoke
#      tested there with cargo off PATH;
#   5. bench.js on a small generated dataset (a smoke run: checksums, not speed).
# Needs node (18+), npm and valgrind (.ci/install-node.sh installs them and runs `npm ci`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lib="$root/target/release/libwerun.so"
[ -f "$lib" ] || { echo "run-tests.sh: $lib is missing: run \`make lib\` first" >&2; exit 1; }
cd "$here"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
echo "== node $(node --version), npm $(npm --version)"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci"
  npm ci --silent
fi

echo "== tsc --noEmit -p test/types (index.d.ts, index.d.mts)"
node_modules/.bin/tsc -p test/types

echo "== node --test (WERUN_LIBRARY=$lib)"
WERUN_LIBRARY="$lib" node --test test/*.test.js test/*.test.mjs

echo "== run-valgrind.sh (test/reentrancy.test.js under valgrind, WERUN_QUICK=1)"
WERUN_LIBRARY="$lib" ./run-valgrind.sh

echo "== npm pack, installed into a fresh project"
./test-pack.sh

echo "== bench.js smoke run (checksums, not speed: 200 payloads, one pass)"
dataset=$(mktemp "${TMPDIR:-/tmp}/werun-node-bench.XXXXXX")
trap 'rm -f "$dataset"' EXIT
WERUN_LIBRARY="$lib" node bench.js --generate 200 "$dataset"
WERUN_LIBRARY="$lib" node bench.js "$dataset" --reps 1 --warmup 0 --compare
