#!/bin/sh
# Installs what the C++ wrapper's tests need (bindings/cpp) on Debian 12: a C++ compiler with
# the sanitizer runtimes, make and CMake, each only when missing. Idempotent.
set -eu
packages=
command -v c++ >/dev/null 2>&1 || packages="$packages g++"
command -v make >/dev/null 2>&1 || packages="$packages make"
command -v cmake >/dev/null 2>&1 || packages="$packages cmake"
if [ -z "$packages" ]; then
  echo "install-cpp.sh: c++, make and cmake already installed"
  exit 0
fi
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $packages
