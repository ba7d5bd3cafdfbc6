#!/usr/bin/env bash
# The release archive as a C/C++ team without Rust meets it (`make test-dist`, after
# `make dist`): unpacked into a prefix outside the checkout, with cargo, rustc and rustup off
# PATH, it must
#
# * hold exactly the documented files, with werun.h equal to include/werun.h and no absolute
#   path in its pkg-config and CMake files;
# * have a shared library that needs no glibc symbol newer than 2.17 (objdump -T), exports only
#   werun_* and has the soname the link points to;
# * build docs/c-abi.md's C example (-Wall -Wextra -Werror) with pkg-config: `werun` (shared,
#   rpath from the .pc's libdir), `werun-static` (no libwerun.so needed), and `--static werun`
#   in a copy of the prefix without the shared library;
# * build a C++ program with CMake find_package(werun CONFIG), once with werun::werun (static)
#   and once with werun::shared;
# * and every program must print the sample's 31 entries and exit with 8 for a wrong appid.
#
#   tests/release/archive.sh target/dist/werun-<version>-x86_64-linux-gnu.tar.gz
source "$(dirname "$0")/common.sh"
archive=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -f "$archive" ] || fail "no archive $1 (make dist)"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
top=werun-$version-x86_64-linux-gnu
export PATH
PATH=$(path_without_rust)
! command -v cargo >/dev/null || fail "cargo is still on PATH"

echo "== contents"
(cd "$(dirname "$archive")" && sha256sum -c --quiet "$(basename "$archive").sha256") ||
  fail "the .sha256 does not match"
listing=$(tar -tzf "$archive" | grep -v '/$' | sort)
want=$(printf '%s\n' CHANGELOG.md LICENSE-APACHE LICENSE-MIT README.md include/werun.h \
  include/werun.hpp lib/cmake/werun/werunConfig.cmake lib/cmake/werun/werunConfigVersion.cmake \
  lib/libwerun.a lib/libwerun.so lib/libwerun.so.0 "lib/libwerun.so.$version" \
  lib/pkgconfig/werun-static.pc lib/pkgconfig/werun.pc | sed "s|^|$top/|" | sort)
[ "$listing" = "$want" ] || fail "the archive holds
$listing
instead of
$want"
prefix=$work/prefix
mkdir "$prefix"
tar -xzf "$archive" -C "$prefix" --strip-components=1
cmp -s "$prefix/include/werun.h" "$root/include/werun.h" || fail "include/werun.h differs"
cmp -s "$prefix/include/werun.hpp" "$root/bindings/cpp/werun.hpp" || fail "include/werun.hpp differs"
cmp -s "$prefix/LICENSE-MIT" "$root/LICENSE-MIT" && cmp -s "$prefix/LICENSE-APACHE" "$root/LICENSE-APACHE" ||
  fail "the licences differ from the repository's"
if grep -rn "$root\|/tmp/\|/usr/local" "$prefix/lib/pkgconfig" "$prefix/lib/cmake"; then
  fail "absolute paths in the pkg-config or CMake files: the archive must be relocatable"
fi

echo "== libwerun.so.$version"
so=$prefix/lib/libwerun.so.$version
glibc=$(objdump -T "$so" | grep -o 'GLIBC_[0-9][0-9.]*' | sort -uV)
newest=$(tail -n 1 <<<"$glibc")
echo "glibc versions needed: $(echo $glibc)"
[ "$(printf '%s\n' "${newest#GLIBC_}" 2.17 | sort -V | tail -n 1)" = 2.17 ] ||
  fail "libwerun.so needs $newest, newer than GLIBC_2.17"
[ "$(readlink "$prefix/lib/libwerun.so.0")" = "libwerun.so.$version" ] || fail "bad libwerun.so.0 link"
readelf -d "$so" | grep -q 'Library soname: \[libwerun.so.0\]' || fail "soname is not libwerun.so.0"
extra=$(nm -D --defined-only "$so" | awk '$2 == "T" {print $3}' | grep -v '^werun_' || true)
[ -z "$extra" ] || fail "libwerun.so exports more than werun_*: $extra"

cflags=(-std=c11 -Wall -Wextra -Werror -pedantic -O2)
c_example "$work/app.c"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig

echo "== C, pkg-config werun (shared)"
# shellcheck disable=SC2046
cc "${cflags[@]}" "$work/app.c" $(pkg-config --cflags --libs werun) \
  -Wl,-rpath,"$(pkg-config --variable=libdir werun)" -o "$work/app-shared"
needed "$work/app-shared" | grep -qx libwerun.so.0 || fail "app-shared does not need libwerun.so.0"
linked=$(ldd "$work/app-shared")
grep -q "libwerun.so.0 => $prefix/lib/" <<<"$linked" ||
  grep -q "libwerun.so.0 => $prefix/lib/pkgconfig/../../lib/" <<<"$linked" ||
  fail "app-shared does not load the archive's libwerun.so.0: $linked"
run_sample "$work/app-shared"

echo "== C, pkg-config werun-static"
# shellcheck disable=SC2046
cc "${cflags[@]}" "$work/app.c" $(pkg-config --cflags --libs werun-static) -o "$work/app-static"
! needed "$work/app-static" | grep -q libwerun || fail "app-static needs libwerun.so"
run_sample "$work/app-static"

echo "== C, pkg-config --static werun, with only libwerun.a installed"
cp -r "$prefix" "$work/static-only"
rm "$work/static-only/lib"/libwerun.so*
# shellcheck disable=SC2046
cc "${cflags[@]}" "$work/app.c" \
  $(PKG_CONFIG_PATH=$work/static-only/lib/pkgconfig pkg-config --static --cflags --libs werun) \
  -o "$work/app-static-only"
! needed "$work/app-static-only" | grep -q libwerun || fail "app-static-only needs libwerun.so"
run_sample "$work/app-static-only"

echo "== C++, CMake find_package(werun CONFIG): werun::werun and werun::shared"
cp -r "$root/tests/release/cmake-consumer" "$work/consumer"
cmake -S "$work/consumer" -B "$work/consumer/build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=Release >"$work/cmake.log" 2>&1 || { cat "$work/cmake.log" >&2; fail "cmake"; }
cmake --build "$work/consumer/build" >"$work/build.log" 2>&1 ||
  { cat "$work/build.log" >&2; fail "cmake --build"; }
! needed "$work/consumer/build/app_static" | grep -q libwerun || fail "app_static needs libwerun.so"
needed "$work/consumer/build/app_shared" | grep -qx libwerun.so.0 || fail "app_shared does not need libwerun.so.0"
run_sample "$work/consumer/build/app_static"
run_sample "$work/consumer/build/app_shared"
done_in
