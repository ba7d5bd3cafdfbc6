#!/usr/bin/env bash
# Installs what tests/firmware/run.sh needs, when missing (idempotent): the Rust targets
# thumbv7em-none-eabihf and riscv32imc-unknown-none-elf; Debian's gcc-arm-none-eabi with newlib
# and qemu-system-arm (Cortex-M4F, mps2-an386); gcc-riscv64-unknown-elf with picolibc and
# qemu-system-misc, which has qemu-system-riscv32 (RV32IMC, virt).
set -euo pipefail

installed=$(rustup target list --installed)
for target in thumbv7em-none-eabihf riscv32imc-unknown-none-elf; do
  grep -qx "$target" <<<"$installed" || rustup target add "$target"
done

packages=(gcc-arm-none-eabi qemu-system-arm gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
          qemu-system-misc)
# newlib for the Cortex-M4F hard-float multilib (gcc prints the bare name when it has none).
if ! command -v arm-none-eabi-gcc >/dev/null ||
    [ "$(arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 \
         -print-file-name=libc.a)" = libc.a ]; then
  packages+=(libnewlib-arm-none-eabi)
fi
if declare -F apt_install >/dev/null; then
  apt_install "${packages[@]}" # .ci/run's: only what is missing
else
  missing=()
  for pkg in "${packages[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi
