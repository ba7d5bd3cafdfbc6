#!/usr/bin/env bash
# Installs what the Node.js binding's tests (`make test-node`) need on a fresh Debian machine:
# Node.js 18 or newer and npm, from Debian's packages when either is missing, valgrind (for
# bindings/node/run-valgrind.sh) when missing, then the package's npm dependencies with
# `npm ci` in bindings/node (koffi, and typescript + @types/node for the type check, pinned by
# package-lock.json). Idempotent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)'
}

if ! node_ok || ! command -v npm >/dev/null 2>&1; then
  if declare -F apt_install >/dev/null; then
    apt_install nodejs npm # .ci/run's helper
  else
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq nodejs npm >/dev/null
  fi
fi
if ! command -v valgrind >/dev/null 2>&1; then
  if declare -F apt_install >/dev/null; then
    apt_install valgrind
  else
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq valgrind >/dev/null
  fi
fi
node_ok || { echo "install-node.sh: node $(node --version) is older than 18" >&2; exit 1; }

cd "$root/bindings/node"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "node $(node --version), npm $(npm --version), koffi $(node -p "require('koffi').version")"
