#!/usr/bin/env bash
# werun as a CMake subproject (`make test-subproject`): a C and C++ project outside the checkout
# (tests/release/subproject/) add_subdirectory()s a read-only copy of this source tree (the
# files git tracks or would track), so cargo must build libwerun.a in the build tree and write
# nothing into the sources (checked by listing them, since root ignores the mode bits). Both programs (docs/c-abi.md's C example and a C++ one, -Wall
# -Wextra -Werror) link werun::werun and must decrypt the sample; a second build must work too.
source "$(dirname "$0")/common.sh"
command -v cmake >/dev/null || fail "cmake not found"

src=$work/werun-src
mkdir "$src"
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
  xargs -0 cp --parents -t "$src")
[ -f "$src/CMakeLists.txt" ] || fail "no CMakeLists.txt at the root of the source tree"
chmod -R a-w "$src"
files_before=$(cd "$src" && find . | sort)
touch "$work/stamp"
sleep 1

consumer=$work/consumer
cp -r "$root/tests/release/subproject" "$consumer"
cp "$root/tests/release/cmake-consumer/main.cpp" "$consumer/main.cpp"
c_example "$consumer/app.c"
echo "== configure (add_subdirectory of a read-only copy)"
cmake -S "$consumer" -B "$consumer/build" -DWERUN_SOURCE_DIR="$src" -DCMAKE_BUILD_TYPE=Release \
  >"$work/cmake.log" 2>&1 || { cat "$work/cmake.log" >&2; fail "cmake"; }
echo "== build (cargo builds libwerun.a into the build tree)"
cmake --build "$consumer/build" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; fail "cmake --build"; }
[ -f "$consumer/build/werun/cargo/release/libwerun.a" ] || fail "libwerun.a is not in the build tree"
run_sample "$consumer/build/app_c"
run_sample "$consumer/build/app_cpp"
echo "== second build (cargo finds nothing to do)"
cmake --build "$consumer/build" >"$work/build2.log" 2>&1 || { cat "$work/build2.log" >&2; fail "second build"; }
run_sample "$consumer/build/app_c"
# Read-only does not stop root: check that nothing was written into the sources.
[ "$(cd "$src" && find . | sort)" = "$files_before" ] || fail "the build created files in the source tree"
changed=$(find "$src" -newer "$work/stamp")
[ -z "$changed" ] || fail "the build modified the source tree: $changed"
done_in
