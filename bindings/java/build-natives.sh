#!/usr/bin/env bash
# The Java binding's native libraries: libwerun_jni.so (src/main/c/werun_jni.c, the JNI glue,
# linked with the static libwerun.a) for each platform the jar carries, built against glibc
# 2.17 with zig (cargo-zigbuild for the Rust part, `zig cc` for the C part and the link), as
# the Python wheels and the C archive are:
#
#   target/java-natives/linux-x86_64/libwerun_jni.so
#   target/java-natives/linux-aarch64/libwerun_jni.so    (cross-built; cannot run here)
#   target/java-natives-test/libwerun_fake_abi.so        (the tests' library of another ABI)
#
# Maven packs target/java-natives into the jar (pom.xml). Tools: .ci/install-python.sh (zig,
# cargo-zigbuild in target/python-tools, the aarch64 Rust target); the JDK's jni.h.
#
#   WERUN_JAVA_ARCHS   default "x86_64 aarch64"
#   WERUN_PYTHON_TOOLS default target/python-tools
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
archs=${WERUN_JAVA_ARCHS:-x86_64 aarch64}
tools=${WERUN_PYTHON_TOOLS:-$root/target/python-tools}
fail() { echo "build-natives.sh: $*" >&2; exit 1; }

[ -x "$tools/bin/python" ] && "$tools/bin/python" -c 'import ziglang' 2>/dev/null ||
  fail "no zig in $tools: run .ci/install-python.sh"
[ -x "$tools/bin/cargo-zigbuild" ] || fail "no cargo-zigbuild in $tools: run .ci/install-python.sh"
javac=$(command -v javac) || fail "no javac: run .ci/install-java.sh"
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$javac")")")}
[ -f "$jdk/include/jni.h" ] || fail "no jni.h in $jdk/include (set JAVA_HOME to a JDK)"
zig=("$tools/bin/python" -m ziglang)

glue=bindings/java/src/main/c/werun_jni.c
map=bindings/java/src/main/c/werun_jni.map
for arch in $archs; do
  target=$arch-unknown-linux-gnu
  grep -qx "$target" <<<"$(rustup target list --installed)" ||
    fail "no Rust target $target: rustup target add $target (.ci/install-python.sh)"
  # The Rust library, as `make lib-compat` builds it (the same target directory).
  PATH="$tools/bin:$PATH" CARGO_ZIGBUILD_PYTHON_PATH="$tools/bin/python" \
    CARGO_TARGET_DIR=target/compat WERUN_GLIBC=2.17 bindings/python/zigcargo rustc -q --release \
    --lib --features std --crate-type staticlib --target "$target"
  lib=target/compat/$target/release/libwerun.a
  out=target/java-natives/linux-$arch/libwerun_jni.so
  mkdir -p "$(dirname "$out")"
  if [ ! -f "$out" ] || [ "$lib" -nt "$out" ] || [ "$glue" -nt "$out" ] || [ "$map" -nt "$out" ] ||
    [ include/werun.h -nt "$out" ]; then
    "${zig[@]}" cc -target "$arch-linux-gnu.2.17" -std=c11 -O2 -fPIC -Wall -Wextra -Werror \
      -I"$jdk/include" -I"$jdk/include/linux" -Iinclude -shared -o "$out.tmp" "$glue" "$lib" \
      -Wl,--version-script="$map" -Wl,--gc-sections -lunwind -s
    mv "$out.tmp" "$out"
  fi
  echo "build-natives.sh: $out ($(stat -c %s "$out") bytes)"
done

# The tests' stand-in library of another ABI version (host compiler, host only).
mkdir -p target/java-natives-test
cc -std=c11 -O2 -fPIC -shared -Wall -Werror -I"$jdk/include" -I"$jdk/include/linux" \
  -o target/java-natives-test/libwerun_fake_abi.so bindings/java/src/test/c/fake_abi.c
