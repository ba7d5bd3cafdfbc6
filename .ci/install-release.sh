#!/usr/bin/env bash
# Installs what the release tests need, when missing (idempotent): libabigail's abidw/abidiff
# for the ABI check (make test-abi), pkg-config, CMake and binutils (objdump, readelf, nm) for
# the archive and subproject consumers (make test-dist, test-subproject). Go comes from
# install-go.sh, and make dist's zig toolchain (cargo-zigbuild) from install-python.sh.
set -euo pipefail
missing=()
command -v abidiff >/dev/null || missing+=(abigail-tools)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v cmake >/dev/null || missing+=(cmake)
command -v objdump >/dev/null && command -v readelf >/dev/null || missing+=(binutils)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "release tools: $(abidiff --version), pkg-config $(pkg-config --version), $(cmake --version | head -n 1)"
