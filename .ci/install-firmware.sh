#!/usr/bin/env bash
# Installs what tests/firmware/run.sh needs, when missing (idempotent): the Rust target
# thumbv7em-none-eabihf, Debian's gcc-arm-none-eabi with newlib, and qemu-system-arm.
set -euo pipefail

target=thumbv7em-none-eabihf
if ! grep -qx "$target" <<<"$(rustup target list --installed)"; then
  rustup target add "$target"
fi

missing=()
command -v arm-none-eabi-gcc >/dev/null || missing+=(gcc-arm-none-eabi)
# newlib for the Cortex-M4F hard-float multilib (gcc prints the bare name when it has none).
if ! command -v arm-none-eabi-gcc >/dev/null ||
    [ "$(arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 \
         -print-file-name=libc.a)" = libc.a ]; then
  missing+=(libnewlib-arm-none-eabi)
fi
command -v qemu-system-arm >/dev/null || missing+=(qemu-system-arm)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
