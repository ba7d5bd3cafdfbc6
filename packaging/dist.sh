#!/usr/bin/env bash
# `make dist`: the C/C++ release archive, target/dist/werun-<version>-x86_64-linux-gnu.tar.gz
# (and its .sha256), from the glibc 2.17 build of `make lib-compat`:
#
#   werun-<version>-x86_64-linux-gnu/
#     README.md  CHANGELOG.md  LICENSE-MIT  LICENSE-APACHE
#     include/werun.h  include/werun.hpp
#     lib/libwerun.a  lib/libwerun.so.<version>  lib/<soname> -> ...  lib/libwerun.so -> <soname>
#     lib/pkgconfig/werun.pc  lib/pkgconfig/werun-static.pc     (relative to ${pcfiledir})
#     lib/cmake/werun/werunConfig.cmake  werunConfigVersion.cmake  (relative to the file)
#
# The layout is `make install`'s (the archive is made by it, with DESTDIR); the static library
# loses its debug sections (--strip-debug). Before packing, the script refuses a shared library
# that needs a glibc symbol newer than 2.17 or exports anything but werun_*. The archive is
# reproducible: sorted names, owner 0, every mtime the last commit's (SOURCE_DATE_EPOCH).
#
#   VERSION, SONAME, LIBSRC   from the Makefile (LIBSRC: the directory of the built libraries)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
: "${VERSION:?}" "${SONAME:?}" "${LIBSRC:?}"
name=werun-$VERSION-x86_64-linux-gnu
out=target/dist
archive=$out/$name.tar.gz
fail() { echo "dist.sh: $*" >&2; exit 1; }

stage=$(mktemp -d "${TMPDIR:-/tmp}/werun-dist.XXXXXX")
trap 'rm -rf "$stage"' EXIT
dir=$stage/$name
make --no-print-directory -s install DESTDIR="$dir" PREFIX= LIBDIR=/lib INCLUDEDIR=/include \
  LIBSRC="$LIBSRC" PC_PREFIX='$${pcfiledir}/../..' PC_LIBDIR='$${prefix}/lib' \
  PC_INCLUDEDIR='$${prefix}/include' >/dev/null   # ($$: make's escape for $)
strip --strip-debug "$dir/lib/libwerun.a"
sed -e "s/@VERSION@/$VERSION/g" -e "s/@SONAME@/$SONAME/g" packaging/README.archive.md >"$dir/README.md"
cp CHANGELOG.md LICENSE-MIT LICENSE-APACHE "$dir/"

so=$dir/lib/libwerun.so.$VERSION
newest=$(objdump -T "$so" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -n 1)
[ "$(printf '%s\n' "$newest" 2.17 | sort -V | tail -n 1)" = 2.17 ] ||
  fail "$so needs GLIBC_$newest (at most 2.17): build it with make lib-compat"
[ "$(readelf -d "$so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')" = "$SONAME" ] ||
  fail "$so does not have the soname $SONAME"
extra=$(nm -D --defined-only "$so" | awk '$2 == "T" {print $3}' | grep -v '^werun_' || true)
[ -z "$extra" ] || fail "$so exports more than werun_*: $extra"

mkdir -p "$out"
rm -f "$archive" "$archive.sha256"
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -C "$stage" -cf - "$name" |
  gzip -9n >"$archive"
(cd "$out" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
echo "$archive ($(stat -c %s "$archive") bytes, needs GLIBC_$newest at most):"
tar -tzvf "$archive"
