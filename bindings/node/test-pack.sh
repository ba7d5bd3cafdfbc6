#!/usr/bin/env bash
# The npm package as a user gets it (run by run-tests.sh, so by `make test-node`):
#   1. `npm pack` (its prepack step bundles target/release/libwerun.so): the tarball holds
#      exactly the package's files and the library, and the checkout is left as it was;
#   2. a fresh npm project in a temporary folder outside the checkout installs the tarball;
#   3. test/pack/smoke.test.{js,mjs} run there with node --test, with cargo off PATH and
#      WERUN_LIBRARY unset: the bundled sample (31 entries), WeChat's official demo vector
#      through openData, and a wrong appid giving the AppId error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
node_bin=$(command -v node)
lib="$root/target/release/libwerun.so"
[ -f "$lib" ] || { echo "test-pack.sh: $lib is missing: run \`make lib\` first" >&2; exit 1; }
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

tmp=$(mktemp -d "${TMPDIR:-/tmp}/werun-node-pack.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
case "$tmp/" in "$root"/*) echo "test-pack.sh: $tmp is inside the checkout" >&2; exit 1 ;; esac

echo "== npm pack"
version=$("$node_bin" -p "require('$here/package.json').version")
(cd "$here" && npm pack --silent --pack-destination "$tmp" >/dev/null)
tarball="$tmp/werun-$version.tgz"
[ -f "$tarball" ] || { echo "test-pack.sh: npm pack made no $tarball" >&2; exit 1; }
[ ! -e "$here/prebuilds" ] || { echo "test-pack.sh: postpack left $here/prebuilds" >&2; exit 1; }
tar -tzf "$tarball" | sort > "$tmp/contents"
cat > "$tmp/expected" <<'LIST'
package/LICENSE-APACHE
package/LICENSE-MIT
package/README.md
package/index.d.mts
package/index.d.ts
package/index.js
package/index.mjs
package/lib/errors.js
package/lib/ffi.js
package/package.json
package/prebuilds/linux-x64/libwerun.so
LIST
if ! diff -u "$tmp/expected" "$tmp/contents"; then
  echo "test-pack.sh: the tarball's files differ from the list above" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$tmp" package/prebuilds/linux-x64/libwerun.so
cmp "$tmp/package/prebuilds/linux-x64/libwerun.so" "$lib"
echo "$(basename "$tarball"): $(stat -c %s "$tarball") bytes, $(wc -l < "$tmp/contents") files, library $(stat -c %s "$lib") bytes"

echo "== npm install $(basename "$tarball") into a fresh project ($tmp/app)"
mkdir "$tmp/app"
cd "$tmp/app"
npm init -y >/dev/null
npm install --silent "$tarball"
cp "$here/test/pack/smoke.test.js" "$here/test/pack/smoke.test.mjs" .
"$node_bin" - "$root/tests/vectors/werun.json" "$root/tests/vectors/real-world.json" <<'JS' > fixtures.json
const fs = require('fs');
const [vectors, realWorld] = process.argv.slice(2).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
const demo = realWorld.vectors.find((v) => v.id === 'official-demo-userinfo');
if (!demo || !demo.plaintext) throw new Error('no official-demo-userinfo vector with its plaintext');
console.log(JSON.stringify({ sample: vectors.sample, demo }));
JS

echo "== smoke test in $tmp/app (cargo off PATH, WERUN_LIBRARY unset)"
nocargo=""
IFS=: read -ra dirs <<< "$PATH"
for d in "${dirs[@]}"; do
  [ -n "$d" ] && [ ! -x "$d/cargo" ] && nocargo="${nocargo:+$nocargo:}$d"
done
env -u WERUN_LIBRARY PATH="$nocargo" sh -c '! command -v cargo >/dev/null' ||
  { echo "test-pack.sh: cargo is still on PATH" >&2; exit 1; }
env -u WERUN_LIBRARY PATH="$nocargo" "$node_bin" --test smoke.test.js smoke.test.mjs
