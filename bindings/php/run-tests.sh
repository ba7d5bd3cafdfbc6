#!/usr/bin/env bash
# The PHP binding's tests in the checkout, run by `make test-php` (after `make lib`):
#   1. gen-header.php --check: werun.ffi.h and the generated enums match include/werun.h;
#   2. PHPUnit (tests/): every vector of tests/vectors/werun.json, the API's argument rules,
#      the header, loading and the ABI check (child processes), and a real php-fpm with
#      opcache.preload requested through cgi-fcgi; skipped tests fail (phpunit.xml.dist);
#   3. bench.php on a small generated dataset (a smoke run: checksums, not speed).
# Needs php (8.1+, FFI, opcache), phpunit, php-fpm, cgi-fcgi and cc (.ci/install-php.sh).
# tests/release/php.sh then tests the Composer package as a consumer installs it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lib="$root/target/release/libwerun.so"
[ -f "$lib" ] || { echo "run-tests.sh: $lib is missing: run \`make lib\` first" >&2; exit 1; }
for tool in php phpunit cgi-fcgi cc; do
  command -v "$tool" >/dev/null || { echo "run-tests.sh: no $tool: run .ci/install-php.sh" >&2; exit 1; }
done
cd "$here"
echo "== $(php -r 'echo "PHP ", PHP_VERSION, ", FFI ", extension_loaded("ffi") ? "yes" : "NO", ", ", phpversion("Zend OPcache") ? "opcache yes" : "opcache NO";'), $(phpunit --version | head -n 1)"
echo "== gen-header.php --check"
php gen-header.php --check
php -l -n preload.php >/dev/null
for f in src/*.php bin/werun-ffi-header bench.php tests/*.php ../../tests/soak/soak.php; do php -l "$f" >/dev/null; done

echo "== phpunit (WERUN_LIBRARY=$lib)"
WERUN_LIBRARY="$lib" phpunit -c phpunit.xml.dist

echo "== bench.php smoke run (checksums, not speed: 200 payloads, one pass)"
WERUN_LIBRARY="$lib" php bench.php --generate 200 --reps 1
