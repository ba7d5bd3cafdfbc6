#!/bin/sh
# Installs Go for the Go binding (bindings/go) on Debian 12 when `go` is missing. Idempotent.
set -eu
if command -v go >/dev/null 2>&1; then
  echo "install-go.sh: $(go version) already installed"
  exit 0
fi
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends golang-go gcc libc6-dev
go version
