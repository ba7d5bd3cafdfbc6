#!/usr/bin/env bash
# The PHP package as a user installs it (run by `make test-php`, after `make php-dist`): a
# Composer project outside the checkout requires werun/werun from the package's zip (an
# `artifact` repository, Packagist disabled), `composer install`, then, with no cargo or rustc on
# PATH and no WERUN_LIBRARY: the PHP examples of bindings/php/README.md, README.md and
# docs/migration.md, each printing the test vector's one entry; a command over the API run with
# the sample (its 31 entries, then exit status 8 for a wrong appid); and
# vendor/bin/werun-ffi-header. The package must carry both libraries and no tests.
source "$(dirname "$0")/common.sh"
version=$(php -r 'echo json_decode(file_get_contents($argv[1]), true)["version"];' "$root/bindings/php/composer.json")
zip=$root/target/dist/werun-werun-$version.zip
[ -f "$zip" ] || fail "$zip is missing: run 'make php-dist'"
for tool in php composer; do command -v $tool >/dev/null || fail "no $tool: run .ci/install-php.sh"; done

mkdir "$work/artifacts" "$work/project"
cp "$zip" "$work/artifacts/"
cd "$work/project"
cat >composer.json <<JSON
{
    "name": "example/steps",
    "type": "project",
    "repositories": [
        {"type": "artifact", "url": "$work/artifacts"},
        {"packagist.org": false}
    ],
    "require": {"werun/werun": "$version"}
}
JSON
export COMPOSER_HOME=$work/composer-home COMPOSER_CACHE_DIR=$work/composer-cache COMPOSER_ALLOW_SUPERUSER=1
composer install --no-interaction --no-progress --quiet || fail "composer install"
pkg=vendor/werun/werun
for f in lib/linux-x86_64/libwerun.so lib/linux-aarch64/libwerun.so preload.php werun.ffi.h src/Werun.php; do
  [ -f "$pkg/$f" ] || fail "the installed package has no $f"
done
[ ! -e "$pkg/tests" ] || fail "the installed package carries its tests"
[ -x vendor/bin/werun-ffi-header ] || fail "no vendor/bin/werun-ffi-header"

clean_path=$(path_without_rust)
! PATH=$clean_path command -v cargo >/dev/null || fail "cargo is still on PATH"
run_php() { env -u WERUN_LIBRARY PATH="$clean_path" php "$@"; }

# Every ```php block of these pages, run in the project.
n=0
for page in bindings/php/README.md README.md docs/migration.md; do
  count=$(python3 - "$root/$page" "$work/project" "$n" <<'PY'
import re, sys
page, out, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
blocks = re.findall(r"^```php\n(.*?)^```$", open(page, encoding="utf-8").read(), re.M | re.S)
for i, block in enumerate(blocks):
    open(f"{out}/example-{start + i}.php", "w", encoding="utf-8").write(block)
print(len(blocks))
PY
  ) || fail "cannot extract the examples of $page"
  [ "$count" -gt 0 ] || fail "$page has no php block"
  for ((i = n; i < n + count; i++)); do
    got=$(run_php -d zend.assertions=1 -d assert.exception=1 "example-$i.php") || fail "$page: example $((i - n + 1)) failed"
    [ "$got" = "1717171200 21014" ] || fail "$page: example $((i - n + 1)) printed '$got', not '1717171200 21014'"
    echo "ok: $page, example $((i - n + 1))"
  done
  n=$((n + count))
done

# A command over the API: KEY IV APPID DATA; exits with the werun status.
cat >steps.php <<'PHP'
<?php
require __DIR__ . '/vendor/autoload.php';
[, $key, $iv, $appid, $data] = $argv;
try {
    foreach (Werun\Werun::decryptSteps($key, $iv, $data, appid: $appid)->steps as $day) {
        echo $day->timestamp, ' ', $day->step, "\n";
    }
} catch (Werun\WerunException $e) {
    fwrite(STDERR, $e->getMessage() . "\n");
    exit($e->getCode());
}
echo '';
if (Werun\Ffi::libraryPath() !== realpath(__DIR__ . '/vendor/werun/werun/lib/' . Werun\Ffi::platform() . '/libwerun.so')) {
    fwrite(STDERR, 'not the bundled library: ' . Werun\Ffi::libraryPath() . "\n");
    exit(70);
}
PHP
run_sample run_php steps.php
echo "ok: the sample through the installed package's library"

PATH=$clean_path vendor/bin/werun-ffi-header "$work/werun.h" >"$work/ini.txt" || fail "werun-ffi-header"
grep -q "^#define FFI_LIB \"$work/project/$pkg/lib/linux-x86_64/libwerun.so\"" "$work/werun.h" ||
  fail "the ffi.preload header does not name the installed library"
grep -q "^opcache.preload=$work/project/$pkg/preload.php" "$work/ini.txt" || fail "werun-ffi-header's php.ini lines"
echo "ok: vendor/bin/werun-ffi-header"
done_in
