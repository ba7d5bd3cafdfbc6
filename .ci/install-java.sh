#!/usr/bin/env bash
# Installs what the Java binding's tests (`make test-java`) need on a fresh Debian machine, when
# missing: a JDK 17 (Debian's openjdk-17-jdk-headless), Maven and binutils (objdump, readelf);
# and a newer JDK beside it for the installed-artifact test (tests/release/java.sh), Debian's
# newest openjdk-N-jdk-headless above 17 when the machine has no /usr/lib/jvm/temurin-*. zig,
# cargo-zigbuild and the aarch64 Rust target come from install-python.sh. Idempotent.
set -euo pipefail
missing=()
command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v objdump >/dev/null && command -v readelf >/dev/null || missing+=(binutils)
command -v unzip >/dev/null || missing+=(unzip)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
updated=
if [ "${#missing[@]}" -gt 0 ]; then
  $sudo apt-get update -qq
  updated=1
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
newer=$(ls -d /usr/lib/jvm/temurin-*-jdk-* 2>/dev/null | head -n 1 || true)
if [ -z "$newer" ]; then
  newer=$(ls -d /usr/lib/jvm/java-2[0-9]-openjdk-* 2>/dev/null | head -n 1 || true)
fi
if [ -z "$newer" ]; then
  [ -n "$updated" ] || $sudo apt-get update -qq
  pkg=$(apt-cache search --names-only '^openjdk-[0-9]+-jdk-headless$' | cut -d' ' -f1 | sort -V | tail -n 1)
  case "$pkg" in
    openjdk-1[0-7]-* | openjdk-[0-9]-* | "")
      echo "install-java.sh: no JDK newer than 17 to install (found '${pkg}')" >&2; exit 1 ;;
  esac
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null
  newer=$(ls -d /usr/lib/jvm/java-2[0-9]-openjdk-* | head -n 1)
fi
echo "java: $(javac -version 2>&1), $(mvn -v 2>/dev/null | head -n 1 | sed 's/\x1b\[[0-9;]*m//g'); newer JDK: $newer"
