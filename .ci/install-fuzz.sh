#!/usr/bin/env bash
# Installs what fuzz/smoke.sh needs, when missing: the nightly toolchain's cargo-fuzz and
# valgrind (for the constant-time check, tests/ct/run.sh). Idempotent.
set -euo pipefail
if ! grep -q '^nightly' <<<"$(rustup toolchain list)"; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo +nightly install cargo-fuzz --locked
fi
if ! command -v valgrind >/dev/null 2>&1; then
  sudo_cmd=""
  if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq valgrind
fi
cargo +nightly fuzz --version
valgrind --version
