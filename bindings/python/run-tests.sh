#!/usr/bin/env bash
# The Python binding's tests, run by `make test-python` (after `make lib`):
#   1. pytest (tests/, the doctests and README.md) against target/release/libwerun.so;
#   2. a real install: `pip install ./bindings/python` into a fresh venv, then import werun
#      from another directory (the bundled library, no WERUN_LIBRARY) and run the tests again
#      against the installed copy.
# Needs python3 with pytest and venv (.ci/install-python.sh installs them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
lib="$root/target/release/libwerun.so"
[ -f "$lib" ] || { echo "run-tests.sh: $lib is missing: run \`make lib\` first" >&2; exit 1; }

echo "== pytest (checkout, WERUN_LIBRARY=$lib)"
(cd "$here" && WERUN_LIBRARY="$lib" "$python" -m pytest -q -p no:cacheprovider)

echo "== pip install ./bindings/python into a fresh venv"
venv=$(mktemp -d /tmp/werun-venv.XXXXXX)
trap 'rm -rf "$venv"' EXIT
"$python" -m venv --system-site-packages "$venv"  # system site: pytest comes from CI's install
(cd "$root" && "$venv/bin/python" -m pip install -q --no-deps --no-index ./bindings/python)

echo "== import from / (bundled library) and decrypt the sample"
(cd / && env -u WERUN_LIBRARY "$venv/bin/python" - "$root/tests/vectors/werun.json" <<'PY'
import json, sys
import werun
assert werun.LIBRARY_PATH.startswith(sys.prefix), werun.LIBRARY_PATH
s = json.load(open(sys.argv[1]))["sample"]
data = werun.decrypt_steps(s["session_key"], s["iv"], s["encrypted_data"], appid=s["appid"])
assert [list(x) for x in data.steps] == s["expect"]["steps"], data
assert data.watermark_timestamp == s["expect"]["watermark_timestamp"]
print(f"installed werun {werun.LIBRARY_VERSION} from {werun.LIBRARY_PATH}: "
      f"{len(data.steps)} steps, last {data.steps[-1]}")
PY
)

echo "== pytest (installed copy)"
(cd "$here" && env -u WERUN_LIBRARY WERUN_TEST_INSTALLED=1 "$venv/bin/python" -m pytest -q \
  -p no:cacheprovider tests)
