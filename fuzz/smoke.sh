#!/usr/bin/env bash
# Smoke-runs every fuzz target for a short time (FUZZ_SECONDS each, default 20) from its
# committed corpus (fuzz/corpus/<target>, the coverage earlier campaigns reached) and its seeds
# (fuzz/seeds/<target>), fails on any crash, replays fuzz/regressions/, then runs the
# constant-time check of the padding (tests/ct/run.sh). Nothing in the checkout is written: new
# inputs go to a scratch corpus that is deleted afterwards. A campaign that keeps what it finds
# (merged into fuzz/corpus/) is fuzz/campaign.sh (`make fuzz-campaign FUZZ_SECONDS=...`).
# Built with -a (debug assertions and overflow checks, as `cargo fuzz run` without -O): a
# harness or library overflow is a crash here, as in an ad-hoc campaign (the base64 target's
# regressions/base64/lone-percent-underflow passed silently in an -O build without -a).
# Needs the nightly toolchain with cargo-fuzz (.ci/install-fuzz.sh installs it) and valgrind.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${FUZZ_SECONDS:-20}
targets=(ffi_decrypt ffi_keys parser base64 differential)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo +nightly fuzz build -O -a
for t in "${targets[@]}"; do
  mkdir -p "$work/$t"
  echo "fuzz: $t for ${seconds}s"
  # New inputs go to a scratch corpus (libFuzzer writes to the first directory only); the
  # checked-in corpus, seeds and regressions are only read.
  if ! cargo +nightly fuzz run -O -a "$t" "$work/$t" "corpus/$t" "seeds/$t" -- \
      -max_total_time="$seconds" -print_final_stats=1 -close_fd_mask=1 \
      >"$work/$t.log" 2>&1; then
    tail -n 60 "$work/$t.log"
    echo "fuzz: $t FAILED (the crashing input is in fuzz/artifacts/$t/)"
    exit 1
  fi
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)' "$work/$t.log" \
    | sed "s/^/fuzz: $t: /"
  grep -E '^#[0-9]+[[:space:]]+DONE' "$work/$t.log" | sed "s/^/fuzz: $t: /" || true
done

# Inputs that once found a bug (fuzz/regressions/<target>/*) are replayed on every run.
for t in "${targets[@]}"; do
  if [ -d "regressions/$t" ] && [ -n "$(ls -A "regressions/$t")" ]; then
    cargo +nightly fuzz run -O -a "$t" "regressions/$t"/* -- -runs=1 >"$work/$t.replay.log" 2>&1 \
      || { tail -n 40 "$work/$t.replay.log"; echo "fuzz: regression of $t FAILED"; exit 1; }
    echo "fuzz: $t: regressions replayed"
  fi
done

../tests/ct/run.sh
echo "fuzz smoke: ${#targets[@]} passed, 0 failed"
