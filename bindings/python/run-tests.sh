#!/usr/bin/env bash
# The Python binding's tests from the checkout, run by `make test-python` (after `make lib`;
# test-dist.sh, the next line of that target, tests the wheels and the sdist):
#   1. pytest (tests/, the doctests and README.md) against target/release/libwerun.so;
#   2. `pip install -e bindings/python` (what a contributor does) into a fresh venv: the package
#      imported from another directory is the checkout's, with the library built in place.
# Needs python3 with pytest and venv (.ci/install-python.sh installs them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
lib="$root/target/release/libwerun.so"
[ -f "$lib" ] || { echo "run-tests.sh: $lib is missing: run \`make lib\` first" >&2; exit 1; }
export PIP_DISABLE_PIP_VERSION_CHECK=1

echo "== pytest (checkout, WERUN_LIBRARY=$lib)"
(cd "$here" && WERUN_LIBRARY="$lib" "$python" -m pytest -q -p no:cacheprovider)

echo "== pip install -e bindings/python into a fresh venv"
venv=$(mktemp -d "${TMPDIR:-/tmp}/werun-venv.XXXXXX")
# The in-place library and egg-info are left only if they were there before (a contributor's
# own editable install): otherwise they would shadow target/release for checkout imports.
leftovers=()
for f in "$here/werun/libwerun.so" "$here/werun.egg-info"; do [ -e "$f" ] || leftovers+=("$f"); done
trap 'rm -rf "$venv" "${leftovers[@]}"' EXIT
"$python" -m venv "$venv"
# The backend's pinned versions (build isolation); cargo builds into target/python.
(cd "$root" && PIP_CONSTRAINT="$here/build-constraints.txt" \
  "$venv/bin/python" -m pip install -q -e ./bindings/python)

echo "== import from / (the checkout's package, its library built in place)"
(cd / && env -u WERUN_LIBRARY "$venv/bin/python" - "$here" "$root/tests/vectors/werun.json" <<'PY'
import json, os, sys
import werun
here = sys.argv[1]
print(f"werun {werun.__version__}: {werun.__file__}, library {werun.LIBRARY_PATH}")
assert werun.__file__ == os.path.join(here, "werun", "__init__.py"), werun.__file__
assert werun.LIBRARY_PATH == os.path.join(here, "werun", "libwerun.so"), werun.LIBRARY_PATH
s = json.load(open(sys.argv[2]))["sample"]
data = werun.decrypt_steps(s["session_key"], s["iv"], s["encrypted_data"], appid=s["appid"])
assert [list(x) for x in data.steps] == s["expect"]["steps"], data
print(f"editable install: {len(data.steps)} steps, last {data.steps[-1]}")
PY
)
