# Sourced by the tests of tests/release/: the checkout's root, a scratch directory outside it,
# the bundled sample (tests/vectors/werun.json) and what it must print, and helpers.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
name=$(basename "$0" .sh)
start=$SECONDS
fail() { echo "tests/release/$name.sh: FAILED: $*" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/werun-$name.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
case "$work" in "$root"/*) fail "the scratch directory $work is inside the checkout" ;; esac

read -r key iv appid data < <(python3 -c '
import json, sys; s = json.load(open(sys.argv[1]))["sample"]
print(s["session_key"], s["iv"], s["appid"], s["encrypted_data"])' "$root/tests/vectors/werun.json")
expected=$(python3 -c '
import json, sys; s = json.load(open(sys.argv[1]))["sample"]
print("\n".join(f"{t} {n}" for t, n in s["expect"]["steps"]))' "$root/tests/vectors/werun.json")

# PATH without cargo, rustc and rustup: what a user without a Rust toolchain has.
path_without_rust() {
  local dir out=
  IFS=: read -ra dirs <<<"$PATH"
  for dir in "${dirs[@]}"; do
    [ -e "$dir/cargo" ] || [ -e "$dir/rustc" ] || [ -e "$dir/rustup" ] || out=${out:+$out:}$dir
  done
  echo "$out"
}

# run_sample PROGRAM...: runs it with the sample (PROGRAM KEY IV APPID DATA), which must print
# the 31 entries; then with a wrong appid, which must exit with status 8 (APPID_MISMATCH).
run_sample() {
  local got code
  got=$("$@" "$key" "$iv" "$appid" "$data") || fail "$*: exit status $?"
  [ "$got" = "$expected" ] || fail "$*: printed something else than the sample's 31 entries"
  set +e
  "$@" "$key" "$iv" wx0000000000000000 "$data" >/dev/null 2>"$work/stderr"
  code=$?
  set -e
  [ "$code" = 8 ] || fail "$*: a wrong appid gave exit status $code, not 8 (APPID_MISMATCH)"
}

# needed FILE: its DT_NEEDED libraries, one per line.
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }

# The C example of docs/c-abi.md, extracted as tests/c/run.sh does.
c_example() {
  sed -n '/<!-- c-example:begin -->/,/<!-- c-example:end -->/p' "$root/docs/c-abi.md" |
    sed '1,2d;$d' | sed '$d' >"$1"
  grep -q 'int main' "$1" || fail "no C example between the c-example markers of docs/c-abi.md"
}

done_in() { echo "tests/release/$name.sh: passed in $((SECONDS - start)) s"; }
