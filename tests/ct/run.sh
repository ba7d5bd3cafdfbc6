#!/usr/bin/env bash
# werun's secret-dependent code runs in constant time: proven by counting, not by timing.
#
# `src/main.rs` runs one check per invocation (`padding`, `key`, `decrypt`; see its header) and
# calls the measured code once per case through a `#[no_mangle]` probe. callgrind records each
# call in its own profile (`--dump-after`), instruction by instruction with every conditional
# jump (`--dump-instr=yes --collect-jumps=yes`). Two calls that ran the same instructions the
# same number of times and took the same jumps give identical profiles once the call-site
# counters and the header are removed. The checks demand:
#   padding  every failing case: one identical profile (no early exit, whatever byte is wrong);
#            every valid case: one identical profile (the padding length does not show); valid
#            and invalid differ by at most 2 instructions (the branch on the result itself).
#   key      every key in strict mode: one identical profile; every key in repair mode
#            (including ' ', '-', '_' for '+' and '/'): one identical profile; every percent-
#            encoded key of one length: one identical profile. Keys cover the whole alphabet at
#            every position.
#   decrypt  for a garbled first, middle or next-to-last block: the call with a valid padding
#            (the JSON fails in the garbled block) and the calls with a wrong padding (count
#            byte or pad byte) execute the same number of instructions, within DECRYPT_TOLERANCE
#            (the match on the padding verdict after the parse). This is what a padding-oracle
#            attacker measures.
#   format   every decrypting entry point of the C ABI (werun_decrypt_steps, its in-place and
#            candidate-key forms, werun_open_data and its in-place form), on failed calls grouped
#            by input length: one-block plaintexts that break at byte 0, 1, after whitespace, in
#            a string, after '{"stepInfoList":', or are JSON but not WeRun data; a 31-entry
#            document broken at every byte (padding valid and wrong) and with garbled blocks;
#            candidate keys with the right key among them, and successes with the right key at
#            each index: each class one identical profile (a spread of 0 instructions). And the
#            attack itself: the first iv byte swept over 256 guesses must not single out any
#            (today's reader ranks the guesses that make the byte '{' or whitespace first).
# Each check first runs its control (`--control`: an early-exit padding check, a decoder that
# branches on each character's class, the decryption as it was before the oracle was closed),
# which must be flagged, or the method proves nothing. A control counts as flagged only when
# its measurement ran and its profiles differ (a crash of the helper is a failure of the test).
# Deterministic (instruction counts, not a clock); needs valgrind.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
DECRYPT_TOLERANCE=0
if ! command -v valgrind >/dev/null; then
  echo "ct: valgrind is missing (.ci/install-fuzz.sh installs it)" >&2
  exit 1
fi
cargo build --quiet --release --manifest-path "$root/tests/ct/Cargo.toml" \
  --target-dir "$root/target/ct"
bin="$root/target/ct/release/werun-ct"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# profile CHECK PROBE [--control]: runs the helper under callgrind and writes $work/table
# (class, profile hash, instructions, case name); returns 2 when the helper itself failed.
profile() {
  local check=$1 probe=$2
  shift 2
  rm -f "$work"/cg.*
  valgrind --tool=callgrind --toggle-collect="$probe" --dump-after="$probe" \
    --dump-instr=yes --collect-jumps=yes --compress-strings=no --compress-pos=no \
    --callgrind-out-file="$work/cg" "$bin" "$check" "$@" >"$work/cases" 2>"$work/valgrind.log" \
    || { cat "$work/valgrind.log"; echo "ct: the helper failed ($check $*)" >&2; return 2; }
  cases=$(wc -l <"$work/cases")
  local i=0 class name f ir shape
  while IFS=$'\t' read -r class name; do
    i=$((i + 1))
    f="$work/cg.$i"
    [ -f "$f" ] || { echo "ct: no profile for case $i ($name)" >&2; return 2; }
    ir=$(sed -n 's/^summary: //p' "$f")
    # The shape is the helper's own code (werun is linked into it statically), instruction by
    # instruction with every jump; the shared C library's functions (memcpy, memset: fixed
    # sizes here) are left out of it, because callgrind also counts their jumps outside the
    # measured calls and reports them in the next dump. Their instructions stay in the total.
    shape=$(awk '/^ob=/ { shared = ($0 ~ /\.so(\.[0-9]+)*$/) } !shared' "$f" \
      | grep -vE '^(pid|part|cmd|creator|desc: Timerange):' \
      | sed 's/^calls=[0-9]*/calls=/' | md5sum | cut -c1-12)
    printf '%s\t%s\t%s\t%s\n' "$class" "$shape" "$ir" "$name"
  done <"$work/cases" >"$work/table"
  if [ -f "$work/cg.$((cases + 1))" ]; then
    echo "ct: more profiles than cases" >&2
    return 2
  fi
}

# (The first call of each run is a warm-up: its dump also holds the process start-up's jumps.)
classes() { awk -F'\t' '$1 != "warmup" { print $1 }' "$work/table" | sort -u; }
in_class() { awk -F'\t' -v c="$1" '$1 == c' "$work/table"; }

# judge CHECK: prints the verdict per class; returns 1 when a class leaks.
judge() {
  local check=$1 fail=0 class shapes counts n lo hi
  while read -r class; do
    n=$(in_class "$class" | wc -l)
    shapes=$(in_class "$class" | cut -f2 | sort -u | wc -l)
    counts=$(in_class "$class" | cut -f3 | sort -n | uniq | tr '\n' ' ')
    lo=$(in_class "$class" | cut -f3 | sort -n | head -n 1)
    hi=$(in_class "$class" | cut -f3 | sort -n | tail -n 1)
    case $check in
      decrypt)
        echo "ct: $class: $n calls, instructions: $counts"
        if [ $((hi - lo)) -gt "$DECRYPT_TOLERANCE" ]; then
          fail=1
          in_class "$class" | awk -F'\t' '{ print "ct:   " $3 " " $4 }'
        fi
        ;;
      *)
        echo "ct: $n $class cases: $shapes distinct execution profile(s), instructions: $counts"
        if [ "$shapes" != 1 ]; then
          fail=1
          in_class "$class" | awk -F'\t' '{ print "ct:   " $2 " " $3 " " $4 }' | head -n 20
        fi
        ;;
    esac
  done < <(classes)
  if [ "$check" = format ]; then
    attack
  fi
  if [ "$check" = padding ]; then
    local valid_ir invalid_ir diff
    valid_ir=$(in_class valid | cut -f3 | head -n 1)
    invalid_ir=$(in_class invalid | cut -f3 | head -n 1)
    diff=$((valid_ir - invalid_ir))
    if [ "${diff#-}" -gt 2 ]; then
      echo "ct: valid and invalid padding differ by $diff instructions (more than the result branch)"
      fail=1
    fi
  fi
  return "$fail"
}

# The attack of issue 24 on one byte, from instruction counts: the guesses with the most
# instructions. It succeeds when those are exactly the guesses that make the plaintext's first
# byte '{' or whitespace (marked "hit"), and they cost more than every other guess: then
# D_K(X)[0] is known.
attack() {
  local top hits n_top
  top=$(in_class "attack: first iv byte swept" | sort -t$'\t' -k3,3nr | awk -F'\t' 'NR == 1 { max = $3 } $3 == max' )
  n_top=$(printf '%s\n' "$top" | grep -c . || true)
  hits=$(printf '%s\n' "$top" | grep -c ' hit$' || true)
  local all_hits
  all_hits=$(in_class "attack: first iv byte swept" | grep -c ' hit$' || true)
  local distinct
  distinct=$(in_class "attack: first iv byte swept" | cut -f3 | sort -u | wc -l)
  if [ "$distinct" -gt 1 ] && [ "$hits" -ge 1 ] && [ "$hits" = "$n_top" ]; then
    echo "ct: attack: the most expensive guesses ($n_top) are all 'hits' ($all_hits in all): D_K(X)[0] recovered"
  else
    echo "ct: attack: no signal ($distinct distinct instruction count(s) over 256 guesses)"
  fi
}

passed=0
for spec in "padding:werun_ct_padding:the PKCS#7 check" \
            "key:werun_ct_key:the session_key decoding (strict and repair)" \
            "decrypt:werun_ct_decrypt:decryption with a good and a bad padding" \
            "format:werun_ct_format:every decrypting entry point, wherever the plaintext breaks"; do
  IFS=: read -r check probe what <<<"$spec"
  # The control first: its measurement must run, and must be judged leaky.
  profile "$check" "$probe" --control || { echo "ct: $check: the control could not be measured" >&2; exit 1; }
  if judge "$check" >"$work/control.log" 2>&1; then
    cat "$work/control.log"
    echo "ct: $check: the method failed to flag the leaky control: it proves nothing" >&2
    exit 1
  fi
  echo "ct: $check: control flagged ($(grep -c '^ct:   ' "$work/control.log") line(s) of evidence)"
  if [ "$check" = format ]; then
    # The attack must work on the control, or its "no signal" on werun proves nothing.
    grep '^ct: attack' "$work/control.log" | sed 's/^ct: attack/ct: attack on the control/'
    grep -q '^ct: attack: .*recovered' "$work/control.log" ||
      { echo "ct: format: the attack failed on the control: it proves nothing" >&2; exit 1; }
  fi
  profile "$check" "$probe" || exit 1
  if ! judge "$check"; then
    echo "ct: $what is NOT constant time" >&2
    exit 1
  fi
  echo "ct: $check: $cases cases, $what runs the same instructions whatever the secret"
  passed=$((passed + 1))
done
echo "ct: $passed passed, 0 failed"
