#!/usr/bin/env bash
# The PKCS#7 check runs in constant time: proven by counting, not by timing.
#
# `src/main.rs` calls werun's padding check (`__internals::unpadded_len`, the very function the
# decryption uses, in an optimised build) on 32-byte plaintexts whose padding is valid with every
# length 1..=16, whose count byte is invalid (0, 17, 32, 0x80, 0xFF), whose padding has one wrong
# byte at every position of every length, and on 32 noise blocks. callgrind records each call in
# its own profile (`--dump-after`), instruction by instruction with every conditional jump
# (`--dump-instr=yes --collect-jumps=yes`). Two calls that ran the same instructions the same
# number of times and took the same jumps give identical profiles once the call-site counters and
# the header are removed. The check demands:
#   * every failing case: one identical profile (so no early exit, whatever byte is wrong);
#   * every valid case: one identical profile (so the padding length does not show);
#   * valid and invalid differ by at most 2 instructions: the branch on the result itself, which
#     the caller acts on anyway.
# Deterministic (an instruction count, not a clock); needs valgrind.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v valgrind >/dev/null; then
  echo "ct: valgrind is missing (.ci/install-fuzz.sh installs it)" >&2
  exit 1
fi
cargo build --quiet --release --manifest-path "$root/tests/ct/Cargo.toml" \
  --target-dir "$root/target/ct"
bin="$root/target/ct/release/werun-ct"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure [--naive]: prints the table and returns non-zero when the check is not constant time.
measure() {
  valgrind --tool=callgrind --toggle-collect=werun_ct_probe --dump-after=werun_ct_probe \
    --dump-instr=yes --collect-jumps=yes --compress-strings=no --compress-pos=no \
    --callgrind-out-file="$work/cg" "$bin" "$@" >"$work/cases" 2>"$work/valgrind.log" \
    || { cat "$work/valgrind.log"; echo "ct: the helper failed" >&2; return 1; }

  cases=$(wc -l <"$work/cases")
  i=0
  while IFS=$'\t' read -r class name; do
    i=$((i + 1))
    f="$work/cg.$i"
    [ -f "$f" ] || { echo "ct: no profile for case $i ($name)" >&2; return 1; }
    ir=$(sed -n 's/^summary: //p' "$f")
    shape=$(grep -vE '^(pid|part|cmd|creator|desc: Timerange):' "$f" \
      | sed 's/^calls=[0-9]*/calls=/' | md5sum | cut -c1-12)
    printf '%s\t%s\t%s\t%s\n' "$class" "$shape" "$ir" "$name"
  done <"$work/cases" >"$work/table"
  if [ -f "$work/cg.$((cases + 1))" ]; then
    echo "ct: more profiles than cases" >&2
    return 1
  fi

  fail=0
  for class in valid invalid; do
    shapes=$(awk -F'\t' -v c="$class" '$1 == c { print $2 }' "$work/table" | sort -u | wc -l)
    counts=$(awk -F'\t' -v c="$class" '$1 == c { print $3 }' "$work/table" | sort -u | tr '\n' ' ')
    n=$(awk -F'\t' -v c="$class" '$1 == c' "$work/table" | wc -l)
    echo "ct: $n $class cases: $shapes distinct execution profile(s), instructions: $counts"
    if [ "$shapes" != 1 ]; then
      fail=1
      awk -F'\t' -v c="$class" '$1 == c { print "ct:   " $2 " " $3 " " $4 }' "$work/table"
    fi
  done
  valid_ir=$(awk -F'\t' '$1 == "valid" { print $3; exit }' "$work/table")
  invalid_ir=$(awk -F'\t' '$1 == "invalid" { print $3; exit }' "$work/table")
  diff=$((valid_ir - invalid_ir))
  if [ "${diff#-}" -gt 2 ]; then
    echo "ct: valid and invalid padding differ by $diff instructions (more than the result branch)"
    fail=1
  fi
  if [ "$fail" != 0 ]; then
    echo "ct: the PKCS#7 check is NOT constant time"
    return 1
  fi
}

if measure --naive >"$work/naive.log" 2>&1; then
  cat "$work/naive.log"
  echo "ct: the method failed to flag an early-exit check (--naive): it proves nothing"
  exit 1
fi
echo "ct: control: an early-exit check is flagged ($(grep '^ct:   ' "$work/naive.log" | awk '{print $2}' | sort -u | wc -l) distinct profiles)"
rm -f "$work"/cg.*
measure
echo "ct: $cases cases, the PKCS#7 check runs the same instructions whatever the pad bytes: 1 passed, 0 failed"
