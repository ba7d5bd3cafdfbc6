#!/usr/bin/env bash
# `make php-dist`: the Composer package werun/werun as a zip in target/dist/
# (werun-werun-<version>.zip), carrying libwerun.so for linux-x86_64 and linux-aarch64 in
# lib/<os>-<arch>/, both linked against glibc 2.17 (zig through cargo-zigbuild, as the Python
# wheels and the C archive: bindings/python/zigcargo).
#
# The x86_64 library is `make lib-compat`'s (the Makefile builds it first); this script builds
# the aarch64 one the same way. The package is staged in target/php-dist/ and archived by
# `composer archive` (composer.json's archive.exclude leaves out the tests and tools).
#
#   WERUN_PYTHON_TOOLS  the venv with zig and cargo-zigbuild (default target/python-tools,
#                       which .ci/install-python.sh makes)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tools=${WERUN_PYTHON_TOOLS:-$root/target/python-tools}
version=$(php -r 'echo json_decode(file_get_contents($argv[1]), true)["version"];' "$here/composer.json")
fail() { echo "build-dist.sh: $*" >&2; exit 1; }
x86=$root/target/compat/x86_64-unknown-linux-gnu/release/libwerun.so
arm=$root/target/compat/aarch64-unknown-linux-gnu/release/libwerun.so
[ -f "$x86" ] || fail "$x86 is missing: run \`make lib-compat\`"

echo "== aarch64 library (glibc 2.17, zig)"
[ -x "$tools/bin/cargo-zigbuild" ] || fail "no cargo-zigbuild in $tools: run .ci/install-python.sh"
(cd "$root" && PATH="$tools/bin:$PATH" CARGO_ZIGBUILD_PYTHON_PATH="$tools/bin/python" CARGO_TARGET_DIR=target/compat \
  WERUN_GLIBC=2.17 bindings/python/zigcargo rustc --quiet --release --lib --features std --crate-type cdylib \
  --target aarch64-unknown-linux-gnu -- -C link-arg=-Wl,-soname,libwerun.so.0)

stage=$root/target/php-dist/werun
rm -rf "$root/target/php-dist"
mkdir -p "$stage/lib/linux-x86_64" "$stage/lib/linux-aarch64" "$root/target/dist"
(cd "$here" && cp -R composer.json README.md LICENSE-APACHE LICENSE-MIT preload.php werun.ffi.h src bin "$stage/")
install -m 755 "$x86" "$stage/lib/linux-x86_64/libwerun.so"
install -m 755 "$arm" "$stage/lib/linux-aarch64/libwerun.so"
for arch in x86_64 aarch64; do
  so=$stage/lib/linux-$arch/libwerun.so
  machine=$(readelf -h "$so" | sed -n 's/ *Machine: *//p')
  case $arch:$machine in x86_64:*X86-64* | aarch64:*AArch64*) ;; *) fail "$so is for $machine" ;; esac
  newest=$(objdump -T "$so" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1)
  [ "$(printf '%s\n' "$newest" GLIBC_2.17 | sort -V | tail -n 1)" = GLIBC_2.17 ] ||
    fail "$so needs $newest (more than glibc 2.17)"
  echo "   lib/linux-$arch/libwerun.so: $machine, needs $newest at most"
done

echo "== composer archive"
rm -f "$root/target/dist/werun-werun-$version.zip"
(cd "$stage" && COMPOSER_ALLOW_SUPERUSER=1 composer archive --quiet --no-interaction --format=zip \
  --dir="$root/target/dist" --file="werun-werun-$version")
zip=$root/target/dist/werun-werun-$version.zip
[ -f "$zip" ] || fail "composer archive made no $zip"
listing=$(unzip -Z1 "$zip")
for f in composer.json preload.php werun.ffi.h src/Werun.php bin/werun-ffi-header lib/linux-x86_64/libwerun.so \
  lib/linux-aarch64/libwerun.so; do
  grep -qx "$f" <<<"$listing" || fail "$zip has no $f"
done
if grep -q '^tests/' <<<"$listing"; then fail "$zip carries the tests"; fi
echo "== $zip ($(du -k "$zip" | cut -f1) KiB)"
