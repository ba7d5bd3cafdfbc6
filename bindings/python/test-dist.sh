#!/usr/bin/env bash
# The Python package as users get it, run by `make test-python` (after run-tests.sh):
#   1. `make python-dist` builds the sdist and the manylinux2014 wheels into target/dist/;
#   2. `auditwheel show` must find each wheel manylinux_2_17 compatible, its library must export
#      exactly the functions of include/werun.h (and the aarch64 one, run under qemu-aarch64,
#      must decrypt the sample), `twine check` must pass;
#   3. the wheel for this machine goes into a fresh venv for each supported Python found
#      (pyproject.toml's classifiers), with no cargo on PATH, and the whole test suite (tests/,
#      the installed package's docstrings, README.md) runs against the installed package from a
#      directory outside the checkout; that includes the ImportErrors of a package without its
#      library and of a library with another ABI version;
#   4. the sdist goes into another fresh venv from outside the checkout, cargo on PATH, building
#      the library from scratch; a smoke test decrypts through it.
#
#   PYTHON                the Python for the sdist's venv (default python3)
#   WERUN_PYTHON_TOOLS    the venv with auditwheel and twine (default target/python-tools,
#                         which .ci/install-python.sh makes)
#   WERUN_TEST_PYTHONS    the interpreters for step 3 (default: python3.X for each supported X,
#                         on PATH or under pyenv; a missing one is an error)
#   WERUN_ALLOW_MISSING_PYTHONS=1  a supported Python missing from this machine is reported
#                         ("SKIPPED") and left out instead (at least one must be found)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=$(command -v "${PYTHON:-python3}")
tools=${WERUN_PYTHON_TOOLS:-$root/target/python-tools}
dist="$root/target/dist"
pytest_version=8.4.2  # supports Python 3.9 to 3.14
export PIP_DISABLE_PIP_VERSION_CHECK=1
start=$SECONDS

fail() { echo "test-dist.sh: FAILED: $*" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/werun-test-dist.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "== make python-dist"
make -C "$root" --no-print-directory python-dist

arch=$(uname -m)
mapfile -t sdists < <(find "$dist" -maxdepth 1 -name 'werun-*.tar.gz' ! -name 'werun-*-linux-gnu.tar.gz')
wheels=("$dist"/werun-*-py3-none-manylinux2014_*.manylinux_2_17_*.whl)
wheel=$(echo "$dist"/werun-*-py3-none-manylinux2014_"$arch".manylinux_2_17_"$arch".whl)
[ "${#sdists[@]}" = 1 ] && [ -f "${sdists[0]}" ] || fail "not one sdist in $dist"
[ -f "$wheel" ] || fail "no $arch wheel in $dist"
sdist=${sdists[0]}

echo "== auditwheel show"
for w in "${wheels[@]}"; do
  w_arch=${w##*manylinux_2_17_}
  w_arch=${w_arch%.whl}
  shown=$("$tools/bin/python" -m auditwheel show "$w")
  echo "$shown"
  # auditwheel wraps its lines: compare without the line breaks.
  tr '\n' ' ' <<<"$shown" | grep -q "consistent with the following platform tag: \"manylinux_2_17_$w_arch\"" ||
    fail "auditwheel does not find $(basename "$w") manylinux_2_17_$w_arch compatible"
done

echo "== the libraries in the wheels export exactly the header's functions (nm -D)"
for w in "${wheels[@]}"; do
  "$tools/bin/python" - "$w" "$root/include/werun.h" "$work/lib.so" <<'PY'
import re, subprocess, sys, zipfile
wheel, header, lib = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, open(lib, "wb") as f:
    f.write(z.read("werun/libwerun.so"))
nm = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True,
                    check=True).stdout
exported = {line.split()[-1] for line in nm.splitlines() if line.strip()}
declared = set(re.findall(r"^[\w ]+?\*?\s*(werun_\w+)\(", open(header).read(), re.M))
assert len(declared) >= 10 and exported == declared, (wheel, exported ^ declared)
print(f"{wheel.rsplit('/', 1)[-1]}: exports the header's {len(declared)} functions, nothing else")
PY
done

# The aarch64 wheel cannot be installed here (no aarch64 Python), but its library can run:
# a C program built with zig for aarch64 (glibc 2.17) calls it under qemu-aarch64 with
# Debian's arm64 glibc (.ci/install-python.sh installs qemu-user and libc6-arm64-cross).
aarch64_wheel=$(echo "$dist"/werun-*-py3-none-manylinux2014_aarch64.manylinux_2_17_aarch64.whl)
if [ "$arch" != aarch64 ] && [ -f "$aarch64_wheel" ]; then
  if command -v qemu-aarch64 >/dev/null && [ -e /usr/aarch64-linux-gnu/lib/libc.so.6 ]; then
    echo "== the aarch64 wheel's library under qemu-aarch64: decrypt the sample through the C ABI"
    mkdir "$work/aarch64"
    "$tools/bin/python" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("werun/libwerun.so", sys.argv[2])' \
      "$aarch64_wheel" "$work/aarch64"
    cat >"$work/aarch64/steps.c" <<'C'
#include <stdio.h>
#include <string.h>
#include "werun.h"
int main(int argc, char **argv) {
  if (argc != 5) return 64;
  werun_options options = {(const uint8_t *)argv[3], strlen(argv[3]), 0, 0, 0};
  uint8_t scratch[4096];
  werun_step steps[WERUN_DEFAULT_CAPACITY];
  werun_summary summary;
  werun_status status = werun_decrypt_steps(
      (const uint8_t *)argv[1], strlen(argv[1]), (const uint8_t *)argv[2], strlen(argv[2]),
      (const uint8_t *)argv[4], strlen(argv[4]), &options, scratch, sizeof scratch, steps,
      WERUN_DEFAULT_CAPACITY, &summary);
  if (status != WERUN_STATUS_OK) return (int)status;
  for (size_t i = 0; i < summary.count; i++)
    printf("%lld %u\n", (long long)steps[i].timestamp, steps[i].step);
  return 0;
}
C
    "$tools/bin/python" -m ziglang cc -target aarch64-linux-gnu.2.17 -I"$root/include" \
      "$work/aarch64/steps.c" -L"$work/aarch64/werun" -lwerun -o "$work/aarch64/steps"
    "$tools/bin/python" - "$work/aarch64" "$root/tests/vectors/werun.json" <<'PY'
import json, subprocess, sys
here, vectors = sys.argv[1:]
s = json.load(open(vectors))["sample"]
def run(appid):
    return subprocess.run(
        ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu", "-E",
         f"LD_LIBRARY_PATH={here}/werun", f"{here}/steps", s["session_key"], s["iv"], appid,
         s["encrypted_data"]], capture_output=True, text=True)
ok = run(s["appid"])
assert ok.returncode == 0, ok
steps = [list(map(int, line.split())) for line in ok.stdout.splitlines()]
assert steps == s["expect"]["steps"], steps
assert run("wx0000000000000000").returncode == 8  # WERUN_STATUS_APPID_MISMATCH
print(f"aarch64 library: the sample's {len(steps)} steps; a wrong appid gives status 8")
PY
  else
    echo "-- the aarch64 wheel's library: no qemu-aarch64 or /usr/aarch64-linux-gnu, not run"
  fi
fi

echo "== twine check"
"$tools/bin/python" -m twine --no-color check --strict "$sdist" "${wheels[@]}"

ls -l "$dist"

# PATH without any directory that has cargo (or rustc) in it.
no_cargo_path=
IFS=: read -r -a path_dirs <<<"$PATH"
for d in "${path_dirs[@]}"; do
  [ -n "$d" ] && [ ! -e "$d/cargo" ] && [ ! -e "$d/rustc" ] && no_cargo_path+="$d:"
done
no_cargo_path=${no_cargo_path%:}

missing=()
find_python() {  # python3.X: on PATH, or under pyenv
  local v=$1 p
  if p=$(command -v "python$v") && "$p" -c '' 2>/dev/null; then echo "$p"; return; fi
  for p in "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/"$v".*/bin/"python$v"; do
    [ -x "$p" ] && "$p" -c '' 2>/dev/null && { echo "$p"; return; }
  done
  return 1
}
if [ -n "${WERUN_TEST_PYTHONS:-}" ]; then
  read -r -a interpreters <<<"$WERUN_TEST_PYTHONS"
else
  interpreters=()
  for v in $(sed -n 's/.*"Programming Language :: Python :: \(3\.[0-9]*\)".*/\1/p' \
               "$here/pyproject.toml"); do
    if p=$(find_python "$v"); then interpreters+=("$p"); else missing+=("$v"); fi
  done
fi
if [ "${#missing[@]}" -gt 0 ]; then
  [ "${WERUN_ALLOW_MISSING_PYTHONS:-}" = 1 ] ||
    fail "Python ${missing[*]} not found (no python3.X on PATH or under pyenv; supported: pyproject.toml's classifiers); WERUN_ALLOW_MISSING_PYTHONS=1 to test without them"
  echo "-- SKIPPED (WERUN_ALLOW_MISSING_PYTHONS=1): Python ${missing[*]} not on this machine, not tested"
fi
[ "${#interpreters[@]}" -gt 0 ] || fail "no supported Python found"

tested=()
for interpreter in "${interpreters[@]}"; do
  version=$("$interpreter" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  echo "== Python $version: the $arch wheel in a fresh venv, no cargo on PATH, the whole suite"
  venv="$work/venv-$version"
  "$interpreter" -m venv "$venv"
  "$venv/bin/python" -m pip install -q "pytest==$pytest_version"
  "$venv/bin/python" -m pip install -q --no-index --no-deps "$wheel"
  cwd=$(mktemp -d "$work/cwd.XXXXXX")
  (
    cd "$cwd"
    export PATH="$venv/bin:$no_cargo_path"
    unset WERUN_LIBRARY CARGO
    ! command -v cargo >/dev/null || fail "cargo is still on PATH"
    python -c 'import werun; print("werun.__file__ =", werun.__file__); print("werun.LIBRARY_PATH =", werun.LIBRARY_PATH)'
    # tests/ and README.md from the checkout (they read its vectors and header), the
    # docstrings from the installed package (--pyargs werun); conftest.py keeps the
    # checkout's package off sys.path.
    WERUN_TEST_INSTALLED=1 WERUN_TEST_WHEEL_TAG="py3-none-manylinux2014_$arch" \
      python -m pytest -p no:cacheprovider -q -c "$here/pyproject.toml" --rootdir "$here" \
      "$here/tests" "$here/README.md" --pyargs werun
  )
  tested+=("$version")
done

echo "== the sdist in a fresh venv, built from scratch with cargo (from outside the checkout)"
venv="$work/venv-sdist"
"$python" -m venv "$venv"
cwd=$(mktemp -d "$work/cwd.XXXXXX")
(cd "$cwd" && env -u CARGO_TARGET_DIR -u WERUN_LIBRARY PIP_CONSTRAINT="$here/build-constraints.txt" \
  "$venv/bin/python" -m pip install -q --no-cache-dir --no-deps "$sdist")
(cd "$cwd" && env -u WERUN_LIBRARY "$venv/bin/python" - "$root/tests/vectors" <<'PY'
import hashlib, json, os, sys
import werun
print("werun.__file__ =", werun.__file__)
print("werun.LIBRARY_PATH =", werun.LIBRARY_PATH)
assert werun.LIBRARY_PATH.startswith(sys.prefix), werun.LIBRARY_PATH
vectors = sys.argv[1]

sample = json.load(open(os.path.join(vectors, "werun.json")))["sample"]
data = werun.decrypt_steps(sample["session_key"], sample["iv"], sample["encrypted_data"],
                           appid=sample["appid"])
assert len(data.steps) == 31
assert [list(s) for s in data.steps] == sample["expect"]["steps"], data
assert data.watermark_timestamp == sample["expect"]["watermark_timestamp"]

demo = next(v for v in json.load(open(os.path.join(vectors, "real-world.json")))["vectors"]
            if v["id"] == "official-demo-userinfo")
opened = werun.open_data(demo["sessionKey"], demo["iv"], demo["encryptedData"],
                         appid=demo["appId"])
assert opened.json == demo["plaintext"]
assert hashlib.sha256(opened.json.encode()).hexdigest() == demo["plaintext_sha256"]

try:
    werun.decrypt_steps(sample["session_key"], sample["iv"], sample["encrypted_data"],
                        appid="wx0000000000000000")
except werun.AppIdMismatch as e:
    assert str(e.status) == "APPID_MISMATCH", e.status
else:
    raise AssertionError("a wrong appid was accepted")
print(f"sample: {len(data.steps)} steps; official demo through open_data: "
      f"{json.loads(opened.json)['nickName']}; wrong appid: AppIdMismatch")
print("sdist-smoke: 3 passed, 0 failed")
PY
)

echo "test-dist.sh: wheel tested on Python ${tested[*]}; sdist built and smoke-tested;" \
  "in $((SECONDS - start)) s"
