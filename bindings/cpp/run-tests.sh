#!/bin/sh
# Tests of the C++ wrapper (werun.hpp): under -std=c++11 and c++14 the header's one error says
# it needs C++17; then the vector tests under ASan/UBSan with
# -std=c++17 -Wall -Wextra -Werror -pedantic, linked with a second translation unit that
# includes the header too (built with -fno-exceptions), then the CMake consumer project built
# against a temporary `make install` and run. Needs target/release/libwerun.a (`make lib`;
# `make test-cpp` builds it first).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
CXX=${CXX:-c++}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== before C++17: one clear error"
# Under C++11/14 the header stops at its #error (and only there), naming the C++17 it needs.
for std in c++11 c++14; do
  printf '#include "werun.hpp"\nint main() { return 0; }\n' >"$work/old.cpp"
  if $CXX -std=$std -fsyntax-only -I"$here" -I"$root/include" "$work/old.cpp" >"$work/old.log" 2>&1; then
    echo "werun.hpp compiled under -std=$std: the C++17 check is missing" >&2; exit 1
  fi
  grep -q 'werun.hpp needs C++17' "$work/old.log" ||
    { cat "$work/old.log" >&2; echo "-std=$std: no 'werun.hpp needs C++17' error" >&2; exit 1; }
  first=$(grep -m 1 'error' "$work/old.log")
  case $first in
    *'werun.hpp needs C++17'*) ;;
    *) cat "$work/old.log" >&2; echo "-std=$std: the first error is not the C++17 one" >&2; exit 1 ;;
  esac
  echo "-std=$std: $first"
done

if [ ! -f "$root/target/release/libwerun.a" ]; then
  echo "run-tests.sh: $root/target/release/libwerun.a is missing: run 'make lib' first" >&2
  exit 1
fi

flags="-std=c++17 -Wall -Wextra -Werror -pedantic -g -O1 -fno-omit-frame-pointer
  -fsanitize=address,undefined -fno-sanitize-recover=all
  -I$here -I$root/include -I$root/tests/vectors"
libs="$root/target/release/libwerun.a -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"

echo "== werun_test (ASan/UBSan, two translation units)"
# shellcheck disable=SC2086
$CXX $flags -c "$here/tests/werun_test.cpp" -o "$work/werun_test.o"
# shellcheck disable=SC2086
$CXX $flags -fno-exceptions -fno-rtti -c "$here/tests/second_tu.cpp" -o "$work/second_tu.o"
# shellcheck disable=SC2086
$CXX -fsanitize=address,undefined "$work/werun_test.o" "$work/second_tu.o" $libs -o "$work/werun_test"
# (WERUN_TEST_HEADER: the header the tables are compared with; another copy shows the test fail
# on an addition.)
WERUN_TEST_HEADER=${WERUN_TEST_HEADER:-$root/include/werun.h} ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
  UBSAN_OPTIONS=print_stacktrace=1 "$work/werun_test"

echo "== CMake consumer against make install PREFIX=$work/prefix"
make -C "$root" --no-print-directory install PREFIX="$work/prefix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; exit 1; }
for f in include/werun.h include/werun.hpp lib/libwerun.a lib/cmake/werun/werunConfig.cmake \
         lib/cmake/werun/werunConfigVersion.cmake; do
  [ -f "$work/prefix/$f" ] || { echo "make install did not install $f" >&2; exit 1; }
done
cmake -S "$here/tests/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror -pedantic" >"$work/cmake.log" 2>&1 ||
  { cat "$work/cmake.log" >&2; exit 1; }
cmake --build "$work/consumer" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
# Its output goes to a file first: `consumer | tail` would report tail's status, not its own.
"$work/consumer/werun_consumer" >"$work/consumer.log" 2>&1 ||
  { cat "$work/consumer.log" >&2; echo "the CMake consumer failed" >&2; exit 1; }
tail -n 1 "$work/consumer.log"

echo "== find_package version checks"
mkdir -p "$work/versions"
cat >"$work/versions/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.14)
project(werun_versions NONE)
find_package(werun 0.1 QUIET)
if(NOT werun_FOUND)
  message(FATAL_ERROR "werun 0.1 not found")
endif()
find_package(werun 0.2 QUIET)
if(werun_FOUND)
  message(FATAL_ERROR "werun 0.2 accepted: 0.x minor versions are incompatible")
endif()
find_package(werun 0.1...0.3 QUIET)
if(NOT werun_FOUND)
  message(FATAL_ERROR "werun 0.1...0.3 not found")
endif()
CMAKE
cmake -S "$work/versions" -B "$work/versions/build" -DCMAKE_PREFIX_PATH="$work/prefix" \
  >"$work/versions.log" 2>&1 || { cat "$work/versions.log" >&2; exit 1; }
echo "ok"
