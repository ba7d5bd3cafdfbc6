#!/usr/bin/env bash
# Installs what the PHP binding's tests (`make test-php`) need on a fresh Debian machine: PHP's
# CLI (8.1+, with FFI, which Debian builds into php-common) and FPM, opcache, zip (for Composer's
# artifact repository), PHPUnit, Composer and cgi-fcgi (libfcgi-bin), from Debian's packages.
# `make php-dist` also needs zig and cargo-zigbuild (.ci/install-python.sh). Idempotent.
set -euo pipefail

install() {
  if declare -F apt_install >/dev/null; then
    apt_install "$@" # .ci/run's helper
  else
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  fi
}

install php-cli php-fpm phpunit composer libfcgi-bin
# The version's own opcache and zip packages (php-cli pulls in php<version>-cli).
version=$(php -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')
install "php$version-opcache" "php$version-zip"

php -r 'exit(PHP_VERSION_ID >= 80100 && extension_loaded("ffi") && extension_loaded("Zend OPcache") && extension_loaded("zip") ? 0 : 1);' || {
  echo "install-php.sh: php $(php -r 'echo PHP_VERSION;') lacks 8.1+, FFI, opcache or zip" >&2
  exit 1
}
command -v "php-fpm$version" >/dev/null || [ -x "/usr/sbin/php-fpm$version" ] || {
  echo "install-php.sh: no php-fpm$version" >&2
  exit 1
}
echo "php $(php -r 'echo PHP_VERSION;') (FFI, opcache, zip), php-fpm$version, $(phpunit --version | head -n 1)," \
  "composer $(composer --version 2>/dev/null | awk '{print $3}'), cgi-fcgi"
