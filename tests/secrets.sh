#!/usr/bin/env bash
# The secrets test (tests/secrets.rs) on every AES backend the `aes` crate can pick on x86-64,
# in the shipped configuration (release, with and without `std`):
#   native                        whatever this CPU has (VAES-512 on AVX-512 + VAES machines)
#   qemu-x86_64 -cpu max          VAES-256 (QEMU's TCG has VAES and AVX2 but no AVX-512)
#   qemu-x86_64 -cpu Skylake-Client-v4   AES-NI without VAES (Intel before Ice Lake, AMD Zen 1/2)
#   qemu-x86_64 -cpu qemu64       no AES-NI: the software (fixslice) backend
# Each run checks, through the test `reports_the_aes_backend`, that it reached the backend it was
# meant to, and fails otherwise. Needs qemu-user (`.ci/install-secrets.sh`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ "$(uname -m)" != x86_64 ]; then
  echo "secrets: not x86-64: running natively only"
  cargo test --release --test secrets
  cargo test --release --features std --test secrets
  exit 0
fi
command -v qemu-x86_64 >/dev/null || { echo "secrets: qemu-x86_64 is missing (.ci/install-secrets.sh)" >&2; exit 1; }

for features in "" "--features std"; do
  # shellcheck disable=SC2086
  bin=$(cargo test --release $features --test secrets --no-run --message-format=json 2>/dev/null \
    | sed -n 's/.*"executable":"\([^"]*secrets[^"]*\)".*/\1/p' | tail -n 1)
  [ -x "$bin" ] || { echo "secrets: could not build the test" >&2; exit 1; }
  native=$("$bin" --exact reports_the_aes_backend --nocapture | sed -n 's/^aes backend: //p')
  for run in "native:$native" "max:VAES-256" "Skylake-Client-v4:AES-NI" "qemu64:software"; do
    cpu=${run%%:*}
    want=${run#*:}
    if [ "$cpu" = native ]; then runner=(); else runner=(qemu-x86_64 -cpu "$cpu"); fi
    got=$("${runner[@]}" "$bin" --exact reports_the_aes_backend --nocapture 2>/dev/null \
      | sed -n 's/^aes backend: //p')
    if [ "$got" != "$want" ]; then
      echo "secrets: CPU model $cpu reached the '$got' backend, not '$want'" >&2
      exit 1
    fi
    out=$("${runner[@]}" "$bin" --test-threads=1 2>&1) || { echo "$out"; echo "secrets: FAILED on $want ($cpu${features:+, $features})" >&2; exit 1; }
    echo "secrets: $want backend ($cpu${features:+, ${features#--features }}): $(grep '^test result' <<<"$out")"
  done
done
