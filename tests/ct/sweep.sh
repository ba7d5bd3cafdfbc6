#!/usr/bin/env bash
# The format-oracle attack of issue 24 timed on the wall clock (tests/ct/src/bin/sweep.rs): one
# block X as encryptedData, the first iv byte swept over its 256 values; the 5 guesses that make
# the plaintext's first byte '{' or JSON whitespace (the "hits") must not be singled out by
# werun::decrypt_steps' time. Each guess's time is the median of SWEEP_ROUNDS batches (default
# 2000) of 16 calls, the guesses interleaved in a random order each round; the guesses are ranked
# by it (1 = slowest), SWEEP_RUNS times (default 3), each with a fresh X.
#   control  the reader as it was before the fix (decode, decrypt, parse_werun whatever the
#            padding) must be caught: the hits the 5 slowest, or their mean rank in the top 5 %,
#            in a majority of runs. Otherwise the method proves nothing, and this fails.
#   werun    fails when the hits are the 5 slowest in a majority of runs, or their mean rank
#            over all runs is in the top 5 % (<= 12.8; 128.5 expected).
# A clock on a shared machine: not part of `make test` (`make ct-sweep`); tests/ct/run.sh is the
# deterministic check (instruction counts). About a minute on 2 cores (werun's failed one-block
# call takes ~1.6 us, the control's ~0.16 us).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${SWEEP_RUNS:-3}
rounds=${SWEEP_ROUNDS:-2000}
cargo build --quiet --release --manifest-path "$root/tests/ct/Cargo.toml" \
  --target-dir "$root/target/ct" --bin sweep
bin="$root/target/ct/release/sweep"
model=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
echo "ct-sweep: ${model:-unknown CPU}, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
status=0
echo
if ! "$bin" --control --runs "$runs" --rounds "$rounds"; then
  echo "ct-sweep: the control's leak was not detected: the measurement proves nothing" >&2
  status=1
fi
echo
if ! "$bin" --runs "$runs" --rounds "$rounds"; then
  echo "ct-sweep: werun::decrypt_steps' time singles out the hits" >&2
  status=1
fi
exit "$status"
